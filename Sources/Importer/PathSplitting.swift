#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Path arithmetic, kept to what CPython's import machinery does so that
/// origins and search locations come out as the same strings.
enum PathSplitting {
    /// Splits `path` the way `zipimporter.__init__` does: the archive is the
    /// longest prefix of the path that exists, and it must be a regular
    /// file; the rest is the prefix inside the archive ("" or ending in "/").
    ///
    /// zipimport stats from the full path backwards, one component at a
    /// time, so `a.zip/pkg/sub` finds `a.zip` even though `a.zip/pkg` cannot
    /// be stat'ed (ENOTDIR).
    static func splitArchivePath(_ path: String, stat: (String) -> FileStamp?)
        throws(ImporterError) -> (archive: String, prefix: String, stamp: FileStamp) {
        guard !path.isEmpty else { throw ImporterError(.emptyPath) }
        var current = path
        var components: [String] = []
        while true {
            if let stamp = stat(current) {
                guard stamp.kind == .regular else {
                    throw ImporterError(.notARegularFile, path: current)
                }
                var prefix = join(components.reversed())
                if !prefix.isEmpty { prefix += "/" }
                return (current, prefix, stamp)
            }
            let (head, tail) = split(current)
            if head == current { throw ImporterError(.notFound, path: path) }
            current = head
            components.append(tail)
        }
    }

    /// `_path_split`: the text before and after the last "/", or ("", path).
    static func split(_ path: String) -> (head: String, tail: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// `_path_join` on POSIX: the non-empty parts, each stripped of trailing
    /// separators, joined with "/".
    static func join(_ parts: some Sequence<String>) -> String {
        var result = ""
        var first = true
        for part in parts where !part.isEmpty {
            var trimmed = Substring(part)
            while trimmed.last == "/" { trimmed.removeLast() }
            if !first { result += "/" }
            result += trimmed
            first = false
        }
        return result
    }

    static func join(_ parts: String...) -> String { join(parts) }

    /// `_path_abspath`: `path` if absolute, else joined to the current
    /// directory (no normalisation, as CPython). Nil if there is no current
    /// directory.
    static func absolute(_ path: String) -> String? {
        if path.hasPrefix("/") { return path }
        guard let cwd = currentDirectory() else { return nil }
        if path.isEmpty || path == "." { return cwd }
        return join(cwd, path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// An absolute path with ".", ".." and repeated separators resolved
    /// lexically (symbolic links are not followed), for comparing paths.
    static func normalized(_ path: String) -> String {
        let absolutePath = absolute(path) ?? path
        var parts: [Substring] = []
        for component in absolutePath.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(component)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The canonical absolute path (`realpath`): the key of the process-wide
    /// caches, so that `a.zip`, `./a.zip` and `/abs/a.zip` share one table.
    /// A path that no longer exists (a deleted archive) is canonicalised
    /// through its directory, so that it still finds its cache entry.
    static func canonical(_ path: String) -> String {
        if let resolved = realPath(path) { return resolved }
        let normal = normalized(path)
        let (head, tail) = split(normal)
        if let directory = realPath(head.isEmpty ? "/" : head) {
            return directory == "/" ? "/" + tail : directory + "/" + tail
        }
        return normal
    }

    static func realPath(_ path: String) -> String? {
        guard !path.utf8.contains(0), let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func currentDirectory() -> String? {
        guard let buffer = getcwd(nil, 0) else { return nil }
        defer { free(buffer) }
        return String(cString: buffer)
    }
}
