import Foundation
import Testing
@testable import Importer
import ZipIndex

/// The first lookup after an invalidation stats the archive: the table is
/// kept if its identity (device, inode, size, mtime, ctime) is unchanged,
/// and read again otherwise. The caches here assume fine timestamps
/// (granularity zero) so that the racy-clean rule does not mask the
/// identity comparison; the archives are aged so that they are not racy.
@Suite struct IdentityRevalidationTests {
    private func setUp(_ scratch: Scratch, _ members: [Member] = [.file("aaaa.py", "1111"), .file("bbbb.py", "2222")])
        throws -> (String, ZipImporter, ImportCache) {
        let archive = scratch.file("a.zip")
        try makeZip(archive, members)
        try age(archive)
        settle()
        let cache = ImportCache(timestampGranularity: .zero)
        return (archive, try ZipImporter(path: archive, cache: cache), cache)
    }

    @Test func unchangedArchiveIsNotReloaded() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let (_, zi, _) = try setUp(scratch)
        let before = zi.statistics
        zi.invalidateCaches()
        #expect(zi.findSpec("aaaa") != nil)
        #expect(zi.statistics.revalidations == before.revalidations + 1)
        #expect(zi.statistics.reloads == before.reloads)
        #expect(zi.findSpec("bbbb") != nil)
        #expect(zi.statistics.hits == before.hits + 1)
    }

    @Test func touchedArchiveIsReloaded() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let (archive, zi, _) = try setUp(scratch)
        let before = zi.statistics
        try setTimes(archive, modificationNs: FileSystemEnvironment.live.wallClockNs() - 10_000_000_000)
        zi.invalidateCaches()
        #expect(zi.findSpec("aaaa") != nil)
        #expect(zi.statistics.reloads == before.reloads + 1)
    }

    @Test func archiveReplacedByRenameIsReloaded() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let (archive, zi, _) = try setUp(scratch)
        let replacement = scratch.file("new.zip")
        try makeZip(replacement, [.file("cccc.py", "3333")])
        // The same mtime as the original: the inode (and size) tell.
        try setTimes(replacement, modificationNs: try #require(FileIdentity.of(path: archive)).modificationTimeNs)
        #expect(rename(replacement, archive) == 0)
        let before = zi.statistics
        zi.invalidateCaches()
        #expect(zi.findSpec("cccc") != nil)
        #expect(zi.findSpec("aaaa") == nil)
        #expect(zi.statistics.reloads == before.reloads + 1)
        #expect(try zi.source(for: "cccc") == "3333")
    }

    /// Rewritten in place with the same size, and the mtime put back with
    /// `utimensat`: only the ctime moved, and that is enough.
    @Test func inPlaceRewriteWithRestoredMtimeIsCaughtByCtime() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let (archive, zi, _) = try setUp(scratch)
        let original = try #require(FileIdentity.of(path: archive))
        let other = scratch.file("other.zip")
        try makeZip(other, [.file("aaab.py", "1111"), .file("bbbc.py", "2222")])
        let rewritten = try readBytes(other)
        #expect(Int64(rewritten.count) == original.size)
        try overwriteInPlace(archive, with: rewritten)
        try setTimes(archive, modificationNs: original.modificationTimeNs)
        let now = try #require(FileIdentity.of(path: archive))
        #expect(now.inode == original.inode && now.size == original.size)
        #expect(now.modificationTimeNs == original.modificationTimeNs)
        #expect(now.changeTimeNs != original.changeTimeNs)

        let before = zi.statistics
        zi.invalidateCaches()
        #expect(zi.findSpec("aaab") != nil)
        #expect(zi.findSpec("aaaa") == nil)
        #expect(zi.statistics.reloads == before.reloads + 1)
    }

    /// A new importer of a cached archive compares the identity it just saw
    /// with the table's, so it never starts from a table of another file.
    @Test func newImporterOfAChangedArchiveReadsItAgain() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let (archive, zi, cache) = try setUp(scratch)
        try makeZip(archive, [.file("zzzz.py")])
        let fresh = try ZipImporter(path: archive, cache: cache)
        #expect(fresh.findSpec("zzzz") != nil)
        #expect(zi.findSpec("zzzz") != nil, "the table is shared")
    }
}
