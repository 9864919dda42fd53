/// A finder for modules in a directory: the analogue of CPython's
/// `importlib.machinery.FileFinder`.
///
/// It caches the directory's listing (shared by every finder of the
/// directory, in an ``ImportCache``) and, by default, stats the directory on
/// every find, re-listing it when its identity changed, as `FileFinder` does
/// with the mtime. A listing taken within the timestamp granularity of the
/// directory's last change is racy and is re-listed on next use, so a
/// module created in the same tick is never missed. Invalidation is O(1).
///
/// Resolution is `FileFinder`'s: for the last dotted component `p`, if the
/// listing has `p`, then `p/__init__` plus each suffix (checked with a
/// `stat`, not the listing) makes a package; else `p` plus each suffix, if
/// listed and a regular file, makes a module; else a directory `p` is a
/// namespace portion. Case-sensitive.
public final class DirectoryFinder: ModuleFinder {
    /// The directory, made absolute as `FileFinder` does (not normalised).
    public let path: String
    /// The module layout.
    public let layout: ModuleLayout

    let cached: CachedDirectory
    private let environment: FileSystemEnvironment
    private let moduleTails: [[UInt8]]

    /// A finder for the directory at `path` ("" means the current directory).
    ///
    /// - Throws: ``ImporterError`` `.notFound` or `.notADirectory`.
    public init(path: String, layout: ModuleLayout = .python, cache: ImportCache = .shared) throws(ImporterError) {
        environment = cache.context.environment
        guard let absolute = PathSplitting.absolute(path), let stamp = environment.stat(absolute) else {
            throw ImporterError(.notFound, path: path)
        }
        guard stamp.kind == .directory else { throw ImporterError(.notADirectory, path: path) }
        self.path = absolute
        self.layout = layout
        cached = cache.directory(canonicalPath: PathSplitting.canonical(absolute))
        moduleTails = layout.suffixes.map { Array($0.utf8) }
    }

    /// The spec of the module named by the last dotted component of
    /// `fullname` in this directory, or nil.
    public func findSpec(_ fullname: String) -> ModuleSpec? {
        let names = cached.listing().names
        let tail = String(ZipImporter.lastComponent(fullname))
        var namespaceLocation: String?
        if isListed(tail, suffixFrom: nil, in: names) != nil {
            let base = PathSplitting.join(path, tail)
            for suffix in layout.suffixes {
                let marker = PathSplitting.join(base, layout.packageMarker + suffix)
                if environment.stat(marker)?.kind == .regular {
                    return ModuleSpec(name: fullname, origin: marker, isPackage: true,
                                      submoduleSearchLocations: [base], loader: self)
                }
            }
            if environment.stat(base)?.kind == .directory { namespaceLocation = base }
        }
        var next = isListed(tail, suffixFrom: 0, in: names)
        while let index = next, layout.suffixes.indices.contains(index) {
            let file = PathSplitting.join(path, tail + layout.suffixes[index])
            if environment.stat(file)?.kind == .regular {
                return ModuleSpec(name: fullname, origin: file, isPackage: false,
                                  submoduleSearchLocations: nil, loader: self)
            }
            next = isListed(tail, suffixFrom: index + 1, in: names)
        }
        return namespaceLocation.map { .namespace(fullname, locations: [$0]) }
    }

    /// The bytes of the file at `path` (absolute, or relative to the current
    /// directory), as `FileLoader.get_data`.
    ///
    /// - Throws: ``ImporterError`` `.resourceNotFound` or `.unreadable`.
    public func data(_ path: String) throws(ImporterError) -> [UInt8] {
        try FileIO.readFile(path)
    }

    /// Makes the next lookup re-list the directory, for every finder of it.
    /// O(1), no I/O.
    public func invalidateCaches() {
        cached.invalidate()
    }

    /// When this directory's listing is checked (shared by every finder of
    /// it). Default: ``CachePolicy/directoryDefault``, a `stat` per lookup.
    public var policy: CachePolicy {
        get { cached.slot.policy }
        set { cached.slot.policy = newValue }
    }

    /// This directory's cache counters (shared by every finder of it).
    public var statistics: CacheStatistics { cached.slot.counters.snapshot }

    /// With `suffixFrom == nil`: 0 if `tail` itself is listed, else nil.
    /// Otherwise the first suffix index `i >= suffixFrom` for which
    /// `tail + suffixes[i]` is listed. Composed on the stack.
    private func isListed(_ tail: String, suffixFrom first: Int?, in names: ByteStringSet) -> Int? {
        var name = CandidateName()
        name.append(tail.utf8.span)
        guard let first else { return name.withBytes { names.contains($0) } ? 0 : nil }
        guard first >= 0, first < moduleTails.count else { return nil }
        let base = name.count
        for index in first ..< moduleTails.count {
            name.truncate(to: base)
            name.append(moduleTails[index])
            if name.withBytes({ names.contains($0) }) { return index }
        }
        return nil
    }
}
