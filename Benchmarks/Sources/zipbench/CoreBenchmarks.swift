import ZipIndex

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
                if name.withUnsafeBytes({ archive.entry(utf8Name: $0) }) != nil { found += 1 }
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
