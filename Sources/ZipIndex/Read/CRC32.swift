/// CRC-32 as zip uses it (APPNOTE 4.4.7): the build's decoder library
/// computes it (zlib, or ISA-L with the `ISAL` trait).
enum CRC32 {
    static func checksum(_ bytes: ByteView) -> UInt32 {
        update(0, bytes)
    }

    static func update(_ crc: UInt32, _ bytes: ByteView) -> UInt32 {
        Inflater.crc32(crc, bytes.unsafeBytes)
    }
}
