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
struct NameIndex: Sendable {
    private var tags: [UInt8]
    private var ids: [UInt32]
    let capacity: Int

    /// An empty index with room for `count` names.
    init(expectedCount count: Int) {
        capacity = max(count + count / 3 + 1, 4)
        tags = [UInt8](repeating: 0, count: capacity)
        ids = [UInt32](repeating: 0, count: capacity)
    }

    /// The bytes this index holds, from its buffers' capacities.
    var byteCount: Int { tags.capacity + ids.capacity * MemoryLayout<UInt32>.stride }

    /// A fast 64-bit hash of `bytes`: eight bytes at a time, each folded in
    /// with a 64×64→128-bit multiply (the wyhash mixing step).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = fold(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x9E37_79B9_7F4A_7C15)
            i += 8
        }
        if i < n {
            var last: UInt64
            if n >= 8 {
                // Re-read the final eight bytes, overlapping the previous word.
                last = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                last = 0
                var shift: UInt64 = 0
                while i < n {
                    last |= UInt64(bytes[i]) << shift
                    shift += 8
                    i += 1
                }
            }
            h = fold(h ^ last, 0xA076_1D64_78BD_642F)
        }
        return fold(h, 0xE703_7ED1_A0B4_28DB)
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
