#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ZipIndex

/// `zipls COMMAND -`: the archive comes on standard input.
///
/// A zip archive is read from its end, so a pipe cannot be read in place:
/// it is spooled into an unnamed temporary file (`O_TMPFILE`, gone when
/// zipls exits, whatever happens), up to a cap. A regular file redirected
/// to standard input (`< app.zip`) is read where it is.
enum StandardInput {
    /// Whether ARCHIVE names standard input.
    static func isStandardInput(_ path: String) -> Bool {
        path == "-" || path == "/dev/stdin" || path == "/dev/fd/0" || path == "/proc/self/fd/0"
    }

    /// The most a pipe may bring: `ZIPLS_STDIN_LIMIT` bytes, or 4 GiB.
    static var limit: UInt64 {
        getenv("ZIPLS_STDIN_LIMIT").flatMap { UInt64(String(cString: $0)) } ?? 4 << 30
    }

    /// Opens the archive on standard input. The error is for people.
    static func open(limits: ReadLimits) -> Result<ZipArchive, StandardInputError> {
        var info = stat()
        guard fstat(STDIN_FILENO, &info) == 0 else { return .failure(.init("standard input is closed")) }
        if info.st_mode & S_IFMT == S_IFREG {
            return Result { () throws(ZipError) in try ZipArchive(fileDescriptor: STDIN_FILENO, limits: limits) }
                .mapError { StandardInputError($0.description) }
        }
        guard info.st_mode & S_IFMT != S_IFCHR || isatty(STDIN_FILENO) == 0 else {
            return .failure(.init("standard input is a terminal; pipe an archive in, or name a file"))
        }
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY, which Swift does not import.
        let spool = Glibc.open(directory, 0o20_000_000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
        guard spool >= 0 else {
            return .failure(.init("cannot make a temporary file in \(directory) to hold standard input: \(String(cString: strerror(errno)))"))
        }
        defer { close(spool) }
        let cap = limit
        var total: UInt64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        // OutputBuffer writes through short writes and interruptions.
        let spooled = OutputBuffer(fileDescriptor: spool)
        do throws(OutputError) {
            while true {
                let count = read(STDIN_FILENO, buffer.baseAddress, buffer.count)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(.init("reading standard input: \(String(cString: strerror(errno)))"))
                }
                total &+= UInt64(count)
                guard total <= cap else {
                    return .failure(.init("standard input is larger than \(cap) bytes (ZIPLS_STDIN_LIMIT); save it to a file and name that"))
                }
                try spooled.write(UnsafeRawBufferPointer(rebasing: buffer[0 ..< count]))
            }
            try spooled.flush()
        } catch {
            let code: CInt = if case .failed(let number) = error { number } else { EPIPE }
            return .failure(.init("spooling standard input to \(directory): \(String(cString: strerror(code)))"))
        }
        return Result { () throws(ZipError) in try ZipArchive(fileDescriptor: spool, limits: limits) }
            .mapError { StandardInputError($0.description) }
    }
}

/// Why standard input could not be opened as an archive.
struct StandardInputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
