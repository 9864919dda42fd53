#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ZipIndex

/// What one `stat` says about a path, as far as the caches care: what kind
/// of file it is, which file it is, and which version of it.
///
/// Equality is identity: device, inode, size, and modification and
/// status-change times in nanoseconds. A file rewritten in place keeps its
/// inode, but its ctime moves even when its mtime is put back with
/// `utimensat`, so a rewrite the kernel records is seen.
struct FileStamp: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case regular, directory, other }

    var kind: Kind
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modificationTimeNs: Int64
    var changeTimeNs: Int64

    init(kind: Kind, device: UInt64, inode: UInt64, size: Int64, modificationTimeNs: Int64, changeTimeNs: Int64) {
        self.kind = kind
        self.device = device
        self.inode = inode
        self.size = size
        self.modificationTimeNs = modificationTimeNs
        self.changeTimeNs = changeTimeNs
    }

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        size = Int64(truncatingIfNeeded: info.st_size)
        modificationTimeNs = Self.nanoseconds(info.st_mtim)
        changeTimeNs = Self.nanoseconds(info.st_ctim)
    }

    /// The identity ZipIndex took with `fstat` when it opened an archive.
    init(_ identity: FileIdentity) {
        self.init(kind: .regular, device: identity.device, inode: identity.inode, size: identity.size,
                  modificationTimeNs: identity.modificationTimeNs, changeTimeNs: identity.changeTimeNs)
    }

    /// The stamp of `path` now (following symbolic links, as zipimport's
    /// `_path_stat` does), or nil if it cannot be stat'ed.
    static func of(path: SystemPath) -> FileStamp? {
        // An embedded NUL would silently shorten the path C sees (CPython
        // raises ValueError there, and zipimport then backs up a component):
        // `withCString` gives nil for it.
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        return FileStamp(info)
    }

    static func of(path: String) -> FileStamp? {
        of(path: SystemPath(path))
    }

    /// The later of the modification and status-change times.
    var newestTimeNs: Int64 { max(modificationTimeNs, changeTimeNs) }

    /// Git's racy-clean rule: a cache filled at `readTimeNs` cannot trust this
    /// stamp if the file changed within one timestamp tick of that moment,
    /// because a later change in the same tick would leave the stamp as it is.
    func isRacy(readAtNs readTimeNs: Int64, granularityNs: Int64) -> Bool {
        let (difference, overflow) = readTimeNs.subtractingReportingOverflow(newestTimeNs)
        return overflow || difference < granularityNs
    }

    private static func nanoseconds(_ time: timespec) -> Int64 {
        let seconds = Int64(truncatingIfNeeded: time.tv_sec)
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(Int64(truncatingIfNeeded: time.tv_nsec))
        return overflow2 ? .max : total
    }
}
