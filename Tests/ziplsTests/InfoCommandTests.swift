import Foundation
import Testing

@Suite("zipls info")
struct InfoCommandTests {
    private func info(_ fixture: String, in directory: URL = ZiplsProcess.fixtures) throws -> [String: Any] {
        let result = try ZiplsProcess.zipls("info", "--json", fixture, in: directory)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        return try #require(try parseJSON(result.stdoutBytes) as? [String: Any], "\(result)")
    }

    @Test func textReportHasOneLinePerFact() throws {
        let result = try ZiplsProcess.zipls("info", "entry-comments.zip")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let json = try info("entry-comments.zip")
        let comment = try #require(json["comment"] as? String)
        #expect(result.stdout == """
            Archive:             entry-comments.zip
            Entries:             \(json["entries"]!)
            Size:                \(json["uncompressedSize"]!) bytes
            Compressed size:     \(json["compressedSize"]!) bytes
            Comment:             "\(comment)"
            ZIP64:               no
            Prepended bytes:     0
            Central directory:   offset \(json["centralDirectoryOffset"]!), \(json["centralDirectorySize"]!) bytes
            Methods:             \(((json["methods"] as? [[String: Any]]) ?? []).map { "\($0["name"]!) (\($0["entries"]!))" }.joined(separator: ", "))
            Encrypted entries:   0
            Duplicate names:     0
            Overlapping entries: 0
            Unsafe names:        0
            Name hazards:        none
            Trailing bytes:      0
            Gaps:                0
            Hidden entries:      0
            Early descriptors:   0

            """)
    }

    @Test func exactTextForAKnownArchive() throws {
        let result = try ZiplsProcess.zipls("info", "comment.zip")
        #expect(result.stdout == """
            Archive:             comment.zip
            Entries:             1
            Size:                56 bytes
            Compressed size:     19 bytes
            Comment:             "This is a zipfile comment."
            ZIP64:               no
            Prepended bytes:     0
            Central directory:   offset 58, 55 bytes
            Methods:             deflated (1)
            Encrypted entries:   0
            Duplicate names:     0
            Overlapping entries: 0
            Unsafe names:        0
            Name hazards:        none
            Trailing bytes:      0
            Gaps:                0
            Hidden entries:      0
            Early descriptors:   0

            """)
    }

    @Test func jsonReportsStructureAndMethods() throws {
        let mixed = try info("mixed.zip")
        #expect(mixed["archive"] as? String == "mixed.zip")
        #expect(mixed["entries"] as? Int == 4)
        #expect(mixed["uncompressedSize"] as? Int == 5505)
        #expect(mixed["compressedSize"] as? Int == 1055)
        let methods = try #require(mixed["methods"] as? [[String: Any]])
        #expect(methods.map { $0["method"] as? Int } == [0, 8])
        #expect(methods.map { $0["name"] as? String } == ["stored", "deflated"])
        #expect(methods.map { $0["entries"] as? Int } == [2, 2])

        #expect(try info("zip64.zip")["zip64"] as? Bool == true)
        #expect(try info("zip64-python.zip")["zip64"] as? Bool == false)  // ZIP64 extras only, no end records
        let prepended = try info("prepended.zip")
        #expect(prepended["prependedBytes"] as? Int == 64)
        #expect(try info("prepended-adjusted.zip")["prependedBytes"] as? Int == 0)  // zip -A made the offsets absolute
        let bzip2 = try info("bzip2.zip")
        #expect((bzip2["methods"] as? [[String: Any]])?.first?["name"] as? String == "bzip2")
        let empty = try info("empty.zip")
        #expect(empty["entries"] as? Int == 0)
        #expect((empty["methods"] as? [Any])?.isEmpty == true)
        #expect(empty["centralDirectorySize"] as? Int == 0)
    }

    @Test func countsEncryptedDuplicateAndUnsafeEntries() throws {
        #expect(try info("encrypted.zip")["encryptedEntries"] as? Int == 2)
        #expect(try info("duplicate-names.zip")["duplicateNames"] as? Int == 1)
        #expect(try info("stored.zip")["duplicateNames"] as? Int == 0)
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            // One rule for names, the library's: a NUL is unsafe too.
            for name in ["ok.txt", "/etc/passwd", "../escape", "a/../../b", "a/../fine", "win\\path", "C:/drive",
                         "nul\u{0}name", "dup", "dup", "dup"] {
                builder.add(name, "x")
            }
            try builder.write(to: directory.appendingPathComponent("risky.zip"))
            let json = try info("risky.zip", in: directory)
            #expect(json["unsafeNames"] as? Int == 6)
            #expect(json["duplicateNames"] as? Int == 2)
            let text = try ZiplsProcess.zipls("info", "risky.zip", in: directory)
            #expect(text.stdout.contains("\nUnsafe names:        6\n"))
            #expect(text.stdout.contains("\nDuplicate names:     2\n"))
        }
    }

    /// Fifield's full overlap (three entries, one local header) and quoted
    /// overlap (one entry's data holds the next): counted without reading.
    @Test func overlappingEntriesAreReported() throws {
        let hostile = ZiplsProcess.fixtures.appendingPathComponent("hostile")
        #expect(try info("overlap-full.zip", in: hostile)["overlappingEntries"] as? Int == 3)
        #expect(try info("overlap-quoted.zip", in: hostile)["overlappingEntries"] as? Int == 1)
        #expect(try info("stored.zip")["overlappingEntries"] as? Int == 0)
        let text = try ZiplsProcess.zipls("info", "overlap-full.zip", in: hostile)
        #expect(text.status == 0)
        #expect(text.stdout.contains("\nOverlapping entries: 3\n"), "\(text)")
    }

    @Test func commentIsQuotedAndEscapedOnOneLine() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("a", "x")
            builder.comment = Array("line one\nline \"two\"\u{1B}[31m".utf8)
            try builder.write(to: directory.appendingPathComponent("c.zip"))
            let text = try ZiplsProcess.zipls("info", "c.zip", in: directory)
            #expect(text.stdout.contains("\nComment:             \"line one\\nline \\\"two\\\"\\u001b[31m\"\n"))
            #expect(try info("c.zip", in: directory)["comment"] as? String == "line one\nline \"two\"\u{1B}[31m")
        }
        let max = try info("max-comment.zip")
        #expect((max["comment"] as? String)?.utf8.count == 65_535)
    }

    /// Types A4 and B1–B4 of *My ZIP isn't your ZIP*: read, and reported
    /// per entry with --json.
    @Test func nameHazardsAreCountedAndListedPerEntry() throws {
        let ambiguous = ZiplsProcess.fixtures.appendingPathComponent("ambiguous")
        let cases: [(String, [String: [String]], Int)] = [
            ("a4-backslash-directory.zip", ["test\\": ["backslash"]], 1),
            ("b1-duplicate-names.zip", ["dup.txt": ["collision"]], 0),
            ("b2-nul-in-name.zip", ["a\u{0}b.txt": ["nul"]], 1),
            ("b3-backslash-collision.zip", ["a/b": ["collision"], "a\\b": ["backslash", "collision"]], 1),
            ("b4-case-collision.zip", ["test.txt": ["caseCollision"], "test.TXT": ["caseCollision"]], 0),
        ]
        for (fixture, hazards, unsafe) in cases {
            let json = try info(fixture, in: ambiguous)
            let names = try #require(json["names"] as? [[String: Any]], "\(fixture)")
            var listed: [String: [String]] = [:]
            for item in names {
                listed[try #require(item["name"] as? String)] = item["hazards"] as? [String]
                let hazards = Set(item["hazards"] as? [String] ?? [])
                #expect(item["safeToExtract"] as? Bool == hazards.isSubset(of: ["collision", "caseCollision"]),
                        "\(fixture)")
            }
            #expect(listed == hazards, "\(fixture)")
            #expect(json["unsafeNames"] as? Int == unsafe, "\(fixture)")
        }
        let counts = try #require(try info("b4-case-collision.zip", in: ambiguous)["nameHazards"] as? [String: Int])
        #expect(counts.count == 12)
        #expect(counts["caseCollision"] == 2)
        #expect(counts.filter { $0.key != "caseCollision" }.values.allSatisfy { $0 == 0 })
        let text = try ZiplsProcess.zipls("info", "b4-case-collision.zip", in: ambiguous)
        #expect(text.stdout.contains("\nName hazards:        caseCollision (2)\n"), "\(text)")
    }

    @Test func structuralIrregularitiesAreReported() throws {
        let ambiguous = ZiplsProcess.fixtures.appendingPathComponent("ambiguous")
        let hidden = try info("c1-hidden-local-between-entries.zip", in: ambiguous)
        #expect((hidden["hiddenEntries"] as? [Int])?.count == 1)
        #expect((hidden["gaps"] as? [[Int]])?.count == 1)
        let trailing = try info("trailing-junk.zip")
        #expect(trailing["trailingBytes"] as? Int ?? 0 > 0)
        let text = try ZiplsProcess.zipls("info", "c1-hidden-local-between-entries.zip", in: ambiguous)
        #expect(text.status == 0, "info describes; zipls test fails it")
        #expect(text.stdout.contains("\nHidden entries:      1\n"), "\(text)")
    }

    @Test func readsOnlyTheDirectorySoBadDataStillExits0() throws {
        for fixture in ["crc-corrupt.zip", "encrypted.zip", "lzma.zip", "bad-dir-size.zip"] {
            let result = try ZiplsProcess.zipls("info", fixture)
            #expect(result.status == 0, "\(fixture): \(result)")
        }
    }

    @Test func unreadableArchiveExits2() throws {
        for fixture in ["truncated.zip", "comment-truncated.zip", "absent.zip"] {
            let result = try ZiplsProcess.zipls("info", "--json", fixture)
            #expect(result.status == 2)
            #expect(result.stdout == "")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("zipls: \(fixture): "))
        }
    }
}
