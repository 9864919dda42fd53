import Foundation
import Testing

@Suite("zipls extract")
struct ExtractCommandTests {
    /// What is at a path after extraction: kind, permission bits, mtime,
    /// link target, and the bytes of a file.
    struct Node: Equatable, CustomStringConvertible {
        var kind: Character
        var mode: Int
        var modified: Int
        var target: String?
        var bytes: Data?
        var description: String { "\(kind) \(String(mode, radix: 8)) \(modified) \(target ?? "") \(bytes?.count ?? 0)" }
    }

    static func tree(_ base: String) -> [String: Node] {
        var result: [String: Node] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return result }
        for case let relative as String in enumerator {
            let path = base + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            let kind: Character = type == S_IFLNK ? "l" : type == S_IFDIR ? "d" : "f"
            result[relative] = Node(kind: kind, mode: Int(info.st_mode & 0o7777), modified: info.st_mtim.tv_sec,
                                    target: kind == "l" ? try? FileManager.default.destinationOfSymbolicLink(atPath: path) : nil,
                                    bytes: kind == "f" ? FileManager.default.contents(atPath: path) : nil)
        }
        return result
    }

    /// Runs `command` under `sh` with umask 022 and a time zone that is not UTC.
    static func shell(_ command: String, in directory: URL) throws -> RunResult {
        try ZiplsProcess.run("/bin/sh", ["-c", "umask 022; export TZ=America/New_York; " + command], in: directory)
    }

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Archives written by real tools (Info-ZIP, Python, Java's jar) with
    /// directories, modes and links, none with a name hazard.
    /// The corpus files (fetched by Fixtures/make_corpus.py) add wheels
    /// from hatchling and maturin, a Maven jar with directory entries, and
    /// an EPUB zipped by Info-ZIP.
    static let realArchives = ["directories.zip", "mixed.zip", "wheel-like.zip", "sample.jar", "symlink.zip",
                               "extended-time.zip", "data-descriptor.zip", "zip64.zip", "prepended.zip", "deflated.zip",
                               "corpus/files/iniconfig-2.1.0-py3-none-any.whl",
                               "corpus/files/rpds_py-0.22.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                               "corpus/files/libcommons-cli-java_commons-cli.jar",
                               "corpus/files/live-manual-epub_live-manual.en.epub"]

    @Test(arguments: realArchives)
    func namesAndBytesMatchPythonsExtractall(_ fixture: String) throws {
        let python = try #require(ZiplsProcess.python, "python3 is needed")
        try ZiplsProcess.withTemporaryDirectory { directory in
            let archive = ZiplsProcess.fixture(fixture)
            let ours = try Self.shell("\(Self.quoted(ZiplsProcess.executable)) extract \(Self.quoted(archive)) -d ours",
                                      in: directory)
            #expect(ours.status == 0, "\(ours)")
            let theirs = try ZiplsProcess.run(python, ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
                                                       archive, directory.path + "/python"], in: directory)
            #expect(theirs.status == 0, "\(theirs)")
            // Python writes a link's target as a file's bytes: compare those
            // with the link itself.
            let mine = Self.tree(directory.path + "/ours")
            let python3 = Self.tree(directory.path + "/python")
            #expect(mine.keys.sorted() == python3.keys.sorted())
            for (path, node) in mine {
                guard let other = python3[path] else { continue }
                if node.kind == "l" {
                    #expect(other.bytes.map { String(decoding: $0, as: UTF8.self) } == node.target, "\(path)")
                } else {
                    #expect(node.kind == other.kind && node.bytes == other.bytes, "\(fixture): \(path)")
                }
            }
        }
    }

    @Test(arguments: realArchives)
    func modesTimesAndLinksMatchUnzip(_ fixture: String) throws {
        try #require(ZiplsProcess.which("unzip") != nil, "unzip is needed")
        try ZiplsProcess.withTemporaryDirectory { directory in
            let archive = Self.quoted(ZiplsProcess.fixture(fixture))
            let ours = try Self.shell("\(Self.quoted(ZiplsProcess.executable)) extract \(archive) -d ours", in: directory)
            #expect(ours.status == 0, "\(ours)")
            let theirs = try Self.shell("unzip -q \(archive) -d unzip", in: directory)
            #expect(theirs.status == 0 || theirs.status == 1, "\(theirs)")  // 1: a warning (prepended data)
            let mine = Self.tree(directory.path + "/ours")
            let unzip = Self.tree(directory.path + "/unzip")
            #expect(mine.keys.sorted() == unzip.keys.sorted(), "\(fixture)")
            let listed = Set(try ZiplsProcess.zipls("list", ZiplsProcess.fixture(fixture)).stdout.split(separator: "\n").map(String.init))
            for (path, node) in mine {
                guard var other = unzip[path] else { continue }
                // unzip leaves a link's own time at "now"; we restore it. A
                // directory no entry names was made "now" by both.
                if node.kind == "l" || (node.kind == "d" && !listed.contains(path + "/")) { other.modified = node.modified }
                #expect(node == other, "\(fixture): \(path): ours \(node), unzip \(other)")
            }
        }
    }

    /// libarchive's reading of the same archives: names, kinds, bytes,
    /// link targets and file times equal to bsdtar's.
    @Test(arguments: realArchives)
    func namesBytesLinksAndTimesMatchBsdtar(_ fixture: String) throws {
        try #require(ZiplsProcess.which("bsdtar") != nil, "bsdtar (libarchive-tools) is needed")
        try ZiplsProcess.withTemporaryDirectory { directory in
            let archive = Self.quoted(ZiplsProcess.fixture(fixture))
            let ours = try Self.shell("\(Self.quoted(ZiplsProcess.executable)) extract \(archive) -d ours", in: directory)
            #expect(ours.status == 0, "\(ours)")
            let theirs = try Self.shell("mkdir bsdtar && bsdtar -xf \(archive) -C bsdtar", in: directory)
            #expect(theirs.status == 0, "\(theirs)")
            let mine = Self.tree(directory.path + "/ours")
            let bsdtar = Self.tree(directory.path + "/bsdtar")
            #expect(mine.keys.sorted() == bsdtar.keys.sorted(), "\(fixture)")
            for (path, node) in mine {
                guard let other = bsdtar[path] else { continue }
                #expect(node.kind == other.kind && node.bytes == other.bytes && node.target == other.target,
                        "\(fixture): \(path): ours \(node), bsdtar \(other)")
                if node.kind == "f" { #expect(node.modified == other.modified, "\(fixture): \(path): ours \(node), bsdtar \(other)") }
            }
        }
    }

    /// Ctrl-C in the middle of a run: exit 130, a line saying so, every
    /// file present is complete, and no temporary name is left, with
    /// O_TMPFILE and on the path of a file system without it.
    @Test(arguments: [false, true])
    func anInterruptLeavesOnlyCompleteFiles(temporaryNames: Bool) throws {
        let python = try #require(ZiplsProcess.python, "python3 is needed")
        try ZiplsProcess.withTemporaryDirectory { directory in
            // 48 entries of 8 MiB of zeros: 384 MiB to write, from 400 KB.
            let made = try ZiplsProcess.run(python, ["-c", """
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                    for i in range(48):
                        z.writestr(f"part{i:02}.bin", bytes(8 << 20))
                """, "zeros.zip"], in: directory)
            #expect(made.status == 0, "\(made)")
            let destination = directory.path + "/out"
            let errPath = directory.path + "/stderr"
            let environment = ProcessInfo.processInfo.environment
                .merging(temporaryNames ? ["ZIPINDEX_NO_O_TMPFILE": "1"] : [:]) { $1 }
            // posix_spawn with SIGINT unblocked and at its default: a child
            // of Foundation's Process inherits the test runner's blocked mask.
            // One thread (-j 1): on every core the 48 files could all be in
            // place before a loaded machine lets this process see the first;
            // the library's parallel cancellation has its own, scheduling-
            // proof test (ParallelExtractionTests).
            let pid = try Self.spawn([ZiplsProcess.executable, "extract", directory.path + "/zeros.zip", "-d", destination,
                                      "--max-ratio", "100000", "-j", "1"], stderr: errPath, environment: environment)
            // Interrupt once the first file is in place.
            let start = ContinuousClock.now
            var status: Int32 = 0
            while (try? FileManager.default.contentsOfDirectory(atPath: destination))?
                .contains(where: { !$0.hasPrefix(".") }) != true,
                waitpid(pid, &status, WNOHANG) == 0, ContinuousClock.now - start < .seconds(30) {
                usleep(500)
            }
            kill(pid, SIGINT)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self)
            #expect(status & 0x7F == 0 && (status >> 8) & 0xFF == 130, "status \(status): \(stderr)")
            #expect(stderr.contains("interrupted (SIGINT); the entry being written was discarded"), "\(stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: destination).sorted()
            #expect(!left.isEmpty && left.count < 48, "\(left)")
            #expect(left.allSatisfy { !$0.hasPrefix(".") }, "a temporary name is left: \(left)")
            for name in left {
                let data = try #require(FileManager.default.contents(atPath: destination + "/" + name))
                #expect(data.count == 8 << 20 && !data.contains(where: { $0 != 0 }), "\(name) is \(data.count) bytes")
            }
        }
    }

    /// Starts `arguments` with stdin and stdout on /dev/null, stderr to
    /// `stderr`, every signal unblocked and SIGINT and SIGTERM at their
    /// defaults; returns its pid.
    static func spawn(_ arguments: [String], stderr: String, environment: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        try #require(result == 0, "posix_spawn: \(result)")
        return pid
    }

    @Test func theSummaryLineAndExitStatusTellWhatHappened() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let mixed = ZiplsProcess.fixture("mixed.zip")
            let first = try ZiplsProcess.zipls(["extract", mixed, "-d", "out/new"], in: directory)
            #expect(first.status == 0)
            #expect(first.stdout == "\(mixed): 4 entries extracted to out/new\n")
            #expect(first.stderr == "")

            // Existing files are kept: each one is a line, and exit 1.
            let again = try ZiplsProcess.zipls(["extract", mixed, "-d", "out/new"], in: directory)
            #expect(again.status == 1)
            #expect(again.stdout == "\(mixed): 0 entries extracted to out/new, 4 skipped\n")
            #expect(again.stderrLines.count == 4)
            #expect(again.stderrLines.allSatisfy { $0.contains("path exists") && $0.contains("is kept") })

            let overwrite = try ZiplsProcess.zipls(["extract", "--overwrite", mixed, "-d", "out/new"], in: directory)
            #expect(overwrite.status == 0)
        }
    }

    @Test func patternsAndExclusionsSelectEntries() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let result = try ZiplsProcess.zipls(["extract", ZiplsProcess.fixture("mixed.zip"), "*.txt", "-x", "dir/*",
                                                 "-x", "small*", "-d", "sel"], in: directory)
            #expect(result.status == 0, "\(result)")
            #expect(Self.tree(directory.path + "/sel").keys.sorted() == ["deflated.txt", "stored.txt"])
            let nomatch = try ZiplsProcess.zipls(["extract", ZiplsProcess.fixture("mixed.zip"), "nothing*", "-d", "none"],
                                                 in: directory)
            #expect(nomatch.status == 1)
            #expect(nomatch.stderrLines.count == 1 && nomatch.stderr.contains("no entry matches \"nothing*\""))
            #expect(nomatch.stdout == "")
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/none"))
        }
    }

    @Test func hostileNamesAreSkippedAndNothingLeavesTheDestination() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let hostile = ZiplsProcess.fixtures.appendingPathComponent("hostile/escaping-names.zip").path
            let result = try ZiplsProcess.zipls(["extract", hostile, "-d", "dest"], in: directory)
            #expect(result.status == 1)
            #expect(result.stderrLines.count == 6, "\(result)")
            #expect(result.stderr.contains("name is unsafe to extract in entry \"../x\": its \"..\" climbs out"))
            #expect(result.stderr.contains("in entry \"nul\\x00name\": it holds a NUL"), "escaped on the terminal")
            #expect(result.stderr.contains("path taken by an earlier entry in entry \"dup\""))
            let everything = Self.tree(directory.path).keys.sorted()
            #expect(everything == ["dest", "dest/dup"], "\(everything)")
        }
    }

    @Test func symlinkPoliciesAreOptions() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let archive = ZiplsProcess.fixture("symlink.zip")
            let none = try ZiplsProcess.zipls(["extract", "--symlinks", "none", archive, "-d", "none"], in: directory)
            #expect(none.status == 0)
            #expect(Self.tree(directory.path + "/none").values.allSatisfy { $0.kind != "l" })
            let bad = try ZiplsProcess.zipls(["extract", "--symlinks", "sideways", archive], in: directory)
            #expect(bad.status == 64)
        }
    }

    @Test func anUnreadableArchiveOrDestinationExits2() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let missing = try ZiplsProcess.zipls(["extract", "absent.zip"], in: directory)
            #expect(missing.status == 2)
            #expect(missing.stderrLines == ["zipls: absent.zip: no such file"])
            _ = FileManager.default.createFile(atPath: directory.path + "/file", contents: Data())
            let blocked = try ZiplsProcess.zipls(["extract", ZiplsProcess.fixture("mixed.zip"), "-d", "file"], in: directory)
            #expect(blocked.status == 2)
            #expect(blocked.stderr.contains("file: not a directory"), "\(blocked)")
        }
    }

    @Test func aBadEntryLeavesNoFile() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let result = try ZiplsProcess.zipls(["extract", ZiplsProcess.fixture("crc-corrupt.zip"), "-d", "out"], in: directory)
            #expect(result.status == 1)
            #expect(result.stderr.contains("CRC-32 mismatch"))
            let written = Self.tree(directory.path + "/out")
            #expect(written.keys.allSatisfy { !$0.contains("zipindex") })
            let listed = try ZiplsProcess.zipls(["list", ZiplsProcess.fixture("crc-corrupt.zip")])
            #expect(written.count < listed.stdout.split(separator: "\n").count)
        }
    }

    @Test func helpDocumentsEveryOption() throws {
        let help = try ZiplsProcess.zipls("help", "extract")
        #expect(help.status == 0)
        for text in ["-d <dir>", "-x <pattern>", "--overwrite", "--symlinks", "--preserve-permissions", "--no-times",
                     "--max-size", "--max-total", "--max-ratio", "Exit status 0", "trusted archives"] {
            #expect(help.stdout.contains(text), "missing \(text)")
        }
    }
}
