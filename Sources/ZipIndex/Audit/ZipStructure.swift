/// How the local records of an archive lie between the start of its zip
/// data and its central directory: the answer of
/// ``ZipArchive/verifyStructure()``.
///
/// APPNOTE 4.3.6 lays a zip file out as local records (header, data,
/// optional data descriptor), one after another, then the directory. A
/// directory reader only visits what the directory names; a streaming
/// reader (bsdtar, Java's `ZipInputStream`, scanners) walks the local
/// records. Bytes the directory does not account for are where the two can
/// disagree (type C1 of *My ZIP isn't your ZIP*).
public struct ZipStructure: Sendable, Hashable {
    /// Byte ranges, between the start of the zip data and the directory,
    /// that no listed entry's record covers: APK signing blocks, padding,
    /// data of removed entries. Irregular, but not by themselves a second
    /// reading.
    public let gaps: [Range<UInt64>]
    /// Offsets of local file headers, in a gap or in the data prepended to
    /// the archive, that form whole records the directory does not list:
    /// entries a streaming reader extracts and a directory reader does not.
    public let hiddenEntries: [UInt64]
    /// Entries (by index) stored with a data descriptor whose data holds an
    /// earlier descriptor that a streaming reader would stop at, reading
    /// less than the directory says.
    public let truncatingDescriptors: [Int]

    /// Whether every reader sees the same entries: no hidden entry and no
    /// truncating descriptor. Gaps alone do not make an archive unclean.
    public var isClean: Bool { hiddenEntries.isEmpty && truncatingDescriptors.isEmpty }

    /// A report; ``ZipArchive/verifyStructure()`` makes them.
    public init(gaps: [Range<UInt64>], hiddenEntries: [UInt64], truncatingDescriptors: [Int]) {
        self.gaps = gaps
        self.hiddenEntries = hiddenEntries
        self.truncatingDescriptors = truncatingDescriptors
    }
}

/// Walks the local records in offset order with large sequential reads, so
/// that checking a million small entries costs a few hundred reads.
struct StructureWalker {
    static let chunkSize = 1 << 20

    let source: ByteSource
    let table: FileTable
    let zipDataStart: UInt64
    let directoryOffset: UInt64

    /// File bytes from `bufferOffset` on, filled by ``ensure(_:at:)``.
    private var buffer: [UInt8] = []
    private var bufferOffset: UInt64 = 0

    init(source: ByteSource, table: FileTable, zipDataStart: UInt64, directoryOffset: UInt64) {
        self.source = source
        self.table = table
        self.zipDataStart = zipDataStart
        self.directoryOffset = directoryOffset
    }

    mutating func walk() throws(ZipError) -> ZipStructure {
        var order = (0 ..< table.count).filter { !table.records[$0].info.contains(.impossibleLocalHeaderOffset) }
        if !table.localHeadersAscend {
            order.sort { table.localHeaderOffset($0) < table.localHeaderOffset($1) }
        }
        var gaps: [Range<UInt64>] = []
        var truncating: [Int] = []
        var cursor = zipDataStart
        for entry in order {
            let offset = table.localHeaderOffset(entry)
            if offset > cursor { gaps.append(cursor ..< offset) }
            // A record that cannot be read is a bad entry, which reading
            // reports; the walk goes on after its header.
            let end = try recordEnd(of: entry, at: offset, truncating: &truncating) ?? offset + 1
            cursor = max(cursor, end)  // overlapping records are reported elsewhere
        }
        if cursor < directoryOffset { gaps.append(cursor ..< directoryOffset) }
        var hidden: [UInt64] = []
        var scanned = gaps
        if zipDataStart > 0 { scanned.insert(0 ..< zipDataStart, at: 0) }
        for range in scanned { hidden += try hiddenRecords(in: range) }
        return ZipStructure(gaps: gaps, hiddenEntries: hidden, truncatingDescriptors: truncating)
    }

    /// Where the entry's record (local header, data, descriptor) ends, or
    /// nil if its header cannot be read.
    private mutating func recordEnd(of entry: Int, at offset: UInt64, truncating: inout [Int]) throws(ZipError) -> UInt64? {
        guard let at = try ensure(LocalFileHeader.fixedLength, at: offset),
              u32(at) == LocalFileHeader.signature else { return nil }
        let nameLength = UInt64(u16(at + 26))
        let extraLength = UInt64(u16(at + 28))
        let dataStart = offset + UInt64(LocalFileHeader.fixedLength) + nameLength + extraLength  // offset < file size: no overflow
        let (dataEnd, overflow) = dataStart.addingReportingOverflow(table.compressedSize(entry))
        guard !overflow, dataEnd <= source.size else { return nil }
        let record = table.records[entry]
        guard record.flags & GeneralPurposeFlags.dataDescriptor != 0 else { return dataEnd }
        if record.method == CompressionMethod.stored.rawValue,
           try storedDataHoldsAnEarlierDescriptor(from: dataStart, to: dataEnd) {
            truncating.append(entry)
        }
        let count = Int(min(UInt64(DataDescriptor.maximumLength), source.size - dataEnd))
        guard let tail = try ensure(count, at: dataEnd) else { return dataEnd }
        let length = buffer.withBytes { raw in
            try? DataDescriptor.verify(raw.extracting(tail ..< tail + count), crc32: record.crc32,
                                       compressedSize: table.compressedSize(entry),
                                       uncompressedSize: table.uncompressedSize(entry), at: dataEnd)
        }
        return dataEnd + UInt64(length ?? 0)
    }

    /// Whether stored data holds a data descriptor signature followed by a
    /// compressed size equal to the bytes before it: a streaming reader,
    /// which has no size for stored data with bit 3, would stop there.
    private mutating func storedDataHoldsAnEarlierDescriptor(from start: UInt64, to end: UInt64) throws(ZipError) -> Bool {
        var position = start
        while end - position >= 12 {
            let count = Int(min(UInt64(Self.chunkSize), end - position))
            guard let at = try ensure(count, at: position) else { return false }
            var index = 0
            while index + 12 <= count {
                if buffer[at + index] == 0x50, u32(at + index) == DataDescriptor.signature,
                   UInt64(u32(at + index + 8)) == position + UInt64(index) - start {
                    return true
                }
                index += 1
            }
            // Overlap by 11 bytes, so that a descriptor across chunks is seen.
            position += UInt64(max(count - 11, 1))
        }
        return false
    }

    /// The local file headers in `range` that form whole records ending at
    /// the range's end or at the start of another such record: what a
    /// streaming reader would take for entries. A stray signature (in a
    /// self-extractor's code, say) whose lengths lead nowhere is not one.
    private mutating func hiddenRecords(in range: Range<UInt64>) throws(ZipError) -> [UInt64] {
        let fixed = LocalFileHeader.fixedLength
        var candidates: [(start: UInt64, ends: [UInt64])] = []
        var position = range.lowerBound
        while range.upperBound - position >= UInt64(fixed) {
            let count = Int(min(UInt64(Self.chunkSize), range.upperBound - position))
            guard let at = try ensure(count, at: position) else { break }
            var index = 0
            while index + fixed <= count {
                if buffer[at + index] == 0x50, u32(at + index) == LocalFileHeader.signature {
                    let start = position + UInt64(index)
                    let lengths = UInt64(fixed) + UInt64(u16(at + index + 26)) + UInt64(u16(at + index + 28))
                    let end = start + lengths + UInt64(u32(at + index + 18))  // < 2^64: start < file size
                    // With bit 3 the record may end after a 12- or 16-byte descriptor.
                    let ends = u16(at + index + 6) & GeneralPurposeFlags.dataDescriptor != 0 ? [end, end + 12, end + 16] : [end]
                    candidates.append((start, ends))
                }
                index += 1
            }
            position += UInt64(max(count - (fixed - 1), 1))
        }
        // From the last candidate back: a record is hidden if it ends at the
        // range's end or where a hidden record starts.
        var hiddenStarts = Set<UInt64>()
        var result: [UInt64] = []
        for candidate in candidates.reversed()
        where candidate.ends.contains(where: { $0 == range.upperBound || hiddenStarts.contains($0) }) {
            hiddenStarts.insert(candidate.start)
            result.append(candidate.start)
        }
        return result.reversed()
    }

    /// Makes `count` bytes at file offset `offset` available in `buffer`,
    /// reading a large chunk when they are not, and returns their index;
    /// nil if they run past the end of the file.
    private mutating func ensure(_ count: Int, at offset: UInt64) throws(ZipError) -> Int? {
        guard count >= 0, offset <= source.size, UInt64(count) <= source.size - offset else { return nil }
        if offset < bufferOffset || offset - bufferOffset + UInt64(count) > UInt64(buffer.count) {
            let length = Int(min(UInt64(max(count, Self.chunkSize)), source.size - offset))
            buffer = try source.read(count: length, at: offset)
            bufferOffset = offset
        }
        return Int(offset - bufferOffset)
    }

    private func u16(_ index: Int) -> UInt16 {
        UInt16(buffer[index]) | UInt16(buffer[index + 1]) << 8
    }

    private func u32(_ index: Int) -> UInt32 {
        UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8 | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24
    }
}
