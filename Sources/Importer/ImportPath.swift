import Synchronization

/// An ordered search path of directories and zip archives: the analogue of
/// `sys.path` with importlib's `PathFinder`.
///
/// ```swift
/// let path = ImportPath(["/app/lib", "/app/deps.zip", "/app/plugins.zip/py"])
/// if let spec = path.findSpec("pkg.sub.mod"), let origin = spec.origin {
///     let source = try spec.source()
/// }
/// ```
///
/// `findSpec("a.b.c")` resolves as `importlib.util.find_spec` does (without
/// executing anything): it finds `a` on the path, then `b` in `a`'s search
/// locations, then `c`. At each level the entries are tried in order: the
/// first module or regular package wins, and namespace portions accumulate
/// across entries, in path order, into one namespace package if nothing
/// else is found.
///
/// Path hooks turn each entry into a finder: a ``ZipImporter`` if the
/// longest existing prefix of the entry is a zip archive, else a
/// ``DirectoryFinder`` if it is a directory, else none. Finders are cached
/// per entry (the `sys.path_importer_cache` analogue); an entry that had no
/// finder, or a relative one, is looked at again after a global
/// invalidation, as `PathFinder.invalidate_caches` drops them.
///
/// Safe to use from any thread.
public final class ImportPath: Sendable {
    /// The module layout given to every finder.
    public let layout: ModuleLayout
    /// The cache every finder of this path uses.
    public let cache: ImportCache

    private let state: Mutex<State>

    private struct State {
        var entries: [String]
        var version: UInt64 = 0
        var finders: [String: Slot] = [:]
        var resolved: Resolved?
    }

    private enum Slot {
        case finder(any ModuleFinder, epoch: UInt64, relative: Bool)
        case none(epoch: UInt64)
    }

    /// The finders of the entries, in order, resolved once and reused until
    /// the entries change (or, for entries without a finder or relative
    /// ones, until the global epoch moves).
    private final class Resolved: Sendable {
        let finders: [(any ModuleFinder)?]
        let version: UInt64
        let epoch: UInt64
        let dependsOnEpoch: Bool

        init(finders: [(any ModuleFinder)?], version: UInt64, epoch: UInt64, dependsOnEpoch: Bool) {
            self.finders = finders
            self.version = version
            self.epoch = epoch
            self.dependsOnEpoch = dependsOnEpoch
        }
    }

    /// Creates a search path.
    public init(_ entries: [String] = [], layout: ModuleLayout = .python, cache: ImportCache = .shared) {
        self.layout = layout
        self.cache = cache
        state = Mutex(State(entries: entries))
    }

    /// The entries, in search order. Directories, archives, or directories
    /// inside archives (`app.zip/lib`); "" is the current directory.
    public var entries: [String] {
        get { state.withLock { $0.entries } }
        set {
            state.withLock { state in
                state.entries = newValue
                state.version &+= 1
                state.resolved = nil
            }
        }
    }

    /// Adds an entry at the end.
    public func append(_ entry: String) {
        state.withLock { state in
            state.entries.append(entry)
            state.version &+= 1
            state.resolved = nil
        }
    }

    // MARK: Finding

    /// The spec of the fully qualified module `fullname`, or nil.
    public func findSpec(_ fullname: String) -> ModuleSpec? {
        guard !fullname.isEmpty else { return nil }
        // The common case, a top-level name, without splitting.
        if !fullname.utf8.contains(UInt8(ascii: ".")) {
            return find(fullname, finders: entryFinders())
        }
        let components = fullname.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = components.first, !components.contains(where: \.isEmpty),
              var spec = find(String(first), finders: entryFinders()) else { return nil }
        var name = String(first)
        for component in components.dropFirst() {
            guard let locations = spec.submoduleSearchLocations else { return nil }
            name += "."
            name += component
            guard let next = find(name, finders: locations.map { finder(for: $0) }) else { return nil }
            spec = next
        }
        return spec
    }

    /// The finder for `entry`, from the finder cache or made by the path
    /// hooks (and cached, even when there is none).
    public func finder(for entry: String) -> (any ModuleFinder)? {
        let key: String
        if entry.isEmpty {
            // As PathFinder: "" is the current directory, looked up anew each time.
            guard let cwd = PathSplitting.currentDirectory()?.description else { return nil }
            key = cwd
        } else {
            key = entry
        }
        let epoch = cache.context.epoch.load(ordering: .acquiring)
        if let slot = state.withLock({ $0.finders[key] }) {
            switch slot {
            case .finder(let finder, let resolvedAt, let relative):
                if !relative || resolvedAt == epoch { return finder }
            case .none(let resolvedAt):
                if resolvedAt == epoch { return nil }
            }
        }
        let made = Self.pathHooks(key, layout: layout, cache: cache)
        let relative = !key.hasPrefix("/")
        state.withLock { state in
            state.finders[key] = made.map { .finder($0, epoch: epoch, relative: relative) } ?? .none(epoch: epoch)
        }
        return made
    }

    /// zipimporter first, then the directory hook, as `sys.path_hooks`.
    private static func pathHooks(_ entry: String, layout: ModuleLayout, cache: ImportCache) -> (any ModuleFinder)? {
        if let importer = try? ZipImporter(path: entry, layout: layout, cache: cache) { return importer }
        if let finder = try? DirectoryFinder(path: entry, layout: layout, cache: cache) { return finder }
        return nil
    }

    private func entryFinders() -> [(any ModuleFinder)?] {
        let epoch = cache.context.epoch.load(ordering: .acquiring)
        let resolved = state.withLock { state in state.resolved }
        if let resolved, !resolved.dependsOnEpoch || resolved.epoch == epoch {
            return resolved.finders
        }
        let (entries, version) = state.withLock { state in (state.entries, state.version) }
        var dependsOnEpoch = false
        let finders = entries.map { entry -> (any ModuleFinder)? in
            let finder = finder(for: entry)
            if finder == nil || !entry.hasPrefix("/") { dependsOnEpoch = true }
            return finder
        }
        let fresh = Resolved(finders: finders, version: version, epoch: epoch, dependsOnEpoch: dependsOnEpoch)
        state.withLock { state in
            if state.version == version { state.resolved = fresh }
        }
        return finders
    }

    /// PathFinder's `_get_spec` and `find_spec`: the first spec with a
    /// loader wins; namespace portions accumulate in order.
    private func find(_ name: String, finders: [(any ModuleFinder)?]) -> ModuleSpec? {
        var portions: [String] = []
        for case let finder? in finders {
            guard let spec = finder.findSpec(name) else { continue }
            if spec.loader != nil { return spec }
            portions.append(contentsOf: spec.submoduleSearchLocations ?? [])
        }
        return portions.isEmpty ? nil : .namespace(name, locations: portions)
    }

    // MARK: Invalidation

    /// Global invalidation (`importlib.invalidate_caches()`): every archive
    /// and directory in this path's cache revalidates on next use, except
    /// those that opted out. One atomic increment: O(1) however many entries
    /// and however large the archives (gh-103200).
    public func invalidateCaches() {
        cache.invalidateAll()
    }

    /// Targeted invalidation (Brett Cannon's 2013 proposal): invalidates only
    /// the finder whose entry is `path`, or the most specific cached entry
    /// that contains it. `path` may be a file under a directory entry, an
    /// archive, or a path inside an archive (`app.zip/pkg/mod.py`).
    /// Search locations of packages count as entries. O(1) for the cache
    /// itself; finding the entry walks the finder cache, with no I/O beyond
    /// resolving `path`.
    ///
    /// - Returns: whether a finder was invalidated.
    @discardableResult
    public func invalidateCaches(path: String) -> Bool {
        let targets = Set([PathSplitting.normalized(path), PathSplitting.canonical(path)])
        let finders: [any ModuleFinder] = state.withLock { state in
            state.finders.values.compactMap { slot in
                if case .finder(let finder, _, _) = slot { return finder }
                return nil
            }
        }
        var best: (length: Int, finder: any ModuleFinder)?
        for finder in finders {
            for location in Self.locations(of: finder) {
                let contained = targets.contains { target in
                    target == location || target.hasPrefix(location.hasSuffix("/") ? location : location + "/")
                }
                if contained, best.map({ location.count > $0.length }) ?? true {
                    best = (location.count, finder)
                }
            }
        }
        guard let best else { return false }
        best.finder.invalidateCaches()
        return true
    }

    /// The absolute forms (lexical and resolved) of what a finder covers.
    /// An importer also covers its archive file itself.
    private static func locations(of finder: any ModuleFinder) -> Set<String> {
        var result = Set<String>()
        if let importer = finder as? ZipImporter {
            let inner = importer.prefix.hasSuffix("/") ? String(importer.prefix.dropLast()) : importer.prefix
            for archive in [PathSplitting.normalized(importer.archive), importer.cached.path.description] {
                result.insert(archive)
                if !inner.isEmpty { result.insert(archive + "/" + inner) }
            }
        } else if let directory = finder as? DirectoryFinder {
            result.insert(PathSplitting.normalized(directory.path))
            result.insert(directory.cached.path)
        }
        return result
    }

    // MARK: Policy and statistics

    /// Sets the cache policy of `entry`'s archive or directory (shared with
    /// every other finder of it), for example a time-to-live, or opting out
    /// of global invalidation. Returns false if the entry has no finder.
    @discardableResult
    public func setPolicy(_ policy: CachePolicy, forEntry entry: String) -> Bool {
        guard let finder = finder(for: entry) else { return false }
        finder.policy = policy
        return true
    }

    /// The counters of every archive and directory this path has used, each
    /// counted once, summed. Counters are per archive or directory, so they
    /// include lookups made through other paths sharing the cache.
    public var statistics: CacheStatistics {
        let finders: [any ModuleFinder] = state.withLock { state in
            state.finders.values.compactMap { slot in
                if case .finder(let finder, _, _) = slot { return finder }
                return nil
            }
        }
        var seen = Set<ObjectIdentifier>()
        var total = CacheStatistics()
        for finder in finders {
            let identity: ObjectIdentifier
            if let importer = finder as? ZipImporter {
                identity = ObjectIdentifier(importer.cached)
            } else if let directory = finder as? DirectoryFinder {
                identity = ObjectIdentifier(directory.cached)
            } else {
                identity = ObjectIdentifier(finder)
            }
            if seen.insert(identity).inserted { total = total + finder.statistics }
        }
        return total
    }
}
