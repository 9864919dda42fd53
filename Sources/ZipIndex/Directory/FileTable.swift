import Synchronization

/// One entry of the file table: a fixed 40-byte record.
///
/// Offsets and sizes take 32 bits, as in a zip32 directory. An entry with any
/// value that needs more (a ZIP64 entry) is marked `wide`, and its four
/// 64-bit values live in the table's side array, so ordinary archives pay
/// nothing for ZIP64.
struct EntryRecord {
    /// The absolute local header offset, or, when `wide`, the index of the
    /// entry's group of four in `FileTable.wide`.
    var localHeaderOffset: UInt32
    var compressedSize: UInt32
    var uncompressedSize: UInt32
    var crc32: UInt32
    /// Where the name starts in the arena. It ends where the next one starts.
    var nameStart: UInt32
    /// The header's offset from the start of the central directory.
    var centralHeaderOffset: UInt32
    /// MS-DOS date in the high 16 bits, time in the low 16 (APPNOTE 4.4.6).
    var dosDateTime: UInt32
    var externalAttributes: UInt32
    var method: UInt16
    var flags: UInt16
    var versionMadeBy: UInt16
    var info: Info

    /// Facts the parser learned that the header's own fields do not say.
    struct Info: OptionSet {
        var rawValue: UInt16
        /// The offsets and sizes live in `FileTable.wide`.
        static let wide = Info(rawValue: 1 << 0)
        /// The name came from an Info-ZIP Unicode Path field.
        static let unicodePathName = Info(rawValue: 1 << 1)
        /// The name was code page 437 with bytes above 0x7F.
        static let cp437Name = Info(rawValue: 1 << 2)
        /// The header had a ZIP64 extended information field.
        static let zip64 = Info(rawValue: 1 << 3)
        /// The header has an Info-ZIP Unicode Path field, used or not: the
        /// local header must carry the same one.
        static let unicodePathField = Info(rawValue: 1 << 4)
        /// The directory puts the local header at or past the central
        /// directory: the entry is bad (reading it throws), the archive is
        /// not. Its local header offset is the directory's, a placeholder
        /// that keeps the offsets ordered for overlap detection.
        static let impossibleLocalHeaderOffset = Info(rawValue: 1 << 5)
    }
}

/// The compact, immutable index of an archive's central directory.
///
/// Three buffers hold everything: fixed-size records in directory order, one
/// arena with every name as UTF-8, and a hash index over the names. Lookup
/// hashes the caller's bytes and compares them with the arena, so it
/// creates no `String` and allocates nothing.
///
/// What the table derives from itself (the name index, the directory
/// index, the local header offsets sorted) it builds on first use, each
/// through one ``DerivedIndex``: opening and listing an archive never pay
/// for them (at 100k entries the name index's inserts were 1.5 ms of
/// `zipls ARCHIVE`'s 17 ms). The name index is built from hashes computed
/// while parsing, when each name's bytes were in cache.
final class FileTable: Sendable {
    let records: TableBuffer<EntryRecord>
    /// Every name, decoded to UTF-8, back to back.
    let arena: TableBuffer<UInt8>
    /// Offsets and sizes of wide entries: (local header offset, compressed
    /// size, uncompressed size, central header offset) per entry.
    let wide: TableBuffer<UInt64>
    /// Whether every local header offset is larger than the one before, in
    /// directory order (as writers almost always store entries).
    let localHeadersAscend: Bool
    /// Each name's hash, made while parsing; building the name index
    /// consumes them and leaves an empty buffer.
    private let pendingHashes: Mutex<TableBuffer<UInt64>>
    private let nameIndex = DerivedIndex<NameIndex>()
    private let directoryIndex = DerivedIndex<DirectoryIndex>()
    private let sortedOffsets = DerivedIndex<[UInt64]>()

    init(records: consuming TableBuffer<EntryRecord>, arena: consuming TableBuffer<UInt8>,
         wide: consuming TableBuffer<UInt64>, hashes: consuming TableBuffer<UInt64>, localHeadersAscend: Bool) {
        self.records = records
        self.arena = arena
        self.wide = wide
        self.localHeadersAscend = localHeadersAscend
        pendingHashes = Mutex(hashes)
    }

    var count: Int { records.count }

    /// The bytes the table holds, from its buffers' capacities: the name
    /// index once built, the pending hashes before.
    var byteCount: Int {
        let fixed = records.byteCount + arena.byteCount + wide.byteCount
        return fixed + (nameIndex.ifBuilt { $0.byteCount } ?? pendingHashes.withLock { $0.byteCount })
    }

    /// One tight loop of inserts after the walk, rather than inserts during
    /// it: the walk streams through memory.
    private func buildNameIndex() -> NameIndex {
        pendingHashes.withLock { hashes in
            var index = NameIndex(expectedCount: count)
            for entry in 0 ..< count {
                // The name is needed only when a slot's tag matches: a
                // duplicate, or one collision in 256.
                index.insert(hash: hashes[entry], id: UInt32(entry)) { other in
                    nameBytes(Int(other)).elementsEqual(nameBytes(entry))
                }
            }
            hashes = TableBuffer(capacity: 0)
            return index
        }
    }

    /// The buffers, borrowed: valid while this table lives.
    var view: TableView {
        TableView(records: records.borrowedElements, arena: arena.allBytes, wide: wide.borrowedElements,
                  localHeadersAscend: localHeadersAscend)
    }

    @inline(__always)
    func nameRange(_ entry: Int) -> Range<Int> { view.nameRange(entry) }

    /// The UTF-8 bytes of an entry's name, valid while the table lives.
    @inline(__always)
    func nameBytes(_ entry: Int) -> ByteView { view.nameBytes(entry) }

    /// Calls `body` with the UTF-8 bytes of an entry's name.
    @inline(__always)
    func withName<R, E: Error>(_ entry: Int, _ body: (ByteView) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(self) {} }
        return try body(nameBytes(entry))
    }

    func name(_ entry: Int) -> String {
        withName(entry) { String(decoding: $0, as: UTF8.self) }
    }

    /// The index of the last entry named exactly `key` (UTF-8), or nil.
    @inline(__always)
    func find(_ key: ByteView) -> Int? {
        let hash = NameIndex.hash(key)
        return nameIndex.withIndex(from: self, build: { $0.buildNameIndex() }) { index in
            index.find(hash: hash) { id in nameBytes(Int(id)).elementsEqual(key) }.map { Int($0) }
        }
    }

    // MARK: Directories

    /// Whether `path`, with or without its final `/`, names a directory,
    /// explicit or implied by deeper names.
    func directoryExists(_ path: ByteView) -> Bool {
        withDirectoryIndex { $0.contains(directory: path, arena: arena.allBytes) }
    }

    var directoryCount: Int { withDirectoryIndex { $0.count } }

    /// The `position`th directory, in the order first seen.
    func directoryName(_ position: Int) -> String {
        withDirectoryIndex { index in
            precondition(position >= 0 && position < index.count, "directory index out of range")
            return index.name(position, arena: arena.allBytes)
        }
    }

    private func withDirectoryIndex<R>(_ body: (borrowing DirectoryIndex) -> R) -> R {
        directoryIndex.withIndex(from: self, build: { DirectoryIndex(table: $0.view) }, body)
    }

    // MARK: Local header order

    /// Every local header offset, sorted (for overlap limits when they do
    /// not ascend in directory order).
    var sortedLocalHeaderOffsets: [UInt64] {
        sortedOffsets.withIndex(from: view, build: { view in (0 ..< view.count).map(view.localHeaderOffset).sorted() }) { $0 }
    }

    // MARK: Fields that may be wide

    func localHeaderOffset(_ entry: Int) -> UInt64 { view.localHeaderOffset(entry) }
    func compressedSize(_ entry: Int) -> UInt64 { view.compressedSize(entry) }
    func uncompressedSize(_ entry: Int) -> UInt64 { view.uncompressedSize(entry) }
    func centralHeaderOffset(_ entry: Int) -> UInt64 { view.centralHeaderOffset(entry) }
}

/// A file table's buffers, borrowed: what a thread reading many entries
/// keeps, so that reading an entry's fields touches neither the table
/// object nor its reference count. Another thread may be retaining and
/// releasing the table meanwhile (each ``ZipEntry`` it hands over does),
/// and that cache line bounced between the cores once per entry: two
/// threads checking a million small entries used twice one thread's CPU.
///
/// Valid only while the table lives: keep the table alongside (as
/// ``EntryReader`` does). Every access is bounds-checked.
struct TableView: @unchecked Sendable {  // read-only, as the table's buffers are
    let records: UnsafeBufferPointer<EntryRecord>
    let arena: ByteView
    let wide: UnsafeBufferPointer<UInt64>
    let localHeadersAscend: Bool

    var count: Int { records.count }

    @inline(__always)
    func record(_ entry: Int) -> EntryRecord {
        precondition(entry >= 0 && entry < records.count, "entry index out of range")
        return records[entry]
    }

    @inline(__always)
    func nameRange(_ entry: Int) -> Range<Int> {
        let start = Int(record(entry).nameStart)
        let end = entry + 1 < records.count ? Int(records[entry + 1].nameStart) : arena.count
        precondition(start <= end && end <= arena.count, "name range out of range")
        return start ..< end
    }

    /// The UTF-8 bytes of an entry's name.
    @inline(__always)
    func nameBytes(_ entry: Int) -> ByteView {
        arena.extracting(nameRange(entry))
    }

    /// Calls `body` with each entry's index and name, in order. The span
    /// is made here, from the arena, rather than by a closure per name:
    /// in a caller's unspecialized generic code (the public
    /// `forEachUTF8Name`), that closure cost more than the walk.
    func forEachName<E: Error>(_ body: (Int, Span<UInt8>) throws(E) -> Void) throws(E) {
        let names = arena.unsafeBytes
        let start = names.baseAddress?.assumingMemoryBound(to: UInt8.self)
        for entry in 0 ..< records.count {
            let range = nameRange(entry)
            let name = UnsafeBufferPointer(start: start.map { $0 + range.lowerBound }, count: range.count)
            try body(entry, name.span)
        }
    }

    // MARK: Fields that may be wide

    /// The fields of ``EntryRecord`` that a ZIP64 entry keeps in the side
    /// table: a wide entry's `localHeaderOffset` is the index of its group
    /// of four there, in this order.
    private enum WideField: Int {
        case localHeaderOffset, compressedSize, uncompressedSize, centralHeaderOffset
    }

    @inline(__always)
    private func wideValue(_ entry: Int, _ field: WideField, _ narrow: KeyPath<EntryRecord, UInt32>) -> UInt64 {
        let record = record(entry)
        if record.info.contains(.wide) {
            let position = Int(record.localHeaderOffset) * 4 + field.rawValue
            precondition(position < wide.count, "wide value out of range")
            return wide[position]
        }
        return UInt64(record[keyPath: narrow])
    }

    func localHeaderOffset(_ entry: Int) -> UInt64 { wideValue(entry, .localHeaderOffset, \.localHeaderOffset) }
    func compressedSize(_ entry: Int) -> UInt64 { wideValue(entry, .compressedSize, \.compressedSize) }
    func uncompressedSize(_ entry: Int) -> UInt64 { wideValue(entry, .uncompressedSize, \.uncompressedSize) }
    func centralHeaderOffset(_ entry: Int) -> UInt64 { wideValue(entry, .centralHeaderOffset, \.centralHeaderOffset) }
}
