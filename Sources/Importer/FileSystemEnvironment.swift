#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ZipIndex

/// The clocks and the `stat` the caches use, gathered so that tests can
/// replace them: a file system whose timestamps never move is the only way
/// to show, deterministically, what happens on one with coarse granularity
/// (the kernel always moves ctime on a real one).
struct FileSystemEnvironment: Sendable {
    /// `stat(path)`, or nil when the path cannot be stat'ed.
    var statPath: @Sendable (SystemPath) -> FileIdentity?
    /// The identity of an archive as it was opened.
    var stampOfOpened: @Sendable (ZipArchive, SystemPath) -> FileIdentity?
    /// Wall-clock time (comparable with file timestamps), in nanoseconds.
    var wallClockNs: @Sendable () -> Int64
    /// Monotonic time for time-to-live, in nanoseconds.
    var monotonicNs: @Sendable () -> Int64

    static let live = FileSystemEnvironment(
        statPath: { FileIdentity.of(path: $0) },
        stampOfOpened: { archive, _ in archive.fileIdentity },
        wallClockNs: { clockNanoseconds(CLOCK_REALTIME) },
        monotonicNs: { clockNanoseconds(CLOCK_MONOTONIC) }
    )

    static func clockNanoseconds(_ clock: clockid_t) -> Int64 {
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return 0 }
        let seconds = Int64(truncatingIfNeeded: time.tv_sec)
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ Int64(truncatingIfNeeded: time.tv_nsec)
    }

    /// `stat(path)`, or nil when the path cannot be stat'ed.
    func stat(_ path: SystemPath) -> FileIdentity? { statPath(path) }

    func stat(_ path: String) -> FileIdentity? { statPath(SystemPath(path)) }
}
