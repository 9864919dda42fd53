import Foundation
import Testing
@testable import zipls

/// Names reach the terminal escaped: control characters (C0, DEL, C1) and
/// the bidirectional controls, in every human-readable output.
@Suite("zipls escaping")
struct EscapingTests {
    /// A name with each kind of character that must not reach a terminal raw.
    static let hostile = "a\u{1B}[2J\r\nb\t\u{7F}\u{85}\u{9B}c\u{202E}d\u{2066}e\u{2069}.txt"
    static let hostileEscaped = #"a\x1b[2J\r\nb\t\x7f\u{0085}\u{009B}c\u{202E}d\u{2066}e\u{2069}.txt"#

    @Test func escapesC0DelC1AndBidiControlsVisibly() {
        #expect(Diagnostics.escaped(Self.hostile) == Self.hostileEscaped)
        #expect(Diagnostics.escaped("plain/café€😀\u{202F}\u{2065}\u{A0}") == "plain/café€😀\u{202F}\u{2065}\u{A0}")
    }

    private func withHostileArchive(_ body: (URL) throws -> Void) throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("ok.txt", "x")
            builder.add(Self.hostile, "data")
            try builder.write(to: directory.appendingPathComponent("h.zip"))
            try body(directory)
        }
    }

    /// The word-at-a-time test agrees with looking at every byte, for each
    /// byte value at every position around the 8-byte boundaries.
    @Test func theQuickTestFindsEverySpecialByteWherever() {
        func naive(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 } }
        for length in 0 ... 19 {
            for position in 0 ..< max(length, 1) {
                for value in 0 ... 255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[position] = UInt8(value) }
                    let quick = Diagnostics.mayNeedEscaping(bytes.span)
                    if quick != naive(bytes) {
                        Issue.record("length \(length), byte \(value) at \(position)")
                        return
                    }
                }
            }
        }
    }

    @Test func plainListEscapesNamesOneLineEach() throws {
        try withHostileArchive { directory in
            let result = try ZiplsProcess.zipls("list", "h.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == "ok.txt\n" + Self.hostileEscaped + "\n")
        }
    }

    @Test func longListingEscapesNamesSoTheTableKeepsOneRowPerEntry() throws {
        try withHostileArchive { directory in
            let result = try ZiplsProcess.zipls("list", "-l", "h.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 5, "header, two rows, totals, and the empty end: \(result)")
            #expect(lines[2].hasSuffix("  " + Self.hostileEscaped))
            #expect(!result.stdoutBytes.contains { $0 < 0x20 && $0 != 0x0A })
        }
    }

    @Test func nullOptionPrintsRawNamesEachEndedByNUL() throws {
        try withHostileArchive { directory in
            for option in ["-0", "--null"] {
                let result = try ZiplsProcess.zipls("list", option, "h.zip", in: directory)
                #expect(result.status == 0, "\(result)")
                #expect(result.stdoutBytes == Array("ok.txt\0\(Self.hostile)\0".utf8))
            }
            let bare = try ZiplsProcess.zipls("-0", "h.zip", "ok*", in: directory)
            #expect(bare.stdoutBytes == Array("ok.txt\0".utf8))
        }
    }

    @Test func nullOptionCannotBeCombinedWithLongOrJSON() throws {
        for option in ["-l", "--json"] {
            let result = try ZiplsProcess.zipls("list", "-0", option, "stored.zip")
            #expect(result.status == 64, "\(result)")
            #expect(result.stdout == "")
            #expect(result.stderr.contains("--null"))
        }
    }

    @Test func catAndTestMessagesEscapeC1AndBidiControls() throws {
        try withHostileArchive { directory in
            let cat = try ZiplsProcess.zipls("cat", "h.zip", "x\u{202E}y\u{9B}", in: directory)
            #expect(cat.status == 1)
            #expect(cat.stderrLines == [#"zipls: h.zip: no entry matches "x\u{202E}y\u{009B}""#])
            let test = try ZiplsProcess.zipls("test", "h.zip", "\u{85}*", in: directory)
            #expect(test.status == 1)
            #expect(test.stderrLines == [#"zipls: h.zip: no entry matches "\u{0085}*""#])
        }
    }

    @Test func findTextOutputEscapesTheOrigin() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("top.py", "x = 1\n")
            let archive = "ev\u{1B}il\u{202E}.zip"
            try builder.write(to: directory.appendingPathComponent(archive))
            let result = try ZiplsProcess.zipls("find", archive, "top", in: directory)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == #"top: module ev\x1bil\u{202E}.zip/top.py"# + "\n")
        }
    }
}
