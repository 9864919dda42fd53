import Foundation
import Testing
@testable import Importer

/// Git's racy-clean rule, shown on a file system whose timestamps do not
/// move (the coarsest granularity there is): the fake freezes the stamps of
/// chosen paths and sets the wall clock, everything else is real. A real
/// kernel always moves ctime, so only a fake can show a same-tick change.
@Suite struct RacyTimestampTests {
    /// A table read within the granularity of the archive's last change is
    /// re-read on revalidation, even though the identity looks unchanged.
    @Test func racyArchiveTableIsReadAgainDespiteUnchangedIdentity() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(archive)
        fake.setClock(after: stamp, byNs: 500_000_000)  // read 0.5 s after the change: racy at 2 s
        let zi = try ZipImporter(path: archive, cache: fake.cache())
        try makeZip(archive, [.file("new.py")], append: true)  // the frozen stamp hides this
        zi.invalidateCaches()
        #expect(zi.findSpec("new") != nil)
        #expect(zi.statistics.reloads == 2)
    }

    /// The control: read well after the change, the same unchanged identity
    /// is trusted and the table kept (which is what makes the rule matter).
    @Test func nonRacyArchiveTableIsKeptWhenIdentityIsUnchanged() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(archive)
        fake.setClock(after: stamp, byNs: 5_000_000_000)
        let zi = try ZipImporter(path: archive, cache: fake.cache())
        let replacement = scratch.file("b.zip")
        try makeZip(replacement, [.file("new.py")])
        #expect(rename(replacement, archive) == 0)
        zi.invalidateCaches()
        #expect(zi.findSpec("new") == nil)
        #expect(zi.findSpec("old") != nil)
        #expect(zi.statistics.reloads == 1)
    }

    /// A new importer does not reuse a racy table either: an archive
    /// rewritten within the tick its table was read in, keeping its size,
    /// inode and timestamps, is read again rather than served stale.
    @Test func newImporterDoesNotReuseARacyTableWhoseIdentityLooksUnchanged() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(archive)
        fake.setClock(after: stamp, byNs: 500_000_000)  // racy at 2 s
        let cache = fake.cache()
        let first = try ZipImporter(path: archive, cache: cache)
        #expect(first.findSpec("old") != nil)
        try makeZip(archive, [.file("new.py")])  // rewritten; the frozen stamp hides it
        let second = try ZipImporter(path: archive, cache: cache)
        #expect(second.findSpec("new") != nil)
        #expect(second.findSpec("old") == nil)
        #expect(first.findSpec("new") != nil, "the table is shared: the first importer sees the reload")
        #expect(cache.statistics.reloads == 2)
    }

    /// The control: a table read well after the archive's last change is
    /// reused by a new importer when the identity is unchanged.
    @Test func newImporterReusesANonRacyTable() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(archive)
        fake.setClock(after: stamp, byNs: 5_000_000_000)
        let cache = fake.cache()
        _ = try ZipImporter(path: archive, cache: cache)
        let second = try ZipImporter(path: archive, cache: cache)
        #expect(second.findSpec("old") != nil)
        #expect(cache.statistics.reloads == 1)
    }

    /// The granularity is the cache's: with a finer one, the same read is
    /// no longer racy.
    @Test func granularityDecidesWhatIsRacy() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(archive)
        fake.setClock(after: stamp, byNs: 500_000_000)
        let zi = try ZipImporter(path: archive, cache: fake.cache(granularity: .milliseconds(100)))
        zi.invalidateCaches()
        #expect(zi.findSpec("old") != nil)
        #expect(zi.statistics.reloads == 1)
        #expect(zi.statistics.revalidations == 1)
    }

    /// A module created in the same tick as the listing is not missed: the
    /// listing was racy, so it is taken again on next use.
    @Test func moduleCreatedInTheSameTickIsNotMissed() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("lib")
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(directory)
        fake.setClock(after: stamp, byNs: 500_000_000)
        let finder = try DirectoryFinder(path: directory, cache: fake.cache())
        #expect(finder.findSpec("late") == nil)
        try scratch.write("lib/late.py")
        #expect(finder.findSpec("late")?.origin == directory + "/late.py")
    }

    /// The control: a listing taken long after the directory's last change
    /// is trusted while the directory's identity is unchanged, so a file
    /// whose creation left no trace in it is missed.
    @Test func trustedListingMissesAChangeThatLeftNoTrace() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("lib")
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(directory)
        fake.setClock(after: stamp, byNs: 5_000_000_000)
        let finder = try DirectoryFinder(path: directory, cache: fake.cache())
        #expect(finder.findSpec("late") == nil)
        try scratch.write("lib/late.py")
        #expect(finder.findSpec("late") == nil)
        finder.invalidateCaches()  // invalidation always re-lists a directory
        #expect(finder.findSpec("late") != nil)
    }

    /// ModuleWriter: the very next find sees what it wrote, with no explicit
    /// invalidation, even where the directory's timestamps never move.
    @Test func moduleWriterIsSeenAtOnceWhateverTheGranularity() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("lib")
        let fake = FakeFileSystem()
        let stamp = try fake.freeze(directory)
        fake.setClock(after: stamp, byNs: 5_000_000_000)
        let cache = fake.cache()
        let path = ImportPath([directory], cache: cache)
        #expect(path.findSpec("written") == nil)
        #expect(path.findSpec("wpkg") == nil)
        let writer = ModuleWriter(cache: cache)
        let file = try writer.writeModule("written", source: "x = 1\n", into: directory)
        #expect(file == directory + "/written.py")
        #expect(path.findSpec("written")?.origin == file)
        try writer.writePackage("wpkg", source: "# package\n", into: directory)
        let package = try #require(path.findSpec("wpkg"))
        #expect(package.origin == directory + "/wpkg/__init__.py")
        #expect(package.isPackage && !package.isNamespace)
        #expect(try package.source() == "# package\n")
    }
}
