/// What about an archive is irregular but not refused: the answer of
/// ``ZipArchive/audit()``.
///
/// ZipIndex refuses an archive, or an entry, where two readers would
/// extract different content. What it reads but another reader or file
/// system may treat differently is reported here instead: hazards in
/// names (``NameHazards``) and bytes the directory does not account for
/// (a prefix, gaps between entries, bytes after the end record). A tool
/// that extracts, scans or republishes archives decides what to do with
/// them; `zipls info` prints them.
public struct ZipAudit: Sendable, Hashable {
    /// One entry whose name carries a hazard or is unsafe to extract.
    public struct NameFinding: Sendable, Hashable {
        /// The entry's position in central-directory order.
        public let entry: Int
        /// Its hazards, collisions with other names included.
        public let hazards: NameHazards
        /// Whether ``ZipEntry/safeRelativePath`` gives a path to extract to.
        public let isSafeToExtract: Bool

        public init(entry: Int, hazards: NameHazards, isSafeToExtract: Bool) {
            self.entry = entry
            self.hazards = hazards
            self.isSafeToExtract = isSafeToExtract
        }
    }

    /// Entries whose names carry a hazard or are unsafe to extract, in
    /// directory order. Entries with neither are not listed.
    public let names: [NameFinding]
    /// Bytes before the zip data (a self-extractor stub, a `#!` line),
    /// APPNOTE 4.3.6 allowing none.
    public let prependedBytes: UInt64
    /// Bytes after the end record's comment, which APPNOTE 4.3.16 says
    /// ends the file: read past, as Go, Python and Info-ZIP do.
    public let trailingBytes: UInt64
    /// The local records between the zip data's start and the directory:
    /// gaps, hidden entries, truncating descriptors
    /// (``ZipArchive/verifyStructure()``).
    public let structure: ZipStructure

    public init(names: [NameFinding], prependedBytes: UInt64, trailingBytes: UInt64, structure: ZipStructure) {
        self.names = names
        self.prependedBytes = prependedBytes
        self.trailingBytes = trailingBytes
        self.structure = structure
    }

    /// How many entries have a name unsafe to extract.
    public var unsafeNames: Int { names.count { !$0.isSafeToExtract } }

    /// How many entries carry any of `hazards`.
    public func count(of hazards: NameHazards) -> Int {
        names.count { !$0.hazards.isDisjoint(with: hazards) }
    }

    /// Whether nothing was found: no hazard, no unsafe name, no prefix,
    /// gap, trailing bytes, hidden entry or truncating descriptor.
    public var isEmpty: Bool {
        names.isEmpty && prependedBytes == 0 && trailingBytes == 0 && structure.gaps.isEmpty && structure.isClean
    }
}

extension ZipAudit {
    /// The name findings of `entries`: each name's own hazards, then the
    /// collisions between the paths that lenient extractors write the
    /// names to (``EntryName/collisionKey(_:)``), exact and ignoring case.
    static func names(of entries: ZipArchive.Entries) -> [NameFinding] {
        var hazards = [NameHazards](repeating: [], count: entries.count)
        var safe = [Bool](repeating: true, count: entries.count)
        // The first entry per path, and per path with case folded.
        var byPath: [String: Int] = [:]
        var byFoldedPath: [String: Int] = [:]
        for entry in entries {
            let index = entry.index
            hazards[index] = entry.nameHazards
            safe[index] = entry.safeRelativePath != nil
            guard let path = entry.withUTF8Name({ EntryName.collisionKey($0) }) else { continue }
            if let other = byPath.updateValue(index, forKey: path) {
                byPath[path] = other
                hazards[index].insert(.collision)
                hazards[other].insert(.collision)
                continue
            }
            let folded = path.lowercased()
            if let other = byFoldedPath.updateValue(index, forKey: folded) {
                byFoldedPath[folded] = other
                hazards[index].insert(.caseCollision)
                hazards[other].insert(.caseCollision)
            }
        }
        return entries.indices.compactMap { index in
            hazards[index].isEmpty && safe[index]
                ? nil : NameFinding(entry: index, hazards: hazards[index], isSafeToExtract: safe[index])
        }
    }
}
