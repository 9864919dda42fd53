import Foundation
import Testing

/// The parts of the contract shared by every command: help, usage errors,
/// the exit codes, and never crashing.
@Suite("zipls contract")
struct ContractTests {
    @Test(arguments: ["--version", "-V"])
    func versionIsPrinted(_ flag: String) throws {
        let result = try ZiplsProcess.zipls(flag)
        #expect(result.status == 0)
        #if ISAL
        #expect(result.stdout == "zipls 0.1.0 (inflate: ISA-L igzip)\n")
        #else
        #expect(result.stdout.hasPrefix("zipls 0.1.0 (inflate: zlib 1."), "\(result.stdout)")
        #endif
        #expect(result.stderr == "")
    }

    /// `zipls unpack a.zip` must not say "no such file: unpack".
    @Test func aWordThatIsNeitherACommandNorAFileIsAnUnknownCommand() throws {
        for arguments in [["unpack", "stored.zip"], ["unpack"], ["lst", "stored.zip", "a"]] {
            let result = try ZiplsProcess.zipls(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stdout == "")
            #expect(result.stderrLines == ["zipls: no such command or file: \(arguments[0]) (the commands are list, info, test, cat, find, extract, and help)"])
        }
        // An existing file named like a word is still an archive.
        try ZiplsProcess.withTemporaryDirectory { directory in
            try Data(contentsOf: ZiplsProcess.fixtures.appendingPathComponent("stored.zip"))
                .write(to: directory.appendingPathComponent("unpack"))
            let result = try ZiplsProcess.zipls(["unpack"], in: directory)
            #expect(result.status == 0, "\(result)")
        }
        // A missing archive with a dot or a slash is a missing file.
        #expect(try ZiplsProcess.zipls("missing.zip").stderrLines == ["zipls: missing.zip: no such file"])
    }

    @Test func helpDocumentsCommandsPatternsAndExitCodes() throws {
        let result = try ZiplsProcess.zipls("--help")
        #expect(result.status == 0)
        for text in ["list (default)", "info", "test", "cat", "EXIT STATUS", "  0   success", "  1   the archive was read",
                     "  2   the archive cannot be read", "  64  usage error", "[!abc]", "zipls: ARCHIVE: cause"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
        let list = try ZiplsProcess.zipls("help", "list")
        #expect(list.status == 0)
        for key in ["\"archive\"", "\"prependedBytes\"", "\"localHeaderOffset\"", "\"unixMode\": int|null", "--long", "--json"] {
            #expect(list.stdout.contains(key), "missing \(key)")
        }
        let test = try ZiplsProcess.zipls("test", "--help")
        #expect(test.stdout.contains("ARCHIVE: N entries tested, K bad"))
    }

    @Test(arguments: [
        ["--bogus"], [], ["stored.zip", "--bogus"], ["info"], ["info", "stored.zip", "hello.txt", "extra"],
        ["test"], ["cat"], ["cat", "stored.zip"], ["list", "-l", "--json", "stored.zip"], ["info", "-l", "stored.zip"],
    ])
    func usageErrorsExit64WithNothingOnStdout(_ arguments: [String]) throws {
        let result = try ZiplsProcess.zipls(arguments)
        #expect(result.status == 64, "\(arguments): \(result)")
        #expect(result.stderr.contains("Error: "), "\(arguments)")
        #expect(!result.signaled)
    }

    /// Every command on every fixture: an exit code of the contract, never
    /// a signal, and every stderr line in the `zipls: ARCHIVE: …` form.
    @Test(arguments: ZiplsProcess.allFixtures)
    func everyCommandOnEveryFixtureExitsCleanly(_ fixture: String) throws {
        // (`list --json` and `test` run on every fixture in the Python and
        // unzip comparisons, with the same checks.)
        let commands: [[String]] = [
            ["-l", fixture], ["info", fixture], ["info", "--json", fixture],
            ["cat", fixture, "hello.txt", "dup.txt", "a/", "link"],
        ]
        for command in commands {
            let result = try ZiplsProcess.zipls(command)
            #expect(!result.signaled, "\(command)")
            #expect([0, 1, 2].contains(result.status), "\(command): \(result)")
            #expect(result.stderrLines.allSatisfy { $0.hasPrefix("zipls: \(fixture): ") }, "\(command): \(result)")
            if command.contains("--json"), result.status == 0 {
                #expect((try? parseJSON(result.stdoutBytes)) != nil, "\(command) printed invalid JSON")
            }
        }
    }

    /// Damaged archives, byte by byte in their structures: whatever the
    /// damage, `zipls` answers with 0, 1 or 2, never a crash.
    @Test(arguments: ["stored.zip", "zip64.zip", "data-descriptor-zip64.zip", "unicode-path-extra.zip"])
    func damagedArchivesNeverCrash(_ fixture: String) throws {
        let original = [UInt8](try Data(contentsOf: ZiplsProcess.fixtures.appendingPathComponent(fixture)))
        try ZiplsProcess.withTemporaryDirectory { directory in
            // Positions across the whole file, denser at the end where the
            // directory and end records live.
            var positions = Set(stride(from: 0, to: original.count, by: max(1, original.count / 6)))
            positions.formUnion(stride(from: max(0, original.count - 150), to: original.count, by: 13))
            for (number, position) in positions.sorted().enumerated() {
                var damaged = original
                damaged[position] = number % 2 == 0 ? 0xFF : damaged[position] ^ 0x01
                let name = "damaged-\(position).zip"
                try Data(damaged).write(to: directory.appendingPathComponent(name))
                for command in [["test", name], ["-l", name], ["--json", name]] {
                    let result = try ZiplsProcess.zipls(command, in: directory)
                    #expect(!result.signaled, "\(fixture) byte \(position): \(command)")
                    #expect([0, 1, 2].contains(result.status), "\(fixture) byte \(position): \(command): \(result)")
                    #expect(result.stderrLines.allSatisfy { $0.hasPrefix("zipls: \(name): ") }, "\(result)")
                }
            }
        }
    }

    /// An archive bigger than a pipe holds, both in data and in listing.
    static let bigArchive: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zipls-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var builder = ZipBuilder()
        builder.add("big", bytes: Array(repeating: 0x61, count: 1 << 20))
        for index in 0 ..< 20_000 { builder.add("entry-\(index).txt", "") }
        let url = directory.appendingPathComponent("big.zip")
        try? builder.write(to: url)
        return url
    }()

    /// A closed pipe (`zipls … | head`) ends the command quietly with the
    /// status so far, not with SIGPIPE.
    @Test(arguments: [["cat", "big.zip", "big"], ["list", "--json", "big.zip"], ["big.zip"]])
    func closedPipeEndsQuietly(_ command: [String]) throws {
        guard let bash = ZiplsProcess.which("bash") else { return }
        let directory = Self.bigArchive.deletingLastPathComponent()
        let line = ([ZiplsProcess.executable] + command).map { "'\($0)'" }.joined(separator: " ")
        let result = try ZiplsProcess.run(bash, ["-c", "\(line) | head -c 10 > /dev/null; echo ${PIPESTATUS[0]}"], in: directory)
        #expect(result.stdout == "0\n", "\(result)")
        #expect(result.stderr == "")
    }

    @Test func writeErrorOnStdoutIsReportedWithExit2() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let result = try ZiplsProcess.zipls("cat", "stored.zip", "lorem.txt", stdout: "/dev/full")
        #expect(result.status == 2)
        #expect(result.stderrLines == ["zipls: standard output: No space left on device"])
        let list = try ZiplsProcess.zipls("-l", "stored.zip", stdout: "/dev/full")
        #expect(list.status == 2)
        #expect(list.stderrLines == ["zipls: standard output: No space left on device"])
    }

    @Test func controlCharactersInMessagesAreEscaped() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("ok", "x")
            try builder.write(to: directory.appendingPathComponent("a.zip"))
            let result = try ZiplsProcess.zipls("cat", "a.zip", "evil\nname\u{1B}[2J", in: directory)
            #expect(result.status == 1)
            #expect(result.stderrLines == ["zipls: a.zip: no entry matches \"evil\\nname\\x1b[2J\""])
        }
    }
}
