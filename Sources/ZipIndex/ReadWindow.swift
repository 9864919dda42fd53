/// A window onto an archive file: one large `pread` serves the local
/// headers, data and descriptors of many neighbouring small entries.
///
/// Reading a small entry costs three or four system calls (the local
/// header, the data, the descriptor), each moving a few dozen bytes; for an
/// archive of a million small entries those calls are most of the time.
/// A window reads ahead from the first offset asked for, so that the next
/// reads, of the same record or the records after it (entries are mostly
/// stored in directory order), come from memory. One per thread: it is not
/// shared.
final class ReadWindow {
    let source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer[0]`, and how many bytes are valid.
    private var start: UInt64 = 0
    private var count = 0

    /// A window of `capacity` bytes onto `source`.
    init(source: ByteSource, capacity: Int) {
        self.source = source
        buffer = .allocate(byteCount: max(capacity, 64), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Fills `destination` with the bytes at `offset`, from the window when
    /// it holds them; else a read of up to the window's size refills it
    /// from `offset` (a read of more than 64 KiB goes straight to the
    /// file). Errors are the source's own.
    func read(into destination: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ZipError) {
        guard destination.count > 0, let target = destination.baseAddress, let base = buffer.baseAddress else { return }
        if !covers(offset, destination.count) {
            // Large reads (a big entry's data) go straight to the file:
            // through the window they would only be copied once more.
            guard destination.count <= min(buffer.count, 64 << 10), offset < source.size else {
                try source.read(into: destination, at: offset)
                return
            }
            let length = Int(min(UInt64(buffer.count), source.size - offset))
            guard length >= destination.count else {
                try source.read(into: destination, at: offset)  // past the end: the source says how
                return
            }
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< length]), at: offset)
            start = offset
            count = length
        }
        // In range: covers() or the refill above checked it.
        target.copyMemory(from: base + Int(offset - start), byteCount: destination.count)
    }

    /// Calls `body` with the `count` bytes at `offset`, in the window
    /// (refilled if need be): no copy, no allocation. Only for `count` up
    /// to 64 KiB and the window's size; else they are read into an array.
    func withBytes<R>(count: Int, at offset: UInt64,
                      _ body: (UnsafeRawBufferPointer) throws(ZipError) -> R) throws(ZipError) -> R {
        guard count <= min(buffer.count, 64 << 10), let base = buffer.baseAddress else {
            return try read(count: count, at: offset).withBytes(body)
        }
        if !covers(offset, count) {
            let length = offset < source.size ? Int(min(UInt64(buffer.count), source.size - offset)) : 0
            guard length >= count else { return try read(count: count, at: offset).withBytes(body) }  // the source's error
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< length]), at: offset)
            start = offset
            self.count = length
        }
        return try body(UnsafeRawBufferPointer(start: base + Int(offset - start), count: count))
    }

    /// Reads `count` bytes at `offset` into a new array.
    func read(count: Int, at offset: UInt64) throws(ZipError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        try result.withMutableBytes { (bytes) throws(ZipError) in try read(into: bytes, at: offset) }
        return result
    }

    private func covers(_ offset: UInt64, _ length: Int) -> Bool {
        offset >= start && offset - start <= UInt64(count) && UInt64(count) - (offset - start) >= UInt64(length)
    }
}
