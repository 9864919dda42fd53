import Foundation

/// Writes small stored-only zip archives for the cases no fixture covers:
/// hostile names (quotes, control characters, `..`), many entries, a big
/// entry. Deliberately minimal (APPNOTE 4.3: local headers, central
/// directory, end record; no ZIP64).
struct ZipBuilder {
    struct Entry {
        var name: [UInt8]
        var data: [UInt8]
        /// Flag bit 11: the name is UTF-8.
        var utf8: Bool = true
        /// Made on Unix with this mode, or on MS-DOS when nil.
        var unixMode: UInt16? = 0o100644
        /// Whether the central directory lists it: an unlisted entry is a
        /// local record only, a hidden entry.
        var listed = true
        /// The method the headers declare (the data is stored as given).
        var method: UInt16 = 0
        /// Flag bits beyond bit 11 (bit 0: encrypted).
        var flags: UInt16 = 0
        /// The central header's extra field.
        var centralExtra: [UInt8] = []
    }

    var entries: [Entry] = []
    var comment: [UInt8] = []

    mutating func add(_ name: String, _ data: String = "", unixMode: UInt16? = 0o100644) {
        entries.append(Entry(name: Array(name.utf8), data: Array(data.utf8), unixMode: unixMode))
    }

    /// A local record that the central directory does not list.
    mutating func addHidden(_ name: String, _ data: String) {
        entries.append(Entry(name: Array(name.utf8), data: Array(data.utf8), listed: false))
    }

    mutating func add(_ name: String, bytes: [UInt8]) {
        entries.append(Entry(name: Array(name.utf8), data: bytes))
    }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let dosTime: UInt16 = 3 << 11 | 4 << 5 | 3  // 03:04:06
        let dosDate: UInt16 = 40 << 9 | 1 << 5 | 2  // 2020-01-02
        for entry in entries {
            let offset = UInt32(out.count)
            let crc = Self.crc32(entry.data)
            let flags: UInt16 = (entry.utf8 ? 0x0800 : 0) | entry.flags
            out += le32(0x0403_4b50) + le16(20) + le16(flags) + le16(entry.method) + le16(dosTime) + le16(dosDate)
            out += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            out += le16(UInt16(entry.name.count)) + le16(0) + entry.name + entry.data
            guard entry.listed else { continue }
            let madeBy: UInt16 = entry.unixMode == nil ? 20 : 3 << 8 | 20
            let external = entry.unixMode.map { UInt32($0) << 16 } ?? 0
            central += le32(0x0201_4b50) + le16(madeBy) + le16(20) + le16(flags) + le16(entry.method) + le16(dosTime) + le16(dosDate)
            central += le32(crc) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            central += le16(UInt16(entry.name.count)) + le16(UInt16(entry.centralExtra.count)) + le16(0) + le16(0) + le16(0)
            central += le32(external) + le32(offset)
            central += entry.name + entry.centralExtra
        }
        let directoryOffset = UInt32(out.count)
        out += central
        let count = UInt16(truncatingIfNeeded: entries.filter(\.listed).count)
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count)
        out += le32(UInt32(central.count)) + le32(directoryOffset) + le16(UInt16(comment.count)) + comment
        return out
    }

    func write(to url: URL) throws {
        try Data(bytes()).write(to: url)
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    private static let table: [UInt32] = (0 ..< 256).map { n in
        var c = UInt32(n)
        for _ in 0 ..< 8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
