import Foundation
import Testing

/// `zipls list --json` against CPython's `zipfile`, through
/// `Fixtures/oracle.py`, on every fixture.
@Suite("list --json agrees with Python's zipfile")
struct PythonOracleTests {
    /// One entry, in the terms both sides can express.
    struct EntryView: Equatable, CustomStringConvertible {
        var name: String
        var method: Int
        var compressedSize: Int
        var uncompressedSize: Int
        var crc32: Int
        var localHeaderOffset: Int
        var modified: String
        var isDirectory: Bool
        var isEncrypted: Bool
        var unixMode: Int?

        var description: String {
            "\(name) m\(method) c\(compressedSize) u\(uncompressedSize) crc\(crc32) @\(localHeaderOffset) \(modified) dir:\(isDirectory) enc:\(isEncrypted) mode:\(unixMode.map { String($0, radix: 8) } ?? "nil")"
        }

        /// From our JSON.
        init(zipls entry: [String: Any]) throws {
            name = try #require(entry["name"] as? String)
            method = try #require(entry["method"] as? Int)
            compressedSize = try #require(entry["compressedSize"] as? Int)
            uncompressedSize = try #require(entry["uncompressedSize"] as? Int)
            crc32 = try #require(entry["crc32"] as? Int)
            localHeaderOffset = try #require(entry["localHeaderOffset"] as? Int)
            modified = try #require(entry["modified"] as? String)
            isDirectory = try #require(entry["isDirectory"] as? Bool)
            isEncrypted = try #require(entry["isEncrypted"] as? Bool)
            #expect(entry.keys.contains("unixMode"))
            unixMode = entry["unixMode"] as? Int
        }

        /// From the oracle's JSON: Python's ZipInfo fields.
        init(python entry: [String: Any]) throws {
            name = try #require(entry["name"] as? String)
            method = try #require(entry["method"] as? Int)
            compressedSize = try #require(entry["compressedSize"] as? Int)
            uncompressedSize = try #require(entry["uncompressedSize"] as? Int)
            crc32 = try #require(entry["crc32"] as? Int)
            localHeaderOffset = try #require(entry["headerOffset"] as? Int)
            let d = try #require(entry["dateTime"] as? [Int])
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            modified = "\(d[0])-\(two(d[1]))-\(two(d[2]))T\(two(d[3])):\(two(d[4])):\(two(d[5]))"
            isDirectory = try #require(entry["isDir"] as? Bool)
            let flags = try #require(entry["flags"] as? Int)
            isEncrypted = flags & 0x41 != 0 || method == 99
            let system = try #require(entry["createSystem"] as? Int)
            let external = try #require(entry["externalAttr"] as? Int)
            unixMode = system == 3 || system == 19 ? external >> 16 : nil
        }
    }

    static func oracle(_ fixture: String) throws -> [String: Any]? {
        guard let python = ZiplsProcess.python else { return nil }
        let result = try ZiplsProcess.run(python, ["oracle.py", fixture])
        #expect(result.status == 0, "\(result)")
        return try #require(try parseJSON(result.stdoutBytes) as? [String: Any])
    }

    @Test(arguments: ZiplsProcess.allFixtures)
    func jsonListingMatchesPython(_ fixture: String) throws {
        let ours = try ZiplsProcess.zipls("list", "--json", fixture)
        #expect(!ours.signaled)
        guard let python = try Self.oracle(fixture) else { return }
        let pythonOK = try #require(python["ok"] as? Bool)

        switch fixture {
        case "comment-truncated.zip":
            // Deliberate: Python keeps the 16 comment bytes present; we
            // refuse a comment length running past the end of the file.
            #expect(pythonOK)
            #expect(ours.status == 2 && ours.stdout == "")
            return
        case "bad-dir-size.zip":
            // Deliberate: Python trusts the wrong directory size and fails;
            // we fall back to base offset 0, as Go and Info-ZIP do.
            #expect(!pythonOK)
            #expect(ours.status == 0)
            let object = try #require(try parseJSON(ours.stdoutBytes) as? [String: Any])
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(entries.map { $0["name"] as? String } == ["hello.txt", "lorem.txt"])
            return
        case "truncated.zip":
            #expect(!pythonOK)
            #expect(ours.status == 2 && ours.stdout == "")
            return
        default:
            #expect(pythonOK, "Python refuses \(fixture): \(python)")
        }

        #expect(ours.status == 0, "\(ours)")
        #expect(ours.stderr == "")
        let object = try #require(try parseJSON(ours.stdoutBytes) as? [String: Any], "\(ours)")
        #expect(object["archive"] as? String == fixture)
        #expect(object["zip64"] is Bool)
        #expect(object["prependedBytes"] as? Int == (fixture == "prepended.zip" ? 64 : 0))
        #expect((object["centralDirectoryOffset"] as? Int ?? 0) > 0 || fixture == "empty.zip")

        // The archive comment, whenever it is text.
        let commentHex = try #require(python["comment_hex"] as? String)
        let hexDigits = Array(commentHex.utf8).map { UInt8(String(UnicodeScalar($0)), radix: 16) ?? 0 }
        let commentBytes = stride(from: 0, to: hexDigits.count - 1, by: 2).map { hexDigits[$0] << 4 | hexDigits[$0 + 1] }
        if let comment = String(validating: commentBytes, as: UTF8.self) {
            #expect(object["comment"] as? String == comment)
        }

        let ourEntries = try (try #require(object["entries"] as? [[String: Any]])).map(EntryView.init(zipls:))
        var pythonEntries = try (try #require(python["entries"] as? [[String: Any]])).map(EntryView.init(python:))
        #expect(ourEntries.count == pythonEntries.count)
        if fixture == "unicode-path-extra.zip" {
            // Deliberate: we honour the Info-ZIP Unicode Path extra (0x7075)
            // when its CRC matches; Python 3.11 ignores it (3.12+ agrees
            // with us). The stale extra of stale.txt is ignored by both.
            #expect(ourEntries.map(\.name) == ["café-€.txt", "Übersicht.txt", "stale.txt", "plain.txt"])
            for index in pythonEntries.indices { pythonEntries[index].name = ourEntries[index].name }
        }
        for (ours, theirs) in zip(ourEntries, pythonEntries) {
            #expect(ours == theirs, "\(fixture)")
        }
    }
}
