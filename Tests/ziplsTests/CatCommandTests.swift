import Foundation
import Testing

@Suite("zipls cat")
struct CatCommandTests {
    private func run(_ arguments: String...) throws -> RunResult {
        try ZiplsProcess.zipls(["cat"] + arguments)
    }

    @Test func writesEachMatchingEntryOnceInDirectoryOrder() throws {
        let result = try run("stored.zip", "numbers.txt", "hello.txt", "hello.txt")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let hello = String(repeating: "Hello, world!\n", count: 4)
        let numbers = try ZiplsProcess.zipls("cat", "stored.zip", "numbers.txt").stdout
        #expect(!numbers.isEmpty)
        #expect(result.stdout == hello + numbers)
    }

    @Test func patternsAreGlobsAsUnzipPTakesThem() throws {
        let all = try run("stored.zip", "*.txt")
        #expect(all.status == 0, "\(all)")
        let oneByOne = try ["hello.txt", "lorem.txt", "numbers.txt"].map { try run("stored.zip", $0).stdoutBytes }
        #expect(all.stdoutBytes == oneByOne.flatMap { $0 })
        let some = try run("stored.zip", "[hn]*")
        #expect(some.stdoutBytes == oneByOne[0] + oneByOne[2])
    }

    @Test func backslashMakesAGlobCharacterLiteral() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("a1.txt", "one\n")
            builder.add("a[1].txt", "brackets\n")
            try builder.write(to: directory.appendingPathComponent("g.zip"))
            let literal = try ZiplsProcess.zipls("cat", "g.zip", #"a\[1\].txt"#, in: directory)
            #expect(literal.status == 0, "\(literal)")
            #expect(literal.stdout == "brackets\n")
            let glob = try ZiplsProcess.zipls("cat", "g.zip", "a[1].txt", in: directory)
            #expect(glob.stdout == "one\n")
        }
    }

    @Test func duplicateNameGivesTheLastEntry() throws {
        let result = try run("duplicate-names.zip", "dup.txt")
        #expect(result.status == 0)
        #expect(result.stdout == "second version, this one wins\n")
    }

    @Test func directoryEntryIsEmpty() throws {
        let result = try run("directories.zip", "a/")
        #expect(result.status == 0)
        #expect(result.stdoutBytes.isEmpty && result.stderr == "")
    }

    @Test func patternMatchingNothingIsReportedAndTheOthersAreStillWritten() throws {
        let result = try run("stored.zip", "nope*", "hello.txt", "HELLO.TXT")
        #expect(result.status == 1)
        #expect(result.stdout == String(repeating: "Hello, world!\n", count: 4))
        #expect(result.stderrLines == [
            "zipls: stored.zip: no entry matches \"nope*\"",
            "zipls: stored.zip: no entry matches \"HELLO.TXT\"",
        ])
    }

    @Test func corruptEntryIsWrittenThenReportedWithExit1() throws {
        let result = try run("crc-corrupt-stored.zip", "flipped.txt")
        #expect(result.status == 1)
        #expect(result.stdout.contains("H"))  // the flipped byte: the data went out, untrusted
        #expect(result.stderrLines == [
            "zipls: crc-corrupt-stored.zip: CRC-32 mismatch in entry \"flipped.txt\": computed 0x2950480f, the directory declares 0x4e3d1623",
        ])
    }

    @Test func unsupportedAndEncryptedEntriesWriteNothingAndExit1() throws {
        let bzip2 = try run("bzip2.zip", "lorem.txt")
        #expect(bzip2.status == 1)
        #expect(bzip2.stdoutBytes.isEmpty)
        #expect(bzip2.stderrLines == ["zipls: bzip2.zip: unsupported compression method in entry \"lorem.txt\": method 12 (bzip2)"])
        let encrypted = try run("encrypted.zip", "secret.txt")
        #expect(encrypted.status == 1)
        #expect(encrypted.stdoutBytes.isEmpty)
        #expect(encrypted.stderrLines == ["zipls: encrypted.zip: cannot read encrypted data in entry \"secret.txt\": flag bit 0 is set"])
    }

    @Test func withoutAPatternIsAUsageErrorAndTheUsageLineRequiresOne() throws {
        let result = try run("stored.zip")
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("Error: Missing expected argument '<pattern> ...'"), "\(result)")
        #expect(result.stderr.contains("Usage: zipls cat <archive> <pattern> ..."), "\(result)")
        let help = try ZiplsProcess.zipls("help", "cat")
        #expect(help.stdout.contains("USAGE: zipls cat <archive> <pattern> ..."), "\(help)")
    }

    @Test func unreadableArchiveExits2() throws {
        let result = try run("truncated.zip", "hello.txt")
        #expect(result.status == 2)
        #expect(result.stderrLines == ["zipls: truncated.zip: not a zip archive (no end of central directory record)"])
    }

    /// Every entry's bytes against Python's `ZipFile.read`, on every
    /// fixture; where Python reads an entry and we do not, the reason must
    /// be one we document (unsupported method).
    @Test(arguments: ZiplsProcess.allFixtures)
    func bytesMatchPythonRead(_ fixture: String) throws {
        guard let python = ZiplsProcess.python else { return }
        let script = """
            import json, sys, zipfile
            out = []
            try:
                zf = zipfile.ZipFile(sys.argv[1])
            except Exception:
                print("null"); sys.exit(0)
            for info in zf.infolist():
                try:
                    out.append(zf.read(info).hex())
                except Exception:
                    out.append(None)
            print(json.dumps(out))
            """
        let theirs = try ZiplsProcess.run(python, ["-c", script, fixture])
        guard let contents = try parseJSON(theirs.stdoutBytes) as? [Any] else { return }  // Python cannot open it
        let listing = try ZiplsProcess.zipls("list", "--json", fixture)
        guard listing.status == 0 else { return }  // comment-truncated.zip: see ListCommandTests
        let object = try #require(try parseJSON(listing.stdoutBytes) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == contents.count)
        let names = entries.map { $0["name"] as? String ?? "" }
        // Entries both read: all in one `cat`, their bytes concatenated.
        var good: [String] = []
        var expected = ""
        for (index, name) in names.enumerated() where names.lastIndex(of: name) == index {
            let method = entries[index]["method"] as? Int ?? -1
            if let hex = contents[index] as? String, method != 12, method != 14 {
                good.append(name)
                expected += hex
            } else {
                // Python cannot read it (encrypted, corrupt), or we cannot
                // decode its method (bzip2, lzma): a bad entry for us.
                let ours = try ZiplsProcess.zipls("cat", fixture, Self.literalPattern(name))
                #expect(!ours.signaled)
                #expect(ours.status == 1, "\(fixture) \(name): \(ours)")
                if contents[index] is String {
                    #expect(ours.stderr.contains("unsupported compression method"), "\(fixture) \(name): \(ours)")
                }
            }
        }
        guard !good.isEmpty else { return }
        let ours = try ZiplsProcess.zipls(["cat", fixture] + good.map(Self.literalPattern))
        #expect(ours.status == 0, "\(fixture): \(ours)")
        #expect(ours.stdoutBytes.map { String(format: "%02x", $0) }.joined() == expected, "\(fixture)")
    }

    /// A glob that matches exactly `name`: its special characters quoted.
    static func literalPattern(_ name: String) -> String {
        var pattern = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if "*?[]\\".unicodeScalars.contains(scalar) { pattern.append("\\") }
            pattern.append(scalar)
        }
        return String(pattern)
    }
}
