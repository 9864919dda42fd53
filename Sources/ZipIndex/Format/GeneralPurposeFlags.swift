/// Bits of the general purpose bit flag (APPNOTE 4.4.4).
enum GeneralPurposeFlags {
    /// Bit 0: the entry is encrypted.
    static let encrypted: UInt16 = 1 << 0
    /// Bit 3: sizes and CRC follow the data in a data descriptor (4.3.9).
    static let dataDescriptor: UInt16 = 1 << 3
    /// Bit 6: strong encryption (4.4.4, 7.0).
    static let strongEncryption: UInt16 = 1 << 6
    /// Bit 11: the name and comment are UTF-8 (appendix D).
    static let utf8: UInt16 = 1 << 11
}
