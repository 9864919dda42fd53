import Testing
@testable import ZipIndex

/// One reading: where the local header or the data descriptor could make a
/// streaming reader extract something other than the central directory
/// says (types A1, A2, A3 and A5 of *My ZIP isn't your ZIP*), the entry is
/// refused; where they agree, in any of the forms writers use, it reads.
@Suite("Local headers and data descriptors agree with the directory")
struct LocalHeaderAgreementTests {
    /// One stored entry, written field by field; every field can be made
    /// to lie on one side only.
    struct Entry {
        var name = Array("file.txt".utf8)
        var data = Array("hello, world".utf8)
        var method: UInt16 = 0
        var localMethod: UInt16?
        var flags: UInt16 = 0
        var localFlags: UInt16?
        var crc: UInt32?
        var localCRC: UInt32?
        var compressedSize: UInt32?
        var uncompressedSize: UInt32?
        var localCompressedSize: UInt32?
        var localUncompressedSize: UInt32?
        var localExtra: [UInt8] = []
        var centralExtra: [UInt8] = []
        /// Bytes written after the data (a data descriptor, or nothing).
        var descriptor: [UInt8] = []

        var realCRC: UInt32 { data.withBytes { CRC32.checksum($0) } }

        func bytes() -> [UInt8] {
            let crc = crc ?? realCRC
            let size = UInt32(data.count)
            var local = ByteWriter()
            local.u32(0x0403_4b50); local.u16(20); local.u16(Int(localFlags ?? flags)); local.u16(Int(localMethod ?? method))
            local.u16(0); local.u16(0x21)
            local.u32(localCRC ?? crc)
            local.u32(localCompressedSize ?? compressedSize ?? size)
            local.u32(localUncompressedSize ?? uncompressedSize ?? size)
            local.u16(name.count); local.u16(localExtra.count); local.raw(name); local.raw(localExtra)
            local.raw(data); local.raw(descriptor)
            let directoryOffset = local.bytes.count
            var central = ByteWriter()
            central.u32(0x0201_4b50); central.u16(0x0314); central.u16(20); central.u16(Int(flags)); central.u16(Int(method))
            central.u16(0); central.u16(0x21); central.u32(crc)
            central.u32(compressedSize ?? size); central.u32(uncompressedSize ?? size)
            central.u16(name.count); central.u16(centralExtra.count); central.u16(0); central.u16(0); central.u16(0)
            central.u32(0o100644 << 16); central.u32(0); central.raw(name); central.raw(centralExtra)
            let end = HandmadeArchive.endRecord(count: 1, directorySize: central.bytes.count, directoryOffset: directoryOffset)
            return local.bytes + central.bytes + end
        }

        /// The descriptor for this entry's data: with or without signature,
        /// 4- or 8-byte sizes.
        func dataDescriptor(signature: Bool = true, wide: Bool = false) -> [UInt8] {
            var out = ByteWriter()
            if signature { out.u32(0x0807_4b50) }
            out.u32(realCRC)
            if wide {
                out.u64(UInt64(data.count)); out.u64(UInt64(data.count))
            } else {
                out.u32(UInt32(data.count)); out.u32(UInt32(data.count))
            }
            return out.bytes
        }
    }

    static func extraField(_ tag: UInt16, _ data: [UInt8]) -> [UInt8] {
        le16Bytes(Int(tag)) + le16Bytes(data.count) + data
    }

    static func unicodePath(_ name: String, for raw: [UInt8], version: UInt8 = 1) -> [UInt8] {
        extraField(0x7075, [version] + le32Bytes(raw.withBytes { CRC32.checksum($0) }) + Array(name.utf8))
    }

    /// Opens and reads the one entry, whole and streamed; both must agree.
    static func read(_ entry: Entry) throws(ZipError) -> [UInt8] {
        let archive = try ZipArchive(bytes: entry.bytes())
        let whole: [UInt8]
        do {
            whole = try archive.read(archive.entries[0])
        } catch {
            var streamedError: ZipError?
            do { try archive.read(archive.entries[0]) { _ in } } catch { streamedError = error as? ZipError }
            #expect(streamedError?.code == error.code, "the streamed read refuses it alike")
            throw error
        }
        return whole
    }

    static func code(_ entry: Entry) -> ZipError.Code? {
        do {
            _ = try read(entry)
            return nil
        } catch {
            return error.code
        }
    }

    // MARK: What agrees reads

    @Test func anEntryWhoseHeadersAgreeReads() throws {
        #expect(try Self.read(Entry()) == Array("hello, world".utf8))
    }

    @Test(arguments: [(true, false), (false, false), (true, true), (false, true)])
    func aDataDescriptorInEveryFormReads(signature: Bool, wide: Bool) throws {
        var entry = Entry(flags: 0x08)
        entry.localCRC = 0; entry.localCompressedSize = 0; entry.localUncompressedSize = 0
        entry.descriptor = entry.dataDescriptor(signature: signature, wide: wide)
        #expect(try Self.read(entry) == entry.data)
    }

    @Test func aDataDescriptorEntryMayGiveItsValuesInTheLocalHeaderToo() throws {
        var entry = Entry(flags: 0x08)
        entry.descriptor = entry.dataDescriptor()
        #expect(try Self.read(entry) == entry.data)
    }

    @Test func nameEncodingFlagMayDifferForAnASCIIName() throws {
        let entry = Entry(flags: 0x800, localFlags: 0)
        #expect(try Self.read(entry) == entry.data)
    }

    // MARK: What disagrees is refused

    @Test func localStoredAgainstCentralDeflatedIsRefused() {
        #expect(Self.code(Entry(method: 8, localMethod: 0)) == .localHeaderMismatch)
    }

    @Test(arguments: [UInt16(0x08), 0x2000])
    func aReadingFlagOnOneSideOnlyIsRefused(flag: UInt16) {
        var entry = Entry(flags: 0, localFlags: flag)
        entry.descriptor = entry.dataDescriptor()
        #expect(Self.code(entry) == .localHeaderMismatch)
    }

    @Test func aLocalCRCThatDiffersWithoutADescriptorIsRefused() {
        #expect(Self.code(Entry(localCRC: 0x1234_5678)) == .localHeaderMismatch)
    }

    @Test func localSizesThatDifferWithoutADescriptorAreRefused() {
        #expect(Self.code(Entry(localUncompressedSize: 13)) == .localHeaderMismatch)
        #expect(Self.code(Entry(localCompressedSize: 0, localUncompressedSize: 0)) == .localHeaderMismatch,
                "zero local sizes are deferred only with flag bit 3")
    }

    /// The paper's forged case: the directory says 0 bytes with CRC 0 (so
    /// that reading nothing would pass), while the local header and the
    /// descriptor hold 12 bytes that a streaming reader extracts.
    @Test func centralSizesOfZeroAgainstARealDescriptorAreRefused() {
        var entry = Entry(flags: 0x08, crc: 0, compressedSize: 0, uncompressedSize: 0)
        entry.localCRC = entry.realCRC; entry.localCompressedSize = 12; entry.localUncompressedSize = 12
        entry.descriptor = entry.dataDescriptor()
        #expect(Self.code(entry) == .localHeaderMismatch)
        entry.localCRC = 0; entry.localCompressedSize = 0; entry.localUncompressedSize = 0
        #expect(Self.code(entry) == .dataDescriptorMismatch, "the descriptor is not where 0 bytes of data end")
    }

    @Test func aDescriptorThatDisagreesIsRefused() {
        var entry = Entry(flags: 0x08)
        entry.descriptor = le32Bytes(0x0807_4b50) + le32Bytes(0xDEAD_BEEF) + le32Bytes(12) + le32Bytes(12)
        #expect(Self.code(entry) == .dataDescriptorMismatch)
        entry.descriptor = le32Bytes(0x0807_4b50) + le32Bytes(entry.realCRC) + le32Bytes(12) + le32Bytes(13)
        #expect(Self.code(entry) == .dataDescriptorMismatch)
    }

    @Test func aMissingDescriptorIsRefused() {
        // The end records follow the data at once: no descriptor there.
        #expect(Self.code(Entry(flags: 0x08)) == .dataDescriptorMismatch)
    }

    // MARK: Extra fields

    @Test func twoZip64FieldsInTheCentralHeaderAreRefusedAtOpen() {
        let zip64 = Self.extraField(0x0001, le64Bytes(12))
        let entry = Entry(uncompressedSize: 0xFFFF_FFFF, centralExtra: zip64 + zip64)
        #expect(throws: ZipError.self) { _ = try ZipArchive(bytes: entry.bytes()) }
        do { _ = try ZipArchive(bytes: entry.bytes()) } catch { #expect(error.code == .invalidExtraField) }
    }

    @Test func twoZip64FieldsInTheLocalHeaderAreRefused() {
        let zip64 = Self.extraField(0x0001, le64Bytes(12) + le64Bytes(12))
        #expect(Self.code(Entry(localExtra: zip64 + zip64)) == .invalidExtraField)
    }

    @Test func localZip64SizesCountForTheComparison() throws {
        let zip64 = Self.extraField(0x0001, le64Bytes(12) + le64Bytes(12))
        let entry = Entry(localCompressedSize: 0xFFFF_FFFF, localUncompressedSize: 0xFFFF_FFFF, localExtra: zip64)
        #expect(try Self.read(entry) == entry.data)
        let lying = Self.extraField(0x0001, le64Bytes(13) + le64Bytes(12))
        #expect(Self.code(Entry(localCompressedSize: 0xFFFF_FFFF, localUncompressedSize: 0xFFFF_FFFF, localExtra: lying))
                == .localHeaderMismatch)
    }

    @Test func twoUnicodePathFieldsAreRefusedAtOpen() {
        let raw = Array("file.txt".utf8)
        let field = Self.unicodePath("f\u{e9}.txt", for: raw)
        do { _ = try ZipArchive(bytes: Entry(centralExtra: field + field).bytes()) } catch {
            #expect(error.code == .invalidExtraField)
            return
        }
        Issue.record("two Unicode Path fields were accepted")
    }

    @Test func aUnicodePathFieldOtherThanVersionOneIsRefusedAtOpen() {
        let raw = Array("file.txt".utf8)
        do { _ = try ZipArchive(bytes: Entry(centralExtra: Self.unicodePath("x.txt", for: raw, version: 2)).bytes()) } catch {
            #expect(error.code == .invalidExtraField)
            return
        }
        Issue.record("a version 2 Unicode Path field was accepted")
    }

    @Test func aUnicodePathThatRenamesAUTF8NameIsRefusedAtOpen() {
        let raw = Array("file.txt".utf8)
        let entry = Entry(flags: 0x800, centralExtra: Self.unicodePath("other.txt", for: raw))
        do { _ = try ZipArchive(bytes: entry.bytes()) } catch {
            #expect(error.code == .invalidName)
            return
        }
        Issue.record("bit 11 and a different Unicode Path name were accepted")
    }

    @Test func aUnicodePathFieldMustBeTheSameInBothHeaders() throws {
        let raw = Array("file.txt".utf8)
        let field = Self.unicodePath("f\u{e9}.txt", for: raw)
        let both = Entry(localExtra: field, centralExtra: field)
        let archive = try ZipArchive(bytes: both.bytes())
        #expect(archive.entries[0].name == "f\u{e9}.txt")
        #expect(try Self.read(both) == both.data)
        #expect(Self.code(Entry(localExtra: field)) == .localHeaderMismatch, "only the local header renames it")
        #expect(Self.code(Entry(centralExtra: field)) == .localHeaderMismatch, "only the directory renames it")
        let other = Self.unicodePath("g\u{e9}.txt", for: raw)
        #expect(Self.code(Entry(localExtra: other, centralExtra: field)) == .localHeaderMismatch)
    }
}
