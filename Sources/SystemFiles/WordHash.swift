/// The 64-bit hash of byte strings that the directory index and the
/// importer's stem set share: eight bytes per 64×64→128-bit multiply.
///
/// The hash of `n` bytes folds in each whole 8-byte word from the start,
/// then finishes with the 0–7 bytes left (little-endian, zero-padded) and
/// `n`. Because the state after each word does not depend on what follows,
/// the directory index hashes every `/`-ended prefix of a name in one pass
/// over it: the state of the whole words before the prefix's end, and its
/// last partial word. (A hash that reads from both ends, as the name
/// index's does, would need each prefix read again: the square of a hostile
/// name's length.)
///
/// Not keyed: the tables it serves hold an archive's names, which an
/// archive's author chooses anyway, and probe by tag first.
package struct WordHash {
    @usableFromInline var state: UInt64 = 0x243F_6A88_85A3_08D3

    @inlinable package init() {}

    /// Folds in the next whole word.
    @inlinable @inline(__always)
    package mutating func fold(_ word: UInt64) {
        state = Self.mix(state ^ word, 0x9E37_79B9_7F4A_7C15)
    }

    /// The hash of the words folded so far followed by `tail` (the 0–7
    /// bytes after them, from ``tail(_:at:count:)``): `length` bytes in all.
    /// The length is mixed in because zero padding is not a byte.
    @inlinable @inline(__always)
    package func finish(tail: UInt64, length: Int) -> UInt64 {
        Self.mix(state ^ tail ^ 0xA076_1D64_78BD_642F, UInt64(truncatingIfNeeded: length) ^ 0xE703_7ED1_A0B4_28DB)
    }

    /// The hash of `bytes`, followed by `last` if there is one: a
    /// directory's slash is hashed in, not appended to a copy.
    @inlinable
    package static func hash(_ bytes: RawSpan, then last: UInt8? = nil) -> UInt64 {
        var hasher = WordHash()
        var offset = 0
        while bytes.byteCount &- offset >= 8 {
            hasher.fold(word(bytes, at: offset))
            offset &+= 8
        }
        let left = bytes.byteCount &- offset
        var tail = tail(bytes, at: offset, count: left)
        guard let last else { return hasher.finish(tail: tail, length: bytes.byteCount) }
        tail |= UInt64(last) &<< (8 &* UInt64(left))
        if left == 7 {  // `last` completes a word
            hasher.fold(tail)
            tail = 0
        }
        return hasher.finish(tail: tail, length: bytes.byteCount + 1)
    }

    /// The little-endian word at `offset`.
    @inlinable @inline(__always)
    package static func word(_ bytes: RawSpan, at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The `count` (0–7) bytes at `offset`, little-endian, zero-padded,
    /// without a loop: most keys are one short component (`py4j`). Reads
    /// only bytes in `bytes`, and puts each byte at its place however the
    /// loads overlap.
    @inlinable @inline(__always)
    package static func tail(_ bytes: RawSpan, at offset: Int, count: Int) -> UInt64 {
        if count == 0 { return 0 }
        let bits = 8 &* UInt64(count)
        if bytes.byteCount - offset >= 8 {
            return word(bytes, at: offset) & ((1 &<< bits) &- 1)
        }
        if offset + count >= 8 {
            return word(bytes, at: offset + count - 8) &>> (64 &- bits)
        }
        if count >= 4 {
            let low = UInt64(UInt32(littleEndian: bytes.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: bytes.unsafeLoadUnaligned(fromByteOffset: offset + count - 4, as: UInt32.self)))
            return low | high &<< (bits &- 32)
        }
        @inline(__always) func byte(_ at: Int) -> UInt64 {
            UInt64(bytes.unsafeLoad(fromByteOffset: at, as: UInt8.self))
        }
        let middle = count / 2
        return byte(offset) | byte(offset + middle) &<< (8 &* UInt64(middle)) | byte(offset + count - 1) &<< (bits &- 8)
    }

    @inlinable @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
