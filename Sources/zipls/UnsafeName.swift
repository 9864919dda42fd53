/// Whether an entry name is unsafe to use as a path when extracting: the
/// names a careful extractor refuses or rewrites ("zip slip").
///
/// - absolute: it starts with `/`, or with a drive letter (`C:`), which
///   Windows reads as a path on that drive;
/// - escaping: its `..` components climb above the extraction directory
///   (`a/../../b`; `a/../b` stays inside and is not unsafe);
/// - backslash: Windows reads `\` as a separator, so `..\x` escapes
///   there, and a name's meaning differs between systems.
enum UnsafeName {
    struct Reasons: OptionSet {
        let rawValue: UInt8
        static let absolute = Reasons(rawValue: 1 << 0)
        static let escaping = Reasons(rawValue: 1 << 1)
        static let backslash = Reasons(rawValue: 1 << 2)
    }

    static func reasons(_ name: String) -> Reasons {
        var name = name
        return name.withUTF8 { reasons(UnsafeRawBufferPointer($0)) }
    }

    static func reasons(_ name: UnsafeRawBufferPointer) -> Reasons {
        var found: Reasons = []
        let slash = UInt8(ascii: "/")
        if name.first == slash { found.insert(.absolute) }
        if name.count >= 2, name[1] == UInt8(ascii: ":"), (name[0] | 0x20) >= UInt8(ascii: "a"), (name[0] | 0x20) <= UInt8(ascii: "z") {
            found.insert(.absolute)
        }
        if name.contains(UInt8(ascii: "\\")) { found.insert(.backslash) }
        // Walk the components, counting how deep we are.
        var depth = 0
        var start = 0
        for end in 0 ... name.count where end == name.count || name[end] == slash {
            let length = end - start
            if length == 2, name[start] == UInt8(ascii: "."), name[start + 1] == UInt8(ascii: ".") {
                depth -= 1
                if depth < 0 {
                    found.insert(.escaping)
                    break
                }
            } else if length > 0, !(length == 1 && name[start] == UInt8(ascii: ".")) {
                depth += 1
            }
            start = end + 1
        }
        return found
    }
}
