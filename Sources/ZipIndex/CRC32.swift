import CZlib

/// CRC-32 as zip uses it (APPNOTE 4.4.7), computed by zlib.
enum CRC32 {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
        var value = UInt(crc)
        var left = bytes.count
        // zlib's length is a 32-bit uInt: feed it in pieces.
        while left > 0 {
            let piece = min(left, 1 << 30)
            value = crc32(value, base, uInt(piece))
            base += piece
            left -= piece
        }
        return UInt32(truncatingIfNeeded: value)
    }
}
