import Foundation
import Testing
@testable import zipls

@Suite("zipls list")
struct ListCommandTests {
    private func run(_ arguments: String...) throws -> RunResult {
        try ZiplsProcess.zipls(arguments)
    }

    @Test func printsOneNamePerLineInDirectoryOrder() throws {
        let result = try run("list", "wheel-like.zip")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            ns/only/mod.py
            pkg/__init__.py
            pkg/data.txt
            pkg/mod.py
            pkg/sub/__init__.py
            pkg/sub/deep.py
            top.py

            """)
    }

    /// `zipls ARCHIVE` alone skips the argument parser (Zipls.isPlainArchive);
    /// it must do exactly what `zipls list ARCHIVE` does, failures included.
    @Test(arguments: ["wheel-like.zip", "duplicate-names.zip", "empty.zip", "comment-truncated.zip", "no-such.zip", "hostile/escaping-names.zip"] as [String])
    func loneArchiveArgumentListsExactlyAsListDoes(_ archive: String) throws {
        let bare = try ZiplsProcess.zipls([archive])
        let list = try ZiplsProcess.zipls(["list", archive])
        #expect(bare.status == list.status)
        #expect(bare.stdoutBytes == list.stdoutBytes)
        #expect(bare.stderr == list.stderr)
        #expect(!bare.signaled)
    }

    /// A lone argument spelled like a command or an option goes to the
    /// parser: `zipls info` is `info` missing its archive (usage, 64).
    @Test func loneCommandNameIsNotTakenForAnArchive() throws {
        let info = try ZiplsProcess.zipls(["info"])
        #expect(info.status == 64)
        let help = try ZiplsProcess.zipls(["help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE"))
        let version = try ZiplsProcess.zipls(["--no-such-option"])
        #expect(version.status == 64)
    }

    @Test func bareArchiveArgumentMeansList() throws {
        for arguments in [["-l"], ["--json"], [], ["*.txt"]] {
            let bare = try ZiplsProcess.zipls(["mixed.zip"] + arguments)
            let list = try ZiplsProcess.zipls(["list", "mixed.zip"] + arguments)
            #expect(bare.status == 0 && list.status == 0)
            #expect(bare.stdoutBytes == list.stdoutBytes, "\(arguments)")
            #expect(!bare.stdoutBytes.isEmpty)
        }
    }

    @Test func duplicateNamesAreAllListed() throws {
        let result = try run("duplicate-names.zip")
        #expect(result.stdout == "dup.txt\nother.txt\ndup.txt\n")
    }

    @Test func emptyArchiveListsNothing() throws {
        let result = try run("empty.zip")
        #expect(result.status == 0)
        #expect(result.stdout == "" && result.stderr == "")
    }

    @Test func patternsSelectWholeNamesAndStarCrossesSlashes() throws {
        let txt = try run("directories.zip", "*.txt")
        #expect(txt.status == 0)
        #expect(txt.stdout == "a/b/c.txt\ntop.txt\n")
        let dirs = try run("directories.zip", "*/")
        #expect(dirs.stdout == "a/\na/b/\nempty/\n")
        let several = try run("wheel-like.zip", "pkg/[ds]*", "top.p?")
        #expect(several.stdout == "pkg/data.txt\npkg/sub/__init__.py\npkg/sub/deep.py\ntop.py\n")
        let nonASCII = try run("utf8-flag.zip", "caf?/*")
        #expect(nonASCII.stdout == "café/\ncafé/naïve.txt\n")
        let partial = try run("stored.zip", "hello")  // not a prefix match
        #expect(partial.stdout == "")
        #expect(partial.status == 1)
    }

    @Test func patternMatchingNothingIsReportedAfterTheListingWithExit1() throws {
        let result = try run("stored.zip", "*.txt", "*.md", "nope")
        #expect(result.status == 1)
        #expect(result.stdout == "hello.txt\nlorem.txt\nnumbers.txt\n")
        #expect(result.stderrLines == [
            "zipls: stored.zip: no entry matches \"*.md\"",
            "zipls: stored.zip: no entry matches \"nope\"",
        ])
    }

    @Test func longListingPrintsNoTableWhenThePatternsSelectNothing() throws {
        let result = try run("list", "-l", "stored.zip", "b.zip", "nope*")
        #expect(result.status == 1)
        #expect(result.stdout == "", "\(result)")
        #expect(result.stderrLines == [
            "zipls: stored.zip: no entry matches \"b.zip\"",
            "zipls: stored.zip: no entry matches \"nope*\"",
        ])
        // One pattern that matches: the table, then the report.
        let some = try run("list", "-l", "stored.zip", "hello.txt", "b.zip")
        #expect(some.status == 1)
        #expect(some.stdout.hasPrefix("Mode "), "\(some)")
        #expect(some.stdout.hasSuffix("1 entry\n"), "\(some)")
    }

    @Test func longListingOfAnEmptyArchiveIsAnEmptyTable() throws {
        let result = try run("list", "-l", "empty.zip")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Mode "), "\(result)")
        #expect(result.stdout.hasSuffix("0 entries\n"), "\(result)")
    }

    @Test func longListingShowsASymlinksTargetEscapedAndCapped() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("evil", "\u{1B}[2J../x\n", unixMode: 0o120777)
            builder.add("long", String(repeating: "d/", count: 3000), unixMode: 0o120777)
            builder.add("file", "not a link")
            try builder.write(to: directory.appendingPathComponent("l.zip"))
            let result = try ZiplsProcess.zipls("list", "-l", "l.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            let rows = result.stdout.split(separator: "\n").dropFirst().map(String.init)
            #expect(rows.count == 4, "\(result)")
            #expect(rows[0].hasSuffix(#"  evil -> \x1b[2J../x\n"#), "\(result)")
            #expect(rows[1].hasSuffix("  long -> " + String(repeating: "d/", count: 2048)), "\(result)")
            #expect(rows[2].hasSuffix("  file"), "\(result)")
        }
    }

    @Test func longListingNamesTheEncryptionOfEncryptedEntries() throws {
        let result = try run("list", "-l", "encrypted.zip")
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").map(String.init)
        #expect(rows[0].contains("  Method              Modified"), "\(result)")
        #expect(rows[1].contains("  zipcrypto/deflated  2"), "\(result)")
        #expect(rows[2].contains("  zipcrypto/stored    2"), "\(result)")
    }

    @Test func longListingShowsTheRealMethodOfWinZipAESEntries() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            // 0x9901, 7 bytes: AE-2, "AE", AES-256, the real method.
            func aes(_ method: UInt8) -> [UInt8] { [0x01, 0x99, 7, 0, 2, 0, 0x41, 0x45, 3, method, 0] }
            var builder = ZipBuilder()
            builder.entries.append(.init(name: Array("a.txt".utf8), data: Array("x".utf8), method: 99, flags: 1,
                                         centralExtra: [0x55, 0x54, 1, 0, 0] + aes(8)))
            builder.entries.append(.init(name: Array("b.txt".utf8), data: Array("y".utf8), method: 99, flags: 1,
                                         centralExtra: aes(0)))
            builder.entries.append(.init(name: Array("c.txt".utf8), data: Array("z".utf8), method: 99, flags: 1))
            try builder.write(to: directory.appendingPathComponent("aes.zip"))
            let result = try ZiplsProcess.zipls("list", "-l", "aes.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            let rows = result.stdout.split(separator: "\n").map(String.init)
            #expect(rows[1].contains("  aes/deflated  2"), "\(result)")
            #expect(rows[2].contains("  aes/stored    2"), "\(result)")
            #expect(rows[3].contains("  aes/?         2"), "\(result)")
        }
    }

    @Test func longListingIsATableWithTotals() throws {
        let result = try run("list", "--long", "duplicate-names.zip")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            Mode        Size  Compressed  Ratio  Method    Modified             CRC-32    Name
            -rw-r--r--    14          14     0%  stored    2020-01-02 03:04:06  ab07b715  dup.txt
            -rw-r--r--    10          10     0%  stored    2020-01-02 03:04:06  c0d16152  other.txt
            -rw-r--r--    30          32    -6%  deflated  2020-01-02 03:04:06  c8aa0fb7  dup.txt
            total         54          56    -3%                                           3 entries

            """)
    }

    @Test func longListingShowsFileTypesAndUnknownModes() throws {
        let symlink = try run("-l", "symlink.zip")
        #expect(symlink.stdout.contains("lrwxrwxrwx    10          10     0%  stored  2020-01-02 03:04:06  00a4ba49  link -> target.txt\n"))
        let directories = try run("-l", "directories.zip", "a*")
        #expect(directories.stdout == """
            Mode        Size  Compressed  Ratio  Method  Modified             CRC-32    Name
            drwxr-xr-x     0           0     0%  stored  2020-01-02 03:04:06  00000000  a/
            drwxr-xr-x     0           0     0%  stored  2020-01-02 03:04:06  00000000  a/b/
            -rw-r--r--     2           2     0%  stored  2020-01-02 03:04:06  efdcc385  a/b/c.txt
            total          2           2     0%                                         3 entries

            """)
        // Made by MS-DOS: no Unix mode to show.
        let dos = try run("-l", "cp437.zip", "plain.txt")
        #expect(dos.stdout.split(separator: "\n")[1] == "-?????????    11          11     0%  stored  2020-01-02 03:04:06  49a3bbbb  plain.txt")
        #expect(dos.stdout.hasSuffix("1 entry\n"))
    }

    @Test func longListingColumnsWidenToFitTheTotals() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("big", bytes: Array(repeating: 0x41, count: 123_456))
            builder.add("small", "x", unixMode: 0o100755)
            try builder.write(to: directory.appendingPathComponent("wide.zip"))
            let result = try ZiplsProcess.zipls("-l", "wide.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == """
                Mode          Size  Compressed  Ratio  Method  Modified             CRC-32    Name
                -rw-r--r--  123456      123456     0%  stored  2020-01-02 03:04:06  73a124b8  big
                -rwxr-xr-x       1           1     0%  stored  2020-01-02 03:04:06  8cdc1683  small
                total       123457      123457     0%                                         2 entries

                """)
        }
    }

    @Test func longAndJSONTogetherIsAUsageError() throws {
        let result = try run("list", "-l", "--json", "stored.zip")
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("Error: --long and --json cannot be used together."))
    }

    @Test func jsonListingHasTheDocumentedShape() throws {
        let result = try run("list", "--json", "prepended.zip")
        #expect(result.status == 0 && result.stderr == "")
        #expect(result.stdout == """
            {"archive":"prepended.zip","comment":"","zip64":false,"prependedBytes":64,"centralDirectoryOffset":373,"entries":[
            {"name":"hello.txt","method":8,"compressedSize":19,"uncompressedSize":56,"crc32":1756790481,"localHeaderOffset":64,"modified":"2020-01-02T03:04:06","isDirectory":false,"isEncrypted":false,"unixMode":33188},
            {"name":"lorem.txt","method":8,"compressedSize":212,"uncompressedSize":3300,"crc32":1748433152,"localHeaderOffset":122,"modified":"2020-01-02T03:04:06","isDirectory":false,"isEncrypted":false,"unixMode":33188}
            ]}

            """)
        let empty = try run("--json", "empty.zip")
        let object = try #require(try parseJSON(empty.stdoutBytes) as? [String: Any])
        #expect((object["entries"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonListingFiltersWithPatternsAndStaysValid() throws {
        let result = try run("--json", "directories.zip", "*/", "nothing*")
        #expect(result.status == 1)
        #expect(result.stderrLines == ["zipls: directories.zip: no entry matches \"nothing*\""])
        let object = try #require(try parseJSON(result.stdoutBytes) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String } == ["a/", "a/b/", "empty/"])
        #expect(entries.allSatisfy { $0["isDirectory"] as? Bool == true })
        #expect(entries.map { $0["unixMode"] as? Int } == [0o40755, 0o40755, 0o40755])
    }

    @Test func hostileNamesStayValidJSONAndRoundTrip() throws {
        let names = ["quote\"d", "back\\slash", "new\nline", "tab\tcr\r", "ctl\u{01}\u{1F}\u{7F}", "ünï€😀", "/abs", "../up", "{}[],:"]
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            for name in names { builder.add(name, "x") }
            builder.comment = Array("comment with \"quotes\"\nand a newline".utf8)
            try builder.write(to: directory.appendingPathComponent("hostile.zip"))
            let result = try ZiplsProcess.zipls("list", "--json", "hostile.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            let object = try #require(try parseJSON(result.stdoutBytes) as? [String: Any])
            let entries = try #require(object["entries"] as? [[String: Any]])
            #expect(entries.map { $0["name"] as? String } == names)
            #expect(object["comment"] as? String == "comment with \"quotes\"\nand a newline")
            // The plain listing escapes them; --null writes them raw.
            let plain = try ZiplsProcess.zipls("hostile.zip", in: directory)
            #expect(plain.stdout == names.map { Diagnostics.escaped($0) + "\n" }.joined())
            let null = try ZiplsProcess.zipls("list", "-0", "hostile.zip", in: directory)
            #expect(null.stdoutBytes == Array(names.map { $0 + "\0" }.joined().utf8))
        }
    }

    @Test func unreadableArchivesExit2WithOneLineOnStderr() throws {
        let missing = try run("no-such.zip")
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(missing.stderrLines == ["zipls: no-such.zip: no such file"])

        let notZip = try run("README.md")
        #expect(notZip.status == 2)
        #expect(notZip.stderrLines == ["zipls: README.md: not a zip archive (no end of central directory record)"])

        let truncated = try run("--json", "truncated.zip")
        #expect(truncated.status == 2 && truncated.stdout == "")
        #expect(truncated.stderrLines == ["zipls: truncated.zip: not a zip archive (no end of central directory record)"])

        let directory = try run("-l", ".")
        #expect(directory.status == 2 && directory.stdout == "")
        #expect(directory.stderrLines.count == 1)
        #expect(directory.stderrLines == ["zipls: .: is a directory"])

        let device = try run("/dev/null")
        #expect(device.status == 2)
        #expect(device.stderrLines == ["zipls: /dev/null: not a regular file (a character device)"])

        let underAFile = try run("stored.zip/inside.zip")
        #expect(underAFile.stderrLines == ["zipls: stored.zip/inside.zip: a component of the path is not a directory"])
    }

    /// A FIFO used to block `open` until a writer came. It is opened
    /// without blocking and refused at once.
    @Test func aFIFOIsRefusedWithoutHanging() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let fifo = directory.appendingPathComponent("pipe.zip").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let result = try ZiplsProcess.run("/usr/bin/timeout", ["10", ZiplsProcess.executable, "list", "pipe.zip"],
                                              in: directory)
            #expect(result.status == 2, "124 would mean it hung: \(result)")
            #expect(result.stderrLines == ["zipls: pipe.zip: not a regular file (a FIFO or pipe)"])
        }
    }

    /// Go issue 66869: a comment length running past the end of the file.
    /// Python accepts it (keeping the bytes present); we refuse it, like Go.
    @Test func commentRunningPastTheEndIsRefused() throws {
        let result = try run("comment-truncated.zip")
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderrLines == [
            "zipls: comment-truncated.zip: archive comment runs past the end of the file at offset 113: comment length 26, 16 bytes follow the record",
        ])
    }
}
