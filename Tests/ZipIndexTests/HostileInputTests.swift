import Foundation
import Testing
@testable import ZipIndex

/// The hostile table: each case gives a typed error, or a correct listing
/// where the archive is legal; none traps, none takes a second of CPU.
@Suite("Hostile input")
struct HostileInputTests {
    /// Opens, lists, looks up and reads everything; returns the first error.
    @discardableResult
    static func exercise(_ bytes: [UInt8], limits: ReadLimits = .default) -> ZipError? {
        let start = ThreadCPUTime.now
        defer { #expect(ThreadCPUTime.now - start < .seconds(1), "an input took over a second of CPU") }
        let archive: ZipArchive
        do { archive = try ZipArchive(bytes: bytes, limits: limits) } catch { return error }
        var first: ZipError?
        _ = archive.overlappingEntries
        for entry in archive.entries {
            _ = entry.name
            _ = entry.safeRelativePath
            #expect(archive.entry(named: entry.name) != nil)
            do { _ = try archive.read(entry) } catch { first = first ?? error }
            _ = try? archive.details(of: entry)
        }
        _ = archive.directories
        return first
    }

    // MARK: Declared sizes at the top of the range

    /// One deflated entry whose ZIP64 field declares 2^64 - 1 bytes: the
    /// readers' "declared + 1" used to overflow and trap under
    /// `ReadLimits.unlimited`.
    static func maximalDeclaredSize() -> [UInt8] {
        let content = Array("hello".utf8)
        // A raw deflate stream of one final stored block (RFC 1951 3.2.4).
        let deflated: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + content
        let crc = content.withBytes { CRC32.checksum($0) }
        let name = Array("big.bin".utf8)
        var local = ByteWriter()
        local.u32(0x0403_4b50); local.u16(45); local.u16(0); local.u16(8); local.u16(0); local.u16(0x21)
        local.u32(crc); local.u32(UInt32(deflated.count)); local.u32(0xFFFF_FFFF)
        local.u16(name.count); local.u16(12); local.raw(name)
        local.u16(1); local.u16(8); local.u64(.max)  // ZIP64: uncompressed size
        local.raw(deflated)
        let directoryOffset = local.bytes.count
        var central = ByteWriter()
        central.u32(0x0201_4b50); central.u16(0x032D); central.u16(45); central.u16(0); central.u16(8)
        central.u16(0); central.u16(0x21); central.u32(crc); central.u32(UInt32(deflated.count)); central.u32(0xFFFF_FFFF)
        central.u16(name.count); central.u16(12); central.u16(0); central.u16(0); central.u16(0)
        central.u32(0o100644 << 16); central.u32(0); central.raw(name)
        central.u16(1); central.u16(8); central.u64(.max)
        let end = HandmadeArchive.endRecord(count: 1, directorySize: central.bytes.count, directoryOffset: directoryOffset)
        return local.bytes + central.bytes + end
    }

    @Test func aDeclaredSizeOfTwoToThe64MinusOneIsAnErrorUnderAnyLimits() throws {
        let bytes = Self.maximalDeclaredSize()
        let unlimited = try ZipArchive(bytes: bytes, limits: .unlimited)
        let entry = try #require(unlimited.entries.first)
        #expect(entry.uncompressedSize == .max)
        #expect(throws: ZipError.self) { try unlimited.read(entry) }
        do {
            _ = try unlimited.read(entry)
        } catch {
            #expect(error.code == .sizeMismatch)
        }
        var streamed = 0
        #expect(throws: ZipError.self) { try unlimited.read(entry) { streamed += $0.count } }
        #expect(streamed == 5)
        #expect(Self.exercise(bytes)?.code == .limitExceeded, "the default limits refuse it before reading")
    }

    // MARK: Overlapping entries

    /// Fifield's quoted overlap in miniature: "a"'s stored data quotes the
    /// whole local header and data of "b". The directory lists "a" first,
    /// as in the file, unless `directoryReversed`.
    static func quotedOverlap(directoryReversed: Bool = false) -> [UInt8] {
        let kernel = Array("kernel data kernel data".utf8)
        let b = HandmadeArchive.localHeader(name: "b", data: kernel) + kernel
        let aHeader = HandmadeArchive.localHeader(name: "a", data: b)
        let bOffset = aHeader.count  // a's data is b's local header and data
        var out = aHeader + b
        let directoryOffset = out.count
        let headers = [HandmadeArchive.centralHeader(name: "a", data: b, offset: 0),
                       HandmadeArchive.centralHeader(name: "b", data: kernel, offset: bOffset)]
        out += (directoryReversed ? headers.reversed() : headers).joined()
        out += HandmadeArchive.endRecord(count: 2, directorySize: out.count - directoryOffset, directoryOffset: directoryOffset)
        return out
    }

    @Test func quotedOverlapIsRefused() throws {
        let archive = try ZipArchive(bytes: Self.quotedOverlap())
        #expect(archive.overlappingEntries.map(\.name) == ["a"])
        let error = expectZipError(.overlappingEntries) { _ = try archive.read(try #require(archive.entry(named: "a"))) }
        #expect(error?.entry == "a")
        #expect(try archive.read(try #require(archive.entry(named: "b"))) == Array("kernel data kernel data".utf8))
    }

    /// Two stored members, with the directory listing them in `order`
    /// (indices into the file order).
    static func twoMembers(directoryOrder order: [Int]) -> (bytes: [UInt8], data: [[UInt8]]) {
        let data = [Array("first member".utf8), Array("second member".utf8)]
        let names = ["1", "2"]
        var out: [UInt8] = []
        var offsets: [Int] = []
        for index in data.indices {
            offsets.append(out.count)
            out += HandmadeArchive.localHeader(name: names[index], data: data[index]) + data[index]
        }
        let directoryOffset = out.count
        for index in order {
            out += HandmadeArchive.centralHeader(name: names[index], data: data[index], offset: offsets[index])
        }
        out += HandmadeArchive.endRecord(count: order.count, directorySize: out.count - directoryOffset,
                                         directoryOffset: directoryOffset)
        return (out, data)
    }

    @Test func directoryOutOfFileOrderIsNoOverlap() throws {
        let (bytes, data) = Self.twoMembers(directoryOrder: [1, 0])
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.name) == ["2", "1"])
        #expect(archive.overlappingEntries.isEmpty)
        #expect(try archive.read(try #require(archive.entry(named: "1"))) == data[0])
        #expect(try archive.read(try #require(archive.entry(named: "2"))) == data[1])
    }

    @Test func quotedOverlapIsRefusedWhateverTheDirectoryOrder() throws {
        let archive = try ZipArchive(bytes: Self.quotedOverlap(directoryReversed: true))
        #expect(archive.entries.map(\.name) == ["b", "a"])
        #expect(archive.overlappingEntries.map(\.name) == ["a"])
        expectZipError(.overlappingEntries) { _ = try archive.read(try #require(archive.entry(named: "a"))) }
        #expect(try archive.read(try #require(archive.entry(named: "b"))) == Array("kernel data kernel data".utf8))
    }

    @Test func fullOverlapIsRefused() throws {
        // Three directory entries, one local header (and one name).
        let data = Array(repeating: UInt8(ascii: "z"), count: 100)
        let bytes = HandmadeArchive.build([
            .init(name: Array("k".utf8), data: data),
            .init(name: Array("k".utf8), data: data, localHeaderOffset: 0),
            .init(name: Array("k".utf8), data: data, localHeaderOffset: 0),
        ])
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.overlappingEntries.count == 3)
        for entry in archive.entries {
            expectZipError(.overlappingEntries) { _ = try archive.read(entry) }
        }
    }

    @Test func overlapsCanBeAllowedExplicitly() throws {
        let archive = try ZipArchive(bytes: Self.quotedOverlap(), limits: .unlimited)
        #expect(try archive.read(try #require(archive.entry(named: "a"))).count > 0)
    }

    /// Wheels and jars that ship on this machine: CPython's bundled pip and
    /// setuptools, its test wheels, Debian's Java libraries. CPython's own
    /// overlap check had false positives (PR #110016); ours must have none.
    static var realWorldArchives: [String] {
        var found: [String] = []
        let fm = FileManager.default
        for root in ["/root/.pyenv/versions", "/usr/share/java", "/usr/lib/jvm"] {
            guard let walker = fm.enumerator(atPath: root) else { continue }
            while let item = walker.nextObject() as? String {
                if item.hasSuffix(".whl") || item.hasSuffix(".jar") { found.append(root + "/" + item) }
                if found.count >= 40 { return found }
            }
        }
        return found
    }

    @Test func realWorldWheelsAndJarsHaveNoOverlaps() throws {
        let archives = Self.realWorldArchives
        try #require(archives.count >= 3, "no wheels or jars found on this machine")
        for path in archives {
            let archive = try ZipArchive(path: path)
            #expect(archive.overlappingEntries.isEmpty, "\(path)")
            for entry in archive.entries where entry.method.isSupported && !entry.isEncrypted {
                do { _ = try archive.read(entry) } catch {
                    Issue.record("\(path): \(error)")
                }
            }
        }
    }

    @Test(arguments: Fixture.all)
    func fixturesHaveNoOverlaps(_ name: String) throws {
        guard let archive = try? Fixture.open(name) else { return }
        #expect(archive.overlappingEntries.isEmpty)
    }

    // MARK: Read limits

    @Test func entryLargerThanTheLimitIsRefusedBeforeReading() throws {
        let archive = try Fixture.open("deflated.zip", limits: ReadLimits(maximumEntrySize: 100))
        let big = try #require(archive.entries.first { $0.uncompressedSize > 100 })
        let error = expectZipError(.limitExceeded) { _ = try archive.read(big) }
        #expect(error?.detail?.contains("100") == true)
        let small = try #require(archive.entries.first { $0.uncompressedSize <= 100 })
        _ = try archive.read(small)
    }

    @Test func totalOutputIsCappedPerArchive() throws {
        let archive = try Fixture.open("stored.zip", limits: ReadLimits(maximumTotalOutput: 4_000))
        var refused = false
        for _ in 0 ..< 10 {
            for entry in archive.entries {
                // (A non-exhaustive `catch where` over a typed throw hangs
                // the Swift 6.3 compiler; keep this catch exhaustive.)
                do { _ = try archive.read(entry) } catch {
                    #expect(error.code == .limitExceeded)
                    refused = true
                }
            }
        }
        #expect(refused)
    }

    @Test func impossibleCompressionRatioIsRefused() throws {
        // A deflated entry that declares 3 GB from a few bytes.
        var bytes = try Fixture.bytes("deflated.zip")
        let archive = try ZipArchive(bytes: bytes)
        let entry = archive.entries[0]
        let directory = Int(archive.centralDirectoryOffset)
        bytes = bytes.patching(directory + 24, le32Bytes(3_000_000_000))
            .patching(Int(entry.localHeaderOffset) + 22, le32Bytes(3_000_000_000))
        let patched = try ZipArchive(bytes: bytes)
        #expect(patched.entries[0].method == entry.method)
        expectZipError(.limitExceeded) { _ = try patched.read(patched.entries[0]) }
        // Without limits, the declared size still caps nothing here: the
        // stream ends short, which is a size mismatch, not data.
        let unlimited = try ZipArchive(bytes: bytes, limits: .unlimited)
        expectZipError(.sizeMismatch) { _ = try unlimited.read(unlimited.entries[0]) }
    }

    @Test func entryCountAboveTheLimitIsRefusedAtOpen() throws {
        expectZipError(.limitExceeded) {
            _ = try Fixture.open("directories.zip", limits: ReadLimits(maximumEntryCount: 3))
        }
    }

    // MARK: The table

    @Test func storedEntryDeclaringAHugeSizeWithTinyDataIsAnError() throws {
        let bytes = HandmadeArchive.build([.init(name: Array("big".utf8), data: Array("tiny".utf8), declaredSize: 0xFFFF_FFF0)])
        #expect(Self.exercise(bytes)?.code == .sizeMismatch)
        #expect(Self.exercise(bytes, limits: ReadLimits(maximumEntrySize: 1 << 20))?.code == .limitExceeded)
    }

    @Test func namesThatEscapeAreListedVerbatim() throws {
        let names = ["../x", "/x", "a\\b", "nul\u{0}name", "dup", "dup"]
        let bytes = HandmadeArchive.stored(names.map { ($0, Array($0.utf8)) })
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.name) == names)
        #expect(archive.entries.compactMap(\.safeRelativePath) == ["dup", "dup"])
        #expect(archive.entry(named: "dup")?.index == 5)
        #expect(Self.exercise(bytes) == nil)
    }

    @Test func baseOffsetOverflowIsAnError() throws {
        // Go's TestBaseOffsetPlusOverflow: offset + size overflows 64 bits.
        var bytes = Zip64Tests.handmade()
        let record = try #require(bytes.lastIndex(ofSignature: 0x0606_4b50))
        bytes = bytes.patching(record + 40, le64Bytes(UInt64.max - 10)).patching(record + 48, le64Bytes(UInt64.max - 20))
        let error = Self.exercise(bytes)
        let code = error?.code
        #expect(code == ZipError.Code.invalidCentralDirectory || code == ZipError.Code.invalidZip64EndRecord)
    }

    @Test(arguments: ["exe_with_zip", "exe_with_z64", "zip_cp437_header.zip", "zipdir.zip", "zipdir_backslash.zip"] as [String])
    func cpythonTestArchivesRead(_ name: String) throws {
        let path = "/root/.pyenv/versions/3.13.0/lib/python3.13/test/archivetestdata/" + name
        try #require(FileManager.default.fileExists(atPath: path), "CPython 3.13's test data is missing")
        let archive = try ZipArchive(path: path)
        #expect(archive.count > 0)
        for entry in archive.entries { _ = try archive.read(entry) }
        if name.hasPrefix("exe_with") { #expect(archive.prependedBytes > 0) }
        if name == "exe_with_z64" { #expect(archive.isZip64) }
    }
}
