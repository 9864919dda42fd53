/// Finding entries whose data overlaps: the overlapping-entry zip bomb.
///
/// In a well-formed archive each entry's local header and data lie between
/// its local header offset and the next local header (or the central
/// directory). A "full overlap" bomb points many directory entries at one
/// local header; a "quoted overlap" makes each entry's data contain the next
/// entry's header (David Fifield, 2019). Info-ZIP UnZip keeps a list of
/// covered spans; CPython sorts the offsets and gives each entry an end
/// (`_end_offset`, gh-109858). We do the latter: the limit of an entry is
/// the next larger local header offset, and its real data end, known once
/// its local header is read, must not pass it.
///
/// Writers almost always store entries in file order, so the limit is
/// usually the next record's offset and costs nothing; otherwise a sorted
/// copy of the offsets is built on first use.
final class LocalHeaderOrder: Sendable {
    private let table: FileTable
    private let directoryOffset: UInt64

    init(table: FileTable, directoryOffset: UInt64) {
        self.table = table
        self.directoryOffset = directoryOffset
    }

    /// Where the entry's local header and data must end: the next local
    /// header, or the central directory. Equal to the entry's own offset
    /// when another entry shares its local header.
    func limit(of entry: Int) -> UInt64 { limits.limit(of: entry) }

    /// What ``limit(of:)`` needs, as a value a thread keeps: the sorted
    /// offsets, made now if the headers do not ascend, are then read with
    /// no lock per entry.
    var limits: Limits {
        let view = table.view
        guard !view.localHeadersAscend else { return Limits(table: view, directoryOffset: directoryOffset, sorted: []) }
        return Limits(table: view, directoryOffset: directoryOffset, sorted: table.sortedLocalHeaderOffsets)
    }

    /// Each entry's limit, from the table alone. Borrows the table: valid
    /// while it lives.
    struct Limits {
        let table: TableView
        let directoryOffset: UInt64
        /// Every local header offset, sorted; empty when they ascend in
        /// directory order, where the next entry's is the limit.
        let sorted: [UInt64]

        func limit(of entry: Int) -> UInt64 {
            if table.localHeadersAscend {
                return entry + 1 < table.count ? table.localHeaderOffset(entry + 1) : directoryOffset
            }
            let own = table.localHeaderOffset(entry)
            // The first position holding `own`; `own` is present.
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < own { low = middle + 1 } else { high = middle }
            }
            let next = low + 1
            guard next < sorted.count else { return directoryOffset }
            return sorted[next]  // == own when the header is shared
        }
    }

    /// Entries that certainly overlap, found from the directory alone with
    /// no I/O: ones sharing a local header, and ones whose 30-byte local
    /// header plus compressed data run past their limit. The local name is
    /// not counted: in a damaged archive it may be shorter than the central
    /// one, and such an entry is a name mismatch, not an overlap. Reading
    /// finds the overlaps this misses by a name's length.
    func overlappingEntries() -> [Int] {
        var result: [Int] = []
        let limits = limits
        for entry in 0 ..< table.count where !table.records[entry].info.contains(.impossibleLocalHeaderOffset) {
            // Below the directory offset (checked at open): no overflow.
            let start = table.localHeaderOffset(entry) + UInt64(LocalFileHeader.fixedLength)
            let (end, overflow) = start.addingReportingOverflow(table.compressedSize(entry))
            if overflow || end > limits.limit(of: entry) { result.append(entry) }
        }
        return result
    }
}
