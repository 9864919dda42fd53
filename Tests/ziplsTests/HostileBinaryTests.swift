import Foundation
import HostileTable
import Synchronization
import Testing
import ZipIndex

/// The hostile table against the `zipls` executable: every archive in
/// `Fixtures/hostile`, every truncation and every bit flip. No run may die
/// of a signal, use a second of CPU or hang; an archive that does not
/// open exits 2
/// with one line on stderr naming the cause; one that opens lists exactly
/// the table's names, and `zipls test` fails exactly the entries the table
/// says. (`HostileTableTests` holds the library to the same table.)
@Suite("Hostile table: zipls")
struct HostileBinaryTests {
    static let directory = URL(fileURLWithPath: HostileTable.directory)

    /// The summary sentence a code's error message starts with.
    static func message(_ code: ZipError.Code) -> String { ZipError(code).description }

    @Test(arguments: HostileTable.names)
    func ziplsBehavesAsTheTableSays(_ name: String) throws {
        let expected = try #require(HostileTable.expectations[name])
        var results: [[String]: RunResult] = [:]
        for command in [["list"], ["list", "--long"], ["list", "--json"], ["info"], ["info", "--json"], ["test"]] {
            let start = ContinuousClock.now
            let result = try ZiplsProcess.zipls(command + [name], in: Self.directory)
            // A hang bound in wall time, loose because CI's two cores run
            // other tests meanwhile; the CPU bound is the bit-flip tests'.
            #expect(ContinuousClock.now - start < .seconds(10), "zipls \(command) \(name) took over ten seconds")
            #expect(!result.signaled, "zipls \(command) \(name) died: \(result)")
            results[command] = result
        }
        if let code = expected.openError {
            for (command, result) in results {
                #expect(result.status == 2, "\(command): \(result)")
                #expect(result.stdout.isEmpty, "\(command): \(result)")
                #expect(result.stderrLines.count == 1, "\(command): \(result)")
                #expect(result.stderr.hasPrefix("zipls: \(name): \(Self.message(code))"), "\(command): \(result)")
            }
            return
        }
        for command in [["list"], ["list", "--long"], ["list", "--json"], ["info"], ["info", "--json"]] {
            #expect(results[command]?.status == 0, "\(command): \(results[command]!)")
            #expect(results[command]?.stderr == "", "\(command): \(results[command]!)")
        }
        // Names exactly, NULs and all, from the JSON listing.
        let listing = try #require(try parseJSON(results[["list", "--json"]]!.stdoutBytes) as? [String: Any])
        let names = (listing["entries"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == expected.entries)
        let info = try #require(try parseJSON(results[["info", "--json"]]!.stdoutBytes) as? [String: Any])
        #expect(info["overlappingEntries"] as? Int == expected.overlapping ?? 0)

        // zipls test: exit 1, one line per entry the table says fails, then
        // one per hidden local record.
        let test = try #require(results[["test"]])
        let entries = expected.entries ?? []
        let failing = entries.indices.filter { expected.readError($0) != nil }
        let hidden = expected.hidden ?? 0
        #expect(test.status == (failing.isEmpty && hidden == 0 ? 0 : 1), "\(test)")
        #expect(test.stderrLines.count == failing.count + hidden, "\(test)")
        #expect(test.stderrLines.suffix(hidden).allSatisfy { $0.hasPrefix("zipls: \(name): hidden entry at offset ") }, "\(test)")
        for (line, index) in zip(test.stderrLines, failing) {
            let code = try #require(expected.readError(index))
            #expect(line.hasPrefix("zipls: \(name): \(Self.message(code)) in entry "), "\(line)")
        }

        // zipls cat gives the table's bytes (the quine gives itself).
        for index in entries.indices {
            guard let content = expected.content(of: index), entries.lastIndex(of: entries[index]) == index,
                  !entries[index].contains("\u{0}") else { continue }
            let cat = try ZiplsProcess.zipls(["cat", name, entries[index]], in: Self.directory)
            #expect(cat.status == 0, "\(cat)")
            #expect(cat.stdoutBytes == content, "cat \(entries[index])")
        }
    }

    /// `zipls test` on each fixture cut at every byte offset: exit 2 (it no
    /// longer opens), never a signal, never a second of CPU.
    @Test(arguments: HostileTable.truncationSeeds)
    func truncationAtEveryOffsetExits2(_ seed: String) throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: ZiplsProcess.fixture(seed)))
        let results = try Self.runMany(count: whole.count) { length in whole.prefix(length) }
        for (length, result) in results.enumerated() where !result.skipped {
            #expect(result.status == 2 && result.signal == 0, "\(seed) cut to \(length) bytes: \(result)")
            #expect(result.cpuTime < .seconds(1) && !result.timedOut, "\(seed) cut to \(length) bytes: \(result)")
        }
    }

    /// `zipls test` on the ten thousand seeded bit flips: exit 0, 1 or 2
    /// (clean, bad entries, unreadable), never a signal, never a second of CPU.
    @Test func tenThousandBitFlipsExitCleanly() throws {
        let flips = try HostileTable.BitFlips(fixtures: ZiplsProcess.fixtures.path)
        let results = try Self.runMany(count: HostileTable.bitFlipCount) { Data(flips.input($0)) }
        var statuses: [Int32: Int] = [:]
        for (round, result) in results.enumerated() where !result.skipped {
            statuses[result.status, default: 0] += 1
            #expect([0, 1, 2].contains(result.status) && result.signal == 0, "bit flip \(round): \(result)")
            #expect(result.cpuTime < .seconds(1) && !result.timedOut, "bit flip \(round): \(result)")
        }
        // The flips reach every outcome: clean, bad entries, unreadable.
        #expect(statuses[0, default: 0] > 0 && statuses[1, default: 0] > 0 && statuses[2, default: 0] > 0, "\(statuses)")
    }

    /// Every how many generated cases one runs through the binary: 1, or
    /// `$ZIPLS_HOSTILE_STRIDE`. CI's sanitizer runs, where each process
    /// costs ~100 ms, set 10; the library's own tests still run every case
    /// there, and the plain `swift test` runs every case through the binary.
    static let stride = max(1, Int(ProcessInfo.processInfo.environment["ZIPLS_HOSTILE_STRIDE"] ?? "") ?? 1)

    /// Writes input `i` to a scratch file and runs `zipls test` on it, for
    /// every `stride`-th `i` below `count` (results for the others are
    /// `.skipped`), on as many workers as there are cores.
    static func runMany(count: Int, input: @escaping @Sendable (Int) -> Data) throws -> [QuickResult] {
        try ZiplsProcess.withTemporaryDirectory { directory in
            let workers = max(2, ProcessInfo.processInfo.activeProcessorCount)
            let results = Mutex(Array(repeating: QuickResult.skipped, count: count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let path = directory.appendingPathComponent("case-\(worker).zip").path
                for index in Swift.stride(from: worker * Self.stride, to: count, by: workers * Self.stride) {
                    _ = FileManager.default.createFile(atPath: path, contents: input(index))
                    let result = QuickRun.run([ZiplsProcess.executable, "test", path])
                    results.withLock { $0[index] = result }
                }
            }
            return results.withLock { $0 }
        }
    }
}
