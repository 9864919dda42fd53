import Testing
@testable import ZipIndex

@Suite("Decoding names")
struct NameDecodingTests {
    @Test func utf8FlaggedNamesAreUTF8() throws {
        let archive = try Fixture.open("utf8-flag.zip")
        let names = archive.entries.map(\.name)
        #expect(names.contains("世界.txt"))
        #expect(names.contains("café/naïve.txt"))
        #expect(try #require(archive.entry(named: "世界.txt")).isUTF8)
    }

    @Test func unflaggedNamesAreCodePage437EvenWhenTheyLookLikeUTF8() throws {
        // Info-ZIP on Unix writes raw UTF-8 without bit 11; the format says
        // CP437, and Python's zipfile agrees.
        let archive = try Fixture.open("utf8-noflag.zip")
        var expected = ""
        expected.unicodeScalars.append(contentsOf: "世界.txt".utf8.map { Unicode.Scalar(cp437: $0) })
        #expect(archive.entries.map(\.name).contains(expected))
    }

    @Test func codePage437NamesAreTranscoded() throws {
        let archive = try Fixture.open("cp437.zip")
        #expect(archive.entry(named: "café.txt") != nil)
        #expect(archive.entry(named: "ÄÖÜ.txt") != nil)
        for entry in archive.entries { _ = try archive.read(entry) }  // local names match after decoding
    }

    @Test func unicodePathExtraWithMatchingCRCGivesTheName() throws {
        let archive = try Fixture.open("unicode-path-extra.zip")
        let names = archive.entries.map(\.name)
        #expect(names.contains("café-€.txt"))
        #expect(names.contains("Übersicht.txt"))
        #expect(names.contains("stale.txt"))  // its extra's CRC does not match: ignored
        #expect(names.contains("plain.txt"))
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func cp437TableMatchesTheStandard() {
        // Spot checks against Python's cp437 codec.
        #expect(NameEncoding.cp437High[0x82 - 0x80] == 0x00E9)  // é
        #expect(NameEncoding.cp437High[0xE1 - 0x80] == 0x00DF)  // ß
        #expect(NameEncoding.cp437High[0xFF - 0x80] == 0x00A0)  // no-break space
    }

    @Test(arguments: [
        ([0x61, 0x62], true),
        ([0xC3, 0xA9], true),  // é
        ([0xE4, 0xB8, 0x96], true),  // 世
        ([0xF0, 0x9F, 0x98, 0x80], true),  // 😀
        ([0xC3], false),  // truncated
        ([0xC0, 0x80], false),  // overlong NUL
        ([0xED, 0xA0, 0x80], false),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], false),  // above U+10FFFF
        ([0xFF], false),
    ] as [([UInt8], Bool)])
    func utf8ValidationIsStrict(_ bytes: [UInt8], _ valid: Bool) {
        #expect(bytes.withBytes { UTF8Validation.isValid($0) } == valid)
    }

    @Test func invalidUTF8UnderFlagBit11IsRejected() throws {
        var bytes = try Fixture.bytes("utf8-flag.zip")
        // Corrupt the first byte of "世界.txt" in the central directory.
        let name = Array("世界.txt".utf8)
        let central = try #require(bytes.firstIndex(ofSignature: 0x0201_4b50))
        var position: Int?
        for i in central ..< bytes.count - name.count where Array(bytes[i ..< i + name.count]) == name {
            position = i
            break
        }
        let at = try #require(position)
        bytes[at] = 0xFF
        expectZipError(.invalidName) { _ = try ZipArchive(bytes: bytes) }
    }
}

extension Unicode.Scalar {
    init(cp437 byte: UInt8) {
        self = byte < 0x80 ? Unicode.Scalar(byte) : Unicode.Scalar(UInt32(NameEncoding.cp437High[Int(byte - 0x80)]))!
    }
}
