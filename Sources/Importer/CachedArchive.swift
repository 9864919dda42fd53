import ZipIndex

/// What the cache knows about one archive: its table, or why there is none.
indirect enum ArchiveState: Sendable {
    case loaded(ArchiveTable)
    /// Missing, unreadable or not a zip at the last check. Lookups answer
    /// nil (bpo-45183: a deleted archive must not make finds raise).
    case unavailable(ImporterError)
}

/// The process-wide cache entry of one archive, shared by every importer of
/// it: an invalidation through any of them is seen by all (CPython 3.10–3.12
/// gave each importer its own copy).
///
/// The first lookup after an invalidation stats the archive. If the
/// identity (device, inode, size, mtime and ctime in ns) is unchanged and
/// the table was not read within a timestamp tick of the file's last change,
/// the table is kept and nothing is parsed; otherwise the central directory
/// is read again.
final class CachedArchive: Sendable {
    /// The canonical absolute path: the cache key.
    let path: SystemPath
    let slot: CacheSlot<ArchiveState>

    init(path: SystemPath, context: CacheContext) {
        self.path = path
        slot = CacheSlot(context: context, policy: .archiveDefault)
    }

    private var environment: FileSystemEnvironment { slot.context.environment }

    /// The state to answer a lookup with, revalidated first if needed.
    @inline(__always)
    func state() -> ArchiveState {
        let marks = slot.marks()
        if let snapshot = slot.snapshot(), slot.freshness(of: snapshot, at: marks) == .fresh {
            slot.counters.hit()
            return snapshot.value
        }
        return revalidate(marks: marks, observed: nil)
    }

    /// Whether ``state()`` would answer from the cached table, with no I/O.
    var isCurrent: Bool {
        guard let snapshot = slot.snapshot() else { return false }
        return slot.freshness(of: snapshot, at: slot.marks()) == .fresh
    }

    /// The table for a new importer. `observed` is the stamp the importer
    /// just took while splitting its path: a cached table with a different
    /// identity is not reused. Throws if the archive cannot be read.
    func openTable(observed: FileIdentity) throws(ImporterError) -> ArchiveTable {
        let marks = slot.marks()
        // A racy table is not reused even when the stamp matches: the file
        // may have been rewritten within the tick it was read in, keeping
        // its size, inode and timestamps (Git's racy-clean rule, as in
        // `revalidate`).
        if let snapshot = slot.snapshot(), slot.freshness(of: snapshot, at: marks) == .fresh,
           case .loaded(let table) = snapshot.value, !table.racy, table.stamp == observed {
            slot.counters.hit()
            return table
        }
        switch revalidate(marks: marks, observed: observed) {
        case .loaded(let table): return table
        case .unavailable(let error): throw error
        }
    }

    /// Whether the file may no longer be what `table` describes.
    func mayHaveChanged(since table: ArchiveTable) -> Bool {
        table.racy || environment.stat(path) != table.stamp
    }

    /// Reads the central directory again after `failed` gave bad data,
    /// unless another thread has already replaced it.
    func reload(replacing failed: ArchiveTable) -> ArchiveState {
        slot.counters.miss()
        let startedAt = environment.monotonicNs()
        return slot.loading.withLock { _ in
            if let snapshot = slot.snapshot(), case .loaded(let table) = snapshot.value, table !== failed,
               snapshot.validatedAtNs >= startedAt {
                return snapshot.value
            }
            return load()
        }
    }

    func invalidate() { slot.invalidate() }

    private func revalidate(marks: CacheSlot<ArchiveState>.Marks, observed: FileIdentity?) -> ArchiveState {
        slot.counters.miss()
        let startedAt = environment.monotonicNs()
        let previous = slot.snapshot()
        // Identity check, outside the loading lock: concurrent stats are fine.
        if let previous {
            slot.counters.revalidation()
            let stamp = observed ?? environment.stat(path)
            switch previous.value {
            case .loaded(let table):
                guard let stamp else {
                    let gone = ImporterError(.archiveUnavailable, path: path.description, detail: "the archive no longer exists")
                    return slot.publish(.unavailable(gone), marks: marks, startedAtNs: startedAt)
                }
                if !table.racy, table.stamp == stamp {
                    return slot.publish(previous.value, marks: marks, startedAtNs: startedAt)
                }
            case .unavailable:
                if stamp == nil {
                    return slot.publish(previous.value, marks: marks, startedAtNs: startedAt)
                }
            }
        }
        return slot.loading.withLock { _ in
            // Another thread may have loaded while this one waited.
            if let snapshot = slot.snapshot(), snapshot.validatedAtNs >= startedAt,
               slot.freshness(of: snapshot, at: slot.marks()) != .invalidated {
                if case .loaded(let table) = snapshot.value, observed == nil || (!table.racy && table.stamp == observed) {
                    return snapshot.value
                }
            }
            return load()
        }
    }

    /// Reads the central directory. Call with `slot.loading` held.
    private func load() -> ArchiveState {
        slot.counters.reload()
        let marks = slot.marks()
        let startedAt = environment.monotonicNs()
        // Taken before the open: the earliest moment the read could reflect,
        // which is the conservative end for the racy-clean comparison.
        let readTime = environment.wallClockNs()
        let state: ArchiveState
        do {
            // A cached table lives as long as the process and serves every
            // importer: a per-archive cap on total output would make it fail
            // after enough imports, so only the per-entry limits apply.
            var limits = ReadLimits.default
            limits.maximumTotalOutput = .max
            let archive = try FileIO.openArchive(path, limits: limits)
            state = .loaded(ArchiveTable(archive: archive, stamp: environment.stampOfOpened(archive, path),
                                         readTimeNs: readTime, granularityNs: slot.context.granularityNs))
        } catch {
            state = .unavailable(error)
        }
        return slot.publish(state, marks: marks, startedAtNs: startedAt)
    }
}
