#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

/// What one `stat` says about a file: what kind it is, which file it is,
/// and which version of it.
///
/// Two identities are equal when the kind, device, inode, size,
/// modification time and status-change time (both in nanoseconds) are
/// equal. A file rewritten in place keeps its inode but gets a new ctime
/// even if its mtime is put back, so comparing identities detects every
/// rewrite the kernel records. The one type for a `stat` in ZipIndex and
/// the Importer.
public struct FileIdentity: Sendable, Hashable {
    /// The kind of file.
    public enum Kind: Sendable, Hashable { case regular, directory, other }

    public let kind: Kind
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    /// Modification time, nanoseconds since the epoch; saturated at the
    /// ends of `Int64` (the year 2262) rather than wrapped.
    public let modificationTimeNs: Int64
    /// Status change time, nanoseconds since the epoch, saturated.
    public let changeTimeNs: Int64

    package init(kind: Kind, device: UInt64, inode: UInt64, size: Int64, modificationTimeNs: Int64, changeTimeNs: Int64) {
        self.kind = kind
        self.device = device
        self.inode = inode
        self.size = size
        self.modificationTimeNs = modificationTimeNs
        self.changeTimeNs = changeTimeNs
    }

    package init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        size = Int64(truncatingIfNeeded: info.st_size)
        modificationTimeNs = Self.nanoseconds(Platform.modificationTime(info))
        changeTimeNs = Self.nanoseconds(Platform.changeTime(info))
    }

    /// The identity of the file at `path` now, following symbolic links,
    /// or nil if it cannot be stat'ed (for example because it was deleted,
    /// or the path holds a NUL, which would shorten the path C sees). The
    /// C function is `stat`.
    public static func of(path: String) -> FileIdentity? {
        guard !path.utf8.contains(0) else { return nil }
        var info = stat()
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        return FileIdentity(info)
    }

    /// Seconds and nanoseconds as nanoseconds, saturated.
    private static func nanoseconds(_ time: timespec) -> Int64 {
        let seconds = Int64(truncatingIfNeeded: time.tv_sec)
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(Int64(truncatingIfNeeded: time.tv_nsec))
        return overflow2 ? .max : total
    }
}
