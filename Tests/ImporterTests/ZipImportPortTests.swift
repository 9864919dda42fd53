import Foundation
import Testing
@testable import Importer

// A port of CPython 3.13's Lib/test/test_zipimport.py: the archive and
// lookup behaviours, each with stored and with deflated members. As in
// `doTest`, files go under the prefix "pre/fix/" and the search path entry
// is "archive.zip/pre/fix". Our default layout is sources (".py"), so the
// .pyc members of the original tests are .py members here.

private let testModule = "ziptestmodule"
private let testPackage = "ziptestpackage"
private let testPackage2 = "ziptestpackage2"
private let testPackage3 = "ziptestpackage3"
private let testSource = "import os, sys\ndef get_name():\n    return __name__\ndef get_file():\n    return __file__\n"

/// `doTest`: the files go under `pre/fix/` in a new archive, the path entry
/// is `archive/pre/fix`, and the dotted name must resolve to
/// `entry/<components>` plus `expected`.
private func doTest(_ compression: Compression, _ files: [Member], _ modules: [String], expected: String,
                    comment: [UInt8]? = nil, stuff: [UInt8]? = nil, prefix: String = "pre/fix/",
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let scratch = try Scratch()
    defer { withExtendedLifetime(scratch) {} }
    let archive = scratch.file("junk95142.zip")
    try makeZip(archive, files.map { Member(name: prefix + $0.name, content: $0.content) },
                compression: compression, comment: comment, stuff: stuff)
    let entry = prefix.isEmpty ? archive : archive + "/" + String(prefix.dropLast())
    let path = ImportPath([entry], cache: ImportCache())
    let spec = path.findSpec(modules.joined(separator: "."))
    #expect(spec?.origin == entry + "/" + modules.joined(separator: "/") + expected, sourceLocation: sourceLocation)
    #expect(spec?.loader is ZipImporter, sourceLocation: sourceLocation)
}

@Suite struct ZipImportPortTests {
    @Test(arguments: Compression.allCases)
    func moduleIsFound(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", testSource)], [testModule], expected: ".py")
    }

    @Test(arguments: Compression.allCases)
    func emptyModuleIsFound(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", "")], [testModule], expected: ".py")
    }

    @Test(arguments: Compression.allCases)
    func packageModuleIsFound(_ compression: Compression) throws {
        let files: [Member] = [.file("\(testPackage)/__init__.py", testSource), .file("\(testPackage)/\(testModule).py", testSource)]
        try doTest(compression, files, [testPackage, testModule], expected: ".py")
        try doTest(compression, files, [testPackage], expected: "/__init__.py")
    }

    @Test(arguments: Compression.allCases)
    func subpackageModuleIsFound(_ compression: Compression) throws {
        let files: [Member] = [
            .file("\(testPackage)/__init__.py", testSource),
            .file("\(testPackage)/\(testPackage2)/__init__.py", testSource),
            .file("\(testPackage)/\(testPackage2)/\(testModule).py", testSource),
        ]
        try doTest(compression, files, [testPackage, testPackage2, testModule], expected: ".py")
    }

    @Test(arguments: Compression.allCases)
    func subNamespacePackageModuleIsFound(_ compression: Compression) throws {
        // The first two members are only directory entries.
        let files: [Member] = [
            .directory(testPackage), .directory("\(testPackage)/\(testPackage2)"),
            .file("\(testPackage)/\(testPackage2)/\(testModule).py", testSource),
        ]
        try doTest(compression, files, [testPackage, testPackage2, testModule], expected: ".py")
    }

    @Test(arguments: Compression.allCases)
    func subNamespacePackageWithImpliedDirectoriesIsFound(_ compression: Compression) throws {
        // No directory entries at all: CPython 3.13 misses this, 3.14 finds it (gh-121111).
        let files: [Member] = [.file("\(testPackage)/\(testPackage2)/\(testModule).py", testSource)]
        try doTest(compression, files, [testPackage, testPackage2, testModule], expected: ".py")
    }

    @Test(arguments: Compression.allCases)
    func prependedJunkIsSkipped(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", testSource)], [testModule], expected: ".py",
                   stuff: Array(String(repeating: "Some Stuff", count: 31).utf8))
    }

    @Test(arguments: Compression.allCases)
    func archiveCommentIsIgnored(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", testSource)], [testModule], expected: ".py",
                   comment: Array("comment".utf8))
    }

    @Test(arguments: Compression.allCases)
    func beginningCruftAndCommentAreSkipped(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", testSource)], [testModule], expected: ".py",
                   comment: Array("hi".utf8), stuff: Array(String(repeating: "cruft", count: 64).utf8))
    }

    @Test(arguments: Compression.allCases)
    func largestPossibleCommentIsSkipped(_ compression: Compression) throws {
        try doTest(compression, [.file(testModule + ".py", testSource)], [testModule], expected: ".py",
                   comment: [UInt8](repeating: UInt8(ascii: "c"), count: 65535))
    }

    @Test(arguments: Compression.allCases)
    func mixedNamespacePackageSpansDirectoryAndZip(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let p1 = "\(testPackage)/", p2 = p1 + "\(testPackage2)/", p3 = p2 + "\(testPackage3)/"
        let zip1 = scratch.file("path1.zip")
        try makeZip(zip1, [
            .directory(p1), .file(p1 + "ziptestmodule.py"), .directory(p2), .directory(p3),
            .file(p3 + "ziptestmodule.py"), .file(p2 + "ziptestmodule3.py"), .file(p2 + "ziptestmodule.py"),
        ], compression: compression)
        let tree = try scratch.makeDirectory("tree")
        try scratch.write("tree/" + p1 + "ziptestmodule2.py")
        try scratch.write("tree/" + p2 + "ziptestmodule2.py")
        try scratch.write("tree/" + p2 + "ziptestmodule.py")
        // The directory (zip2 in CPython's test) comes first on the path.
        let path = ImportPath([tree, zip1], cache: ImportCache())
        try checkNamespaceAcrossEntries(path, first: tree, second: zip1)
    }

    @Test(arguments: Compression.allCases)
    func namespacePackageSpansTwoZips(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let p1 = "\(testPackage)/", p2 = p1 + "\(testPackage2)/", p3 = p2 + "\(testPackage3)/"
        let zip1 = scratch.file("path1.zip"), zip2 = scratch.file("path2.zip")
        try makeZip(zip1, [
            .directory(p1), .file(p1 + "ziptestmodule.py"), .directory(p2), .directory(p3),
            .file(p3 + "ziptestmodule.py"), .file(p2 + "ziptestmodule3.py"), .file(p2 + "ziptestmodule.py"),
        ], compression: compression)
        try makeZip(zip2, [
            .directory(p1), .file(p1 + "ziptestmodule2.py"), .directory(p2),
            .file(p2 + "ziptestmodule2.py"), .file(p2 + "ziptestmodule.py"),
        ], compression: compression)
        let path = ImportPath([zip2, zip1], cache: ImportCache())
        try checkNamespaceAcrossEntries(path, first: zip2, second: zip1)
    }

    /// The assertions shared by testMixedNamespacePackage and testNamespacePackage.
    private func checkNamespaceAcrossEntries(_ path: ImportPath, first: String, second: String) throws {
        let pkg = try #require(path.findSpec(testPackage))
        #expect(pkg.isNamespace && pkg.origin == nil)
        #expect(pkg.submoduleSearchLocations == [first + "/" + testPackage, second + "/" + testPackage])

        let sub3 = try #require(path.findSpec("\(testPackage).\(testPackage2).\(testPackage3)"))
        #expect(sub3.submoduleSearchLocations == [second + "/\(testPackage)/\(testPackage2)/\(testPackage3)"])

        #expect(path.findSpec("\(testPackage).ziptestmodule")?.origin == second + "/\(testPackage)/ziptestmodule.py")
        #expect(path.findSpec("\(testPackage).ziptestmodule2")?.origin == first + "/\(testPackage)/ziptestmodule2.py")

        let subpackage = "\(testPackage).\(testPackage2)"
        let sub = try #require(path.findSpec(subpackage))
        #expect(sub.submoduleSearchLocations == [first + "/\(testPackage)/\(testPackage2)", second + "/\(testPackage)/\(testPackage2)"])
        // In both: the first entry wins.
        #expect(path.findSpec(subpackage + ".ziptestmodule")?.origin == first + "/\(testPackage)/\(testPackage2)/ziptestmodule.py")
        #expect(path.findSpec(subpackage + ".ziptestmodule2")?.origin == first + "/\(testPackage)/\(testPackage2)/ziptestmodule2.py")
        #expect(path.findSpec(subpackage + ".ziptestmodule3")?.origin == second + "/\(testPackage)/\(testPackage2)/ziptestmodule3.py")
    }

    @Test(arguments: Compression.allCases)
    func zipImporterMethods(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk95142.zip")
        let p1 = "\(testPackage)/", p2 = p1 + "\(testPackage2)/"
        try makeZip(archive, [
            .file(p1 + "__init__.py", "# pkg\n"), .file(p2 + "__init__.py", "# pkg2\n"),
            .file(p2 + "\(testModule).py", "# mod\n"), .file("spam.py", "# spam\n"),
        ], compression: compression)
        let cache = ImportCache()
        let zi = try ZipImporter(path: archive, cache: cache)
        #expect(zi.archive == archive)
        #expect(zi.prefix == "")
        #expect(try zi.isPackage(testPackage))

        let spam = try #require(zi.findSpec("spam"))
        #expect(spam.loader === zi)
        #expect(try zi.isPackage("spam") == false)
        #expect(spam.origin == archive + "/spam.py")
        #expect(spam.submoduleSearchLocations == nil)

        let pkg = try #require(zi.findSpec(testPackage))
        #expect(pkg.origin == archive + "/\(testPackage)/__init__.py")
        #expect(pkg.submoduleSearchLocations == [archive + "/" + testPackage])

        // Names with slashes are paths under the prefix (only the last dotted part counts).
        #expect(try zi.isPackage(p1 + "__init__") == false)
        #expect(try zi.isPackage(p1 + testPackage2))
        #expect(try zi.isPackage(p2 + testModule) == false)

        #expect(try zi.source(for: testPackage) == "# pkg\n")
        #expect(try zi.source(for: p2 + testModule) == "# mod\n")
        #expect(try spam.source() == "# spam\n")

        let zi2 = try ZipImporter(path: archive + "/" + testPackage, cache: cache)
        #expect(zi2.archive == archive)
        #expect(zi2.prefix == testPackage + "/")
    }

    @Test(arguments: Compression.allCases)
    func zipImporterMethodsInSubDirectory(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk95142.zip")
        let p1 = "\(testPackage)/", p2 = p1 + "\(testPackage2)/"
        try makeZip(archive, [.file(p2 + "__init__.py", "# pkg2\n"), .file(p2 + "\(testModule).py", "# mod\n")],
                    compression: compression)
        let cache = ImportCache()
        let zi = try ZipImporter(path: archive + "/" + p1, cache: cache)
        #expect(zi.archive == archive)
        #expect(zi.prefix == p1)
        #expect(try zi.isPackage(testPackage2))
        let spec = try #require(zi.findSpec(testPackage2))
        #expect(spec.origin == archive + "/" + p2 + "__init__.py")
        #expect(try zi.isPackage(testPackage2 + "/__init__") == false)
        #expect(try zi.isPackage(testPackage2 + "/" + testModule) == false)

        let zi2 = try ZipImporter(path: archive + "/" + p1 + testPackage2, cache: cache)
        let mod = try #require(zi2.findSpec(testModule))
        #expect(mod.loader === zi2)
        #expect(try zi2.isPackage(testModule) == false)
        #expect(mod.origin == archive + "/" + p2 + testModule + ".py")
        #expect(try zi.source(for: testPackage2 + "/" + testModule) == "# mod\n")
    }

    @Test(arguments: Compression.allCases)
    func getDataReturnsRawBytes(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("junk95142.zip")
        let data = (0 ..< 256).map { UInt8($0) }
        try makeZip(archive, [.bytes("testdata.dat", data), .bytes("pkg/deep.dat", data.reversed())], compression: compression)
        let zi = try ZipImporter(path: archive + "/pkg", cache: ImportCache())
        #expect(try zi.data("testdata.dat") == data)  // archive-relative, not prefix-relative
        #expect(try zi.data(archive + "/pkg/deep.dat") == data.reversed())
        expectImporterError(.resourceNotFound) { try zi.data("deep.dat") }
        expectImporterError(.resourceNotFound) { try zi.data(archive + "/missing.dat") }
    }

    @Test func zip64ArchiveWith65537EntriesIsSearched() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("zip64.zip")
        try run(["python3", Fixture.path("make_large.py"), "--entries", "65537", archive])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        #expect(zi.findSpec("f65536")?.origin == archive + "/f65536.py")
        #expect(zi.findSpec("f00006")?.origin == archive + "/f00006.py")
        #expect(zi.findSpec("f65537") == nil)
        #expect(try zi.source(for: "f65536") == "# f65536.py\n")
    }

    @Test func zip64ArchiveWithCruftAndLargestCommentIsSearched() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("zip64.zip")
        try run(["python3", Fixture.path("make_large.py"), "--entries", "65537", archive])
        // Give the end record the largest comment, and prepend junk.
        var bytes = try readBytes(archive)
        bytes[bytes.count - 2] = 0xFF
        bytes[bytes.count - 1] = 0xFF
        bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "c"), count: 65535))
        try Data(Array("cruft".utf8) + bytes).write(to: URL(fileURLWithPath: archive))
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        #expect(zi.findSpec("f65536")?.origin == archive + "/f65536.py")
        #expect(try zi.source(for: "f65536") == "# f65536.py\n")
    }
}

@Suite struct BadFileTests {
    @Test func missingFileIsRejected() {
        expectImporterError(.notFound) { try ZipImporter(path: "AdfjdkFJKDFJjdklfjs", cache: ImportCache()) }
    }

    @Test func emptyFilenameIsRejected() {
        expectImporterError(.emptyPath) { try ZipImporter(path: "", cache: ImportCache()) }
    }

    @Test func overlongFilenameIsRejected() {
        expectImporterError(.notFound) { try ZipImporter(path: String(repeating: "A", count: 33000), cache: ImportCache()) }
    }

    @Test func emptyFileIsNotAZip() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let file = try scratch.write("empty.zip")
        let error = expectImporterError(.notAZipArchive) { try ZipImporter(path: file, cache: ImportCache()) }
        #expect(error?.zipError != nil)
    }

    @Test func unreadableFileIsRejected() throws {
        // CPython's testFileUnreadable: an empty file with mode 000. Root
        // ignores permission bits, so as root the open succeeds and the
        // (empty) file is rejected as not a zip; otherwise it is unreadable.
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let file = scratch.file("unreadable.zip")
        let fd = open(file, O_CREAT | O_WRONLY, 0o000)
        #expect(fd >= 0)
        close(fd)
        defer { chmod(file, 0o666) }
        let expected: ImporterError.Code = geteuid() == 0 ? .notAZipArchive : .unreadable
        expectImporterError(expected) { try ZipImporter(path: file, cache: ImportCache()) }
    }

    @Test func fileOfTwentyTwoBytesOfJunkIsNotAZip() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let file = try scratch.write("junk.zip", String(repeating: "a", count: 22))
        expectImporterError(.notAZipArchive) { try ZipImporter(path: file, cache: ImportCache()) }
    }

    @Test func directoryIsNotARegularFile() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        expectImporterError(.notARegularFile) { try ZipImporter(path: scratch.path, cache: ImportCache()) }
        expectImporterError(.notARegularFile) { try ZipImporter(path: scratch.path + "/missing/x", cache: ImportCache()) }
    }

    @Test func archivePathIsTheLongestExistingPrefix() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("pkg/sub/mod.py")])
        let zi = try ZipImporter(path: archive + "/pkg/sub", cache: ImportCache())
        #expect(zi.archive == archive)
        #expect(zi.prefix == "pkg/sub/")
        #expect(zi.findSpec("mod")?.origin == archive + "/pkg/sub/mod.py")
        // A prefix that does not exist in the archive is allowed, as in zipimport.
        let nowhere = try ZipImporter(path: archive + "/no/such", cache: ImportCache())
        #expect(nowhere.prefix == "no/such/")
        #expect(nowhere.findSpec("mod") == nil)
    }
}
