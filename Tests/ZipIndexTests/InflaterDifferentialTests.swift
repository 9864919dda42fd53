import Foundation
import HostileTable
import Testing
@testable import ZipIndex

/// The two inflate backends give one verdict. With the `ISAL` trait the
/// build reads with ISA-L; zlib is still linked, and every deflate stream
/// here goes through both with the same driving loop: the same bytes, or
/// the same `ZipError` code. Fast decoders are known to differ from zlib on
/// truncated and corrupt input, so the streams are cut at many offsets and
/// flipped at seeded bits. In the default build both sides are zlib, and
/// the suite checks the loop against itself (it still must not trap).
@Suite("Inflate backends agree")
struct InflaterDifferentialTests {
    /// Every deflated entry's raw data in the fixtures, the corpus and the
    /// hostile table, with its declared size.
    static let streams: [(name: String, data: [UInt8], declared: UInt64, crc: UInt32)] = {
        var result: [(String, [UInt8], UInt64, UInt32)] = []
        let corpus = ((try? FileManager.default.contentsOfDirectory(atPath: Fixture.path("corpus/files"))) ?? [])
            .sorted().map { "corpus/files/" + $0 }
        for name in Fixture.all + corpus {
            guard let archive = try? Fixture.open(name, limits: .unlimited), let bytes = try? Fixture.bytes(name) else { continue }
            for entry in archive.entries where entry.method == .deflated && entry.compressedSize < 4 << 20 {
                var reader = archive.entryReader(window: nil)
                reader.entry = entry.index
                guard let (offset, length) = try? reader.dataRange() else { continue }
                result.append(("\(name):\(entry.name)", Array(bytes[Int(offset) ..< Int(offset + length)]), entry.uncompressedSize,
                               entry.crc32))
                if result.count % 64 == 0 { break }  // a few per large archive is enough
            }
        }
        return result
    }()

    enum Outcome: Equatable {
        case data(size: UInt64, crc: UInt32)
        case error(ZipError.Code)
    }

    /// Decodes with zlib alone (`buildPath` false) or as the build reads
    /// (``DeflateDecoding``: the fast decoder, zlib's verdict on failure).
    /// The output's CRC-32 is computed here with zlib, so that the bytes
    /// themselves are compared, not each side's own checksum.
    static func decode(_ data: [UInt8], declared: UInt64, crc declaredCRC: UInt32, buildPath: Bool,
                       cache: InflaterCache? = nil) -> Outcome {
        var size: UInt64 = 0
        var crc: UInt32 = 0
        let input = FileRange(source: ByteSource(bytes: data), window: nil, offset: 0, length: UInt64(data.count))
        let body = { (chunk: ByteView) in
            size += UInt64(chunk.count)
            crc = ZlibInflater.crc32(crc, chunk.unsafeBytes)
        }
        do {
            // A small chunk size, so that streams cross many read boundaries.
            let result: (size: UInt64, crc: UInt32)
            if buildPath {
                result = try DeflateDecoding.decode(input, declared: declared, crc32: declaredCRC, chunkSize: 4096,
                                                    cache: cache, body: body)
            } else {
                var zlib = try ZlibInflater()
                result = try zlib.decode(input, declared: declared, chunkSize: 4096, buffers: nil, body: body)
            }
            #expect(result.size == size && result.crc == crc, "the decoder's own count and CRC-32 differ from its output's")
            // The reader's own check against the directory, as EntryReader.verify.
            guard size == declared else { return .error(.sizeMismatch) }
            guard crc == declaredCRC else { return .error(.checksumMismatch) }
            return .data(size: size, crc: crc)
        } catch let error as ZipError {
            return .error(error.code)
        } catch {
            return .error(.io)
        }
    }

    /// zlib's outcome and the build's. The build decodes twice: with a
    /// decoder of its own, and with `cache`'s (kept from the streams the
    /// test decoded before, good and bad), which must not change a verdict.
    static func agree(_ data: [UInt8], declared: UInt64, crc: UInt32, cache: InflaterCache) -> (Outcome, Outcome) {
        let build = decode(data, declared: declared, crc: crc, buildPath: true)
        let reused = decode(data, declared: declared, crc: crc, buildPath: true, cache: cache)
        #expect(reused == build, "a kept decoder gave another verdict")
        return (decode(data, declared: declared, crc: crc, buildPath: false), build)
    }

    @Test func theCorpusHasDeflateStreams() {
        #expect(Self.streams.count >= 50, "\(Self.streams.count)")
    }

    @Test func wholeStreamsDecodeAlikeAndToTheirDeclaredSize() {
        let cache = InflaterCache(chunkSize: 4096)
        var decoded = 0
        for stream in Self.streams {
            let (zlib, build) = Self.agree(stream.data, declared: stream.declared, crc: stream.crc, cache: cache)
            #expect(zlib == build, "\(stream.name)")
            if zlib == .data(size: stream.declared, crc: zlib.crc) { decoded += 1 }
        }
        // A few fixtures are corrupt on purpose; the rest decode whole.
        #expect(decoded >= Self.streams.count * 9 / 10, "\(decoded) of \(Self.streams.count)")
    }

    @Test func declaredSizesOneShortAndOneLongGiveOneVerdict() {
        let cache = InflaterCache(chunkSize: 4096)
        for stream in Self.streams where stream.declared > 0 {
            for declared in [stream.declared - 1, stream.declared + 1, 0] {
                let (zlib, build) = Self.agree(stream.data, declared: declared, crc: stream.crc, cache: cache)
                #expect(zlib == build, "\(stream.name) declared \(declared)")
            }
        }
    }

    @Test func streamsCutAnywhereGiveOneVerdict() {
        let cache = InflaterCache(chunkSize: 4096)
        for stream in Self.streams.prefix(40) {
            let step = max(1, stream.data.count / 97)
            for length in Swift.stride(from: 0, to: stream.data.count, by: step) {
                let (zlib, build) = Self.agree(Array(stream.data[..<length]), declared: stream.declared, crc: stream.crc, cache: cache)
                #expect(zlib == build, "\(stream.name) cut to \(length)")
                #expect(zlib != .data(size: stream.declared, crc: zlib.crc) || length == stream.data.count,
                        "\(stream.name) cut to \(length) still decodes whole")
            }
        }
    }

    @Test func seededBitFlipsGiveOneVerdict() {
        let cache = InflaterCache(chunkSize: 4096)
        var generator = SeededRandom(seed: 0x1F8B_0800)
        var differences: [String] = []
        for stream in Self.streams where !stream.data.isEmpty {
            for _ in 0 ..< 40 {
                var data = stream.data
                // Flips near the start hit the block headers and Huffman
                // tables, where decoders differ most.
                let position = generator.next() % 2 == 0 ? Int(generator.next() % UInt64(min(data.count, 64)))
                                                         : Int(generator.next() % UInt64(data.count))
                data[position] ^= UInt8(1) << (generator.next() % 8)
                let (zlib, build) = Self.agree(data, declared: stream.declared, crc: stream.crc, cache: cache)
                if zlib != build { differences.append("\(stream.name) byte \(position): zlib \(zlib), \(Inflater.name) then zlib \(build)") }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences: \(differences.prefix(5))")
    }

    /// Hand-made streams at the edges of RFC 1951: empty stored blocks, a
    /// stored block whose lengths disagree, a reserved block type, a
    /// distance before the start, an incomplete Huffman code, data after
    /// the final block.
    @Test(arguments: [
        [0x03, 0x00],  // a final fixed block holding only end-of-block
        [0x01, 0x00, 0x00, 0xFF, 0xFF],  // a final empty stored block
        [0x01, 0x00, 0x00, 0xFF, 0xFE],  // stored lengths that disagree
        [0x07, 0x00],  // reserved block type 3
        [0x63, 0x00, 0x02, 0x00],  // fixed block: literal, then a distance too far back
        [0x05, 0xE0, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],  // dynamic block with a bad code-length code
        [0x4B, 0x04, 0x00, 0xFF, 0xFF, 0xFF],  // "a" then trailing bytes after the final block
        [0x00, 0x00, 0x00, 0xFF, 0xFF],  // a non-final empty stored block and nothing after
    ] as [[UInt8]])
    func edgeStreamsGiveOneVerdict(_ data: [UInt8]) {
        let cache = InflaterCache(chunkSize: 4096)
        for declared: UInt64 in [0, 1, 2, 100] {
            let (zlib, build) = Self.agree(data, declared: declared, crc: 0, cache: cache)
            #expect(zlib == build, "\(data) declared \(declared)")
        }
    }
}

extension InflaterDifferentialTests.Outcome {
    var crc: UInt32 {
        if case .data(_, let crc) = self { return crc }
        return 0
    }
}
