/// An entry's compression method (APPNOTE 4.4.5).
///
/// ZipIndex decodes ``stored`` and ``deflated``. The others are named so
/// that listings and errors can say what an archive uses.
public struct CompressionMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let stored = CompressionMethod(rawValue: 0)
    public static let deflated = CompressionMethod(rawValue: 8)
    public static let deflate64 = CompressionMethod(rawValue: 9)
    public static let bzip2 = CompressionMethod(rawValue: 12)
    public static let lzma = CompressionMethod(rawValue: 14)
    public static let zstandard = CompressionMethod(rawValue: 93)
    public static let xz = CompressionMethod(rawValue: 95)
    /// WinZip AES encryption wraps the real method (APPNOTE 4.4.5, method 99).
    public static let aesEncrypted = CompressionMethod(rawValue: 99)

    /// Whether ZipIndex can decode entries that use this method.
    public var isSupported: Bool { self == .stored || self == .deflated }

    /// A short name, as `zipinfo` and `unzip -v` print it.
    public var name: String {
        switch rawValue {
        case 0: "stored"
        case 1: "shrunk"
        case 2 ... 5: "reduced"
        case 6: "imploded"
        case 8: "deflated"
        case 9: "deflate64"
        case 12: "bzip2"
        case 14: "lzma"
        case 93: "zstd"
        case 95: "xz"
        case 96: "jpeg"
        case 97: "wavpack"
        case 98: "ppmd"
        case 99: "aes"
        default: "method-\(rawValue)"
        }
    }

    public var description: String { name }
}
