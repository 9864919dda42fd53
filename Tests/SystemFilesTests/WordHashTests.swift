import SystemFiles
import Testing

/// The invariants the directory index relies on: a prefix's hash made word
/// by word in one pass is the hash of the prefix alone, and a trailing byte
/// hashed in is the same as the byte appended.
@Suite("Word hash")
struct WordHashTests {
    static let bytes: [UInt8] = (0 ..< 70).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }

    static func hash(_ bytes: [UInt8], then last: UInt8? = nil) -> UInt64 {
        WordHash.hash(bytes.span.bytes, then: last)
    }

    @Test func everyPrefixHashedInOnePassIsTheHashOfThatPrefixAlone() {
        let raw = Self.bytes.span.bytes
        var hasher = WordHash()
        var words = 0
        for length in 0 ... Self.bytes.count {
            while (words + 1) * 8 <= length {
                hasher.fold(WordHash.word(raw, at: words * 8))
                words += 1
            }
            let tail = WordHash.tail(raw, at: words * 8, count: length - words * 8)
            #expect(hasher.finish(tail: tail, length: length) == Self.hash(Array(Self.bytes[..<length])), "length \(length)")
        }
    }

    @Test func aByteHashedInIsTheSameAsTheByteAppended() {
        for length in 0 ... 40 {
            let prefix = Array(Self.bytes[..<length])
            #expect(Self.hash(prefix, then: 0x2F) == Self.hash(prefix + [0x2F]), "length \(length)")
        }
    }

    @Test func zeroPaddingAndEveryByteChangeTheHash() {
        var seen: Set<UInt64> = []
        for length in 0 ... 20 { seen.insert(Self.hash([UInt8](repeating: 0, count: length))) }
        #expect(seen.count == 21)
        for length in 1 ... 20 {
            let base = Array(Self.bytes[..<length])
            for position in 0 ..< length {
                var changed = base
                changed[position] ^= 1
                #expect(Self.hash(changed) != Self.hash(base), "length \(length), position \(position)")
            }
        }
    }
}
