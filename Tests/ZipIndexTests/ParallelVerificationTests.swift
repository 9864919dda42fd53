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
