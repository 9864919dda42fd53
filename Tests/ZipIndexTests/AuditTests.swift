import Testing
@testable import ZipIndex

@Suite("The audit: what is read but reported")
struct AuditTests {
    func audit(_ names: [String], data: [UInt8] = []) throws -> ZipAudit {
        try ZipArchive(bytes: HandmadeArchive.stored(names.map { ($0, data) })).audit()
    }

    func findings(_ audit: ZipAudit) -> [Int: NameHazards] {
        Dictionary(uniqueKeysWithValues: audit.names.map { ($0.entry, $0.hazards) })
    }

    @Test func aRegularArchiveHasAnEmptyAudit() throws {
        let audit = try audit(["a.txt", "dir/", "dir/b.txt"])
        #expect(audit.isEmpty)
        #expect(audit.names.isEmpty)
        #expect(audit.unsafeNames == 0)
    }

    @Test func namesEqualAfterNormalisingCollide() throws {
        let audit = try audit(["a/b", "a/./b", "c", "x//c/../../c", "d"])
        #expect(findings(audit) == [0: .collision, 1: [.collision, .dotComponent],
                                    2: .collision, 3: [.collision, .dotComponent]])
        #expect(audit.count(of: .collision) == 4)
    }

    @Test func theSameNameTwiceCollides() throws {
        let audit = try audit(["dup.txt", "dup.txt"])
        #expect(findings(audit) == [0: .collision, 1: .collision])
    }

    @Test func aFileAndADirectoryOfTheSamePathCollide() throws {
        let audit = try audit(["x", "x/"])
        #expect(findings(audit) == [0: .collision, 1: .collision])
    }

    @Test func namesEqualIgnoringCaseCollideOnlyByCase() throws {
        let audit = try audit(["test.txt", "test.TXT", "README", "dir/../readme", "other"])
        #expect(findings(audit) == [0: .caseCollision, 1: .caseCollision, 2: .caseCollision, 3: [.caseCollision, .dotComponent]])
        #expect(audit.count(of: .collision) == 0)
    }

    @Test func unsafeNamesCollideWhereLenientExtractorsWriteThem() throws {
        // unzip and bsdtar write "a\\b", "../a/b" and "/a/b" to a/b;
        // Python cuts "a/b\0x" at the NUL.
        let audit = try audit(["a/b", "a\\b", "../a/b", "/a/b", "a/b\u{0}x", "c"])
        #expect(audit.unsafeNames == 4)
        #expect(findings(audit) == [0: .collision, 1: [.backslash, .collision], 2: [.dotComponent, .collision],
                                    3: [.absolute, .collision], 4: [.nul, .collision]])
        #expect(audit.names.map(\.isSafeToExtract) == [true, false, false, false, false])
    }

    @Test func caseIsFoldedBeyondASCII() throws {
        // HandmadeArchive names are raw bytes without bit 11: make them
        // UTF-8 by the flag.
        var bytes = HandmadeArchive.stored([("Ärger/x", []), ("ärger/X", []), ("ÄRGER/y", [])])
        for offset in bytes.indices.dropLast(8) where bytes[offset ..< offset + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
            bytes[offset + 9] |= 0x08  // flag bit 11
        }
        for offset in bytes.indices.dropLast(8) where bytes[offset ..< offset + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
            bytes[offset + 7] |= 0x08
        }
        let audit = try ZipArchive(bytes: bytes).audit()
        #expect(findings(audit) == [0: .caseCollision, 1: .caseCollision])
    }

    @Test func namesThousandsOfComponentsDeepAreJudgedWhole() throws {
        let deep = String(repeating: "a/", count: 5_000) + "f"
        let climbing = String(repeating: "a/", count: 3_000) + String(repeating: "../", count: 3_000) + "f"
        let audit = try audit([deep, "./" + deep, climbing, "f", String(repeating: "../", count: 3_000) + "g",
                               String(repeating: "con/", count: 1_000) + "h"])
        #expect(findings(audit) == [0: .collision, 1: [.collision, .dotComponent], 2: [.collision, .dotComponent],
                                    3: .collision, 4: .dotComponent, 5: .windowsReserved])
        #expect(audit.names.map(\.isSafeToExtract) == [true, true, true, true, false, true])
        let archive = try ZipArchive(bytes: HandmadeArchive.stored([(climbing, []), ("./" + deep, [])]))
        #expect(archive.entries.map(\.safeRelativePath) == ["f", deep])
    }

    @Test func anEmptyNameIsUnsafeAndCollidesWithNothing() throws {
        let audit = try audit(["", "a"])
        #expect(audit.names == [ZipAudit.NameFinding(entry: 0, hazards: [], isSafeToExtract: false)])
    }

    @Test func manyRegularNamesCollideOnlyWhereTheyShould() throws {
        var names = (0 ..< 3_000).map { "dir\($0 % 7)/file-\($0).txt" }
        names += ["dir3/FILE-3.txt", "dir5/file-5.txt", "dir5/./file-5.txt"]
        let audit = try audit(names)
        #expect(findings(audit) == [3: .caseCollision, 3_000: .caseCollision, 5: .collision, 3_001: .collision,
                                    3_002: [.collision, .dotComponent]])
    }

    @Test func prefixGapsAndTrailingBytesAreReported() throws {
        let body = HandmadeArchive.stored([("a", Array("data".utf8))])
        let archive = try ZipArchive(bytes: Array("#!/bin/sh\n".utf8) + body + Array("junk".utf8))
        let audit = try archive.audit()
        #expect(audit.prependedBytes == 10)
        #expect(audit.trailingBytes == 4)
        #expect(audit.names.isEmpty)
        #expect(!audit.isEmpty)
    }

    @Test func aGapBeforeTheDirectoryIsInTheAuditsStructure() throws {
        let data = Array("data".utf8)
        var bytes = HandmadeArchive.localHeader(name: "a", data: data) + data
        let gapStart = bytes.count
        bytes += [UInt8](repeating: 0, count: 16)
        let directory = bytes.count
        bytes += HandmadeArchive.centralHeader(name: "a", data: data, offset: 0)
        bytes += HandmadeArchive.endRecord(count: 1, directorySize: bytes.count - directory, directoryOffset: directory)
        let archive = try ZipArchive(bytes: bytes)
        let audit = try archive.audit()
        #expect(audit.structure.gaps == [UInt64(gapStart) ..< UInt64(directory)])
        #expect(audit.structure == (try archive.verifyStructure()))
        #expect(!audit.isEmpty)
    }

    @Test func theAuditIsMadeOnceAndKept() throws {
        let archive = try ZipArchive(bytes: HandmadeArchive.stored([("a", []), ("A", [])]))
        #expect(archive.storage.audit.withLock { $0 } == nil, "opening does not audit")
        let first = try archive.audit()
        #expect(archive.storage.audit.withLock { $0 } == first)
        #expect(try archive.audit() == first)
    }
}
