import Foundation
import Testing
@testable import Importer

/// ModuleWriter on the real file system (see RacyTimestampTests for the
/// coarse-granularity proof).
@Suite struct ModuleWriterTests {
    @Test func writtenModuleIsFoundByTheVeryNextFind() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        // Fine timestamps (no racy re-listing) and a listing trusted until
        // invalidated: only the writer's invalidation can make it visible.
        let cache = ImportCache(timestampGranularity: .zero)
        let path = ImportPath([scratch.path], cache: cache)
        #expect(path.setPolicy(CachePolicy(), forEntry: scratch.path))
        #expect(path.findSpec("fresh") == nil)
        try ModuleWriter(cache: cache).writeModule("fresh", source: "A = 1\n", into: scratch.path)
        let spec = try #require(path.findSpec("fresh"))
        #expect(try spec.source() == "A = 1\n")
    }

    @Test func rewrittenModuleReplacesItsContentAtomically() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let writer = ModuleWriter(cache: ImportCache())
        let file = try writer.writeModule("m", source: "old\n", into: scratch.path)
        try writer.writeModule("m", source: "new\n", into: scratch.path)
        #expect(try readBytes(file) == Array("new\n".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func dottedModuleAndPackageAreWrittenBeneathTheDirectory() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let cache = ImportCache()
        let path = ImportPath([scratch.path], cache: cache)
        let writer = ModuleWriter(cache: cache)
        try writer.writePackage("app", into: scratch.path)
        try writer.writeModule("app.models", source: "", into: scratch.path)
        #expect(path.findSpec("app")?.isNamespace == false)
        #expect(path.findSpec("app.models")?.origin == scratch.path + "/app/models.py")
        try writer.writeModule("loose.leaf", source: "", into: scratch.path)
        #expect(path.findSpec("loose")?.isNamespace == true)
        #expect(path.findSpec("loose.leaf") != nil)
    }

    @Test func invalidNamesAndTargetsAreRejected() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let writer = ModuleWriter(cache: ImportCache())
        for name in ["", "a..b", "a/b", ".."] {
            expectImporterError(.invalidModuleName) { try writer.writeModule(name, source: "", into: scratch.path) }
        }
        let file = try scratch.write("file.txt")
        expectImporterError(.notADirectory) { try writer.writeModule("m", source: "", into: file) }
    }
}
