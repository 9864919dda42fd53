import Testing
@testable import ZipIndex

@Suite("Reading entry data")
struct EntryDataTests {
    @Test(arguments: ["stored.zip", "deflated.zip", "mixed.zip"] as [String])
    func storedAndDeflatedEntriesReadTheSame(_ name: String) throws {
        let archive = try Fixture.open(name)
        let reference = try Fixture.open("stored.zip")
        for entry in archive.entries where !entry.isDirectory {
            let bytes = try archive.read(entry)
            #expect(UInt64(bytes.count) == entry.uncompressedSize)
            if let twin = reference.entry(named: entry.name) {
                #expect(bytes == (try reference.read(twin)))
            }
        }
    }

    @Test func streamingDeliversTheSameBytesInChunks() throws {
        let archive = try Fixture.open("deflated.zip")
        for entry in archive.entries {
            var streamed: [UInt8] = []
            var chunks = 0
            try archive.read(entry) { chunk in
                streamed += chunk.array
                chunks += 1
            }
            #expect(streamed == (try archive.read(entry)))
            #expect(chunks >= (entry.uncompressedSize > 0 ? 1 : 0))
        }
    }

    /// An entry listed by one archive value is refused by another, even of
    /// the same file: its index means nothing there.
    @Test func anEntryOfAnotherArchiveIsRefusedAsForeign() throws {
        let archive = try Fixture.open("deflated.zip")
        let other = try Fixture.open("deflated.zip")
        let entry = try #require(other.entries.first { !$0.isDirectory })
        func code(_ body: () throws -> Void) -> ZipError.Code? {
            do { try body() } catch let error as ZipError {
                #expect(error.entry == entry.name)
                return error.code
            } catch { return nil }
            return nil
        }
        #expect(code { _ = try archive.read(entry) } == .foreignEntry)
        #expect(code { try archive.read(entry) { _ in } } == .foreignEntry)
        #expect(code { _ = try archive.details(of: entry) } == .foreignEntry)
        var verdicts: [ZipError.Code?] = []
        archive.verify([entry, archive.entries[entry.index]], concurrency: 2) { _, error in verdicts.append(error?.code) }
        #expect(verdicts == [.foreignEntry, nil])
        #expect(try other.read(entry) == (try archive.read(archive.entries[entry.index])))
    }

    @Test func emptyEntriesReadAsNoBytes() throws {
        let archive = try Fixture.open("empty-entry.zip")
        let empties = archive.entries.filter { $0.name.hasPrefix("empty-") }
        #expect(Set(empties.map(\.method)) == [.stored, .deflated])
        for entry in empties {
            #expect(entry.uncompressedSize == 0)
            #expect(try archive.read(entry).isEmpty)
        }
    }

    @Test(arguments: ["data-descriptor.zip", "data-descriptor-python.zip", "data-descriptor-nosig.zip", "data-descriptor-zip64.zip"] as [String])
    func dataDescriptorEntriesUseTheCentralDirectory(_ name: String) throws {
        let archive = try Fixture.open(name)
        #expect(archive.count > 0)
        for entry in archive.entries {
            #expect(entry.hasDataDescriptor)
            #expect(UInt64(try archive.read(entry).count) == entry.uncompressedSize)
        }
    }

    @Test func corruptCRCIsAnErrorNamingTheEntry() throws {
        let archive = try Fixture.open("crc-corrupt.zip")
        let bad = try #require(archive.entry(named: "bad-crc.txt"))
        let error = expectZipError(.checksumMismatch) { _ = try archive.read(bad) }
        #expect(error?.entry == "bad-crc.txt")
        #expect(error?.description.contains("bad-crc.txt") == true)
        _ = try archive.read(try #require(archive.entry(named: "good.txt")))
    }

    @Test func flippedStoredByteIsAChecksumError() throws {
        let archive = try Fixture.open("crc-corrupt-stored.zip")
        let entry = try #require(archive.entry(named: "flipped.txt"))
        expectZipError(.checksumMismatch) { _ = try archive.read(entry) }
        expectZipError(.checksumMismatch) { try archive.read(entry) { _ in } }
    }

    @Test func encryptedEntriesAreListedButNotRead() throws {
        let archive = try Fixture.open("encrypted.zip")
        #expect(archive.count > 0)
        for entry in archive.entries {
            #expect(entry.isEncrypted)
            expectZipError(.encrypted) { _ = try archive.read(entry) }
        }
    }

    @Test(arguments: [("bzip2.zip", CompressionMethod.bzip2), ("lzma.zip", CompressionMethod.lzma)] as [(String, CompressionMethod)])
    func unsupportedMethodsAreListedButNotRead(_ name: String, _ method: CompressionMethod) throws {
        let archive = try Fixture.open(name)
        #expect(archive.count > 0)
        for entry in archive.entries {
            #expect(entry.method == method)
            let error = expectZipError(.unsupportedMethod) { _ = try archive.read(entry) }
            #expect(error?.detail?.contains(method.name) == true)
        }
    }

    @Test func truncatedArchiveIsATypedError() {
        // Cut inside the central directory: there is no end record at all.
        expectZipError(.notAZipArchive) { _ = try Fixture.open("truncated.zip") }
    }

    @Test func symlinkIsReportedWithItsTarget() throws {
        let archive = try Fixture.open("symlink.zip")
        let link = try #require(archive.entry(named: "link"))
        #expect(link.isSymlink)
        #expect(link.unixMode == 0o120777)
        #expect(try archive.read(link) == Array("target.txt".utf8))
        #expect(try #require(archive.entry(named: "target.txt")).isSymlink == false)
    }

    @Test func declaredSizeSmallerThanTheDataStopsInflatingAtOnce() throws {
        // A bomb defence: output never exceeds what the directory promised.
        let archive = try Fixture.open("deflated.zip")
        let entry = try #require(archive.entries.max { $0.uncompressedSize < $1.uncompressedSize })
        var bytes = try Fixture.bytes("deflated.zip")
        let header = Int(archive.centralDirectoryOffset) + centralHeaderOffset(of: entry.index, in: bytes, from: Int(archive.centralDirectoryOffset))
        // Both headers lie alike (a disagreement is refused before any data).
        bytes = bytes.patching(header + 24, le32Bytes(10))  // uncompressed size := 10
            .patching(Int(entry.localHeaderOffset) + 22, le32Bytes(10))
        let patched = try ZipArchive(bytes: bytes)
        var delivered = 0
        expectZipError(.sizeMismatch) { try patched.read(patched.entries[entry.index]) { delivered += $0.count } }
        #expect(delivered <= 10)
    }

    @Test func declaredSizeLargerThanTheDataIsAnError() throws {
        let archive = try Fixture.open("deflated.zip")
        let entry = archive.entries[0]
        var bytes = try Fixture.bytes("deflated.zip")
        let header = Int(archive.centralDirectoryOffset) + centralHeaderOffset(of: 0, in: bytes, from: Int(archive.centralDirectoryOffset))
        bytes = bytes.patching(header + 24, le32Bytes(UInt32(entry.uncompressedSize) + 1))
            .patching(Int(entry.localHeaderOffset) + 22, le32Bytes(UInt32(entry.uncompressedSize) + 1))
        let patched = try ZipArchive(bytes: bytes)
        expectZipError(.sizeMismatch) { _ = try patched.read(patched.entries[0]) }
    }

    @Test func localNameDifferentFromTheCentralNameIsRejected() throws {
        let archive = try Fixture.open("stored.zip")
        let entry = archive.entries[0]
        var bytes = try Fixture.bytes("stored.zip")
        let nameAt = Int(entry.localHeaderOffset) + 30
        bytes[nameAt] = bytes[nameAt] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let patched = try ZipArchive(bytes: bytes)
        let error = expectZipError(.localNameMismatch) { _ = try patched.read(patched.entries[0]) }
        #expect(error?.entry == entry.name)
    }

    @Test func corruptDeflateStreamIsCorruptData() throws {
        let archive = try Fixture.open("deflated.zip")
        let entry = try #require(archive.entries.first { $0.method == .deflated && $0.compressedSize > 8 })
        var bytes = try Fixture.bytes("deflated.zip")
        let data = Int(entry.localHeaderOffset) + 30 + entry.name.utf8.count + bytes.le16(Int(entry.localHeaderOffset) + 28)
        for i in 0 ..< 4 { bytes[data + i] = 0xFF }
        let patched = try ZipArchive(bytes: bytes)
        do {
            _ = try patched.read(patched.entries[entry.index])
            Issue.record("corrupt deflate data was returned")
        } catch {
            #expect([.corruptData, .checksumMismatch, .sizeMismatch].contains(error.code), "\(error)")
        }
    }

    @Test func entryDetailsCarryCommentsAndTimes() throws {
        let comments = try Fixture.open("entry-comments.zip")
        let withComment = comments.entries.compactMap { try? comments.details(of: $0).comment }.filter { !$0.isEmpty }
        #expect(withComment.count == 2)

        let extended = try Fixture.open("extended-time-offset.zip")
        let first = try #require(extended.entries.first)
        let stamp = try #require(try extended.details(of: first).extendedTimestamp?.modification)
        #expect(stamp == 1_577_934_246)  // 2020-01-02T03:04:06Z, while the DOS time says 22:04:06
        #expect(first.modificationDate.hour == 22)

        let ntfs = try Fixture.open("ntfs-time.zip")
        let times = try #require(try ntfs.details(of: ntfs.entries[0]).ntfsTimes)
        #expect(ZipEntryDetails.NTFSTimes.unixNanoseconds(times.modification) == 1_577_934_246_123_456_700)
    }

    /// Python's zipfile reads the same version and extra blocks from the
    /// central header (Info-ZIP wrote UT 0x5455, then ux 0x7875).
    @Test func entryDetailsCarryTheVersionNeededAndTheExtraBlocks() throws {
        let archive = try Fixture.open("extended-time.zip")
        let details = try archive.details(of: archive.entries[0])
        #expect(details.versionNeeded == 10)
        #expect(details.extraFields.map(\.id) == [0x5455, 0x7875])
        #expect(details.extraFields.map(\.data.count) == [5, 11])
        #expect(details.extraFieldTrailingBytes == 0)
        #expect(details.extraField(0x7875)?.first == 1)
        #expect(details.extraField(0x9901) == nil)
        let zip64 = try Fixture.open("zip64.zip")
        #expect(try zip64.details(of: zip64.entries[0]).versionNeeded == 45)
    }

    /// The offset, from the directory start, of the `index`th central header.
    func centralHeaderOffset(of index: Int, in bytes: [UInt8], from start: Int) -> Int {
        var position = start
        for _ in 0 ..< index {
            position += 46 + bytes.le16(position + 28) + bytes.le16(position + 30) + bytes.le16(position + 32)
        }
        return position - start
    }
}
