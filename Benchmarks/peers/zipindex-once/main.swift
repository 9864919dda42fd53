// zipindex-once ARCHIVE: ZipArchive(path:) and one lookup (which builds the
// name index) once, print the entry count, exit: ZipIndex's side of the
// whole-process and peak-RSS comparisons in compare.py.
#if canImport(Glibc)
import Glibc
#endif
@_spi(Benchmarks) import ZipIndex

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    print("usage: zipindex-once ARCHIVE")
    exit(2)
}
var ts = timespec()
clock_gettime(CLOCK_MONOTONIC, &ts)
let start = Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec)
do {
    let archive = try ZipArchive(path: arguments[1])
    // The first lookup builds the name index: open *and index*, as the
    // other readers' "once" programs do.
    _ = archive.entry(named: "")
    clock_gettime(CLOCK_MONOTONIC, &ts)
    let elapsed = Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec) - start
    print("{\"entries\": \(archive.count), \"onceNs\": \(elapsed), \"tableBytes\": \(archive.tableStatistics.tableBytes)}")
} catch {
    print("zipindex-once: \(arguments[1]): \(error)")
    exit(2)
}
