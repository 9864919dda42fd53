import Foundation
import Testing
@testable import Importer

/// ImportPath: `sys.path` with PathFinder, resolving dotted names level by level.
@Suite struct ImportPathTests {
    @Test func dottedNameIsResolvedThroughEachPackagesLocations() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("deps.zip")
        try makeZip(archive, [.file("a/__init__.py"), .file("a/b/__init__.py"), .file("a/b/c.py", "C = 3\n")])
        let path = ImportPath([archive], cache: ImportCache())
        let spec = try #require(path.findSpec("a.b.c"))
        #expect(spec.origin == archive + "/a/b/c.py")
        #expect(try spec.source() == "C = 3\n")
        #expect(path.findSpec("a.b")?.submoduleSearchLocations == [archive + "/a/b"])
        // Only the last component is used by a finder; the path must not find
        // c at the archive's root.
        #expect(path.findSpec("c") == nil)
        #expect(path.findSpec("a.c") == nil)
    }

    @Test func firstEntryWins() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let first = try scratch.makeDirectory("first")
        try scratch.write("first/mod.py")
        let archive = scratch.file("second.zip")
        try makeZip(archive, [.file("mod.py"), .file("only.py")])
        let path = ImportPath([first, archive], cache: ImportCache())
        #expect(path.findSpec("mod")?.origin == first + "/mod.py")
        #expect(path.findSpec("only")?.origin == archive + "/only.py")
    }

    @Test func regularPackageLaterOnThePathBeatsEarlierNamespacePortions() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let one = try scratch.makeDirectory("one")
        try scratch.write("one/pkg/x.py")
        let archive = scratch.file("two.zip")
        try makeZip(archive, [.file("pkg/__init__.py"), .file("pkg/y.py")])
        let path = ImportPath([one, archive], cache: ImportCache())
        let spec = try #require(path.findSpec("pkg"))
        #expect(!spec.isNamespace)
        #expect(spec.submoduleSearchLocations == [archive + "/pkg"])
        #expect(path.findSpec("pkg.x") == nil, "a regular package does not span entries")
        #expect(path.findSpec("pkg.y") != nil)
    }

    @Test func moduleHasNoSubmodules() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("mod.py")
        try scratch.write("sub.py")
        let path = ImportPath([scratch.path], cache: ImportCache())
        #expect(path.findSpec("mod") != nil)
        #expect(path.findSpec("mod.sub") == nil)
    }

    @Test func malformedNamesFindNothing() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("mod.py")
        let path = ImportPath([scratch.path], cache: ImportCache())
        for name in ["", ".", ".mod", "mod.", "a..b"] {
            #expect(path.findSpec(name) == nil, "\(name)")
        }
    }

    @Test func pathHooksChooseTheFinder() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/m.py")])
        let junk = try scratch.write("junk.txt", "not a zip")
        let path = ImportPath(cache: ImportCache())
        #expect(path.finder(for: archive) is ZipImporter)
        #expect((path.finder(for: archive + "/pkg") as? ZipImporter)?.prefix == "pkg/")
        #expect(path.finder(for: scratch.path) is DirectoryFinder)
        #expect(path.finder(for: junk) == nil)
        #expect(path.finder(for: scratch.file("missing")) == nil)
        #expect(path.finder(for: archive) === path.finder(for: archive), "cached per entry")
    }

    @Test func missingEntryIsRetriedAfterGlobalInvalidation() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let later = scratch.file("later")
        let path = ImportPath([later], cache: ImportCache())
        #expect(path.findSpec("mod") == nil)
        try scratch.write("later/mod.py")
        #expect(path.findSpec("mod") == nil, "no finder is cached, as in sys.path_importer_cache")
        path.invalidateCaches()
        #expect(path.findSpec("mod")?.origin == later + "/mod.py")
    }

    @Test func entriesCanChange() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let one = try scratch.makeDirectory("one"), two = try scratch.makeDirectory("two")
        try scratch.write("one/m.py")
        try scratch.write("two/m.py")
        let path = ImportPath([one], cache: ImportCache())
        #expect(path.findSpec("m")?.origin == one + "/m.py")
        path.entries = [two, one]
        #expect(path.findSpec("m")?.origin == two + "/m.py")
        path.append(one)
        #expect(path.entries == [two, one, one])
    }

    @Test func namespacePortionsFromBothKindsOfEntryAccumulateInOrder() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let dir = try scratch.makeDirectory("d")
        try scratch.write("d/ns/fromdir.py")
        let archive = scratch.file("z.zip")
        // Implied directory only: CPython 3.13 misses this portion (gh-121111).
        try makeZip(archive, [.file("ns/fromzip.py")])
        let path = ImportPath([archive, dir], cache: ImportCache())
        let spec = try #require(path.findSpec("ns"))
        #expect(spec.submoduleSearchLocations == [archive + "/ns", dir + "/ns"])
        #expect(path.findSpec("ns.fromdir")?.origin == dir + "/ns/fromdir.py")
        #expect(path.findSpec("ns.fromzip")?.origin == archive + "/ns/fromzip.py")
    }

    @Test func statisticsCountEachArchiveOnce() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/__init__.py"), .file("pkg/m.py")])
        // A zero granularity trusts the stamp of the archive just written,
        // so the second importer reuses the table (see RacyTimestampTests).
        let cache = ImportCache(timestampGranularity: .zero)
        let path = ImportPath([archive], cache: cache)
        #expect(path.findSpec("pkg.m") != nil)  // two importers of one archive
        #expect(path.statistics.reloads == 1)
        #expect(path.statistics == cache.statistics)
    }

    @Test func resourcesOfAPackageAreListed() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/__init__.py"), .file("pkg/data.json", "{}"), .file("pkg/sub/x.py"), .file("mod.py")])
        let cache = ImportCache()
        let zi = try ZipImporter(path: archive, cache: cache)
        #expect(try zi.resources(in: "pkg") == ["__init__.py", "data.json", "sub/"])
        let inPackage = try ZipImporter(path: archive + "/pkg", cache: cache)
        #expect(try inPackage.resources(in: "pkg.sub") == ["x.py"], "namespace portions have resources too")
        expectImporterError(.notAPackage) { try zi.resources(in: "mod") }
        expectImporterError(.moduleNotFound) { try zi.resources(in: "nothing") }
    }

    @Test func sourceMustBeUTF8() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.bytes("bad.py", [0x66, 0xFF, 0xFE])])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        expectImporterError(.invalidUTF8) { try zi.source(for: "bad") }
        expectImporterError(.moduleNotFound) { try zi.source(for: "missing") }
    }
}
