import Testing
@_spi(Benchmarks) @testable import ZipIndex

@Suite("The file table: order, lookup, directories")
struct FileTableTests {
    @Test func iterationIsInCentralDirectoryOrder() throws {
        let archive = try Fixture.open("directories.zip")
        #expect(archive.entries.map(\.name) == ["a/", "a/b/", "a/b/c.txt", "empty/", "top.txt"])
        #expect(archive.entries.map(\.index) == Array(0 ..< 5))
        #expect(archive.entries.map(\.localHeaderOffset) == archive.entries.map(\.localHeaderOffset).sorted())
    }

    /// The bulk walk gives every entry, in order, with the same bytes
    /// `withUTF8Name` gives: duplicates, CP437 and Unicode Path names too.
    @Test(arguments: ["directories.zip", "duplicate-names.zip", "cp437.zip", "unicode-path-extra.zip", "empty.zip"] as [String])
    func forEachUTF8NameVisitsEveryEntryInOrder(_ fixture: String) throws {
        let archive = try Fixture.open(fixture)
        var visited: [(Int, [UInt8])] = []
        archive.forEachUTF8Name { index, name in visited.append((index, name.array)) }
        #expect(visited.map(\.0) == Array(0 ..< archive.count))
        #expect(visited.map(\.1) == archive.entries.map { $0.withUTF8Name { $0.array } })
    }

    @Test func forEachUTF8NameStopsAtTheFirstError() throws {
        struct Stop: Error {}
        let archive = try Fixture.open("directories.zip")
        var seen = 0
        #expect(throws: Stop.self) {
            try archive.forEachUTF8Name { (index, _) throws(Stop) in
                seen += 1
                if index == 1 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }

    @Test func lookupAcceptsStringSubstringAndBytes() throws {
        let archive = try Fixture.open("directories.zip")
        let byString = try #require(archive.entry(named: "a/b/c.txt"))
        let text = "xx a/b/c.txt"
        let bySubstring = try #require(archive.entry(named: text.dropFirst(3)))
        let nameBytes = Array("a/b/c.txt".utf8)
        let found = archive.entry(utf8Name: nameBytes.span)
        let byBytes = try #require(found)
        #expect(byString == bySubstring)
        #expect(byString == byBytes)
        #expect(byString.name == "a/b/c.txt")
    }

    @Test func lookupIsExactAndCaseSensitive() throws {
        let archive = try Fixture.open("directories.zip")
        #expect(archive.entry(named: "A/B/C.TXT") == nil)
        #expect(archive.entry(named: "a/b/c.tx") == nil)
        #expect(archive.entry(named: "a/b/c.txt ") == nil)
        #expect(archive.entry(named: "") == nil)
        #expect(archive.entry(named: "a") == nil)  // the directory entry is "a/"
        #expect(archive.entry(named: "a/") != nil)
    }

    @Test func duplicateNamesAllIterateAndLookupReturnsTheLast() throws {
        let archive = try Fixture.open("duplicate-names.zip")
        let duplicates = archive.entries.filter { $0.name == "dup.txt" }
        #expect(duplicates.count == 2)
        let found = try #require(archive.entry(named: "dup.txt"))
        #expect(found == duplicates.last)
        #expect(String(decoding: try archive.read(found), as: UTF8.self).hasPrefix("second version"))
    }

    @Test func directoriesAreMarkedByTheirTrailingSlash() throws {
        let archive = try Fixture.open("directories.zip")
        #expect(archive.entries.filter(\.isDirectory).map(\.name) == ["a/", "a/b/", "empty/"])
        #expect(try archive.read(try #require(archive.entry(named: "a/"))).isEmpty)
    }

    @Test func directoriesImpliedByDeeperNamesExist() throws {
        let archive = try Fixture.open("wheel-like.zip")
        #expect(archive.entries.allSatisfy { !$0.isDirectory })
        #expect(archive.directoryExists("pkg"))
        #expect(archive.directoryExists("pkg/"))
        #expect(archive.directoryExists("pkg/sub"))
        #expect(archive.directoryExists("ns/only"))
        #expect(archive.directoryExists("ns"))
        #expect(!archive.directoryExists("pk"))
        #expect(!archive.directoryExists("pkg/mod.py"))
        #expect(!archive.directoryExists("top.py"))
        #expect(Set(archive.directories) == ["pkg/", "pkg/sub/", "ns/", "ns/only/"])
    }

    /// Every prefix ending in `/` of every name, each once, in the order
    /// first seen: what `directories` lists, computed the plain way.
    static func directoriesByPrefixes(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        for name in names {
            for (position, character) in name.enumerated() where character == "/" {
                let prefix = String(name.prefix(position + 1))
                if seen.insert(prefix).inserted { order.append(prefix) }
            }
        }
        return order
    }

    @Test func directoriesOfDeepAndSharedPathsAreEveryPrefixOnceInFirstSeenOrder() throws {
        // Shared parents, deeper names under known directories, a name of
        // more directories than the archive has entries, and names drawn
        // from {a, b, /} that share prefixes of every length.
        var names = ["a/b/c/d/e/f.txt", "a/b/x/y.txt", "a/b/c/d/e/g/h.txt", "a/b/c/z.txt", "q/", "a/b/c/d/e/f.txt",
                     String(repeating: "n/", count: 300) + "f", "//x", "a//b/"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0 ..< 400 {
            var name = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for draw in 0 ..< Int(state >> 58) + 1 {
                name.append(["a", "b", "/"][Int((state >> UInt64(draw % 29)) % 3)])
            }
            names.append(name)
        }
        let archive = try ZipArchive(bytes: HandmadeArchive.stored(names.map { ($0, []) }))
        let expected = Self.directoriesByPrefixes(names)
        #expect(expected.count > 400)
        #expect(Array(archive.directories) == expected)
        #expect(expected.allSatisfy { archive.directoryExists($0) && archive.directoryExists(String($0.dropLast())) })
        #expect(names.filter { !$0.hasSuffix("/") && !expected.contains($0 + "/") }.allSatisfy { !archive.directoryExists($0) })
    }

    @Test func directoryListingGivesImmediateChildrenOnce() throws {
        let archive = try Fixture.open("wheel-like.zip")
        #expect(Set(archive.contentsOfDirectory("pkg")) == ["__init__.py", "mod.py", "data.txt", "sub/"])
        #expect(Set(archive.contentsOfDirectory("")) == ["pkg/", "ns/", "top.py"])
        #expect(archive.contentsOfDirectory("nowhere").isEmpty)
    }

    @Test func tableMemoryStaysWithinItsBudget() throws {
        let archive = try Fixture.open("wheel-like.zip")
        let stats = archive.tableStatistics
        #expect(stats.nameBytes == archive.entries.reduce(0) { $0 + $1.name.utf8.count })
        #expect(MemoryLayout<EntryRecord>.stride == 40)
        #expect(stats.tableBytes >= stats.nameBytes + archive.count * 40)
    }

    /// The name index is built by the first lookup, from the hashes made
    /// while parsing, which it then frees; every thread sees the same index.
    @Test func firstLookupBuildsTheIndexOnceAcrossThreads() async throws {
        let archive = try Fixture.open("wheel-like.zip")
        let before = archive.tableStatistics.tableBytes
        let names = archive.entries.map(\.name)
        await withTaskGroup(of: Bool.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    names.indices.allSatisfy { archive.entry(named: names[($0 + task) % names.count])?.name == names[($0 + task) % names.count] }
                }
            }
            for await found in group { #expect(found) }
        }
        let after = archive.tableStatistics.tableBytes
        // Hashes (8 bytes per entry) gave way to the index (at most 4/3 of a
        // slot of 5 bytes per entry, at least 4 slots).
        #expect(before - after == archive.count * 8 - max(archive.count + archive.count / 3 + 1, 4) * 5)
        #expect(archive.entry(named: "no/such/name") == nil)
    }

    @Test func entriesOutliveTheirArchiveValue() throws {
        var entry: ZipEntry?
        do {
            let archive = try Fixture.open("stored.zip")
            entry = archive.entries.last
        }
        #expect(entry?.name.isEmpty == false)
    }

    @Test func entryFromAnotherArchiveIsRefused() throws {
        let one = try Fixture.open("stored.zip")
        let other = try Fixture.open("deflated.zip")
        expectZipError(.foreignEntry) { _ = try other.read(one.entries[0]) }
    }

    @Test func nameHashSpreadsSimilarNames() {
        // Names that differ in one byte must not collide wholesale.
        var hashes = Set<UInt64>()
        for i in 0 ..< 10_000 {
            let name = Array("pkg/module_\(i).py".utf8)
            hashes.insert(name.withBytes { NameIndex.hash($0) })
        }
        #expect(hashes.count == 10_000)
    }
}
