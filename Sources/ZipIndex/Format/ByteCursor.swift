#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A little-endian reader over borrowed bytes that cannot read out of bounds.
///
/// Each read consumes bytes from the front, so header parsing reads top to
/// bottom like the APPNOTE table it implements (Go's `readBuf`). Every read
/// checks the remaining length first and throws `.truncated` instead of
/// trapping, so a short or hostile buffer can never crash the process.
///
/// The cursor borrows its bytes: use it only inside the closure that
/// provides the buffer.
struct ByteCursor {
    private let bytes: ByteView
    /// The index of the next byte to read.
    private(set) var position: Int
    /// The file offset of `bytes[0]`, used only to make errors precise.
    let fileOffset: UInt64

    init(_ bytes: ByteView, fileOffset: UInt64 = 0) {
        self.bytes = bytes
        self.position = 0
        self.fileOffset = fileOffset
    }

    var remaining: Int { bytes.count - position }

    /// The file offset of the next byte to read.
    var offset: UInt64 { fileOffset &+ UInt64(position) }

    @inline(__always)
    private func need(_ count: Int) throws(ZipError) {
        guard count <= remaining else { throw shortRead(count) }
    }

    /// Kept out of line so that the checks above stay a compare and a branch.
    @inline(never)
    private func shortRead(_ count: Int) -> ZipError {
        ZipError(.truncated, offset: offset, detail: "needed \(count) bytes, \(remaining) left")
    }

    @inline(__always)
    mutating func uint8() throws(ZipError) -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes.uncheckedLoad(at: position)
    }

    @inline(__always)
    mutating func uint16() throws(ZipError) -> UInt16 {
        try need(2)
        defer { position += 2 }
        return bytes.uncheckedLoad(at: position)
    }

    @inline(__always)
    mutating func uint32() throws(ZipError) -> UInt32 {
        try need(4)
        defer { position += 4 }
        return bytes.uncheckedLoad(at: position)
    }

    @inline(__always)
    mutating func uint64() throws(ZipError) -> UInt64 {
        try need(8)
        defer { position += 8 }
        return bytes.uncheckedLoad(at: position)
    }

    /// Consumes `count` bytes and returns a cursor over just them.
    mutating func sub(_ count: Int) throws(ZipError) -> ByteCursor {
        try need(count)
        defer { position += count }
        return ByteCursor(bytes.uncheckedExtracting(position, count), fileOffset: offset)
    }

    /// Consumes `count` bytes and returns them, still borrowed.
    @inline(__always)
    mutating func bytes(_ count: Int) throws(ZipError) -> ByteView {
        try need(count)
        defer { position += count }
        return bytes.uncheckedExtracting(position, count)
    }

    mutating func skip(_ count: Int) throws(ZipError) {
        try need(count)
        position += count
    }
}

/// Bytes borrowed from a buffer that someone else keeps alive (a read from
/// the file, the name arena, a chunk of output), valid only inside the
/// closure that provides them, as `Span` is; Swift 6.3 cannot yet store a
/// `Span` in a struct without an experimental feature.
///
/// Every subscript, load and slice checks its bounds in release builds too:
/// a bad length read from an archive traps here before it can read memory
/// it does not own, and the parsers check lengths before they get here.
/// This file, the byte source, the table buffers and the codec seam are the
/// only places that see the pointer.
struct ByteView: RandomAccessCollection {
    private let base: UnsafeRawBufferPointer

    /// Borrows `base`, which must outlive every use of the view.
    init(unsafeBytes base: UnsafeRawBufferPointer) {
        self.base = base
    }

    var startIndex: Int { 0 }
    var endIndex: Int { base.count }
    var count: Int { base.count }

    /// Iterates the borrowed bytes themselves (the bounds are the view's):
    /// `for byte in view` and `reduce` cost no index check per byte, which
    /// a debug build (the sanitizers') pays as calls.
    func makeIterator() -> UnsafeRawBufferPointer.Iterator {
        base.makeIterator()
    }

    @inline(__always)
    subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < base.count, "ByteView index out of range")
        return base[position]
    }

    /// The bytes at `range`, still borrowed, indexed from 0.
    @inline(__always)
    func extracting(_ range: Range<Int>) -> ByteView {
        precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "ByteView range out of bounds")
        return uncheckedExtracting(range.lowerBound, range.count)
    }

    /// The bytes from `start` to the end, still borrowed.
    @inline(__always)
    func extracting(from start: Int) -> ByteView {
        extracting(start ..< base.count)
    }

    /// The little-endian integer at `offset`.
    @inline(__always)
    func load<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        precondition(offset >= 0 && base.count - offset >= MemoryLayout<T>.size, "ByteView load out of bounds")
        return uncheckedLoad(at: offset)
    }

    /// ``load(at:as:)`` for the two widths the name hash reads, without
    /// the generic path that a debug build calls through several times
    /// per load.
    @inline(__always)
    func load(at offset: Int, as type: UInt64.Type = UInt64.self) -> UInt64 {
        precondition(offset >= 0 && base.count - offset >= 8, "ByteView load out of bounds")
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    func load(at offset: Int, as type: UInt32.Type = UInt32.self) -> UInt32 {
        precondition(offset >= 0 && base.count - offset >= 4, "ByteView load out of bounds")
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// For the cursor, which checked the length itself.
    @inline(__always)
    fileprivate func uncheckedLoad<T: FixedWidthInteger>(at offset: Int) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    @inline(__always)
    fileprivate func uncheckedExtracting(_ start: Int, _ count: Int) -> ByteView {
        ByteView(unsafeBytes: UnsafeRawBufferPointer(start: base.baseAddress.map { $0 + start }, count: count))
    }

    /// Whether both hold the same bytes (`memcmp`).
    @inline(__always)
    func elementsEqual(_ other: ByteView) -> Bool {
        guard base.count == other.base.count else { return false }
        guard let a = base.baseAddress, let b = other.base.baseAddress else { return true }
        return memcmp(a, b, base.count) == 0
    }

    /// A copy with the ASCII letters lowercased, the other bytes as they
    /// are: one pass over the bytes, for keys compared ignoring case.
    func asciiLowercased() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: base.count) { buffer, initialized in
            var position = 0
            while position < base.count {
                let byte = base[position]
                buffer[position] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                position += 1
            }
            initialized = base.count
        }
    }

    /// The index of the first `value` (`memchr`), in place of the
    /// collection's generic byte-by-byte search.
    func firstIndex(of value: UInt8) -> Int? {
        firstIndex(of: value, in: 0 ..< base.count)
    }

    /// The index of the first `value` in `range` (`memchr`).
    func firstIndex(of value: UInt8, in range: Range<Int>) -> Int? {
        precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "ByteView range out of bounds")
        guard !range.isEmpty, let start = base.baseAddress,
              let hit = memchr(start + range.lowerBound, Int32(value), range.count) else { return nil }
        return start.distance(to: UnsafeRawPointer(hit))
    }

    /// The bytes typed as `UInt8`: raw bytes are always valid `UInt8`s.
    @inline(__always)
    private var typed: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base.baseAddress?.assumingMemoryBound(to: UInt8.self), count: base.count)
    }

    func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try body(typed)
    }

    /// The bytes, copied into an array with one `memcpy` (the generic
    /// collection copy goes byte by byte in a debug build).
    var array: [UInt8] { Array(typed) }

    /// The bytes at each of `ranges`, in order, with `separator` between
    /// them: one `memcpy` per range.
    func joined(_ ranges: [Range<Int>], separator: UInt8) -> [UInt8] {
        guard !ranges.isEmpty else { return [] }
        var length = ranges.count - 1
        var position = 0
        while position < ranges.count {
            let range = ranges[position]
            precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "ByteView range out of bounds")
            length += range.count
            position += 1
        }
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            var written = 0
            var position = 0
            while position < ranges.count {
                let range = ranges[position]
                if position > 0 {
                    target[written] = separator
                    written += 1
                }
                if let source = base.baseAddress, !range.isEmpty {
                    memcpy(target + written, source + range.lowerBound, range.count)
                    written += range.count
                }
                position += 1
            }
            initialized = written
        }
    }

    /// Appends the bytes to `array` with one `memcpy`.
    func append(to array: inout [UInt8]) {
        array.append(contentsOf: typed)
    }

    /// The bytes as a `Span`, for the public API.
    @inline(__always)
    func withSpan<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        let typed = typed
        return try body(typed.span)
    }

    /// Borrows the bytes of `span` for `body`.
    static func with<R, E: Error>(_ span: Span<UInt8>, _ body: (ByteView) throws(E) -> R) throws(E) -> R {
        try span.withUnsafeBufferPointer { (typed) throws(E) in try body(ByteView(unsafeBytes: UnsafeRawBufferPointer(typed))) }
    }

    /// Borrows the UTF-8 bytes of `text` for `body`.
    static func with<R>(utf8 text: String, _ body: (ByteView) -> R) -> R {
        var text = text
        return text.withUTF8 { body(ByteView(unsafeBytes: UnsafeRawBufferPointer($0))) }
    }

    /// Borrows the UTF-8 bytes of `text` for `body`.
    static func with<R>(utf8 text: Substring, _ body: (ByteView) -> R) -> R {
        var text = text
        return text.withUTF8 { body(ByteView(unsafeBytes: UnsafeRawBufferPointer($0))) }
    }

    /// The pointer, for the few files that hand bytes to C (the byte
    /// source, the table buffers, the codec seam); valid as long as the view.
    var unsafeBytes: UnsafeRawBufferPointer { base }
}

extension Array where Element == UInt8 {
    /// The array's bytes as a ``ByteView`` for `body`; typed-throwing.
    func withBytes<R, E: Error>(_ body: (ByteView) throws(E) -> R) throws(E) -> R {
        try withUnsafeBytes { raw in Result { () throws(E) in try body(ByteView(unsafeBytes: raw)) } }.get()
    }

    /// `withUnsafeMutableBytes` for bodies that throw `ZipError`.
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(ZipError) -> R) throws(ZipError) -> R {
        try withUnsafeMutableBytes { bytes in Result { () throws(ZipError) in try body(bytes) } }.get()
    }
}
