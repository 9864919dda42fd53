#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every difference between the systems ZipIndex could run on, in one
/// place: the rest of the code calls these and never names a C library.
///
/// Linux is the platform built and tested (glibc; the Musl branches are
/// glibc's, as Musl's headers match it here). The Darwin branches follow
/// Apple's headers but are not built here: expect to fix them on a Mac.
package enum Platform {
    // MARK: stat

    /// A `stat`'s modification time (`st_mtim` on Linux, `st_mtimespec` on
    /// Darwin).
    package static func modificationTime(_ info: stat) -> timespec {
        #if canImport(Darwin)
        info.st_mtimespec
        #else
        info.st_mtim
        #endif
    }

    /// A `stat`'s status-change time.
    package static func changeTime(_ info: stat) -> timespec {
        #if canImport(Darwin)
        info.st_ctimespec
        #else
        info.st_ctim
        #endif
    }

    // MARK: Files

    /// The `open` flags that make a file with no name in a directory, to be
    /// linked in later (Linux's `O_TMPFILE`, which is `__O_TMPFILE |
    /// O_DIRECTORY`, and which Swift does not import); nil where there is
    /// no such thing, and a hidden temporary name must do.
    package static let unnamedFileFlags: CInt? = {
        #if os(Linux)
        0o20_000_000 | O_DIRECTORY
        #else
        nil
        #endif
    }()

    /// Gives the unnamed file `descriptor` (made with ``unnamedFileFlags``)
    /// the name `name` in `directory`, failing if the name exists.
    package static func linkUnnamedFile(_ descriptor: CInt, in directory: CInt, as name: String) -> Bool {
        #if os(Linux)
        // `AT_EMPTY_PATH` needs CAP_DAC_READ_SEARCH; the /proc path does not.
        linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", directory, name, AT_SYMLINK_FOLLOW) == 0
        #else
        false  // unreachable: there are no unnamed files
        #endif
    }

    /// libc's `open`, `read`, `umask` and `exit`, for code where a method or
    /// property of the same name hides them.
    package static func open(_ path: String, _ flags: CInt) -> CInt {
        path.withCString { libcOpen($0, flags) }
    }

    private static func libcOpen(_ path: UnsafePointer<CChar>, _ flags: CInt) -> CInt {
        #if canImport(Glibc)
        Glibc.open(path, flags)
        #elseif canImport(Musl)
        Musl.open(path, flags)
        #else
        Darwin.open(path, flags)
        #endif
    }

    package static func read(_ descriptor: CInt, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    package static func exit(_ status: CInt) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Musl)
        Musl.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// The process's umask, read without changing it where the system
    /// shows it (Linux 4.7 and later, in /proc/self/status): setting it to
    /// read it back would race with other threads making files.
    package static func currentUmask() -> mode_t {
        #if os(Linux)
        if let file = fopen("/proc/self/status", "re") {
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 256)
            while fgets(&line, Int32(line.count), file) != nil {
                let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard text.hasPrefix("Umask:") else { continue }
                let digits = text.dropFirst(6).drop { $0 == " " || $0 == "\t" }.prefix { $0 != "\n" && $0 != " " }
                if let mask = mode_t(digits, radix: 8) { return mask }
            }
        }
        #endif
        let mask = umask(0o022)
        _ = umask(mask)
        return mask
    }

    // MARK: Paths as bytes

    // A path is bytes, not necessarily UTF-8 (an archive named in Latin-1
    // on a Linux file system). These take it as bytes and return nil,
    // without calling C, when it holds a NUL, which would silently shorten
    // the path C sees.

    private static func withCString<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R? {
        // A copy on the stack (for any path the kernel takes): the importer
        // stats an archive on every find after an invalidation, and an
        // allocation would be a large part of that.
        path.withUnsafeBufferPointer { bytes -> R? in
            if let start = bytes.baseAddress, memchr(start, 0, bytes.count) != nil { return nil }
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { chars -> R? in
                guard let start = chars.baseAddress else { return nil }
                bytes.withMemoryRebound(to: CChar.self) { source in
                    if let from = source.baseAddress { start.update(from: from, count: source.count) }
                }
                start[bytes.count] = 0
                return body(start)
            }
        }
    }

    /// `stat(2)` of `path`, following symbolic links; nil if it fails.
    package static func fileStatus(path: [UInt8]) -> stat? {
        var info = stat()
        guard withCString(path, { stat($0, &info) }) == 0 else { return nil }
        return info
    }

    /// `open(2)`: the descriptor, or -1 with `errno` set; nil for a NUL.
    package static func open(path: [UInt8], _ flags: CInt) -> CInt? {
        withCString(path) { libcOpen($0, flags) }
    }

    /// `mkdir(2)`: 0, or -1 with `errno` set; nil for a NUL.
    package static func makeDirectory(path: [UInt8], mode: mode_t) -> CInt? {
        withCString(path) { mkdir($0, mode) }
    }

    /// `realpath(3)`: the path with every link and dot resolved.
    package static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let resolved = withCString(path, { realpath($0, nil) }) ?? nil else { return nil }
        defer { free(resolved) }
        return Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
    }

    /// `getcwd(3)`.
    package static func currentDirectory() -> [UInt8]? {
        guard let buffer = getcwd(nil, 0) else { return nil }
        defer { free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: strlen(buffer)))
    }

    /// Calls `body` with the name of each entry of the directory at `path`,
    /// "." and ".." excluded; false if the directory cannot be read.
    package static func forEachName(inDirectory path: String, _ body: (Span<UInt8>) -> Void) -> Bool {
        guard !path.utf8.contains(0), let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let name = raw.prefix { $0 != 0 }
                if name.count == 1, name.first == UInt8(ascii: ".") { return }
                if name.count == 2, name.allSatisfy({ $0 == UInt8(ascii: ".") }) { return }
                UnsafeRawBufferPointer(rebasing: name).withMemoryRebound(to: UInt8.self) { body($0.span) }
            }
        }
        return true
    }

    // MARK: Memory

    /// Offers `bytes` of memory at `memory` (aligned to 2 MiB) to the
    /// kernel for transparent huge pages; nothing where there are none.
    package static func adviseHugePages(_ memory: UnsafeMutableRawPointer, _ bytes: Int) {
        #if os(Linux)
        _ = madvise(memory, bytes, MADV_HUGEPAGE)
        #endif
    }
}
