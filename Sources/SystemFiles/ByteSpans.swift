// What the standard library does not yet offer for `Span<UInt8>` (Swift
// 6.3): a `Span` is not a `Collection`, so `String(decoding:as:)`,
// `Array.append(contentsOf:)` and `elementsEqual` do not take one.

extension Span where Element == UInt8 {
    /// Whether both hold the same bytes.
    package func hasSameBytes(as other: Span<UInt8>) -> Bool {
        guard count == other.count else { return false }
        // Eight bytes at a time, the last word overlapping the one before.
        let (a, b) = (bytes, other.bytes)
        if count >= 8 {
            var offset = 0
            while count - offset > 8 {
                if a.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    != b.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset += 8
            }
            return a.unsafeLoadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == b.unsafeLoadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        for index in indices where self[index] != other[index] { return false }
        return true
    }

    /// The bytes decoded as UTF-8 (repaired if they are not). Valid
    /// UTF-8, the usual case, is copied once, into the string.
    package var decodedString: String {
        if let valid = try? UTF8Span(validating: self) { return String(copying: valid) }
        var bytes: [UInt8] = []
        bytes.append(span: self)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes of `span`. Grows the array geometrically, as
    /// `append(contentsOf:)` does: `reserveCapacity(count + n)` would grow
    /// it to exactly that size, and a loop of appends would copy the whole
    /// array every time (quadratic in the number of appends).
    package mutating func append(span: Span<UInt8>) {
        append(addingCapacity: span.count) { output in
            for index in span.indices { output.append(span[index]) }
        }
    }
}
