import SystemFiles
import ZipIndex

/// What a finder found: the analogue of `importlib.machinery.ModuleSpec`.
///
/// - A module: `origin` is its file, `isPackage` is false,
///   `submoduleSearchLocations` is nil.
/// - A regular package: `origin` is its marker file (`pkg/__init__.py`),
///   `submoduleSearchLocations` is `[".../pkg"]` (without a trailing "/").
/// - A namespace package: no `origin` and no `loader`; the search locations
///   are every portion found, in search-path order.
///
/// Inside an archive, paths are `archive/inner/path`, as zipimport's.
public struct ModuleSpec: Sendable, Equatable, CustomStringConvertible {
    /// The fully qualified name.
    public let name: String
    /// Whether the module is a package (regular or namespace).
    public let isPackage: Bool
    /// The finder that can read `origin`; nil for a namespace package.
    public let loader: (any ModuleFinder)?
    private let place: Place

    /// Where the module is. A member of an archive keeps its entry and
    /// makes its strings only when asked, so that a warm find that hits
    /// allocates nothing.
    private enum Place: Sendable {
        case paths(origin: String?, locations: [String]?)
        /// `archive + "/" + entry.name`; for a package, the location is that
        /// minus the last `trim` bytes (`"/__init__.py"`).
        case member(archive: String, entry: ZipEntry, trim: Int)
    }

    /// Where the module comes from; nil for a namespace package.
    public var origin: String? {
        switch place {
        case .paths(let origin, _): return origin
        case .member(let archive, let entry, _): return archive + "/" + entry.name
        }
    }

    /// Where to look for submodules; nil for a module that is not a package.
    public var submoduleSearchLocations: [String]? {
        switch place {
        case .paths(_, let locations): return locations
        case .member(let archive, let entry, let trim):
            guard isPackage else { return nil }
            let directory = entry.withUTF8Name { name in name.extracting(0 ..< max(0, name.count - trim)).decodedString }
            return [archive + "/" + directory]
        }
    }

    /// Whether this is a namespace package (no marker file, no loader).
    public var isNamespace: Bool { loader == nil }

    init(name: String, origin: String?, isPackage: Bool, submoduleSearchLocations: [String]?, loader: (any ModuleFinder)?) {
        self.name = name
        self.isPackage = isPackage
        self.loader = loader
        place = .paths(origin: origin, locations: submoduleSearchLocations)
    }

    /// A module or regular package that is the member `entry` of `archive`.
    init(name: String, archive: String, entry: ZipEntry, packageMarkerLength: Int?, loader: any ModuleFinder) {
        self.name = name
        isPackage = packageMarkerLength != nil
        self.loader = loader
        place = .member(archive: archive, entry: entry, trim: packageMarkerLength ?? 0)
    }

    static func namespace(_ name: String, locations: [String]) -> ModuleSpec {
        ModuleSpec(name: name, origin: nil, isPackage: true, submoduleSearchLocations: locations, loader: nil)
    }

    /// The module's source, decoded as UTF-8.
    ///
    /// - Throws: ``ImporterError`` `.moduleNotFound` for a namespace package,
    ///   `.invalidUTF8`, or whatever reading the origin throws.
    public func source() throws(ImporterError) -> String {
        guard let origin, let loader else {
            throw ImporterError(.moduleNotFound, path: name, detail: "a namespace package has no source")
        }
        return try Self.decodeSource(loader.data(origin), path: origin)
    }

    static func decodeSource(_ bytes: [UInt8], path: String) throws(ImporterError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImporterError(.invalidUTF8, path: path)
        }
        return text
    }

    /// Specs are equal when their names, origins, kinds and search locations
    /// are, and both or neither have a loader; which finder object loads them
    /// does not matter.
    public static func == (lhs: ModuleSpec, rhs: ModuleSpec) -> Bool {
        lhs.name == rhs.name && lhs.origin == rhs.origin && lhs.isPackage == rhs.isPackage
            && lhs.submoduleSearchLocations == rhs.submoduleSearchLocations
            && (lhs.loader == nil) == (rhs.loader == nil)
    }

    /// The name, origin, search locations and kind, for logs.
    public var description: String {
        var text = "ModuleSpec(name: \(name)"
        if let origin { text += ", origin: \(origin)" }
        if let submoduleSearchLocations { text += ", locations: \(submoduleSearchLocations)" }
        if isNamespace { text += ", namespace" }
        return text + ")"
    }
}
