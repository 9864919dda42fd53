import SystemFiles
/// Every directory in an archive, explicit or implied by deeper names:
/// `a/b/c.txt` implies `a/` and `a/b/`.
///
/// Python's zipimport and importlib need to know whether a directory exists
/// to find namespace packages, and many archives store no directory entries
/// at all (CPython gh-121111). Directory names are prefixes of entry names,
/// so the index stores spans of the file table's arena, not strings.
/// The file table builds it on first use (``DerivedIndex``) and passes its
/// arena to every query.
struct DirectoryIndex: ~Copyable, Sendable {
    /// Arena spans, `start << 32 | length`, each ending with `/`.
    private let spans: [UInt64]
    private let index: NameIndex

    /// The index of `table`'s names, whose bytes are `arena`.
    init(table: TableView) {
        let arena = table.arena
        let slash = UInt8(ascii: "/")
        var spans: [UInt64] = []
        var hashes: [UInt64] = []
        // Sized for a directory per entry while building, which few
        // archives exceed, and rebuilt at least twice as large from
        // `hashes` when full: the count of directories is not known until
        // every name is read, and sizing for the worst case (a directory
        // per slash) would take memory in proportion to the slashes of
        // every name, not to the directories.
        var room = max(table.count, 64)
        var index = NameIndex(expectedCount: room)
        // A hostile name can hold 32,000 slashes, and many names can share
        // such a path; the work per name must stay linear in its length.
        // Prefix hashes are computed incrementally, in one pass. A prefix is
        // inserted only after all shorter ones, so the prefixes already
        // known are the shortest few: a binary search finds where the
        // missing ones start, in a few lookups however deep the name (the
        // 32,000-slash name took one lookup per prefix).
        var prefixes: [(span: UInt64, hash: UInt64)] = []
        for entry in 0 ..< table.count {
            let range = table.nameRange(entry)
            prefixes.removeAll(keepingCapacity: true)
            // Every `/`-ended prefix's hash in one pass (``WordHash``):
            // the state of the whole words before the slash, then the
            // partial word that ends with it.
            arena.withSpan { whole in
                let bytes = whole.bytes
                var hasher = WordHash()
                var words = 0
                var from = range.lowerBound
                while let found = arena.firstIndex(of: slash, in: from ..< range.upperBound) {
                    from = found + 1
                    let length = from - range.lowerBound
                    while (words + 1) * 8 <= length {
                        hasher.fold(WordHash.word(bytes, at: range.lowerBound + words * 8))
                        words += 1
                    }
                    let tail = WordHash.tail(bytes, at: range.lowerBound + words * 8, count: length - words * 8)
                    let span = UInt64(range.lowerBound) << 32 | UInt64(length)
                    prefixes.append((span, hasher.finish(tail: tail, length: length)))
                }
            }
            // Invariant: prefixes[..<known] are in the index, and
            // prefixes[missing...] are not. Most names share their parent
            // with a name before them, so the longest prefix is tried first.
            var known = 0
            var missing = prefixes.count
            var probeLongest = true
            while known < missing {
                let middle = probeLongest ? missing - 1 : known + (missing - known) / 2
                probeLongest = false
                let (span, hash) = prefixes[middle]
                let found = index.find(hash: hash) {
                    Self.bytes(of: spans[Int($0)], in: arena).elementsEqual(Self.bytes(of: span, in: arena))
                }
                if found != nil { known = middle + 1 } else { missing = middle }
            }
            let needed = spans.count + prefixes.count - missing
            if needed > room {
                room = max(room * 2, needed)
                index = Self.index(of: hashes, room: room)
            }
            while missing < prefixes.count {
                let (span, hash) = prefixes[missing]
                index.insert(hash: hash, id: UInt32(spans.count)) { _ in false }
                spans.append(span)
                hashes.append(hash)
                missing += 1
            }
        }
        self.spans = spans
        // The index stays for the archive's lifetime: sized for the
        // directories found, when far fewer than the entries.
        self.index = spans.count * 4 < room ? Self.index(of: hashes, room: spans.count) : index
    }

    /// An index of `hashes` (ids their positions) with room for `room`.
    private static func index(of hashes: [UInt64], room: Int) -> NameIndex {
        var index = NameIndex(expectedCount: room)
        var id = 0
        while id < hashes.count {
            index.insert(hash: hashes[id], id: UInt32(id)) { _ in false }
            id += 1
        }
        return index
    }

    private static func bytes(of span: UInt64, in arena: ByteView) -> ByteView {
        let start = Int(span >> 32)
        let length = Int(span & 0xFFFF_FFFF)
        return arena.extracting(start ..< start + length)
    }

    var count: Int { spans.count }

    /// Whether `path`, with or without its final `/`, names a directory.
    func contains(directory path: ByteView, arena: ByteView) -> Bool {
        let slash = UInt8(ascii: "/")
        let hasSlash = path.count > 0 && path[path.count - 1] == slash
        let hash = path.withSpan { WordHash.hash($0.bytes, then: hasSlash ? nil : slash) }
        let length = hasSlash ? path.count : path.count + 1
        return index.find(hash: hash) { id in
            let candidate = Self.bytes(of: spans[Int(id)], in: arena)
            return candidate.count == length && candidate.extracting(0 ..< path.count).elementsEqual(path)
        } != nil
    }

    /// The `position`th directory name, in the order first seen.
    func name(_ position: Int, arena: ByteView) -> String {
        String(decoding: Self.bytes(of: spans[position], in: arena), as: UTF8.self)
    }
}
