import Foundation
import HostileTable
import Testing
@testable import ZipIndex

/// The ambiguity table: one archive per ambiguity type and variant of *My
/// ZIP isn't your ZIP* (`Fixtures/make_ambiguous.py` writes them and
/// `Fixtures/ambiguous/expected.json`), each with its verdict: refused
/// with which code, or read with which names, bytes and structure.
/// `Fixtures/differential_ambiguous.py` checks the same archives against
/// Python's zipfile, Info-ZIP and bsdtar.
@Suite("Ambiguity table")
struct AmbiguityTableTests {
    struct Expectation: Decodable, Sendable {
        let open: String
        let entries: [String]?
        let reads: [String]?
        let content: [String: String]?
        let type: String
        /// "hidden" or "truncating" when verifyStructure() must find it.
        let structure: String?
        /// The audit's name hazards by entry index (`NameHazards`
        /// identifiers); none when absent.
        let hazards: [String: [String]]?
        /// A check not made yet: the verdict is what ZipIndex does today.
        let pending: String?
    }

    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ambiguous").path

    static let table: [String: Expectation] = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json")) else { return [:] }
        return (try? JSONDecoder().decode([String: Expectation].self, from: data)) ?? [:]
    }()

    @Test func theTableIsThere() {
        #expect(Self.table.count >= 50)
        #expect(Set(Self.table.values.map(\.type)).isSuperset(of: ["A1", "A2", "A3", "A5", "C2", "C4", "C5"]))
    }

    @Test(arguments: table.keys.sorted())
    func archiveGetsItsVerdict(_ name: String) throws {
        let expected = try #require(Self.table[name])
        let archive: ZipArchive
        do {
            archive = try ZipArchive(path: Self.directory + "/" + name)
        } catch {
            #expect(error.code == HostileTable.code(named: expected.open), "\(name): \(error)")
            return
        }
        #expect(expected.open == "ok", "\(name) opened; the table says \(expected.open)")
        if let entries = expected.entries { #expect(archive.entries.map(\.name) == entries, "\(name)") }
        for entry in archive.entries {
            let verdict = expected.reads.map { $0[entry.index] } ?? "ok"
            do {
                let bytes = try archive.read(entry)
                #expect(verdict == "ok", "\(name) entry \(entry.index) read; the table says \(verdict)")
                if let hex = expected.content?[String(entry.index)] {
                    #expect(bytes == HostileTable.bytes(fromHex: hex), "\(name) entry \(entry.index)")
                }
            } catch {
                #expect(error.code == HostileTable.code(named: verdict), "\(name) entry \(entry.index): \(error)")
            }
        }
        let audit = try archive.audit()
        var hazards: [String: [String]] = [:]
        for finding in audit.names {
            hazards[String(finding.entry)] = NameHazards.allCases.filter { finding.hazards.contains($0) }.map(\.identifier)
        }
        #expect(hazards == expected.hazards ?? [:], "\(name)")
        let structure = audit.structure
        switch expected.structure {
        case "hidden": #expect(!structure.hiddenEntries.isEmpty, "\(name): \(structure)")
        case "truncating": #expect(!structure.truncatingDescriptors.isEmpty, "\(name): \(structure)")
        default: #expect(structure.isClean, "\(name): \(structure)")
        }
    }
}
