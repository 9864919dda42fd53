import Testing
@testable import ZipIndex

@Suite("Malformed central directories give typed errors")
struct MalformedArchiveTests {
    struct Layout {
        var bytes: [UInt8]
        var end: Int
        var directory: Int
    }

    func layout(_ name: String) throws -> Layout {
        let bytes = try Fixture.bytes(name)
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        return Layout(bytes: bytes, end: end, directory: Int(bytes.le32(end + 16)))
    }

    @Test func fewerHeadersThanDeclaredIsACountMismatch() throws {
        let l = try layout("stored.zip")
        let count = l.bytes.le16(l.end + 10)
        let bytes = l.bytes.patching(l.end + 8, le16Bytes(count + 1) + le16Bytes(count + 1))
        let error = expectZipError(.entryCountMismatch) { _ = try ZipArchive(bytes: bytes) }
        #expect(error?.detail?.contains("declares \(count + 1)") == true)
    }

    @Test func moreHeadersThanDeclaredIsACountMismatch() throws {
        let l = try layout("stored.zip")
        let bytes = l.bytes.patching(l.end + 8, le16Bytes(1) + le16Bytes(1))
        expectZipError(.entryCountMismatch) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func badHeaderSignatureNamesItsOffset() throws {
        let l = try layout("stored.zip")
        let second = l.directory + 46 + l.bytes.le16(l.directory + 28) + l.bytes.le16(l.directory + 30) + l.bytes.le16(l.directory + 32)
        let bytes = l.bytes.patching(second, [0x50, 0x4b, 0x09, 0x09])
        let error = expectZipError(.invalidCentralDirectoryHeader) { _ = try ZipArchive(bytes: bytes) }
        #expect(error?.offset == UInt64(second))
    }

    @Test func headerRunningPastTheDirectoryIsTruncated() throws {
        let l = try layout("stored.zip")
        // The first header's name length now runs past the directory.
        let bytes = l.bytes.patching(l.directory + 28, le16Bytes(60_000))
        do {
            _ = try ZipArchive(bytes: bytes)
            Issue.record("a header running past the directory was accepted")
        } catch {
            #expect([.truncated, .invalidCentralDirectoryHeader].contains(error.code), "\(error)")
        }
    }

    /// Damage stays local: one impossible offset makes one bad entry, and
    /// the others read, as in Python, Go and UnZip.
    @Test func localHeaderOffsetInsideTheDirectoryIsABadEntryOnly() throws {
        let l = try layout("stored.zip")
        let bytes = l.bytes.patching(l.directory + 42, le32Bytes(UInt32(l.directory)))
        let archive = try ZipArchive(bytes: bytes)
        let original = try ZipArchive(bytes: l.bytes)
        #expect(archive.entries.map(\.name) == original.entries.map(\.name))
        let error = expectZipError(.invalidLocalHeader) { _ = try archive.read(archive.entries[0]) }
        #expect(error?.entry == original.entries[0].name)
        #expect(error?.offset == UInt64(l.directory), "the offset of the entry's central header")
        for index in 1 ..< archive.count {
            #expect(try archive.read(archive.entries[index]) == original.read(original.entries[index]))
        }
        #expect(archive.overlappingEntries.isEmpty)
    }

    @Test func saturatedOffsetWithoutZip64ExtraIsRejected() throws {
        let l = try layout("stored.zip")
        let bytes = l.bytes.patching(l.directory + 42, le32Bytes(0xFFFF_FFFF))
        expectZipError(.invalidExtraField) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func compressedSizePastTheEndOfFileIsOutOfBounds() throws {
        let l = try layout("stored.zip")
        let bytes = l.bytes.patching(l.directory + 20, le32Bytes(0x7FFF_0000)).patching(l.directory + 24, le32Bytes(0x7FFF_0000))
            .patching(18, le32Bytes(0x7FFF_0000)).patching(22, le32Bytes(0x7FFF_0000))  // the local header agrees
        let archive = try ZipArchive(bytes: bytes)
        expectZipError(.entryOutOfBounds) { _ = try archive.read(archive.entries[0]) }
    }

    @Test func localHeaderWithoutSignatureIsInvalid() throws {
        let l = try layout("stored.zip")
        let bytes = l.bytes.patching(0, [0, 0, 0, 0])
        let archive = try ZipArchive(bytes: bytes)
        let error = expectZipError(.invalidLocalHeader) { _ = try archive.read(archive.entries[0]) }
        #expect(error?.offset == 0)
    }

    @Test func everyTruncationOfAFixtureFailsCleanly() throws {
        // Cut deflated.zip at every length: each must open and read, or throw a ZipError.
        let bytes = try Fixture.bytes("deflated.zip")
        for length in 0 ..< bytes.count {
            guard let archive = try? ZipArchive(bytes: Array(bytes[0 ..< length])) else { continue }
            for entry in archive.entries { _ = try? archive.read(entry) }
        }
    }
}
