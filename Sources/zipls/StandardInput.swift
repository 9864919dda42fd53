#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles
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
        let directoryDescriptor = Platform.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        var spool: UnnamedFile
        do throws(SystemError) {
            guard directoryDescriptor >= 0 else { throw SystemError("open") }
            spool = try UnnamedFile(in: directoryDescriptor, hint: "zipls-stdin", readable: true)
        } catch {
            if directoryDescriptor >= 0 { close(directoryDescriptor) }
            return .failure(.init("cannot make a temporary file in \(directory) to hold standard input: \(error.message)"))
        }
        // Never linked: where the file had to get a name, it loses it now.
        spool.dropName()
        close(directoryDescriptor)
        let cap = limit
        do throws(SystemError) {
            guard try FileDescriptorIO.copyToEnd(from: STDIN_FILENO, to: spool.descriptor, limit: cap) != nil else {
                return .failure(.init("standard input is larger than \(cap) bytes (ZIPLS_STDIN_LIMIT); save it to a file and name that"))
            }
        } catch {
            return .failure(.init(error.operation == "read" ? "reading standard input: \(error.message)"
                                  : "spooling standard input to \(directory): \(error.message)"))
        }
        return Result { () throws(ZipError) in try ZipArchive(fileDescriptor: spool.descriptor, limits: limits) }
            .mapError { StandardInputError($0.description) }
    }
}

/// Why standard input could not be opened as an archive.
struct StandardInputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
