import Foundation
import Testing
@testable import Importer

/// Invalidation: lazy, shared, opt-out, targeted, time-to-live.
@Suite struct InvalidationTests {
    /// CPython's testInvalidateCaches: a member appended to the archive is
    /// not seen until the cache is invalidated, then it is.
    @Test(arguments: Compression.allCases)
    func appendedMemberIsFoundAfterInvalidation(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk95142.zip")
        try makeZip(archive, [.file("ziptestpackage/__init__.py"), .file("spam.py")], compression: compression)
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        zi.invalidateCaches()
        #expect(zi.findSpec("spam") != nil)
        try makeZip(archive, [.file("spam2.py")], compression: compression, append: true)
        #expect(zi.findSpec("spam2") == nil, "tables are trusted until invalidated, as zipimport's")
        zi.invalidateCaches()
        let spec = try #require(zi.findSpec("spam2"))
        #expect(spec.loader === zi)
        #expect(zi.findSpec("spam") != nil)
    }

    /// CPython's testInvalidateCaches, second half, and bpo-45183: after the
    /// archive is deleted and the cache invalidated, finds answer nil and
    /// never throw; reads throw a typed error.
    @Test func deletedArchiveMakesFindReturnNil() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk.zip")
        try makeZip(archive, [.file("spam.py"), .file("pkg/__init__.py")])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        #expect(zi.findSpec("spam") != nil)
        try FileManager.default.removeItem(atPath: archive)
        zi.invalidateCaches()
        #expect(zi.findSpec("name_does_not_matter") == nil)
        #expect(zi.findSpec("spam") == nil)
        expectImporterError(.archiveUnavailable) { try zi.data("spam.py") }
        expectImporterError(.archiveUnavailable) { try zi.isPackage("pkg") }
        // It comes back when the archive does.
        try makeZip(archive, [.file("spam.py")])
        zi.invalidateCaches()
        #expect(zi.findSpec("spam") != nil)
    }

    /// CPython's testInvalidateCachesWithMultipleZipimports (3.13+), and
    /// more: importers reaching the archive by a relative path, an absolute
    /// one, and with a prefix all share one table and see one invalidation.
    @Test func oneInvalidationIsSeenByEveryImporterOfTheArchive() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk.zip")
        try makeZip(archive, [.file("pkg/__init__.py"), .file("spam.py")])
        // This pins sharing, not the racy-clean rule: a zero granularity
        // trusts every stamp, so the archive just written is not re-read.
        let cache = ImportCache(timestampGranularity: .zero)
        let zi = try ZipImporter(path: archive, cache: cache)
        let cwd = FileManager.default.currentDirectoryPath
        let relative = String(repeating: "../", count: cwd.split(separator: "/").count) + String(archive.dropFirst())
        let zi2 = try ZipImporter(path: relative, cache: cache)
        let zi3 = try ZipImporter(path: archive + "/pkg", cache: cache)
        #expect(zi2.cached === zi.cached && zi3.cached === zi.cached)
        #expect(cache.statistics.reloads == 1, "one table, read once")
        try makeZip(archive, [.file("spam2.py"), .file("pkg/mod2.py")], append: true)
        zi.invalidateCaches()
        #expect(zi2.findSpec("spam2")?.origin == relative + "/spam2.py")
        #expect(zi3.findSpec("mod2")?.origin == archive + "/pkg/mod2.py")
    }

    /// The cache key is the canonical path: a symbolic link to the archive
    /// shares its table, and invalidating through any spelling reaches it.
    @Test func cacheIsKeyedByCanonicalPath() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("real.zip")
        try makeZip(archive, [.file("one.py")])
        let link = scratch.file("link.zip")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: archive)
        let cache = ImportCache()
        let direct = try ZipImporter(path: archive, cache: cache)
        let viaLink = try ZipImporter(path: link + "/", cache: cache)
        #expect(direct.cached === viaLink.cached)
        #expect(viaLink.findSpec("one")?.origin == link + "/one.py", "origins keep the path as given")
        try makeZip(archive, [.file("two.py")], append: true)
        #expect(cache.invalidate(path: scratch.path + "/./link.zip"))
        #expect(direct.findSpec("two") != nil)
        #expect(!cache.invalidate(path: scratch.file("unknown.zip")))
    }

    /// invalidateAll is one atomic increment: no stat, no read, whatever
    /// the number of archives; each archive revalidates on its next use.
    @Test func globalInvalidationDoesNoIOUntilTheNextLookup() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let fake = FakeFileSystem()
        let cache = fake.cache(granularity: .zero)
        let template = scratch.file("template.zip")
        try makeZip(template, [.file("m.py")])
        var importers: [ZipImporter] = []
        for index in 0 ..< 20 {
            let archive = scratch.file("a\(index).zip")
            try FileManager.default.copyItem(atPath: template, toPath: archive)
            importers.append(try ZipImporter(path: archive, cache: cache))
        }
        let before = cache.statistics
        let stats = fake.statCount
        for _ in 0 ..< 1000 { cache.invalidateAll() }
        #expect(fake.statCount == stats)
        #expect(cache.statistics == before)
        #expect(importers[3].findSpec("m") != nil)
        let after = cache.statistics
        #expect(after.revalidations == before.revalidations + 1, "only the archive used is revalidated")
        #expect(after.reloads == before.reloads, "unchanged: kept, not re-read")
        #expect(fake.statCount == stats + 1)
    }

    /// An opted-out archive ignores global invalidation entirely; an
    /// explicit invalidation of it still works.
    @Test func optedOutArchiveIgnoresGlobalInvalidation() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("old.py")])
        let cache = ImportCache()
        let zi = try ZipImporter(path: archive, cache: cache)
        zi.policy = CachePolicy(followsGlobalInvalidation: false)
        try makeZip(archive, [.file("new.py")], append: true)
        cache.invalidateAll()
        let before = zi.statistics
        #expect(zi.findSpec("new") == nil)
        #expect(zi.statistics.misses == before.misses, "not even revalidated")
        zi.invalidateCaches()
        #expect(zi.findSpec("new") != nil)

        // And with the default policy, global invalidation reaches it.
        zi.policy = .archiveDefault
        try makeZip(archive, [.file("newer.py")], append: true)
        cache.invalidateAll()
        #expect(zi.findSpec("newer") != nil)
    }

    /// A time-to-live revalidates without anyone invalidating; without one
    /// (the default) the table is trusted. The monotonic clock is the
    /// fake's, so the test does not depend on how fast it runs.
    @Test func timeToLiveRevalidatesWithoutInvalidation() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let withTTL = scratch.file("ttl.zip"), without = scratch.file("plain.zip")
        try makeZip(withTTL, [.file("old.py")])
        try makeZip(without, [.file("old.py")])
        let fake = FakeFileSystem()
        let cache = fake.cache()
        let ttl = try ZipImporter(path: withTTL, cache: cache)
        let plain = try ZipImporter(path: without, cache: cache)
        ttl.policy = CachePolicy(timeToLive: .seconds(10))
        #expect(ttl.policy.timeToLive == .seconds(10))
        try makeZip(withTTL, [.file("new.py")], append: true)
        try makeZip(without, [.file("new.py")], append: true)
        fake.advanceMonotonicClock(by: .seconds(9))
        #expect(ttl.findSpec("new") == nil, "within the time-to-live")
        fake.advanceMonotonicClock(by: .seconds(2))
        #expect(ttl.findSpec("new") != nil)
        #expect(plain.findSpec("new") == nil)
        fake.advanceMonotonicClock(by: .seconds(3600))
        #expect(plain.findSpec("new") == nil, "no time-to-live by default")
    }

    /// Targeted invalidation reaches the most specific entry containing the
    /// path, and only it.
    @Test func targetedInvalidationReachesOnlyTheContainingEntry() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let dir1 = try scratch.makeDirectory("dir1"), dir2 = try scratch.makeDirectory("dir2")
        try scratch.write("dir1/one.py")
        try scratch.write("dir2/two.py")
        let zipA = scratch.file("a.zip"), zipB = scratch.file("b.zip")
        try makeZip(zipA, [.file("pkg/__init__.py"), .file("pkg/a.py")])
        try makeZip(zipB, [.file("b.py")])
        // Fine timestamps, so that no listing is racy (a racy one would be
        // re-listed anyway and hide what invalidation does).
        let cache = ImportCache(timestampGranularity: .zero)
        let path = ImportPath([dir1, dir2, zipA + "/pkg", zipB], cache: cache)
        // Directories trusted until invalidated, to make the effect visible.
        #expect(path.setPolicy(CachePolicy(), forEntry: dir1))
        #expect(path.setPolicy(CachePolicy(), forEntry: dir2))
        for name in ["one", "two", "a", "b"] { #expect(path.findSpec(name) != nil) }

        // A new file in dir1: unseen until its directory is invalidated.
        try scratch.write("dir1/fresh.py")
        try scratch.write("dir2/fresh2.py")
        #expect(path.findSpec("fresh") == nil)
        #expect(path.invalidateCaches(path: dir1 + "/fresh.py"))
        #expect(path.findSpec("fresh") != nil)
        #expect(path.findSpec("fresh2") == nil, "dir2 was not invalidated")

        // A path inside an archive reaches that archive only.
        try makeZip(zipA, [.file("pkg/a2.py")], append: true)
        try makeZip(zipB, [.file("b2.py")], append: true)
        #expect(path.invalidateCaches(path: zipA + "/pkg/a2.py"))
        #expect(path.findSpec("a2") != nil)
        #expect(path.findSpec("b2") == nil, "b.zip was not invalidated")

        // Naming the archive file itself works too, even with a prefix entry.
        try makeZip(zipA, [.file("pkg/a3.py")], append: true)
        #expect(path.invalidateCaches(path: zipA))
        #expect(path.findSpec("a3") != nil)

        #expect(!path.invalidateCaches(path: scratch.file("elsewhere/x.py")))
    }

    /// Targeted invalidation uses the most specific entry: a package's
    /// search location is more specific than the entry holding it.
    @Test func targetedInvalidationPrefersTheMostSpecificEntry() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let root = try scratch.makeDirectory("root")
        try scratch.write("root/pkg/__init__.py")
        try scratch.write("root/pkg/mod.py")
        let path = ImportPath([root], cache: ImportCache(timestampGranularity: .zero))
        #expect(path.findSpec("pkg.mod") != nil)
        let rootFinder = try #require(path.finder(for: root))
        let packageFinder = try #require(path.finder(for: root + "/pkg"))
        rootFinder.policy = CachePolicy()
        packageFinder.policy = CachePolicy()
        let rootBefore = rootFinder.statistics, packageBefore = packageFinder.statistics
        #expect(path.invalidateCaches(path: root + "/pkg/new.py"))
        _ = path.findSpec("pkg.new")
        #expect(packageFinder.statistics.reloads == packageBefore.reloads + 1)
        #expect(rootFinder.statistics.reloads == rootBefore.reloads, "the root listing was kept")
    }
}
