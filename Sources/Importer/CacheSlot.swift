import Synchronization

/// The validity bookkeeping shared by a cached archive table and a cached
/// directory listing: what was validated, when, and against which
/// invalidations.
///
/// Invalidation never touches the cached value and does no I/O:
/// - global invalidation increments the cache's epoch, one atomic add
///   however many archives there are (CPython gh-103200: 3.10–3.12 re-read
///   every archive eagerly instead);
/// - targeted invalidation increments this slot's generation.
/// A snapshot remembers the epoch and generation it was validated at, so the
/// next lookup sees that they moved and revalidates lazily. Both are read
/// *before* the I/O that validates, so an invalidation that races with a
/// revalidation is never lost: it just causes one more.
///
/// Lookups on a valid cache take `current` only to copy one snapshot out;
/// I/O never happens under it, so readers do not queue behind a reload.
final class CacheSlot<Value: Sendable>: Sendable {
    /// Immutable and a class, so that copying one out of the lock is a
    /// single retain.
    final class Snapshot: Sendable {
        let value: Value
        let epoch: UInt64
        let generation: UInt64
        /// Monotonic time at which the validating I/O began.
        let validatedAtNs: Int64

        init(value: Value, epoch: UInt64, generation: UInt64, validatedAtNs: Int64) {
            self.value = value
            self.epoch = epoch
            self.generation = generation
            self.validatedAtNs = validatedAtNs
        }
    }

    struct Marks: Sendable {
        let epoch: UInt64
        let generation: UInt64
    }

    enum Freshness: Sendable, Equatable {
        /// Usable as is.
        case fresh
        /// Older than its time-to-live: check the file's identity.
        case expired
        /// Invalidated (explicitly or globally) since it was validated.
        case invalidated
    }

    let context: CacheContext
    let counters = StatisticsCounters()
    /// Serialises loads, so that concurrent misses read a directory once.
    let loading = Mutex<Void>(())
    private let generation = Atomic<UInt64>(0)
    /// -1: no time-to-live; 0: check on every lookup.
    private let timeToLiveNs: Atomic<Int64>
    private let followsGlobal: Atomic<Bool>
    private let current = Mutex<Snapshot?>(nil)

    init(context: CacheContext, policy: CachePolicy) {
        self.context = context
        timeToLiveNs = Atomic(policy.timeToLive.map { $0.saturatingNanoseconds } ?? -1)
        followsGlobal = Atomic(policy.followsGlobalInvalidation)
    }

    /// The epoch and generation now; read them before validating.
    @inline(__always)
    func marks() -> Marks {
        Marks(epoch: context.epoch.load(ordering: .acquiring), generation: generation.load(ordering: .acquiring))
    }

    /// The current snapshot, copied out under the lock.
    @inline(__always)
    func snapshot() -> Snapshot? {
        current.withLock { $0 }
    }

    @inline(__always)
    func freshness(of snapshot: Snapshot, at marks: Marks) -> Freshness {
        if snapshot.generation != marks.generation { return .invalidated }
        // An opted-out slot does not even look at the epoch: zero cost.
        if snapshot.epoch != marks.epoch, followsGlobal.load(ordering: .relaxed) { return .invalidated }
        let ttl = timeToLiveNs.load(ordering: .relaxed)
        if ttl < 0 { return .fresh }
        if ttl == 0 { return .expired }
        let (age, overflow) = context.environment.monotonicNs().subtractingReportingOverflow(snapshot.validatedAtNs)
        return overflow || age < 0 || age >= ttl ? .expired : .fresh
    }

    /// Publishes `value` as validated at `marks`, unless a validation that
    /// began later has already been published.
    @discardableResult
    func publish(_ value: Value, marks: Marks, startedAtNs: Int64) -> Value {
        let snapshot = Snapshot(value: value, epoch: marks.epoch, generation: marks.generation, validatedAtNs: startedAtNs)
        return current.withLock { existing in
            if let existing, existing.validatedAtNs > startedAtNs { return existing.value }
            existing = snapshot
            return value
        }
    }

    /// Targeted invalidation: O(1), no I/O.
    func invalidate() {
        generation.wrappingAdd(1, ordering: .releasing)
    }

    var policy: CachePolicy {
        get {
            let ttl = timeToLiveNs.load(ordering: .relaxed)
            return CachePolicy(timeToLive: ttl < 0 ? nil : Duration(nanoseconds: ttl),
                               followsGlobalInvalidation: followsGlobal.load(ordering: .relaxed))
        }
        set {
            timeToLiveNs.store(newValue.timeToLive.map { $0.saturatingNanoseconds } ?? -1, ordering: .relaxed)
            followsGlobal.store(newValue.followsGlobalInvalidation, ordering: .relaxed)
        }
    }
}
