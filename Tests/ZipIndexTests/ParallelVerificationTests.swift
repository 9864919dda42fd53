import Foundation
import Synchronization
import Testing
@testable import ZipIndex

/// `verify(_:concurrency:progress:result:)`: the verdicts of a parallel
/// check are those of reading each entry, in the same order, whatever the
/// number of threads.
@Suite("Parallel verification")
struct ParallelVerificationTests {
    /// 500 stored entries; every 7th declares a wrong size, every 11th
    /// points its local header somewhere wrong.
    /// Made per test: a static archive held for the whole run is reported
    /// by LeakSanitizer.
    static func makeArchive() throws -> ZipArchive {
        let members = (0 ..< 500).map { index -> HandmadeArchive.Member in
            var member = HandmadeArchive.Member(name: Array("file\(index).txt".utf8),
                                                data: Array(String(repeating: "\(index) ", count: index % 50 + 1).utf8))
            if index % 7 == 3 { member.declaredSize = UInt32(member.data.count + 1) }
            if index % 11 == 5 { member.localHeaderOffset = 1 }
            return member
        }
        return try ZipArchive(bytes: HandmadeArchive.build(members))
    }

    /// What reading each entry one after another says.
    static func expected(_ archive: ZipArchive) -> [ZipError.Code?] {
        archive.entries.map { entry -> ZipError.Code? in
        do throws(ZipError) {
            _ = try archive.read(entry)
            return nil
        } catch {
            return error.code
        }
        }
    }

    @Test(arguments: [1, 2, 3, 8])
    func verdictsAreThoseOfReadingEachEntryInOrder(concurrency: Int) throws {
        let archive = try Self.makeArchive()
        let expected = Self.expected(archive)
        var seen: [Int] = []
        var codes: [ZipError.Code?] = []
        let bytes = Atomic<Int>(0)
        archive.verify(Array(archive.entries), concurrency: concurrency,
                            progress: { bytes.wrappingAdd($0, ordering: .relaxed) }) { entry, error in
            seen.append(entry.index)
            codes.append(error?.code)
            #expect(error == nil || error?.entry == entry.name)
        }
        #expect(seen == Array(0 ..< 500))
        #expect(codes == expected)
        #expect(expected.contains(nil) && expected.contains(.sizeMismatch) && expected.contains { $0 != nil && $0 != .sizeMismatch })
        let good = archive.entries.filter { expected[$0.index] == nil }.reduce(UInt64(0)) { $0 + $1.uncompressedSize }
        #expect(UInt64(bytes.load(ordering: .relaxed)) >= good)
    }

    /// Left to choose (`concurrency: nil`), it gives the same verdicts.
    @Test func theAutomaticChoiceGivesTheSameVerdicts() throws {
        let archive = try Self.makeArchive()
        var codes: [ZipError.Code?] = []
        archive.verify(Array(archive.entries)) { _, error in codes.append(error?.code) }
        #expect(codes == Self.expected(archive))
    }

    /// A total output limit makes the order of the reads matter: the
    /// entries refused are the ones reading one after another refuses,
    /// whatever the number of threads.
    @Test(arguments: [1, 2, 4])
    func aTotalOutputLimitRefusesTheSameEntriesOnAnyNumberOfThreads(concurrency: Int) throws {
        let bytes = HandmadeArchive.build((0 ..< 300).map {
            HandmadeArchive.Member(name: Array("f\($0)".utf8), data: Array(repeating: UInt8($0 % 256), count: 100))
        })
        let limits = ReadLimits(maximumTotalOutput: 100 * 150 + 50)
        let expected = Self.expected(try ZipArchive(bytes: bytes, limits: limits))
        #expect(expected.prefix(150).allSatisfy { $0 == nil })
        #expect(expected.dropFirst(150).allSatisfy { $0 == .limitExceeded })
        let archive = try ZipArchive(bytes: bytes, limits: limits)
        var codes: [ZipError.Code?] = []
        archive.verify(Array(archive.entries), concurrency: concurrency) { _, error in codes.append(error?.code) }
        #expect(codes == expected)
    }

    /// A run that fits under the total output limit counts each entry it
    /// admits once, and those it refuses before reading (one larger than
    /// the entry size limit) not at all: what is left is exactly the limit
    /// minus those.
    @Test(arguments: [1, 3])
    func aRunCountsWhatItAdmitsOnce(concurrency: Int) throws {
        var members = (0 ..< 200).map {
            HandmadeArchive.Member(name: Array("f\($0)".utf8), data: Array(repeating: 7, count: 100))
        }
        members[10].declaredSize = 1_000_000  // refused before reading, not counted
        let bytes = HandmadeArchive.build(members)
        let admitted = UInt64(199 * 100)
        for spare in [UInt64(0), 100] {
            let archive = try ZipArchive(bytes: bytes, limits: ReadLimits(maximumEntrySize: 10_000, maximumTotalOutput: admitted + spare))
            var codes: [ZipError.Code?] = []
            archive.verify(Array(archive.entries), concurrency: concurrency) { _, error in codes.append(error?.code) }
            #expect(codes.filter { $0 == nil }.count == 199)
            #expect(codes[10] == .limitExceeded)
            // One more entry of 100 bytes fits only in the spare.
            let again: ZipError.Code? = { () -> ZipError.Code? in
                do throws(ZipError) {
                    _ = try archive.read(archive.entries[0])
                    return nil
                } catch {
                    return error.code
                }
            }()
            #expect(again == (spare == 0 ? .limitExceeded : nil))
        }
    }

    struct Stop: Error {}

    @Test func anErrorFromTheHandlerStopsTheWorkAndIsRethrown() throws {
        let archive = try Self.makeArchive()
        var calls = 0
        #expect(throws: Stop.self) {
            try archive.verify(Array(archive.entries), concurrency: 4) { entry, _ in
                calls += 1
                if entry.index == 40 { throw Stop() }
            }
        }
        #expect(calls == 41)
    }

    @Test func noEntriesIsNoWork() throws {
        let archive = try Self.makeArchive()
        var calls = 0
        archive.verify([], concurrency: 4) { _, _ in calls += 1 }
        #expect(calls == 0)
    }
}
