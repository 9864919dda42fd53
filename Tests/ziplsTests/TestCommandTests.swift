import Foundation
import Testing

@Suite("zipls test")
struct TestCommandTests {
    private func run(_ arguments: String...) throws -> RunResult {
        try ZiplsProcess.zipls(["test"] + arguments)
    }

    @Test func goodArchiveEndsWithASummaryAndExit0() throws {
        let result = try run("deflated.zip")
        #expect(result.status == 0)
        #expect(result.stdout == "deflated.zip: 3 entries tested, no errors\n")
        #expect(result.stderr == "")  // no progress line: stderr is not a terminal
        let one = try run("comment.zip")
        #expect(one.stdout == "comment.zip: 1 entry tested, no errors\n")
        let empty = try run("empty.zip")
        #expect(empty.status == 0)
        #expect(empty.stdout == "empty.zip: 0 entries tested, no errors\n")
    }

    @Test func crcMismatchIsReportedPerEntryWithExit1() throws {
        let deflated = try run("crc-corrupt.zip")
        #expect(deflated.status == 1)
        #expect(deflated.stdout == "crc-corrupt.zip: 2 entries tested, 1 bad\n")
        #expect(deflated.stderrLines == [
            "zipls: crc-corrupt.zip: CRC-32 mismatch in entry \"bad-crc.txt\": computed 0xdf1accd2, the directory declares 0x20e5332d",
        ])
        let stored = try run("crc-corrupt-stored.zip")
        #expect(stored.status == 1)
        #expect(stored.stdout == "crc-corrupt-stored.zip: 2 entries tested, 1 bad\n")
        #expect(stored.stderrLines == [
            "zipls: crc-corrupt-stored.zip: CRC-32 mismatch in entry \"flipped.txt\": computed 0x2950480f, the directory declares 0x4e3d1623",
        ])
    }

    @Test func unsupportedMethodsAndEncryptionAreBadEntries() throws {
        let bzip2 = try run("bzip2.zip")
        #expect(bzip2.status == 1)
        #expect(bzip2.stdout == "bzip2.zip: 2 entries tested, 2 bad\n")
        #expect(bzip2.stderrLines == [
            "zipls: bzip2.zip: unsupported compression method in entry \"lorem.txt\": method 12 (bzip2)",
            "zipls: bzip2.zip: unsupported compression method in entry \"numbers.txt\": method 12 (bzip2)",
        ])
        let lzma = try run("lzma.zip")
        #expect(lzma.status == 1)
        #expect(lzma.stderrLines.allSatisfy { $0.contains("method 14 (lzma)") } && lzma.stderrLines.count == 2)
        let encrypted = try run("encrypted.zip")
        #expect(encrypted.status == 1)
        #expect(encrypted.stdout == "encrypted.zip: 2 entries tested, 2 bad\n")
        #expect(encrypted.stderrLines == [
            "zipls: encrypted.zip: cannot read encrypted data in entry \"secret.txt\": flag bit 0 is set",
            "zipls: encrypted.zip: cannot read encrypted data in entry \"tiny.txt\": flag bit 0 is set",
        ])
    }

    /// Overlapping-entry zip bombs: each overlapped entry is a bad entry,
    /// named, and the entries it quotes still test clean.
    @Test func overlappingEntriesAreBadEntries() throws {
        let hostile = ZiplsProcess.fixtures.appendingPathComponent("hostile")
        let quoted = try ZiplsProcess.zipls(["test", "overlap-quoted.zip"], in: hostile)
        #expect(quoted.status == 1)
        #expect(quoted.stdout == "overlap-quoted.zip: 2 entries tested, 1 bad\n")
        #expect(quoted.stderrLines == [
            "zipls: overlap-quoted.zip: overlapping entries (possible zip bomb) in entry \"a\" at offset 0: the data ends at 158, past the next local header or the directory at 31",
        ])
        let full = try ZiplsProcess.zipls(["test", "overlap-full.zip"], in: hostile)
        #expect(full.status == 1)
        #expect(full.stdout == "overlap-full.zip: 3 entries tested, 3 bad\n")
        #expect(full.stderrLines.count == 3)
        #expect(full.stderrLines.allSatisfy { $0.hasPrefix("zipls: overlap-full.zip: overlapping entries (possible zip bomb) in entry \"k\"") })
    }

    @Test func patternsLimitWhatIsTested() throws {
        let good = try run("crc-corrupt.zip", "good*")
        #expect(good.status == 0)
        #expect(good.stdout == "crc-corrupt.zip: 1 entry tested, no errors\n")
        let missing = try run("stored.zip", "*.txt", "*.bin")
        #expect(missing.status == 1)
        #expect(missing.stdout == "stored.zip: 3 entries tested, no errors\n")
        #expect(missing.stderrLines == ["zipls: stored.zip: no entry matches \"*.bin\""])
    }

    @Test func patternsMatchingNothingAreReportedWithoutAMisleadingSummary() throws {
        let result = try run("stored.zip", "nomatch*", "*.bin")
        #expect(result.status == 1)
        #expect(result.stdout == "", "no \"0 entries tested, no errors\": \(result)")
        #expect(result.stderrLines == [
            "zipls: stored.zip: no entry matches \"nomatch*\"",
            "zipls: stored.zip: no entry matches \"*.bin\"",
        ])
    }

    @Test func emptyArchiveWithoutPatternsStillHasItsSummary() throws {
        let result = try run("empty.zip")
        #expect(result.status == 0)
        #expect(result.stdout == "empty.zip: 0 entries tested, no errors\n")
    }

    @Test func quietPrintsNothingWhenEveryEntryIsGood() throws {
        for option in ["-q", "--quiet"] {
            let result = try run(option, "deflated.zip")
            #expect(result.status == 0)
            #expect(result.stdout == "", "\(result)")
            #expect(result.stderr == "")
        }
    }

    @Test func quietStillReportsBadEntriesAndTheSummary() throws {
        let result = try run("-q", "crc-corrupt.zip")
        #expect(result.status == 1)
        #expect(result.stdout == "crc-corrupt.zip: 2 entries tested, 1 bad\n")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("bad-crc.txt"))
    }

    @Test func verbosePrintsAnOKLineForEachGoodEntryOnly() throws {
        let result = try run("--verbose", "crc-corrupt.zip")
        #expect(result.status == 1)
        #expect(result.stdout == "OK  good.txt\ncrc-corrupt.zip: 2 entries tested, 1 bad\n")
        let good = try run("-v", "deflated.zip")
        #expect(good.status == 0)
        #expect(good.stdout == "OK  hello.txt\nOK  lorem.txt\nOK  numbers.txt\ndeflated.zip: 3 entries tested, no errors\n")
    }

    @Test func verboseEscapesNames() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("a\u{1B}]0;x\u{07}\nb\u{202E}", "data")
            try builder.write(to: directory.appendingPathComponent("h.zip"))
            let result = try ZiplsProcess.zipls("test", "-v", "h.zip", in: directory)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == #"OK  a\x1b]0;x\x07\nb\u{202E}"# + "\nh.zip: 1 entry tested, no errors\n")
        }
    }

    @Test func quietAndVerboseTogetherAreAUsageError() throws {
        let result = try run("-q", "-v", "deflated.zip")
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("--quiet and --verbose cannot be used together"))
    }

    @Test func unreadableArchiveExits2WithoutSummary() throws {
        for fixture in ["truncated.zip", "comment-truncated.zip", "missing.zip"] {
            let result = try run(fixture)
            #expect(result.status == 2, "\(fixture)")
            #expect(result.stdout == "")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("zipls: \(fixture): "))
        }
    }

    /// A local record the directory does not list is a hidden entry: every
    /// listed entry is fine, but the archive does not pass.
    @Test func aHiddenEntryFailsTheTest() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("first.txt", "first data")
            builder.addHidden("payload.sh", "rm -rf ~")
            builder.add("second.txt", "second data")
            try builder.write(to: directory.appendingPathComponent("hidden.zip"))
            let result = try ZiplsProcess.zipls("test", "hidden.zip", in: directory)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout == "hidden.zip: 2 entries tested, 0 bad, 1 hidden\n")
            #expect(result.stderrLines == [
                "zipls: hidden.zip: hidden entry at offset 49: a whole local record that the central directory does not list (streaming readers extract it)",
            ])
            // With patterns, only the named entries are tested.
            let some = try ZiplsProcess.zipls("test", "hidden.zip", "first.txt", in: directory)
            #expect(some.status == 0, "\(some)")
        }
    }

    /// A local header that disagrees with the directory, and entry data
    /// running past the end of the file: the archive opens (its directory
    /// is fine), so these are bad entries, exit 1, not unreadable archives.
    @Test func brokenLocalHeadersAndDataAreBadEntriesNotUnreadableArchives() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("first.txt", "first data")
            builder.add("second.txt", "second data")
            var bytes = builder.bytes()
            bytes[0] = 0  // first local header signature
            try Data(bytes).write(to: directory.appendingPathComponent("local.zip"))
            let local = try ZiplsProcess.zipls("test", "local.zip", in: directory)
            #expect(local.status == 1, "\(local)")
            #expect(local.stdout == "local.zip: 2 entries tested, 1 bad\n")
            #expect(local.stderrLines.count == 1)
            #expect(local.stderr.hasPrefix("zipls: local.zip: invalid local file header in entry \"first.txt\""))

            // The first entry's sizes, in the directory and (alike, so that
            // the headers agree) in its local header: 16 MiB, past the end.
            bytes = builder.bytes()
            let directory0 = bytes.count - 22 - (46 + 9) - (46 + 10)
            for field in [directory0 + 20, directory0 + 24, 18, 22] {
                bytes[field] = 0; bytes[field + 1] = 0; bytes[field + 2] = 0; bytes[field + 3] = 1
            }
            try Data(bytes).write(to: directory.appendingPathComponent("long.zip"))
            let long = try ZiplsProcess.zipls("test", "long.zip", in: directory)
            #expect(long.status == 1, "\(long)")
            #expect(long.stdout == "long.zip: 2 entries tested, 1 bad\n")
            #expect(long.stderrLines.count == 1)
            #expect(long.stderr.hasPrefix("zipls: long.zip: data lies outside the archive in entry \"first.txt\""))
        }
    }
}

/// `zipls test` against `unzip -t`: the same verdict (exit 0 or not) on
/// every fixture, except for the documented, deliberate differences.
@Suite("test agrees with unzip -t")
struct UnzipComparisonTests {
    /// Fixtures where the verdicts differ on purpose: unzip's exit status
    /// and ours, and why.
    static let deliberateMismatches: [String: (unzip: Int32, zipls: Int32, why: String)] = [
        "bad-dir-size.zip": (2, 0, "unzip warns about the 16 missing directory bytes (then tests fine); we fall back to base offset 0 silently"),
        "empty.zip": (1, 0, "unzip warns \"zipfile is empty\"; an empty archive is valid"),
        "prepended.zip": (1, 0, "unzip warns about the 64 extra bytes before the archive; we account for prepended data, as Python does"),
        "bzip2.zip": (0, 1, "unzip decodes bzip2; ZipIndex decodes only stored and deflated"),
        "bzip2-python.zip": (0, 1, "unzip decodes bzip2; ZipIndex decodes only stored and deflated"),
    ]

    @Test(arguments: ZiplsProcess.allFixtures)
    func verdictMatchesUnzip(_ fixture: String) throws {
        guard let unzip = ZiplsProcess.which("unzip") else { return }
        // A wrong password: unzip would otherwise prompt on the terminal
        // for encrypted.zip. We never decrypt; both report failure there.
        let theirs = try ZiplsProcess.run(unzip, ["-t", "-P", "not-the-password", fixture])
        let ours = try ZiplsProcess.zipls("test", fixture)
        #expect(!ours.signaled)
        if let mismatch = Self.deliberateMismatches[fixture] {
            #expect(theirs.status == mismatch.unzip, "\(mismatch.why)\n\(theirs)")
            #expect(ours.status == mismatch.zipls, "\(mismatch.why)\n\(ours)")
        } else {
            #expect((theirs.status == 0) == (ours.status == 0), "unzip: \(theirs)\nzipls: \(ours)")
        }
    }

    /// The plain listing is `unzip -Z1`'s, wherever names are ASCII (unzip
    /// prints other names in the locale's way).
    @Test(arguments: ZiplsProcess.allFixtures)
    func plainListingMatchesUnzipZ1(_ fixture: String) throws {
        guard let unzip = ZiplsProcess.which("unzip") else { return }
        let theirs = try ZiplsProcess.run(unzip, ["-Z1", fixture])
        guard theirs.status == 0, theirs.stdoutBytes.allSatisfy({ $0 < 0x80 }) else { return }
        let ours = try ZiplsProcess.zipls(fixture)
        if fixture == "comment-truncated.zip" {
            #expect(ours.status == 2)  // deliberate: see ListCommandTests
            return
        }
        #expect(ours.stdout == theirs.stdout, "\(fixture)")
    }

    /// `--jobs` changes how many entries are decoded at once, never what
    /// is said: the same lines in the same order and the same status, on
    /// archives with bad, hidden and overlapping entries.
    @Test(arguments: ["mixed.zip", "crc-corrupt.zip", "crc-corrupt-stored.zip", "encrypted.zip", "bzip2.zip", "hostile/overlap-full.zip", "hostile/local-name-differs.zip",
                      "hostile/go-r-quine.zip", "hostile/overlap-quoted.zip", "hostile/huge-declared-size.zip", "hostile/escaping-names.zip", "wheel-like.zip"])
    func anyNumberOfJobsSaysTheSame(_ fixture: String) throws {
        let one = try ZiplsProcess.zipls("test", "-v", "-j", "1", fixture)
        #expect(one.status == 0 || one.status == 1, "\(fixture): \(one)")
        for jobs in ["2", "5"] {
            let many = try ZiplsProcess.zipls("test", "-v", "-j", jobs, fixture)
            #expect(many.status == one.status && many.stdout == one.stdout && many.stderr == one.stderr,
                    "\(fixture) -j \(jobs): \(many) against \(one)")
        }
        let zero = try ZiplsProcess.zipls("test", "-j", "0", fixture)
        #expect(zero.status == 64 && zero.stderr.contains("--jobs must be at least 1"), "\(zero)")
    }
}
