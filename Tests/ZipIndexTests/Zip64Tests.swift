import Foundation
import Testing
@testable import ZipIndex

@Suite("ZIP64")
struct Zip64Tests {
    @Test func forcedZip64EndRecordIsFollowed() throws {
        let archive = try Fixture.open("zip64.zip")
        #expect(archive.isZip64)
        #expect(archive.count > 0)
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func zip64LocalHeadersWithoutZip64DirectoryRead() throws {
        let archive = try Fixture.open("zip64-python.zip")
        #expect(!archive.isZip64)
        for entry in archive.entries { _ = try archive.read(entry) }
    }

    @Test func moreThan65535EntriesAreAllIndexed() throws {
        let dir = try Fixture.scratch()
        let path = dir + "/many.zip"
        try run(["python3", Fixture.path("make_large.py"), "--entries", "65537", path])
        let archive = try ZipArchive(path: path)
        #expect(archive.isZip64)
        #expect(archive.count == 65_537)
        let last = try #require(archive.entry(named: "f65536.py"))
        #expect(last.index == 65_536)
        _ = try archive.read(last)
        #expect(archive.entry(named: "f65537.py") == nil)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func infoZipCountModulo65536IsAccepted() throws {
        let dir = try Fixture.scratch()
        let path = dir + "/mod.zip"
        try run(["python3", Fixture.path("make_large.py"), "--entries", "65537", "--mod65536", path])
        let archive = try ZipArchive(path: path)
        #expect(!archive.isZip64)
        #expect(archive.count == 65_537)
        #expect(archive.entry(named: "f65536.py") != nil)
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A minimal ZIP64 archive with one stored entry, built by hand so that
    /// each field can be corrupted on purpose.
    static func handmade(count: UInt64 = 1, endCount: UInt16 = 0xFFFF, recordSize: UInt64 = 44,
                         locatorOffset: UInt64? = nil, extraOffset: UInt64? = nil, gap: Int = 0) -> [UInt8] {
        let name = Array("a.txt".utf8)
        let data = Array("hi\n".utf8)
        let crc = crc32Of(data)
        var w = ByteWriter()
        // Local header (4.3.7).
        w.u32(0x0403_4b50); w.u16(45); w.u16(0); w.u16(0); w.u16(0); w.u16(0x21)
        w.u32(crc); w.u32(3); w.u32(3); w.u16(name.count); w.u16(0); w.raw(name); w.raw(data)
        let cdStart = UInt64(w.bytes.count)
        // Central header with a ZIP64 extra carrying the local header offset (4.3.12, 4.5.3).
        w.u32(0x0201_4b50); w.u16(0x031E); w.u16(45); w.u16(0); w.u16(0); w.u16(0); w.u16(0x21)
        w.u32(crc); w.u32(3); w.u32(3); w.u16(name.count); w.u16(12); w.u16(0); w.u16(0); w.u16(0)
        w.u32(0o100644 << 16); w.u32(0xFFFF_FFFF); w.raw(name)
        w.u16(1); w.u16(8); w.u64(extraOffset ?? 0)
        let cdSize = UInt64(w.bytes.count) - cdStart
        let recordStart = UInt64(w.bytes.count)
        // ZIP64 end record (4.3.14) and locator (4.3.15).
        w.u32(0x0606_4b50); w.u64(recordSize); w.u16(45); w.u16(45); w.u32(0); w.u32(0)
        w.u64(count); w.u64(count); w.u64(cdSize); w.u64(cdStart)
        w.raw(Array(repeating: 0, count: gap))
        w.u32(0x0706_4b50); w.u32(0); w.u64(locatorOffset ?? recordStart); w.u32(1)
        // End record (4.3.16), saturated.
        w.u32(0x0605_4b50); w.u16(0xFFFF); w.u16(0xFFFF); w.u16(Int(endCount)); w.u16(Int(endCount))
        w.u32(0xFFFF_FFFF); w.u32(0xFFFF_FFFF); w.u16(0)
        return w.bytes
    }

    static func crc32Of(_ bytes: [UInt8]) -> UInt32 { bytes.withBytes { CRC32.checksum($0) } }

    @Test func handmadeZip64ArchiveReads() throws {
        let archive = try ZipArchive(bytes: Self.handmade())
        #expect(archive.isZip64)
        let entry = try #require(archive.entry(named: "a.txt"))
        #expect(entry.isZip64)
        #expect(try archive.read(entry) == Array("hi\n".utf8))
    }

    /// APPNOTE 4.3.14-4.3.15: the locator follows the ZIP64 record at once.
    @Test func bytesBetweenTheZip64RecordAndItsLocatorAreRefused() {
        expectZipError(.invalidZip64EndRecord) { _ = try ZipArchive(bytes: Self.handmade(gap: 8)) }
    }

    @Test func aZip64RecordWhoseSizeRunsIntoItsLocatorIsRefused() {
        expectZipError(.invalidZip64EndRecord) { _ = try ZipArchive(bytes: Self.handmade(recordSize: 52)) }
    }

    @Test func zip64EndRecordIsFoundAfterPrependedData() throws {
        // CPython's exe_with_z64: the locator's offset is relative to the zip data.
        let bytes = Array(repeating: UInt8(0x7F), count: 713) + Self.handmade()
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.prependedBytes == 713)
        #expect(try archive.read(archive.entries[0]) == Array("hi\n".utf8))
    }

    @Test func declaredCountOf2To64Minus1IsAnErrorNotAnAllocation() {
        // CVE-2021-33196: never allocate from the declared count. A count
        // the directory's size cannot hold is refused before any limit.
        expectZipError(.entryCountMismatch) { _ = try ZipArchive(bytes: Self.handmade(count: .max)) }
        expectZipError(.entryCountMismatch) { _ = try ZipArchive(bytes: Self.handmade(count: .max), limits: .unlimited) }
    }

    @Test func zip64CountDisagreeingWithTheEndRecordIsRejected() {
        expectZipError(.invalidZip64EndRecord) { _ = try ZipArchive(bytes: Self.handmade(count: 1, endCount: 2)) }
    }

    @Test func zip64RecordSmallerThanItsFieldsIsRejected() {
        expectZipError(.invalidZip64EndRecord) { _ = try ZipArchive(bytes: Self.handmade(recordSize: 10)) }
    }

    @Test func locatorPointingNowhereIsRejected() {
        // Go issue 10956: a bogus ZIP64 end record gives an error, not a reader.
        expectZipError(.invalidZip64EndRecord) { _ = try ZipArchive(bytes: Self.handmade(locatorOffset: 1)) }
    }

    @Test func localHeaderOffsetNear2To64IsABadEntry() throws {
        // ZIPFoundation 0.9.20 traps on an offset of 2⁶⁴−256 in the ZIP64
        // extra. The entry is listed; reading it is an error, not a trap.
        let archive = try ZipArchive(bytes: Self.handmade(extraOffset: UInt64.max - 255))
        let entry = try #require(archive.entries.first)
        expectZipError(.invalidLocalHeader) { _ = try archive.read(entry) }
        #expect(archive.overlappingEntries.isEmpty)
    }

    @Test func strayLocatorBetweenTheDirectoryAndTheEndRecordIsRefused() throws {
        // Twenty bytes that look like a ZIP64 locator, inserted before the end
        // record of a zip32 archive, name no ZIP64 record: they are stray
        // bytes between the directory and the end record. Go reads the
        // archive from base 0; Python takes them for 20 prepended bytes and
        // fails; ZipIndex refuses, as Python does (type C5 of *My ZIP isn't
        // your ZIP*). A stray locator signature elsewhere is only data: see
        // go-12449-stray-zip64-signatures.zip in the hostile table.
        var bytes = try Fixture.bytes("stored.zip")
        let end = try #require(bytes.lastIndex(ofSignature: 0x0605_4b50))
        var fake = ByteWriter()
        fake.u32(0x0706_4b50); fake.u32(0); fake.u64(12345); fake.u32(1)
        bytes.insert(contentsOf: fake.bytes, at: end)
        expectZipError(.invalidCentralDirectory) { _ = try ZipArchive(bytes: bytes) }
    }
    /// An entry of 4 GiB + 4097 bytes (deflated zeros from Python's
    /// zipfile, `Fixtures/make_4gib.py`): the 64-bit sizes, the inflate
    /// loop past 2^32 output bytes and the CRC-32 over all of it, with the
    /// build's inflate backend (zlib, or ISA-L with the `ISAL` trait).
    @Test func anEntryLargerThan4GiBStreamsWholeAndChecksOut() throws {
        let path = Fixture.path("large/deflated-4gib.zip")
        if !FileManager.default.fileExists(atPath: path) {
            let make = Process()
            make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            make.arguments = ["python3", Fixture.path("make_4gib.py")]
            try make.run()
            make.waitUntilExit()
            try #require(make.terminationStatus == 0, "Fixtures/make_4gib.py failed")
        }
        let archive = try ZipArchive(path: path, limits: .unlimited)
        let entry = try #require(archive.entry(named: "zeros.bin"))
        #expect(entry.uncompressedSize == (4 << 30) + 4097)
        var total: UInt64 = 0
        var nonZero = false
        try archive.read(entry) { chunk in
            total += UInt64(chunk.count)
            if chunk.count > 0, chunk[0] != 0 || chunk[chunk.count - 1] != 0 { nonZero = true }
        }
        #expect(total == (4 << 30) + 4097)
        #expect(!nonZero)
        // A limit of 4 GiB refuses it before decoding: the 64-bit size is
        // compared, not its low 32 bits (4097).
        let limited = try ZipArchive(path: path, limits: ReadLimits(maximumEntrySize: 4 << 30))
        let same = try #require(limited.entry(named: "zeros.bin"))
        expectZipError(.limitExceeded) { _ = try limited.read(same) }
    }
}
