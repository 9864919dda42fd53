// zipbench: release-build measurements of ZipIndex, its side of every
// comparison in compare.py. Each subcommand prints one line of JSON, last.
//
//   zipbench parse ARCHIVE
//   zipbench lookup ARCHIVE
//   zipbench inflate ARCHIVE NAME
//   zipbench invalidate [--opt-out] ARCHIVE...
//   zipbench gh103200 ARCHIVE[:MODULE]...
import Importer
@_spi(Benchmarks) import ZipIndex

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

/// The C floor's malloc policy (`floor index`), so that both sides pay the
/// same for memory: freed memory stays mapped between runs (warm pages).
func keepFreedMemory() {
    // <malloc.h> is not part of the Glibc module: M_TRIM_THRESHOLD is -1 and
    // M_MMAP_MAX -4 there.
    _ = glibcMallopt(-4, 0)
    _ = glibcMallopt(-1, -1)
}

@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// `zipbench parse ARCHIVE`: open and index, repeated. The name index is
/// built by the first lookup, so each run opens and then looks up one name.
func benchmarkParse(_ path: String) throws {
    var archive = try ZipArchive(path: path)
    let times = try sample {
        archive = try ZipArchive(path: path)
        _ = archive.entry(named: "")
    }
    let stats = archive.tableStatistics
    let entries = max(archive.count, 1)
    let med = median(times)
    emit([
        ("entries", "\(archive.count)"),
        ("medianNs", "\(med)"), ("minNs", "\(times.first ?? 0)"), ("maxNs", "\(times.last ?? 0)"),
        ("nsPerEntry", "\(Double(med) / Double(entries))"),
        ("tableBytes", "\(stats.tableBytes)"), ("nameBytes", "\(stats.nameBytes)"),
        ("bytesPerEntry", "\(Double(stats.tableBytes - stats.nameBytes) / Double(entries))"),
    ])
}

/// `zipbench lookup ARCHIVE`: median time of a hit and of a miss over names
/// taken at random from the archive (misses: the same names with one byte changed).
func benchmarkLookup(_ path: String) throws {
    let archive = try ZipArchive(path: path)
    guard archive.count > 0 else { fail("\(path) has no entries") }
    var random = SplitMix64(state: 42)
    let batch = 4_096
    let hits: [[UInt8]] = (0 ..< batch).map { _ in Array(archive.entries[Int(random.next() % UInt64(archive.count))].name.utf8) }
    let misses: [[UInt8]] = hits.map { name in
        var changed = name
        changed[changed.count / 2] ^= 0x01
        changed.append(UInt8(ascii: "~"))
        return changed
    }
    func perLookup(_ names: [[UInt8]], expectFound: Bool) -> UInt64 {
        var found = 0
        let times = sample(minimumRuns: 20, maximumRuns: 400, budgetNs: 1_000_000_000) {
            for name in names {
                if archive.entry(utf8Name: name.span) != nil { found += 1 }
            }
        }
        if expectFound != (found > 0) { fail("lookup gave unexpected results") }
        return median(times) / UInt64(names.count)
    }
    let hit = perLookup(hits, expectFound: true)
    let miss = perLookup(misses, expectFound: false)
    emit([("entries", "\(archive.count)"), ("hitNs", "\(hit)"), ("missNs", "\(miss)")])
}

/// `zipbench inflate ARCHIVE NAME`: stream one entry with its CRC checked.
func benchmarkInflate(_ path: String, _ name: String) throws {
    let archive = try ZipArchive(path: path)
    guard let entry = archive.entry(named: name) else { fail("no entry \(name) in \(path)") }
    var bytes = 0
    let times = try sample(minimumRuns: 5, maximumRuns: 50, budgetNs: 3_000_000_000) {
        bytes = 0
        try archive.read(entry) { bytes += $0.count }
    }
    let seconds = Double(median(times)) / 1e9
    emit([("bytes", "\(bytes)"), ("medianNs", "\(median(times))"),
          ("mbPerSec", "\(Double(bytes) / 1e6 / seconds)")])
}

/// The names a benchmark finds in an archive: the top-level name of the
/// first module, and the most deeply nested module's full name.
struct ArchiveModules {
    var first: String
    var deepest: String

    init(_ path: String) throws {
        let archive = try ZipArchive(path: path)
        var first: String?
        var deepest: (depth: Int, name: String)?
        for entry in archive.entries where entry.name.hasSuffix(".py") {
            var parts = entry.name.dropLast(3).split(separator: "/").map(String.init)
            if parts.last == "__init__" { parts.removeLast() }
            guard !parts.isEmpty else { continue }
            let name = parts.joined(separator: ".")
            // A top-level name the importer resolves at the archive root: a
            // module, a package or a namespace portion.
            if first == nil { first = parts[0] }
            if parts.count > (deepest?.depth ?? 0) { deepest = (parts.count, name) }
        }
        guard let deepest else { fail("\(path) holds no Python modules") }
        self.first = first ?? deepest.name  // not reached: a module was seen
        self.deepest = deepest.name
    }
}

/// Waits until every archive is older than the racy-clean window (2 s), so
/// that revalidation can trust an unchanged identity, as it would for any
/// archive not written in the last moments.
func waitPastRacyWindow(_ paths: [String]) {
    var newest: Int64 = 0
    for path in paths {
        if let identity = FileIdentity.of(path: path) { newest = max(newest, identity.modificationTimeNs, identity.changeTimeNs) }
    }
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    let age = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec) - newest
    let window: Int64 = 2_100_000_000
    if age < window { usleep(UInt32((window - age) / 1_000)) }
}

/// `zipbench invalidate [--opt-out] ARCHIVE...`: global invalidation over a
/// path of archives, and the first find in each archive after it.
func benchmarkInvalidate(_ paths: [String], optOut: Bool) throws {
    waitPastRacyWindow(paths)
    let path = ImportPath(paths, cache: ImportCache())
    let modules = try paths.map { try ArchiveModules($0).first }
    var finders: [any ModuleFinder] = []
    for (entry, module) in zip(paths, modules) {
        guard let finder = path.finder(for: entry), finder.findSpec(module) != nil else {
            fail("\(entry): cannot find \(module)")
        }
        finders.append(finder)
        if optOut { _ = path.setPolicy(CachePolicy(followsGlobalInvalidation: false), forEntry: entry) }
    }
    let batch = 1_000
    let invalidations = sample(minimumRuns: 50, maximumRuns: 2_000, budgetNs: 500_000_000) {
        for _ in 0 ..< batch { path.invalidateCaches() }
    }
    let invalidateTotal = Double(median(invalidations)) / Double(batch)

    // The first find in each archive after an invalidation: a stat, and a
    // re-read only if the archive changed (it has not).
    var firstFinds: [UInt64] = []
    for _ in 0 ..< 20 {
        path.invalidateCaches()
        for (finder, module) in zip(finders, modules) {
            let start = now()
            let found = finder.findSpec(module)
            firstFinds.append(now() - start)
            if found == nil { fail("lost \(module) after invalidation") }
        }
    }
    firstFinds.sort()
    emit([
        ("archives", "\(paths.count)"),
        ("invalidateTotalNs", "\(invalidateTotal)"),
        ("invalidatePerArchiveNs", "\(invalidateTotal / Double(max(paths.count, 1)))"),
        ("firstFindAfterNs", "\(median(firstFinds))"),
    ])
}

/// `zipbench gh103200 ARCHIVE[:MODULE]...`: the loop from CPython
/// gh-103200. Each iteration invalidates every cache, then finds one deep
/// module in each archive by its fully qualified name: MODULE, or the most
/// deeply nested module when none is given (compare.py names the modules it
/// gives CPython's loop, so that both find the same ones).
func benchmarkGH103200(_ arguments: [String]) throws {
    let pairs = arguments.map { argument -> (path: String, module: String?) in
        // ARCHIVE:MODULE, split at the last colon when a dotted name follows.
        if let colon = argument.lastIndex(of: ":"), !argument[argument.index(after: colon)...].contains("/"),
           argument.index(after: colon) < argument.endIndex {
            return (String(argument[..<colon]), String(argument[argument.index(after: colon)...]))
        }
        return (argument, nil)
    }
    let paths = pairs.map(\.path)
    waitPastRacyWindow(paths)
    let path = ImportPath(paths, cache: ImportCache())
    let modules = try pairs.map { try $0.module ?? ArchiveModules($0.path).deepest }
    for module in modules where path.findSpec(module) == nil { fail("cannot find \(module)") }
    let iterations = sample(minimumRuns: 100, maximumRuns: 20_000, budgetNs: 1_000_000_000) {
        path.invalidateCaches()
        for module in modules where path.findSpec(module) == nil { fail("lost \(module)") }
    }
    emit([("perIterationNs", "\(median(iterations))"), ("modules", "[\(modules.map { "\"\($0)\"" }.joined(separator: ", "))]")])
}

let arguments = Array(CommandLine.arguments.dropFirst())
keepFreedMemory()
guard let command = arguments.first else {
    fail("usage: zipbench parse|lookup|inflate|invalidate|gh103200 ARCHIVE... [NAME]")
}
let rest = Array(arguments.dropFirst())
do {
    switch (command, rest.count) {
    case ("parse", 1): try benchmarkParse(rest[0])
    case ("lookup", 1): try benchmarkLookup(rest[0])
    case ("inflate", 2): try benchmarkInflate(rest[0], rest[1])
    case ("invalidate", 1...):
        let optOut = rest.contains("--opt-out")
        try benchmarkInvalidate(rest.filter { $0 != "--opt-out" }, optOut: optOut)
    case ("gh103200", 1...): try benchmarkGH103200(rest)
    default: fail("unknown command or wrong arguments: \(arguments)")
    }
} catch {
    fail("\(error)")
}
