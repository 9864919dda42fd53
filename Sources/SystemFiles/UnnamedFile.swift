#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A new file that has no name until it is complete: written first, then
/// linked into its directory in one step, so that no name ever holds a
/// partial file.
///
/// Linux makes it with `O_TMPFILE`: the file is unnamed until `linkat`
/// gives it a name, and vanishes with its descriptor if that never happens,
/// even when the process is killed. Where the file system lacks
/// `O_TMPFILE`, it gets a hidden temporary name (`.NAME.zipindex-PID-N`)
/// that nothing else uses, removed when this value ends, linked or not.
///
/// Extraction (ZipIndex), `write_module` (Importer) and the standard-input
/// spool (zipls) all make their files this way.
package struct UnnamedFile: ~Copyable {
    /// The file's descriptor, open for writing (and reading, if asked).
    package let descriptor: CInt
    /// The directory the file is to be linked into.
    private let directory: CInt
    /// The temporary name where `O_TMPFILE` was not available.
    private var temporaryName: String?

    /// Whether files get temporary names as on a file system without
    /// `O_TMPFILE`: `ZIPINDEX_NO_O_TMPFILE=1` in the environment, so that a
    /// test of a whole process (`zipls extract`) can reach that path here.
    package static let prefersTemporaryNames = getenv("ZIPINDEX_NO_O_TMPFILE").map { $0.pointee == 0x31 } ?? false

    /// Creates the file in `directory`. `hint` is the name it will get
    /// (part of the temporary name, where one is needed); `mode` is masked
    /// by the umask, as `open(2)` masks it. `named` takes the path
    /// of a file system without `O_TMPFILE`.
    package init(in directory: CInt, hint: String, mode: mode_t = 0o600, readable: Bool = false,
                 named: Bool = prefersTemporaryNames) throws(SystemError) {
        let access = readable ? O_RDWR : O_WRONLY
        self.directory = directory
        if !named {
            let fd = Platform.unnamedFileFlags.map { openat(directory, ".", $0 | access | O_CLOEXEC, mode) } ?? -1
            if fd >= 0 {
                descriptor = fd
                temporaryName = nil
                return
            }
            // The system has no unnamed files, the file system has no
            // O_TMPFILE (EOPNOTSUPP), or the kernel predates it (EISDIR,
            // EINVAL): fall back to a name.
            guard Platform.unnamedFileFlags == nil || errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL else {
                throw SystemError("create")
            }
        }
        for attempt in 0 ..< 100 {
            let candidate = ".\(hint).zipindex-\(getpid())-\(attempt)"
            let fd = openat(directory, candidate, O_CREAT | O_EXCL | O_NOFOLLOW | access | O_CLOEXEC, mode)
            if fd >= 0 {
                descriptor = fd
                temporaryName = candidate
                return
            }
            guard errno == EEXIST else { throw SystemError("create") }
        }
        throw SystemError("create", code: EEXIST)
    }

    deinit {
        close(descriptor)
        if let temporaryName { unlinkat(directory, temporaryName, 0) }
    }

    /// Removes the temporary name now, if there is one: for a scratch file
    /// that is never linked and must not outlive the process under a name.
    package mutating func dropName() {
        if let temporaryName { unlinkat(directory, temporaryName, 0) }
        temporaryName = nil
    }

    /// Why ``link(as:replacing:)`` failed.
    package enum LinkError: Error, Equatable {
        /// `name` exists and replacing was not asked for; it is left as it was.
        case exists
        /// `name` is a directory, which is never replaced.
        case isDirectory
        /// A system call failed.
        case system(SystemError)
    }

    /// Gives the file `name` in its directory. Without `replacing`, a name
    /// that exists (even one that appeared a moment ago) fails with
    /// `.exists`: `linkat` refuses to replace, atomically. With it, a file
    /// or link at `name` is replaced in one `renameat`; a directory never.
    package func link(as name: String, replacing: Bool) throws(LinkError) {
        let fd = descriptor, temporary = temporaryName, directory = directory
        func linkAs(_ target: String) -> Bool {
            if let temporary { return linkat(directory, temporary, directory, target, 0) == 0 }
            return Platform.linkUnnamedFile(fd, in: directory, as: target)
        }
        if linkAs(name) { return }
        guard errno == EEXIST else { throw .system(SystemError("link")) }
        guard replacing else { throw .exists }
        try Self.replace(name, in: directory, operation: "link", make: linkAs)
    }

    /// Replaces what is at `name` in `directory` (never a directory) in one
    /// step: `make` creates the new file or link under a spare name that
    /// nothing uses, which is then renamed over `name`. A spare name that
    /// is already taken is never touched.
    package static func replace(_ name: String, in directory: CInt, operation: String,
                                make: (String) -> Bool) throws(LinkError) {
        var attempt = 0
        while true {
            let spare = ".\(name).zipindex-new-\(getpid())-\(attempt)"
            if make(spare) {
                var info = stat()
                if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    unlinkat(directory, spare, 0)
                    throw .isDirectory
                }
                guard renameat(directory, spare, directory, name) == 0 else {
                    let failure = SystemError("rename")
                    unlinkat(directory, spare, 0)
                    throw .system(failure)
                }
                return
            }
            guard errno == EEXIST, attempt < 100 else { throw .system(SystemError(operation)) }
            attempt += 1
        }
    }
}
