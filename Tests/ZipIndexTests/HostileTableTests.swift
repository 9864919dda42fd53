import Foundation
import HostileTable
import Testing
@testable import ZipIndex

/// The hostile table against the library: each archive in
/// `Fixtures/hostile` does what `expected.json` says, and every truncation
/// and bit flip gives a typed error or a correct listing, within a second.
/// (`HostileBinaryTests` runs the same cases through `zipls`.)
@Suite("Hostile table: library")
struct HostileTableTests {
    @Test func tableIsThere() {
        #expect(HostileTable.names.count >= 24, "Fixtures/hostile/expected.json is missing or short")
    }

    @Test(arguments: HostileTable.names)
    func archiveBehavesAsTheTableSays(_ name: String) throws {
        let expected = try #require(HostileTable.expectations[name])
        let bytes = try Fixture.bytes("hostile/" + name)
        for fromPath in [true, false] {
            let start = ThreadCPUTime.now
            let archive: ZipArchive
            do {
                archive = fromPath ? try ZipArchive(path: HostileTable.path(name)) : try ZipArchive(bytes: bytes)
            } catch {
                #expect(error.code == expected.openError, "\(error)")
                continue
            }
            #expect(expected.openError == nil, "opened; the table says \(expected.open)")
            #expect(archive.entries.map(\.name) == expected.entries)
            #expect(archive.overlappingEntries.count == expected.overlapping ?? 0)
            #expect(try archive.verifyStructure().hiddenEntries.count == expected.hidden ?? 0)
            for entry in archive.entries {
                do {
                    let data = try archive.read(entry)
                    #expect(expected.readError(entry.index) == nil, "entry \(entry.index) read")
                    if let content = expected.content(of: entry.index) { #expect(data == content) }
                } catch {
                    #expect(error.code == expected.readError(entry.index), "entry \(entry.index): \(error)")
                    #expect(error.entry == entry.name)
                }
            }
            HostileInputTests.exercise(bytes)
            #expect(ThreadCPUTime.now - start < .seconds(1))
        }
    }

    /// A fixture cut at any byte no longer has its end record (or has it
    /// with its comment cut): always a typed error, never a partial listing.
    @Test(arguments: HostileTable.truncationSeeds)
    func truncationAtEveryOffsetIsATypedError(_ seed: String) throws {
        let whole = try Fixture.bytes(seed)
        #expect(HostileInputTests.exercise(whole) == nil)
        for length in 0 ..< whole.count {
            let cut = Array(whole[..<length])
            let start = ThreadCPUTime.now
            #expect(throws: ZipError.self, "\(seed) cut to \(length) bytes opened") { try ZipArchive(bytes: cut) }
            #expect(ThreadCPUTime.now - start < .seconds(1))
        }
    }

    @Test func tenThousandSeededBitFlipsGiveTypedErrorsOrListings() throws {
        let flips = try HostileTable.BitFlips(fixtures: Fixture.directory)
        var opened = 0, refused = 0, badReads = 0
        for round in 0 ..< HostileTable.bitFlipCount {
            let bytes = flips.input(round)
            let start = ThreadCPUTime.now
            do {
                let archive = try ZipArchive(bytes: bytes)
                opened += 1
                for entry in archive.entries {
                    #expect(archive.entry(named: entry.name) != nil)
                    do { _ = try archive.read(entry) } catch { badReads += 1 }
                }
            } catch {
                refused += 1
            }
            #expect(ThreadCPUTime.now - start < .seconds(1), "bit flip \(round)")
        }
        // The flips hit structure and data both: some archives are refused,
        // some open with entries that fail their CRC, some read clean.
        #expect(refused > 0)
        #expect(opened > 0)
        #expect(badReads > 0)
    }
}
