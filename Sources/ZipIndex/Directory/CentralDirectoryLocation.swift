/// Where an archive's central directory is, found from the end of the file.
///
/// Finding it reads only the tail: the end record with the longest possible
/// comment plus room for the ZIP64 locator and record, at most
/// 22 + 65,535 + 20 + 56 bytes, however large the archive is.
struct CentralDirectoryLocation {
    /// The number of entries the end record declares.
    var declaredEntryCount: UInt64
    /// The absolute file offset of the first central directory header.
    var directoryOffset: UInt64
    var directorySize: UInt64
    /// Bytes before the zip data (a self-extractor stub, a zipapp's shebang).
    /// Every offset stored in the archive is relative to this point.
    var prependedBytes: UInt64
    /// Whether the ZIP64 end record was used.
    var isZip64: Bool
    /// Whether the directory size was inferred (the base-0 fallback) rather
    /// than stated: the directory may then be followed by other records
    /// before the end record, and ends after the declared count of headers.
    var directorySizeIsInferred = false
    /// The absolute offset of the 32-bit end record.
    var endRecordOffset: UInt64
    /// The archive comment, raw.
    var comment: [UInt8]

    /// The bytes read from the end of the file to find the end record, up
    /// to 64 KiB: handed to the table's builder, so that a directory lying
    /// inside them is not read a second time, and dropped with it.
    struct Tail {
        let bytes: [UInt8]
        /// The file offset of `bytes[0]`.
        let offset: UInt64
    }

    /// Bytes after the end record's comment, which APPNOTE 4.3.16 says ends
    /// the file. `locate` made sure the comment fits in the file.
    func trailingBytes(fileSize: UInt64) -> UInt64 {
        let end = endRecordOffset + UInt64(EndOfCentralDirectory.length) + UInt64(comment.count)
        return fileSize > end ? fileSize - end : 0
    }

    /// Finds the central directory of the archive in `source`; returns it
    /// and the bytes read from the end of the file.
    static func locate(in source: ByteSource) throws(ZipError) -> (location: CentralDirectoryLocation, tail: Tail) {
        let fileSize = source.size
        guard fileSize >= UInt64(EndOfCentralDirectory.length) else {
            throw ZipError(.notAZipArchive, detail: "the file is \(fileSize) bytes, shorter than an end record")
        }
        let window = EndOfCentralDirectory.length + EndOfCentralDirectory.maximumCommentLength
        let reach = window + Zip64EndOfCentralDirectoryLocator.length + Zip64EndOfCentralDirectory.length
        let tailLength = Int(min(fileSize, UInt64(reach)))
        let tailOffset = fileSize - UInt64(tailLength)
        let tail = try source.read(count: tailLength, at: tailOffset)

        let location = try tail.withBytes { (bytes) throws(ZipError) -> CentralDirectoryLocation in
            // APPNOTE 4.3.16: the end record is followed only by its comment,
            // so it starts within the last 22 + 65,535 bytes. Scan backwards
            // and take the candidate nearest the end, as Go and Info-ZIP do.
            let lowest = max(0, tailLength - window)
            var position = tailLength - EndOfCentralDirectory.length
            var found: Int?
            while position >= lowest {
                if bytes[position] == 0x50, bytes[position + 1] == 0x4b,
                   bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                    found = position
                    break
                }
                position -= 1
            }
            guard let found else { throw ZipError(.notAZipArchive) }

            let endOffset = tailOffset + UInt64(found)
            var cursor = ByteCursor(bytes.extracting(from: found), fileOffset: endOffset)
            let end = try EndOfCentralDirectory(&cursor)
            // Trailing bytes after the comment are tolerated (Go does), but a
            // comment that runs past the end of the file is an error, never a
            // reason to try an earlier candidate (Go issue 66869).
            guard Int(end.commentLength) <= cursor.remaining else {
                throw ZipError(.commentPastEndOfFile, offset: endOffset,
                               detail: "comment length \(end.commentLength), \(cursor.remaining) bytes follow the record")
            }
            let comment = try cursor.bytes(Int(end.commentLength)).array
            try Self.refuseSecondEndRecord(before: found, in: bytes, tailOffset: tailOffset)

            var location = CentralDirectoryLocation(
                declaredEntryCount: UInt64(end.entryCount),
                directoryOffset: UInt64(end.directoryOffset),
                directorySize: UInt64(end.directorySize),
                prependedBytes: 0, isZip64: false, endRecordOffset: endOffset,
                comment: comment)
            // Where the directory ends: the end record, or the ZIP64 record.
            var directoryEnd = endOffset

            if let zip64 = try readZip64(end: end, endPosition: found, tail: bytes, tailOffset: tailOffset, source: source) {
                location.declaredEntryCount = zip64.record.entryCount
                location.directorySize = zip64.record.directorySize
                location.directoryOffset = zip64.record.directoryOffset
                location.isZip64 = true
                directoryEnd = zip64.position
            } else {
                try Self.refuseDisplacedLocator(before: found, end: end, in: bytes, tailOffset: tailOffset, source: source)
                // APPNOTE 4.3.16: a single-disk archive numbers its only disk 0.
                // Its entries-on-this-disk field repeats the total and is not
                // read, as Go and CPython do not read it: the total is then
                // checked against the headers found (Go issue 11146).
                guard end.diskNumber == 0, end.directoryDisk == 0 else {
                    throw ZipError(.multiDiskArchive, offset: endOffset,
                                   detail: "disk \(end.diskNumber), directory on disk \(end.directoryDisk)")
                }
            }

            try location.resolveBase(directoryEnd: directoryEnd, source: source, tail: bytes, tailOffset: tailOffset)
            return location
        }
        return (location, Tail(bytes: tail, offset: tailOffset))
    }

    /// An end record before the last one whose comment ends exactly at the
    /// end of the file (the comment of one holding the other) is a second
    /// reading of the archive: a reader taking the last record, as ZipIndex,
    /// Go and Python do, and one requiring the comment to end the file would
    /// list different directories (type C2 of *My ZIP isn't your ZIP*).
    /// `found` is the last candidate; every earlier one in the window is
    /// checked.
    private static func refuseSecondEndRecord(before found: Int, in bytes: ByteView,
                                              tailOffset: UInt64) throws(ZipError) {
        let length = EndOfCentralDirectory.length
        func endsTheFile(_ position: Int) -> Bool {
            let comment = Int(bytes.load(at: position + 20, as: UInt16.self))
            return position + length + comment == bytes.count
        }
        let lowest = max(0, bytes.count - length - EndOfCentralDirectory.maximumCommentLength)
        guard found > lowest else { return }
        // memchr finds each candidate's fourth byte, 0x06, in the window of
        // up to 64 KiB. Not its "P": the window usually holds the end of the
        // central directory, where every header starts with "PK", so a
        // search for "P" stopped hundreds of times per open; 0x06 is rare
        // there. Candidates start in `lowest ..< found`, their 0x06 three
        // bytes on (`found + 3` is inside the end record).
        var start = lowest + 3
        while start < found + 3 {
            guard let hit = bytes.firstIndex(of: 0x06, in: start ..< found + 3) else { return }
            let position = hit - 3
            start = position + 4
            guard position + length <= bytes.count, bytes[position] == 0x50, bytes[position + 1] == 0x4b,
                  bytes[position + 2] == 0x05, endsTheFile(position) else { continue }
            throw ZipError(.ambiguousStructure, offset: tailOffset + UInt64(position),
                           detail: "this end of central directory record ends the file too, besides the one at \(tailOffset + UInt64(found))")
        }
    }

    /// APPNOTE 4.3.15 puts the ZIP64 locator right before the end record.
    /// When it is not there, a locator a few bytes earlier (in the last
    /// central header's comment, say) whose ZIP64 record ends where it
    /// begins and lists another directory than the end record is a second
    /// reading: a reader that searches for the locator takes it (type C5 of
    /// *My ZIP isn't your ZIP*, the locator-gap variant of ZipDiff's
    /// `use_zip64_eocdr`). Stray signatures that form no such record are
    /// data.
    private static func refuseDisplacedLocator(before found: Int, end: EndOfCentralDirectory,
                                               in bytes: ByteView, tailOffset: UInt64,
                                               source: ByteSource) throws(ZipError) {
        let locatorLength = Zip64EndOfCentralDirectoryLocator.length
        let lowest = max(0, bytes.count - EndOfCentralDirectory.length - EndOfCentralDirectory.maximumCommentLength
                                 - locatorLength - Zip64EndOfCentralDirectory.length)
        guard found - locatorLength > lowest else { return }
        // As for the end record: search for the signature's 0x06, two bytes
        // into it, rather than its "P", which starts every central header.
        // Candidates start in `lowest ..< found - locatorLength`.
        let stop = found - locatorLength + 2
        var start = lowest + 2
        while start < stop {
            guard let hit = bytes.firstIndex(of: 0x06, in: start ..< stop) else { return }
            let position = hit - 2
            start = position + 3
            guard bytes[position] == 0x50, bytes[position + 1] == 0x4b, bytes[position + 3] == 0x07,
                  let locator = try Zip64EndOfCentralDirectoryLocator(
                      bytes.extracting(position ..< position + locatorLength),
                      fileOffset: tailOffset + UInt64(position)),
                  locator.recordDisk == 0, locator.diskCount <= 1
            else { continue }
            let locatorOffset = tailOffset + UInt64(position)
            let recordStart = locator.recordOffset
            guard recordStart < locatorOffset,
                  locatorOffset - recordStart >= UInt64(Zip64EndOfCentralDirectory.length) else { continue }
            let raw = try source.read(count: Zip64EndOfCentralDirectory.length, at: recordStart)
            let decoded = try raw.withBytes { (record) throws(ZipError) in
                try Zip64EndOfCentralDirectory(record, fileOffset: recordStart)
            }
            guard let record = decoded, recordStart.addingReportingOverflow(record.length) == (locatorOffset, false)
            else { continue }
            if record.entryCount == UInt64(end.entryCount), record.directorySize == UInt64(end.directorySize),
               record.directoryOffset == UInt64(end.directoryOffset) {
                continue  // the same directory either way
            }
            throw ZipError(.ambiguousStructure, offset: locatorOffset,
                           detail: "a ZIP64 locator \(tailOffset + UInt64(found) - locatorOffset) bytes before the end record names another directory (\(record.entryCount) entries at \(record.directoryOffset))")
        }
    }

    /// Reads the ZIP64 locator and record, if the archive has them.
    ///
    /// Returns nil for an archive without a locator, and for a stray locator
    /// signature when no 32-bit field needs ZIP64 (Go issue 12449).
    private static func readZip64(end: EndOfCentralDirectory, endPosition: Int, tail: ByteView,
                                  tailOffset: UInt64, source: ByteSource)
        throws(ZipError) -> (record: Zip64EndOfCentralDirectory, position: UInt64)?
    {
        let needed = end.hasSaturatedField
        let locatorPosition = endPosition - Zip64EndOfCentralDirectoryLocator.length
        guard locatorPosition >= 0,
              let locator = try Zip64EndOfCentralDirectoryLocator(
                  tail.extracting(locatorPosition ..< endPosition),
                  fileOffset: tailOffset + UInt64(locatorPosition))
        else {
            // Saturated fields with no locator are possible in a zip32 file
            // that really has 65,535 entries: the 32-bit values stand.
            return nil
        }
        let locatorOffset = tailOffset + UInt64(locatorPosition)
        func invalid(_ detail: String) -> ZipError {
            ZipError(.invalidZip64EndRecord, offset: locatorOffset, detail: detail)
        }
        // APPNOTE 4.3.15. Some writers put 0 disks in the count; 1 is right.
        // When no 32-bit field needs ZIP64, a locator naming other disks is
        // stray bytes that happen to hold its signature (Go issue 12449).
        guard locator.recordDisk == 0, locator.diskCount <= 1 else {
            guard needed else { return nil }
            throw ZipError(.multiDiskArchive, offset: locatorOffset,
                           detail: "ZIP64 locator names disk \(locator.recordDisk) of \(locator.diskCount)")
        }

        // The record is where the locator says, or, in an archive with data
        // prepended, that many bytes further on. The usual place is right
        // before the locator; try the stated offset first, then that place.
        var candidates: [UInt64] = [locator.recordOffset]
        if locatorOffset >= UInt64(Zip64EndOfCentralDirectory.length) {
            let adjacent = locatorOffset - UInt64(Zip64EndOfCentralDirectory.length)
            if adjacent != locator.recordOffset { candidates.append(adjacent) }
        }
        for position in candidates {
            guard position <= locatorOffset, locatorOffset - position >= UInt64(Zip64EndOfCentralDirectory.length) else {
                continue
            }
            var raw = [UInt8](repeating: 0, count: Zip64EndOfCentralDirectory.length)
            if position >= tailOffset {
                let start = Int(position - tailOffset)
                raw = Array(tail[start ..< start + Zip64EndOfCentralDirectory.length])
            } else {
                raw = try source.read(count: Zip64EndOfCentralDirectory.length, at: position)
            }
            let decoded = try raw.withBytes { (bytes) throws(ZipError) in
                try Zip64EndOfCentralDirectory(bytes, fileOffset: position)
            }
            guard let record = decoded else { continue }
            // APPNOTE 4.3.14-4.3.15: the locator follows the record at once;
            // bytes between them would be read by no one.
            // A record that is there but leaves a gap is refused even when no
            // 32-bit field needs it: a reader that follows the locator would
            // take it, one that does not would use the 32-bit values.
            let (recordEnd, overflow) = position.addingReportingOverflow(record.length)
            guard !overflow, recordEnd == locatorOffset else {
                throw invalid("the ZIP64 end record at \(position) does not end where its locator begins, at \(locatorOffset)")
            }
            if position != locator.recordOffset {
                // Found by assuming data was prepended: then the record must
                // sit where the directory ends, in the locator's own terms.
                let (directoryEnd, overflow) = record.directoryOffset.addingReportingOverflow(record.directorySize)
                guard !overflow, directoryEnd == locator.recordOffset else { continue }
            }
            try crossCheck(record, against: end, at: position)
            return (record, position)
        }
        if needed { throw invalid("no ZIP64 end record at offset \(locator.recordOffset)") }
        return nil  // A stray locator signature, and nothing needs ZIP64.
    }

    /// The ZIP64 record must agree with every 32-bit field that is not
    /// saturated, or one of the two is lying (CPython gh-139700; libzip INCONS).
    private static func crossCheck(_ record: Zip64EndOfCentralDirectory, against end: EndOfCentralDirectory,
                                   at position: UInt64) throws(ZipError)
    {
        func check(_ name: String, _ narrow: UInt64, saturated: UInt64, _ wide: UInt64) throws(ZipError) {
            guard narrow == saturated || narrow == wide else {
                throw ZipError(.invalidZip64EndRecord, offset: position,
                               detail: "\(name) is \(wide) in the ZIP64 record but \(narrow) in the end record")
            }
        }
        // As in the 32-bit record, the entries on this disk are not read.
        guard record.diskNumber == 0, record.directoryDisk == 0 else {
            throw ZipError(.multiDiskArchive, offset: position,
                           detail: "disk \(record.diskNumber), directory on disk \(record.directoryDisk)")
        }
        try check("the entry count", UInt64(end.entryCount), saturated: 0xFFFF, record.entryCount)
        try check("the directory size", UInt64(end.directorySize), saturated: 0xFFFF_FFFF, record.directorySize)
        try check("the directory offset", UInt64(end.directoryOffset), saturated: 0xFFFF_FFFF, record.directoryOffset)
        try check("the disk number", UInt64(end.diskNumber), saturated: 0xFFFF, UInt64(record.diskNumber))
    }

    /// Computes the prepended-data base and checks that the directory lies
    /// inside the file.
    ///
    /// The directory ends where the end record (or ZIP64 record) begins, so
    /// `base = directoryEnd − size − offset`, as Go's `baseOffset` and
    /// zipimport's `arc_offset` compute it. Some writers get the size wrong;
    /// if no directory header is at the computed place but one is at base 0,
    /// base 0 is right (Go's test-baddirsz.zip).
    private mutating func resolveBase(directoryEnd: UInt64, source: ByteSource, tail: ByteView,
                                      tailOffset: UInt64) throws(ZipError)
    {
        let relativeOffset = directoryOffset
        let (span, overflow) = relativeOffset.addingReportingOverflow(directorySize)
        guard !overflow else {
            throw ZipError(.invalidCentralDirectory, offset: endRecordOffset,
                           detail: "offset \(relativeOffset) + size \(directorySize) overflows")
        }
        func hasHeader(at offset: UInt64) throws(ZipError) -> Bool {
            guard offset <= directoryEnd, directoryEnd - offset >= 4 else { return false }
            let signature: UInt32
            if offset >= tailOffset, offset - tailOffset + 4 <= UInt64(tail.count) {
                signature = tail.load(at: Int(offset - tailOffset))
            } else {
                signature = try source.read(count: 4, at: offset).withBytes { $0.load(at: 0) }
            }
            return signature == CentralDirectoryHeader.signature
        }

        if directorySize == 0 {
            // An empty directory: nothing to find, only the arithmetic to check.
            guard span <= directoryEnd else {
                throw ZipError(.invalidCentralDirectory, offset: endRecordOffset,
                               detail: "directory offset \(relativeOffset) lies past the end record at \(directoryEnd)")
            }
            prependedBytes = directoryEnd - span
            directoryOffset = prependedBytes + relativeOffset
            return
        }
        if span <= directoryEnd {
            let base = directoryEnd - span
            if try hasHeader(at: base + relativeOffset) {
                // A second directory where the stored offset points without
                // the adjustment: readers that adjust and readers that do not
                // would list different entries (type C4).
                if base > 0, try hasHeader(at: relativeOffset) {
                    throw ZipError(.ambiguousStructure, offset: relativeOffset,
                                   detail: "central directories both at \(base + relativeOffset) (after \(base) prepended bytes) and at \(relativeOffset)")
                }
                prependedBytes = base
                directoryOffset = base + relativeOffset
                return
            }
        }
        // The computed base is negative or finds no header: try base 0.
        if span <= directoryEnd, try hasHeader(at: relativeOffset) {
            // With base 0 the stated size was wrong; the directory runs up to
            // the end record, where it must end (APPNOTE 4.3.6).
            prependedBytes = 0
            directoryOffset = relativeOffset
            directorySize = directoryEnd - relativeOffset
            directorySizeIsInferred = true
            return
        }
        throw ZipError(.invalidCentralDirectory, offset: endRecordOffset,
                       detail: span > directoryEnd
                           ? "directory offset \(relativeOffset) + size \(directorySize) runs past the end record at \(directoryEnd)"
                           : "no central directory header at offset \(directoryEnd - span + relativeOffset) or \(relativeOffset)")
    }
}
