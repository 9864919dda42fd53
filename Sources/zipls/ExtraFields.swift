import ZipIndex

/// The fields of an extra field block (APPNOTE 4.5): a 2-byte id, a 2-byte
/// length, that many bytes of data. A block whose last field runs past its
/// end keeps the fields before it; ``trailingBytes`` counts the rest.
struct ExtraFields {
    struct Field {
        let id: UInt16
        let data: ArraySlice<UInt8>
    }

    private(set) var fields: [Field] = []
    /// Bytes at the end that do not make a whole field.
    private(set) var trailingBytes = 0

    init(_ bytes: [UInt8]) {
        var offset = 0
        while bytes.count - offset >= 4 {
            let id = Self.uint16(bytes, offset)
            let length = Int(Self.uint16(bytes, offset + 2))
            guard bytes.count - offset - 4 >= length else { break }
            fields.append(Field(id: id, data: bytes[(offset + 4) ..< (offset + 4 + length)]))
            offset += 4 + length
        }
        trailingBytes = bytes.count - offset
    }

    /// The data of the first field with this id.
    func first(_ id: UInt16) -> ArraySlice<UInt8>? {
        fields.first { $0.id == id }?.data
    }

    /// WinZip AES (AE-x, id 0x9901): vendor version, "AE", key strength,
    /// then the compression method the data was compressed with before
    /// it was encrypted, which the header's method (99) stands in for.
    var aesCompressionMethod: CompressionMethod? {
        guard let data = first(0x9901), data.count >= 7 else { return nil }
        return CompressionMethod(rawValue: Self.uint16(Array(data), 5))
    }

    static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[bytes.startIndex + offset]) | UInt16(bytes[bytes.startIndex + offset + 1]) << 8
    }
}

extension ZipEntry {
    /// The method as people read it: for an encrypted entry, the
    /// encryption, a slash, then the compression method, as 7-Zip shows
    /// them: `zipcrypto/deflated` (traditional PKWARE encryption, flag bit
    /// 0), `strong/deflated` (flag bit 6), `aes/deflated` (WinZip AES,
    /// method 99, whose real method is in its 0x9901 extra field; `aes/?`
    /// when that field is missing).
    func methodDescription(in archive: ZipArchive) -> String {
        guard isEncrypted else { return method.name }
        if method == .aesEncrypted {
            let details = try? archive.details(of: self)
            return "aes/" + (details.flatMap { ExtraFields($0.extraField).aesCompressionMethod }?.name ?? "?")
        }
        return (flags & 0x40 != 0 ? "strong/" : "zipcrypto/") + method.name
    }

    /// A symbolic link's target, its data: at most `limit` bytes, decoded
    /// as UTF-8 (invalid bytes replaced). Nil when the data cannot be read
    /// (encrypted, unsupported method, corrupt).
    func symlinkTarget(in archive: ZipArchive, limit: Int = 4096) -> String? {
        struct Enough: Error {}
        var target: [UInt8] = []
        do {
            try archive.read(self) { chunk in
                target.append(contentsOf: chunk.prefix(limit - target.count))
                if target.count >= limit { throw Enough() }
            }
        } catch is Enough {
        } catch {
            return nil
        }
        return String(decoding: target, as: UTF8.self)
    }
}
