import SystemFiles
/// A name a lookup tries (`prefix + module + suffix`), composed on the stack:
/// a warm miss tries several and must not allocate. Names longer than the
/// stack buffer move to an array.
struct CandidateName: ~Copyable {
    private static let stackCapacity = 256
    private var stack = InlineArray<256, UInt8>(repeating: 0)
    /// The bytes, once they outgrow `stack`.
    private var heap: [UInt8]?
    private(set) var count = 0

    init() {}

    /// Appends `bytes`.
    mutating func append(_ bytes: Span<UInt8>) {
        if heap == nil, count + bytes.count <= Self.stackCapacity {
            // Eight bytes per load and store (the last word overlapping the
            // one before it): a byte at a time took twice as long, and a
            // miss composes three names.
            var span = stack.mutableSpan
            var target = span.mutableBytes
            let source = bytes.bytes
            let length = bytes.count
            if length >= 8 {
                var offset = 0
                while length - offset > 8 {
                    target.storeBytes(of: source.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self),
                                      toByteOffset: count + offset, as: UInt64.self)
                    offset += 8
                }
                target.storeBytes(of: source.unsafeLoadUnaligned(fromByteOffset: length - 8, as: UInt64.self),
                                  toByteOffset: count + length - 8, as: UInt64.self)
            } else {
                for index in 0 ..< length { target.storeBytes(of: bytes[index], toByteOffset: count + index, as: UInt8.self) }
            }
            count += length
            return
        }
        if heap == nil {
            var moved: [UInt8] = []
            moved.reserveCapacity(count + bytes.count)
            for index in 0 ..< count { moved.append(stack[index]) }
            heap = moved
        }
        heap!.append(span: bytes)
        count += bytes.count
    }

    /// Appends `bytes`.
    mutating func append(_ bytes: [UInt8]) {
        append(bytes.span)
    }

    /// Keeps the first `length` bytes.
    mutating func truncate(to length: Int) {
        precondition(length >= 0 && length <= count, "candidate length out of range")
        heap?.removeLast(count - length)
        count = length
    }

    /// Calls `body` with the name's bytes.
    func withBytes<R>(_ body: (Span<UInt8>) -> R) -> R {
        if let heap { return body(heap.span) }
        return body(stack.span.extracting(0 ..< count))
    }
}
