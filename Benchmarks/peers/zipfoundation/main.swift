// zipfoundation-bench: ZIPFoundation 0.9.20 on the same scenarios as zipbench;
// each subcommand prints one JSON line.
//
//   parse ARCHIVE [R]         Archive(url:accessMode: .read), then every entry's path:
//                             with no index, its "open and make ready" (the iterator
//                             reads each local header too)
//   lookup ARCHIVE            archive[path] (a linear scan) for random names and for
//                             names with one byte changed, each timed; the middle
//                             entry first, up to 256 queries until BENCH_LOOKUP_MS
//                             (2000) have passed, at least 1
//   inflate ARCHIVE NAME [R]  open, archive[NAME], extract(entry, consumer:), CRC-32 checked
//   once ARCHIVE              parse once and exit: {"entries", "onceNs"}
//
// Without R, repetitions fill BENCH_TARGET_MS (1500) after a warm-up run, 5 to
// 100,000 (1 when a run takes over 2 s); with R and BENCH_SKIP_WARMUP, no warm-up.
import Foundation
import ZIPFoundation

#if canImport(Glibc)
import Glibc
#endif

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("zipfoundation-bench: \(message)\n".utf8))
    exit(1)
}

func environmentInt(_ name: String, _ fallback: UInt64) -> UInt64 {
    guard let text = ProcessInfo.processInfo.environment[name], let value = UInt64(text), value > 0 else {
        return fallback
    }
    return value
}

struct Stats { var runs: Int; var median, min, max: UInt64 }

func run(_ repetitions: String?, _ body: () throws -> Void) rethrows -> Stats {
    let skipWarmup = repetitions != nil && ProcessInfo.processInfo.environment["BENCH_SKIP_WARMUP"] != nil
    var runs: Int
    if let repetitions {
        guard let r = Int(repetitions), r > 0 else { fail("repetitions must be a positive integer") }
        runs = r
        if !skipWarmup { try body() }
    } else {
        let t0 = now()
        try body()
        let warm = now() - t0
        let target = environmentInt("BENCH_TARGET_MS", 1_500) * 1_000_000
        if warm > 2_000_000_000 {
            runs = Int(max(1, target / warm))
        } else {
            let t1 = now()
            try body()
            let one = max(now() - t1, 1)
            runs = Int(min(max(5, target / one), 100_000))
        }
    }
    var samples: [UInt64] = []
    for _ in 0 ..< runs {
        let t0 = now()
        try body()
        samples.append(now() - t0)
    }
    samples.sort()
    return Stats(runs: runs, median: samples[samples.count / 2], min: samples[0], max: samples[samples.count - 1])
}

func openArchive(_ path: String) -> Archive {
    do {
        return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
        fail("\(path): \(error)")
    }
}

/// Opens and visits every entry, reading its path; returns the entry count.
func openAndIterate(_ path: String) -> Int {
    let archive = openArchive(path)
    var count = 0
    var nameBytes = 0
    for entry in archive {
        count += 1
        nameBytes &+= entry.path.utf8.count
    }
    if nameBytes == -1 { print("") }
    return count
}

func emit(_ fields: KeyValuePairs<String, Any>) {
    let body = fields.map { key, value -> String in
        if let text = value as? String { return "\"\(key)\": \"\(text)\"" }
        return "\"\(key)\": \(value)"
    }
    print("{" + body.joined(separator: ", ") + "}")
}

func parse(_ path: String, _ repetitions: String?) {
    var entries = 0
    let s = run(repetitions) { entries = openAndIterate(path) }
    emit(["entries": entries, "runs": s.runs, "medianNs": s.median, "minNs": s.min, "maxNs": s.max,
          "nsPerEntry": Double(s.median) / Double(max(entries, 1))])
}

/// xorshift64*, the generator of the C floor's lookup mode.
struct XorShift {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

func lookup(_ path: String) {
    let archive = openArchive(path)
    let names = archive.map(\.path)
    guard !names.isEmpty else { fail("\(path) has no entries") }
    let present = Set(names)
    var rng = XorShift()
    var hits: [String] = []
    var misses: [String] = []
    // A run capped at one query still pays the average cost of a scan.
    hits.append(names[names.count / 2])
    while hits.count < 256 { hits.append(names[Int(rng.next() % UInt64(names.count))]) }
    while misses.count < 256 {
        var bytes = Array(names[Int(rng.next() % UInt64(names.count))].utf8)
        guard !bytes.isEmpty else { continue }
        bytes[bytes.count / 2] ^= 0x20
        let name = String(decoding: bytes, as: UTF8.self)
        if !present.contains(name) { misses.append(name) }
    }
    let budget = environmentInt("BENCH_LOOKUP_MS", 2_000) * 1_000_000
    func timeLookups(_ queries: [String], expectHit: Bool) -> (median: UInt64, count: Int) {
        var samples: [UInt64] = []
        let start = now()
        for query in queries {
            let t0 = now()
            let found = archive[query] != nil
            samples.append(now() - t0)
            if found != expectHit { fail("lookup returned the wrong kind of result") }
            if now() - start > budget { break }
        }
        samples.sort()
        return (samples[samples.count / 2], samples.count)
    }
    let hit = timeLookups(hits, expectHit: true)
    let miss = timeLookups(misses, expectHit: false)
    emit(["entries": names.count, "hitNs": hit.median, "missNs": miss.median,
          "hitQueries": hit.count, "missQueries": miss.count])
}

func inflate(_ path: String, _ name: String, _ repetitions: String?) {
    var bytes = 0
    let s = run(repetitions) {
        let archive = openArchive(path)
        guard let entry = archive[name] else { fail("no entry \(name) in \(path)") }
        var total = 0
        do {
            let crc = try archive.extract(entry, bufferSize: 256 * 1024, consumer: { total += $0.count })
            if crc != entry.checksum { fail("\(name): CRC-32 mismatch") }
        } catch {
            fail("\(name): \(error)")
        }
        bytes = total
    }
    emit(["bytes": bytes, "runs": s.runs, "medianNs": s.median, "minNs": s.min, "maxNs": s.max,
          "mbPerSec": Double(bytes) / 1e6 / (Double(s.median) / 1e9)])
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch (arguments.first, arguments.count) {
case ("parse", 2), ("parse", 3): parse(arguments[1], arguments.count == 3 ? arguments[2] : nil)
case ("lookup", 2): lookup(arguments[1])
case ("inflate", 3), ("inflate", 4): inflate(arguments[1], arguments[2], arguments.count == 4 ? arguments[3] : nil)
case ("once", 2):
    let start = now()
    let entries = openAndIterate(arguments[1])
    emit(["entries": entries, "onceNs": now() - start])
default:
    fail("usage: zipfoundation-bench parse ARCHIVE [R] | lookup ARCHIVE | inflate ARCHIVE NAME [R] | once ARCHIVE")
}
