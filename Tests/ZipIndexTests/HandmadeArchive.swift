@testable import ZipIndex

/// Archives written byte by byte, for inputs no tool would make: escaping
/// names, NULs, overlapping entries.
enum HandmadeArchive {
    struct Member {
        var name: [UInt8]
        var data: [UInt8]
        /// Overrides the central directory's local header offset.
        var localHeaderOffset: UInt32?
        /// Overrides the declared uncompressed size.
        var declaredSize: UInt32?
        /// The Unix mode in the external attributes (made by Unix).
        var mode: UInt32 = 0o100644
    }

    static func stored(_ members: [(String, [UInt8])]) -> [UInt8] {
        build(members.map { Member(name: Array($0.0.utf8), data: $0.1) })
    }

    /// A stored entry's local header (APPNOTE 4.3.7), without its data.
    static func localHeader(name: String, data: [UInt8], declaredSize: UInt32? = nil) -> [UInt8] {
        let crc = data.withBytes { CRC32.checksum($0) }
        var out: [UInt8] = le32Bytes(0x0403_4b50)
        out += le16Bytes(20)  // version needed
        out += le16Bytes(0)  // flags
        out += le16Bytes(0)  // method: stored
        out += le16Bytes(0)  // time
        out += le16Bytes(0x21)  // date: 1980-01-01
        out += le32Bytes(crc)
        out += le32Bytes(UInt32(data.count))
        out += le32Bytes(declaredSize ?? UInt32(data.count))
        out += le16Bytes(name.utf8.count)
        out += le16Bytes(0)
        out += Array(name.utf8)
        return out
    }

    /// A stored entry's central directory header (APPNOTE 4.3.12).
    static func centralHeader(name: [UInt8], data: [UInt8], offset: Int, declaredSize: UInt32? = nil,
                              mode: UInt32 = 0o100644) -> [UInt8] {
        let crc = data.withBytes { CRC32.checksum($0) }
        var out: [UInt8] = le32Bytes(0x0201_4b50)
        out += le16Bytes(0x0314)  // made by Unix
        out += le16Bytes(20)
        out += le16Bytes(0)
        out += le16Bytes(0)
        out += le16Bytes(0)
        out += le16Bytes(0x21)
        out += le32Bytes(crc)
        out += le32Bytes(UInt32(data.count))
        out += le32Bytes(declaredSize ?? UInt32(data.count))
        out += le16Bytes(name.count)
        out += le16Bytes(0)  // extra
        out += le16Bytes(0)  // comment
        out += le16Bytes(0)  // disk
        out += le16Bytes(0)  // internal attributes
        out += le32Bytes(mode << 16)
        out += le32Bytes(UInt32(offset))
        out += name
        return out
    }

    static func centralHeader(name: String, data: [UInt8], offset: Int) -> [UInt8] {
        centralHeader(name: Array(name.utf8), data: data, offset: offset)
    }

    /// The end of central directory record (APPNOTE 4.3.16).
    static func endRecord(count: Int, directorySize: Int, directoryOffset: Int, comment: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = le32Bytes(0x0605_4b50)
        out += le16Bytes(0)
        out += le16Bytes(0)
        out += le16Bytes(count)
        out += le16Bytes(count)
        out += le32Bytes(UInt32(directorySize))
        out += le32Bytes(UInt32(directoryOffset))
        out += le16Bytes(comment.count)
        out += comment
        return out
    }

    /// A stored archive; entries whose `localHeaderOffset` is set get no
    /// local header of their own and point wherever it says.
    static func build(_ members: [Member], comment: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [Int] = []
        for member in members {
            offsets.append(out.count)
            guard member.localHeaderOffset == nil else { continue }
            out += localHeader(name: String(decoding: member.name, as: UTF8.self), data: member.data,
                               declaredSize: member.declaredSize)
            out += member.data
        }
        let directory = out.count
        for (member, offset) in zip(members, offsets) {
            out += centralHeader(name: member.name, data: member.data,
                                 offset: member.localHeaderOffset.map(Int.init) ?? offset, declaredSize: member.declaredSize,
                                 mode: member.mode)
        }
        out += endRecord(count: members.count, directorySize: out.count - directory, directoryOffset: directory, comment: comment)
        return out
    }
}

/// Appends little-endian fields, one statement each: long `+` chains of
/// byte arrays are slow to type-check.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u16(_ value: Int) { bytes += le16Bytes(value) }
    mutating func u32(_ value: UInt32) { bytes += le32Bytes(value) }
    mutating func u64(_ value: UInt64) { bytes += le64Bytes(value) }
    mutating func raw(_ value: [UInt8]) { bytes += value }
}

extension Span where Element == UInt8 {
    /// The bytes, copied: for assertions.
    var array: [UInt8] {
        withUnsafeBufferPointer { Array($0) }
    }
}
