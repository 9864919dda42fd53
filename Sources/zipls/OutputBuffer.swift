import ZipIndex

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

/// Why standard output could not be written.
enum OutputError: Error, Equatable {
    /// The reader went away (`EPIPE`), as when piping into `head`. Not an
    /// error of ours: commands stop quietly.
    case brokenPipe
    /// Any other failure of `write`, with its `errno` (`ENOSPC`, `EBADF`…).
    case failed(errno: Int32)

    var message: String {
        switch self {
        case .brokenPipe: "standard output: broken pipe"
        case .failed(let code): "standard output: \(String(cString: strerror(code)))"
        }
    }
}

/// Standard output, through one large buffer flushed with `write(2)`.
///
/// A listing of a million entries is a million small writes: through
/// `print` each one takes a lock and goes through `String`; here each is a
/// `memcpy` into the buffer, and the kernel sees one `write` per 256 KiB.
/// Formatting helpers write digits straight into the buffer for the same
/// reason.
///
/// Nothing is flushed on `deinit`: callers flush explicitly, so that a
/// write error is reported rather than lost.
final class OutputBuffer {
    private let fileDescriptor: Int32?
    private let base: UnsafeMutableRawPointer
    let capacity: Int
    private var count = 0
    /// Everything flushed so far, when the buffer collects into memory.
    private(set) var collected: [UInt8] = []

    /// A buffer flushed to `fileDescriptor`.
    init(fileDescriptor: Int32 = STDOUT_FILENO, capacity: Int = 256 * 1024) {
        precondition(capacity >= 64, "the formatting helpers need some room")
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// A buffer that keeps what is flushed in ``collected``, for tests.
    init(collectingWithCapacity capacity: Int) {
        precondition(capacity >= 64, "the formatting helpers need some room")
        fileDescriptor = nil
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Writes out everything buffered.
    func flush() throws(OutputError) {
        guard count > 0 else { return }
        let pending = count
        count = 0
        try emit(UnsafeRawBufferPointer(start: base, count: pending))
    }

    // MARK: Bytes

    @inline(__always)
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count <= capacity - count {
            (base + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
        } else {
            try flush()
            if bytes.count >= capacity {
                try emit(bytes)  // a big chunk (`cat`): no point in copying it
            } else {
                base.copyMemory(from: source, byteCount: bytes.count)
                count = bytes.count
            }
        }
    }

    @inline(__always)
    func write(byte: UInt8) throws(OutputError) {
        if count == capacity { try flush() }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    func write(_ text: String) throws(OutputError) {
        try write(text.utf8.span)
    }

    /// `String.withUTF8` for bodies with typed throws (it rethrows untyped).
    static func withUTF8(_ text: String, _ body: (Span<UInt8>) throws(OutputError) -> Void) throws(OutputError) {
        try body(text.utf8.span)
    }

    func write(_ text: StaticString) throws(OutputError) {
        try write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes `byte` `times` times: padding for table columns.
    func write(repeating byte: UInt8, times: Int) throws(OutputError) {
        var left = times
        while left > 0 {
            if count == capacity { try flush() }
            let piece = min(left, capacity - count)
            (base + count).initializeMemory(as: UInt8.self, repeating: byte, count: piece)
            count += piece
            left -= piece
        }
    }

    /// Gives `body` room for at least `maximum` bytes (at most `capacity`)
    /// and keeps the number of bytes it says it wrote.
    @inline(__always)
    func withSpace(_ maximum: Int, _ body: (inout MutableSpan<UInt8>) -> Int) throws(OutputError) {
        precondition(maximum >= 0 && maximum <= capacity, "asked for more room than the buffer has")
        if capacity - count < maximum { try flush() }
        var room = UnsafeMutableBufferPointer(start: (base + count).assumingMemoryBound(to: UInt8.self), count: maximum)
            .mutableSpan
        let used = body(&room)
        precondition(used >= 0 && used <= maximum, "wrote outside the room given")
        count += used
    }

    /// Writes `bytes`.
    func write(_ bytes: Span<UInt8>) throws(OutputError) {
        try bytes.withUnsafeBytes { (raw) throws(OutputError) in try write(raw) }
    }

    // MARK: Numbers

    /// The number of decimal digits of `value`.
    static func decimalWidth(_ value: UInt64) -> Int {
        var width = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        return width
    }

    /// Writes `value` in decimal, right-aligned with spaces to `width`.
    @inline(__always)
    func write(decimal value: UInt64, width: Int = 0) throws(OutputError) {
        let digits = Self.decimalWidth(value)
        let padding = max(0, width - digits)
        try withSpace(padding + digits) { out in
            var position = padding + digits
            var rest = value
            repeat {
                position -= 1
                out[position] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
                rest /= 10
            } while rest > 0
            for i in 0 ..< padding { out[i] = 0x20 }
            return padding + digits
        }
    }

    /// Writes a signed value in decimal, right-aligned with spaces to `width`.
    func write(decimal value: Int64, width: Int = 0) throws(OutputError) {
        if value >= 0 {
            try write(decimal: UInt64(value), width: width)
        } else {
            let magnitude = value.magnitude
            try write(repeating: 0x20, times: max(0, width - 1 - Self.decimalWidth(magnitude)))
            try write(byte: UInt8(ascii: "-"))
            try write(decimal: magnitude)
        }
    }

    /// Writes `value` as exactly two digits (it must be below 100): the
    /// fields of a date.
    @inline(__always)
    func write(twoDigits value: Int) throws(OutputError) {
        try withSpace(2) { out in
            out[0] = UInt8(truncatingIfNeeded: value / 10 % 10) &+ 0x30
            out[1] = UInt8(truncatingIfNeeded: value % 10) &+ 0x30
            return 2
        }
    }

    /// Writes `value` as eight lowercase hexadecimal digits: a CRC-32.
    @inline(__always)
    func write(hex32 value: UInt32) throws(OutputError) {
        try withSpace(8) { out in
            for i in 0 ..< 8 {
                let nibble = UInt8(truncatingIfNeeded: value >> (28 - 4 * UInt32(i))) & 0xF
                out[i] = nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
            }
            return 8
        }
    }

    /// Writes an MS-DOS date and time as `YYYY-MM-DD?HH:MM:SS`, the fields
    /// as stored, like `DOSDateTime.description` but with no `String`.
    /// Every field fits its width: the year is 1980…2107, the others < 100.
    @inline(__always)
    func writeDateTime(_ date: DOSDateTime, separator: UInt8) throws(OutputError) {
        try write(decimal: UInt64(date.year), width: 4)
        try write(byte: UInt8(ascii: "-"))
        try write(twoDigits: date.month)
        try write(byte: UInt8(ascii: "-"))
        try write(twoDigits: date.day)
        try write(byte: separator)
        try write(twoDigits: date.hour)
        try write(byte: UInt8(ascii: ":"))
        try write(twoDigits: date.minute)
        try write(byte: UInt8(ascii: ":"))
        try write(twoDigits: date.second)
    }

    // MARK: Writing out

    /// Writes all of `bytes`, through short writes and interruptions.
    private func emit(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let fileDescriptor else {
            collected.append(contentsOf: bytes)
            return
        }
        do {
            try FileDescriptorIO.writeAll(fileDescriptor, bytes)
        } catch {
            throw error.code == EPIPE ? .brokenPipe : .failed(errno: error.code)
        }
    }
}
