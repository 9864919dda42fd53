import Foundation
import Testing
@testable import Importer

/// DirectoryFinder: FileFinder's resolution and its mtime-driven cache.
@Suite struct DirectoryFinderTests {
    @Test func packageBeatsModuleOfTheSameName() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("both.py")
        try scratch.write("both/__init__.py")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        let spec = try #require(finder.findSpec("both"))
        #expect(spec.origin == scratch.path + "/both/__init__.py")
        #expect(spec.submoduleSearchLocations == [scratch.path + "/both"])
        #expect(spec.loader === finder)
    }

    @Test func moduleIsFoundAndReadable() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("mod.py", "print('hi')\n")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        let spec = try #require(finder.findSpec("some.parent.mod"))  // the last component counts
        #expect(spec.origin == scratch.path + "/mod.py")
        #expect(spec.submoduleSearchLocations == nil && !spec.isPackage)
        #expect(try spec.source() == "print('hi')\n")
    }

    @Test func directoryWithoutMarkerIsANamespacePortion() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("ns/inner.py")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        let spec = try #require(finder.findSpec("ns"))
        #expect(spec.isNamespace && spec.origin == nil && spec.isPackage)
        #expect(spec.submoduleSearchLocations == [scratch.path + "/ns"])
    }

    @Test func moduleBeatsNamespaceDirectory() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("thing/data.txt")
        try scratch.write("thing.py")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        #expect(finder.findSpec("thing")?.origin == scratch.path + "/thing.py")
    }

    @Test func lookupIsCaseSensitive() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("Mod.py")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        #expect(finder.findSpec("mod") == nil)
        #expect(finder.findSpec("Mod") != nil)
    }

    @Test func directoryOfTheSameNameAsASuffixedFileIsNotAModule() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.makeDirectory("odd.py")
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        #expect(finder.findSpec("odd") == nil)
    }

    /// By default the directory is stat'ed on every find: a new file shows
    /// up with no invalidation, as with FileFinder.
    @Test func newModuleIsSeenWhenTheDirectoryChanges() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let finder = try DirectoryFinder(path: scratch.path, cache: ImportCache())
        #expect(finder.findSpec("later") == nil)
        try scratch.write("later.py")
        #expect(finder.findSpec("later") != nil)
        try FileManager.default.removeItem(atPath: scratch.file("later.py"))
        #expect(finder.findSpec("later") == nil)
    }

    @Test func unchangedDirectoryIsNotListedAgain() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("lib")
        try scratch.write("lib/a.py")
        try age(directory)
        settle()
        let finder = try DirectoryFinder(path: directory, cache: ImportCache(timestampGranularity: .zero))
        #expect(finder.findSpec("a") != nil)
        #expect(finder.findSpec("b") == nil)
        #expect(finder.findSpec("a") != nil)
        #expect(finder.statistics.reloads == 1)
        #expect(finder.statistics.revalidations == 2)
    }

    @Test func notADirectoryIsRejected() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let file = try scratch.write("file.txt")
        expectImporterError(.notADirectory) { try DirectoryFinder(path: file, cache: ImportCache()) }
        expectImporterError(.notFound) { try DirectoryFinder(path: scratch.file("missing"), cache: ImportCache()) }
    }

    @Test func deletedDirectoryFindsNothing() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("gone")
        try scratch.write("gone/m.py")
        let finder = try DirectoryFinder(path: directory, cache: ImportCache())
        #expect(finder.findSpec("m") != nil)
        try FileManager.default.removeItem(atPath: directory)
        #expect(finder.findSpec("m") == nil)
    }

    @Test func customLayoutIsHonoured() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        try scratch.write("plug/module.lua")
        try scratch.write("tool.lua")
        try scratch.write("tool.py")
        let layout = ModuleLayout(suffixes: [".lua"], packageMarker: "module")
        let finder = try DirectoryFinder(path: scratch.path, layout: layout, cache: ImportCache())
        #expect(finder.findSpec("plug")?.origin == scratch.path + "/plug/module.lua")
        #expect(finder.findSpec("tool")?.origin == scratch.path + "/tool.lua")
    }
}
