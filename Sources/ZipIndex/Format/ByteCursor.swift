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
    private let bytes: UnsafeRawBufferPointer
    /// The index of the next byte to read.
    private(set) var position: Int
    /// The file offset of `bytes[0]`, used only to make errors precise.
    let fileOffset: UInt64

    init(_ bytes: UnsafeRawBufferPointer, fileOffset: UInt64 = 0) {
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
        return bytes[position]
    }

    @inline(__always)
    mutating func uint16() throws(ZipError) -> UInt16 {
        try need(2)
        defer { position += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    @inline(__always)
    mutating func uint32() throws(ZipError) -> UInt32 {
        try need(4)
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    @inline(__always)
    mutating func uint64() throws(ZipError) -> UInt64 {
        try need(8)
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Consumes `count` bytes and returns a cursor over just them.
    mutating func sub(_ count: Int) throws(ZipError) -> ByteCursor {
        try need(count)
        defer { position += count }
        return ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count]),
                          fileOffset: offset)
    }

    /// Consumes `count` bytes and returns them, still borrowed.
    @inline(__always)
    mutating func bytes(_ count: Int) throws(ZipError) -> UnsafeRawBufferPointer {
        try need(count)
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count])
    }

    mutating func skip(_ count: Int) throws(ZipError) {
        try need(count)
        position += count
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies that throw `ZipError`; the standard
    /// library's version only rethrows untyped errors.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZipError) -> R) throws(ZipError) -> R {
        try withUnsafeBytes { bytes in Result { () throws(ZipError) in try body(bytes) } }.get()
    }

    /// `withUnsafeMutableBytes` for bodies that throw `ZipError`.
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(ZipError) -> R) throws(ZipError) -> R {
        try withUnsafeMutableBytes { bytes in Result { () throws(ZipError) in try body(bytes) } }.get()
    }
}
