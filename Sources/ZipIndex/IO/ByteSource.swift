#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

/// Where an archive's bytes come from: an open file read with `pread`, or
/// bytes in memory.
///
/// Reads are positional, so one source serves any number of threads at
/// once: there is no shared seek position to race on.
final class ByteSource: Sendable {
    private enum Storage: Sendable {
        case file(descriptor: CInt)
        case memory([UInt8])
    }

    private let storage: Storage
    /// The total size in bytes, taken when the source was opened.
    let size: UInt64
    /// The identity of the opened file, as `fstat` reported it at open time.
    let identity: FileIdentity?

    /// Opens `path` read-only.
    ///
    /// `O_NONBLOCK` keeps a FIFO from blocking the open until a writer
    /// comes (it is then refused as not a regular file); `O_NOCTTY` keeps a
    /// terminal from becoming ours. Neither changes how a regular file reads.
    init(path: String) throws(ZipError) {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard fd >= 0 else { throw Self.openError(path: path) }
        do {
            (size, identity) = try Self.describe(fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        storage = .file(descriptor: fd)
    }

    /// The reason `open` failed, in words a person expects: "no such
    /// file", "permission denied", rather than a bare errno.
    private static func openError(path: String) -> ZipError {
        let code = errno
        let cause = switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a component of the path is not a directory"
        case ELOOP: "too many levels of symbolic links"
        case ENAMETOOLONG: "the path is too long"
        default: "\(String(cString: strerror(code))) (errno \(code))"
        }
        return ZipError(.io, detail: "\(path): \(cause)")
    }

    /// Reads through a duplicate of `descriptor`; the caller keeps ownership
    /// of the original and may close it at once.
    init(descriptor: CInt) throws(ZipError) {
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { throw Self.systemError("dup", path: nil) }
        do {
            (size, identity) = try Self.describe(fd, path: nil)
        } catch {
            close(fd)
            throw error
        }
        storage = .file(descriptor: fd)
    }

    /// Whether reads are system calls (a file), not copies from memory.
    var isFile: Bool {
        if case .file = storage { return true }
        return false
    }

    init(bytes: [UInt8]) {
        storage = .memory(bytes)
        size = UInt64(bytes.count)
        identity = nil
    }

    deinit {
        if case .file(let fd) = storage { close(fd) }
    }

    /// Fills `buffer` with the bytes at `offset`, or throws `.truncated` if
    /// the source ends first. The corresponding C function is `pread`;
    /// interrupted and short reads are retried.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ZipError) {
        let count = UInt64(buffer.count)
        guard offset <= size, count <= size - offset else {
            throw ZipError(.truncated, offset: offset, detail: "needed \(count) bytes, the archive has \(size)")
        }
        guard let base = buffer.baseAddress, count > 0 else { return }
        switch storage {
        case .memory(let bytes):
            bytes.withUnsafeBytes { source in
                // In range: checked against `size` (== bytes.count) above.
                guard let start = source.baseAddress else { return }
                base.copyMemory(from: start + Int(offset), byteCount: buffer.count)
            }
        case .file(let fd):
            let done: Int
            do {
                done = try FileDescriptorIO.readFully(fd, into: UnsafeMutableRawBufferPointer(start: base, count: buffer.count),
                                                      at: off_t(offset))
            } catch {
                throw ZipError(.io, offset: offset, detail: "read: \(error.message) (errno \(error.code))")
            }
            guard done == buffer.count else {
                throw ZipError(.truncated, offset: offset + UInt64(done),
                               detail: "the file ended early; was it truncated after it was opened?")
            }
        }
    }

    /// Reads `count` bytes at `offset` into a new array.
    /// Not zero-filled first: the read fills every byte or throws, and the
    /// structure walk's 1 MiB reads spent a fifth of their time zeroing.
    func read(count: Int, at offset: UInt64) throws(ZipError) -> [UInt8] {
        var failure: ZipError?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ZipError) {
                try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    private static func describe(_ fd: CInt, path: String?) throws(ZipError) -> (UInt64, FileIdentity) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError("stat", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = switch info.st_mode & S_IFMT {
            case S_IFDIR: "is a directory"
            case S_IFIFO: "not a regular file (a FIFO or pipe)"
            case S_IFCHR: "not a regular file (a character device)"
            case S_IFBLK: "not a regular file (a block device)"
            case S_IFSOCK: "not a regular file (a socket)"
            default: "not a regular file"
            }
            throw ZipError(.io, detail: "\(path ?? "the descriptor"): \(kind)")
        }
        return (UInt64(info.st_size), FileIdentity(info))
    }

    static func systemError(_ operation: String, path: String?, offset: UInt64? = nil) -> ZipError {
        let code = errno
        let message = String(cString: strerror(code))
        let subject = path.map { " \($0)" } ?? ""
        return ZipError(.io, offset: offset, detail: "\(operation)\(subject): \(message) (errno \(code))")
    }
}
