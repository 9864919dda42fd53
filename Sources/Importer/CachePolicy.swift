/// When a cached archive table or directory listing is checked against the
/// file system.
///
/// Every cache is checked after an explicit invalidation of it. Beyond that:
/// - `timeToLive == nil`: trusted until invalidated. The default for
///   archives, as in CPython's zipimport: the hot path does no `stat`.
/// - `timeToLive == .zero`: checked on every lookup. The default for
///   directories, as in CPython's `FileFinder`, which stats its directory
///   on every find.
/// - a positive `timeToLive`: eventual consistency (PJ Eby's 2013 idea): once
///   the cache is older than this, the next lookup revalidates it without
///   anyone invalidating.
///
/// `followsGlobalInvalidation == false` opts out of global invalidation
/// (``ImportCache/invalidateAll()``, ``ImportPath/invalidateCaches()``) at no
/// cost: the global epoch is simply not compared. An explicit invalidation of
/// that archive or directory still works.
public struct CachePolicy: Sendable, Hashable {
    /// How long a validated cache is trusted without a `stat`; nil for
    /// "until invalidated".
    public var timeToLive: Duration?
    /// Whether global invalidation marks this cache stale.
    public var followsGlobalInvalidation: Bool

    /// Creates a policy.
    public init(timeToLive: Duration? = nil, followsGlobalInvalidation: Bool = true) {
        self.timeToLive = timeToLive
        self.followsGlobalInvalidation = followsGlobalInvalidation
    }

    /// Archives: trusted until invalidated (zipimport's behaviour).
    public static let archiveDefault = CachePolicy()
    /// Directories: the modification time is checked on every lookup
    /// (`FileFinder`'s behaviour).
    public static let directoryDefault = CachePolicy(timeToLive: .zero)
}

extension Duration {
    /// This duration in nanoseconds, saturated to `Int64`'s range; negative
    /// durations count as zero.
    var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : max(total, 0)
    }

    init(nanoseconds: Int64) {
        self = .nanoseconds(nanoseconds)
    }
}
