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
        if heap == nil, count + bytes.count > Self.stackCapacity {
            var moved: [UInt8] = []
            moved.reserveCapacity(count + bytes.count)
            for index in 0 ..< count { moved.append(stack[index]) }
            heap = moved
        }
        if heap != nil {
            heap!.append(span: bytes)
        } else {
            for index in bytes.indices { stack[count + index] = bytes[index] }
        }
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
