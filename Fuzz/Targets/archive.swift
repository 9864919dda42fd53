// Fuzz target 1: open an archive from bytes in memory, list it, look up every
// name, and read every entry, whole and streamed.
//
// Built by Fuzz/build.sh together with Sources/ZipIndex/*.swift as one module,
// so internal API is visible. Anything but a clean return or a ZipError is a
// finding: a trap (overflow, out-of-bounds, precondition), an ASan report, a
// leak, a timeout (-timeout=5) or an allocation over -rss_limit_mb.
//
// The same operations run in Tests/ZipIndexTests/FuzzRegressionTests.swift;
// keep the two in step.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Every input twice: with the default limits, and with none, where
    // declared sizes up to 2^64 - 1 reach the readers' arithmetic.
    exerciseArchive(bytes, limits: .default)
    exerciseArchive(bytes, limits: .unlimited)
    return 0
}

/// Fails loudly: the message shows in libFuzzer's crash report.
func violated(_ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz invariant violated: \(message())", file: file, line: line)
}

func exerciseArchive(_ bytes: [UInt8], limits: ReadLimits) {
    let archive: ZipArchive
    do {
        archive = try ZipArchive(bytes: bytes, limits: limits)
    } catch {
        _ = error.code  // typed throws: always a ZipError
        return
    }

    _ = archive.comment
    _ = archive.commentBytes
    _ = archive.isZip64
    _ = archive.prependedBytes
    if archive.centralDirectoryOffset > archive.fileSize
        || archive.centralDirectorySize > archive.fileSize - archive.centralDirectoryOffset {
        violated("directory at \(archive.centralDirectoryOffset)+\(archive.centralDirectorySize) outside \(archive.fileSize) bytes")
    }
    if archive.count != archive.entries.count { violated("count \(archive.count) != entries \(archive.entries.count)") }

    // List, and look up every name: by bytes and by String.
    for entry in archive.entries {
        let name = entry.name
        _ = entry.isDirectory
        _ = entry.isSymlink
        _ = entry.isEncrypted
        _ = entry.unixMode
        _ = entry.modificationDate
        _ = entry.method.name
        _ = entry.localHeaderOffset
        _ = entry.compressedSize
        _ = entry.uncompressedSize
        let nameBytes = entry.withNameBytes { Array($0) }
        if Array(name.utf8) != nameBytes { violated("name \(name) differs from its UTF-8 bytes") }
        guard let found = archive.entry(utf8Name: nameBytes.span) else {
            violated("entry \(entry.index) (\(name)) not found by its own name bytes")
        }
        if found.withNameBytes({ Array($0) }) != nameBytes { violated("lookup of \(name) found \(found.name)") }
        if found.index < entry.index { violated("lookup of \(name) found an earlier duplicate \(found.index)") }
        if archive.entry(named: name) != found { violated("entry(named:) and entry(utf8Name:) disagree on \(name)") }
        if archive.entry(named: name[...]) != found { violated("entry(named: Substring) disagrees on \(name)") }
        if entry.isDirectory, !archive.directoryExists(name) { violated("directory entry \(name) not in directories") }
        _ = try? archive.details(of: entry)
    }
    // Names that are not there.
    _ = archive.entry(named: "")
    _ = archive.entry(named: "\u{0}")
    _ = archive.entry(named: "no/such/entry")

    // Directories.
    let directories = archive.directories
    for directory in directories.prefix(64) {
        if !archive.directoryExists(directory) { violated("listed directory \(directory) does not exist") }
        _ = archive.contentsOfDirectory(directory)
    }
    _ = archive.contentsOfDirectory("")
    _ = archive.directoryExists("")
    _ = archive.directoryExists("/")

    // The structure between the entries: gaps inside the file, hidden
    // entries at offsets inside the file, a typed error otherwise.
    if let structure = try? archive.verifyStructure() {
        for gap in structure.gaps where gap.upperBound > archive.fileSize {
            violated("gap \(gap) past the end of the file (\(archive.fileSize))")
        }
        for offset in structure.hiddenEntries where offset >= archive.fileSize {
            violated("hidden entry at \(offset), past the end of the file")
        }
    }

    // The audit: names and structure, consistent with the per-entry rules.
    if let audit = try? archive.audit() {
        if audit.prependedBytes &+ audit.trailingBytes > archive.fileSize {
            violated("prefix \(audit.prependedBytes) and trailing \(audit.trailingBytes) exceed the file")
        }
        var previous = -1
        for finding in audit.names {
            guard finding.entry > previous, finding.entry < archive.count else {
                violated("audit finding for entry \(finding.entry) out of order or range")
            }
            previous = finding.entry
            let entry = archive.entries[finding.entry]
            if finding.isSafeToExtract != (entry.safeRelativePath != nil) {
                violated("audit and safeRelativePath disagree on \(entry.name)")
            }
            if !finding.hazards.isSuperset(of: entry.nameHazards) {
                violated("audit lost hazards of \(entry.name)")
            }
        }
        let listed = Set(audit.names.map(\.entry))
        for entry in archive.entries where !listed.contains(entry.index) {
            if !entry.nameHazards.isEmpty || entry.safeRelativePath == nil {
                violated("audit missed \(entry.name)")
            }
        }
    }

    // Read every entry, whole and streamed; both must agree.
    for entry in archive.entries {
        let whole: Result<[UInt8], ZipError> = Result { () throws(ZipError) in try archive.read(entry) }
        var streamed: [UInt8] = []
        let streamResult: Result<Void, ZipError>
        do {
            try archive.read(entry) { chunk in
                if chunk.count > 256 * 1024 { violated("chunk of \(chunk.count) bytes") }
                chunk.withUnsafeBufferPointer { streamed.append(contentsOf: $0) }
                if UInt64(streamed.count) > entry.uncompressedSize {
                    violated("stream passed \(streamed.count) bytes, more than the declared \(entry.uncompressedSize)")
                }
            }
            streamResult = .success(())
        } catch let error as ZipError {
            streamResult = .failure(error)
        } catch {
            violated("streaming read threw a non-ZipError: \(error)")
        }
        switch (whole, streamResult) {
        case (.success(let data), .success):
            if UInt64(data.count) != entry.uncompressedSize {
                violated("read \(data.count) bytes, declared \(entry.uncompressedSize)")
            }
            if data != streamed { violated("whole and streamed reads of \(entry.name) differ") }
        case (.failure(let a), .failure(let b)):
            if a.code != b.code { violated("whole read threw \(a), streamed threw \(b)") }
        case (.success, .failure(let error)):
            violated("whole read succeeded, streamed threw \(error)")
        case (.failure(let error), .success):
            violated("streamed read succeeded, whole read threw \(error)")
        }
        #if ISAL
        checkZlibVerdict(entry, of: archive, bytes: bytes, whole: whole)
        #endif
    }
}

#if ISAL
/// The ISA-L build's verdict on a deflated entry must be zlib's: the data
/// decoded by zlib alone gives the same bytes, or the same error code.
func checkZlibVerdict(_ entry: ZipEntry, of archive: ZipArchive, bytes: [UInt8], whole: Result<[UInt8], ZipError>) {
    guard entry.method == .deflated else { return }
    if case .failure(let error) = whole, ![.corruptData, .sizeMismatch, .checksumMismatch].contains(error.code) { return }
    var reader = archive.entryReader(window: nil)
    reader.entry = entry.index
    guard let (offset, length) = try? reader.dataRange() else { return }
    var output: [UInt8] = []
    enum Outcome { case data([UInt8]), failure(ZipError.Code) }
    let zlib: Outcome
    do {
        var inflater = try ZlibInflater()
        let input = FileRange(source: ByteSource(bytes: bytes), window: nil, offset: offset, length: length)
        let (size, crc) = try inflater.decode(input, declared: entry.uncompressedSize, chunkSize: 256 * 1024, buffers: nil,
                                              body: { output.append(contentsOf: $0) })
        if size != entry.uncompressedSize {
            zlib = .failure(.sizeMismatch)
        } else if crc != entry.crc32 {
            zlib = .failure(.checksumMismatch)
        } else {
            zlib = .data(output)
        }
    } catch let error as ZipError {
        zlib = .failure(error.code)
    } catch {
        violated("zlib threw a non-ZipError: \(error)")
    }
    switch (whole, zlib) {
    case (.success(let ours), .data(let theirs)):
        if ours != theirs { violated("\(entry.name): ISA-L and zlib decode different bytes") }
    case (.failure(let ours), .failure(let theirs)):
        if ours.code != theirs { violated("\(entry.name): ISA-L build says \(ours.code), zlib \(theirs)") }
    case (.success, .failure(let theirs)):
        violated("\(entry.name): the ISA-L build reads what zlib refuses (\(theirs))")
    case (.failure(let ours), .data):
        violated("\(entry.name): the ISA-L build refuses (\(ours)) what zlib reads")
    }
}
#endif
