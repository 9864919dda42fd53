/// How modules and packages are laid out in directories and archives.
///
/// The default is Python's: a package is a directory holding `__init__.py`,
/// a module is `name.py`. Both are configurable so that hosts with their
/// own conventions (and tests against CPython, which also tries `.pyc`)
/// can use the same resolution rules.
public struct ModuleLayout: Sendable, Hashable {
    /// The file suffixes tried, in order, for packages and then for modules.
    /// CPython's zipimport tries `[".pyc", ".py"]`.
    public var suffixes: [String]
    /// The name, without suffix, of the file that makes a directory a
    /// regular package.
    public var packageMarker: String

    /// Creates a layout.
    public init(suffixes: [String] = [".py"], packageMarker: String = "__init__") {
        self.suffixes = suffixes
        self.packageMarker = packageMarker
    }

    /// Python sources: `__init__` and `.py`.
    public static let python = ModuleLayout()
}
