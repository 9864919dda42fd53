/// A finder for one search-path entry: a ``ZipImporter`` (an archive, or a
/// directory inside one) or a ``DirectoryFinder``. The analogue of
/// importlib's path entry finders, which double as loaders here.
public protocol ModuleFinder: AnyObject, Sendable {
    /// The spec of the module named by the last dotted component of
    /// `fullname`, relative to this entry, or nil. Never throws: an entry
    /// that has gone away finds nothing.
    func findSpec(_ fullname: String) -> ModuleSpec?
    /// The bytes of the file at `path` (for example a spec's origin).
    func data(_ path: String) throws(ImporterError) -> [UInt8]
    /// Invalidates this entry's cache (shared with every other finder of the
    /// same archive or directory). O(1), no I/O.
    func invalidateCaches()
    /// When this entry's cache is checked against the file system. Shared by
    /// every finder of the same archive or directory.
    var policy: CachePolicy { get set }
    /// The counters of this entry's cache (shared as the cache is).
    var statistics: CacheStatistics { get }
}
