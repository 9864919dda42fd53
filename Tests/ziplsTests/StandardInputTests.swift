import Foundation
import Testing

/// `zipls COMMAND -`: an archive piped in is spooled to an unnamed
/// temporary file and read from there; a redirected file is read in place.
@Suite("zipls reads an archive from standard input")
struct StandardInputTests {
    /// Runs `command` under sh, with `@zipls` standing for the binary.
    func shell(_ command: String) throws -> RunResult {
        let zipls = "'" + ZiplsProcess.executable + "'"
        return try ZiplsProcess.run("/bin/sh", ["-c", command.replacingOccurrences(of: "@zipls", with: zipls)])
    }

    @Test func aPipedArchiveIsListedTestedAndPrinted() throws {
        let listed = try shell("cat mixed.zip | @zipls -")
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout == (try ZiplsProcess.zipls("mixed.zip")).stdout)
        let tested = try shell("cat mixed.zip | @zipls test /dev/stdin")
        #expect(tested.status == 0)
        #expect(tested.stdout == "/dev/stdin: 4 entries tested, no errors\n")
        let printed = try shell("cat mixed.zip | @zipls cat - stored.txt")
        #expect(printed.stdout == (try ZiplsProcess.zipls("cat", "mixed.zip", "stored.txt")).stdout)
    }

    @Test func aRedirectedFileIsReadInPlace() throws {
        let result = try shell("@zipls info --json - < zip64.zip")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\"zip64\":true"))
    }

    @Test func aPipePastTheCapIsRefusedWithTheReason() throws {
        let result = try shell("cat mixed.zip | ZIPLS_STDIN_LIMIT=100 @zipls list -")
        #expect(result.status == 2)
        #expect(result.stderrLines == ["zipls: -: standard input is larger than 100 bytes (ZIPLS_STDIN_LIMIT); save it to a file and name that"])
    }

    @Test func somethingThatIsNoArchiveIsSaidSo() throws {
        let result = try shell("echo hello | @zipls list -")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("zipls: -: not a zip archive"))
    }
}
