#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles
import ZipIndex

/// The few POSIX file operations the library needs, without Foundation.
enum FileIO {
    /// The names in a directory, "." and ".." excluded; nil if it cannot be read.
    static func listDirectory(_ path: String) -> ByteStringSet? {
        var names = ByteStringSet(minimumCapacity: 32)
        guard Platform.forEachName(inDirectory: path, { names.insert($0) }) else { return nil }
        return names
    }

    /// The whole content of a regular file.
    static func readFile(_ path: String) throws(ImporterError) -> [UInt8] {
        guard !path.utf8.contains(0) else { throw ImporterError(.resourceNotFound, path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError(errno == ENOENT || errno == ENOTDIR ? .resourceNotFound : .unreadable, path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(.unreadable, path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ImporterError(.resourceNotFound, path: path, detail: "not a regular file")
        }
        do {
            return try FileDescriptorIO.readToEnd(fd, sizeHint: Int(truncatingIfNeeded: info.st_size))
        } catch {
            throw systemError(.unreadable, path, failure: error)
        }
    }

    /// Opens the archive at `path`, whose bytes need not be UTF-8.
    ///
    /// - Throws: ``ImporterError`` `.unreadable` if the file cannot be
    ///   opened or read, `.notAZipArchive` if ZipIndex refuses it.
    static func openArchive(_ path: SystemPath, limits: ReadLimits) throws(ImporterError) -> ZipArchive {
        guard let fd = Platform.open(path: path.bytes, O_RDONLY | O_CLOEXEC) else {
            throw ImporterError(.unreadable, path: path.description, detail: "the path contains a NUL byte")
        }
        guard fd >= 0 else { throw systemError(.unreadable, path.description, "open") }
        defer { close(fd) }
        do {
            return try ZipArchive(fileDescriptor: fd, limits: limits)
        } catch {
            throw ImporterError(error.code == .io ? .unreadable : .notAZipArchive, path: path.description, zipError: error)
        }
    }

    static func systemError(_ code: ImporterError.Code, _ path: String, _ operation: String? = nil) -> ImporterError {
        let number = errno
        let message = String(cString: strerror(number))
        let prefix = operation.map { "\($0): " } ?? ""
        return ImporterError(code, path: path, detail: "\(prefix)\(message) (errno \(number))")
    }

    static func systemError(_ code: ImporterError.Code, _ path: String, failure: SystemError) -> ImporterError {
        ImporterError(code, path: path, detail: "\(failure.operation): \(failure.message) (errno \(failure.code))")
    }
}
