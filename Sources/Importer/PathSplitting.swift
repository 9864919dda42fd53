#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles
import ZipIndex

/// Path arithmetic, kept to what CPython's import machinery does so that
/// origins and search locations come out as the same strings.
///
/// Every operation works on bytes (``SystemPath``), so that a path that is
/// not valid UTF-8 keeps its identity; the `String` forms are the same
/// operations for callers whose paths are text.
enum PathSplitting {
    /// Splits `path` the way `zipimporter.__init__` does: the archive is the
    /// longest prefix of the path that exists, and it must be a regular
    /// file; the rest is the prefix inside the archive ("" or ending in "/").
    ///
    /// zipimport stats from the full path backwards, one component at a
    /// time, so `a.zip/pkg/sub` finds `a.zip` even though `a.zip/pkg` cannot
    /// be stat'ed (ENOTDIR).
    static func splitArchivePath(_ path: SystemPath, stat: (SystemPath) -> FileIdentity?)
        throws(ImporterError) -> (archive: SystemPath, prefix: SystemPath, stamp: FileIdentity) {
        guard !path.isEmpty else { throw ImporterError(.emptyPath) }
        var current = path
        var components: [SystemPath] = []
        while true {
            if let stamp = stat(current) {
                guard stamp.kind == .regular else {
                    throw ImporterError(.notARegularFile, path: current.description)
                }
                var prefix = join(components.reversed())
                if !prefix.isEmpty { prefix = prefix + "/" }
                return (current, prefix, stamp)
            }
            let (head, tail) = split(current)
            if head == current { throw ImporterError(.notFound, path: path.description) }
            current = head
            components.append(tail)
        }
    }

    /// `_path_split`: the bytes before and after the last "/", or ("", path).
    static func split(_ path: SystemPath) -> (head: SystemPath, tail: SystemPath) {
        guard let slash = path.bytes.lastIndex(of: SystemPath.separator) else { return ("", path) }
        return (SystemPath(bytes: path.bytes[..<slash]), SystemPath(bytes: path.bytes[(slash + 1)...]))
    }

    static func split(_ path: String) -> (head: String, tail: String) {
        let (head, tail) = split(SystemPath(path))
        return (text(head), text(tail))
    }

    /// `_path_join` on POSIX: the non-empty parts, each stripped of trailing
    /// separators, joined with "/".
    static func join(_ parts: some Sequence<SystemPath>) -> SystemPath {
        var result: [UInt8] = []
        var first = true
        for part in parts where !part.isEmpty {
            var trimmed = part.bytes[...]
            while trimmed.last == SystemPath.separator { trimmed.removeLast() }
            if !first { result.append(SystemPath.separator) }
            result += trimmed
            first = false
        }
        return SystemPath(bytes: result)
    }

    static func join(_ parts: some Sequence<String>) -> String {
        text(join(parts.map { SystemPath($0) }))
    }

    static func join(_ parts: String...) -> String { join(parts) }

    /// `_path_abspath`: `path` if absolute, else joined to the current
    /// directory (no normalisation, as CPython). Nil if there is no current
    /// directory.
    static func absolute(_ path: SystemPath) -> SystemPath? {
        if path.isAbsolute { return path }
        guard let cwd = currentDirectory() else { return nil }
        if path.isEmpty || path == "." { return cwd }
        let relative = path.bytes.starts(with: Array("./".utf8)) ? SystemPath(bytes: path.bytes.dropFirst(2)) : path
        return join([cwd, relative])
    }

    static func absolute(_ path: String) -> String? {
        absolute(SystemPath(path)).map(text)
    }

    /// An absolute path with ".", ".." and repeated separators resolved
    /// lexically (symbolic links are not followed), for comparing paths.
    static func normalized(_ path: SystemPath) -> SystemPath {
        let absolutePath = absolute(path) ?? path
        var parts: [ArraySlice<UInt8>] = []
        for component in absolutePath.bytes.split(separator: SystemPath.separator, omittingEmptySubsequences: true) {
            if component.elementsEqual(".".utf8) { continue }
            if component.elementsEqual("..".utf8) {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(component)
        }
        return SystemPath(bytes: [SystemPath.separator] + parts.joined(separator: [SystemPath.separator]))
    }

    static func normalized(_ path: String) -> String {
        text(normalized(SystemPath(path)))
    }

    /// The canonical absolute path (`realpath`): the key of the process-wide
    /// caches, so that `a.zip`, `./a.zip` and `/abs/a.zip` share one table.
    /// A path that no longer exists (a deleted archive) is canonicalised
    /// through its directory, so that it still finds its cache entry.
    static func canonical(_ path: SystemPath) -> SystemPath {
        if let resolved = realPath(path) { return resolved }
        let normal = normalized(path)
        let (head, tail) = split(normal)
        if let directory = realPath(head.isEmpty ? "/" : head) {
            return directory == "/" ? "/" + tail : directory + "/" + tail
        }
        return normal
    }

    static func canonical(_ path: String) -> String {
        text(canonical(SystemPath(path)))
    }

    static func realPath(_ path: SystemPath) -> SystemPath? {
        Platform.realPath(path.bytes).map { SystemPath(bytes: $0) }
    }

    static func currentDirectory() -> SystemPath? {
        Platform.currentDirectory().map { SystemPath(bytes: $0) }
    }

    /// The `String` form of a path that came from a `String` (valid UTF-8
    /// in, valid UTF-8 out: only whole bytes "/" are cut or added).
    private static func text(_ path: SystemPath) -> String {
        String(decoding: path.bytes, as: UTF8.self)
    }
}
