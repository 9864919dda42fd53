#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file-system path as the kernel sees it: bytes, not necessarily UTF-8.
///
/// On Linux a file name is any sequence of bytes without "/" and NUL, and
/// CPython carries such names in `str` with surrogate escapes (PEP 383) or
/// in `bytes`. A Swift `String` cannot hold them: it would replace each
/// invalid byte with U+FFFD and name a different file. Archive paths
/// therefore travel as a `SystemPath` from the caller to `open` and `stat`.
///
/// ```swift
/// let importer = try ZipImporter(path: SystemPath(bytes: rawPathBytes))
/// ```
///
/// A path containing a NUL byte names no file: every operation on it finds
/// nothing, as CPython's `os.stat` refuses it with `ValueError`.
public struct SystemPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path's bytes.
    public let bytes: [UInt8]

    /// The path spelled by `string`, in UTF-8.
    public init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// The path made of exactly these bytes.
    public init(bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// The path spelled by `value`, in UTF-8.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The path as a `String`, or nil if its bytes are not valid UTF-8.
    public var string: String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The path for people: UTF-8 as it is, and each byte that is not part
    /// of valid UTF-8 as `\xNN`, so that two different paths never look the same.
    public var description: String {
        if let string { return string }
        var text = ""
        var index = 0
        while index < bytes.count {
            let length = Self.validSequenceLength(bytes, at: index)
            if length > 0 {
                text += String(decoding: bytes[index ..< index + length], as: UTF8.self)
                index += length
            } else {
                let hex = String(bytes[index], radix: 16, uppercase: false)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                index += 1
            }
        }
        return text
    }

    var isEmpty: Bool { bytes.isEmpty }
    var isAbsolute: Bool { bytes.first == Self.separator }

    static let separator = UInt8(ascii: "/")

    static func + (lhs: SystemPath, rhs: SystemPath) -> SystemPath {
        SystemPath(bytes: lhs.bytes + rhs.bytes)
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00 ... 0x7F: return 1
        case 0xC2 ... 0xDF: length = 2
        case 0xE0 ... 0xEF: length = 3
        case 0xF0 ... 0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        return String(validating: bytes[index ..< index + length], as: UTF8.self) == nil ? 0 : length
    }
}
