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
    /// The thread's decoder and buffers, when it reads many entries (nil
    /// for a window made for one small entry).
    let inflaters: InflaterCache?
    private let buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer[0]`, and how many bytes are valid.
    private var start: UInt64 = 0
    private var count = 0

    /// A window of `capacity` bytes onto `source`.
    init(source: ByteSource, capacity: Int, inflaters: InflaterCache? = nil) {
        self.source = source
        self.inflaters = inflaters
        buffer = .allocate(byteCount: max(capacity, 64), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Fills `destination` with the bytes at `offset`, from the window
    /// (refilled if need be), or straight from the file for a read the
    /// window does not take. Errors are the source's own.
    func read(into destination: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ZipError) {
        guard destination.count > 0, let target = destination.baseAddress else { return }
        if let bytes = try windowed(offset, destination.count) {
            target.copyMemory(from: bytes, byteCount: destination.count)
        } else {
            try source.read(into: destination, at: offset)
        }
    }

    /// Calls `body` with the `count` bytes at `offset`: in the window (no
    /// copy, no allocation) when it takes them, else read into an array.
    func withBytes<R>(count: Int, at offset: UInt64,
                      _ body: (ByteView) throws(ZipError) -> R) throws(ZipError) -> R {
        if let bytes = try windowed(offset, count) {
            return try body(ByteView(unsafeBytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        }
        return try source.read(count: count, at: offset).withBytes(body)
    }

    /// Where the `length` bytes at `offset` are in the window, refilling it
    /// from `offset` if need be; nil for a read it does not take: more
    /// than 64 KiB (a big entry's data would only be copied once more), or
    /// one running past the end of the file (the source then says how).
    private func windowed(_ offset: UInt64, _ length: Int) throws(ZipError) -> UnsafeRawPointer? {
        guard let base = buffer.baseAddress, length <= min(buffer.count, 64 << 10) else { return nil }
        if !covers(offset, length) {
            guard offset < source.size else { return nil }
            let fill = Int(min(UInt64(buffer.count), source.size - offset))
            guard fill >= length else { return nil }
            try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< fill]), at: offset)
            start = offset
            count = fill
        }
        // In range: covers() or the refill above checked it.
        return UnsafeRawPointer(base + Int(offset - start))
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

/// One range of the file (an entry's data), read through a thread's window
/// when it has one, else straight from the source.
struct FileRange {
    let source: ByteSource
    let window: ReadWindow?
    /// The absolute offset of the range's first byte.
    let offset: UInt64
    let length: UInt64

    /// Fills `buffer` with the bytes at `position` (from the range's start).
    func read(into buffer: UnsafeMutableRawBufferPointer, at position: UInt64) throws(ZipError) {
        if let window { return try window.read(into: buffer, at: offset + position) }
        try source.read(into: buffer, at: offset + position)
    }

    /// Calls `body` with the whole range in order, in chunks of at most
    /// `chunkSize` bytes read into one buffer reused for every chunk.
    func forEachChunk(chunkSize: Int, _ body: (ByteView) throws -> Void) throws {
        let size = Int(min(UInt64(chunkSize), max(length, 1)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var done: UInt64 = 0
        while done < length {
            let piece = Int(min(UInt64(size), length - done))
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< piece])
            try read(into: chunk, at: done)
            done += UInt64(piece)
            try body(ByteView(unsafeBytes: UnsafeRawBufferPointer(chunk)))
        }
    }
}
