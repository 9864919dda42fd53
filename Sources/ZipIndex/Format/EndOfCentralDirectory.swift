/// The end of central directory record (APPNOTE 4.3.16).
///
/// ```
/// signature                 4  0x06054b50
/// number of this disk       2
/// disk where CD starts      2
/// CD records on this disk   2
/// total CD records          2
/// size of CD                4
/// offset of CD              4   (relative to the start of the zip data)
/// comment length            2
/// comment                   n
/// ```
struct EndOfCentralDirectory {
    static let signature: UInt32 = 0x0605_4b50
    /// The fixed part's length, without the comment.
    static let length = 22
    /// The longest comment a 16-bit length allows.
    static let maximumCommentLength = 0xFFFF

    var diskNumber: UInt16
    var directoryDisk: UInt16
    var entriesOnDisk: UInt16
    var entryCount: UInt16
    var directorySize: UInt32
    var directoryOffset: UInt32
    var commentLength: UInt16

    /// Decodes the fixed part. The cursor must be at the signature.
    init(_ cursor: inout ByteCursor) throws(ZipError) {
        let start = cursor.offset
        guard try cursor.uint32() == Self.signature else {
            throw ZipError(.notAZipArchive, offset: start)
        }
        diskNumber = try cursor.uint16()
        directoryDisk = try cursor.uint16()
        entriesOnDisk = try cursor.uint16()
        entryCount = try cursor.uint16()
        directorySize = try cursor.uint32()
        directoryOffset = try cursor.uint32()
        commentLength = try cursor.uint16()
    }

    /// Whether any field is saturated, which tells the reader to consult the
    /// ZIP64 end record instead (APPNOTE 4.4.1.4).
    var hasSaturatedField: Bool {
        diskNumber == 0xFFFF || directoryDisk == 0xFFFF || entriesOnDisk == 0xFFFF
            || entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
    }
}
