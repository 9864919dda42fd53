#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Importer
import ZipIndex

// The operations of the CPython module `zipindex._zipindex`, over the
// Importer's public API, behind a C ABI of pointers and integers. The C
// side (CZipIndexPython/module.c) checks arguments, makes Python objects,
// and decides when the GIL is released; nothing here touches Python, so
// any of these may run without the GIL.
//
// Conventions:
// - Text and paths come in as (pointer, count). Module names and member
//   names are UTF-8 (Python encoded them strictly); paths are raw bytes.
// - Bytes going out are malloc'ed here and freed by the caller with free().
// - A handle is a retained `ZipImporter`, released by `zi_release`.
// - Nothing here may trap: a trap would kill the interpreter.

/// zipimport's search order: `.pyc` before `.py`, for packages and modules.
private let pythonLayout = ModuleLayout(suffixes: [".pyc", ".py"], packageMarker: "__init__")

private typealias BytesOut = UnsafeMutablePointer<UnsafeMutableRawPointer?>
private typealias CountOut = UnsafeMutablePointer<Int>

/// Hands `bytes` to C in a malloc'ed buffer. False if memory ran out.
private func give(_ bytes: some Collection<UInt8>, _ out: BytesOut, _ count: CountOut) -> Bool {
    out.pointee = nil
    count.pointee = 0
    let length = bytes.count
    guard let memory = malloc(max(length, 1)) else { return false }
    UnsafeMutableRawBufferPointer(start: memory, count: length).copyBytes(from: bytes)
    out.pointee = memory
    count.pointee = length
    return true
}

private func give(_ text: String, _ out: BytesOut, _ count: CountOut) -> Bool {
    give(text.utf8, out, count)
}

/// The names packed for C: each as a 4-byte little-endian length, then
/// its UTF-8 bytes.
private func givePacked(_ names: [String], _ out: BytesOut, _ count: CountOut) -> Bool {
    var packed: [UInt8] = []
    packed.reserveCapacity(names.reduce(0) { $0 &+ $1.utf8.count &+ 4 })
    for name in names {
        let length = UInt32(truncatingIfNeeded: name.utf8.count)
        withUnsafeBytes(of: length.littleEndian) { packed.append(contentsOf: $0) }
        packed.append(contentsOf: name.utf8)
    }
    return give(packed, out, count)
}

private func bytes(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> UnsafeRawBufferPointer {
    guard let pointer, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: pointer, count: count)
}

private func text(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> String {
    String(decoding: bytes(pointer, count), as: UTF8.self)
}

private func importer(_ handle: UnsafeMutableRawPointer) -> ZipImporter {
    Unmanaged<ZipImporter>.fromOpaque(handle).takeUnretainedValue()
}

/// Error codes for `zi_open`, mapped to zipimport's messages in Python.
private func openErrorCode(_ code: ImporterError.Code) -> Int32 {
    switch code {
    case .emptyPath: 1
    case .notFound, .notARegularFile: 2
    case .unreadable: 3
    case .notAZipArchive: 4
    default: 5
    }
}

/// Error codes for reads.
private func readErrorCode(_ code: ImporterError.Code) -> Int32 {
    switch code {
    case .resourceNotFound: 1
    case .archiveUnavailable: 2
    case .invalidMember: 3
    default: 4
    }
}

/// Opens the importer for `path` (an archive, optionally followed by a
/// directory inside it). On success returns a retained handle, the length
/// of the path's archive part in `archiveCount`, and the prefix ("" or
/// ending in "/"). On failure returns nil with an error code and message.
@_cdecl("zi_open")
func zi_open(_ path: UnsafePointer<UInt8>?, _ pathCount: Int,
             _ archiveCount: UnsafeMutablePointer<Int>,
             _ prefix: UnsafeMutableRawPointer, _ prefixCount: UnsafeMutablePointer<Int>,
             _ errorCode: UnsafeMutablePointer<Int32>,
             _ message: UnsafeMutableRawPointer, _ messageCount: UnsafeMutablePointer<Int>) -> UnsafeMutableRawPointer? {
    let prefixOut = prefix.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    let messageOut = message.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    prefixOut.pointee = nil
    messageOut.pointee = nil
    do {
        let opened = try ZipImporter(path: SystemPath(bytes: bytes(path, pathCount)), layout: pythonLayout)
        archiveCount.pointee = opened.archivePath.bytes.count
        guard give(opened.prefix, prefixOut, prefixCount) else {
            errorCode.pointee = 6
            return nil
        }
        errorCode.pointee = 0
        return Unmanaged.passRetained(opened).toOpaque()
    } catch {
        errorCode.pointee = openErrorCode(error.code)
        _ = give(error.description, messageOut, messageCount)
        return nil
    }
}

@_cdecl("zi_release")
func zi_release(_ handle: UnsafeMutableRawPointer) {
    Unmanaged<ZipImporter>.fromOpaque(handle).release()
}

/// 1 if lookups will answer from the cached table without I/O.
@_cdecl("zi_is_current")
func zi_is_current(_ handle: UnsafeMutableRawPointer) -> Int32 {
    importer(handle).tableIsCurrent ? 1 : 0
}

/// Resolves the last dotted component of a module name. Returns -1 if
/// nothing matches, else 0 (module), 1 (package) or 2 (namespace portion)
/// with the member's archive-relative path.
@_cdecl("zi_find")
func zi_find(_ handle: UnsafeMutableRawPointer, _ name: UnsafePointer<UInt8>?, _ nameCount: Int,
             _ member: UnsafeMutableRawPointer, _ memberCount: UnsafeMutablePointer<Int>) -> Int32 {
    let memberOut = member.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    memberOut.pointee = nil
    guard let found = importer(handle).findMember(text(name, nameCount)) else { return -1 }
    guard give(found.path, memberOut, memberCount) else { return -2 }
    switch found.kind {
    case .module: return 0
    case .package: return 1
    case .namespace: return 2
    }
}

/// Fills `info` (6 values) with the entry's method, compressed size,
/// uncompressed size, DOS date and time (date in the high 16 bits), CRC-32
/// and local header offset. Returns 0, or -1 if there is no such entry.
@_cdecl("zi_entry")
func zi_entry(_ handle: UnsafeMutableRawPointer, _ name: UnsafePointer<UInt8>?, _ nameCount: Int,
              _ info: UnsafeMutablePointer<UInt64>) -> Int32 {
    guard let entry = importer(handle).entry(named: text(name, nameCount)) else { return -1 }
    info[0] = UInt64(entry.method.rawValue)
    info[1] = entry.compressedSize
    info[2] = entry.uncompressedSize
    info[3] = UInt64(entry.modificationDate.rawValue)
    info[4] = UInt64(entry.crc32)
    info[5] = entry.localHeaderOffset
    return 0
}

/// Reads a member, verified. Returns 0 with the data, or an error code
/// (1 no such member, 2 archive unavailable, 3 damaged member, 4 other,
/// -2 out of memory) with a message.
@_cdecl("zi_read")
func zi_read(_ handle: UnsafeMutableRawPointer, _ name: UnsafePointer<UInt8>?, _ nameCount: Int,
             _ data: UnsafeMutableRawPointer, _ dataCount: UnsafeMutablePointer<Int>,
             _ message: UnsafeMutableRawPointer, _ messageCount: UnsafeMutablePointer<Int>) -> Int32 {
    let dataOut = data.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    let messageOut = message.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    dataOut.pointee = nil
    messageOut.pointee = nil
    do {
        let contents = try importer(handle).data(member: text(name, nameCount))
        return give(contents, dataOut, dataCount) ? 0 : -2
    } catch {
        _ = give(error.description, messageOut, messageCount)
        return readErrorCode(error.code)
    }
}

/// 1 if the archive-relative path is a directory (explicit or implied).
@_cdecl("zi_is_dir")
func zi_is_dir(_ handle: UnsafeMutableRawPointer, _ name: UnsafePointer<UInt8>?, _ nameCount: Int) -> Int32 {
    importer(handle).directoryExists(text(name, nameCount)) ? 1 : 0
}

/// Every member name, packed. Returns 0, or -2 if memory ran out.
@_cdecl("zi_names")
func zi_names(_ handle: UnsafeMutableRawPointer, _ out: UnsafeMutableRawPointer, _ count: UnsafeMutablePointer<Int>) -> Int32 {
    givePacked(importer(handle).memberNames, out.assumingMemoryBound(to: UnsafeMutableRawPointer?.self), count) ? 0 : -2
}

/// The names directly inside an archive-relative directory, packed.
@_cdecl("zi_listdir")
func zi_listdir(_ handle: UnsafeMutableRawPointer, _ name: UnsafePointer<UInt8>?, _ nameCount: Int,
                _ out: UnsafeMutableRawPointer, _ count: UnsafeMutablePointer<Int>) -> Int32 {
    let names = importer(handle).contentsOfDirectory(text(name, nameCount))
    return givePacked(names, out.assumingMemoryBound(to: UnsafeMutableRawPointer?.self), count) ? 0 : -2
}

/// Global invalidation of every cached archive: one atomic increment.
@_cdecl("zi_invalidate_all")
func zi_invalidate_all() {
    ImportCache.shared.invalidateAll()
}

/// Invalidates the cached archive at, or containing, `path`. 1 if found.
@_cdecl("zi_invalidate_path")
func zi_invalidate_path(_ path: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    ImportCache.shared.invalidate(path: SystemPath(bytes: bytes(path, count))) ? 1 : 0
}

/// Sets the archive's policy: `ttlNs` < 0 for no time-to-live.
@_cdecl("zi_set_policy")
func zi_set_policy(_ handle: UnsafeMutableRawPointer, _ ttlNs: Int64, _ followsGlobal: Int32) {
    importer(handle).policy = CachePolicy(timeToLive: ttlNs < 0 ? nil : .nanoseconds(ttlNs),
                                          followsGlobalInvalidation: followsGlobal != 0)
}

/// Reads the archive's policy: `ttlNs` -1 when there is no time-to-live.
@_cdecl("zi_get_policy")
func zi_get_policy(_ handle: UnsafeMutableRawPointer, _ ttlNs: UnsafeMutablePointer<Int64>,
                   _ followsGlobal: UnsafeMutablePointer<Int32>) {
    let policy = importer(handle).policy
    if let ttl = policy.timeToLive {
        let (seconds, attoseconds) = ttl.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        ttlNs.pointee = overflow || overflow2 ? .max : max(total, 0)
    } else {
        ttlNs.pointee = -1
    }
    followsGlobal.pointee = policy.followsGlobalInvalidation ? 1 : 0
}

/// The shared cache's counters: hits, misses, revalidations, reloads.
@_cdecl("zi_statistics")
func zi_statistics(_ out: UnsafeMutablePointer<UInt64>) {
    let statistics = ImportCache.shared.statistics
    out[0] = statistics.hits
    out[1] = statistics.misses
    out[2] = statistics.revalidations
    out[3] = statistics.reloads
}

/// Writes module (`package` 0) or package `name` atomically into
/// `directory`. Returns 0 with the path written, or an error code (1
/// invalid name, 2 not a directory, 3 write failed, -2 out of memory) with
/// a message.
@_cdecl("zi_write_module")
func zi_write_module(_ name: UnsafePointer<UInt8>?, _ nameCount: Int,
                     _ source: UnsafePointer<UInt8>?, _ sourceCount: Int,
                     _ directory: UnsafePointer<UInt8>?, _ directoryCount: Int, _ package: Int32,
                     _ target: UnsafeMutableRawPointer, _ targetCount: UnsafeMutablePointer<Int>,
                     _ message: UnsafeMutableRawPointer, _ messageCount: UnsafeMutablePointer<Int>) -> Int32 {
    let targetOut = target.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    let messageOut = message.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    targetOut.pointee = nil
    messageOut.pointee = nil
    do {
        let written = try ModuleWriter().write(text(name, nameCount), contents: Array(bytes(source, sourceCount)),
                                               into: SystemPath(bytes: bytes(directory, directoryCount)),
                                               package: package != 0)
        return give(written.bytes, targetOut, targetCount) ? 0 : -2
    } catch {
        _ = give(error.description, messageOut, messageCount)
        switch error.code {
        case .invalidModuleName: return 1
        case .notADirectory: return 2
        default: return 3
        }
    }
}
