import Foundation
import Testing
@testable import ZipIndex

/// What Python's `zipfile` sees in an archive (Fixtures/oracle.py).
struct OracleReport: Decodable {
    struct Entry: Decodable {
        var name: String
        var method: Int
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var crc32: UInt32
        var headerOffset: UInt64
        var isDir: Bool
        var flags: Int
        var externalAttr: UInt32
        var createSystem: Int
        var dateTime: [Int]
        var sha256: String?
        var readError: String?
    }

    var ok: Bool
    var error: String?
    var comment_hex: String?
    var entries: [Entry]?

    static func of(_ path: String, python: String? = nil) throws -> OracleReport {
        let data = try run(["python3", Fixture.path("oracle.py"), path],
                           environment: python.map { ["PYENV_VERSION": $0] } ?? [:])
        return try JSONDecoder().decode(OracleReport.self, from: data)
    }
}

@Suite("Differential: ZipIndex against Python's zipfile")
struct DifferentialTests {
    /// Where we disagree with Python on purpose, and why.
    static let deliberateDifferences: [String: String] = [
        // Go issue 66869: a comment that runs past the end of the file is a
        // format error. Python truncates the comment and reads on.
        "comment-truncated.zip": "open fails",
        // Python ignores the Info-ZIP Unicode Path extra and shows the raw
        // CP437 name; we show the UTF-8 name the extra vouches for.
        "unicode-path-extra.zip": "names",
        // Python's zipfile does not accept a directory size that implies a
        // wrong base; we fall back to base 0 as Go does.
        "bad-dir-size.zip": "python fails",
    ]

    @Test("Every fixture reads as Python's zipfile reads it", arguments: Fixture.all)
    func fixtureMatchesPythonZipfile(_ name: String) throws {
        let oracle = try OracleReport.of(Fixture.path(name))
        let difference = Self.deliberateDifferences[name]
        let archive: ZipArchive
        do {
            archive = try Fixture.open(name)
        } catch {
            #expect(!oracle.ok || difference == "open fails", "we refuse \(name) (\(error)) but Python reads it")
            return
        }
        guard oracle.ok, let expected = oracle.entries else {
            #expect(difference == "python fails", "Python refuses \(name) (\(oracle.error ?? "?")) but we read it")
            return
        }
        #expect(archive.commentBytes.map { String(format: "%02x", $0) }.joined() == oracle.comment_hex)
        try #require(archive.count == expected.count)
        for (entry, want) in zip(archive.entries, expected) {
            if difference != "names" { #expect(entry.name == want.name) }
            #expect(Int(entry.method.rawValue) == want.method, "\(want.name)")
            #expect(entry.compressedSize == want.compressedSize, "\(want.name)")
            #expect(entry.uncompressedSize == want.uncompressedSize, "\(want.name)")
            #expect(entry.crc32 == want.crc32, "\(want.name)")
            #expect(entry.localHeaderOffset == want.headerOffset, "\(want.name)")
            #expect(entry.isDirectory == want.isDir, "\(want.name)")
            #expect(Int(entry.flags) == want.flags, "\(want.name)")
            #expect(entry.externalAttributes == want.externalAttr, "\(want.name)")
            #expect(Int(entry.versionMadeBy >> 8) == want.createSystem, "\(want.name)")
            let date = entry.modificationDate
            #expect([date.year, date.month, date.day, date.hour, date.minute, date.second] == want.dateTime, "\(want.name)")
            do {
                let bytes = try archive.read(entry)
                #expect(want.sha256 == SHA256.hex(bytes), "\(want.name): Python says \(want.readError ?? "-")")
            } catch where error.code == .unsupportedMethod {
                // Python decodes bzip2 and LZMA; we list them and refuse to read them.
                #expect([12, 14].contains(want.method), "\(want.name): \(error)")
            } catch {
                #expect(want.readError != nil, "\(want.name): we fail with \(error), Python reads it")
            }
        }
    }

    @Test("The deliberate differences still differ (else the list is stale)")
    func deliberateDifferencesAreReal() throws {
        let truncated = try OracleReport.of(Fixture.path("comment-truncated.zip"))
        #expect(truncated.ok)
        expectZipError(.commentPastEndOfFile) { _ = try Fixture.open("comment-truncated.zip") }
        let unicode = try OracleReport.of(Fixture.path("unicode-path-extra.zip"))
        let ours = try Fixture.open("unicode-path-extra.zip").entries.map(\.name)
        #expect(unicode.entries?.map(\.name) != ours)
    }
}
