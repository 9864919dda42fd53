import Testing
@testable import zipls

/// Which names are unsafe is the library's one rule (`ZipEntry.safeRelativePath`,
/// pinned by ZipIndexTests' "Safe relative paths for extraction"); zipls
/// only counts them (InfoCommandTests).
@Suite("Mode strings")
struct ModeStringTests {
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
