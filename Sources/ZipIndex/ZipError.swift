/// The one error type of ZipIndex.
///
/// Every failure, from a missing file to a CRC mismatch, is a `ZipError`.
/// Switch over ``code`` to handle a cause; ``entry`` and ``offset`` say
/// where it happened when that is known, and ``description`` is a sentence
/// for people.
///
/// ```swift
/// do {
///     let bytes = try archive.read(entry)
/// } catch let error where error.code == .checksumMismatch {
///     print("corrupt:", error)
/// }
/// ```
public struct ZipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Sendable, Hashable, CaseIterable {
        /// The operating system refused an operation (open, stat, read).
        case io
        /// No end of central directory record was found: this is not a zip archive.
        case notAZipArchive
        /// The archive ends before a structure it declares (APPNOTE 4.3.6).
        case truncated
        /// The archive comment runs past the end of the file (Go issue 66869).
        case commentPastEndOfFile
        /// The archive spans several disks, which ZipIndex does not read.
        case multiDiskArchive
        /// The ZIP64 end of central directory locator or record is malformed
        /// or disagrees with the 32-bit end record (APPNOTE 4.3.14, 4.3.15).
        case invalidZip64EndRecord
        /// The central directory's offset or size does not fit in the file, or
        /// the data prepended to the archive cannot be accounted for.
        case invalidCentralDirectory
        /// A central directory header is malformed (APPNOTE 4.3.12).
        case invalidCentralDirectoryHeader
        /// The number of entries found differs from the number declared.
        case entryCountMismatch
        /// An extra field is malformed (APPNOTE 4.5).
        case invalidExtraField
        /// A name is not valid in the encoding its flags declare.
        case invalidName
        /// The archive is larger than this reader's table can index.
        case tooManyEntries
        /// An entry's local file header is missing or malformed (APPNOTE 4.3.7).
        case invalidLocalHeader
        /// The local header names a different file than the central directory.
        case localNameMismatch
        /// The local header disagrees with the central directory on what
        /// decides the entry's content: method, encryption or data-descriptor
        /// flags, CRC-32, sizes, or the Unicode Path field (APPNOTE 4.3.7).
        case localHeaderMismatch
        /// The archive's structure can be read more than one way: two end of
        /// central directory records that both end the file, or two central
        /// directories (with and without the prepended-data adjustment).
        /// Readers would list different entries (types C2 and C4 of *My ZIP
        /// isn't your ZIP*).
        case ambiguousStructure
        /// The data descriptor is not where the central directory's
        /// compressed size says the data ends, or disagrees with the central
        /// CRC-32 or sizes (APPNOTE 4.3.9).
        case dataDescriptorMismatch
        /// An entry's data lies outside the file.
        case entryOutOfBounds
        /// The entry uses a compression method ZipIndex cannot decode.
        case unsupportedMethod
        /// The entry is encrypted (traditional PKWARE, strong or WinZip AES).
        case encrypted
        /// The entry's data does not match its CRC-32.
        case checksumMismatch
        /// The entry's data is longer or shorter than its declared size.
        case sizeMismatch
        /// The compressed stream is corrupt.
        case corruptData
        /// The entry's data runs into another entry's local header, or
        /// several entries share one: an overlapping-entry zip bomb
        /// (David Fifield's full and quoted overlap; CVE-2019-13232).
        case overlappingEntries
        /// A ``ReadLimits`` cap was reached: entry size, total output,
        /// compression ratio or entry count.
        case limitExceeded
        /// The ``ZipEntry`` was listed by another ``ZipArchive`` (even one
        /// of the same file): pass entries to the archive that listed them.
        case foreignEntry
        /// Extraction: the entry's name is unsafe to extract
        /// (``ZipEntry/safeRelativePath`` is nil), so it was skipped.
        case unsafeName
        /// Extraction: an earlier entry maps to the same path (a duplicate,
        /// a name equal after normalising, or after case folding on a
        /// case-insensitive destination), so this one was skipped.
        case nameCollision
        /// Extraction: the path exists (and overwriting was not asked
        /// for), or a file or link is in the way of a directory.
        case fileExists
        /// Extraction: a symbolic link whose target leads outside the
        /// destination, so it was not made.
        case symlinkOutsideDestination
    }

    /// What went wrong.
    public let code: Code
    /// The entry concerned, when the error concerns one.
    public let entry: String?
    /// The absolute file offset where the problem was found, when known.
    public let offset: UInt64?
    /// Further detail: expected and actual values, the system's message.
    public let detail: String?

    /// Creates an error. Most callers only inspect errors; ZipIndex makes them.
    public init(_ code: Code, entry: String? = nil, offset: UInt64? = nil, detail: String? = nil) {
        self.code = code
        self.entry = entry
        self.offset = offset
        self.detail = detail
    }

    /// A copy of this error that names `entry`, unless it already names one.
    func naming(_ entry: String) -> ZipError {
        self.entry == nil ? ZipError(code, entry: entry, offset: offset, detail: detail) : self
    }

    public var description: String {
        // An operating-system error's detail names the path or operation
        // and the cause ("app.zip: no such file"): "input/output error"
        // before it would only mislead.
        var text = code == .io ? detail ?? Self.summary(code) : Self.summary(code)
        if let entry { text += " in entry \"\(entry)\"" }
        if let offset { text += " at offset \(offset)" }
        if code != .io, let detail { text += ": \(detail)" }
        return text
    }

    private static func summary(_ code: Code) -> String {
        switch code {
        case .io: "input/output error"
        case .notAZipArchive: "not a zip archive (no end of central directory record)"
        case .truncated: "archive is truncated"
        case .commentPastEndOfFile: "archive comment runs past the end of the file"
        case .multiDiskArchive: "multi-disk archives are not supported"
        case .invalidZip64EndRecord: "invalid ZIP64 end of central directory"
        case .invalidCentralDirectory: "invalid central directory location"
        case .invalidCentralDirectoryHeader: "invalid central directory header"
        case .entryCountMismatch: "entry count does not match the central directory"
        case .invalidExtraField: "invalid extra field"
        case .invalidName: "invalid file name"
        case .tooManyEntries: "archive is too large to index"
        case .invalidLocalHeader: "invalid local file header"
        case .localNameMismatch: "local file header name differs from the central directory"
        case .localHeaderMismatch: "local file header disagrees with the central directory"
        case .dataDescriptorMismatch: "data descriptor disagrees with the central directory"
        case .ambiguousStructure: "archive structure is ambiguous (readers would see different entries)"
        case .entryOutOfBounds: "data lies outside the archive"
        case .unsupportedMethod: "unsupported compression method"
        case .encrypted: "cannot read encrypted data"
        case .checksumMismatch: "CRC-32 mismatch"
        case .sizeMismatch: "size mismatch"
        case .corruptData: "corrupt compressed data"
        case .overlappingEntries: "overlapping entries (possible zip bomb)"
        case .limitExceeded: "read limit exceeded"
        case .unsafeName: "name is unsafe to extract"
        case .nameCollision: "path taken by an earlier entry"
        case .fileExists: "path exists"
        case .symlinkOutsideDestination: "symbolic link leads outside the destination"
        case .foreignEntry: "the entry belongs to another archive"
        }
    }
}
