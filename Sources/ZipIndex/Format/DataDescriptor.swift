/// The data descriptor that follows an entry's data when flag bit 3 is set
/// (APPNOTE 4.3.9).
///
/// ```
/// signature           4  0x08074b50, optional (APPNOTE 4.3.9.3)
/// CRC-32              4
/// compressed size     4, or 8 with ZIP64 (APPNOTE 4.3.9.2)
/// uncompressed size   4, or 8 with ZIP64
/// ```
///
/// A streaming reader, which meets the data before any directory, takes the
/// entry's CRC-32 and sizes from here. So the descriptor must be where the
/// central compressed size says the data ends, and must say what the
/// central directory says (type A2 of *My ZIP isn't your ZIP*).
enum DataDescriptor {
    static let signature: UInt32 = 0x0807_4b50
    /// The longest form: signature, CRC-32 and two 8-byte sizes.
    static let maximumLength = 24

    /// Finds the descriptor at the start of `bytes` (what follows the
    /// entry's data, at file offset `offset`) in any of its four forms, and
    /// returns its length. A form matches when its CRC-32 and sizes are the
    /// central directory's; the width of the sizes is not trusted from the
    /// local header, since writers differ (Go writes 8-byte sizes for large
    /// entries without a local ZIP64 field).
    ///
    /// - Throws: ``ZipError/Code-swift.enum/dataDescriptorMismatch`` if no
    ///   form matches.
    static func verify(_ bytes: ByteView, crc32: UInt32, compressedSize: UInt64, uncompressedSize: UInt64,
                       at offset: UInt64) throws(ZipError) -> Int {
        func read(_ at: Int, wide: Bool) -> (UInt32, UInt64, UInt64)? {
            let length = wide ? 20 : 12
            guard bytes.count - at >= length else { return nil }
            let crc: UInt32 = bytes.load(at: at)
            if wide {
                return (crc, bytes.load(at: at + 4), bytes.load(at: at + 12))
            }
            return (crc, UInt64(bytes.load(at: at + 4, as: UInt32.self)), UInt64(bytes.load(at: at + 8, as: UInt32.self)))
        }
        let signed = bytes.count >= 4 && bytes.load(at: 0, as: UInt32.self) == signature
        var found: (UInt32, UInt64, UInt64)?
        for (start, wide) in [(signed ? 4 : 0, false), (signed ? 4 : 0, true), (0, false), (0, true)] {
            guard let values = read(start, wide: wide) else { continue }
            found = found ?? values
            if values == (crc32, compressedSize, uncompressedSize) { return start + (wide ? 20 : 12) }
        }
        guard let (crc, compressed, uncompressed) = found else {
            throw ZipError(.dataDescriptorMismatch, offset: offset, detail: "the file ends where the data descriptor should be")
        }
        throw ZipError(.dataDescriptorMismatch, offset: offset,
                       detail: "it says CRC-32 \(EntryReader.hex(crc)) and sizes \(compressed)/\(uncompressed), the directory \(EntryReader.hex(crc32)) and \(compressedSize)/\(uncompressedSize)")
    }
}
