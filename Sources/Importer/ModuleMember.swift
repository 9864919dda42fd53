/// What a name resolves to inside an archive, and the member that holds it:
/// the answer of ``ZipImporter/findMember(_:)``.
public struct ModuleMember: Sendable, Hashable {
    /// What kind of module the name is.
    public enum Kind: Sendable, Hashable {
        /// A module file (`p.py`).
        case module
        /// A regular package: `path` is its marker (`p/__init__.py`).
        case package
        /// A namespace portion: `path` is the directory, without a trailing "/".
        case namespace
    }

    /// What kind of module the name is.
    public let kind: Kind
    /// The member's path relative to the archive's root ("/" separated).
    public let path: String
}
