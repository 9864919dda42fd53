/// One entry of an archive, as its central directory header describes it.
///
/// An entry is a light view into the archive's file table: creating one
/// copies nothing, and its ``name`` is built only when asked for. It stays
/// valid as long as you keep it, even after the ``ZipArchive`` value is gone.
public struct ZipEntry: Sendable, Hashable, CustomStringConvertible {
    let table: FileTable
    /// The entry's position in central-directory order.
    public let index: Int

    init(table: FileTable, index: Int) {
        self.table = table
        self.index = index
    }

    private var record: EntryRecord { table.records[index] }

    /// The name, decoded to UTF-8: as UTF-8 when flag bit 11 is set, else
    /// from a valid Info-ZIP Unicode Path field, else as code page 437.
    /// Directory names end with `/`. The name is verbatim: it may be
    /// absolute or contain `..`, so never use it as a path unchecked.
    public var name: String { table.name(index) }

    /// Calls `body` with the name's UTF-8 bytes, without creating a `String`.
    public func withUTF8Name<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        try table.withName(index) { (name) throws(E) in try name.withSpan(body) }
    }

    /// ``withUTF8Name(_:)`` for the library's own scans.
    func withNameBytes<R, E: Error>(_ body: (ByteView) throws(E) -> R) throws(E) -> R {
        try table.withName(index, body)
    }

    public var method: CompressionMethod { CompressionMethod(rawValue: record.method) }
    public var compressedSize: UInt64 { table.compressedSize(index) }
    public var uncompressedSize: UInt64 { table.uncompressedSize(index) }
    /// The CRC-32 of the uncompressed data (APPNOTE 4.4.7).
    public var crc32: UInt32 { record.crc32 }
    /// The absolute offset of the local file header: already shifted by any
    /// data prepended to the archive, like Python's `ZipInfo.header_offset`.
    /// For an entry whose declared offset is impossible (at or past the
    /// central directory), the directory's offset: reading it throws
    /// `.invalidLocalHeader`, and the other entries stay readable.
    public var localHeaderOffset: UInt64 { table.localHeaderOffset(index) }
    /// The general purpose bit flag, raw (APPNOTE 4.4.4).
    public var flags: UInt16 { record.flags }
    /// Whether the entry is encrypted (flag bits 0 or 6, or WinZip AES).
    public var isEncrypted: Bool {
        record.flags & (GeneralPurposeFlags.encrypted | GeneralPurposeFlags.strongEncryption) != 0
            || method == .aesEncrypted
    }
    /// Whether the sizes and CRC follow the data in a data descriptor. The
    /// central directory's values are used either way.
    public var hasDataDescriptor: Bool { record.flags & GeneralPurposeFlags.dataDescriptor != 0 }
    /// Whether flag bit 11 declares the name UTF-8.
    public var isUTF8: Bool { record.flags & GeneralPurposeFlags.utf8 != 0 }
    /// Whether the header carried a ZIP64 extended information field.
    public var isZip64: Bool { record.info.contains(.zip64) }
    /// The MS-DOS modification date and time.
    public var modificationDate: DOSDateTime { DOSDateTime(rawValue: record.dosDateTime) }
    /// The "version made by" field: the high byte names the host system.
    public var versionMadeBy: UInt16 { record.versionMadeBy }
    /// The external file attributes, raw (APPNOTE 4.4.15).
    public var externalAttributes: UInt32 { record.externalAttributes }

    /// The Unix mode (type and permission bits) when the entry was made on
    /// Unix or macOS, else nil.
    public var unixMode: UInt16? {
        let host = record.versionMadeBy >> 8
        guard host == 3 || host == 19 else { return nil }  // 3 Unix, 19 OS X (APPNOTE 4.4.2.2)
        return UInt16(truncatingIfNeeded: record.externalAttributes >> 16)
    }

    /// Whether the entry is a directory: its name ends with `/`, as in
    /// Python's `ZipInfo.is_dir()`.
    public var isDirectory: Bool {
        table.withName(index) { $0.last == UInt8(ascii: "/") }
    }

    /// Whether the entry is a symbolic link made on Unix; its data is the target.
    public var isSymlink: Bool {
        guard let mode = unixMode else { return false }
        return mode & 0o170000 == 0o120000
    }

    public var description: String { name }

    public static func == (lhs: ZipEntry, rhs: ZipEntry) -> Bool {
        lhs.table === rhs.table && lhs.index == rhs.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(table))
        hasher.combine(index)
    }
}
