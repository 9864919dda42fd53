import Foundation
import Synchronization
import Testing
@testable import Importer

/// Many threads finding and reading while the archive is rewritten and
/// invalidated underneath them.
@Suite struct ConcurrencyTests {
    /// In-place rewrites that swap members: readers get the right member's
    /// bytes or a typed error, never another member's bytes.
    @Test func readersNeverSeeAnotherMembersBytesDuringInPlaceRewrites() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let v1 = scratch.file("v1.zip"), v2 = scratch.file("v2.zip"), archive = scratch.file("live.zip")
        try makeZip(v1, [.file("common.py", "COMMON-1\n"), .file("other.py", "OTHER-11\n")])
        try makeZip(v2, [.file("other.py", "OTHER-22\n"), .file("common.py", "COMMON-2\n")])
        let versions = [try readBytes(v1), try readBytes(v2)]
        try FileManager.default.copyItem(atPath: v1, toPath: archive)
        let cache = ImportCache()
        let importer = try ZipImporter(path: archive, cache: cache)
        let wrong = Mutex<[String]>([])
        let reads = Atomic<Int>(0)
        runConcurrently(readers: 3) {
            do {
                let text = try importer.source(for: "common")
                reads.wrappingAdd(1, ordering: .relaxed)
                if text != "COMMON-1\n", text != "COMMON-2\n" { wrong.withLock { $0.append(text) } }
            } catch {
                // A typed error while the file is torn is allowed.
            }
            _ = importer.findSpec("other")
        } writer: {
            for round in 0 ..< 60 {
                try? overwriteInPlace(archive, with: versions[round % 2])
                if round % 3 == 0 { importer.invalidateCaches() }
                if round % 3 == 1 { cache.invalidateAll() }
                usleep(500)
            }
        }
        #expect(wrong.withLock { $0 }.isEmpty)
        #expect(reads.load(ordering: .relaxed) > 0)
        // Once quiet, the archive reads as its last version.
        importer.invalidateCaches()
        #expect(try importer.source(for: "common") == "COMMON-2\n")
    }

    /// Atomic rename-replaces with invalidations: every find succeeds.
    @Test func findsNeverFailDuringRenameReplaces() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("live.zip")
        try makeZip(archive, [.file("common.py", "1"), .file("pkg/__init__.py")])
        let staged = [scratch.file("s1.zip"), scratch.file("s2.zip")]
        try makeZip(staged[0], [.file("common.py", "1"), .file("pkg/__init__.py")])
        try makeZip(staged[1], [.file("pkg/__init__.py"), .file("common.py", "22")])
        let copies = try staged.map { try readBytes($0) }
        let cache = ImportCache()
        let path = ImportPath([archive], cache: cache)
        let failures = Atomic<Int>(0)
        let finds = Atomic<Int>(0)
        runConcurrently(readers: 3) {
            if path.findSpec("common") == nil || path.findSpec("pkg") == nil {
                failures.wrappingAdd(1, ordering: .relaxed)
            }
            finds.wrappingAdd(1, ordering: .relaxed)
        } writer: {
            for round in 0 ..< 60 {
                let temporary = scratch.file("tmp\(round).zip")
                try? Data(copies[round % 2]).write(to: URL(fileURLWithPath: temporary))
                rename(temporary, archive)
                if round % 2 == 0 { path.invalidateCaches() } else { path.invalidateCaches(path: archive) }
                usleep(500)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(finds.load(ordering: .relaxed) > 0)
    }
}

/// Runs `reader` in a loop on `readers` threads while `writer` runs on the
/// calling thread; the writer starts only once every reader has read once.
private func runConcurrently(readers: Int, _ reader: @escaping @Sendable () -> Void, writer: () -> Void) {
    let started = Atomic<Int>(0)
    let done = Atomic<Bool>(false)
    let finished = DispatchGroup()
    for _ in 0 ..< readers {
        finished.enter()
        Thread {
            reader()
            started.wrappingAdd(1, ordering: .relaxed)
            while !done.load(ordering: .acquiring) { reader() }
            finished.leave()
        }.start()
    }
    while started.load(ordering: .relaxed) < readers { usleep(1000) }
    writer()
    done.store(true, ordering: .releasing)
    finished.wait()
}
