#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles
import ZipIndex

/// Writes modules and packages into a directory so that the very next find
/// sees them: PJ Eby's `write_module` / `write_package` (python-dev, 2013).
///
/// Each file is written atomically: as an unnamed file in the same
/// directory, `fsync`ed, then linked over the target in one step, and the
/// directory is `fsync`ed. Then the listings of the directories it changed are
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
        if Platform.makeDirectory(path: path.bytes, mode: 0o755) == 0 { return }
        let number = errno
        if number == EEXIST, FileIdentity.of(path: path)?.kind == .directory { return }
        errno = number
        throw FileIO.systemError(number == EEXIST ? .notADirectory : .writeFailed, path.description, "mkdir")
    }

    /// An unnamed file in the target's directory, written, `fsync`ed and
    /// linked over the target in one step, then an `fsync` of the
    /// directory: a reader sees the old module or the new one, never part
    /// of either, and a crash leaves no temporary file behind.
    static func writeAtomically(_ bytes: [UInt8], to target: SystemPath) throws(ImporterError) {
        let (directory, file) = PathSplitting.split(target)
        let directoryPath = directory.isEmpty ? SystemPath("/") : directory
        let directoryDescriptor = Platform.open(path: directoryPath.bytes, O_RDONLY | O_DIRECTORY | O_CLOEXEC) ?? -1
        guard directoryDescriptor >= 0 else { throw FileIO.systemError(.writeFailed, directoryPath.description, "open") }
        defer { close(directoryDescriptor) }
        guard let name = file.string else {
            throw ImporterError(.writeFailed, path: target.description, detail: "the file name is not valid UTF-8")
        }
        do throws(SystemError) {
            let unnamed = try UnnamedFile(in: directoryDescriptor, hint: name, mode: 0o644)
            try FileDescriptorIO.writeAll(unnamed.descriptor, bytes)
            guard fsync(unnamed.descriptor) == 0 else { throw SystemError("fsync") }
            do {
                try unnamed.link(as: name, replacing: true)
            } catch {
                switch error {
                case .system(let failure): throw failure
                case .exists, .isDirectory: throw SystemError("link", code: EISDIR)
                }
            }
        } catch {
            throw FileIO.systemError(.writeFailed, target.description, failure: error)
        }
        // Make the link durable; failure here does not undo the write.
        _ = fsync(directoryDescriptor)
    }
}
