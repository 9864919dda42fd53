#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles

/// The directory an archive is extracted into, reached only through file
/// descriptors.
///
/// Every path below the destination is resolved one component at a time
/// with `openat(…, O_NOFOLLOW)` from the destination's descriptor, so a
/// symbolic link on the way (already on disk, or made by an earlier entry)
/// is never followed: the entry fails instead. Files are written as
/// ``UnnamedFile``s and linked into place only once complete, so a name
/// never holds a partial file and an interrupted run leaves nothing behind.
final class ExtractionDestination {
    /// The destination's own descriptor; the user chose it, so it may be a
    /// symbolic link itself.
    let root: CInt
    /// Whether `root` is closed with this value: not when it is another
    /// destination's, borrowed by a thread of a parallel extraction.
    private let ownsRoot: Bool
    /// The process's umask, read once.
    let umask: mode_t
    /// Directories opened below the root, by their relative path
    /// (components joined with "/"): an entry's walk starts from its
    /// deepest open ancestor, so a file in a directory met before costs no
    /// `openat` on the way. Every descriptor was opened with `O_NOFOLLOW`
    /// and stays bound to its directory whatever is renamed meanwhile.
    private var openDirectories: [String: CInt] = [:]
    /// How many directories stay open at most (file descriptors are a
    /// limited resource of the user's process).
    private static let openLimit = 64
    /// Directories this run made (by descriptor, while open): nothing can
    /// be in them that this run did not put there, so a missing child is
    /// made without first trying to open it.
    private var made: Set<CInt> = []

    init(path: String) throws(ZipError) {
        // `-d DIR` is created when missing, with its missing parents.
        try Self.makeDirectories(path)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error("open", path) }
        root = fd
        ownsRoot = true
        umask = Platform.currentUmask()
    }

    /// A second walker of the same destination, for another thread: it
    /// opens its own directories and uses `root`, which its owner keeps
    /// open for longer than this value lives.
    init(borrowing root: CInt, umask: mode_t) {
        self.root = root
        self.umask = umask
        ownsRoot = false
    }

    deinit {
        for descriptor in openDirectories.values { close(descriptor) }
        if ownsRoot { close(root) }
    }

    static func error(_ operation: String, _ path: String, code: CInt = errno) -> ZipError {
        ZipError(.io, detail: "\(path): \(operation): \(String(cString: strerror(code)))")
    }

    private static func makeDirectories(_ path: String) throws(ZipError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ZipError(.io, detail: "\(path): not a directory") }
            return
        }
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty { try makeDirectories(parent) }
        guard mkdir(path, 0o777) == 0 || errno == EEXIST else { throw error("mkdir", path) }
    }

    /// The descriptor of the directory `components` below the root,
    /// creating what is missing (0777 less the umask, as mkdir(1) makes
    /// them) unless `create` is false. Never follows a symbolic link. The caller
    /// must not close it.
    func directory(_ components: ArraySlice<String>, create: Bool = true) throws(ZipError) -> CInt {
        guard !components.isEmpty else { return root }
        // The deepest ancestor already open (or the directory itself).
        var depth = components.count
        var current = root
        var key = components.joined(separator: "/")
        while depth > 0 {
            if let descriptor = openDirectories[key] {
                current = descriptor
                break
            }
            depth -= 1
            key = components.prefix(depth).joined(separator: "/")
        }
        var walked = key
        for component in components.dropFirst(depth) {
            walked = walked.isEmpty ? component : walked + "/" + component
            var next: CInt = -1
            var creating = false
            if create, made.contains(current) {
                creating = true
            } else {
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                creating = next < 0 && errno == ENOENT && create
            }
            if creating {
                // A directory no entry describes gets what mkdir gives.
                let madeHere = mkdirat(current, component, 0o777) == 0
                guard madeHere || errno == EEXIST else { throw Self.error("mkdir", walked) }
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if madeHere, next >= 0 { made.insert(next) }
            }
            guard next >= 0 else {
                throw errno == ELOOP || errno == ENOTDIR
                    ? ZipError(.fileExists, detail: "\(walked) is not a directory (a file or a symbolic link is in the way)")
                    : Self.error("open", walked)
            }
            if openDirectories.count >= Self.openLimit {
                // Archives are mostly in directory order: forgetting all
                // at once costs little and keeps this simple.
                for descriptor in openDirectories.values where descriptor != current {
                    close(descriptor)
                    made.remove(descriptor)
                }
                openDirectories = openDirectories.filter { $0.value == current }
            }
            openDirectories[walked] = next
            current = next
        }
        return current
    }

    /// Writes a file: `body` writes the data to the descriptor it is given
    /// (an ``UnnamedFile``, nameless until then) and returns whether to
    /// keep it; the file then gets its mode and time and is linked under
    /// `name`. Without `overwrite`, an existing name (even one appearing
    /// meanwhile) fails the entry and is left as it was.
    func writeFile(in parent: CInt, name: String, path: String, mode: mode_t, modified: timespec?,
                   overwrite: Bool, _ body: (CInt) throws(ZipError) -> Bool) throws(ZipError) {
        let file: UnnamedFile
        do { file = try UnnamedFile(in: parent, hint: name) } catch { throw Self.error(error, path) }
        guard try body(file.descriptor) else { return }
        guard fchmod(file.descriptor, mode) == 0 else { throw Self.error("chmod", path) }
        if let modified { setTimes(fd: file.descriptor, modified) }
        do {
            try file.link(as: name, replacing: overwrite)
        } catch {
            throw Self.error(error, path)
        }
    }

    /// The entry's error for a failed link or replacement of `path`.
    static func error(_ failure: UnnamedFile.LinkError, _ path: String) -> ZipError {
        switch failure {
        case .exists: ZipError(.fileExists, detail: "\(path) is kept (overwriting was not asked for)")
        case .isDirectory: ZipError(.fileExists, detail: "\(path) is a directory")
        case .system(let failure): error(failure, path)
        }
    }

    static func error(_ failure: SystemError, _ path: String) -> ZipError {
        error(failure.operation, path, code: failure.code)
    }

    /// Makes a directory entry's directory (it may exist already).
    func makeDirectory(in parent: CInt, name: String, path: String) throws(ZipError) {
        guard mkdirat(parent, name, 0o700) == 0 || errno == EEXIST else { throw Self.error("mkdir", path) }
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw ZipError(.fileExists, detail: "\(path) exists and is not a directory")
        }
    }

    /// Gives a directory its final mode and time, after its contents.
    func finishDirectory(_ components: [String], mode: mode_t, modified: timespec?) {
        let parent: CInt
        do { parent = try directory(components.dropLast(), create: false) } catch { return }
        guard let name = components.last else {
            fchmod(root, mode)
            return
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fchmod(fd, mode)
        if let modified { setTimes(fd: fd, modified) }
    }

    /// Makes a symbolic link `name` with `target`; an existing name fails
    /// the entry unless `overwrite` (and is never a directory replaced).
    func makeSymlink(in parent: CInt, name: String, target: String, path: String, overwrite: Bool,
                     modified: timespec?) throws(ZipError) {
        if symlinkat(target, parent, name) != 0 {
            guard errno == EEXIST else { throw Self.error("symlink", path) }
            guard overwrite else { throw Self.error(UnnamedFile.LinkError.exists, path) }
            do {
                try UnnamedFile.replace(name, in: parent, operation: "symlink") { symlinkat(target, parent, $0) == 0 }
            } catch {
                throw Self.error(error, path)
            }
        }
        if let modified {
            var times = [modified, modified]  // access and modification, as unzip sets them
            utimensat(parent, name, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// Removes a symbolic link made by this run (its target turned out to
    /// lead outside once later links existed).
    func removeSymlink(_ components: [String]) {
        guard let name = components.last, let parent = try? directory(components.dropLast(), create: false) else { return }
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFLNK else { return }
        unlinkat(parent, name, 0)
    }

    /// Whether the symbolic link at `components`, resolved on the disk as
    /// the kernel would (through every link on the way, at most 40), stays
    /// inside the root. A missing component is taken as a directory: it
    /// could be made later, and inside it the rest resolves lexically.
    func linkStaysInside(_ components: [String]) -> Bool {
        var stack = Array(components.dropLast())  // the link's own directory
        guard let name = components.last else { return false }
        var pending: [String] = [name]  // what is left to resolve, reversed
        pending.reverse()
        var hops = 0
        while let component = pending.popLast() {
            switch component {
            case "", ".": continue
            case "..":
                guard stack.popLast() != nil else { return false }
                continue
            default: break
            }
            guard let parent = try? directory(ArraySlice(stack), create: false) else {
                // A file or link in the way: the kernel would fail there.
                stack.append(component)
                continue
            }
            var buffer = [CChar](repeating: 0, count: 4097)
            let length = readlinkat(parent, component, &buffer, 4096)
            guard length >= 0 else {
                stack.append(component)  // not a link (or missing): a plain step
                continue
            }
            hops += 1
            guard hops <= 40, length < 4096 else { return false }
            let target = String(decoding: buffer[0 ..< length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard !target.hasPrefix("/") else { return false }
            pending += target.split(separator: "/", omittingEmptySubsequences: false).map(String.init).reversed()
        }
        return true
    }

    private func setTimes(fd: CInt, _ modified: timespec) {
        var times = [modified, modified]  // access and modification, as unzip sets them
        futimens(fd, &times)
    }
}
