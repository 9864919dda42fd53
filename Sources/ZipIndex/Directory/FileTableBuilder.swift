/// Reads the central directory in bounded chunks and builds a `FileTable`.
///
/// The directory is never read whole: a 256 KiB buffer is refilled as
/// headers are consumed (a header is at most 46 + 3 × 65,535 bytes, so one
/// always fits). A directory that lies inside the tail already read while
/// finding the end record is parsed from there, with no second read.
///
/// Per entry, parsing appends one record and the name's bytes to buffers
/// sized up front, so it does no heap allocation of its own.
struct FileTableBuilder: ~Copyable {
    static let chunkSize = 256 * 1024

    private let location: CentralDirectoryLocation
    private let maximumEntryCount: UInt64
    /// The fewer of `maximumEntryCount` and the table's own bound, 2³¹ − 1
    /// entries, so that a header pays one compare for both.
    private let entryLimit: UInt64
    /// The directory's offset relative to the start of the zip data: every
    /// local header must lie before it.
    private let relativeDirectoryOffset: UInt64
    private var records: TableBuffer<EntryRecord>
    private var arena: TableBuffer<UInt8>
    private var wide = TableBuffer<UInt64>(capacity: 0)
    /// Each name's hash, handed to the table, which builds its index from
    /// them on the first lookup.
    private var hashes: TableBuffer<UInt64>
    /// Whether each local header offset so far is larger than the one
    /// before: learned in the walk, so that `LocalHeaderOrder` needs no
    /// second pass over the records.
    private var localHeadersAscend = true
    /// The previous entry's local header offset (unused before the first).
    private var lastLocalHeaderOffset: UInt64 = 0

    private init(location: CentralDirectoryLocation, limits: ReadLimits) {
        self.location = location
        maximumEntryCount = limits.maximumEntryCount
        entryLimit = min(limits.maximumEntryCount, UInt64(UInt32.max / 2))
        relativeDirectoryOffset = location.directoryOffset - location.prependedBytes
        // Never trust the declared count alone (CVE-2021-33196): each header
        // takes at least 46 bytes, so the size bounds the count.
        let plausible = Int(min(location.declaredEntryCount,
                                location.directorySize / UInt64(CentralDirectoryHeader.fixedLength)))
        records = TableBuffer(capacity: plausible)
        hashes = TableBuffer(capacity: plausible)
        // Names take what the fixed parts leave of the directory, at most.
        let nameBound = location.directorySize - UInt64(plausible) * UInt64(CentralDirectoryHeader.fixedLength)
        arena = TableBuffer(capacity: Int(min(nameBound, UInt64(UInt32.max))))
    }

    /// Reads the directory that `location` describes from `source`.
    static func build(source: ByteSource, location: CentralDirectoryLocation, tail: CentralDirectoryLocation.Tail,
                      limits: ReadLimits) throws(ZipError) -> FileTable {
        // A count the directory cannot hold is a lie, whatever the limits
        // (CVE-2021-33196 declares 2^64 - 1 entries in a 49-byte directory).
        let room = location.directorySize / UInt64(CentralDirectoryHeader.fixedLength)
        guard location.declaredEntryCount <= room else {
            throw ZipError(.entryCountMismatch, offset: location.endRecordOffset,
                           detail: "the archive declares \(location.declaredEntryCount) entries; a directory of \(location.directorySize) bytes holds at most \(room)")
        }
        guard location.declaredEntryCount <= limits.maximumEntryCount else {
            throw ZipError(.limitExceeded, offset: location.endRecordOffset,
                           detail: "the archive declares \(location.declaredEntryCount) entries; the limit is \(limits.maximumEntryCount)")
        }
        var builder = FileTableBuilder(location: location, limits: limits)
        try builder.readDirectory(source, tail: tail)
        return try builder.finish()
    }

    private mutating func readDirectory(_ source: ByteSource, tail: CentralDirectoryLocation.Tail) throws(ZipError) {
        let start = location.directoryOffset
        let size = location.directorySize
        let (end, overflow) = start.addingReportingOverflow(size)
        guard !overflow, end <= source.size else {
            throw ZipError(.invalidCentralDirectory, offset: start, detail: "the directory runs past the end of the file")
        }
        if start >= tail.offset {
            let from = Int(start - tail.offset)
            try tail.bytes.withBytes { (bytes) throws(ZipError) in
                let window = bytes.extracting(from ..< from + Int(size)).unsafeBytes
                let used = try parse(window, at: start)
                try checkComplete(used: used, available: window.count, at: start)
            }
            return
        }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var next = start  // the file offset of the next byte to read
        var filled = 0  // bytes of buffer holding unparsed data
        while next < end || filled > 0 {
            let want = Int(min(UInt64(buffer.count - filled), end - next))
            if want > 0 {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled ..< filled + want]), at: next)
                next += UInt64(want)
                filled += want
            }
            let bufferOffset = next - UInt64(filled)
            let window = UnsafeRawBufferPointer(rebasing: buffer[0 ..< filled])
            let used = try parse(window, at: bufferOffset)
            if next == end {
                try checkComplete(used: used, available: filled, at: bufferOffset)
                return
            }
            // Move the partial header to the front and read on.
            let left = filled - used
            if left > 0, used > 0, let base = buffer.baseAddress {
                base.copyMemory(from: base + used, byteCount: left)
            }
            filled = left
        }
    }

    /// Whether the directory was consumed exactly, leaving no partial header.
    private func checkComplete(used: Int, available: Int, at offset: UInt64) throws(ZipError) {
        if stoppedEarly { return }
        guard used == available else {
            throw ZipError(.truncated, offset: offset + UInt64(used),
                           detail: "the central directory ends inside a header (entry \(records.count))")
        }
    }

    /// Set when the directory ended before its stated size: at a digital
    /// signature record, or after the declared count when the size was inferred.
    private var stoppedEarly = false

    /// Parses the complete headers at the front of `window`; returns the
    /// number of bytes consumed.
    ///
    /// This loop runs once per entry and was most of the cost of opening an
    /// archive: decoding every header into a `CentralDirectoryHeader` (a
    /// 120-byte value read through a bounds-checked cursor) and passing it
    /// on took twice the instructions of the C floor's walk. A header whose
    /// length has been checked against the window is now read in place, and
    /// only a header with a saturated field (ZIP64) is decoded in full.
    private mutating func parse(_ window: UnsafeRawBufferPointer, at windowOffset: UInt64) throws(ZipError) -> Int {
        guard let base = window.baseAddress else { return 0 }
        let fixedLength = CentralDirectoryHeader.fixedLength
        var used = 0
        while !stoppedEarly, window.count - used >= 4 {
            let header = base + used
            let available = window.count - used
            let headerOffset = windowOffset + UInt64(used)
            let signature = UInt32(littleEndian: header.loadUnaligned(as: UInt32.self))
            if signature != CentralDirectoryHeader.signature {
                guard try endsDirectory(UnsafeRawBufferPointer(start: header, count: available), signature: signature,
                                        at: headerOffset)
                else { break }
                return window.count
            }
            // The fixed part, then the whole header, must be in the window;
            // past this check every read below lies inside `header ..< header + length`.
            guard available >= fixedLength else { break }
            @inline(__always) func u16(_ offset: Int) -> UInt16 {
                UInt16(littleEndian: header.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            }
            @inline(__always) func u32(_ offset: Int) -> UInt32 {
                UInt32(littleEndian: header.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
            let nameLength = Int(u16(28))
            let extraLength = Int(u16(30))
            let length = fixedLength + nameLength + extraLength + Int(u16(32))  // at most 46 + 3 × 65,535
            guard length <= available else { break }
            let compressedSize = u32(20)
            let uncompressedSize = u32(24)
            let localHeaderOffset = u32(42)
            if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localHeaderOffset == 0xFFFF_FFFF
                || u16(34) == 0xFFFF {
                try addDecoded(header, length: length, at: headerOffset)
            } else {
                try add(fixed: header,
                        name: ByteView(unsafeBytes: UnsafeRawBufferPointer(start: header + fixedLength, count: nameLength)),
                        extra: ByteView(unsafeBytes: UnsafeRawBufferPointer(start: header + fixedLength + nameLength,
                                                                            count: extraLength)),
                        compressedSize: UInt64(compressedSize), uncompressedSize: UInt64(uncompressedSize),
                        localHeaderOffset: UInt64(localHeaderOffset), hasZip64Extra: false, at: headerOffset)
            }
            used += length
        }
        return used
    }

    /// What a record that is not a central header means where a header was
    /// expected: true when it ends the directory (a digital signature), false
    /// when more bytes are needed to tell; otherwise it throws. Out of line:
    /// it runs at most once per directory.
    @inline(never)
    private mutating func endsDirectory(_ rest: UnsafeRawBufferPointer, signature: UInt32,
                                        at headerOffset: UInt64) throws(ZipError) -> Bool {
        let directoryEnd = location.directoryOffset + location.directorySize  // checked in readDirectory
        if signature == CentralDirectoryHeader.digitalSignature {
            // APPNOTE 4.3.13: the optional digital signature ends the
            // directory; nothing may follow it there.
            guard rest.count >= 6 else { return false }
            let length = 6 + UInt64(UInt16(littleEndian: rest.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
            guard length == directoryEnd - headerOffset else {
                throw ZipError(.invalidCentralDirectory, offset: headerOffset,
                               detail: "\(directoryEnd - headerOffset - min(length, directoryEnd - headerOffset)) bytes follow the digital signature record in the directory")
            }
            stoppedEarly = true
            return true
        }
        if location.directorySizeIsInferred, UInt64(records.count) == location.declaredEntryCount {
            // The stated size was wrong, so the directory ends where the
            // count says, and must end there: bytes between it and the
            // end record are read by no reader (Python refuses them).
            throw ZipError(.invalidCentralDirectory, offset: headerOffset,
                           detail: "\(directoryEnd - headerOffset) bytes lie between the last directory header and the end record")
        }
        throw ZipError(.invalidCentralDirectoryHeader, offset: headerOffset,
                       detail: "entry \(records.count) has no header signature")
    }

    /// Adds a header with a saturated field: ZIP64 may replace its sizes
    /// and offset, so it is decoded in full. Out of line, to keep the
    /// common header's loop small.
    @inline(never)
    private mutating func addDecoded(_ header: UnsafeRawPointer, length: Int, at headerOffset: UInt64) throws(ZipError) {
        var cursor = ByteCursor(ByteView(unsafeBytes: UnsafeRawBufferPointer(start: header, count: length)), fileOffset: headerOffset)
        let decoded = try CentralDirectoryHeader(&cursor)
        try add(fixed: header, name: decoded.name, extra: decoded.extra,
                compressedSize: decoded.compressedSize, uncompressedSize: decoded.uncompressedSize,
                localHeaderOffset: decoded.localHeaderOffset, hasZip64Extra: decoded.hasZip64Extra, at: headerOffset)
    }

    /// Adds one entry. `fixed` is the header's 46-byte fixed part (its
    /// signature checked); the three values ZIP64 may replace come resolved.
    /// Inlined, so that the common header passes its fields in registers
    /// rather than through a decoded copy; whatever is rare (extra fields,
    /// names that are not ASCII, wide values, errors) is out of line.
    @inline(__always)
    private mutating func add(fixed: UnsafeRawPointer, name: ByteView, extra: ByteView,
                              compressedSize: UInt64, uncompressedSize: UInt64, localHeaderOffset storedOffset: UInt64,
                              hasZip64Extra: Bool, at headerOffset: UInt64) throws(ZipError) {
        @inline(__always) func u16(_ offset: Int) -> UInt16 {
            UInt16(littleEndian: fixed.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        }
        @inline(__always) func u32(_ offset: Int) -> UInt32 {
            UInt32(littleEndian: fixed.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }
        let entry = records.count
        // One compare per entry; the precise error is worked out when it fails.
        if UInt64(entry) >= entryLimit {
            throw Self.tooManyEntries(entry: entry, maximumEntryCount: maximumEntryCount, at: headerOffset)
        }
        let nameStart = arena.count
        let flags = u16(8)
        var info: EntryRecord.Info = hasZip64Extra ? [.zip64] : []
        if !extra.isEmpty {
            try Self.checkExtraFields(name: name, extra: extra, flags: flags, entry: entry, info: &info, at: headerOffset)
        }
        let (rawHash, isASCII) = NameIndex.hashAndCheckASCII(name)
        let hash: UInt64
        if isASCII, extra.isEmpty || flags & GeneralPurposeFlags.utf8 != 0 {
            // ASCII reads the same as UTF-8 and as code page 437, and no
            // Unicode Path field can apply (none, or bit 11 is set).
            arena.append(contentsOf: name)
            hash = rawHash
        } else {
            hash = try appendName(name, hash: rawHash, isASCII: isASCII, extra: extra, flags: flags, info: &info,
                                  at: headerOffset)
        }
        guard arena.count <= Int(UInt32.max) else {
            throw ZipError(.tooManyEntries, offset: headerOffset, detail: "the names exceed 4 GiB")
        }
        // A local header at or past the directory cannot be right (zipimport's
        // "bad local header offset"). That damages this entry, not the
        // directory: like Python, Go and UnZip, list it, refuse to read it,
        // and read the others. Shifting by the base must not overflow.
        let localHeaderOffset: UInt64
        if storedOffset < relativeDirectoryOffset {
            localHeaderOffset = storedOffset + location.prependedBytes  // < directoryOffset: no overflow
        } else {
            info.insert(.impossibleLocalHeaderOffset)
            localHeaderOffset = location.directoryOffset
        }
        let centralOffset = headerOffset - location.directoryOffset
        if entry > 0, localHeaderOffset <= lastLocalHeaderOffset { localHeadersAscend = false }
        lastLocalHeaderOffset = localHeaderOffset

        // The DOS time is at 12 and the date at 14: read together, little
        // endian, they are the record's date << 16 | time.
        var record = EntryRecord(
            localHeaderOffset: 0, compressedSize: 0, uncompressedSize: 0, crc32: u32(16),
            nameStart: UInt32(nameStart), centralHeaderOffset: 0, dosDateTime: u32(12),
            externalAttributes: u32(38), method: u16(10), flags: flags, versionMadeBy: u16(4), info: info)
        let limit = UInt64(UInt32.max)
        if localHeaderOffset < limit, compressedSize < limit, uncompressedSize < limit, centralOffset < limit {
            record.localHeaderOffset = UInt32(localHeaderOffset)
            record.compressedSize = UInt32(compressedSize)
            record.uncompressedSize = UInt32(uncompressedSize)
            record.centralHeaderOffset = UInt32(centralOffset)
        } else {
            record.info.insert(.wide)
            record.localHeaderOffset = appendWide(localHeaderOffset, compressedSize, uncompressedSize, centralOffset)
        }
        records.append(record)
        hashes.append(hash)
    }

    /// Stores an entry's four values in the wide array; returns the index of
    /// the group, which the record keeps in place of its offset.
    @inline(never)
    private mutating func appendWide(_ localHeaderOffset: UInt64, _ compressedSize: UInt64, _ uncompressedSize: UInt64,
                                     _ centralOffset: UInt64) -> UInt32 {
        let group = UInt32(wide.count / 4)
        wide.append(localHeaderOffset)
        wide.append(compressedSize)
        wide.append(uncompressedSize)
        wide.append(centralOffset)
        return group
    }

    /// The error for one entry more than `entryLimit` allows: the caller's
    /// limit first, then the table's own (32-bit ids with room to spare).
    @inline(never)
    private static func tooManyEntries(entry: Int, maximumEntryCount: UInt64, at headerOffset: UInt64) -> ZipError {
        if UInt64(entry) >= maximumEntryCount {
            return ZipError(.limitExceeded, offset: headerOffset, detail: "more than \(maximumEntryCount) entries")
        }
        return ZipError(.tooManyEntries, offset: headerOffset, detail: "more than \(UInt32.max / 2) entries")
    }

    /// A header may hold each of these fields once (APPNOTE 4.5.3, 4.6.9):
    /// with two, readers could take either. A Unicode Path field must be
    /// version 1, and may not give another name to an entry whose bit 11
    /// already declares its name UTF-8 (readers differ on which wins).
    /// Static and out of line: a method would copy the whole builder to
    /// call it, for every header with an extra field.
    @inline(never)
    private static func checkExtraFields(name: ByteView, extra: ByteView, flags: UInt16,
                                         entry: Int, info: inout EntryRecord.Info,
                                         at headerOffset: UInt64) throws(ZipError) {
        let census = ExtraField.census(extra)
        guard census.zip64Fields <= 1 else {
            throw ZipError(.invalidExtraField, offset: headerOffset,
                           detail: "entry \(entry) has two ZIP64 extended information fields")
        }
        guard census.unicodePathFields <= 1 else {
            throw ZipError(.invalidExtraField, offset: headerOffset, detail: "entry \(entry) has two Unicode Path fields")
        }
        guard let field = census.unicodePath else { return }
        info.insert(.unicodePathField)
        guard field.count >= 5, field[0] == 1 else {
            throw ZipError(.invalidExtraField, offset: headerOffset,
                           detail: "entry \(entry)'s Unicode Path field is not version 1 (APPNOTE 4.6.9)")
        }
        if flags & GeneralPurposeFlags.utf8 != 0 {
            let stored: UInt32 = field.load(at: 1)
            let unicodeName = field.extracting(from: 5)
            if stored == CRC32.checksum(name), !unicodeName.elementsEqual(name) {
                throw ZipError(.invalidName, offset: headerOffset,
                               detail: "entry \(entry)'s Unicode Path field renames a name that bit 11 declares UTF-8")
            }
        }
    }

    /// Appends a name that is not plain ASCII, or that an Info-ZIP Unicode
    /// Path field may replace, to the arena as UTF-8 (APPNOTE 4.4.4 bit 11,
    /// appendix D; Info-ZIP Unicode Path 4.6.9), and returns its hash.
    /// `hash` and `isASCII` are the raw name's, computed by the caller.
    @inline(never)
    private mutating func appendName(_ raw: ByteView, hash: UInt64, isASCII: Bool,
                                     extra: ByteView, flags: UInt16, info: inout EntryRecord.Info,
                                     at headerOffset: UInt64) throws(ZipError) -> UInt64
    {
        let utf8 = flags & GeneralPurposeFlags.utf8 != 0
        if !utf8, !extra.isEmpty, let unicode = ExtraField.unicodePath(in: extra, rawName: raw) {
            info.insert(.unicodePathName)
            arena.append(contentsOf: unicode)
            return NameIndex.hash(unicode)
        }
        if isASCII {
            // ASCII reads the same as UTF-8 and as code page 437.
            arena.append(contentsOf: raw)
            return hash
        }
        if utf8 {
            guard UTF8Validation.isValid(raw) else {
                throw ZipError(.invalidName, offset: headerOffset,
                               detail: "entry \(records.count)'s name is flagged UTF-8 but is not valid UTF-8")
            }
            arena.append(contentsOf: raw)
            return hash
        }
        info.insert(.cp437Name)
        let start = arena.count
        NameEncoding.appendCP437(raw, to: &arena)
        return NameIndex.hash(arena.bytes(start ..< arena.count))
    }

    private consuming func finish() throws(ZipError) -> FileTable {
        let found = UInt64(records.count)
        let declared = location.declaredEntryCount
        // Info-ZIP wrote more than 65,535 entries without ZIP64 by storing the
        // count modulo 65,536; accept exactly that and nothing else.
        let moduloCount = !location.isZip64 && found > 0xFFFF && found & 0xFFFF == declared
        guard found == declared || moduloCount else {
            throw ZipError(.entryCountMismatch, offset: location.endRecordOffset,
                           detail: "the end record declares \(declared) entries, the directory holds \(found)")
        }
        // Give back what the capacity estimate overshot by more than 1/16.
        arena.shrinkToFit()
        records.shrinkToFit()
        // The name index is built by the first lookup (FileTable), from
        // these hashes: a listing never needs it.
        return FileTable(records: records, arena: arena, wide: wide, hashes: hashes,
                         localHeadersAscend: localHeadersAscend)
    }
}
