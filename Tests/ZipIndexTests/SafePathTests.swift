import Testing
@testable import ZipIndex

@Suite("Safe relative paths for extraction")
struct SafePathTests {
    func safe(_ name: String) -> String? {
        Array(name.utf8).withBytes { EntryName.safeRelativePath($0) }
    }

    @Test(arguments: [
        // Go's TestInsecurePaths and CVE-2021-41772 cases.
        "../foo", "/foo", "a/b/../../../c", "a\\b", "/", "//", "\\", "/test.txt",
        // Drives, NUL, and names that leave nothing.
        "C:foo", "c:\\foo", "a\u{0}b", ".", "a/..", "..", "./..",
    ] as [String])
    func escapingNamesHaveNoSafePath(_ name: String) {
        #expect(safe(name) == nil, "\(name.debugDescription)")
    }

    @Test(arguments: [
        ("a/b/c.txt", "a/b/c.txt"),
        ("a/../b", "b"),
        ("./a//b/./c", "a/b/c"),
        ("dir/", "dir"),
        ("a/b/../c/", "a/c"),
        ("café/naïve.txt", "café/naïve.txt"),
        ("..a/b..", "..a/b.."),
    ] as [(String, String)])
    func localNamesAreNormalised(_ name: String, _ expected: String) {
        #expect(safe(name) == expected)
    }

    @Test func listingStillShowsNamesVerbatim() throws {
        // A crafted archive whose names escape: listed as stored, no safe path.
        let names = ["../x", "/x", "a\\b", "ok/y"]
        let archive = try ZipArchive(bytes: HandmadeArchive.stored(names.map { ($0, Array("data".utf8)) }))
        #expect(archive.entries.map(\.name) == names)
        let expected: [String?] = [nil, nil, nil, "ok/y"]
        #expect(archive.entries.map(\.safeRelativePath) == expected)
    }
}
