/// How names are turned into UTF-8 (APPNOTE 4.4.4 bit 11, appendix D).
///
/// A name is UTF-8 when flag bit 11 says so. Otherwise it is IBM code page
/// 437, the original encoding of the format, unless an Info-ZIP Unicode Path
/// field vouches for a UTF-8 version. ASCII is the same in all three, so it
/// takes a fast path that only checks the high bits.
enum NameEncoding {
    /// Whether every byte is below 0x80.
    @inline(__always)
    static func isASCII(_ bytes: ByteView) -> Bool {
        NameIndex.hashAndCheckASCII(bytes).isASCII
    }

    /// Calls `emit` with the UTF-8 bytes of `bytes` read as code page 437.
    @inline(__always)
    static func transcodeCP437(_ bytes: ByteView, _ emit: (UInt8) -> Void) {
        for byte in bytes {
            guard byte >= 0x80 else {
                emit(byte)
                continue
            }
            let scalar = UInt32(cp437High[Int(byte - 0x80)])
            if scalar < 0x800 {
                emit(UInt8(0xC0 | (scalar >> 6)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                emit(UInt8(0xE0 | (scalar >> 12)))
                emit(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                emit(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
    }

    /// Appends `bytes`, read as code page 437, to `output` as UTF-8.
    static func appendCP437(_ bytes: ByteView, to output: inout [UInt8]) {
        transcodeCP437(bytes) { output.append($0) }
    }

    /// Appends `bytes`, read as code page 437, to `output` as UTF-8.
    static func appendCP437(_ bytes: ByteView, to output: inout TableBuffer<UInt8>) {
        transcodeCP437(bytes) { output.append($0) }
    }

    /// Code page 437, bytes 0x80–0xFF, as Unicode scalars (the same table as
    /// Python's `cp437` codec).
    static let cp437High: [UInt16] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
        0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
        0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
        0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
        0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]
}

/// A strict UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing
/// above U+10FFFF), so that names stored in the table always form valid
/// Swift strings without any copying or repair.
enum UTF8Validation {
    static func isValid(_ bytes: ByteView) -> Bool {
        if NameEncoding.isASCII(bytes) { return true }
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2 ... 0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1 ... 0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard n - i >= length else { return false }
            let second = bytes[i + 1]
            guard second >= lower, second <= upper else { return false }
            var k = 2
            while k < length {
                guard bytes[i + k] & 0xC0 == 0x80 else { return false }
                k += 1
            }
            i += length
        }
        return true
    }
}
