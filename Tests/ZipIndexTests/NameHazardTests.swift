import Testing
@testable import ZipIndex

@Suite("Name hazards: what readers and file systems may treat differently")
struct NameHazardTests {
    func hazards(_ name: [UInt8]) -> NameHazards {
        name.withBytes { EntryName.hazards($0) }
    }

    func hazards(_ name: String) -> NameHazards { hazards(Array(name.utf8)) }

    @Test(arguments: [
        ("a\u{0}b.txt", NameHazards.nul),
        ("a\u{1}b", .controlCharacter),
        ("line\nbreak", .controlCharacter),
        ("del\u{7F}", .controlCharacter),
        ("invoice\u{202E}fdp.exe", .bidiOverride),
        ("x\u{2066}y", .bidiOverride),
        ("x\u{2069}", .bidiOverride),
        ("a\\b", .backslash),
        ("/etc/passwd", .absolute),
        ("\\\\server\\share", [.absolute, .backslash, .dotComponent]),
        ("C:x", .driveLetter),
        ("c:\\x", [.driveLetter, .backslash]),
        ("./a", .dotComponent),
        ("a/../b", .dotComponent),
        ("a//b", .dotComponent),
        ("a/b/.", .dotComponent),
        ("..", .dotComponent),
        ("CON", .windowsReserved),
        ("dir/aux.c", .windowsReserved),
        ("Lpt1.log", .windowsReserved),
        ("nul .txt", .windowsReserved),
        ("com9", .windowsReserved),
        ("trailing.", .windowsReserved),
        ("trailing /x", .windowsReserved),
        ("what?", .windowsReserved),
        ("ab:c", .windowsReserved),
        ("a:b", .driveLetter),
        ("..a/b..", .windowsReserved),
        ("a<b>|\"*", .windowsReserved),
    ] as [(String, NameHazards)])
    func eachHazardIsFoundInTheNameItself(_ name: String, _ expected: NameHazards) {
        #expect(hazards(name) == expected, "\(name.debugDescription): \(hazards(name).identifier)")
    }

    @Test(arguments: [
        "a/b/c.txt", "dir/", "deep/dir/", "café/naïve.txt", "..a/b", ".hidden", "a/.b",
        "console.txt", "com10", "lpt0", "auxiliary/x", "com", "nul_x", "\u{200F}rlm-is-a-mark",
        "日本語/ファイル.txt", "META-INF/MANIFEST.MF",
    ])
    func ordinaryNamesHaveNoHazards(_ name: String) {
        #expect(hazards(name) == [], "\(name.debugDescription): \(hazards(name).identifier)")
    }

    @Test func everyNameUnsafeToExtractCarriesAnUnsafeHazardOrLeavesNothing() {
        // The two answers come from one scan: a name without a path has a
        // hazard that says why (or climbs out, or leaves nothing).
        for name in ["a\u{0}b", "/x", "C:x", "a\\b", "../x", "a/../../x", ".", "a/.."] {
            let path = Array(name.utf8).withBytes { EntryName.safeRelativePath($0) }
            #expect(path == nil, "\(name.debugDescription)")
            #expect(!hazards(name).isEmpty, "\(name.debugDescription)")
        }
    }

    @Test func identifiersNameEveryFlagInOrder() {
        #expect(NameHazards.nul.identifier == "nul")
        #expect(NameHazards([.caseCollision, .backslash]).identifier == "backslash,caseCollision")
        #expect(Set(NameHazards.allCases.map(\.identifier)).count == NameHazards.allCases.count)
        #expect(NameHazards.allCases.allSatisfy { $0.rawValue.nonzeroBitCount == 1 })
    }

    @Test func highBytesWithoutTheUTF8FlagAreAnUndeclaredEncoding() throws {
        let members = [HandmadeArchive.Member(name: Array("caf\u{82}".utf8.prefix(3)) + [0x82], data: []),
                       HandmadeArchive.Member(name: Array("plain".utf8), data: [])]
        let archive = try ZipArchive(bytes: HandmadeArchive.build(members))
        #expect(archive.entries[0].name == "café")
        #expect(archive.entries[0].nameHazards == .undeclaredEncoding)
        #expect(archive.entries[1].nameHazards == [])
    }

    @Test func aDirectoryNameWithDataIsADirectoryMismatch() throws {
        let archive = try ZipArchive(bytes: HandmadeArchive.stored([("dir/", Array("data".utf8)), ("empty/", [])]))
        #expect(archive.entries[0].isDirectory)
        #expect(archive.entries[0].nameHazards == .directoryMismatch)
        #expect(archive.entries[1].nameHazards == [])
    }

    @Test(arguments: [
        (UInt32(0o040755) << 16, "Unix directory mode"),
        (UInt32(0x10), "MS-DOS directory attribute"),
    ] as [(UInt32, String)])
    func directoryAttributesOnANameWithoutSlashAreADirectoryMismatch(_ attributes: UInt32, _ what: String) throws {
        var bytes = HandmadeArchive.stored([("looks-like-a-file", [])])
        let central = try #require(findSignature(0x0201_4b50, in: bytes))
        withUnsafeBytes(of: attributes.littleEndian) { bytes.replaceSubrange(central + 38 ..< central + 42, with: $0) }
        let archive = try ZipArchive(bytes: bytes)
        #expect(!archive.entries[0].isDirectory, "isDirectory keeps going by the name")
        #expect(archive.entries[0].nameHazards == .directoryMismatch, "\(what)")
    }

    func findSignature(_ signature: UInt32, in bytes: [UInt8]) -> Int? {
        let pattern = withUnsafeBytes(of: signature.littleEndian, Array.init)
        return (0 ... bytes.count - 4).first { Array(bytes[$0 ..< $0 + 4]) == pattern }
    }
}
