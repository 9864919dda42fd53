import Foundation
import Testing
@testable import ZipIndex

/// No false positives: archives that real tools made (wheels from eight build
/// backends, jars, APKs with v2 signing blocks, OOXML and ODF documents,
/// EPUBs), fetched from PyPI and Debian by `Fixtures/make_corpus.py` into
/// `Fixtures/corpus/files/` as `Fixtures/corpus/manifest.json` pins them.
/// Every reader accepts them, so ZipIndex must read every entry, find the
/// structure clean and report nothing in the audit but an APK's signing
/// block. A missing file fails the suite: run the script first (CI does).
@Suite("Real archives read and verify clean")
struct RealArchiveCorpusTests {
    struct Item: Decodable, Sendable, CustomTestStringConvertible {
        let category: String
        let file: String
        let sha256: String
        let size: Int
        let note: String
        var testDescription: String { "\(category) \(file)" }
    }

    static let corpus = Fixture.directory + "/corpus"

    static let manifest: [Item] = {
        struct Manifest: Decodable { let files: [Item] }
        guard let data = FileManager.default.contents(atPath: corpus + "/manifest.json"),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return [] }
        return manifest.files
    }()

    static func path(_ item: Item) -> String { corpus + "/files/" + item.file }

    @Test func theManifestHasFiveOrMoreOfEveryCategory() {
        let counts = Dictionary(grouping: Self.manifest, by: \.category).mapValues(\.count)
        for category in ["wheel", "jar", "apk", "ooxml", "odf", "epub"] {
            #expect(counts[category, default: 0] >= 5, "\(category): \(counts[category, default: 0]) files")
        }
        #expect(Set(Self.manifest.map(\.file)).count == Self.manifest.count, "file names are unique")
    }

    @Test func everyFileIsPresentWithItsPinnedSHA256() throws {
        let paths = Self.manifest.map(Self.path)
        let missing = paths.filter { !FileManager.default.fileExists(atPath: $0) }
        #expect(missing.isEmpty, "missing (run python3 Fixtures/make_corpus.py): \(missing)")
        guard missing.isEmpty, !paths.isEmpty else { return }
        let output = String(decoding: try run(["sha256sum"] + paths), as: UTF8.self)
        var digests: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            digests[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        for item in Self.manifest {
            #expect(digests[Self.path(item)] == item.sha256, "\(item.file)")
        }
    }

    @Test(arguments: manifest)
    func readsAndVerifiesClean(_ item: Item) throws {
        let archive = try ZipArchive(path: Self.path(item))
        #expect(archive.count > 0)
        #expect(archive.overlappingEntries.isEmpty)
        for entry in archive.entries {
            do {
                let data = try archive.read(entry)
                #expect(UInt64(data.count) == entry.uncompressedSize)
            } catch {
                Issue.record("\(item.file): \(error)")
            }
        }
        let audit = try archive.audit()
        #expect(audit.structure.isClean, "\(item.file): \(audit.structure)")
        #expect(audit.names.isEmpty, "\(item.file): \(audit.names)")
        #expect(audit.prependedBytes == 0 && audit.trailingBytes == 0)
        if item.category == "apk" {
            // APK Signature Scheme v2: the signing block sits between the
            // last local record and the directory, and ends with its magic.
            try #require(audit.structure.gaps.count == 1, "\(item.file): \(audit.structure.gaps)")
            let gap = audit.structure.gaps[0]
            #expect(gap.upperBound == archive.centralDirectoryOffset)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.path(item)))
            let magic = bytes[Int(gap.upperBound) - 16 ..< Int(gap.upperBound)]
            #expect(String(decoding: magic, as: UTF8.self) == "APK Sig Block 42", "\(item.file)")
        } else {
            #expect(audit.structure.gaps.isEmpty, "\(item.file): \(audit.structure.gaps)")
        }
    }
}
