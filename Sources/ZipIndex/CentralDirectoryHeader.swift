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
    var name: UnsafeRawBufferPointer
    var extra: UnsafeRawBufferPointer
    var comment: UnsafeRawBufferPointer
    /// Whether a ZIP64 extended information extra field was present.
    var hasZip64Extra = false

    /// The whole header's length: the fixed part plus its three variable fields.
    var length: Int { Self.fixedLength + name.count + extra.count + comment.count }

    /// The total length of the header at the front of `bytes`, or nil if the
    /// fixed part is not all there yet.
    static func length(at bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= fixedLength else { return nil }
        let n = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 28, as: UInt16.self)))
        let m = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 30, as: UInt16.self)))
        let k = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt16.self)))
        return fixedLength + n + m + k
    }

    /// Decodes the header at the front of the cursor and applies its ZIP64
    /// extra field.
    init(_ cursor: inout ByteCursor) throws(ZipError) {
        let start = cursor.offset
        guard try cursor.uint32() == Self.signature else {
            throw ZipError(.invalidCentralDirectoryHeader, offset: start, detail: "bad signature")
        }
        versionMadeBy = try cursor.uint16()
        _ = try cursor.uint16()  // version needed to extract
        flags = try cursor.uint16()
        method = try cursor.uint16()
        dosTime = try cursor.uint16()
        dosDate = try cursor.uint16()
        crc32 = try cursor.uint32()
        compressedSize = UInt64(try cursor.uint32())
        uncompressedSize = UInt64(try cursor.uint32())
        let nameLength = Int(try cursor.uint16())
        let extraLength = Int(try cursor.uint16())
        let commentLength = Int(try cursor.uint16())
        diskNumberStart = UInt32(try cursor.uint16())
        internalAttributes = try cursor.uint16()
        externalAttributes = try cursor.uint32()
        localHeaderOffset = UInt64(try cursor.uint32())
        name = try cursor.bytes(nameLength)
        extra = try cursor.bytes(extraLength)
        comment = try cursor.bytes(commentLength)
        try applyZip64ExtendedInformation(headerOffset: start)
    }

    /// Replaces saturated 32-bit fields with their 64-bit values from the
    /// ZIP64 extended information extra field (APPNOTE 4.5.3). The field
    /// holds only the values whose 32-bit fields are saturated, in the order
    /// uncompressed size, compressed size, local header offset, disk number.
    private mutating func applyZip64ExtendedInformation(headerOffset: UInt64) throws(ZipError) {
        let needUncompressed = uncompressedSize == 0xFFFF_FFFF
        let needCompressed = compressedSize == 0xFFFF_FFFF
        let needOffset = localHeaderOffset == 0xFFFF_FFFF
        let needDisk = diskNumberStart == 0xFFFF
        // The hot path: most headers have nothing saturated.
        guard needUncompressed || needCompressed || needOffset || needDisk else { return }
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
