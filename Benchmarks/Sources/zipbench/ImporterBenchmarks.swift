import Importer
import ZipIndex

#if canImport(Glibc)
import Glibc
#endif

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
/// deeply nested module when none is given. (`compare.sh` names the modules
/// it gives CPython's loop, so that both find the same ones.)
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
