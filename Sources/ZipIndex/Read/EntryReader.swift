/// Reads entries' data: finds each through its local header, decodes it,
/// and checks its size and CRC-32 as the last bytes go by.
///
/// The checks live here, where the data is produced, so that no caller can
/// forget them (Go's `checksumReader`). Output is capped at the declared
/// size: a stream that would inflate past it is stopped at once, so a zip
/// bomb cannot make us produce more than the directory promised.
///
/// One reader serves one thread for many entries (``begin(_:)`` selects
/// each): it keeps what every entry needs (the table's buffers, the
/// overlap limits, the thread's window and decoder), so that reading an
/// entry retains nothing and writes to no memory another thread reads.
struct EntryReader {
    static let chunkSize = 256 * 1024
    /// Stored data up to this size is handed over from the read window.
    static let windowedData: UInt64 = 64 << 10

    let source: ByteSource
    /// Keeps `table` valid.
    private let owner: FileTable
    let table: TableView
    /// The absolute offset of the central directory, for re-reading headers.
    let directoryOffset: UInt64
    let limits: ReadLimits
    /// Each entry's limit, when overlapping entries are refused.
    private let overlap: LocalHeaderOrder.Limits?
    /// Reads of the local record go through this window when there is one
    /// (a small entry, or a thread checking many), else straight to the file.
    var window: ReadWindow?
    /// The entry being read.
    var entry = 0
    /// Where the entry's data must end (the next local header), when
    /// overlapping entries are refused.
    private var dataLimit: UInt64?

    init(source: ByteSource, table: FileTable, directoryOffset: UInt64, limits: ReadLimits,
         overlap: LocalHeaderOrder?, window: ReadWindow?) {
        self.source = source
        owner = table
        self.table = table.view
        self.directoryOffset = directoryOffset
        self.limits = limits
        self.overlap = overlap?.limits
        self.window = window
    }

    /// Makes `entry` the one read next, after the checks that need no I/O:
    /// what cannot be decoded, then the per-entry limits.
    mutating func begin(_ entry: Int) throws(ZipError) {
        self.entry = entry
        dataLimit = overlap?.limit(of: entry)
        try checkDecodable()
        try limits.check(uncompressed: table.uncompressedSize(entry), compressed: table.compressedSize(entry),
                         method: CompressionMethod(rawValue: record.method))
    }

    private func fetch(count: Int, at offset: UInt64) throws(ZipError) -> [UInt8] {
        if let window { return try window.read(count: count, at: offset) }
        return try source.read(count: count, at: offset)
    }

    /// `body` over the bytes at `offset`: in the window when there is one
    /// (no copy), else read into an array.
    @inline(__always)
    private func withFetched<R>(count: Int, at offset: UInt64,
                                _ body: (ByteView) throws(ZipError) -> R) throws(ZipError) -> R {
        if let window { return try window.withBytes(count: count, at: offset, body) }
        return try source.read(count: count, at: offset).withBytes(body)
    }

    private var record: EntryRecord { table.record(entry) }

    /// The entry's name, for an error.
    var entryName: String { String(decoding: table.nameBytes(entry), as: UTF8.self) }

    /// Rejects what cannot be decoded, before any I/O.
    private func checkDecodable() throws(ZipError) {
        let record = record
        let method = CompressionMethod(rawValue: record.method)
        if record.flags & (GeneralPurposeFlags.encrypted | GeneralPurposeFlags.strongEncryption) != 0
            || method == .aesEncrypted {
            throw ZipError(.encrypted, detail: method == .aesEncrypted ? "WinZip AES" : "flag bit 0 is set")
        }
        guard method.isSupported else {
            throw ZipError(.unsupportedMethod, detail: "method \(method.rawValue) (\(method.name))")
        }
    }

    /// The absolute offset and length of the entry's compressed data, after
    /// checking the local header against the central directory, the data
    /// descriptor if there is one, and that the record lies inside the file
    /// and before the next one.
    func dataRange() throws(ZipError) -> (offset: UInt64, length: UInt64) {
        guard !record.info.contains(.impossibleLocalHeaderOffset) else {
            throw ZipError(.invalidLocalHeader, offset: directoryOffset + table.centralHeaderOffset(entry),
                           detail: "the directory puts the local header at or past the central directory (APPNOTE 4.4.16)")
        }
        let headerOffset = table.localHeaderOffset(entry)
        let compressedSize = table.compressedSize(entry)
        if let dataLimit, dataLimit == headerOffset {
            // A full overlap: several directory entries, one local header.
            throw ZipError(.overlappingEntries, offset: headerOffset, detail: "another entry shares this local header")
        }
        let centralNameLength = table.nameRange(entry).count
        let available = source.size - min(source.size, headerOffset)
        // One read for the fixed part, the name and a usual extra field.
        let want = Int(min(UInt64(LocalFileHeader.fixedLength + centralNameLength + Self.usualExtraLength), available))
        guard want >= LocalFileHeader.fixedLength else {
            throw ZipError(.invalidLocalHeader, offset: headerOffset, detail: "the local header lies past the end of the file")
        }
        let header = try withFetched(count: want, at: headerOffset) { (raw) throws(ZipError) in
            var cursor = ByteCursor(raw, fileOffset: headerOffset)
            return try LocalFileHeader(&cursor)
        }
        guard UInt64(header.length) <= available else {
            throw ZipError(.invalidLocalHeader, offset: headerOffset, detail: "the local name and extra field run past the end of the file")
        }
        let centralUnicodePath = record.info.contains(.unicodePathField) ? try centralUnicodePathField() : nil
        // From the window, this is the bytes just parsed, not another read.
        try withFetched(count: header.length, at: headerOffset) { (raw) throws(ZipError) in
            let nameEnd = LocalFileHeader.fixedLength + header.nameLength
            let name = raw.extracting(LocalFileHeader.fixedLength ..< nameEnd)
            let extra = raw.extracting(nameEnd ..< header.length)
            try checkLocalName(name, flags: header.flags, headerOffset: headerOffset)
            let central = LocalFileHeader.Central(flags: record.flags, method: record.method, crc32: record.crc32,
                                                  compressedSize: compressedSize, uncompressedSize: table.uncompressedSize(entry),
                                                  unicodePath: centralUnicodePath)
            try header.checkAgreement(with: central, extra: extra, at: headerOffset)
        }

        let (dataOffset, overflow) = headerOffset.addingReportingOverflow(UInt64(header.length))
        let (dataEnd, overflow2) = dataOffset.addingReportingOverflow(compressedSize)
        guard !overflow, !overflow2, dataEnd <= source.size else {
            throw ZipError(.entryOutOfBounds, offset: headerOffset,
                           detail: "\(compressedSize) bytes of data from offset \(dataOffset) run past the end of the file (\(source.size) bytes)")
        }
        var recordEnd = dataEnd
        if record.flags & GeneralPurposeFlags.dataDescriptor != 0 {
            recordEnd += UInt64(try checkDataDescriptor(at: dataEnd))  // <= source.size: read from the file
        }
        if let dataLimit, recordEnd > dataLimit {
            let what = recordEnd == dataEnd ? "the data ends" : "the data and its descriptor end"
            throw ZipError(.overlappingEntries, offset: headerOffset,
                           detail: "\(what) at \(recordEnd), past the next local header or the directory at \(dataLimit)")
        }
        return (dataOffset, compressedSize)
    }

    /// Enough for the extra fields most writers put in a local header
    /// (extended timestamp, Unix IDs, ZIP64, zipalign padding) to come with
    /// the first read.
    static let usualExtraLength = 64

    /// Checks the data descriptor that must follow the data (flag bit 3)
    /// and returns its length.
    private func checkDataDescriptor(at offset: UInt64) throws(ZipError) -> Int {
        let count = Int(min(UInt64(DataDescriptor.maximumLength), source.size - offset))
        return try withFetched(count: count, at: offset) { (raw) throws(ZipError) in
            try DataDescriptor.verify(raw, crc32: record.crc32, compressedSize: table.compressedSize(entry),
                                      uncompressedSize: table.uncompressedSize(entry), at: offset)
        }
    }

    /// The central header's Info-ZIP Unicode Path field, read again from
    /// the file (the table keeps only that there is one).
    private func centralUnicodePathField() throws(ZipError) -> [UInt8]? {
        let central = try centralHeaderBytes()
        return try central.withBytes { (raw) throws(ZipError) in
            var cursor = ByteCursor(raw, fileOffset: directoryOffset + table.centralHeaderOffset(entry))
            let header = try CentralDirectoryHeader(&cursor)
            return ExtraField.find(ExtraField.unicodePath, in: header.extra)?.array
        }
    }

    /// The local name, decoded by the local header's own flags, must be the
    /// central name (Python's zipfile: "File name in directory and header
    /// differ").
    private func checkLocalName(_ local: ByteView, flags: UInt16, headerOffset: UInt64) throws(ZipError) {
        let matches: Bool
        if record.info.contains(.unicodePathName) {
            // The table holds the Unicode Path name; compare raw with raw.
            let central = try centralHeaderBytes()
            matches = central.withBytes { bytes in
                var cursor = ByteCursor(bytes)
                guard let header = try? CentralDirectoryHeader(&cursor) else { return false }
                return header.name.elementsEqual(local)
            }
        } else if flags & GeneralPurposeFlags.utf8 != 0 || NameEncoding.isASCII(local) {
            matches = table.nameBytes(entry).elementsEqual(local)
        } else {
            var decoded: [UInt8] = []
            NameEncoding.appendCP437(local, to: &decoded)
            matches = decoded.withBytes { table.nameBytes(entry).elementsEqual($0) }
        }
        guard matches else {
            throw ZipError(.localNameMismatch, offset: headerOffset,
                           detail: "the local header says \"\(ZipEntryDetails.decode(local, utf8: flags & GeneralPurposeFlags.utf8 != 0))\"")
        }
    }

    /// The entry's whole central directory header, read again from the file.
    func centralHeaderBytes() throws(ZipError) -> [UInt8] {
        let offset = directoryOffset + table.centralHeaderOffset(entry)  // inside the directory: checked at parse
        let fixed = try source.read(count: CentralDirectoryHeader.fixedLength, at: offset)
        let length = fixed.withBytes { CentralDirectoryHeader.length(at: $0) } ?? CentralDirectoryHeader.fixedLength
        return try source.read(count: length, at: offset)
    }

    /// Streams the decoded data to `body` in chunks, then verifies the size
    /// and CRC-32. An error after some chunks means those chunks were bad.
    func stream(_ body: (ByteView) throws -> Void) throws {
        let (offset, length) = try dataRange()
        if record.method == CompressionMethod.stored.rawValue {
            try streamStored(offset: offset, length: length, body)
        } else {
            try streamDeflated(offset: offset, length: length, body)
        }
    }

    /// Reads the whole entry into memory, verified.
    func readAll() throws(ZipError) -> [UInt8] {
        let (offset, length) = try dataRange()
        if record.method == CompressionMethod.stored.rawValue {
            try checkStoredSize(length)
            // The length is bounded by the file size, checked in dataRange().
            let bytes = try fetch(count: Int(length), at: offset)
            try verify(crc: bytes.withBytes { CRC32.checksum($0) }, size: length)
            return bytes
        }
        var result: [UInt8] = []
        // Reserve from the declared size, but never trust it for more than 64 MiB.
        result.reserveCapacity(Int(min(table.uncompressedSize(entry), 64 << 20)))
        do {
            try streamDeflated(offset: offset, length: length) { $0.append(to: &result) }
        } catch let error as ZipError {
            throw error
        } catch {
            throw ZipError(.io, detail: "\(error)")  // unreachable: the closure above cannot throw
        }
        return result
    }

    private func checkStoredSize(_ length: UInt64) throws(ZipError) {
        let declared = table.uncompressedSize(entry)
        guard length == declared else {
            throw ZipError(.sizeMismatch, detail: "stored entry with compressed size \(length) but uncompressed size \(declared)")
        }
    }

    private func verify(crc: UInt32, size: UInt64) throws(ZipError) {
        let declared = table.uncompressedSize(entry)
        guard size == declared else {
            throw ZipError(.sizeMismatch, detail: "the data is \(size) bytes, the directory declares \(declared)")
        }
        guard crc == record.crc32 else {
            throw ZipError(.checksumMismatch, detail: "computed \(Self.hex(crc)), the directory declares \(Self.hex(record.crc32))")
        }
    }

    /// `value + 1`, saturated at `UInt64.max`.
    static func plusOne(_ value: UInt64) -> UInt64 {
        value == .max ? .max : value + 1
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    private func streamStored(offset: UInt64, length: UInt64, _ body: (ByteView) throws -> Void) throws {
        try checkStoredSize(length)
        if let window, length <= Self.windowedData {
            // A small stored entry: its bytes are in the window already,
            // handed over from there (then checked, as every chunk is).
            var failure: (any Error)?
            let crc = try window.withBytes(count: Int(length), at: offset) { (bytes) throws(ZipError) in
                do { try body(bytes) } catch { failure = error }
                return CRC32.checksum(bytes)
            }
            if let failure { throw failure }
            try verify(crc: crc, size: length)
            return
        }
        var crc: UInt32 = 0
        try FileRange(source: source, window: window, offset: offset, length: length)
            .forEachChunk(chunkSize: Self.chunkSize) { chunk in
                crc = CRC32.update(crc, chunk)
                try body(chunk)
            }
        try verify(crc: crc, size: length)
    }

    /// Raw deflate (APPNOTE 5.5) through the build's ``Inflater``, with
    /// zlib's verdict (``DeflateDecoding``).
    private func streamDeflated(offset: UInt64, length: UInt64, _ body: (ByteView) throws -> Void) throws {
        let (size, crc) = try DeflateDecoding.decode(FileRange(source: source, window: window, offset: offset, length: length),
                                                     declared: table.uncompressedSize(entry), crc32: record.crc32,
                                                     chunkSize: Self.chunkSize, cache: window?.inflaters, body: body)
        try verify(crc: crc, size: size)
    }
}
