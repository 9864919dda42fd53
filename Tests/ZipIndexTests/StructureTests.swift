import Testing
@testable import ZipIndex

/// Nothing hidden between entries (type C1 of *My ZIP isn't your ZIP*):
/// `verifyStructure()` reports the bytes the directory does not account for,
/// and fails only where a streaming reader would find an entry the
/// directory does not list, or stop short of one it does.
@Suite("The structure between the entries")
struct StructureTests {
    /// Stored records laid out as given: each member is written as a local
    /// record, `junk` goes where it says, and `listed` picks which members
    /// the directory names. Offsets come from where the records landed.
    static func layout(_ parts: [Part], listed: Set<String>? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var records: [(name: String, data: [UInt8], offset: Int)] = []
        for part in parts {
            switch part {
            case .junk(let bytes):
                out += bytes
            case .member(let name, let data):
                records.append((name, data, out.count))
                out += HandmadeArchive.localHeader(name: name, data: data) + data
            }
        }
        let directory = out.count
        var count = 0
        for record in records where listed?.contains(record.name) ?? true {
            out += HandmadeArchive.centralHeader(name: record.name, data: record.data, offset: record.offset)
            count += 1
        }
        out += HandmadeArchive.endRecord(count: count, directorySize: out.count - directory, directoryOffset: directory)
        return out
    }

    enum Part {
        case member(String, [UInt8])
        case junk([UInt8])
    }

    static let a = Part.member("a.txt", Array("alpha\n".utf8))
    static let b = Part.member("b.txt", Array("bravo\n".utf8))
    static let c = Part.member("c.txt", Array("charlie\n".utf8))

    @Test func recordsThatFollowEachOtherAreClean() throws {
        let structure = try ZipArchive(bytes: Self.layout([Self.a, Self.b, Self.c])).verifyStructure()
        #expect(structure.isClean)
        #expect(structure.gaps.isEmpty)
    }

    @Test func everyFixtureMadeByARealToolIsClean() throws {
        for name in Fixture.all {
            guard let archive = try? Fixture.open(name) else { continue }
            let structure = try archive.verifyStructure()
            #expect(structure.isClean, "\(name): \(structure)")
        }
    }

    @Test func aRecordTheDirectoryDoesNotListIsAHiddenEntry() throws {
        let bytes = Self.layout([Self.a, Self.b, Self.c], listed: ["a.txt", "c.txt"])
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.name) == ["a.txt", "c.txt"])
        let structure = try archive.verifyStructure()
        let hiddenAt = UInt64(30 + 5 + 6)
        #expect(structure.hiddenEntries == [hiddenAt])
        #expect(structure.gaps == [hiddenAt ..< hiddenAt + 30 + 5 + 6])
        #expect(!structure.isClean)
    }

    @Test func paddingBetweenRecordsIsAGapButClean() throws {
        let structure = try ZipArchive(bytes: Self.layout([Self.a, .junk([UInt8](repeating: 0, count: 16)), Self.b]))
            .verifyStructure()
        #expect(structure.gaps.count == 1)
        #expect(structure.gaps.first.map { $0.count } == 16)
        #expect(structure.isClean)
    }

    @Test func aStraySignatureInAPrefixIsNotAnEntry() throws {
        // A self-extractor stub that happens to hold "PK\3\4" with lengths
        // that lead nowhere.
        var stub = [UInt8](repeating: 0x90, count: 200)
        stub.replaceSubrange(40 ..< 44, with: [0x50, 0x4B, 0x03, 0x04])
        let archive = try ZipArchive(bytes: stub + Self.layout([Self.a, Self.b]))
        #expect(archive.prependedBytes == 200)
        #expect(try archive.verifyStructure().isClean)
    }

    @Test func aWholeRecordEndingTheStubIsAHiddenEntry() throws {
        let smuggled = HandmadeArchive.localHeader(name: "x.exe", data: Array("MZ payload".utf8)) + Array("MZ payload".utf8)
        let stub = [UInt8](repeating: 0x90, count: 64) + smuggled
        let archive = try ZipArchive(bytes: stub + Self.layout([Self.a]))
        #expect(try archive.verifyStructure().hiddenEntries == [64])
    }

    @Test func storedDataHoldingAnEarlierDescriptorIsReported() throws {
        // A stored entry with bit 3 whose data, 4 bytes in, holds a
        // descriptor saying "4 bytes": a streaming reader stops there.
        let data: [UInt8] = Array("evil".utf8) + le32Bytes(0x0807_4b50) + le32Bytes(0) + le32Bytes(4) + le32Bytes(4)
            + Array("rest".utf8)
        let crc = data.withBytes { CRC32.checksum($0) }
        var w = ByteWriter()
        w.u32(0x0403_4b50); w.u16(20); w.u16(8); w.u16(0); w.u16(0); w.u16(0x21); w.u32(0); w.u32(0); w.u32(0)
        w.u16(5); w.u16(0); w.raw(Array("s.bin".utf8)); w.raw(data)
        w.u32(0x0807_4b50); w.u32(crc); w.u32(UInt32(data.count)); w.u32(UInt32(data.count))
        let directory = w.bytes.count
        w.u32(0x0201_4b50); w.u16(0x0314); w.u16(20); w.u16(8); w.u16(0); w.u16(0); w.u16(0x21); w.u32(crc)
        w.u32(UInt32(data.count)); w.u32(UInt32(data.count)); w.u16(5); w.u16(0); w.u16(0); w.u16(0); w.u16(0)
        w.u32(0o100644 << 16); w.u32(0); w.raw(Array("s.bin".utf8))
        let size = w.bytes.count - directory
        w.raw(HandmadeArchive.endRecord(count: 1, directorySize: size, directoryOffset: directory))
        let archive = try ZipArchive(bytes: w.bytes)
        #expect(try archive.read(archive.entries[0]) == data, "the directory's reading is fine")
        let structure = try archive.verifyStructure()
        #expect(structure.truncatingDescriptors == [0])
        #expect(structure.gaps.isEmpty)
    }
}
