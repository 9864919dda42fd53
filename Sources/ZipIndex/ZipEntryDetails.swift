/// What an entry's central directory header says beyond the file table:
/// its comment, its extra field and the precise times kept there.
///
/// The table keeps 40 bytes per entry; these are read again from the
/// directory on request, by ``ZipArchive/details(of:)``.
public struct ZipEntryDetails: Sendable, Hashable {
    /// The entry comment, decoded like the name.
    public var comment: String
    /// "Version needed to extract" (APPNOTE 4.4.3): the feature level a
    /// reader must have, ten times the version (20 is 2.0).
    public var versionNeeded: UInt16
    /// The central header's extra field, raw (APPNOTE 4.5).
    public var extraField: [UInt8]
    /// The extra field's blocks (APPNOTE 4.5.1), in order.
    public var extraFields: [ExtraFieldBlock]
    /// Bytes at the end of the extra field that make no whole block
    /// (padding, or a block whose size runs past the end).
    public var extraFieldTrailingBytes: Int

    /// One block of an extra field: a tag and its data.
    public struct ExtraFieldBlock: Sendable, Hashable {
        public var id: UInt16
        public var data: [UInt8]
    }

    /// The data of the first block tagged `id`.
    public func extraField(_ id: UInt16) -> [UInt8]? {
        extraFields.first { $0.id == id }?.data
    }
    /// Times from an Info-ZIP extended timestamp field (0x5455), in seconds
    /// since the Unix epoch, UTC.
    public var extendedTimestamp: ExtendedTimestamp?
    /// Times from an NTFS extra field (0x000a, APPNOTE 4.5.5).
    public var ntfsTimes: NTFSTimes?

    public struct ExtendedTimestamp: Sendable, Hashable {
        public var modification: Int64?
        public var access: Int64?
        public var creation: Int64?
    }

    /// NTFS times, as 100-nanosecond ticks since 1601-01-01 UTC.
    public struct NTFSTimes: Sendable, Hashable {
        public var modification: UInt64
        public var access: UInt64
        public var creation: UInt64

        /// Converts ticks to nanoseconds since the Unix epoch.
        public static func unixNanoseconds(_ ticks: UInt64) -> Int64 {
            let epochDelta: Int64 = 116_444_736_000_000_000  // ticks from 1601 to 1970
            return (Int64(truncatingIfNeeded: ticks) &- epochDelta) &* 100
        }
    }

    init(header: CentralDirectoryHeader) {
        let utf8 = header.flags & GeneralPurposeFlags.utf8 != 0
        comment = Self.decode(header.comment, utf8: utf8)
        versionNeeded = header.versionNeeded
        extraField = Array(header.extra)
        var blocks: [ExtraFieldBlock] = []
        extraFieldTrailingBytes = ExtraField.walk(header.extra) { id, data in
            blocks.append(ExtraFieldBlock(id: id, data: data.array))
            return true
        }
        extraFields = blocks
        extendedTimestamp = ExtraField.find(ExtraField.extendedTimestamp, in: header.extra).flatMap(Self.timestamp)
        ntfsTimes = ExtraField.find(ExtraField.ntfs, in: header.extra).flatMap(Self.ntfs)
    }

    /// Decodes text the way names are decoded (appendix D).
    static func decode(_ bytes: ByteView, utf8: Bool) -> String {
        if utf8 || NameEncoding.isASCII(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        NameEncoding.appendCP437(bytes, to: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Info-ZIP extrafld.txt, "Extended Timestamp": a flags byte, then a
    /// signed 32-bit time for each flag set, in the order mtime, atime,
    /// ctime. The central copy may carry only the mtime.
    private static func timestamp(_ data: ByteView) -> ExtendedTimestamp? {
        var cursor = ByteCursor(data)
        guard let flags = try? cursor.uint8() else { return nil }
        var result = ExtendedTimestamp()
        func next() -> Int64? { (try? cursor.uint32()).map { Int64(Int32(bitPattern: $0)) } }
        if flags & 1 != 0 { result.modification = next() }
        if flags & 2 != 0 { result.access = next() }
        if flags & 4 != 0 { result.creation = next() }
        return result.modification == nil && result.access == nil && result.creation == nil ? nil : result
    }

    /// APPNOTE 4.5.5: four reserved bytes, then tagged attributes; tag 1
    /// holds three 64-bit times (mtime, atime, ctime).
    private static func ntfs(_ data: ByteView) -> NTFSTimes? {
        var cursor = ByteCursor(data)
        guard (try? cursor.skip(4)) != nil else { return nil }
        while cursor.remaining >= 4 {
            guard let tag = try? cursor.uint16(), let size = try? cursor.uint16(),
                  var body = try? cursor.sub(Int(size)) else { return nil }
            if tag == 1, size >= 24,
               let m = try? body.uint64(), let a = try? body.uint64(), let c = try? body.uint64() {
                return NTFSTimes(modification: m, access: a, creation: c)
            }
        }
        return nil
    }
}
