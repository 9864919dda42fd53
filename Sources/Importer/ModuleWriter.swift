#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Writes modules and packages into a directory so that the very next find
/// sees them: PJ Eby's `write_module` / `write_package` (python-dev, 2013).
///
/// Each file is written atomically: to a temporary file in the same
/// directory, `fsync`ed, then renamed over the target, and the directory is
/// `fsync`ed. Then the listings of the directories it changed are
/// invalidated in the ``ImportCache``, so the next `findSpec` through any
/// finder sharing that cache re-lists them. This does not depend on the
/// directory's mtime moving, so it holds whatever the file system's
/// timestamp granularity.
public struct ModuleWriter: Sendable {
    /// The layout: the first suffix is used for the file written.
    public let layout: ModuleLayout
    /// The cache whose listings are invalidated after each write.
    public let cache: ImportCache

    /// Creates a writer.
    public init(layout: ModuleLayout = .python, cache: ImportCache = .shared) {
        self.layout = layout
        self.cache = cache
    }

    /// Writes module `name` into `directory`: `pkg.mod` becomes
    /// `directory/pkg/mod.py`. Missing parent directories are created (as
    /// namespace portions; write their packages first for regular ones).
    ///
    /// - Returns: the path of the file written.
    /// - Throws: ``ImporterError`` `.invalidModuleName`, `.notADirectory`
    ///   or `.writeFailed`.
    @discardableResult
    public func writeModule(_ name: String, source: String, into directory: String) throws(ImporterError) -> String {
        try write(name, bytes: Array(source.utf8), into: SystemPath(directory), package: false).description
    }

    /// Writes package `name` into `directory`: `pkg` becomes
    /// `directory/pkg/__init__.py` holding `source`.
    ///
    /// - Returns: the path of the marker file written.
    /// - Throws: ``ImporterError`` `.invalidModuleName`, `.notADirectory`
    ///   or `.writeFailed`.
    @discardableResult
    public func writePackage(_ name: String, source: String = "", into directory: String) throws(ImporterError) -> String {
        try write(name, bytes: Array(source.utf8), into: SystemPath(directory), package: true).description
    }

    /// Writes module (or, with `package`, package) `name` holding exactly
    /// `contents` (source in any encoding its coding declaration names)
    /// into `directory`, whose path need not be UTF-8.
    ///
    /// - Returns: the path of the file written.
    /// - Throws: as ``writeModule(_:source:into:)``.
    @discardableResult
    public func write(_ name: String, contents: [UInt8], into directory: SystemPath, package: Bool = false)
        throws(ImporterError) -> SystemPath {
        try write(name, bytes: contents, into: directory, package: package)
    }

    private func write(_ name: String, bytes: [UInt8], into directory: SystemPath, package: Bool) throws(ImporterError) -> SystemPath {
        let components = name.split(separator: ".", omittingEmptySubsequences: false).map { SystemPath(String($0)) }
        guard let suffix = layout.suffixes.first else {
            throw ImporterError(.invalidModuleName, path: name, detail: "the layout has no suffix")
        }
        guard let last = components.last, components.allSatisfy(Self.isValidComponent) else {
            throw ImporterError(.invalidModuleName, path: name)
        }
        guard let root = PathSplitting.absolute(directory),
              cache.context.environment.stat(root)?.kind == .directory else {
            throw ImporterError(.notADirectory, path: directory.description)
        }
        var parent = root
        var changed = [root]
        for component in components.dropLast() {
            parent = PathSplitting.join([parent, component])
            try Self.makeDirectory(parent)
            changed.append(parent)
        }
        let target: SystemPath
        if package {
            let packageDirectory = PathSplitting.join([parent, last])
            try Self.makeDirectory(packageDirectory)
            changed.append(packageDirectory)
            target = PathSplitting.join([packageDirectory, SystemPath(layout.packageMarker + suffix)])
        } else {
            target = PathSplitting.join([parent, last + SystemPath(suffix)])
        }
        try Self.writeAtomically(bytes, to: target)
        for changedDirectory in changed {
            if let key = PathSplitting.canonical(changedDirectory).string {
                cache.invalidateDirectory(canonicalPath: key)
            }
        }
        return target
    }

    private static func isValidComponent(_ component: SystemPath) -> Bool {
        !component.isEmpty && component != "." && component != ".."
            && !component.bytes.contains(SystemPath.separator) && !component.bytes.contains(0)
    }

    private static func makeDirectory(_ path: SystemPath) throws(ImporterError) {
        if path.withCString({ mkdir($0, 0o755) }) == 0 { return }
        let number = errno
        if number == EEXIST, FileStamp.of(path: path)?.kind == .directory { return }
        errno = number
        throw FileIO.systemError(number == EEXIST ? .notADirectory : .writeFailed, path.description, "mkdir")
    }

    private static let temporaryCounter = Atomic<UInt64>(0)

    /// Temporary file, `fsync`, `rename`, then `fsync` of the directory.
    static func writeAtomically(_ bytes: [UInt8], to target: SystemPath) throws(ImporterError) {
        let (directory, file) = PathSplitting.split(target)
        let serial = temporaryCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let temporary = PathSplitting.join([directory, "." + file + SystemPath(".\(getpid()).\(serial).tmp")])
        let fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) } ?? -1
        guard fd >= 0 else { throw FileIO.systemError(.writeFailed, temporary.description, "open") }
        var failure: ImporterError?
        var written = 0
        while written < bytes.count, failure == nil {
            let n = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + written, buffer.count - written)
            }
            if n > 0 {
                written += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                failure = FileIO.systemError(.writeFailed, temporary.description, "write")
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = FileIO.systemError(.writeFailed, temporary.description, "fsync") }
        if close(fd) != 0, failure == nil { failure = FileIO.systemError(.writeFailed, temporary.description, "close") }
        if failure == nil {
            let renamed = temporary.withCString { from in target.withCString { to in rename(from, to) } ?? -1 } ?? -1
            if renamed != 0 { failure = FileIO.systemError(.writeFailed, target.description, "rename") }
        }
        if let failure {
            _ = temporary.withCString { unlink($0) }
            throw failure
        }
        // Make the rename durable; failure here does not undo the write.
        let directoryDescriptor = (directory.isEmpty ? "/" : directory).withCString {
            open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } ?? -1
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
