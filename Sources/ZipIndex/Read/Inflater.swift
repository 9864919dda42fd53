/// A raw deflate decoder (APPNOTE 5.5, RFC 1951): the one seam between
/// reading an entry and the library that decodes it.
///
/// Two implementations sit behind it: ``ZlibInflater`` (always built) and
/// ``ISALInflater`` (with the `ISAL` package trait, Intel's ISA-L).
/// ``Inflater`` names the one the build reads with. The loop that drives a
/// decoder, caps its output at the declared size and reports truncated or
/// corrupt streams is ``decode(length:declared:chunkSize:read:body:)``,
/// written once for both, so that they give the same verdicts.
protocol InflateBackend: ~Copyable {
    /// The decoder's name and version, for `zipls --version`.
    static var name: String { get }

    /// A decoder at the start of a stream.
    init() throws(ZipError)

    /// Back to the start of a stream, keeping what was allocated: for the
    /// next entry (after this one decoded to its end).
    mutating func reset()

    /// Decodes from `input` into `output`: how much input was taken, how
    /// much output made, and whether the stream's last block ended.
    /// Throws `.corruptData` for a stream that is not deflate.
    mutating func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws(ZipError) -> (consumed: Int, produced: Int, finished: Bool)

    /// The CRC-32 (ISO 3309, as zip uses it) of `bytes` continued from `crc`.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32
}

#if ISAL
/// The decoder this build reads with.
typealias Inflater = ISALInflater
#else
/// The decoder this build reads with.
typealias Inflater = ZlibInflater
#endif

/// Decodes one entry's deflate data with the build's ``Inflater``, giving
/// zlib's verdict whenever the data is not what the directory says.
///
/// A fast decoder may find a corrupt stream's fault at another point than
/// zlib (ISA-L decodes ahead into a buffer of its own, so it can see a bad
/// symbol before it hands over the byte that overflows the declared
/// size), and it checks less: it decodes some streams zlib refuses (an
/// invalid Huffman code set, say) to bytes that then fail the size or the
/// CRC-32. Every other zip reader a user has decodes with zlib, and one
/// reading means one verdict: so when the fast decoder fails, or its
/// output is not `declared` bytes with CRC `crc32`, zlib decodes the
/// stream again and its result stands (the caller checks it against the
/// directory as always). Output already handed to `body` is not given
/// twice: zlib's goes on from where the fast decoder's stopped (the bytes
/// before are the same, a valid prefix decodes alike). This costs nothing
/// on good data, where the fast decoder's result is final.
enum DeflateDecoding {
    static func decode(_ input: FileRange, declared: UInt64, crc32: UInt32, chunkSize: Int, cache: InflaterCache?,
                       body: (ByteView) throws -> Void) throws -> (size: UInt64, crc: UInt32) {
        #if ISAL
        var delivered: UInt64 = 0
        do {
            var fast = try cache?.takeInflater() ?? Inflater()
            let result = try fast.decode(input, declared: declared, chunkSize: chunkSize, buffers: cache) { chunk in
                do { try body(chunk) } catch { throw ConsumerError(underlying: error) }
                delivered += UInt64(chunk.count)
            }
            if result == (declared, crc32) {
                cache?.keep(fast)
                return result
            }
        } catch let error as ConsumerError {
            throw error.underlying
        } catch let error as ZipError where error.code == .corruptData || error.code == .sizeMismatch {
            // zlib's verdict, below.
        }
        var skip = delivered
        var zlib = try ZlibInflater()
        return try zlib.decode(input, declared: declared, chunkSize: chunkSize, buffers: cache) { chunk in
            guard UInt64(chunk.count) > skip else {
                skip -= UInt64(chunk.count)
                return
            }
            let rest = chunk.extracting(from: Int(skip))
            skip = 0
            try body(rest)
        }
        #else
        var inflater = try cache?.takeInflater() ?? Inflater()
        let result = try inflater.decode(input, declared: declared, chunkSize: chunkSize, buffers: cache, body: body)
        cache?.keep(inflater)
        return result
        #endif
    }

    /// An error of the output's consumer, passed through untouched.
    private struct ConsumerError: Error {
        let underlying: any Error
    }
}

extension InflateBackend where Self: ~Copyable {
    /// Decodes one entry's deflate data, the bytes of `source`, handing the
    /// output to `body` in chunks and checking it against `declared`:
    /// a stream that would make more is stopped at once (`.sizeMismatch`),
    /// one that ends early or needs more than the range holds is
    /// `.corruptData`. Returns the output's size and CRC-32; the caller
    /// compares them with the directory.
    mutating func decode(_ source: FileRange, declared: UInt64, chunkSize: Int, buffers: InflaterCache?,
                         body: (ByteView) throws -> Void) throws -> (size: UInt64, crc: UInt32) {
        let length = source.length
        let inputSize = Int(min(UInt64(chunkSize), max(length, 1)))
        // One byte of room past the declared size detects a longer stream;
        // `declared` comes from the archive and may be 2^64 - 1, hence the
        // saturating add here and below.
        let outputSize = Int(min(UInt64(chunkSize), EntryReader.plusOne(declared)))
        // A thread's buffers when it keeps them (they are `chunkSize`
        // long), else this entry's own, as long as it needs.
        let kept = buffers.flatMap { $0.chunkSize >= chunkSize ? $0 : nil }
        let input = kept.map { UnsafeMutableRawBufferPointer(rebasing: $0.input[0 ..< inputSize]) }
            ?? .allocate(byteCount: inputSize, alignment: 16)
        let output = kept.map { UnsafeMutableRawBufferPointer(rebasing: $0.output[0 ..< outputSize]) }
            ?? .allocate(byteCount: outputSize, alignment: 16)
        defer {
            if kept == nil {
                input.deallocate()
                output.deallocate()
            }
        }

        var readSoFar: UInt64 = 0
        var produced: UInt64 = 0
        var crc: UInt32 = 0
        var pending = UnsafeRawBufferPointer(start: input.baseAddress, count: 0)
        while true {
            if pending.isEmpty, readSoFar < length {
                let piece = Int(min(UInt64(inputSize), length - readSoFar))
                let chunk = UnsafeMutableRawBufferPointer(rebasing: input[0 ..< piece])
                try source.read(into: chunk, at: readSoFar)
                readSoFar += UInt64(piece)
                pending = UnsafeRawBufferPointer(chunk)
            }
            // Leave room for one byte past the declared size, to detect it.
            let allowed = declared - produced
            let room = Int(min(UInt64(outputSize), EntryReader.plusOne(allowed)))
            let step = try inflate(pending, into: UnsafeMutableRawBufferPointer(rebasing: output[0 ..< room]))
            pending = UnsafeRawBufferPointer(rebasing: pending[step.consumed...])
            if UInt64(step.produced) > allowed {
                throw ZipError(.sizeMismatch, detail: "the data inflates to more than the declared \(declared) bytes")
            }
            if step.produced > 0 {
                let chunk = UnsafeRawBufferPointer(rebasing: output[0 ..< step.produced])
                crc = Self.crc32(crc, chunk)
                produced += UInt64(step.produced)
                try body(ByteView(unsafeBytes: chunk))
            }
            if step.finished { return (produced, crc) }
            // A decoder may hold input and output of its own (ISA-L does):
            // with all input given, it is called until it stops moving.
            if step.produced == 0, step.consumed == 0 {
                guard !pending.isEmpty else {
                    throw ZipError(.corruptData, detail: "the compressed data (\(length) bytes) ends before the deflate stream does")
                }
                // Input to spare, room to write, and nothing moves.
                throw ZipError(.corruptData, detail: "the deflate stream makes no progress")
            }
        }
    }
}

/// One thread's decoder and buffers, kept from one entry to the next.
///
/// For an archive of many small deflated entries (a wheel, a jar), setting
/// a decoder up costs about as much as decoding: zlib allocates its state
/// and its 32 KiB window, ISA-L's state is 87 KiB, and the input and output
/// buffers are two more allocations. A thread that reads many entries
/// (``ZipArchive/verify(_:concurrency:progress:result:)``, extraction)
/// keeps one of each here, through its ``ReadWindow``. A decoder is kept
/// only after a stream it decoded to the end, and reset before reuse; one
/// that failed is dropped.
final class InflaterCache {
    let chunkSize: Int
    private var inflater: Inflater?
    /// The input and output buffers, `chunkSize` bytes each.
    let input: UnsafeMutableRawBufferPointer
    let output: UnsafeMutableRawBufferPointer

    init(chunkSize: Int) {
        self.chunkSize = chunkSize
        input = .allocate(byteCount: chunkSize, alignment: 16)
        output = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// The kept decoder, or a new one.
    func takeInflater() throws(ZipError) -> Inflater {
        if let kept = inflater.take() { return kept }
        return try Inflater()
    }

    /// Keeps `decoder`, which decoded a stream to its end, for the next.
    func keep(_ decoder: consuming Inflater) {
        decoder.reset()
        inflater = consume decoder
    }
}

extension ZipArchive {
    /// The library that decodes deflate data and computes CRC-32 in this
    /// build: "zlib 1.2.13", or "ISA-L igzip" with the `ISAL` trait.
    public static var inflateLibrary: String { Inflater.name }
}
