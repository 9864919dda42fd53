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
            var hasher = PrefixHasher()
            var from = range.lowerBound
            while let found = arena.firstIndex(of: slash, in: from ..< range.upperBound) {
                from = found + 1
                let length = from - range.lowerBound
                let span = UInt64(range.lowerBound) << 32 | UInt64(length)
                prefixes.append((span, hasher.hashOfPrefix(length, of: arena, at: range.lowerBound)))
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

    /// The hash of every prefix of a name that ends at a `/`, computed in
    /// one pass over the name: eight bytes per multiply, and each prefix's
    /// hash from the state of the whole words before it plus its last
    /// partial word. (A hash of each prefix from its start would cost the
    /// square of a hostile name's length; FNV, which is incremental by
    /// nature, costs a multiply per byte, which a lookup pays too.)
    ///
    /// The hash of a string of `n` bytes: fold in each whole 8-byte word
    /// from the start, then `finish` with the 0–7 bytes left, zero-padded,
    /// and `n`. ``hash(_:appendingSlash:)`` computes the same for a query.
    private struct PrefixHasher {
        private var state = DirectoryIndex.seed
        /// Whole words folded into `state`.
        private var words = 0

        /// The hash of the first `length` bytes of the name at `start` in
        /// `bytes`; `length` must not be less than the last call's.
        mutating func hashOfPrefix(_ length: Int, of bytes: ByteView, at start: Int) -> UInt64 {
            while (words + 1) * 8 <= length {
                state = DirectoryIndex.fold(state ^ bytes.load(at: start + words * 8), DirectoryIndex.wordKey)
                words += 1
            }
            let tail = DirectoryIndex.partialWord(bytes, at: start + words * 8, count: length - words * 8)
            return DirectoryIndex.finish(state ^ tail, length: length)
        }
    }

    fileprivate static let seed: UInt64 = 0x243F_6A88_85A3_08D3
    fileprivate static let wordKey: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The hash of `bytes`, or of `bytes + "/"`, as ``PrefixHasher`` hashes
    /// a prefix: the slash is hashed in, not appended to a copy.
    private static func hash(_ bytes: ByteView, appendingSlash: Bool) -> UInt64 {
        var state = seed
        var offset = 0
        while bytes.count &- offset >= 8 {
            state = fold(state ^ bytes.load(at: offset), wordKey)
            offset &+= 8
        }
        let left = bytes.count &- offset
        var tail = partialWord(bytes, at: offset, count: left)
        guard appendingSlash else { return finish(state ^ tail, length: bytes.count) }
        tail |= UInt64(UInt8(ascii: "/")) &<< (8 &* UInt64(left))
        if left == 7 {  // the slash completes a word
            state = fold(state ^ tail, wordKey)
            tail = 0
        }
        return finish(state ^ tail, length: bytes.count + 1)
    }

    /// The `count` (0–7) bytes at `offset`, little-endian, zero-padded,
    /// without a loop: most queries are one short component (`py4j`). Reads
    /// only bytes in `bytes`, and puts each byte at its place however the
    /// loads overlap.
    @inline(__always)
    fileprivate static func partialWord(_ bytes: ByteView, at offset: Int, count: Int) -> UInt64 {
        if count == 0 { return 0 }
        let bits = 8 &* UInt64(count)
        if bytes.count - offset >= 8 {
            return bytes.load(at: offset) & ((1 &<< bits) &- 1)
        }
        if offset + count >= 8 {
            return bytes.load(at: offset + count - 8) &>> (64 &- bits)
        }
        if count >= 4 {
            let low = UInt64(bytes.load(at: offset, as: UInt32.self))
            let high = UInt64(bytes.load(at: offset + count - 4, as: UInt32.self))
            return low | high &<< (bits &- 32)
        }
        let middle = count / 2
        return UInt64(bytes[offset]) | UInt64(bytes[offset + middle]) &<< (8 &* UInt64(middle))
            | UInt64(bytes[offset + count - 1]) &<< (bits &- 8)
    }

    @inline(__always)
    fileprivate static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Mixes in the length (zero padding is not a byte) and spreads the
    /// bits the index uses: the high 32 for the slot, the low 8 for the tag.
    @inline(__always)
    fileprivate static func finish(_ state: UInt64, length: Int) -> UInt64 {
        fold(state ^ 0xA076_1D64_78BD_642F, UInt64(truncatingIfNeeded: length) ^ 0xE703_7ED1_A0B4_28DB)
    }

    private static func bytes(of span: UInt64, in arena: ByteView) -> ByteView {
        let start = Int(span >> 32)
        let length = Int(span & 0xFFFF_FFFF)
        return arena.extracting(start ..< start + length)
    }

    var count: Int { spans.count }

    /// Whether `path`, with or without its final `/`, names a directory.
    func contains(directory path: ByteView, arena: ByteView) -> Bool {
        let hasSlash = path.count > 0 && path[path.count - 1] == UInt8(ascii: "/")
        let hash = Self.hash(path, appendingSlash: !hasSlash)
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
