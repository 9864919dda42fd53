import Testing
@testable import ZipIndex

/// One structure: an archive whose end records or directory can be found
/// in two places is refused (types C2, C4 and C5 of *My ZIP isn't your
/// ZIP*); the same bytes without the second reading are read.
@Suite("One end record, one directory")
struct OneStructureTests {
    /// stored.zip with its comment set to `comment`.
    static func withComment(_ comment: [UInt8]) throws -> [UInt8] {
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        bytes = Array(bytes[..<(end + 20)]) + le16Bytes(comment.count) + comment
        return bytes
    }

    @Test func aSecondEndRecordHiddenInTheCommentIsRefused() throws {
        // The comment holds a complete end record with an empty comment, so
        // both records end the file: a reader taking the last one and a
        // reader requiring the comment to end the file disagree.
        let original = try Fixture.bytes("stored.zip")
        let end = try #require(original.lastIndex(ofSignature: 0x0605_4b50))
        let fake = Array(original[end ..< end + 20]) + le16Bytes(0)
        let bytes = try Self.withComment(fake)
        expectZipError(.ambiguousStructure) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func anEndRecordSignatureInACommentThatDoesNotEndTheFileIsOnlyText() throws {
        let comment = Array("see PK".utf8) + [0x05, 0x06] + Array(" in the notes".utf8)
        let archive = try ZipArchive(bytes: try Self.withComment(comment))
        #expect(archive.commentBytes == comment)
        #expect(archive.count == (try Fixture.open("stored.zip")).count)
    }

    /// The locator-gap variant of ZipDiff's `use_zip64_eocdr`: a ZIP64
    /// record and locator, with one byte between the locator and the end
    /// record, listing another directory.
    @Test func aZip64LocatorDisplacedFromTheEndRecordIsRefused() throws {
        let bytes = try Fixture.bytes("ambiguous/c5-zip64-locator-gap.zip")
        expectZipError(.ambiguousStructure) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func aLocatorSignatureThatFormsNoZip64RecordIsOnlyData() throws {
        // The last name, right before the end record, holds a locator
        // signature whose record offset (0) is a local file header.
        let name = "PK\u{6}\u{7}" + String(repeating: "\u{0}", count: 16) + "x"
        let archive = try ZipArchive(bytes: HandmadeArchive.stored([("a", [1]), (name, [2])]))
        #expect(archive.count == 2)
        #expect(!archive.isZip64)
    }

    @Test func aSecondDirectoryAtTheUnadjustedOffsetIsRefused() throws {
        let original = try Fixture.bytes("stored.zip")
        let archive = try ZipArchive(bytes: original)
        let directory = Int(archive.centralDirectoryOffset)
        // Prepended bytes that hold a directory header signature exactly at
        // the stored (unadjusted) offset of the directory.
        var prefix = [UInt8](repeating: 0x20, count: directory + 64)
        prefix.replaceSubrange(directory ..< directory + 4, with: [0x50, 0x4B, 0x01, 0x02])
        expectZipError(.ambiguousStructure) { _ = try ZipArchive(bytes: prefix + original) }
        // The same prefix without the signature is an ordinary self-extractor.
        let plain = [UInt8](repeating: 0x20, count: directory + 64) + original
        #expect(try ZipArchive(bytes: plain).prependedBytes == UInt64(directory + 64))
    }

    /// APPNOTE 4.3.13: a digital signature record may end the directory, and
    /// nothing may follow it there.
    @Test func aDigitalSignatureEndsTheDirectoryExactly() throws {
        let bytes = HandmadeArchive.stored([("a.txt", Array("alpha".utf8))])
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        let directorySize = Int(bytes[end + 12]) | Int(bytes[end + 13]) << 8
        func signed(junk: [UInt8]) -> [UInt8] {
            let signature = le32Bytes(0x0505_4b50) + le16Bytes(4) + [1, 2, 3, 4] + junk
            let record = bytes[end...]
            var out = Array(bytes[..<end]) + signature + record
            let size = le32Bytes(UInt32(directorySize + signature.count))
            out.replaceSubrange(end + signature.count + 12 ..< end + signature.count + 16, with: size)
            return out
        }
        let archive = try ZipArchive(bytes: signed(junk: []))
        #expect(try archive.read(archive.entries[0]) == Array("alpha".utf8))
        expectZipError(.invalidCentralDirectory) { _ = try ZipArchive(bytes: signed(junk: [9, 9, 9, 9, 9])) }
    }
}
