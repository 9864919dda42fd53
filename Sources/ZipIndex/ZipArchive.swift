import Synchronization

/// A zip archive opened for reading.
///
/// Opening reads only the end of the file and the central directory, in
/// bounded chunks, into a compact table; entry data is read on demand with
/// `pread`. The archive never loads the whole file.
///
/// ```swift
/// let archive = try ZipArchive(path: "app.zip")
/// for entry in archive.entries {
///     print(entry.name, entry.uncompressedSize)
/// }
/// if let readme = archive.entry(named: "README.md") {
///     let bytes = try archive.read(readme)   // size and CRC-32 verified
/// }
/// ```
///
/// An archive is an immutable value and `Sendable`: any number of threads
/// may look up and read entries at once.
public struct ZipArchive: Sendable {
    final class Storage: Sendable {
        let source: ByteSource
        let table: FileTable
        let location: CentralDirectoryLocation
        let limits: ReadLimits
        let order: LocalHeaderOrder
        /// Declared bytes of every read so far, against `maximumTotalOutput`.
        let totalOutput = Atomic<UInt64>(0)
        /// Made by the first ``ZipArchive/audit()``, never at open.
        let audit = Mutex<ZipAudit?>(nil)

        init(source: ByteSource, limits: ReadLimits) throws(ZipError) {
            self.source = source
            self.limits = limits
            let (location, tail) = try CentralDirectoryLocation.locate(in: source)
            table = try FileTableBuilder.build(source: source, location: location, tail: tail, limits: limits)
            self.location = location
            order = LocalHeaderOrder(table: table, directoryOffset: location.directoryOffset)
        }

        /// Adds `declared` to the total output (saturating: declared sizes
        /// come from the archive) and says whether the total stays within
        /// the limit. A read refused here still counts, so that once the
        /// limit is passed every later read is refused; with `onlyIfWithin`
        /// nothing is added unless the total stays within.
        func addOutput(_ declared: UInt64, onlyIfWithin: Bool = false) -> Bool {
            var current = totalOutput.load(ordering: .relaxed)
            while true {
                let (sum, overflow) = current.addingReportingOverflow(declared)
                let next = overflow ? UInt64.max : sum
                let within = next <= limits.maximumTotalOutput
                if onlyIfWithin, !within { return false }
                let (exchanged, original) = totalOutput.compareExchange(expected: current, desired: next, ordering: .relaxed)
                if exchanged { return within }
                current = original
            }
        }
    }

    let storage: Storage

    /// Opens the archive at `path`.
    ///
    /// - Parameters:
    ///   - path: the archive's path.
    ///   - limits: caps on entry count and on what reads may produce; the
    ///     defaults are safe for untrusted archives.
    /// - Throws: ``ZipError`` with code `.io` if the file cannot be opened,
    ///   or a format code if it is not a readable zip archive.
    public init(path: String, limits: ReadLimits = .default) throws(ZipError) {
        storage = try Storage(source: ByteSource(path: path), limits: limits)
    }

    /// Opens the archive in an open file. The archive reads through its own
    /// duplicate of `fileDescriptor`, so you may close yours at once; reads
    /// use `pread` and never move the descriptor's offset.
    public init(fileDescriptor: Int32, limits: ReadLimits = .default) throws(ZipError) {
        storage = try Storage(source: ByteSource(descriptor: fileDescriptor), limits: limits)
    }

    /// Opens an archive held in memory.
    public init(bytes: [UInt8], limits: ReadLimits = .default) throws(ZipError) {
        storage = try Storage(source: ByteSource(bytes: bytes), limits: limits)
    }

    // MARK: The archive

    /// The entries, in central-directory order. Duplicate names all appear.
    public var entries: Entries { Entries(table: storage.table) }

    /// The number of entries.
    public var count: Int { storage.table.count }

    /// Calls `body` with each entry's index and name, in central-directory
    /// order, as its UTF-8 bytes.
    ///
    /// The fastest way to visit every name: the walk stays inside the
    /// table, with no ``ZipEntry`` and no `String` per entry. Iterating
    /// ``entries`` and calling ``ZipEntry/withUTF8Name(_:)`` costs several
    /// times more per entry (`zipls` lists 100k names this way).
    public func forEachUTF8Name<E: Error>(
        _ body: (_ index: Int, _ name: Span<UInt8>) throws(E) -> Void
    ) throws(E) {
        let table = storage.table
        defer { withExtendedLifetime(table) {} }
        try table.view.forEachName(body)
    }

    /// The archive comment, decoded as UTF-8 when valid, else as code page 437.
    public var comment: String {
        let bytes = storage.location.comment
        return bytes.withBytes { ZipEntryDetails.decode($0, utf8: UTF8Validation.isValid($0)) }
    }

    /// The archive comment, raw.
    public var commentBytes: [UInt8] { storage.location.comment }

    /// Whether the archive has a ZIP64 end of central directory record.
    public var isZip64: Bool { storage.location.isZip64 }

    /// The number of bytes before the zip data: a self-extractor stub, a
    /// zipapp's `#!` line. Offsets in the archive are relative to this point.
    public var prependedBytes: UInt64 { storage.location.prependedBytes }

    /// The absolute file offset of the central directory.
    public var centralDirectoryOffset: UInt64 { storage.location.directoryOffset }

    /// The size of the central directory in bytes.
    public var centralDirectorySize: UInt64 { storage.location.directorySize }

    /// The size of the archive in bytes.
    public var fileSize: UInt64 { storage.source.size }

    /// The limits this archive was opened with.
    public var limits: ReadLimits { storage.limits }

    /// Entries that certainly overlap another entry's local header, judged
    /// from the central directory alone (no I/O): several entries sharing a
    /// local header, or data that runs past the next one. Reading any of
    /// them fails with `.overlappingEntries` unless the limits allow it.
    public var overlappingEntries: [ZipEntry] {
        storage.order.overlappingEntries().map { ZipEntry(table: storage.table, index: $0) }
    }

    /// The identity of the file when it was opened (nil for bytes in memory).
    public var fileIdentity: FileIdentity? { storage.source.identity }

    /// Memory held by the file table, counted from its buffers' capacities:
    /// `tableBytes` includes the names, `nameBytes` is the names alone. The
    /// name index is counted once the first lookup has built it; before
    /// that, the names' hashes it will be built from (8 bytes per entry).
    ///
    /// For the benchmarks, which compare it with other readers' memory:
    /// `@_spi(Benchmarks) import ZipIndex`.
    @_spi(Benchmarks) public var tableStatistics: (tableBytes: Int, nameBytes: Int) {
        (storage.table.byteCount, storage.table.arena.count)
    }

    // MARK: Lookup

    /// The entry named `name`, or nil. With duplicate names, the last one
    /// in the directory, as Python's `zipfile` answers. Allocates nothing.
    public func entry(named name: String) -> ZipEntry? {
        ByteView.with(utf8: name) { entry(bytes: $0) }
    }

    /// The entry named `name`, or nil. Allocates nothing.
    public func entry(named name: Substring) -> ZipEntry? {
        ByteView.with(utf8: name) { entry(bytes: $0) }
    }

    /// The entry whose UTF-8 name is exactly `utf8Name`, or nil. Allocates
    /// nothing.
    public func entry(utf8Name: Span<UInt8>) -> ZipEntry? {
        ByteView.with(utf8Name) { entry(bytes: $0) }
    }

    private func entry(bytes: ByteView) -> ZipEntry? {
        storage.table.find(bytes).map { ZipEntry(table: storage.table, index: $0) }
    }

    /// Whether `path` names a directory: one with its own entry, or one
    /// implied by deeper names (`a/b/c.txt` implies `a/` and `a/b/`).
    /// A trailing `/` is optional. The first call builds the directory index.
    public func directoryExists(_ path: String) -> Bool {
        ByteView.with(utf8: path) { storage.table.directoryExists($0) }
    }

    /// ``directoryExists(_:)`` for a UTF-8 path: allocates nothing, so that
    /// an importer's miss stays cheap.
    public func directoryExists(utf8 path: Span<UInt8>) -> Bool {
        ByteView.with(path) { storage.table.directoryExists($0) }
    }

    /// Every directory, explicit or implied, each ending with `/`, in the
    /// order first seen in the central directory. Names are built as they
    /// are read: one hostile 64 KiB name can imply 32,000 directories.
    public var directories: Directories { Directories(table: storage.table) }

    /// The directories of an archive, explicit or implied.
    public struct Directories: RandomAccessCollection, Sendable {
        let table: FileTable
        public var startIndex: Int { 0 }
        public var endIndex: Int { table.directoryCount }
        public subscript(position: Int) -> String { table.directoryName(position) }
    }

    /// The names of the entries and directories directly inside `path`
    /// (empty for the root), relative to it, directories ending with `/`,
    /// each once, in central-directory order.
    public func contentsOfDirectory(_ path: String) -> [String] {
        var prefix = Array(path.utf8)
        if !prefix.isEmpty, prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        var seen = Set<String>()
        var result: [String] = []
        let table = storage.table
        prefix.withBytes { prefix in
            for entry in 0 ..< table.count {
                let child: String? = table.withName(entry) { name in
                    guard name.count > prefix.count, name.extracting(0 ..< prefix.count).elementsEqual(prefix) else { return nil }
                    // The next component, with its `/` if it has one.
                    let end = name.firstIndex(of: UInt8(ascii: "/"), in: prefix.count ..< name.count).map { $0 + 1 } ?? name.count
                    return String(decoding: name.extracting(prefix.count ..< end), as: UTF8.self)
                }
                if let child, child != "/", seen.insert(child).inserted { result.append(child) }
            }
        }
        return result
    }

    // MARK: Reading

    /// Reads an entry's data whole, after verifying its size and CRC-32.
    ///
    /// - Throws: ``ZipError``: `.encrypted` or `.unsupportedMethod` for what
    ///   cannot be decoded; `.checksumMismatch`, `.sizeMismatch` or
    ///   `.corruptData` for bad data; header and I/O errors.
    public func read(_ entry: ZipEntry) throws(ZipError) -> [UInt8] {
        try checkOwnership(entry)
        var reader = entryReader(window: nil)
        do throws(ZipError) {
            try begin(entry.index, with: &reader, countsOutput: true)
            reader.window = smallEntryWindow(entry.index, in: reader.table)
            return try reader.readAll()
        } catch {
            throw error.naming(entry.name)
        }
    }

    /// Streams an entry's data to `body` in chunks of at most 256 KiB, then
    /// verifies its size and CRC-32.
    ///
    /// The chunk is valid only during the call. When the size or CRC-32 is
    /// wrong, the error comes after the chunks: treat what was passed as
    /// untrusted until this method returns.
    ///
    /// - Throws: ``ZipError``, or whatever `body` throws.
    public func read(_ entry: ZipEntry, chunks body: (Span<UInt8>) throws -> Void) throws {
        try checkOwnership(entry)
        var reader = entryReader(window: nil)
        try read(at: entry.index, with: &reader, countsOutput: true) { chunk in try chunk.withSpan(body) }
    }

    /// Throws unless `entry` is one of this archive's.
    func checkOwnership(_ entry: ZipEntry) throws(ZipError) {
        guard entry.table === storage.table else {
            throw ZipError(.foreignEntry, entry: entry.name, detail: "it was listed by another ZipArchive value")
        }
    }

    /// ``read(_:chunks:)`` of the entry at `index` (one of this archive's)
    /// with `reader`, a thread's for many entries (when it has no window, a
    /// small entry gets one of its own). The one way to an entry's data, in
    /// a fixed order: what cannot be decoded is refused before any I/O,
    /// then the read limits apply (the total only when `countsOutput`: a
    /// run that reserved it with ``reserveOutput(for:)`` does not count
    /// again); the reader then checks the overlap, the local header against
    /// the directory and the data descriptor (``EntryReader/dataRange()``),
    /// and verifies the size and CRC-32 as the data goes by.
    ///
    /// It takes an index, not a ``ZipEntry``, so that a thread reading many
    /// entries never copies one: each copy retains the table, and the
    /// threads would share that count.
    func read(at index: Int, with reader: inout EntryReader, countsOutput: Bool,
              chunks body: (ByteView) throws -> Void) throws {
        do {
            try begin(index, with: &reader, countsOutput: countsOutput)
            if reader.window == nil, let window = smallEntryWindow(index, in: reader.table) {
                reader.window = window
                defer { reader.window = nil }
                try reader.stream(body)
            } else {
                try reader.stream(body)
            }
        } catch let error as ZipError {
            throw error.naming(reader.entryName)
        }
    }

    /// A reader of this archive's entries, for one thread: its reads go
    /// through `window` when there is one. Only data reads need the overlap
    /// limits, which may sort every local header offset on first use.
    func entryReader(window: ReadWindow?, forData: Bool = true) -> EntryReader {
        EntryReader(source: storage.source, table: storage.table, directoryOffset: storage.location.directoryOffset,
                    limits: storage.limits,
                    overlap: forData && storage.limits.rejectsOverlappingEntries ? storage.order : nil,
                    window: window)
    }

    /// Selects the entry at `index` in `reader` after the checks that need
    /// no I/O: what cannot be decoded, then the limits.
    private func begin(_ index: Int, with reader: inout EntryReader, countsOutput: Bool) throws(ZipError) {
        try reader.begin(index)
        if countsOutput { try countOutput(reader.table.uncompressedSize(index)) }
    }

    /// A small entry's local record (header, name, extra field, data,
    /// descriptor) comes with one read instead of three or four: a window
    /// of its size, or nil for a larger entry or an archive in memory.
    private func smallEntryWindow(_ index: Int, in table: TableView) -> ReadWindow? {
        let record = UInt64(LocalFileHeader.fixedLength + table.nameRange(index).count
                            + EntryReader.usualExtraLength + DataDescriptor.maximumLength)
        let compressed = table.compressedSize(index)
        guard storage.source.isFile, record < Self.smallRecord, compressed <= Self.smallRecord - record else { return nil }
        return ReadWindow(source: storage.source, capacity: Int(record + compressed))
    }

    /// Walks the local records from the start of the zip data to the
    /// central directory, in offset order, and reports what the directory
    /// does not account for: gaps, and hidden entries (whole local records
    /// in a gap or in the prepended data, which a streaming reader would
    /// extract and a directory reader would not). Checked where the data
    /// lies, with large sequential reads: about the archive's size in I/O.
    ///
    /// An archive is read the same way by every reader only if the result
    /// ``ZipStructure/isClean``; `zipls test` fails an archive that is not.
    public func verifyStructure() throws(ZipError) -> ZipStructure {
        var walker = StructureWalker(source: storage.source, table: storage.table,
                                     zipDataStart: storage.location.prependedBytes,
                                     directoryOffset: storage.location.directoryOffset)
        return try walker.walk()
    }

    /// What the archive has that ZipIndex reads but another reader or file
    /// system may treat differently: hazards in names, collisions between
    /// names, and bytes the directory does not account for.
    ///
    /// Made on first use and kept: the names cost one pass over the table,
    /// the structure one walk of the local records
    /// (``verifyStructure()``). Opening an archive pays for neither.
    ///
    /// - Throws: ``ZipError`` when the local records cannot be read.
    public func audit() throws(ZipError) -> ZipAudit {
        if let made = storage.audit.withLock({ $0 }) { return made }
        let made = ZipAudit(names: ZipAudit.names(of: entries), prependedBytes: prependedBytes,
                            trailingBytes: storage.location.trailingBytes(fileSize: fileSize),
                            structure: try verifyStructure())
        return storage.audit.withLock { kept in
            if let kept { return kept }
            kept = made
            return made
        }
    }

    /// Reads the parts of an entry's central header that the table does not
    /// keep: its comment, extra field and extended times.
    public func details(of entry: ZipEntry) throws(ZipError) -> ZipEntryDetails {
        do throws(ZipError) {
            try checkOwnership(entry)
            var reader = entryReader(window: nil, forData: false)
            reader.entry = entry.index
            let bytes = try reader.centralHeaderBytes()
            return try bytes.withBytes { (raw) throws(ZipError) in
                var cursor = ByteCursor(raw, fileOffset: centralDirectoryOffset + storage.table.centralHeaderOffset(entry.index))
                return ZipEntryDetails(header: try CentralDirectoryHeader(&cursor))
            }
        } catch {
            throw error.naming(entry.name)
        }
    }

    /// The largest local record read whole at once: 64 KiB.
    static let smallRecord: UInt64 = 64 << 10

    /// Counts `declared` bytes against ``ReadLimits/maximumTotalOutput``.
    private func countOutput(_ declared: UInt64) throws(ZipError) {
        let limit = storage.limits.maximumTotalOutput
        guard limit != .max else { return }
        guard storage.addOutput(declared) else {
            throw ZipError(.limitExceeded, detail: "reads of this archive would produce more than \(limit) bytes in all")
        }
    }

    /// Counts, in one step, the declared output of every entry at
    /// `indices` that the checks before reading admit (a negative index is
    /// none), when all of it fits under ``ReadLimits/maximumTotalOutput``:
    /// the run then reads those entries with `countsOutput` false, and no
    /// thread writes the shared count per entry. False, with nothing
    /// counted, when it does not fit: each entry must then be counted as it
    /// is read, in order, for the same entries to fail as when reading
    /// them one by one.
    func reserveOutput(for indices: [Int]) -> Bool {
        guard storage.limits.maximumTotalOutput != .max else { return true }
        var reader = entryReader(window: nil, forData: false)
        var total: UInt64 = 0
        for index in indices where index >= 0 {
            guard (try? reader.begin(index)) != nil else { continue }
            let (sum, overflow) = total.addingReportingOverflow(reader.table.uncompressedSize(index))
            guard !overflow else { return false }
            total = sum
        }
        return storage.addOutput(total, onlyIfWithin: true)
    }

    // MARK: Entries

    /// The entries of an archive, in central-directory order.
    public struct Entries: RandomAccessCollection, Sendable {
        let table: FileTable
        public var startIndex: Int { 0 }
        public var endIndex: Int { table.count }
        public subscript(position: Int) -> ZipEntry {
            precondition(position >= 0 && position < table.count, "entry index out of range")
            return ZipEntry(table: table, index: position)
        }
    }
}
