/// The local file header before each entry's data (APPNOTE 4.3.7).
///
/// ```
/// signature             4  0x04034b50
/// version needed        2
/// general purpose flags 2
/// compression method    2
/// last mod time, date   2, 2
/// CRC-32                4
/// compressed size       4
/// uncompressed size     4
/// name length           2
/// extra field length    2
/// name, extra field
/// ```
///
/// ZipIndex trusts the central directory for sizes, CRC and method (the
/// local copies are zero when a data descriptor is used). The local header
/// only says where the data starts, and its name must match the central
/// name, as Python's `zipfile` requires: a mismatch means the directory
/// points at the wrong place, or at a crafted overlap.
struct LocalFileHeader {
    static let signature: UInt32 = 0x0403_4b50
    static let fixedLength = 30

    var flags: UInt16
    var nameLength: Int
    var extraLength: Int

    init(_ cursor: inout ByteCursor) throws(ZipError) {
        let start = cursor.offset
        guard try cursor.uint32() == Self.signature else {
            throw ZipError(.invalidLocalHeader, offset: start, detail: "bad signature")
        }
        _ = try cursor.uint16()  // version needed to extract
        flags = try cursor.uint16()
        try cursor.skip(2 + 2 + 2 + 4 + 4 + 4)  // method, time, date, CRC-32, sizes
        nameLength = Int(try cursor.uint16())
        extraLength = Int(try cursor.uint16())
    }

    /// The header's total length: where the entry's data begins.
    var length: Int { Self.fixedLength + nameLength + extraLength }
}
