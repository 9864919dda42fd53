// What the standard library does not yet offer for `Span<UInt8>` (Swift
// 6.3): a `Span` is not a `Collection`, so `String(decoding:as:)`,
// `Array.append(contentsOf:)` and `elementsEqual` do not take one.

extension Span where Element == UInt8 {
    /// Whether both hold the same bytes.
    package func hasSameBytes(as other: Span<UInt8>) -> Bool {
        guard count == other.count else { return false }
        for index in indices where self[index] != other[index] { return false }
        return true
    }

    /// The bytes decoded as UTF-8 (repaired if they are not).
    package var decodedString: String {
        var bytes: [UInt8] = []
        bytes.append(span: self)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes of `span`.
    package mutating func append(span: Span<UInt8>) {
        reserveCapacity(count + span.count)
        for index in span.indices { append(span[index]) }
    }
}
