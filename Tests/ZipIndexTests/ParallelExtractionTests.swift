import Foundation
import Testing
@testable import ZipIndex

/// Extraction on several threads (``ExtractionOptions/concurrency``): the
/// files, the report and the progress calls are those of one thread.
@Suite("Parallel extraction")
struct ParallelExtractionTests {
    typealias Member = HandmadeArchive.Member
    typealias Scratch = ExtractionTests.Scratch

    /// Everything a reader of the tree can see: kind, mode, modification
    /// time, bytes or link target, by relative path.
    static func snapshot(_ root: String) -> [String: String] {
        var seen: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return seen }
        for case let path as String in enumerator {
            let full = root + "/" + path
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            // What no entry gives a time (a directory no entry describes, a
            // file whose DOS date is 0 as in some APKs) has the time it was
            // made, which two runs may see on either side of a second.
            // Times from entries are older than the last hour.
            let made = info.st_mtim.tv_sec > time(nil) - 3_600
            var line = "mode \(String(info.st_mode, radix: 8)) mtime \(made ? "now" : String(info.st_mtim.tv_sec))"
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let bytes = FileManager.default.contents(atPath: full) ?? Data()
                line += " file \(bytes.count) \(bytes.hashValue)"
            case S_IFLNK:
                line += " link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
                line = line.replacingOccurrences(of: made ? "mtime now" : "mtime \(info.st_mtim.tv_sec)", with: "")
            case S_IFDIR:
                line += " directory"
            default:
                line += " other"
            }
            seen[path] = line
        }
        return seen
    }

    /// What a report says, in order: comparable across runs.
    static func summary(_ report: ExtractionReport) -> String {
        "\(report.written) written, \(report.bytesWritten) bytes, \(report.skippedSymlinks) links skipped, "
            + report.problems.map { "\($0.entry): \($0.error.code)" }.joined(separator: ", ")
    }

    /// 300 members: files in nested directories, directory entries with
    /// their own modes, a duplicate, unsafe names, a bad entry, links inside
    /// and outside.
    static let mixedMembers: [Member] = {
        var members: [Member] = [ExtractionTests.directory("top/", mode: 0o040750)]
        for index in 0 ..< 280 {
            let directory = "top/d\(index % 7)/e\(index % 3)"
            members.append(ExtractionTests.file("\(directory)/f\(index).txt", String(repeating: "\(index) ", count: index),
                                                mode: index % 5 == 0 ? 0o100755 : 0o100644))
            if index == 40 { members.append(ExtractionTests.directory("top/d3/", mode: 0o040700)) }
            if index == 90 { members.append(ExtractionTests.file("top/d0/e0/f0.txt", "duplicate")) }
            if index == 120 { members.append(ExtractionTests.file("../escape", "no")) }
            if index == 150 { members.append(ExtractionTests.link("top/inside", to: "d1/e1/f1.txt")) }
            if index == 151 { members.append(ExtractionTests.link("top/outside", to: "../../..")) }
            if index == 200 {
                var bad = ExtractionTests.file("top/bad.txt", "eight by")
                bad.declaredSize = 9
                members.append(bad)
            }
        }
        return members
    }()

    @Test(arguments: [2, 3, 8])
    func everyThreadCountWritesWhatOneThreadWrites(threads: Int) throws {
        let bytes = HandmadeArchive.build(Self.mixedMembers)
        let one = try Scratch(), many = try Scratch()
        defer {
            one.remove()
            many.remove()
        }
        var steps: [[String]] = [[], []]
        let serial = try ZipArchive(bytes: bytes).extract(to: one.destination, options: ExtractionOptions(concurrency: 1)) {
            steps[0].append("\($0.done)/\($0.total) \($0.entry.name)")
        }
        let parallel = try ZipArchive(bytes: bytes).extract(to: many.destination,
                                                            options: ExtractionOptions(concurrency: threads)) {
            steps[1].append("\($0.done)/\($0.total) \($0.entry.name)")
        }
        #expect(Self.summary(parallel) == Self.summary(serial))
        #expect(serial.problems.count == 4, "the duplicate, the unsafe name, the bad entry, the outside link")
        #expect(steps[1] == steps[0])
        let expected = Self.snapshot(one.destination)
        #expect(expected.count > 280)
        #expect(Self.snapshot(many.destination) == expected)
    }

    /// `a` is a file and `a/b` needs it as a directory: one thread writes
    /// `a` and fails `a/b`, the other order would do the opposite. Such a
    /// plan is written on one thread whatever was asked.
    @Test func aFileThatIsAnotherEntrysDirectoryKeepsTheArchiveOrder() throws {
        var members = (0 ..< 40).map { ExtractionTests.file("filler/\($0)") }
        members += [ExtractionTests.file("a"), ExtractionTests.file("a/b")]
        let plainPlan = try (0 ..< 40).map { try step("filler/\($0)") }
        #expect(ExtractionRun.threads(for: plainPlan, wanted: 4, caseInsensitive: false) == 4)
        #expect(ExtractionRun.threads(for: plainPlan + [try step("a"), try step("a/b")], wanted: 4, caseInsensitive: false) == 1)
        #expect(ExtractionRun.threads(for: plainPlan + [try step("A"), try step("a/b")], wanted: 4, caseInsensitive: false) == 4)
        #expect(ExtractionRun.threads(for: plainPlan + [try step("A"), try step("a/b")], wanted: 4, caseInsensitive: true) == 1)
        #expect(ExtractionRun.threads(for: plainPlan + [try step("a/b"), try step("a")], wanted: 4, caseInsensitive: false) == 1)
        #expect(ExtractionRun.threads(for: plainPlan + [try step("a/b/c"), try step("a")], wanted: 4, caseInsensitive: false) == 1)
        #expect(ExtractionRun.threads(for: Array(plainPlan.prefix(8)), wanted: nil, caseInsensitive: false) == 1,
                "a handful of entries is not worth a thread")

        let scratch = try Scratch()
        defer { scratch.remove() }
        let report = try ZipArchive(bytes: HandmadeArchive.build(members))
            .extract(to: scratch.destination, options: ExtractionOptions(concurrency: 4))
        #expect(report.problems.map(\.entry) == [41] && report.problems.first?.error.code == .fileExists)
        #expect(scratch.contents("a") == "data")
    }

    private func step(_ path: String) throws -> ExtractionStep {
        let entry = try ZipArchive(bytes: HandmadeArchive.build([ExtractionTests.file(path)])).entries[0]
        return ExtractionStep(entry: entry, path: path, components: path.split(separator: "/").map(String.init))
    }

    /// Real archives (wheels, jars, APKs, documents) come out the same on
    /// three threads as on one.
    @Test func realArchivesComeOutTheSameOnThreeThreads() throws {
        let items = RealArchiveCorpusTests.manifest
        #expect(items.count >= 30, "run python3 Fixtures/make_corpus.py")
        for item in items {
            let archive = try ZipArchive(path: RealArchiveCorpusTests.path(item))
            let one = try Scratch(), many = try Scratch()
            defer {
                one.remove()
                many.remove()
            }
            let serial = try archive.extract(to: one.destination, options: ExtractionOptions(concurrency: 1))
            let parallel = try archive.extract(to: many.destination, options: ExtractionOptions(concurrency: 3))
            #expect(serial.isComplete, "\(item.file): \(Self.summary(serial))")
            #expect(Self.summary(parallel) == Self.summary(serial), "\(item.file)")
            #expect(Self.snapshot(many.destination) == Self.snapshot(one.destination), "\(item.file)")
        }
    }

    /// Cancelled from the progress call: the other threads stop at their
    /// next entry or chunk; every file on disk is whole and counted, and
    /// no hidden temporary file is left. Twice the lookahead of entries:
    /// however the threads are scheduled, none can claim more than the
    /// lookahead past the last outcome recorded, so some entries are left
    /// for after the cancellation.
    @Test func aCancelledParallelExtractionLeavesOnlyWholeFiles() throws {
        let payload = (0 ..< 100).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let count = 2 * OrderedParallelWork.lookahead
        let members = (0 ..< count).map { Member(name: Array("many/\($0).bin".utf8), data: payload) }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let stop = Cancellation()
        let report = try ZipArchive(bytes: HandmadeArchive.build(members))
            .extract(to: scratch.destination, options: ExtractionOptions(cancellation: stop, concurrency: 4)) { step in
                if step.done == 5 { stop.cancel() }
            }
        #expect(report.wasCancelled && report.problems.isEmpty)
        let files = scratch.tree(scratch.destination + "/many")
        #expect(files.count == report.written && files.count >= 5 && files.count < count)
        for file in files {
            #expect(!file.hasPrefix("."), "a temporary name is left: \(file)")
            #expect(FileManager.default.contents(atPath: scratch.destination + "/many/" + file) == Data(payload))
        }
    }
}
