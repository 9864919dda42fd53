/// An open-addressing hash index from name bytes to a 32-bit id.
///
/// Layout: one tag byte and one 32-bit id per slot, in two arrays, at a load
/// factor of at most 3/4 — about 6.7 bytes per name. The tag is eight bits of
/// the hash (never 0, which marks an empty slot), so a probe touches a
/// name's bytes only when 8 bits already agree: a miss almost never leaves
/// the tag array. The slot for a hash is `(high 32 bits × capacity) >> 32`,
/// which maps evenly onto any capacity, so the table need not be a power of
/// two. Linear probing; capacity always exceeds the count, so probes end.
///
/// The index does not store names: the caller's `matches` closure compares
/// the candidate id's bytes, wherever they live.
struct NameIndex: ~Copyable {
    private var tags: TableBuffer<UInt8>
    private var ids: TableBuffer<UInt32>
    let capacity: Int

    /// An empty index with room for `count` names.
    init(expectedCount count: Int) {
        capacity = max(count + count / 3 + 1, 4)
        tags = TableBuffer(repeating: 0, count: capacity)
        // An id is read only where its tag is not 0, and a tag is set only
        // together with its id: the ids need no zeros.
        ids = TableBuffer(unfilledCount: capacity)
    }

    /// The bytes this index holds, from its buffers' capacities.
    var byteCount: Int { tags.byteCount + ids.byteCount }

    /// A fast 64-bit hash of `bytes`, wyhash's structure without its
    /// three-lane loop (names are rarely longer than 48 bytes): sixteen bytes
    /// per 64×64→128-bit multiply, folded high into low.
    @inline(__always)
    static func hash(_ bytes: ByteView) -> UInt64 {
        hashAndCheckASCII(bytes).hash
    }

    private static let k0: UInt64 = 0xA076_1D64_78BD_642F
    private static let k1: UInt64 = 0xE703_7ED1_A0B4_28DB
    private static let seed: UInt64 = 0x8EBC_6AF0_9C88_C6E3

    /// The hash of `bytes` and whether they are all ASCII, in one pass: the
    /// parser needs both for every name. Every load lies inside `bytes`;
    /// short names are read as overlapping pieces from both ends.
    @inline(__always)
    static func hashAndCheckASCII(_ bytes: ByteView) -> (hash: UInt64, isASCII: Bool) {
        @inline(__always) func load64(_ offset: Int) -> UInt64 { bytes.load(at: offset) }
        @inline(__always) func load32(_ offset: Int) -> UInt64 { UInt64(bytes.load(at: offset, as: UInt32.self)) }
        let n = bytes.count
        var seed = Self.seed
        var a: UInt64 = 0
        var b: UInt64 = 0
        var bits: UInt64 = 0
        if n <= 16 {
            if n >= 4 {
                let q = (n >> 3) << 2
                a = load32(0) << 32 | load32(q)
                b = load32(n - 4) << 32 | load32(n - 4 - q)
                bits = a | b
            } else if n > 0 {
                a = UInt64(bytes[0]) << 16 | UInt64(bytes[n >> 1]) << 8 | UInt64(bytes[n - 1])
                bits = a
            }
        } else {
            var offset = 0
            var left = n
            while left > 16 {
                let x = load64(offset)
                let y = load64(offset + 8)
                bits |= x | y
                seed = fold(x ^ k1, y ^ seed)
                offset += 16
                left -= 16
            }
            // The last sixteen bytes, overlapping the previous block.
            a = load64(n - 16)
            b = load64(n - 8)
            bits |= a | b
        }
        let product = (a ^ k1).multipliedFullWidth(by: b ^ seed)
        let hash = fold(product.low ^ k0 ^ UInt64(truncatingIfNeeded: n), product.high ^ k1)
        return (hash, bits & 0x8080_8080_8080_8080 == 0)
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(capacity)) >> 32)
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt8 {
        let tag = UInt8(truncatingIfNeeded: hash)
        return tag == 0 ? 1 : tag
    }

    /// Adds `id` under `hash`. If `matches` finds an id with the same name
    /// already there, `id` replaces it (so the last duplicate wins, as in
    /// Python's `zipfile`) and the replaced id is returned.
    @discardableResult
    @inline(__always)
    mutating func insert(hash: UInt64, id: UInt32, matches: (UInt32) -> Bool) -> UInt32? {
        let tag = Self.tag(hash)
        var slot = home(hash)
        while true {
            let existing = tags[slot]
            if existing == 0 {
                tags[slot] = tag
                ids[slot] = id
                return nil
            }
            if existing == tag, matches(ids[slot]) {
                let replaced = ids[slot]
                ids[slot] = id
                return replaced
            }
            slot += 1
            if slot == capacity { slot = 0 }
        }
    }

    /// The id stored under `hash` whose name `matches` accepts, or nil.
    @inline(__always)
    func find(hash: UInt64, matches: (UInt32) -> Bool) -> UInt32? {
        let tag = Self.tag(hash)
        var slot = home(hash)
        while true {
            let existing = tags[slot]
            if existing == 0 { return nil }
            if existing == tag, matches(ids[slot]) { return ids[slot] }
            slot += 1
            if slot == capacity { slot = 0 }
        }
    }
}
