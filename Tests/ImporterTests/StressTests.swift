import Foundation
import Synchronization
import Testing
@testable import Importer
import ZipIndex

/// The concurrency stress test of the hostile-input issue: several threads
/// find and read while one thread invalidates and another rewrites the
/// archive on disk, by atomic rename and in place, in turn. Every read
/// returns the correct bytes of some version, or a typed error of the kinds
/// a torn or replaced file explains; none returns another member's bytes,
/// a mixture, or traps. Run under ThreadSanitizer and AddressSanitizer in CI.
@Suite struct StressTests {
    /// Three versions with the same modules, different contents, sizes,
    /// compression and member order, so that a torn read lands anywhere.
    static func versions(in scratch: Scratch) throws -> [[UInt8]] {
        func text(_ version: Int, _ lines: Int) -> String {
            (0 ..< lines).map { "LINE_\($0) = \(version) * \($0)  # version \(version)\n" }.joined()
        }
        let v1 = scratch.file("v1.zip"), v2 = scratch.file("v2.zip"), v3 = scratch.file("v3.zip")
        try makeZip(v1, [.file("mod.py", "VERSION = 1\n"), .file("pkg/__init__.py", "P = 1\n"),
                         .file("pkg/big.py", text(1, 3000))], compression: .stored)
        try makeZip(v2, [.file("pkg/big.py", text(2, 5000)), .file("pkg/__init__.py", "P = 22\n"),
                         .file("mod.py", "VERSION = 22\n")], compression: .deflated)
        try makeZip(v3, [.file("pkg/__init__.py", "P = 333\n"), .file("extra.py", "E = 3\n"),
                         .file("mod.py", "VERSION = 333\n"), .file("pkg/big.py", text(3, 1500))], compression: .deflated)
        return try [v1, v2, v3].map(readBytes)
    }

    /// What each member may read as: its bytes in one of the versions.
    static func allowedContents(_ versions: [[UInt8]]) throws -> [String: Set<[UInt8]>] {
        var allowed: [String: Set<[UInt8]>] = [:]
        for bytes in versions {
            let archive = try ZipArchive(bytes: bytes)
            for entry in archive.entries { allowed[entry.name, default: []].insert(try archive.read(entry)) }
        }
        return allowed
    }

    /// The errors a torn or replaced archive explains. Anything else, such
    /// as `.invalidUTF8` (a mixture that passed verification), is a defect.
    static let explained: Set<ImporterError.Code> = [.invalidMember, .archiveUnavailable, .notAZipArchive,
                                                     .unreadable, .moduleNotFound, .resourceNotFound]

    @Test func readsDuringRewritesAndInvalidationsAreSomeVersionOrATypedError() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let versions = try Self.versions(in: scratch)
        let allowed = try Self.allowedContents(versions)
        let live = scratch.file("live.zip")
        try Data(versions[0]).write(to: URL(fileURLWithPath: live))

        let cache = ImportCache()
        let path = ImportPath([live], cache: cache)
        let importer = try ZipImporter(path: live, cache: cache)
        let wrong = Mutex<[String]>([])
        let unexplained = Mutex<[String]>([])
        let goodReads = Atomic<Int>(0)
        let errors = Atomic<Int>(0)
        let writerDone = Atomic<Bool>(false)

        let check: @Sendable (String, [UInt8]) -> Void = { member, bytes in
            if allowed[member]?.contains(bytes) == true {
                goodReads.wrappingAdd(1, ordering: .relaxed)
            } else {
                wrong.withLock { $0.append("\(member): \(bytes.count) bytes not of any version") }
            }
        }
        let record: @Sendable (ImporterError) -> Void = { error in
            errors.wrappingAdd(1, ordering: .relaxed)
            if !Self.explained.contains(error.code) { unexplained.withLock { $0.append("\(error)") } }
        }

        var work: [@Sendable () -> Void] = (0 ..< 4).map { reader in
            {
                while !writerDone.load(ordering: .acquiring) {
                    for (module, member) in [("mod", "mod.py"), ("pkg", "pkg/__init__.py")] {
                        _ = path.findSpec(module)
                        do throws(ImporterError) { check(member, Array(try importer.source(for: module).utf8)) } catch { record(error) }
                    }
                    do throws(ImporterError) { check("pkg/big.py", try importer.data("pkg/big.py")) } catch { record(error) }
                    // The path's own finder shares the cached table.
                    if reader == 0, let finder = path.finder(for: live) as? ZipImporter {
                        do throws(ImporterError) { check("mod.py", try finder.data("mod.py")) } catch { record(error) }
                    }
                }
            }
        }
        work.append {  // the invalidator
            var round = 0
            while !writerDone.load(ordering: .acquiring) {
                switch round % 4 {
                case 0: path.invalidateCaches()
                case 1: _ = path.invalidateCaches(path: live)
                case 2: importer.invalidateCaches()
                default: cache.invalidateAll()
                }
                round += 1
                usleep(200)
            }
        }
        let finished = DispatchGroup()
        for body in work {
            finished.enter()
            Thread {
                body()
                finished.leave()
            }.start()
        }
        // The writer: at least 60 rewrites and 1.5 seconds of them,
        // alternately an atomic rename and an in-place overwrite of the same
        // inode, cycling through the versions.
        let start = ContinuousClock.now
        var round = 0
        var last = 0
        while round < 60 || ContinuousClock.now - start < .milliseconds(1500) {
            last = (round + 1) % versions.count
            if round % 2 == 0 {
                let staged = scratch.file("staged.zip")
                try Data(versions[last]).write(to: URL(fileURLWithPath: staged))
                #expect(rename(staged, live) == 0)
            } else {
                try overwriteInPlace(live, with: versions[last])
            }
            round += 1
            usleep(500)
        }
        writerDone.store(true, ordering: .releasing)
        finished.wait()

        #expect(wrong.withLock { $0 }.isEmpty, "\(wrong.withLock { $0.prefix(5) })")
        #expect(unexplained.withLock { $0 }.isEmpty, "\(unexplained.withLock { $0.prefix(5) })")
        #expect(goodReads.load(ordering: .relaxed) > 0)
        // Once quiet, after an invalidation, everything reads as the last
        // version written.
        path.invalidateCaches()
        importer.invalidateCaches()
        let final = try ZipArchive(bytes: versions[last])
        func member(_ name: String) throws -> [UInt8] { try final.read(try #require(final.entry(named: name))) }
        #expect(Array(try importer.source(for: "mod").utf8) == (try member("mod.py")))
        #expect(try importer.data("pkg/big.py") == (try member("pkg/big.py")))
        #expect((path.findSpec("extra") != nil) == (last == 2))
    }
}
