import Foundation
import Testing
@testable import Importer
import ZipIndex

/// Never stale bytes: CPython 3.10–3.13 return another member's bytes after
/// an archive is rewritten in place without invalidation. A read here checks
/// the local header and the CRC-32; on a mismatch with a changed identity it
/// reloads once and retries, otherwise it gives a typed error.
@Suite struct StaleBytesTests {
    @Test(arguments: Compression.allCases)
    func inPlaceRewriteWithoutInvalidationNeverReturnsAnotherMembersBytes(_ compression: Compression) throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("first.py", "FIRST-OLD\n"), .file("second.py", "SECOND-OLD\n")], compression: compression)
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        #expect(zi.findSpec("first") != nil)
        // Same names, other order and contents: at first.py's old offset now
        // lies second.py's header.
        let other = scratch.file("b.zip")
        try makeZip(other, [.file("second.py", "SECOND-NEW\n"), .file("first.py", "FIRST-NEW\n")], compression: compression)
        try overwriteInPlace(archive, with: readBytes(other))
        #expect(try zi.source(for: "first") == "FIRST-NEW\n")
        #expect(try zi.source(for: "second") == "SECOND-NEW\n")
        #expect(zi.statistics.reloads == 2, "reloaded once")
    }

    @Test func memberGoneAfterInPlaceRewriteIsNotFound() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("aaa.py", "AAA\n"), .file("bbb.py", "BBB\n")])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        let other = scratch.file("b.zip")
        try makeZip(other, [.file("bbb.py", "BBB\n"), .file("ccc.py", "CCC\n")])
        try overwriteInPlace(archive, with: readBytes(other))
        expectImporterError(.resourceNotFound) { try zi.data("aaa.py") }
        #expect(try zi.data("bbb.py") == Array("BBB\n".utf8))
    }

    /// A damaged member in an archive that has not changed is a typed
    /// error, and no reload is attempted.
    @Test func corruptMemberInUnchangedArchiveGivesTypedError() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("crc.zip")
        try FileManager.default.copyItem(atPath: Fixture.path("crc-corrupt-stored.zip"), toPath: archive)
        try age(archive)
        settle()
        let zi = try ZipImporter(path: archive, cache: ImportCache(timestampGranularity: .zero))
        let error = expectImporterError(.invalidMember) { try zi.data("flipped.txt") }
        #expect(error?.zipError?.code == .checksumMismatch)
        #expect(zi.statistics.reloads == 1)
    }

    /// A racy table cannot prove the archive unchanged, so a failed read
    /// reloads once even when the identity matches; the damage then stays
    /// a typed error.
    @Test func corruptMemberInRacyTableIsRetriedOnceThenTyped() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("crc.zip")
        try FileManager.default.copyItem(atPath: Fixture.path("crc-corrupt-stored.zip"), toPath: archive)
        let zi = try ZipImporter(path: archive, cache: ImportCache(timestampGranularity: .seconds(3600)))
        let error = expectImporterError(.invalidMember) { try zi.data("flipped.txt") }
        #expect(error?.zipError?.code == .checksumMismatch)
        #expect(zi.statistics.reloads == 2)
    }

    @Test func truncatedArchiveGivesTypedError() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("aaa.py", String(repeating: "A", count: 5000)), .file("bbb.py", "B")])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        let bytes = try readBytes(archive)
        try overwriteInPlace(archive, with: Array(bytes[0 ..< 100]))
        expectImporterError(.archiveUnavailable) { try zi.data("aaa.py") }
        #expect(zi.findSpec("aaa") == nil, "the reload found no archive; finds answer nil")
    }

    /// After an atomic rename-replace without invalidation, the old table
    /// reads the old file: consistent bytes of the member asked for.
    @Test func renameReplaceWithoutInvalidationReadsTheOldFileConsistently() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("a.zip")
        try makeZip(archive, [.file("mod.py", "OLD\n")])
        let zi = try ZipImporter(path: archive, cache: ImportCache())
        let other = scratch.file("b.zip")
        try makeZip(other, [.file("zzz.py", "ZZZ\n"), .file("mod.py", "NEW\n")])
        #expect(rename(other, archive) == 0)
        #expect(try zi.source(for: "mod") == "OLD\n")
        zi.invalidateCaches()
        #expect(try zi.source(for: "mod") == "NEW\n")
    }
}
