/// The ZIP64 end of central directory locator (APPNOTE 4.3.15). It sits
/// immediately before the 32-bit end record and points at the ZIP64 record.
///
/// ```
/// signature                       4  0x07064b50
/// disk with the ZIP64 end record  4
/// offset of the ZIP64 end record  8   (relative to the start of the zip data)
/// total number of disks           4
/// ```
struct Zip64EndOfCentralDirectoryLocator {
    static let signature: UInt32 = 0x0706_4b50
    static let length = 20

    var recordDisk: UInt32
    var recordOffset: UInt64
    var diskCount: UInt32

    /// Decodes the locator, or returns nil if the bytes do not start with its
    /// signature (an archive without ZIP64 records).
    init?(_ bytes: ByteView, fileOffset: UInt64) throws(ZipError) {
        var cursor = ByteCursor(bytes, fileOffset: fileOffset)
        guard try cursor.uint32() == Self.signature else { return nil }
        recordDisk = try cursor.uint32()
        recordOffset = try cursor.uint64()
        diskCount = try cursor.uint32()
    }
}

/// The ZIP64 end of central directory record (APPNOTE 4.3.14).
///
/// ```
/// signature                 4  0x06064b50
/// size of the rest          8   (excludes these first 12 bytes)
/// version made by           2
/// version needed            2
/// number of this disk       4
/// disk where CD starts      4
/// CD records on this disk   8
/// total CD records          8
/// size of CD                8
/// offset of CD              8
/// extensible data           n
/// ```
struct Zip64EndOfCentralDirectory {
    static let signature: UInt32 = 0x0606_4b50
    /// The fixed part's length, without extensible data.
    static let length = 56

    var diskNumber: UInt32
    var directoryDisk: UInt32
    var entriesOnDisk: UInt64
    var entryCount: UInt64
    var directorySize: UInt64
    var directoryOffset: UInt64
    /// The record's length, signature and size field included: where it
    /// ends, its locator must begin.
    var length: UInt64

    /// Decodes the record, or returns nil if the signature is absent.
    /// A record whose declared size is too small for its fixed fields is an error.
    init?(_ bytes: ByteView, fileOffset: UInt64) throws(ZipError) {
        var cursor = ByteCursor(bytes, fileOffset: fileOffset)
        guard try cursor.uint32() == Self.signature else { return nil }
        let recordSize = try cursor.uint64()
        guard recordSize >= UInt64(Self.length - 12), recordSize <= UInt64.max - 12 else {
            throw ZipError(.invalidZip64EndRecord, offset: fileOffset,
                           detail: "record size \(recordSize) is smaller than its fixed fields (44)")
        }
        length = recordSize + 12
        _ = try cursor.uint16()  // version made by
        _ = try cursor.uint16()  // version needed to extract
        diskNumber = try cursor.uint32()
        directoryDisk = try cursor.uint32()
        entriesOnDisk = try cursor.uint64()
        entryCount = try cursor.uint64()
        directorySize = try cursor.uint64()
        directoryOffset = try cursor.uint64()
    }
}
