#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

import ZipIndex

/// Error messages on standard error, and the exit status they imply.
///
/// Every message is one line, `zipls: ARCHIVE: cause`, so scripts can
/// split them and people can tell which archive of several was at fault.
/// Control characters (from a hostile entry name, say) are escaped: they
/// must not break the one-line rule or drive the terminal.
final class Diagnostics {
    let archivePath: String
    private let output: OutputBuffer
    /// The worst status reported so far.
    private(set) var status = ExitStatus.success
    /// A progress line to wipe before writing, when one is showing.
    var progress: ProgressLine?

    init(archivePath: String, output: OutputBuffer) {
        self.archivePath = archivePath
        self.output = output
    }

    /// Reports a problem with an entry, or a name or pattern not found.
    func entryProblem(_ message: String) throws(OutputError) {
        try report(message, status: .badEntry)
    }

    /// Reports that the archive cannot be read.
    func unreadable(_ message: String) throws(OutputError) {
        try report(message, status: .unreadable)
    }

    /// Reports that the archive cannot be opened. The library's message for
    /// a system error starts with the path, which the line already names:
    /// `zipls: app.zip: no such file`, not `app.zip: app.zip: ...`.
    func cannotOpen(_ error: ZipError) throws(OutputError) {
        let prefix = archivePath + ": "
        if error.code == .io, error.entry == nil, error.offset == nil, let detail = error.detail, detail.hasPrefix(prefix) {
            try unreadable(String(detail.dropFirst(prefix.count)))
        } else {
            try unreadable(error.description)
        }
    }

    func report(_ message: String, status: ExitStatus) throws(OutputError) {
        self.status = max(self.status, status)
        // What was written to stdout before the problem should appear
        // before it when both go to one terminal.
        try output.flush()
        progress?.clear()
        Self.writeLine("zipls: \(Self.escaped(archivePath)): \(Self.escaped(message))")
    }

    /// Writes a line to standard error, unbuffered. Failures are ignored:
    /// there is nowhere left to report them.
    static func writeLine(_ line: String) {
        var text = line + "\n"
        _ = try? FileDescriptorIO.writeAll(STDERR_FILENO, text.utf8.span)
    }

    /// `text` with what must not reach a terminal raw written as escapes:
    /// control characters (C0, DEL, C1) as `\n`, `\r`, `\t`, `\x1b`,
    /// `\u{0085}`, and the bidirectional embeddings, overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069), which reorder what follows them on
    /// screen, as `\u{202E}`. The one escaping of zipls, for stderr and for
    /// names in human-readable output alike.
    static func escaped(_ text: String) -> String {
        var text = text
        guard mayNeedEscaping(text.utf8.span) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0 ..< 0x20, 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" : "") + hex
            case 0x80 ... 0x9F, 0x202A ... 0x202E, 0x2066 ... 0x2069:
                result += "\\u{" + String(repeating: "0", count: scalar.value < 0x100 ? 2 : 0)
                    + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether UTF-8 `bytes` may hold something ``escaped(_:)`` escapes:
    /// a C0 control or DEL, or the lead byte of a C1 control (0xC2) or of
    /// a bidirectional control (0xE2). A quick test on names, most of
    /// which have none of these bytes.
    ///
    /// Every name of a listing goes through it, so it looks at eight bytes
    /// at a time: a word with no byte below 0x20, no 0x7F and no byte above
    /// 0x7F (Bit Twiddling Hacks, "determine if a word has a byte less
    /// than n") has nothing to escape; only other words are looked at byte
    /// by byte.
    static func mayNeedEscaping(_ bytes: Span<UInt8>) -> Bool {
        @inline(__always) func special(_ byte: UInt8) -> Bool {
            byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        guard bytes.count >= 8 else {
            for index in bytes.indices where special(bytes[index]) { return true }
            return false
        }
        let raw = bytes.bytes
        // The last word overlaps the one before it instead of a byte loop.
        var index = 0
        while true {
            let word = UInt64(littleEndian: raw.unsafeLoadUnaligned(fromByteOffset: index, as: UInt64.self))
            let belowSpace = (word &- ones &* 0x20) & ~word & highs
            let delete = word ^ (ones &* 0x7F)
            let hasDelete = (delete &- ones) & ~delete & highs
            if (word & highs) | belowSpace | hasDelete != 0 {
                for position in index ..< index + 8 where special(bytes[position]) { return true }
            }
            if index == bytes.count - 8 { return false }
            index = min(index + 8, bytes.count - 8)
        }
    }
}

extension OutputBuffer {
    /// Writes a name (UTF-8) for people to read: escaped as
    /// ``Diagnostics/escaped(_:)`` escapes, so that it cannot drive the
    /// terminal, reorder the line or break it.
    @inline(__always)
    func writeEscaped(_ name: Span<UInt8>) throws(OutputError) {
        if Diagnostics.mayNeedEscaping(name) {
            try write(Diagnostics.escaped(name.decodedString))
        } else {
            try write(name)
        }
    }
}
