/// One central directory file header (APPNOTE 4.3.12).
///
/// ```
/// signature                  4  0x02014b50
/// version made by            2
/// version needed             2
/// general purpose flags      2
/// compression method         2
/// last mod time, date        2, 2   (MS-DOS format)
/// CRC-32                     4
/// compressed size            4
/// uncompressed size          4
/// name length                2
/// extra field length         2
/// comment length             2
/// disk number start          2
/// internal attributes        2
/// external attributes        4
/// local header offset        4   (relative to the start of the zip data)
/// name, extra field, comment
/// ```
///
/// The name, extra and comment are borrowed from the buffer being parsed:
/// decoding a header allocates nothing.
struct CentralDirectoryHeader {
    static let signature: UInt32 = 0x0201_4b50
    /// The APPNOTE 4.3.13 digital signature record may end the directory.
    static let digitalSignature: UInt32 = 0x0505_4b50
    static let fixedLength = 46

    var versionMadeBy: UInt16
    var versionNeeded: UInt16
    var flags: UInt16
    var method: UInt16
    var dosTime: UInt16
    var dosDate: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var diskNumberStart: UInt32
    var internalAttributes: UInt16
    var externalAttributes: UInt32
    /// Relative to the start of the zip data, not yet shifted by the base.
    var localHeaderOffset: UInt64
    var name: ByteView
    var extra: ByteView
    var comment: ByteView
    /// Whether a ZIP64 extended information extra field was present.
    var hasZip64Extra = false

    /// The total length of the header at the front of `bytes`, or nil if the
    /// fixed part is not all there yet.
    static func length(at bytes: ByteView) -> Int? {
        guard bytes.count >= fixedLength else { return nil }
        let n = Int(bytes.load(at: 28, as: UInt16.self))
        let m = Int(bytes.load(at: 30, as: UInt16.self))
        let k = Int(bytes.load(at: 32, as: UInt16.self))
        return fixedLength + n + m + k
    }

    /// Decodes the header at the front of the cursor and applies its ZIP64
    /// extra field.
    init(_ cursor: inout ByteCursor) throws(ZipError) {
        let start = cursor.offset
        // One check that the fixed part is there; the reads below are at
        // constant offsets inside it.
        let fixed = try cursor.bytes(Self.fixedLength)
        @inline(__always) func u16(_ offset: Int) -> UInt16 { fixed.load(at: offset) }
        @inline(__always) func u32(_ offset: Int) -> UInt32 { fixed.load(at: offset) }
        guard u32(0) == Self.signature else {
            throw ZipError(.invalidCentralDirectoryHeader, offset: start, detail: "bad signature")
        }
        versionMadeBy = u16(4)
        versionNeeded = u16(6)
        flags = u16(8)
        method = u16(10)
        dosTime = u16(12)
        dosDate = u16(14)
        crc32 = u32(16)
        compressedSize = UInt64(u32(20))
        uncompressedSize = UInt64(u32(24))
        let nameLength = Int(u16(28))
        let extraLength = Int(u16(30))
        let commentLength = Int(u16(32))
        diskNumberStart = UInt32(u16(34))
        internalAttributes = u16(36)
        externalAttributes = u32(38)
        localHeaderOffset = UInt64(u32(42))
        name = try cursor.bytes(nameLength)
        extra = try cursor.bytes(extraLength)
        comment = try cursor.bytes(commentLength)
        // The hot path: most headers have nothing saturated.
        if uncompressedSize == 0xFFFF_FFFF || compressedSize == 0xFFFF_FFFF
            || localHeaderOffset == 0xFFFF_FFFF || diskNumberStart == 0xFFFF {
            try applyZip64ExtendedInformation(headerOffset: start)
        }
    }

    /// Replaces saturated 32-bit fields with their 64-bit values from the
    /// ZIP64 extended information extra field (APPNOTE 4.5.3). The field
    /// holds only the values whose 32-bit fields are saturated, in the order
    /// uncompressed size, compressed size, local header offset, disk number.
    @inline(never)
    private mutating func applyZip64ExtendedInformation(headerOffset: UInt64) throws(ZipError) {
        let needUncompressed = uncompressedSize == 0xFFFF_FFFF
        let needCompressed = compressedSize == 0xFFFF_FFFF
        let needOffset = localHeaderOffset == 0xFFFF_FFFF
        let needDisk = diskNumberStart == 0xFFFF
        guard let field = ExtraField.find(ExtraField.zip64ExtendedInformation, in: extra) else {
            // Go accepts an uncompressed size of 2³²−1 with no ZIP64 field: a
            // zip32 writer can produce it (42.zip). A saturated compressed
            // size or offset without the field cannot be read correctly.
            if needCompressed || needOffset {
                throw ZipError(.invalidExtraField, offset: headerOffset,
                               detail: "a size or offset is 0xFFFFFFFF but there is no ZIP64 extra field")
            }
            return
        }
        hasZip64Extra = true
        var data = ByteCursor(field, fileOffset: headerOffset)
        do {
            if needUncompressed { uncompressedSize = try data.uint64() }
            if needCompressed { compressedSize = try data.uint64() }
            if needOffset { localHeaderOffset = try data.uint64() }
            if needDisk { diskNumberStart = try data.uint32() }
        } catch {
            throw ZipError(.invalidExtraField, offset: headerOffset,
                           detail: "the ZIP64 extra field is too short for the saturated fields")
        }
    }
}
