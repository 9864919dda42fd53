import Foundation
import Testing
@testable import ZipIndex

/// Extraction that cannot be turned against the user. Each test states
/// what must and must not exist afterwards.
@Suite("Safe extraction")
struct ExtractionTests {
    typealias Member = HandmadeArchive.Member

    static func file(_ name: String, _ text: String = "data", mode: UInt32 = 0o100644) -> Member {
        Member(name: Array(name.utf8), data: Array(text.utf8), mode: mode)
    }

    static func link(_ name: String, to target: String) -> Member {
        Member(name: Array(name.utf8), data: Array(target.utf8), mode: 0o120777)
    }

    static func directory(_ name: String, mode: UInt32 = 0o040755) -> Member {
        Member(name: Array(name.utf8), data: [], mode: mode)
    }

    /// A scratch directory holding `dest/` (the destination) and
    /// `outside/` (which nothing may touch).
    struct Scratch {
        let root: String
        var destination: String { root + "/dest" }
        var outside: String { root + "/outside" }

        init() throws {
            root = try Fixture.scratch()
            try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        }

        func extract(_ members: [Member], options: ExtractionOptions = ExtractionOptions(),
                     limits: ReadLimits = .default) throws -> ExtractionReport {
            try ZipArchive(bytes: HandmadeArchive.build(members), limits: limits).extract(to: destination, options: options)
        }

        /// Every path below `directory`, relative, sorted; links not followed.
        func tree(_ directory: String? = nil) -> [String] {
            let base = directory ?? destination
            guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
            return (enumerator.allObjects as? [String] ?? []).sorted()
        }

        func contents(_ path: String) -> String? {
            FileManager.default.contents(atPath: destination + "/" + path).map { String(decoding: $0, as: UTF8.self) }
        }

        func linkTarget(_ path: String) -> String? {
            try? FileManager.default.destinationOfSymbolicLink(atPath: destination + "/" + path)
        }

        func mode(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: destination + "/" + path))?[.posixPermissions] as? Int
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    func codes(_ report: ExtractionReport) -> [Int: ZipError.Code] {
        Dictionary(uniqueKeysWithValues: report.problems.map { ($0.entry, $0.error.code) })
    }

    @Test func entriesDirectoriesAndContentsAreWritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let report = try scratch.extract([Self.directory("d/"), Self.file("d/a.txt", "alpha"), Self.file("top", "t"),
                                          Self.file("deep/er/b", "beta")])
        #expect(report.isComplete)
        #expect(report.written == 4)
        #expect(report.bytesWritten == 10)
        #expect(scratch.tree() == ["d", "d/a.txt", "deep", "deep/er", "deep/er/b", "top"])
        #expect(scratch.contents("d/a.txt") == "alpha")
        #expect(scratch.contents("deep/er/b") == "beta")
    }

    @Test func patternsIncludeAndExcludeEntries() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let options = ExtractionOptions(include: [NamePattern("*.txt"), NamePattern("keep/*")],
                                        exclude: [NamePattern("*/skip*")])
        let report = try scratch.extract([Self.file("a.txt"), Self.file("b.bin"), Self.file("keep/c.bin"),
                                          Self.file("keep/skip.txt"), Self.file("d/skip-me.txt")], options: options)
        #expect(report.isComplete)
        #expect(scratch.tree() == ["a.txt", "keep", "keep/c.bin"])
    }

    @Test func progressIsReportedAfterEachEntry() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archive = try ZipArchive(bytes: HandmadeArchive.build([Self.file("a"), Self.file("../bad"), Self.file("b")]))
        var seen: [(String, Int, Int)] = []
        _ = try archive.extract(to: scratch.destination) { seen.append(($0.entry.name, $0.done, $0.total)) }
        #expect(seen.map(\.0) == ["a", "b"], "the unsafe name gets no path, so no step")
        #expect(seen.map(\.1) == [1, 2])
        #expect(seen.allSatisfy { $0.2 == 2 })
    }

    @Test func unsafeNamesAreSkippedAndNothingLeavesTheDestination() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let names = ["../outside/escaped", "/\(scratch.outside)/absolute", "a\\..\\..\\outside\\b", "C:x", "nul\u{0}x",
                     "ok/../../outside/climb", "fine.txt"]
        let report = try scratch.extract(names.map { Self.file($0) })
        #expect(codes(report) == [0: .unsafeName, 1: .unsafeName, 2: .unsafeName, 3: .unsafeName, 4: .unsafeName,
                                  5: .unsafeName])
        #expect(scratch.tree() == ["fine.txt"])
        #expect(scratch.tree(scratch.outside).isEmpty)
    }

    @Test func aLinkToTheRootIsNotMadeAndNoFileGoesThroughIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Links are made last, so the file makes a real directory "l".
        let report = try scratch.extract([Self.link("l", to: scratch.outside), Self.file("l/through", "x")])
        #expect(codes(report) == [0: .symlinkOutsideDestination])
        #expect(scratch.tree() == ["l", "l/through"])
        #expect(scratch.linkTarget("l") == nil)
        #expect(scratch.tree(scratch.outside).isEmpty)
    }

    @Test func evenWithAllLinksAFileIsNeverWrittenThroughOne() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let report = try scratch.extract([Self.link("l", to: scratch.outside), Self.file("l/through", "x")],
                                         options: ExtractionOptions(symlinks: .all))
        #expect(codes(report) == [0: .fileExists])  // the directory "l" is in the way
        #expect(scratch.tree(scratch.outside).isEmpty)
    }

    @Test func aLinkChainThatLeadsOutsideIsRemoved() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // a/up -> .. is the destination itself: inside. b -> a/up/.. reads
        // as "a" lexically but is the destination's parent on disk.
        let report = try scratch.extract([Self.directory("a/"), Self.link("a/up", to: ".."), Self.link("b", to: "a/up/..")])
        #expect(codes(report) == [2: .symlinkOutsideDestination])
        #expect(scratch.linkTarget("a/up") == "..")
        #expect(scratch.linkTarget("b") == nil)
    }

    @Test func aLinkMadeHarmfulByALaterLinkIsRemovedToo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // b -> a/up/.. is inside while a/up does not exist; a/up -> .. then
        // makes it lead out.
        let report = try scratch.extract([Self.directory("a/"), Self.link("b", to: "a/up/.."), Self.link("a/up", to: "..")])
        #expect(codes(report) == [1: .symlinkOutsideDestination])
        #expect(scratch.linkTarget("b") == nil)
        #expect(scratch.linkTarget("a/up") == "..")
    }

    @Test func linksInsideAreMadeAndNoneMakesNone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let members = [Self.file("dir/target", "t"), Self.link("dir/rel", to: "target"), Self.link("up", to: "dir/../dir/target")]
        let report = try scratch.extract(members)
        #expect(report.isComplete)
        #expect(scratch.linkTarget("dir/rel") == "target")
        #expect(scratch.contents("up") == "t")

        let none = try Scratch()
        defer { none.remove() }
        let skipped = try none.extract(members, options: ExtractionOptions(symlinks: .none))
        #expect(skipped.isComplete)
        #expect(skipped.skippedSymlinks == 2)
        #expect(none.tree() == ["dir", "dir/target"])
    }

    @Test func aLinkThenADirectoryOfTheSameNameKeepsTheDirectory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let report = try scratch.extract([Self.link("x", to: "elsewhere"), Self.directory("x/"), Self.file("x/f", "f")])
        // "x" and "x/" are one path; the link, made last, finds "x" taken.
        #expect(codes(report) == [0: .fileExists, 1: .nameCollision])
        #expect(scratch.linkTarget("x") == nil)
        #expect(scratch.contents("x/f") == "f")
    }

    @Test func aSymlinkAlreadyOnDiskIsNotFollowed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.destination, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.destination + "/evil", withDestinationPath: scratch.outside)
        let report = try scratch.extract([Self.file("evil/planted", "x"), Self.file("safe", "s")])
        #expect(codes(report) == [0: .fileExists])
        #expect(report.problems.first?.error.detail?.contains("in the way") == true)
        #expect(scratch.tree(scratch.outside).isEmpty)
        #expect(scratch.contents("safe") == "s")
    }

    @Test func theDestinationMayItselfBeALink() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createSymbolicLink(atPath: scratch.destination, withDestinationPath: scratch.outside)
        let report = try scratch.extract([Self.file("a", "a")])
        #expect(report.isComplete)
        #expect(scratch.tree(scratch.outside) == ["a"], "the user chose that directory")
    }

    @Test func collidingNamesWriteTheFirstAndSkipTheRest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let report = try scratch.extract([Self.file("dup", "first"), Self.file("dup", "second"), Self.file("a/b", "ab"),
                                          Self.file("a/./b", "dot"), Self.file("README", "upper"), Self.file("readme", "lower")])
        #expect(codes(report) == [1: .nameCollision, 3: .nameCollision])
        #expect(scratch.contents("dup") == "first")
        #expect(scratch.contents("a/b") == "ab")
        #expect(scratch.contents("readme") == "lower", "this destination tells case apart")
    }

    @Test func namesEqualIgnoringCaseCollideOnACaseInsensitiveDestination() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // No case-folding file system here: the probe's answer is injected.
        let report = try scratch.extract([Self.file("README", "upper"), Self.file("readme", "lower")],
                                         options: ExtractionOptions(caseInsensitiveDestination: true))
        #expect(codes(report) == [1: .nameCollision])
        #expect(scratch.tree() == ["README"])
        #expect(try ExtractionDestination(path: scratch.destination).isCaseInsensitive() == false)
    }

    @Test func anExistingFileIsKeptUnlessOverwriteIsAsked() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.destination, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: scratch.destination + "/f", contents: Data("mine".utf8))
        let kept = try scratch.extract([Self.file("f", "theirs")])
        #expect(codes(kept) == [0: .fileExists])
        #expect(scratch.contents("f") == "mine")
        let replaced = try scratch.extract([Self.file("f", "theirs")], options: ExtractionOptions(overwrite: true))
        #expect(replaced.isComplete)
        #expect(scratch.contents("f") == "theirs")
        #expect(scratch.tree() == ["f"], "no temporary name is left")
    }

    @Test func anExistingFileIsReplacedByALinkOnlyOnRequestAndADirectoryNever() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.destination + "/dir", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: scratch.destination + "/l", contents: Data("mine".utf8))
        // A spare name a hostile archive could guess is never removed.
        FileManager.default.createFile(atPath: scratch.destination + "/.l.zipindex-new-\(getpid())-0", contents: Data())
        let members = [Self.file("target", "t"), Self.link("l", to: "target"), Self.link("dir", to: "target")]
        let kept = try scratch.extract(members)
        #expect(codes(kept) == [1: .fileExists, 2: .fileExists])
        #expect(scratch.contents("l") == "mine")
        let replaced = try scratch.extract(members, options: ExtractionOptions(overwrite: true))
        #expect(codes(replaced) == [2: .fileExists], "a directory is never replaced")
        #expect(scratch.linkTarget("l") == "target")
        #expect(scratch.linkTarget("dir") == nil)
        #expect(scratch.tree().contains(".l.zipindex-new-\(getpid())-0"))
    }

    @Test func aBadEntryLeavesNoFileAndNoTemporaryFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archive = try Fixture.open("crc-corrupt.zip")
        let report = try archive.extract(to: scratch.destination)
        #expect(report.problems.map(\.error.code).contains(.checksumMismatch))
        let bad = Set(report.problems.map(\.entry))
        for entry in archive.entries {
            let exists = FileManager.default.fileExists(atPath: scratch.destination + "/" + entry.name)
            #expect(exists == !bad.contains(entry.index), "\(entry.name)")
        }
        #expect(scratch.tree().allSatisfy { !$0.contains("zipindex") })
    }

    @Test func aBombStopsAtTheLimitAndLeavesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let big = Member(name: Array("bomb".utf8), data: [UInt8](repeating: 0x41, count: 4096))
        let report = try scratch.extract([big, Self.file("small", "s")],
                                         limits: ReadLimits(maximumEntrySize: 1024))
        #expect(codes(report) == [0: .limitExceeded])
        #expect(scratch.tree() == ["small"])
    }

    @Test func permissionsDropSpecialBitsAndFollowTheUmask() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let mask = umask(0o022)
        defer { umask(mask) }
        let report = try scratch.extract([Self.file("suid", mode: 0o104777), Self.file("plain", mode: 0o100600),
                                          Self.directory("ro/", mode: 0o040555), Self.file("ro/inside", "i")])
        #expect(report.isComplete, "a read-only directory gets its mode after its contents")
        #expect(scratch.mode("suid") == 0o755)
        #expect(scratch.mode("plain") == 0o600)
        #expect(scratch.mode("ro") == 0o555)
        #expect(scratch.contents("ro/inside") == "i")
        chmod(scratch.destination + "/ro", 0o755)  // so that the scratch can be removed

        let kept = try Scratch()
        defer { kept.remove() }
        _ = try kept.extract([Self.file("suid", mode: 0o104755)], options: ExtractionOptions(preservesSpecialBits: true))
        #expect(kept.mode("suid") == 0o4755)
    }

    @Test func modificationTimesComeFromTheArchive() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // HandmadeArchive's entries carry 1980-01-01 00:00, local time.
        _ = try scratch.extract([Self.file("old")])
        var parts = tm()
        parts.tm_year = 80
        parts.tm_mon = 0
        parts.tm_mday = 1
        parts.tm_isdst = -1
        let expected = mktime(&parts)
        var info = stat()
        #expect(stat(scratch.destination + "/old", &info) == 0)
        #expect(info.st_mtim.tv_sec == expected)

        let untouched = try Scratch()
        defer { untouched.remove() }
        _ = try untouched.extract([Self.file("new")], options: ExtractionOptions(restoresModificationTimes: false))
        #expect(stat(untouched.destination + "/new", &info) == 0)
        #expect(info.st_mtim.tv_sec > expected)
    }

    @Test func aMissingDestinationIsCreatedAndAFileInTheWayIsAnError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let deep = scratch.root + "/new/deeper"
        #expect(try ZipArchive(bytes: HandmadeArchive.build([Self.file("x")])).extract(to: deep).isComplete)
        #expect(FileManager.default.fileExists(atPath: deep + "/x"))
        FileManager.default.createFile(atPath: scratch.root + "/plainfile", contents: Data())
        expectZipError(.io) { _ = try ZipArchive(bytes: HandmadeArchive.build([Self.file("x")])).extract(to: scratch.root + "/plainfile") }
    }

    /// Cancelled after the second entry: exactly the first two are there,
    /// no link is made, the report says it stopped and is not complete.
    @Test func cancellingStopsBeforeTheNextEntry() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let stop = Cancellation()
        var options = ExtractionOptions()
        options.cancellation = stop
        let archive = try ZipArchive(bytes: HandmadeArchive.build([
            Self.file("a"), Self.file("b"), Self.file("c"), Self.link("l", to: "a"),
        ]))
        var seen: [String] = []
        let report = try archive.extract(to: scratch.destination, options: options) { step in
            seen.append(step.entry.name)
            if step.done == 2 { stop.cancel() }
        }
        #expect(report.wasCancelled && !report.isComplete)
        #expect(report.written == 2 && report.problems.isEmpty)
        #expect(seen == ["a", "b"])
        #expect(scratch.tree() == ["a", "b"])
    }

    /// Cancelled before it starts: nothing is written, no entry is a problem.
    @Test func aCancelledExtractionWritesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let stop = Cancellation()
        stop.cancel()
        let report = try scratch.extract([Self.file("a"), Self.directory("d/")], options: ExtractionOptions(cancellation: stop))
        #expect(report.wasCancelled && report.written == 0 && report.problems.isEmpty)
        #expect(scratch.tree() == [])
    }
}
