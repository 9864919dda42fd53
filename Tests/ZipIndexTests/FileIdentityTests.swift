#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import ZipIndex

/// `FileIdentity`: the one type for what a `stat` says.
@Suite("File identity")
struct FileIdentityTests {
    @Test func aPathHoldingANulIsNotStatedCut() throws {
        let path = Fixture.path("stored.zip")
        let identity = try #require(FileIdentity.of(path: path))
        #expect(identity.kind == .regular)
        // C would see `path` alone and stat that file.
        #expect(FileIdentity.of(path: path + "\0.bak") == nil)
    }

    @Test func aDirectoryIsOfItsKind() throws {
        #expect(FileIdentity.of(path: Fixture.path("hostile"))?.kind == .directory)
    }

    @Test func timesSaturateInsteadOfWrapping() {
        var info = stat()
        info.st_mode = S_IFREG | 0o644
        info.st_mtim = timespec(tv_sec: .max, tv_nsec: 0)
        info.st_ctim = timespec(tv_sec: .min, tv_nsec: 0)
        let identity = FileIdentity(info)
        #expect(identity.modificationTimeNs == .max)
        #expect(identity.changeTimeNs == .min)
        info.st_mtim = timespec(tv_sec: 1_700_000_000, tv_nsec: 5)
        #expect(FileIdentity(info).modificationTimeNs == 1_700_000_000_000_000_005)
    }
}
