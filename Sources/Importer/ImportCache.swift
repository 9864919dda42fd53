import Synchronization

/// The process-wide cache of archive tables and directory listings.
///
/// It holds one table per archive, keyed by the archive's canonical absolute
/// path (`realpath`), so `a.zip`, `./a.zip` and `/abs/a.zip` share it, and
/// every ``ZipImporter`` of that archive, in every ``ImportPath``, uses it.
/// Likewise one listing per directory for every ``DirectoryFinder``.
///
/// ``invalidateAll()`` is one atomic increment of a global epoch: O(1)
/// however many archives are cached and however large they are (CPython
/// gh-103200). Each table and listing revalidates lazily on its next use.
///
/// Entries are never evicted, as in CPython's `_zip_directory_cache`. Use
/// ``shared`` unless you need isolation (tests, or a host with its own
/// notion of timestamp granularity).
public final class ImportCache: Sendable {
    /// The cache every importer uses unless given another.
    public static let shared = ImportCache()

    let context: CacheContext
    private let archives = Mutex<[SystemPath: CachedArchive]>([:])
    private let directories = Mutex<[String: CachedDirectory]>([:])

    /// Creates a separate cache.
    ///
    /// - Parameter timestampGranularity: how coarse file timestamps may be.
    ///   A table or listing read within this much of its file's last change
    ///   cannot be proven current by an unchanged identity (Git's racy-clean
    ///   rule). The default, 2 s, is FAT's mtime resolution, the coarsest in
    ///   common use (ext3, HFS+ and small-inode ext4 have 1 s; Linux stamps
    ///   even nanosecond file systems from a clock that ticks once per
    ///   jiffy). Erring coarse costs only an extra read of a file that changed
    ///   in the last two seconds.
    public convenience init(timestampGranularity: Duration = .seconds(2)) {
        self.init(timestampGranularity: timestampGranularity, environment: .live)
    }

    init(timestampGranularity: Duration, environment: FileSystemEnvironment) {
        context = CacheContext(granularityNs: timestampGranularity.saturatingNanoseconds, environment: environment)
    }

    /// How coarse file timestamps are assumed to be.
    public var timestampGranularity: Duration { Duration(nanoseconds: context.granularityNs) }

    /// Invalidates every archive table and directory listing in this cache
    /// (except those whose ``CachePolicy`` opts out), in O(1) with no I/O.
    /// Each revalidates on its next use.
    public func invalidateAll() {
        context.epoch.wrappingAdd(1, ordering: .releasing)
    }

    /// Invalidates the archive or directory at `path`, if this cache holds
    /// it, whatever its policy. `path` may also name a directory or member
    /// inside a cached archive (`app.zip/pkg`). O(1) after a dictionary
    /// lookup; no I/O beyond resolving the path. Returns whether anything
    /// was invalidated.
    @discardableResult
    public func invalidate(path: String) -> Bool {
        invalidate(path: SystemPath(path))
    }

    /// Invalidates the archive or directory at `path` (any bytes), as
    /// ``invalidate(path:)-(String)``.
    @discardableResult
    public func invalidate(path: SystemPath) -> Bool {
        let key = PathSplitting.canonical(path)
        var found = false
        if let archive = archives.withLock({ $0[key] }) ?? archive(containing: path) {
            archive.invalidate()
            found = true
        }
        if let text = key.string, let directory = directories.withLock({ $0[text] }) {
            directory.invalidate()
            found = true
        }
        return found
    }

    /// The cached archive that `path` names a directory or member inside
    /// (`app.zip/pkg/mod.py`), found by cutting components off the end as
    /// zipimport splits its path; nil if there is none.
    private func archive(containing path: SystemPath) -> CachedArchive? {
        var current = path
        while true {
            let (head, _) = PathSplitting.split(current)
            guard !head.isEmpty, head != current else { return nil }
            current = head
            if let stamp = context.environment.stat(current) {
                guard stamp.kind == .regular else { return nil }
                return archives.withLock { $0[PathSplitting.canonical(current)] }
            }
        }
    }

    /// The statistics of every archive and directory in this cache, summed.
    public var statistics: CacheStatistics {
        let archiveSlots = archives.withLock { Array($0.values) }
        let directorySlots = directories.withLock { Array($0.values) }
        var total = CacheStatistics()
        for archive in archiveSlots { total = total + archive.slot.counters.snapshot }
        for directory in directorySlots { total = total + directory.slot.counters.snapshot }
        return total
    }

    /// The entry for the archive at `canonicalPath`, created (empty) if new.
    func archive(canonicalPath: SystemPath) -> CachedArchive {
        archives.withLock { archives in
            if let existing = archives[canonicalPath] { return existing }
            let created = CachedArchive(path: canonicalPath, context: context)
            archives[canonicalPath] = created
            return created
        }
    }

    /// The entry for the directory at `canonicalPath`, created (empty) if new.
    func directory(canonicalPath: String) -> CachedDirectory {
        directories.withLock { directories in
            if let existing = directories[canonicalPath] { return existing }
            let created = CachedDirectory(path: canonicalPath, context: context)
            directories[canonicalPath] = created
            return created
        }
    }

    /// Invalidates the directory at `canonicalPath` if it is cached.
    func invalidateDirectory(canonicalPath: String) {
        directories.withLock { $0[canonicalPath] }?.invalidate()
    }
}

/// What every cache entry of one ``ImportCache`` shares: the global epoch,
/// the timestamp granularity and the environment.
final class CacheContext: Sendable {
    let epoch = Atomic<UInt64>(0)
    let granularityNs: Int64
    let environment: FileSystemEnvironment

    init(granularityNs: Int64, environment: FileSystemEnvironment) {
        self.granularityNs = granularityNs
        self.environment = environment
    }
}
