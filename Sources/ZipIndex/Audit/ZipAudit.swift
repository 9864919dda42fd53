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
    ///
    /// A million names take one pass with no allocation per regular name:
    /// keys are hashed in place, and only a hash seen before (a collision,
    /// or rarely two keys with one hash) compares the keys themselves.
    static func names(of entries: ZipArchive.Entries) -> [NameFinding] {
        var hazards = [NameHazards](repeating: [], count: entries.count)
        var safe = [Bool](repeating: true, count: entries.count)
        var exact = CollisionIndex(entries: entries, folded: false)
        var folded = CollisionIndex(entries: entries, folded: true)
        for entry in entries {
            let index = entry.index
            entry.withNameBytes { name in
                var found = entry.nameHazards(name: name)
                let isRegular = found.isDisjoint(with: EntryName.irregularPath)
                // A regular name is its own safe path, unless it is empty.
                safe[index] = isRegular ? !name.isEmpty : EntryName.isSafeToExtract(name, hazards: found)
                CollisionIndex.withKey(name, isRegular: isRegular) { key in
                    if let other = exact.insert(index, key: key) {
                        found.insert(.collision)
                        hazards[other].insert(.collision)
                    } else if let other = folded.insert(index, key: key) {
                        found.insert(.caseCollision)
                        hazards[other].insert(.caseCollision)
                    }
                }
                hazards[index].formUnion(found)
            }
        }
        return entries.indices.compactMap { index in
            hazards[index].isEmpty && safe[index]
                ? nil : NameFinding(entry: index, hazards: hazards[index], isSafeToExtract: safe[index])
        }
    }
}

/// The first entry of each collision key: an open-addressing table of
/// entry indices by the key's hash (``NameIndex/hash(_:)``), sized once for
/// every entry, so that inserting costs a hash and a probe or two.
private struct CollisionIndex {
    let entries: ZipArchive.Entries
    /// Whether keys compare with case folded.
    let folded: Bool
    /// Entry index + 1 per slot; 0 is empty.
    private var slots: [Int]
    private var hashes: [UInt64]
    private let mask: Int

    init(entries: ZipArchive.Entries, folded: Bool) {
        self.entries = entries
        self.folded = folded
        // A power of two at least twice the count: probes stay short.
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = [Int](repeating: 0, count: capacity)
        hashes = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Calls `body` with the collision key of `name`: for a regular name
    /// (no NUL, backslash, drive, leading `/` or dot component) the name
    /// itself without its final `/`, without copying. Nothing is called
    /// for a name whose key is empty.
    static func withKey(_ name: ByteView, isRegular: Bool, _ body: (ByteView) -> Void) {
        if isRegular {
            let end = name.last == UInt8(ascii: "/") ? name.count - 1 : name.count
            if end > 0 { body(name.extracting(0 ..< end)) }
            return
        }
        EntryName.collisionKey(name)?.withBytes(body)
    }

    /// Records `entry` under `key` unless an earlier entry has the same
    /// key; returns that entry.
    mutating func insert(_ entry: Int, key: ByteView) -> Int? {
        withComparable(key) { (key) -> Int? in
            let hash = NameIndex.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let other = slots[slot] - 1
                if hashes[slot] == hash, sameKey(other, key) { return other }
                slot = (slot + 1) & mask
            }
            slots[slot] = entry + 1
            hashes[slot] = hash
            return nil
        }
    }

    /// Calls `body` with `key` as this index compares it: as is, or with
    /// case folded (ASCII on the stack when short, anything else by the
    /// standard library's Unicode lowercasing).
    private func withComparable<R>(_ key: ByteView, _ body: (ByteView) -> R) -> R {
        guard folded else { return body(key) }
        var ascii: UInt8 = 0
        for byte in key { ascii |= byte }
        guard ascii < 0x80 else {
            return ByteView.with(utf8: String(decoding: key, as: UTF8.self).lowercased(), body)
        }
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { (0x41 ... 0x5A).contains(byte) ? byte | 0x20 : byte }
        guard key.count <= Self.stackKeyLength else { return key.asciiLowercased().withBytes(body) }
        var buffer = InlineArray<128, UInt8>(repeating: 0)
        for (position, byte) in key.enumerated() { buffer[position] = lower(byte) }
        return ByteView.with(buffer.span.extracting(0 ..< key.count), body)
    }

    /// Keys up to this long are folded without allocating.
    private static let stackKeyLength = 128

    /// Whether the earlier `entry`'s key is `key` (already comparable).
    private func sameKey(_ entry: Int, _ key: ByteView) -> Bool {
        entries[entry].withNameBytes { name in
            var same = false
            let isRegular = EntryName.hazards(name).isDisjoint(with: EntryName.irregularPath)
            Self.withKey(name, isRegular: isRegular) { other in
                same = withComparable(other) { $0.elementsEqual(key) }
            }
            return same
        }
    }
}
