import SystemFiles

/// A set of byte strings that answers `contains` for raw UTF-8 bytes without
/// creating a `String`: the namespace-directory check on a warm miss and the
/// directory-listing check must not allocate.
///
/// Open addressing with linear probing over a power-of-two table at most
/// half full; the members live back to back in one arena.
struct ByteStringSet: Sendable {
    private var arena: [UInt8] = []
    /// Member `i` is `arena[bounds[i] ..< bounds[i + 1]]`.
    private var bounds: [Int] = [0]
    /// Per slot: the member index, or -1 when empty.
    private var slots: [Int32]
    private var slotHashes: [UInt64]
    private var mask: Int

    init(minimumCapacity: Int = 0) {
        var capacity = 8
        while capacity < minimumCapacity * 2, capacity < 1 << 40 { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        slotHashes = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    var count: Int { bounds.count - 1 }

    /// Adds `bytes`; returns whether they were new.
    @discardableResult
    mutating func insert(_ bytes: Span<UInt8>) -> Bool {
        let hash = Self.hash(bytes)
        if find(bytes, hash: hash) != nil { return false }
        guard count < Int(Int32.max) - 1 else { return false }
        if (count + 1) * 2 > slots.count { grow() }
        let member = count
        arena.append(span: bytes)
        bounds.append(arena.count)
        place(member: member, hash: hash)
        return true
    }

    /// Whether `bytes` is a member. Allocates nothing.
    @inline(__always)
    func contains(_ bytes: Span<UInt8>) -> Bool {
        find(bytes, hash: Self.hash(bytes)) != nil
    }

    private func find(_ bytes: Span<UInt8>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let member = Int(slots[slot])
            if member < 0 { return nil }
            if slotHashes[slot] == hash, equals(member, bytes) { return member }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ member: Int, _ bytes: Span<UInt8>) -> Bool {
        let start = bounds[member]
        let end = bounds[member + 1]
        guard end - start == bytes.count else { return false }
        return arena.span.extracting(start ..< end).hasSameBytes(as: bytes)
    }

    private mutating func place(member: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(truncatingIfNeeded: member)
        slotHashes[slot] = hash
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        slotHashes = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for member in 0 ..< count {
            let hash = Self.hash(arena.span.extracting(bounds[member] ..< bounds[member + 1]))
            place(member: member, hash: hash)
        }
    }

    /// The hash the directory index uses too (``WordHash``).
    @inline(__always)
    static func hash(_ bytes: Span<UInt8>) -> UInt64 {
        WordHash.hash(bytes.bytes)
    }
}
