import Testing
@testable import zipls

@Suite("Unsafe names and mode strings")
struct NameAndModeTests {
    @Test(arguments: ["a.txt", "dir/a.txt", "a/../b", "./a", "a/./b/..", "..a", "a..", "a/..b/c", "", "dir/", "C", "ab:c"])
    func ordinaryNamesAreSafe(_ name: String) {
        #expect(UnsafeName.reasons(name).isEmpty)
    }

    @Test func absoluteNamesAndDriveLettersAreUnsafe() {
        #expect(UnsafeName.reasons("/etc/passwd") == .absolute)
        #expect(UnsafeName.reasons("C:/Windows") == .absolute)
        #expect(UnsafeName.reasons("c:x") == .absolute)
        #expect(UnsafeName.reasons("1:x").isEmpty)
    }

    @Test func dotDotIsUnsafeOnlyWhenItClimbsOut() {
        #expect(UnsafeName.reasons("../x") == .escaping)
        #expect(UnsafeName.reasons("..") == .escaping)
        #expect(UnsafeName.reasons("a/../../x") == .escaping)
        #expect(UnsafeName.reasons("a/./../..") == .escaping)
        #expect(UnsafeName.reasons("a//../b/../..") == .escaping)  // empty components do not count
        #expect(UnsafeName.reasons("a/b/../../c").isEmpty)
    }

    @Test func backslashesAreUnsafe() {
        #expect(UnsafeName.reasons("a\\b") == .backslash)
        #expect(UnsafeName.reasons("..\\..\\x") == .backslash)
        #expect(UnsafeName.reasons("/a/../../b\\c") == [.absolute, .escaping, .backslash])
    }

    @Test func modeStringsReadLikeLsL() {
        #expect(LongListing.modeString(0o100644, isDirectory: false) == "-rw-r--r--")
        #expect(LongListing.modeString(0o040755, isDirectory: true) == "drwxr-xr-x")
        #expect(LongListing.modeString(0o120777, isDirectory: false) == "lrwxrwxrwx")
        #expect(LongListing.modeString(0o010644, isDirectory: false) == "prw-r--r--")
        #expect(LongListing.modeString(0o104755, isDirectory: false) == "-rwsr-xr-x")
        #expect(LongListing.modeString(0o104644, isDirectory: false) == "-rwSr--r--")
        #expect(LongListing.modeString(0o102755, isDirectory: false) == "-rwxr-sr-x")
        #expect(LongListing.modeString(0o041777, isDirectory: true) == "drwxrwxrwt")
        #expect(LongListing.modeString(0o041776, isDirectory: true) == "drwxrwxrwT")
        #expect(LongListing.modeString(0o000644, isDirectory: true) == "drw-r--r--")  // permissions only
    }

    @Test func ratioIsTheSpaceSavedRoundedTowardZero() {
        #expect(LongListing.ratio(size: 0, compressed: 0) == 0)
        #expect(LongListing.ratio(size: 100, compressed: 25) == 75)
        #expect(LongListing.ratio(size: 1000, compressed: 1) == 99)  // not 100 while something is left
        #expect(LongListing.ratio(size: 100, compressed: 0) == 100)
        #expect(LongListing.ratio(size: 10, compressed: 22) == -120)
        #expect(LongListing.ratio(size: 1, compressed: .max) == -1_000_000_000_000_000)  // clamped, no trap
    }
}
