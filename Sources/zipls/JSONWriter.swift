/// JSON text written straight into an ``OutputBuffer``.
///
/// `list --json` streams a million entries: building the document (or one
/// `Encodable` value per entry through `JSONEncoder`) would cost far more
/// than the listing itself. So values are written by hand, and the only
/// subtle part, string escaping, lives here.
extension OutputBuffer {
    /// Writes `utf8` as a JSON string literal (RFC 8259 §7).
    ///
    /// `"` and `\` are escaped, as are control characters (the short forms
    /// `\b \f \n \r \t`, else `\u00XX`). Everything else, including
    /// non-ASCII, is copied as it is: the input is valid UTF-8 (ZipIndex
    /// guarantees it for names, Swift for strings), so the output is too.
    func writeJSONString(_ utf8: Span<UInt8>) throws(OutputError) {
        try write(byte: UInt8(ascii: "\""))
        // An escape takes at most 6 bytes: work in pieces that fit.
        let piece = max(1, min(4096, capacity / 6))
        var start = 0
        while start < utf8.count {
            let end = min(utf8.count, start + piece)
            try withSpace((end - start) * 6) { out in
                var used = 0
                for index in start ..< end {
                    let byte = utf8[index]
                    if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                        out[used] = byte
                        used += 1
                        continue
                    }
                    out[used] = UInt8(ascii: "\\")
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[used + 1] = byte; used += 2
                    case 0x08: out[used + 1] = UInt8(ascii: "b"); used += 2
                    case 0x0C: out[used + 1] = UInt8(ascii: "f"); used += 2
                    case 0x0A: out[used + 1] = UInt8(ascii: "n"); used += 2
                    case 0x0D: out[used + 1] = UInt8(ascii: "r"); used += 2
                    case 0x09: out[used + 1] = UInt8(ascii: "t"); used += 2
                    default:
                        out[used + 1] = UInt8(ascii: "u")
                        out[used + 2] = UInt8(ascii: "0")
                        out[used + 3] = UInt8(ascii: "0")
                        out[used + 4] = byte >> 4 &+ 0x30  // 0 or 1
                        let low = byte & 0xF
                        out[used + 5] = low < 10 ? low &+ 0x30 : low &+ 0x57
                        used += 6
                    }
                }
                return used
            }
            start = end
        }
        try write(byte: UInt8(ascii: "\""))
    }

    func writeJSONString(_ text: String) throws(OutputError) {
        try Self.withUTF8(text) { (bytes) throws(OutputError) in try writeJSONString(bytes) }
    }

    /// Writes `"key":`, for keys that are plain ASCII and need no escaping.
    @inline(__always)
    func writeJSONKey(_ key: StaticString) throws(OutputError) {
        try write(byte: UInt8(ascii: "\""))
        try write(key)
        try write("\":" as StaticString)
    }

    func writeJSON(_ value: Bool) throws(OutputError) {
        try write(value ? "true" as StaticString : "false")
    }
}
