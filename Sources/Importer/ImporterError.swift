import ZipIndex

/// The one error type of the Importer library.
///
/// Finding never throws: `findSpec` answers nil for anything it cannot see,
/// including a deleted archive (bpo-45183 was a 3.10 regression that raised
/// instead). Errors come from opening an importer, from reading data and
/// from writing modules. Switch over ``code`` to handle a cause.
public struct ImporterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable {
        /// The path is empty (zipimport: "archive path is empty").
        case emptyPath
        /// No prefix of the path names an existing file (zipimport: "not a Zip file").
        case notFound
        /// The longest existing prefix of the path is not a regular file.
        case notARegularFile
        /// The file is not a zip archive that ZipIndex can read; ``ImporterError/zipError`` says why.
        case notAZipArchive
        /// The file exists but could not be opened or read (permissions, I/O).
        case unreadable
        /// The archive was deleted, or became unreadable, after the importer was made.
        case archiveUnavailable
        /// No module, package or namespace portion has that name.
        case moduleNotFound
        /// The name is a module, not a package, so it has no resources.
        case notAPackage
        /// `data(_:)` found no member or file with that path (CPython raises `OSError`).
        case resourceNotFound
        /// A member's data failed verification (local header, size or CRC-32)
        /// and reloading the archive did not help; ``ImporterError/zipError`` says how.
        case invalidMember
        /// The source is not valid UTF-8.
        case invalidUTF8
        /// The path is not a directory (``DirectoryFinder``, ``ModuleWriter``).
        case notADirectory
        /// A module name component is empty or is not a valid file name.
        case invalidModuleName
        /// Writing a module failed; ``ImporterError/detail`` has the system's message.
        case writeFailed
    }

    /// What went wrong.
    public let code: Code
    /// The path or name concerned, when there is one.
    public let path: String?
    /// The underlying ZipIndex error, when there is one.
    public let zipError: ZipError?
    /// Further detail for people.
    public let detail: String?

    /// Creates an error. Most callers only inspect errors; the library makes them.
    public init(_ code: Code, path: String? = nil, zipError: ZipError? = nil, detail: String? = nil) {
        self.code = code
        self.path = path
        self.zipError = zipError
        self.detail = detail
    }

    /// A sentence for people: the cause, the path, the ZipIndex error and any detail.
    public var description: String {
        var text = Self.summary(code)
        if let path { text += ": \(path)" }
        if let zipError { text += " (\(zipError))" }
        if let detail { text += " — \(detail)" }
        return text
    }

    private static func summary(_ code: Code) -> String {
        switch code {
        case .emptyPath: "archive path is empty"
        case .notFound: "not a zip file: no such file"
        case .notARegularFile: "not a zip file: not a regular file"
        case .notAZipArchive: "not a zip archive"
        case .unreadable: "cannot read the file"
        case .archiveUnavailable: "the archive is no longer available"
        case .moduleNotFound: "can't find module"
        case .notAPackage: "not a package"
        case .resourceNotFound: "no such resource"
        case .invalidMember: "member data failed verification"
        case .invalidUTF8: "source is not valid UTF-8"
        case .notADirectory: "not a directory"
        case .invalidModuleName: "invalid module name"
        case .writeFailed: "writing the module failed"
        }
    }
}
