#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds (`clock_gettime(CLOCK_MONOTONIC)`).
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Runs `body` repeatedly — at least `minimumRuns` times and until about
/// `budgetNs` has passed — and returns each run's duration, sorted.
func sample(minimumRuns: Int = 5, maximumRuns: Int = 1_000, budgetNs: UInt64 = 1_500_000_000,
            _ body: () throws -> Void) rethrows -> [UInt64] {
    var times: [UInt64] = []
    let start = now()
    while times.count < minimumRuns || (now() - start < budgetNs && times.count < maximumRuns) {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    return times.sorted()
}

func median(_ sorted: [UInt64]) -> UInt64 { sorted.isEmpty ? 0 : sorted[sorted.count / 2] }

/// Prints one JSON object on one line: the last line of every subcommand.
func emit(_ fields: [(String, String)]) {
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

/// A small deterministic generator (SplitMix64), so runs pick the same names.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fail(_ message: String) -> Never {
    let line = Array("zipbench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// The same malloc policy as the C floor (`floor/cd_index.c`), so that both
/// sides pay the same for memory: by default freed memory stays mapped
/// between runs (warm pages); with `fresh` every large allocation gets new
/// pages, the cost a one-time open pays.
func setPagePolicy(fresh: Bool) {
    // <malloc.h> is not part of the Glibc module: M_TRIM_THRESHOLD is -1,
    // M_MMAP_THRESHOLD -3 and M_MMAP_MAX -4 there.
    if fresh {
        _ = glibcMallopt(-3, 128 * 1024)
    } else {
        _ = glibcMallopt(-4, 0)
        _ = glibcMallopt(-1, -1)
    }
}

@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
