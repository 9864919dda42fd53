#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles
import ZipIndex

/// What the caches ask of a file's identity: the `stat` of a path as bytes,
/// and whether a cache may trust the identity it was filled under.
extension FileIdentity {
    /// The identity of `path` now (following symbolic links, as zipimport's
    /// `_path_stat` does), or nil if it cannot be stat'ed. An embedded NUL
    /// would silently shorten the path C sees (CPython raises ValueError
    /// there, and zipimport then backs up a component): that is nil too.
    static func of(path: SystemPath) -> FileIdentity? {
        Platform.fileStatus(path: path.bytes).map(FileIdentity.init)
    }

    /// The later of the modification and status-change times.
    var newestTimeNs: Int64 { max(modificationTimeNs, changeTimeNs) }

    /// Git's racy-clean rule: a cache filled at `readTimeNs` cannot trust
    /// this identity if the file changed within one timestamp tick of that
    /// moment, because a later change in the same tick would leave the
    /// identity as it is.
    func isRacy(readAtNs readTimeNs: Int64, granularityNs: Int64) -> Bool {
        let (difference, overflow) = readTimeNs.subtractingReportingOverflow(newestTimeNs)
        return overflow || difference < granularityNs
    }
}
