import Testing
@testable import Importer

/// The names a lookup composes on the stack (`prefix + module + suffix`)
/// and looks up as bytes: every length, on both sides of the stack buffer.
@Suite("Candidate names")
struct CandidateNameTests {
    @Test func composedNamesKeepEveryByteOnBothSidesOfTheStackBuffer() {
        var name = CandidateName()
        var expected: [UInt8] = []
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        // Pieces of 0 to 19 bytes, until well past the 256 bytes on the stack.
        while expected.count < 400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let piece = (0 ..< Int(state >> 59) % 20).map { UInt8(truncatingIfNeeded: (state >> UInt64($0 % 50)) &+ UInt64($0)) }
            name.append(piece)
            expected += piece
            #expect(name.withBytes { span in (0 ..< span.count).map { span[$0] } } == expected)
            if expected.count % 3 == 0, !expected.isEmpty {
                // A lookup truncates back to the stem and appends the next suffix.
                name.truncate(to: expected.count - 1)
                expected.removeLast()
            }
        }
        #expect(name.count == expected.count)
    }

    @Test func modulesOfEveryNameLengthAreFoundThroughTheComposedNames() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let archive = scratch.file("lengths.zip")
        // Stems of 1 to 24 bytes (every remainder of the hash's 8-byte words,
        // with and without the slash completing one), as modules, as packages
        // and as namespace directories, and one module past the stack buffer.
        let stems = (1 ... 24).map { String(repeating: "m", count: $0) }
        let long = String(repeating: "l", count: 300)
        var members: [Member] = [.file(long + ".py", "LONG = 1\n")]
        for stem in stems {
            members += [.file("mods/\(stem).py"), .file("pkgs/\(stem)/__init__.py"), .file("ns/\(stem)/data.txt")]
        }
        members += [.file("mods/__init__.py"), .file("pkgs/__init__.py")]
        try makeZip(archive, members)
        let path = ImportPath([archive], cache: ImportCache())
        for stem in stems {
            #expect(path.findSpec("mods." + stem)?.origin == archive + "/mods/\(stem).py")
            #expect(path.findSpec("pkgs." + stem)?.origin == archive + "/pkgs/\(stem)/__init__.py")
            #expect(path.findSpec("ns." + stem)?.submoduleSearchLocations == [archive + "/ns/\(stem)"])
            #expect(path.findSpec("mods." + stem + "x") == nil)
        }
        #expect(path.findSpec(long)?.origin == archive + "/" + long + ".py")
        #expect(try path.findSpec(long)?.source() == "LONG = 1\n")
    }
}
