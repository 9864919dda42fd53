/// Turning entry names into paths that are safe to extract.
///
/// Names are listed verbatim, but a name is not a path: `../../etc/passwd`,
/// `/etc/passwd`, `C:\Windows` and `a\..\..\b` all come from real attacks
/// (zip slip; Go CVE-2021-27919 and CVE-2021-41772; Go issue 55356).
extension ZipEntry {
    /// The entry's name as a relative path that stays inside the directory
    /// it is extracted to, or nil if the name would escape it or cannot be
    /// a path on some system.
    ///
    /// `.` components and empty components (`a//b`) are dropped, and `..`
    /// removes the component before it. The result is nil when:
    /// - the name is absolute (`/x`) or names a drive (`C:x`, `C:\x`);
    /// - a `..` would climb above the root (`../x`, `a/../../x`);
    /// - the name contains a backslash, which Windows reads as a separator
    ///   and other systems as a character (`a\b`, `..\x`);
    /// - the name contains a NUL, which truncates it in C APIs;
    /// - nothing is left (`.`, `/`, `a/..`).
    ///
    /// A directory's path has no trailing `/`; check ``isDirectory``.
    public var safeRelativePath: String? {
        withUTF8Name { SafePath.relative($0) }
    }
}

enum SafePath {
    static func relative(_ name: UnsafeRawBufferPointer) -> String? {
        let slash = UInt8(ascii: "/")
        guard !name.isEmpty, name[0] != slash else { return nil }
        if name.contains(0) || name.contains(UInt8(ascii: "\\")) { return nil }
        // A drive letter: "C:" at the start.
        if name.count >= 2, name[1] == UInt8(ascii: ":"), (name[0] | 0x20) >= UInt8(ascii: "a"),
           (name[0] | 0x20) <= UInt8(ascii: "z") {
            return nil
        }
        var components: [Substring] = []
        let text = String(decoding: name, as: UTF8.self)
        for component in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard components.popLast() != nil else { return nil }
            default: components.append(component)
            }
        }
        return components.isEmpty ? nil : components.joined(separator: "/")
    }
}
