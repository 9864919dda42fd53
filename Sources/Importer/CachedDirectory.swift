import ZipIndex

/// One directory's listing as read at one moment.
final class DirectoryListing: Sendable {
    let names: ByteStringSet
    /// The directory's identity just before it was listed; nil if it could
    /// not be stat'ed (then the listing is empty, as `FileFinder`'s).
    let stamp: FileIdentity?
    /// Whether the directory changed within one timestamp tick of the
    /// listing: a file created later in the same tick would leave the stamp
    /// as it is, so such a listing is taken again on next use.
    let racy: Bool

    init(names: ByteStringSet, stamp: FileIdentity?, readTimeNs: Int64, granularityNs: Int64) {
        self.names = names
        self.stamp = stamp
        racy = stamp.map { $0.isRacy(readAtNs: readTimeNs, granularityNs: granularityNs) } ?? false
    }
}

/// The process-wide cache entry of one directory's listing, the state of
/// CPython's `FileFinder` (`_path_cache`, `_path_mtime`), shared by every
/// finder of that directory so that ``ModuleWriter`` can reach them all.
///
/// By default (``CachePolicy/directoryDefault``) every lookup stats the
/// directory and re-lists it when its identity changed, as `FileFinder`
/// does with the mtime. Unlike `FileFinder`, a listing taken within the
/// timestamp granularity of the directory's last change is re-listed on next
/// use, so a module created in the same tick is never missed. Invalidation
/// is O(1) and forces a re-list on next use (`FileFinder` sets
/// `_path_mtime = -1`): a directory's identity cannot prove a listing fresh
/// on a coarse file system, and listing one costs little.
final class CachedDirectory: Sendable {
    /// The canonical absolute path: the cache key.
    let path: String
    let slot: CacheSlot<DirectoryListing>

    init(path: String, context: CacheContext) {
        self.path = path
        slot = CacheSlot(context: context, policy: .directoryDefault)
    }

    private var environment: FileSystemEnvironment { slot.context.environment }

    /// The listing to answer a lookup with, revalidated first if needed.
    @inline(__always)
    func listing() -> DirectoryListing {
        let marks = slot.marks()
        let previous = slot.snapshot()
        var freshness = CacheSlot<DirectoryListing>.Freshness.invalidated
        if let previous {
            freshness = slot.freshness(of: previous, at: marks)
            // A racy listing is re-listed on next use whatever the policy.
            if freshness == .fresh, !previous.value.racy {
                slot.counters.hit()
                return previous.value
            }
        }
        slot.counters.miss()
        let startedAt = environment.monotonicNs()
        if let previous, freshness == .expired, !previous.value.racy {
            slot.counters.revalidation()
            if environment.stat(path) == previous.value.stamp {
                return slot.publish(previous.value, marks: marks, startedAtNs: startedAt)
            }
        }
        return slot.loading.withLock { _ in
            if let snapshot = slot.snapshot(), snapshot.validatedAtNs >= startedAt,
               slot.freshness(of: snapshot, at: slot.marks()) != .invalidated {
                return snapshot.value
            }
            return load()
        }
    }

    func invalidate() { slot.invalidate() }

    /// Lists the directory. Call with `slot.loading` held.
    private func load() -> DirectoryListing {
        slot.counters.reload()
        let marks = slot.marks()
        let startedAt = environment.monotonicNs()
        let readTime = environment.wallClockNs()
        let stamp = environment.stat(path)
        let names = stamp?.kind == .directory ? FileIO.listDirectory(path) ?? ByteStringSet() : ByteStringSet()
        let listing = DirectoryListing(names: names, stamp: stamp, readTimeNs: readTime,
                                       granularityNs: slot.context.granularityNs)
        return slot.publish(listing, marks: marks, startedAtNs: startedAt)
    }
}
