import Testing
@testable import ZipIndex

@Suite("Concurrent reads")
struct ConcurrencyTests {
    @Test func manyTasksReadOneArchiveAtOnce() async throws {
        let archive = try Fixture.open("deflated.zip")
        let expected = try archive.entries.map { try archive.read($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0 ..< 16 {
                group.addTask {
                    for round in 0 ..< 50 {
                        let index = (task + round) % archive.count
                        let entry = archive.entries[index]
                        let bytes = try archive.read(entry)
                        #expect(bytes == expected[index])
                        #expect(archive.entry(named: entry.name) != nil)
                        _ = archive.directoryExists("a")  // the lazy directory index, built once
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
