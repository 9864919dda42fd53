import CZlib

/// Raw deflate through zlib (`inflateInit2` with `windowBits` −15: no zlib
/// or gzip wrapper, as APPNOTE 5.5 stores it).
struct ZlibInflater: InflateBackend, ~Copyable {
    /// zlib checks that a stream is used at the address it was set up at,
    /// so the `z_stream` lives on the heap, not in this value.
    private let stream: UnsafeMutablePointer<z_stream>

    static var name: String { "zlib " + String(cString: zlibVersion()) }

    init() throws(ZipError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_inflate_init_raw(stream) == Z_OK else {
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "no memory"
            stream.deallocate()
            throw ZipError(.corruptData, detail: "zlib could not start: \(message)")
        }
    }

    mutating func reset() {
        inflateReset(stream)
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    mutating func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ZipError) -> (consumed: Int, produced: Int, finished: Bool) {
        // Chunks are at most EntryReader.chunkSize: they fit zlib's 32-bit counts.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.pointee.avail_in)
        let produced = output.count - Int(stream.pointee.avail_out)
        switch status {
        case Z_STREAM_END:
            return (consumed, produced, true)
        case Z_OK, Z_BUF_ERROR:
            // Z_BUF_ERROR: no progress was possible; the loop decides
            // whether more input can help.
            return (consumed, produced, false)
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw ZipError(.corruptData, detail: message)
        }
    }

    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
        var value = UInt(crc)
        var left = bytes.count
        // zlib's length is a 32-bit uInt: feed it in pieces.
        while left > 0 {
            let piece = min(left, 1 << 30)
            value = CZlib.crc32(value, base, uInt(piece))
            base += piece
            left -= piece
        }
        return UInt32(truncatingIfNeeded: value)
    }
}
