import Testing
@testable import ZipIndex

@Suite("Data prepended to an archive")
struct PrependedDataTests {
    @Test func unadjustedOffsetsAreShiftedByThePrependedBytes() throws {
        let archive = try Fixture.open("prepended.zip")
        #expect(archive.prependedBytes == 64)
        let first = try #require(archive.entries.first)
        #expect(first.localHeaderOffset == 64)  // absolute, as Python's header_offset
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func adjustedOffsetsNeedNoShift() throws {
        let archive = try Fixture.open("prepended-adjusted.zip")
        #expect(archive.prependedBytes == 0)
        let plain = try Fixture.open("prepended.zip")
        #expect(archive.entries.map(\.localHeaderOffset) == plain.entries.map(\.localHeaderOffset))
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func wrongDirectorySizeFallsBackToBaseZero() throws {
        // Go's test-baddirsz.zip: the size implies 16 prepended bytes that are not there.
        let archive = try Fixture.open("bad-dir-size.zip")
        #expect(archive.prependedBytes == 0)
        #expect(archive.count > 0)
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func prependedBytesDoNotMakeAnEmptyArchive() throws {
        // ZIPFoundation 0.9.20 returns 0 entries for Go's test-prefix.zip.
        var bytes = Array(repeating: UInt8(ascii: "#"), count: 1000)
        bytes += try Fixture.bytes("deflated.zip")
        let archive = try ZipArchive(bytes: bytes)
        let original = try Fixture.open("deflated.zip")
        #expect(archive.count == original.count)
        #expect(archive.prependedBytes == 1000)
        for (a, b) in zip(archive.entries, original.entries) {
            #expect(a.localHeaderOffset == b.localHeaderOffset + 1000)
            #expect(try archive.read(a) == original.read(b))
        }
    }

    @Test func impossibleBaseIsAnError() throws {
        // Directory offset larger than the bytes before the directory: base < 0.
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        let offset = bytes.le32(end + 16)
        bytes = bytes.patching(end + 16, le32Bytes(offset + 7))
        expectZipError(.invalidCentralDirectory) { _ = try ZipArchive(bytes: bytes) }
    }
}
