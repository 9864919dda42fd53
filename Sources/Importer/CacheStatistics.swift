import Synchronization

/// Counters for tuning a cache: how often lookups were answered from memory,
/// and how often they had to touch the file system first.
///
/// A *lookup* is one use of an archive's table or a directory's listing: one
/// `findSpec`, `data`, `isPackage`, `source` or `resources` call.
public struct CacheStatistics: Sendable, Hashable, CustomStringConvertible {
    /// Lookups answered from a cache that was valid as it stood: no I/O.
    public var hits: UInt64
    /// Lookups that found the cache invalidated, expired or empty, and had
    /// to revalidate or load it first.
    public var misses: UInt64
    /// Identity checks: a `stat` compared with the cached identity.
    public var revalidations: UInt64
    /// Reads of a central directory or a directory listing, the first included.
    public var reloads: UInt64

    /// Creates statistics with the given counts.
    public init(hits: UInt64 = 0, misses: UInt64 = 0, revalidations: UInt64 = 0, reloads: UInt64 = 0) {
        self.hits = hits
        self.misses = misses
        self.revalidations = revalidations
        self.reloads = reloads
    }

    /// The counts of `lhs` and `rhs` added together.
    public static func + (lhs: CacheStatistics, rhs: CacheStatistics) -> CacheStatistics {
        CacheStatistics(hits: lhs.hits &+ rhs.hits, misses: lhs.misses &+ rhs.misses,
                        revalidations: lhs.revalidations &+ rhs.revalidations, reloads: lhs.reloads &+ rhs.reloads)
    }

    /// The counts, for logs.
    public var description: String {
        "hits \(hits), misses \(misses), revalidations \(revalidations), reloads \(reloads)"
    }
}

/// The live counters behind ``CacheStatistics``: relaxed atomics, one set
/// per cached archive or directory, so that threads using different archives
/// never share a counter.
final class StatisticsCounters: Sendable {
    private let hits = Atomic<UInt64>(0)
    private let misses = Atomic<UInt64>(0)
    private let revalidations = Atomic<UInt64>(0)
    private let reloads = Atomic<UInt64>(0)

    @inline(__always) func hit() { hits.wrappingAdd(1, ordering: .relaxed) }
    func miss() { misses.wrappingAdd(1, ordering: .relaxed) }
    func revalidation() { revalidations.wrappingAdd(1, ordering: .relaxed) }
    func reload() { reloads.wrappingAdd(1, ordering: .relaxed) }

    var snapshot: CacheStatistics {
        CacheStatistics(hits: hits.load(ordering: .relaxed), misses: misses.load(ordering: .relaxed),
                        revalidations: revalidations.load(ordering: .relaxed), reloads: reloads.load(ordering: .relaxed))
    }
}
