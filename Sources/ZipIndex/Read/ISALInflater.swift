#if ISAL
import CISAL

/// Raw deflate through Intel's ISA-L (igzip), with its CRC-32: the `ISAL`
/// package trait. About three times zlib's speed on the same streams; the
/// shared loop (``InflateBackend/decode(length:declared:chunkSize:read:body:)``)
/// and the differential suites hold it to zlib's verdicts.
struct ISALInflater: InflateBackend, ~Copyable {
    /// The decoder's state holds 64 KiB of history: on the heap, once per
    /// stream.
    private let state: UnsafeMutablePointer<inflate_state>

    static var name: String { "ISA-L igzip" }

    init() throws(ZipError) {
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_DEFLATE)  // raw deflate, no wrapper, no checksum of its own
    }

    mutating func reset() {
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_DEFLATE)
    }

    deinit {
        state.deallocate()
    }

    mutating func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ZipError) -> (consumed: Int, produced: Int, finished: Bool) {
        // Chunks are at most EntryReader.chunkSize: they fit ISA-L's 32-bit counts.
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(output.count)
        let status = isal_inflate(state)
        let consumed = input.count - Int(state.pointee.avail_in)
        let produced = output.count - Int(state.pointee.avail_out)
        switch status {
        case ISAL_DECOMP_OK, ISAL_END_INPUT, ISAL_OUT_OVERFLOW:
            return (consumed, produced, state.pointee.block_state == ISAL_BLOCK_FINISH)
        case ISAL_INVALID_BLOCK: throw ZipError(.corruptData, detail: "invalid deflate block")
        case ISAL_INVALID_SYMBOL: throw ZipError(.corruptData, detail: "invalid deflate symbol")
        case ISAL_INVALID_LOOKBACK: throw ZipError(.corruptData, detail: "invalid distance too far back")
        default: throw ZipError(.corruptData, detail: "ISA-L error \(status)")
        }
    }

    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        // ISA-L's length is 64-bit: one call, however large the buffer.
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
        return crc32_gzip_refl(crc, base, UInt64(bytes.count))
    }
}
#endif
