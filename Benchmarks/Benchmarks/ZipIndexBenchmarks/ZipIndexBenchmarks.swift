// The package-benchmark suite: compare.py's ZipIndex scenarios through the
// public API, with wall clock and malloc counts, so that a regression in
// mallocs per entry, lookup or inflated chunk shows in `swift package
// benchmark baseline check`. Archives: ZIPINDEX_BENCH_ARCHIVES, else
// Benchmarks/.archives (gen_archives.py); a benchmark whose archive is
// missing is skipped with a note.
import Benchmark
import ZipIndex

#if canImport(Glibc)
import Glibc
#endif

let archivesDirectory: String = {
    if let path = getenv("ZIPINDEX_BENCH_ARCHIVES") { return String(cString: path) }
    // #filePath is .../Benchmarks/Benchmarks/ZipIndexBenchmarks/ZipIndexBenchmarks.swift
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/.archives"
}()

func archive(_ name: String) -> String? {
    let path = archivesDirectory + "/" + name
    if access(path, R_OK) == 0 { return path }
    let note = "ZipIndexBenchmarks: \(path) is missing; run gen_archives.py (see Benchmarks/README.md). Skipped.\n"
    _ = Array(note.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    return nil
}

/// The same names the lookup benchmarks ask for on every run: existing names
/// drawn with a fixed seed, and the same names with one byte changed.
struct Queries {
    var hits: [String] = []
    var misses: [String] = []

    init(_ archive: ZipArchive, count: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while hits.count < count {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let index = Int((state &* 0x2545_F491_4F6C_DD1D) % UInt64(archive.count))
            let name = archive.entries[index].name
            var bytes = Array(name.utf8)
            guard !bytes.isEmpty else { continue }
            bytes[bytes.count / 2] ^= 0x20
            let miss = String(decoding: bytes, as: UTF8.self)
            guard archive.entry(named: miss) == nil else { continue }
            hits.append(name)
            misses.append(miss)
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    let allocations: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .mallocBytesCount, .peakMemoryResident]
    Benchmark.defaultConfiguration = .init(
        metrics: allocations,
        timeUnits: .microseconds,
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    // Open and index: ZipArchive(path:) and the first lookup, which builds
    // the name index. Mallocs per parse must not grow with the entry count
    // (the table is a few large buffers, not one object per entry): compare
    // "parse 10k" with "parse 100k".
    for (label, file) in [("1k", "entries-1k.zip"), ("10k", "entries-10k.zip"),
                          ("100k", "entries-100k.zip"), ("1m", "entries-1m.zip")] {
        guard let path = archive(file) else { continue }
        Benchmark("parse \(label)",
                  configuration: .init(maxDuration: .seconds(label == "1m" ? 5 : 2),
                                       maxIterations: label == "1m" ? 20 : 1_000)) { benchmark in
            for _ in benchmark.scaledIterations {
                let zip = try ZipArchive(path: path)
                blackHole(zip.entry(named: ""))
            }
        }
    }

    // Lookup: 1,000 names per iteration (scalingFactor .kilo), so the
    // per-lookup figures are the scaled ones; a lookup must not allocate.
    for (label, file) in [("100k", "entries-100k.zip"), ("1m", "entries-1m.zip")] {
        guard let path = archive(file), let zip = try? ZipArchive(path: path) else { continue }
        let queries = Queries(zip, count: 1_000)
        let configuration = Benchmark.Configuration(timeUnits: .nanoseconds, scalingFactor: .kilo,
                                                    maxDuration: .seconds(2))
        Benchmark("lookup hit \(label)", configuration: configuration) { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(zip.entry(named: queries.hits[i % queries.hits.count]))
            }
        }
        Benchmark("lookup miss \(label)", configuration: configuration) { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(zip.entry(named: queries.misses[i % queries.misses.count]))
            }
        }
    }

    // Inflate with CRC-32: stream the 100 MiB entry through read(_:chunks:).
    if let path = archive("data-100mb.zip") {
        Benchmark("inflate data.bin 100 MiB",
                  configuration: .init(warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 10)) { benchmark in
            let zip = try ZipArchive(path: path)
            guard let entry = zip.entry(named: "data.bin") else {
                benchmark.error("data.bin is missing from \(path)")
                return
            }
            var bytes = 0
            try zip.read(entry) { chunk in bytes += chunk.count }
            blackHole(bytes)
        }
    }
}
