import Foundation
import Testing
@testable import ZipIndex

/// Replays the fuzz corpora: every file under `Fuzz/regressions/` (inputs that
/// once crashed or hung a fuzz target) and `Fuzz/corpus/` (the seeds), plus
/// the fixtures, through the operations of fuzz targets 1 and 3
/// (`Fuzz/Targets/archive.swift`, `Fuzz/Targets/endrecord.swift`): open from
/// memory, list, look up every name, read every entry whole and streamed;
/// and locate the central directory alone. Every input must finish within a
/// second, and every failure must be a `ZipError`.
///
/// To add a regression, drop the input into `Fuzz/regressions/<target>/`;
/// `Fuzz/run.sh` does so for every crash it finds.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root: URL = URL(fileURLWithPath: #filePath)  // Tests/ZipIndexTests/FuzzRegressionTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Paths relative to the repository root, sorted.
    static let inputs: [String] = {
        var found: [String] = []
        for directory in ["Fuzz/regressions", "Fuzz/corpus"] {
            let base = root.appendingPathComponent(directory)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
                continue
            }
            for case let url as URL in walker where !url.lastPathComponent.hasPrefix(".") {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                found.append(directory + "/" + url.path.dropFirst(base.path.count + 1))
            }
        }
        found += Fixture.all.map { "Fixtures/" + $0 }
        return found.sorted()
    }()

    @Test func corpusIsPresent() {
        #expect(Self.inputs.contains { $0.hasPrefix("Fuzz/corpus/archive/") })
        #expect(Self.inputs.contains { $0.hasPrefix("Fuzz/corpus/endrecord/") })
    }

    @Test(.serialized, arguments: inputs)
    func replay(_ input: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(input)))
        let elapsed = ThreadCPUTime.measure {
            Self.exerciseEndRecord(bytes, input)
            Self.exerciseArchive(bytes, input, limits: .default)
            Self.exerciseArchive(bytes, input, limits: .unlimited)
        }
        #expect(elapsed < .seconds(1), "\(input) took \(elapsed) of CPU")
    }

    // MARK: Target 3: the end record and ZIP64 records alone

    static func exerciseEndRecord(_ bytes: [UInt8], _ input: String) {
        let location: CentralDirectoryLocation
        let tail: CentralDirectoryLocation.Tail
        do {
            (location, tail) = try CentralDirectoryLocation.locate(in: ByteSource(bytes: bytes))
        } catch {
            _ = error.code  // typed throws: a ZipError
            return
        }
        let size = UInt64(bytes.count)
        let end = location.endRecordOffset
        #expect(end <= size && size - end >= UInt64(EndOfCentralDirectory.length + location.comment.count),
                "\(input): end record at \(end) with a \(location.comment.count)-byte comment in \(size) bytes")
        let (directoryEnd, overflow) = location.directoryOffset.addingReportingOverflow(location.directorySize)
        #expect(!overflow && directoryEnd <= end,
                "\(input): directory \(location.directoryOffset)+\(location.directorySize) does not end before the end record at \(end)")
        #expect(location.prependedBytes <= location.directoryOffset, "\(input): prepended bytes past the directory")
        #expect(location.isZip64 || location.declaredEntryCount <= 0xFFFF, "\(input): zip32 count \(location.declaredEntryCount)")
        #expect(tail.offset <= size && UInt64(tail.bytes.count) == size - tail.offset, "\(input): tail")
        if location.directorySize > 0, !overflow, directoryEnd <= size {
            let at = Int(location.directoryOffset)
            #expect(Array(bytes[at ..< min(at + 4, bytes.count)]) == [0x50, 0x4B, 0x01, 0x02],
                    "\(input): no central header at the directory offset \(at)")
        }
    }

    // MARK: Target 1: open, list, look up, read

    static func exerciseArchive(_ bytes: [UInt8], _ input: String, limits: ReadLimits) {
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: bytes, limits: limits)
        } catch {
            _ = error.code
            return
        }
        _ = archive.comment
        _ = archive.commentBytes
        #expect(archive.centralDirectoryOffset <= archive.fileSize
                    && archive.centralDirectorySize <= archive.fileSize - archive.centralDirectoryOffset,
                "\(input): the directory lies outside the file")
        #expect(archive.count == archive.entries.count)

        for entry in archive.entries {
            let name = entry.name
            _ = (entry.isDirectory, entry.isSymlink, entry.isEncrypted, entry.unixMode, entry.modificationDate)
            _ = (entry.method.name, entry.localHeaderOffset, entry.compressedSize, entry.uncompressedSize)
            let nameBytes = entry.withUTF8Name { $0.array }
            #expect(Array(name.utf8) == nameBytes, "\(input): entry \(entry.index)'s name is not its UTF-8 bytes")
            let found = archive.entry(utf8Name: nameBytes.span)
            #expect(found != nil, "\(input): entry \(entry.index) (\(name)) not found by its own name")
            if let found {
                #expect(found.withUTF8Name { $0.array } == nameBytes, "\(input): lookup of \(name) found \(found.name)")
                #expect(found.index >= entry.index, "\(input): lookup of \(name) found an earlier duplicate")
                #expect(archive.entry(named: name) == found, "\(input): entry(named:) disagrees on \(name)")
            }
            if entry.isDirectory {
                #expect(archive.directoryExists(name), "\(input): directory entry \(name) missing from the directories")
            }
            _ = try? archive.details(of: entry)
        }
        _ = archive.entry(named: "no/such/entry")

        for directory in archive.directories.prefix(64) {
            #expect(archive.directoryExists(directory), "\(input): listed directory \(directory) does not exist")
            _ = archive.contentsOfDirectory(directory)
        }
        _ = archive.contentsOfDirectory("")
        if let structure = try? archive.verifyStructure() {
            #expect(structure.gaps.allSatisfy { $0.upperBound <= archive.fileSize }, "\(input): a gap past the end")
            #expect(structure.hiddenEntries.allSatisfy { $0 < archive.fileSize }, "\(input): a hidden entry past the end")
        }
        if let audit = try? archive.audit() {
            let listed = Dictionary(uniqueKeysWithValues: audit.names.map { ($0.entry, $0) })
            for entry in archive.entries {
                let finding = listed[entry.index]
                #expect((finding?.isSafeToExtract ?? true) == (entry.safeRelativePath != nil), "\(input): \(entry.index)")
                #expect((finding?.hazards ?? []).isSuperset(of: entry.nameHazards), "\(input): \(entry.index)")
            }
        }

        for entry in archive.entries {
            // Typed throws: whole reads return bytes or throw a ZipError.
            let whole = Result { () throws(ZipError) in try archive.read(entry) }
            var streamed: [UInt8] = []
            var streamError: ZipError?
            do {
                try archive.read(entry) { chunk in streamed += chunk.array }
            } catch let error as ZipError {
                streamError = error
            } catch {
                Issue.record("\(input): streaming \(entry.name) threw a non-ZipError: \(error)")
            }
            switch whole {
            case .success(let data):
                #expect(UInt64(data.count) == entry.uncompressedSize, "\(input): \(entry.name) read \(data.count) bytes")
                #expect(streamError == nil, "\(input): whole read of \(entry.name) succeeded, streamed threw \(String(describing: streamError))")
                #expect(data == streamed, "\(input): whole and streamed reads of \(entry.name) differ")
            case .failure(let error):
                #expect(streamError?.code == error.code,
                        "\(input): whole read of \(entry.name) threw \(error), streamed \(streamError.map { "\($0)" } ?? "succeeded")")
            }
        }
    }
}
