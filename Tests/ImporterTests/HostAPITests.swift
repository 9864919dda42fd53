import Foundation
import Testing
@testable import Importer
import ZipIndex

/// What a host that builds its own specs (the CPython bridge) needs from
/// the public API: byte paths, the matched member, entries with their DOS
/// times and sizes, names, directories, exact-member reads, and whether a
/// lookup would do I/O.
@Suite struct HostAPITests {
    @Test func findMemberNamesWhatMatchedInZipimportsOrder() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/__init__.pyc"), .file("pkg/__init__.py"), .file("mod.pyc"), .file("mod.py"),
                              .file("ns/part.py"), .file("pkg/sub.py")])
        let layout = ModuleLayout(suffixes: [".pyc", ".py"])
        let zi = try ZipImporter(path: archive, layout: layout, cache: ImportCache())
        #expect(zi.findMember("pkg") == ModuleMember(kind: .package, path: "pkg/__init__.pyc"))
        #expect(zi.findMember("a.b.mod") == ModuleMember(kind: .module, path: "mod.pyc"))
        #expect(zi.findMember("ns") == ModuleMember(kind: .namespace, path: "ns"))
        #expect(zi.findMember("missing") == nil)
        let inner = try ZipImporter(path: archive + "/pkg", layout: layout, cache: ImportCache())
        #expect(inner.findMember("pkg.sub") == ModuleMember(kind: .module, path: "pkg/sub.py"))
    }

    @Test func entriesNamesAndDirectoriesComeFromTheCurrentTable() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/__init__.py", "x = 1\n"), .directory("empty"), .file("top.py")])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        let entry = try #require(zi.entry(named: "pkg/__init__.py"))
        #expect(entry.uncompressedSize == 6)
        #expect(entry.modificationDate.year == 2020 && entry.modificationDate.second == 6)
        #expect(zi.entry(named: "pkg") == nil)
        #expect(zi.memberNames == ["pkg/__init__.py", "empty/", "top.py"])
        #expect(zi.directoryExists("pkg") && zi.directoryExists("empty") && !zi.directoryExists("top.py"))
        #expect(zi.contentsOfDirectory("") == ["pkg/", "empty/", "top.py"])
        #expect(try zi.data(member: "pkg/__init__.py") == Array("x = 1\n".utf8))
        expectImporterError(.resourceNotFound) { try zi.data(member: archive + "/top.py") }
    }

    @Test func tableIsCurrentUntilInvalidatedThenAgainAfterTheNextLookup() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("m.py")])
        let cache = ImportCache()
        let zi = try ZipImporter(path: archive, cache: cache)
        #expect(zi.tableIsCurrent)
        cache.invalidateAll()
        #expect(!zi.tableIsCurrent)
        #expect(zi.findMember("m") != nil)
        #expect(zi.tableIsCurrent)
        zi.policy = CachePolicy(timeToLive: .zero)
        #expect(!zi.tableIsCurrent, "a zero time-to-live checks on every lookup")
    }

    @Test func anArchivePathThatIsNotUTF8OpensAndKeepsItsBytes() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let source = scratch.file("plain.zip")
        try makeZip(source, [.file("odd.py", "v = 1\n")])
        let raw = Array(scratch.path.utf8) + Array("/caf".utf8) + [0xE9, 0xFF] + Array(".zip".utf8)
        #expect(raw.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                var terminated = Array(chars) + [0]
                return rename(source, &terminated) == 0
            }
        })
        let path = SystemPath(bytes: raw)
        #expect(path.string == nil)
        #expect(path.description.hasSuffix("/caf\\xe9\\xff.zip"))
        let cache = ImportCache()
        let zi = try ZipImporter(path: path + "/", cache: cache)
        #expect(zi.archivePath == path)
        #expect(zi.prefix == "")
        #expect(try zi.data(member: "odd.py") == Array("v = 1\n".utf8))
        #expect(cache.invalidate(path: path + "/odd.py"), "a member path reaches its archive")
        // The same path through a String names another file (U+FFFD for each
        // bad byte), which does not exist: the split backs up to the directory.
        let lossy = SystemPath(String(decoding: raw, as: UTF8.self))
        expectImporterError(.notARegularFile) { try ZipImporter(path: lossy, cache: cache) }
    }

    @Test func aPathWithANulByteNamesNoFile() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("m.py")])
        // As zipimport: the NUL component cannot be stat'ed, so it is taken as
        // a prefix inside the archive.
        let zi = try ZipImporter(path: SystemPath(bytes: Array((archive + "/x").utf8) + [0, 0x79]), cache: ImportCache())
        #expect(zi.archive == archive)
        expectImporterError(.notFound) { try ZipImporter(path: SystemPath(bytes: [0x2F, 0]), cache: ImportCache()) }
    }

    @Test func moduleWriterTakesBytesAndAByteDirectory() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let directory = try scratch.makeDirectory("lib")
        let source: [UInt8] = Array("# -*- coding: latin-1 -*-\nname = '".utf8) + [0xE9] + Array("'\n".utf8)
        let written = try ModuleWriter().write("gen.mod", contents: source, into: SystemPath(directory))
        #expect(written == SystemPath(directory + "/gen/mod.py"))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/gen/mod.py"))) == source)
        expectImporterError(.invalidModuleName) {
            try ModuleWriter().write("a..b", contents: [], into: SystemPath(directory))
        }
    }
}
