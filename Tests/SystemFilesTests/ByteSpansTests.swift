import Glibc
import SystemFiles
import Testing

/// The byte helpers the importer's lookups run through: the table build
/// appends every name with `append(span:)`, a lookup compares members with
/// `hasSameBytes`, and every stat passes its path through a C string.
@Suite("Byte spans and C paths")
struct ByteSpansTests {
    // (`#expect` cannot capture a `Span`.)
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.span.hasSameBytes(as: b.span) }
    static func decoded(_ bytes: [UInt8]) -> String { bytes.span.decodedString }

    @Test func appendingSpansGrowsTheArrayGeometricallyNotToTheExactSize() {
        // `reserveCapacity(count + n)` before each append grew the array to
        // exactly its new size, so that each append copied the whole array.
        var bytes = [UInt8](repeating: 7, count: 1_000)
        bytes.append(span: [UInt8(1)].span)
        #expect(bytes.capacity >= 1_500)
        let piece: [UInt8] = Array("abc".utf8)
        var appended: [UInt8] = []
        for _ in 0 ..< 1_000 { appended.append(span: piece.span) }
        #expect(appended == Array(repeating: piece, count: 1_000).flatMap { $0 })
    }

    @Test func sameBytesFindsADifferenceAtEveryPositionOfEveryLength() {
        for length in 0 ... 40 {
            let a = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
            #expect(Self.same(a, Array(a)))
            #expect(!Self.same(a, a + [0]))
            for position in 0 ..< length {
                var b = a
                b[position] ^= 0x40
                #expect(!Self.same(a, b), "length \(length), difference at \(position)")
            }
        }
    }

    @Test func decodedStringCopiesValidUTF8AndRepairsTheRest() {
        #expect(Self.decoded(Array("pyspark/sql/é.py".utf8)) == "pyspark/sql/é.py")
        #expect(Self.decoded([0x61, 0xFF, 0x62]) == "a\u{FFFD}b")
        #expect(Self.decoded([]) == "")
    }

    @Test func aPathLongerThanAnyStackCopyStillReachesTheKernel() {
        // `/tmp/./././…`: 3,000 bytes, under PATH_MAX, naming /tmp.
        let long = Array(("/tmp" + String(repeating: "/.", count: 1_498)).utf8)
        #expect(long.count == 3_000)
        #expect(Platform.fileStatus(path: long).map { $0.st_mode & S_IFMT } == S_IFDIR)
        #expect(Platform.fileStatus(path: Array("/tmp".utf8)).map { $0.st_mode & S_IFMT } == S_IFDIR)
    }

    @Test func aPathWithANulByteIsRefusedBeforeTheKernelSeesIt() {
        // C would see "/tmp" and stat a different file.
        #expect(Platform.fileStatus(path: Array("/tmp\0/missing".utf8)) == nil)
        #expect(Platform.fileStatus(path: []) == nil)
    }
}
