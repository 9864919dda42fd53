import Testing
@testable import ZipIndex

@Suite("Finding the end of central directory record")
struct EndOfCentralDirectoryTests {
    @Test func archiveCommentIsRead() throws {
        let archive = try Fixture.open("comment.zip")
        #expect(archive.comment == "This is a zipfile comment.")
        #expect(archive.count > 0)
    }

    @Test func largestPossibleCommentIsRead() throws {
        let archive = try Fixture.open("max-comment.zip")
        #expect(archive.commentBytes.count == 65_535)
        #expect(archive.count > 0)
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func trailingJunkAfterTheEndRecordIsTolerated() throws {
        let clean = try Fixture.open("trailing-junk.zip")
        #expect(clean.count > 0)
        #expect(clean.comment.isEmpty)
        for entry in clean.entries { _ = try clean.read(entry) }
    }

    @Test func commentRunningPastEndOfFileIsRejected() throws {
        let error = expectZipError(.commentPastEndOfFile) { _ = try Fixture.open("comment-truncated.zip") }
        #expect(error?.offset != nil)
    }

    @Test func emptyArchiveHasNoEntries() throws {
        let archive = try Fixture.open("empty.zip")
        #expect(archive.count == 0)
        #expect(archive.entries.isEmpty)
        #expect(archive.entry(named: "anything") == nil)
        #expect(!archive.directoryExists("a"))
    }

    @Test func zerosAreNotAZipArchive() {
        expectZipError(.notAZipArchive) { _ = try ZipArchive(bytes: [UInt8](repeating: 0, count: 70_000)) }
    }

    @Test func repeatedEndSignaturesAreRejected() {
        // Go's TestInvalidFiles: 70 KB of "PK\5\6" over and over.
        var bytes: [UInt8] = []
        while bytes.count < 70_000 { bytes += [0x50, 0x4b, 0x05, 0x06] }
        do {
            _ = try ZipArchive(bytes: bytes)
            Issue.record("a file of end signatures opened")
        } catch {
            #expect([.commentPastEndOfFile, .multiDiskArchive, .invalidCentralDirectory].contains(error.code), "\(error)")
        }
    }

    @Test(arguments: [0, 1, 21] as [Int])
    func filesShorterThanAnEndRecordAreNotZipArchives(_ length: Int) {
        expectZipError(.notAZipArchive) { _ = try ZipArchive(bytes: [UInt8](repeating: 0x50, count: length)) }
    }

    @Test func textFileIsNotAZipArchive() {
        expectZipError(.notAZipArchive) { _ = try ZipArchive(bytes: Array("just some text\n".utf8)) }
    }

    @Test func missingFileIsAnIOError() {
        let error = expectZipError(.io) { _ = try ZipArchive(path: "/nonexistent/zipindex.zip") }
        #expect(error?.detail?.contains("/nonexistent/zipindex.zip") == true)
    }

    @Test func directoryIsNotAnArchive() {
        expectZipError(.io) { _ = try ZipArchive(path: Fixture.directory) }
    }

    @Test func multiDiskArchiveIsRefusedWithItsOwnError() throws {
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        bytes = bytes.patching(end + 4, le16Bytes(1))  // number of this disk
        expectZipError(.multiDiskArchive) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func directoryOffsetPastEndOfFileIsRejected() throws {
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        bytes = bytes.patching(end + 16, le32Bytes(UInt32(bytes.count + 1000)))
        expectZipError(.invalidCentralDirectory) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func directorySizeLargerThanTheFileIsRejected() throws {
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        bytes = bytes.patching(end + 12, le32Bytes(0x7FFF_FFFF))
        expectZipError(.invalidCentralDirectory) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func archiveOpensFromAFileDescriptorAndFromMemory() throws {
        let path = Fixture.path("deflated.zip")
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        let viaDescriptor = try ZipArchive(fileDescriptor: fd)
        close(fd)  // the archive keeps its own duplicate
        let inMemory = try ZipArchive(bytes: Fixture.bytes("deflated.zip"))
        let viaPath = try ZipArchive(path: path)
        for archive in [viaDescriptor, inMemory] {
            #expect(archive.entries.map(\.name) == viaPath.entries.map(\.name))
            for (a, b) in zip(archive.entries, viaPath.entries) {
                #expect(try archive.read(a) == viaPath.read(b))
            }
        }
        #expect(viaDescriptor.fileIdentity == viaPath.fileIdentity)
        #expect(inMemory.fileIdentity == nil)
    }
}

#if canImport(Glibc)
import Glibc
#endif
