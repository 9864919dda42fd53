import SystemFiles
import ZipIndex

/// A finder and loader for modules in a zip archive: CPython 3.13's
/// `zipimport.zipimporter`, ported, with a shared, lazily invalidated cache.
///
/// `ZipImporter(path: "app.zip")` searches the archive's root;
/// `ZipImporter(path: "app.zip/lib/pkg")` searches under the prefix
/// `lib/pkg/`. The archive is the longest prefix of the path that is a
/// regular file, as zipimport splits it.
///
/// Resolution is zipimport's: only the last dotted component of a name is
/// used, relative to the prefix; `p/__init__` plus each suffix is tried
/// first, then `p` plus each suffix; names are case-sensitive; a directory
/// with no marker is a namespace portion. Unlike CPython 3.13, a directory
/// implied only by deeper names (no entry of its own) counts too, as in 3.14
/// (gh-121111).
///
/// Every importer of an archive shares one table in an ``ImportCache``;
/// see ``ImportCache`` and ``CachePolicy`` for when it is revalidated.
/// All methods are safe to call from any thread.
public final class ZipImporter: ModuleFinder {
    /// The archive's path as given (zipimport's `archive`), used in origins.
    /// A path that is not valid UTF-8 shows its other bytes as `\xNN`
    /// here; ``archivePath`` has them exactly.
    public let archive: String
    /// The archive's path as given, as bytes.
    public let archivePath: SystemPath
    /// The directory inside the archive that this importer searches: "" or
    /// a path ending in "/" (zipimport's `prefix`).
    public let prefix: String
    /// The module layout.
    public let layout: ModuleLayout

    let cached: CachedArchive
    /// `archive + "/"`, the head of every origin and location.
    private let archiveHead: [UInt8]
    private let prefixBytes: [UInt8]
    /// `"/" + marker + suffix` for each suffix.
    private let packageTails: [[UInt8]]
    private let moduleTails: [[UInt8]]
    /// Whether every suffix starts with ".", so that the table's `stems`
    /// can rule module candidates out.
    private let stemsRuleOutModules: Bool

    /// Opens the archive named by `path` (optionally followed by a directory
    /// inside it), reading its central directory unless the cache already
    /// holds a table for the same file.
    ///
    /// - Throws: ``ImporterError`` `.emptyPath`, `.notFound` (no prefix of
    ///   the path exists), `.notARegularFile`, `.unreadable` or
    ///   `.notAZipArchive`.
    public convenience init(path: String, layout: ModuleLayout = .python, cache: ImportCache = .shared) throws(ImporterError) {
        try self.init(path: SystemPath(path), layout: layout, cache: cache)
    }

    /// Opens the archive named by `path`, whose bytes need not be UTF-8
    /// (CPython's paths with surrogate escapes), as ``init(path:layout:cache:)-(String,_,_)``.
    /// The part inside the archive matches member names only where it is
    /// valid UTF-8.
    public init(path: SystemPath, layout: ModuleLayout = .python, cache: ImportCache = .shared) throws(ImporterError) {
        let environment = cache.context.environment
        let (archive, prefix, stamp) = try PathSplitting.splitArchivePath(path) { environment.stat($0) }
        self.archive = archive.description
        archivePath = archive
        self.prefix = prefix.description
        self.layout = layout
        cached = cache.archive(canonicalPath: PathSplitting.canonical(archive))
        archiveHead = Array((self.archive + "/").utf8)
        prefixBytes = prefix.bytes
        packageTails = layout.suffixes.map { Array(("/" + layout.packageMarker + $0).utf8) }
        moduleTails = layout.suffixes.map { Array($0.utf8) }
        stemsRuleOutModules = layout.suffixes.allSatisfy { $0.hasPrefix(".") }
        do {
            _ = try cached.openTable(observed: stamp)
        } catch {
            throw ImporterError(error.code, path: self.archive, zipError: error.zipError, detail: error.detail)
        }
    }

    // MARK: Finding

    /// The spec of the module named by the last dotted component of
    /// `fullname`, or nil. Returns nil, never throws, when the archive has
    /// been deleted or become unreadable (bpo-45183).
    ///
    /// On a valid cache this takes no lock for long and does no I/O. It
    /// allocates nothing on a miss, nor on a hit on a module or regular
    /// package: the spec keeps the archive entry and makes its `origin` and
    /// search locations when they are read.
    public func findSpec(_ fullname: String) -> ModuleSpec? {
        guard case .loaded(let table) = cached.state() else { return nil }
        return lookup(fullname, in: table) { match, member, base, entry in
            switch (match, entry) {
            case (.package, let entry?):
                // The spec keeps the entry: strings are made only if asked for.
                return ModuleSpec(name: fullname, archive: archive, entry: entry,
                                  packageMarkerLength: member.count - base, loader: self)
            case (.module, let entry?):
                return ModuleSpec(name: fullname, archive: archive, entry: entry, packageMarkerLength: nil, loader: self)
            default:
                return .namespace(fullname, locations: [archiveString(member)])
            }
        }
    }

    /// Whether `fullname` is a regular package (zipimport's `is_package`).
    ///
    /// - Throws: ``ImporterError`` `.moduleNotFound` if there is no such
    ///   module or package (a namespace portion does not count, as in CPython).
    public func isPackage(_ fullname: String) throws(ImporterError) -> Bool {
        switch lookup(fullname, in: try loadedTable(), { match, _, _, _ in match }) {
        case .package: return true
        case .module: return false
        case .namespace, nil: throw ImporterError(.moduleNotFound, path: fullname)
        }
    }

    /// What the last dotted component of `fullname` resolves to, and the
    /// member that holds it: the first of `p/__init__` plus each suffix,
    /// then `p` plus each suffix, else the directory `p` (a namespace
    /// portion), as ``findSpec(_:)`` resolves it. For hosts that build
    /// their own specs (the CPython bridge); nil when nothing matches or
    /// the archive is unavailable.
    public func findMember(_ fullname: String) -> ModuleMember? {
        guard case .loaded(let table) = cached.state() else { return nil }
        return lookup(fullname, in: table) { match, member, _, _ in
            let kind: ModuleMember.Kind = switch match {
            case .package: .package
            case .module: .module
            case .namespace: .namespace
            }
            return ModuleMember(kind: kind, path: member.decodedString)
        }
    }

    /// The entry named `name` (relative to the archive's root, "/"
    /// separated) in the current table, or nil. Its DOS time and sizes are
    /// what `.pyc` staleness checks compare with; read it with ``data(_:)``.
    public func entry(named name: String) -> ZipEntry? {
        guard case .loaded(let table) = cached.state() else { return nil }
        return table.archive.entry(named: name)
    }

    /// The name of every member, in central-directory order (duplicates
    /// included); empty when the archive is unavailable.
    public var memberNames: [String] {
        guard case .loaded(let table) = cached.state() else { return [] }
        return table.archive.entries.map(\.name)
    }

    /// Whether `path` (relative to the archive's root, without a trailing
    /// "/") is a directory: an entry of its own, or implied by deeper names.
    public func directoryExists(_ path: String) -> Bool {
        guard case .loaded(let table) = cached.state() else { return false }
        return table.archive.directoryExists(path)
    }

    /// The names directly inside the directory `path` (relative to the
    /// archive's root; "" for the root), directories ending in "/", in
    /// central-directory order; empty when there is no such directory or
    /// the archive is unavailable.
    public func contentsOfDirectory(_ path: String) -> [String] {
        guard case .loaded(let table) = cached.state() else { return [] }
        return table.archive.contentsOfDirectory(path)
    }

    // MARK: Reading

    /// The bytes of a member: `path` is either an origin-style path
    /// (`archive/inner/path`) or relative to the archive's root (not to the
    /// prefix), as zipimport's `get_data`.
    ///
    /// Reads are verified (local header name, size, CRC-32). If they fail and
    /// the archive's identity has changed since its table was read (it was
    /// rewritten in place without an invalidation), the table is reloaded
    /// once and the read retried, so the bytes of a different member are
    /// never returned (CPython 3.10–3.13 return them). After an atomic
    /// rename-replace without invalidation, reads still see the replaced
    /// file, consistently with the cached table, until the next revalidation.
    ///
    /// - Throws: ``ImporterError`` `.resourceNotFound`, `.invalidMember`
    ///   (with the `ZipError`), or `.archiveUnavailable`.
    public func data(_ path: String) throws(ImporterError) -> [UInt8] {
        let root = archive + "/"
        let key = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
        return try readMember(key)
    }

    /// The bytes of the member named exactly `name` (relative to the
    /// archive's root), verified and, like ``data(_:)``, never stale.
    ///
    /// - Throws: as ``data(_:)``.
    public func data(member name: String) throws(ImporterError) -> [UInt8] {
        try readMember(name)
    }

    /// The source of `fullname` (its `__init__` for a package), decoded as
    /// UTF-8.
    ///
    /// - Throws: ``ImporterError`` `.moduleNotFound` (also for a namespace
    ///   portion, as CPython), `.invalidUTF8`, or what ``data(_:)`` throws.
    public func source(for fullname: String) throws(ImporterError) -> String {
        let member: String? = lookup(fullname, in: try loadedTable()) { match, member, _, _ in
            if case .namespace = match { return nil }
            return member.decodedString
        } ?? nil
        guard let member else { throw ImporterError(.moduleNotFound, path: fullname) }
        return try ModuleSpec.decodeSource(readMember(member), path: archive + "/" + member)
    }

    /// The names directly inside package `fullname` (regular or namespace),
    /// relative to it, directories ending in "/", in central-directory order:
    /// the package's resources and submodules.
    ///
    /// - Throws: ``ImporterError`` `.moduleNotFound`, `.notAPackage`, or
    ///   `.archiveUnavailable`.
    public func resources(in fullname: String) throws(ImporterError) -> [String] {
        let table = try loadedTable()
        let found = lookup(fullname, in: table) { match, member, base, _ -> (Match, String) in
            (match, member.extracting(0 ..< base).decodedString)
        }
        switch found {
        case (.package, let directory)?, (.namespace, let directory)?:
            return table.archive.contentsOfDirectory(directory)
        case (.module, _)?:
            throw ImporterError(.notAPackage, path: fullname)
        case nil:
            throw ImporterError(.moduleNotFound, path: fullname)
        }
    }

    // MARK: Cache

    /// Invalidates this archive's table for every importer of it, in O(1)
    /// with no I/O; the next lookup revalidates it.
    public func invalidateCaches() {
        cached.invalidate()
    }

    /// Whether lookups will answer from the cached table (or the cached
    /// knowledge that the archive is unavailable) without touching the file
    /// system: false after an invalidation, or once the time-to-live has
    /// passed. A host that must
    /// not block while holding a lock of its own (CPython's GIL) releases
    /// it around lookups when this is false.
    public var tableIsCurrent: Bool { cached.isCurrent }

    /// When this archive's table is checked against the file (shared by
    /// every importer of the archive). Default: ``CachePolicy/archiveDefault``.
    public var policy: CachePolicy {
        get { cached.slot.policy }
        set { cached.slot.policy = newValue }
    }

    /// This archive's cache counters (shared by every importer of it).
    public var statistics: CacheStatistics { cached.slot.counters.snapshot }

    // MARK: Resolution

    private enum Match {
        case package
        case module
        case namespace
    }

    private func loadedTable() throws(ImporterError) -> ArchiveTable {
        switch cached.state() {
        case .loaded(let table): return table
        case .unavailable(let error):
            throw ImporterError(.archiveUnavailable, path: archive, zipError: error.zipError, detail: error.detail)
        }
    }

    /// Resolves the last dotted component of `fullname` as zipimport does
    /// and, if something is found, calls `body` with what, the member's
    /// archive-relative path (for a namespace portion, the directory), the
    /// length of `prefix + component` within it, and the member's entry.
    ///
    /// Candidates (`prefix + component + "/__init__" + suffix`, then
    /// `prefix + component + suffix`) are composed on the stack and looked
    /// up as bytes: a miss creates no `String` and allocates nothing. The
    /// archive's directory index and the table's stems rule most
    /// candidates out first.
    private func lookup<Result>(_ fullname: String, in table: ArchiveTable,
                                _ body: (Match, Span<UInt8>, Int, ZipEntry?) -> Result) -> Result? {
        let utf8 = fullname.utf8.span
        var name = CandidateName()
        name.append(prefixBytes)
        name.append(utf8.extracting(Self.lastComponentStart(utf8) ..< utf8.count))
        let base = name.count
        let archive = table.archive
        func candidate(_ suffix: [UInt8], _ match: Match) -> Result? {
            name.truncate(to: base)
            name.append(suffix)
            return name.withBytes { member in archive.entry(utf8Name: member).map { body(match, member, base, $0) } }
        }
        let isDirectory = name.withBytes { archive.directoryExists(utf8: $0) }
        if isDirectory {
            for suffix in packageTails {
                if let found = candidate(suffix, .package) { return found }
            }
        }
        name.truncate(to: base)
        if !stemsRuleOutModules || name.withBytes({ table.stems.contains($0) }) {
            for suffix in moduleTails {
                if let found = candidate(suffix, .module) { return found }
            }
        }
        guard isDirectory else { return nil }
        name.truncate(to: base)
        return name.withBytes { body(.namespace, $0, base, nil) }
    }

    /// `archive + "/" + member`, composed on the stack and copied once
    /// into the string.
    private func archiveString(_ member: Span<UInt8>) -> String {
        var path = CandidateName()
        path.append(archiveHead)
        path.append(member)
        return path.withBytes { $0.decodedString }
    }

    /// The last dotted component of `fullname` (`c` of `a.b.c`).
    static func lastComponent(_ fullname: String) -> Substring {
        let utf8 = fullname.utf8
        return Substring(utf8[utf8.index(utf8.startIndex, offsetBy: lastComponentStart(utf8.span))...])
    }

    /// Where the last dotted component starts in a name's UTF-8: after the
    /// last `.`, found by reading back from the end. (The generic `String`
    /// search and a `Substring` cost more than the rest of a miss.)
    private static func lastComponentStart(_ utf8: Span<UInt8>) -> Int {
        var start = utf8.count
        while start > 0, utf8[start - 1] != UInt8(ascii: ".") { start -= 1 }
        return start
    }

    private func readMember(_ name: String) throws(ImporterError) -> [UInt8] {
        var table = try loadedTable()
        var retried = false
        while true {
            guard let entry = table.archive.entry(named: name) else {
                throw ImporterError(.resourceNotFound, path: archive + "/" + name)
            }
            do {
                return try table.archive.read(entry)
            } catch {
                // A failed check on a file whose identity moved (or cannot be
                // trusted) means the table is stale, not that the data is bad.
                if !retried, cached.mayHaveChanged(since: table) {
                    retried = true
                    switch cached.reload(replacing: table) {
                    case .loaded(let fresh):
                        table = fresh
                        continue
                    case .unavailable(let failure):
                        throw ImporterError(.archiveUnavailable, path: archive, zipError: failure.zipError, detail: failure.detail)
                    }
                }
                throw ImporterError(.invalidMember, path: archive + "/" + name, zipError: error)
            }
        }
    }
}
