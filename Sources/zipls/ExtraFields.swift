import SystemFiles
import ZipIndex

extension ZipEntryDetails {
    /// WinZip AES (AE-x, id 0x9901): vendor version, "AE", key strength,
    /// then the compression method the data was compressed with before
    /// it was encrypted, which the header's method (99) stands in for.
    var aesCompressionMethod: CompressionMethod? {
        guard let data = extraField(0x9901), data.count >= 7 else { return nil }
        return CompressionMethod(rawValue: UInt16(data[5]) | UInt16(data[6]) << 8)
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
            return "aes/" + (details?.aesCompressionMethod?.name ?? "?")
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
                target.append(span: chunk.extracting(0 ..< min(chunk.count, limit - target.count)))
                if target.count >= limit { throw Enough() }
            }
        } catch is Enough {
        } catch {
            return nil
        }
        return String(decoding: target, as: UTF8.self)
    }
}
