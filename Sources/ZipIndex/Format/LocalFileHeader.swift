/// The local file header before each entry's data (APPNOTE 4.3.7).
///
/// ```
/// signature             4  0x04034b50
/// version needed        2
/// general purpose flags 2
/// compression method    2
/// last mod time, date   2, 2
/// CRC-32                4
/// compressed size       4
/// uncompressed size     4
/// name length           2
/// extra field length    2
/// name, extra field
/// ```
///
/// The central directory is what ZipIndex reads by; the local header is
/// what a streaming reader (and some scanners) read by. Where the two
/// could make readers extract different content, the entry is refused:
/// ``checkAgreement(with:localName:extra:)`` holds the rules.
struct LocalFileHeader {
    static let signature: UInt32 = 0x0403_4b50
    static let fixedLength = 30

    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt32
    var uncompressedSize: UInt32
    var nameLength: Int
    var extraLength: Int

    init(_ cursor: inout ByteCursor) throws(ZipError) {
        let start = cursor.offset
        guard try cursor.uint32() == Self.signature else {
            throw ZipError(.invalidLocalHeader, offset: start, detail: "bad signature")
        }
        _ = try cursor.uint16()  // version needed to extract
        flags = try cursor.uint16()
        method = try cursor.uint16()
        try cursor.skip(2 + 2)  // time, date: informational
        crc32 = try cursor.uint32()
        compressedSize = try cursor.uint32()
        uncompressedSize = try cursor.uint32()
        nameLength = Int(try cursor.uint16())
        extraLength = Int(try cursor.uint16())
    }

    /// The header's total length: where the entry's data begins.
    var length: Int { Self.fixedLength + nameLength + extraLength }

    /// The flag bits that change how an entry's bytes are read, so that a
    /// local header and the central directory must agree on them (APPNOTE
    /// 4.4.4): 0 encrypted, 3 data descriptor, 6 strong encryption,
    /// 13 masked local header values.
    static let readingFlags: UInt16 = 1 << 0 | 1 << 3 | 1 << 6 | 1 << 13

    /// What the central directory says about the entry.
    struct Central {
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        /// The central header's Info-ZIP Unicode Path field, if any.
        var unicodePath: [UInt8]?
    }

    /// Refuses a local header that could make another reader extract
    /// different content than the central directory says (types A1, A2,
    /// A3 and A5 of *My ZIP isn't your ZIP*, USENIX Security 2025): another
    /// method or reading flag; other sizes or CRC-32 where the local header
    /// must hold them; a second ZIP64 or Unicode Path field; a Unicode Path
    /// field the central header does not have, or has otherwise. The names
    /// themselves are compared by the caller, decoded.
    func checkAgreement(with central: Central, extra: ByteView, at offset: UInt64) throws(ZipError) {
        func refuse(_ detail: String) -> ZipError {
            ZipError(.localHeaderMismatch, offset: offset, detail: detail)
        }
        guard method == central.method else {
            throw refuse("the local header says method \(method), the directory \(central.method)")
        }
        guard flags & Self.readingFlags == central.flags & Self.readingFlags else {
            throw refuse("the local header's flags \(Self.hex16(flags)) differ from the directory's \(Self.hex16(central.flags)) in bits 0, 3, 6 or 13")
        }
        // APPNOTE 4.5.3: one ZIP64 field; 4.6.9: one Unicode Path field.
        let census = ExtraField.census(extra)
        guard census.zip64Fields <= 1 else {
            throw ZipError(.invalidExtraField, offset: offset, detail: "the local header has two ZIP64 extended information fields")
        }
        guard census.unicodePathFields <= 1 else {
            throw ZipError(.invalidExtraField, offset: offset, detail: "the local header has two Unicode Path fields")
        }
        let localUnicodePath = census.unicodePath?.array
        guard localUnicodePath == central.unicodePath else {
            throw refuse(localUnicodePath == nil ? "the directory has a Unicode Path field, the local header none"
                : central.unicodePath == nil ? "the local header has a Unicode Path field, the directory none"
                : "the local and central Unicode Path fields differ")
        }
        let (localCompressed, localUncompressed) = try sizes(extra: extra, at: offset)
        if flags & GeneralPurposeFlags.dataDescriptor == 0 {
            // APPNOTE 4.4.7-4.4.9: without a data descriptor the local values
            // are the entry's, and every reader may take them.
            guard crc32 == central.crc32 else {
                throw refuse("the local CRC-32 \(EntryReader.hex(crc32)) differs from the directory's \(EntryReader.hex(central.crc32))")
            }
            guard localCompressed == central.compressedSize, localUncompressed == central.uncompressedSize else {
                throw refuse("the local sizes \(localCompressed)/\(localUncompressed) differ from the directory's \(central.compressedSize)/\(central.uncompressedSize)")
            }
        } else {
            // With a data descriptor (bit 3) the local values are deferred:
            // zero, or already the right ones.
            guard crc32 == 0 || crc32 == central.crc32 else {
                throw refuse("the local CRC-32 \(EntryReader.hex(crc32)) is neither 0 nor the directory's \(EntryReader.hex(central.crc32))")
            }
            guard localCompressed == 0 || localCompressed == central.compressedSize,
                  localUncompressed == 0 || localUncompressed == central.uncompressedSize else {
                throw refuse("the local sizes \(localCompressed)/\(localUncompressed) are neither 0 nor the directory's \(central.compressedSize)/\(central.uncompressedSize)")
            }
        }
    }

    /// The local compressed and uncompressed sizes, taken from the ZIP64
    /// field where the 32-bit ones are saturated (APPNOTE 4.5.3: the local
    /// field holds the uncompressed size, then the compressed size). A
    /// saturated value with no ZIP64 value for it stays saturated, and with
    /// a data descriptor counts as deferred.
    private func sizes(extra: ByteView, at offset: UInt64) throws(ZipError) -> (compressed: UInt64, uncompressed: UInt64) {
        var compressed = UInt64(compressedSize)
        var uncompressed = UInt64(uncompressedSize)
        let saturated = UInt32.max
        guard compressedSize == saturated || uncompressedSize == saturated,
              let field = ExtraField.find(ExtraField.zip64ExtendedInformation, in: extra) else {
            if flags & GeneralPurposeFlags.dataDescriptor != 0 {
                if compressedSize == saturated { compressed = 0 }
                if uncompressedSize == saturated { uncompressed = 0 }
            }
            return (compressed, uncompressed)
        }
        var cursor = ByteCursor(field, fileOffset: offset)
        // The local field should hold both sizes; some writers give only
        // the saturated ones, in the same order.
        let both = field.count >= 16
        if uncompressedSize == saturated || both {
            let value = try cursor.uint64()
            if uncompressedSize == saturated { uncompressed = value }
        }
        if compressedSize == saturated || both {
            if cursor.remaining >= 8 {
                let value = try cursor.uint64()
                if compressedSize == saturated { compressed = value }
            }
        }
        return (compressed, uncompressed)
    }

    private static func hex16(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
