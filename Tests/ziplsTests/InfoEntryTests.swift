import Foundation
import Testing

@Suite("zipls info ARCHIVE NAME")
struct InfoEntryTests {
    @Test func textShowsEveryFieldOfTheEntry() throws {
        let result = try ZiplsProcess.zipls("info", "extended-time.zip", "ext.txt")
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            Archive:             extended-time.zip
            Name:                ext.txt
            Index:               0
            Method:              stored (0)
            Size:                34 bytes
            Compressed size:     34 bytes
            CRC-32:              0x0e6041e5
            Flags:               0x0000
            Version made by:     3.0
            Host:                Unix (3)
            Version needed:      1.0
            External attributes: 0x81a40000
            Unix mode:           -rw-r--r-- (0100644)
            Modified (MS-DOS):   2020-01-02T03:04:06
            Extended times:      modified 2020-01-02 03:04:06 UTC
            Local header offset: 0
            ZIP64:               no
            Comment:             ""
            Extra fields:        0x5455 extended timestamp (5 bytes), 0x7875 Info-ZIP Unix UID/GID (11 bytes)
            Name hazards:        none
            Safe path:           ext.txt

            """)
    }

    @Test func ntfsTimesFlagMeaningsAndEncryptionAreShown() throws {
        let ntfs = try ZiplsProcess.zipls("info", "ntfs-time.zip", "ntfs.txt")
        #expect(ntfs.status == 0)
        #expect(ntfs.stdout.contains("\nNTFS times:          modified 2020-01-02 03:04:06.1234567 UTC, accessed 2020-01-02 04:04:06.0000000 UTC, created 2020-01-01 03:04:06.7654321 UTC\n"), "\(ntfs)")
        #expect(ntfs.stdout.contains("\nHost:                MS-DOS (0)\n"))
        #expect(ntfs.stdout.contains("\nUnix mode:           none\n"))
        #expect(ntfs.stdout.contains("\nExtra fields:        0x000a NTFS times (32 bytes)\n"))
        let encrypted = try ZiplsProcess.zipls("info", "encrypted.zip", "secret.txt")
        #expect(encrypted.status == 0)
        #expect(encrypted.stdout.contains("\nMethod:              zipcrypto/deflated (8)\n"), "\(encrypted)")
        #expect(encrypted.stdout.contains("\nFlags:               0x0009: encrypted (bit 0), data descriptor (bit 3)\n"))
        let comment = try ZiplsProcess.zipls("info", "entry-comments.zip", "first.txt")
        #expect(comment.stdout.contains("\nComment:             \"comment on the first entry\"\n"), "\(comment)")
    }

    @Test func jsonIsOneObjectWithEveryField() throws {
        let result = try ZiplsProcess.zipls("info", "--json", "deflated.zip", "lorem.txt")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("}\n") && result.stdout.filter { $0 == "\n" }.count == 1)
        let object = try #require(try parseJSON(result.stdoutBytes) as? [String: Any])
        #expect(object["name"] as? String == "lorem.txt")
        #expect(object["index"] as? Int == 1)
        #expect(object["method"] as? Int == 8)
        #expect(object["methodName"] as? String == "deflated")
        #expect(object["compressedSize"] as? Int == 212)
        #expect(object["uncompressedSize"] as? Int == 3300)
        #expect(object["crc32"] as? Int == 1_748_433_152)
        #expect(object["localHeaderOffset"] as? Int == 58)
        #expect(object["versionMadeBy"] as? Int == 0x031E)
        #expect(object["host"] as? Int == 3)
        #expect(object["hostName"] as? String == "Unix")
        #expect(object["versionNeeded"] as? Int == 20)
        #expect(object["unixMode"] as? Int == 0o100644)
        #expect(object["modified"] as? String == "2020-01-02T03:04:06")
        #expect(object["extendedTimes"] is NSNull && object["ntfsTimes"] is NSNull)
        #expect(object["comment"] as? String == "")
        #expect((object["extraFields"] as? [Any])?.isEmpty == true)
        #expect((object["nameHazards"] as? [Any])?.isEmpty == true)
        #expect(object["safeRelativePath"] as? String == "lorem.txt")
        let expectedKeys: Set = ["archive", "name", "index", "method", "methodName", "compressedSize", "uncompressedSize",
                                 "crc32", "flags", "flagMeanings", "versionMadeBy", "host", "hostName", "versionNeeded",
                                 "externalAttributes", "unixMode", "modified", "extendedTimes", "ntfsTimes",
                                 "localHeaderOffset", "zip64", "comment", "extraFields", "nameHazards", "safeRelativePath"]
        #expect(Set(object.keys) == expectedKeys)

        let ntfs = try ZiplsProcess.zipls("info", "--json", "ntfs-time.zip", "ntfs.txt")
        let times = try #require((try parseJSON(ntfs.stdoutBytes) as? [String: Any])?["ntfsTimes"] as? [String: Any])
        #expect(times["modification"] as? Int == 1_577_934_246_123_456_700)
    }

    @Test func hazardousNameIsEscapedWithItsHazardsAndNoSafePath() throws {
        try ZiplsProcess.withTemporaryDirectory { directory in
            var builder = ZipBuilder()
            builder.add("../evil\u{202E}txt.exe", "x")
            try builder.write(to: directory.appendingPathComponent("h.zip"))
            let text = try ZiplsProcess.zipls("info", "h.zip", "../evil\u{202E}txt.exe", in: directory)
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.contains("\nName:                ../evil\\u{202E}txt.exe\n"), "\(text)")
            #expect(text.stdout.contains("\nName hazards:        bidiOverride, dotComponent\n"), "\(text)")
            #expect(text.stdout.contains("\nSafe path:           none (unsafe to extract)\n"), "\(text)")
            let json = try ZiplsProcess.zipls("info", "--json", "h.zip", "../evil\u{202E}txt.exe", in: directory)
            let object = try #require(try parseJSON(json.stdoutBytes) as? [String: Any])
            #expect(object["name"] as? String == "../evil\u{202E}txt.exe")
            #expect(object["nameHazards"] as? [String] == ["bidiOverride", "dotComponent"])
            #expect(object["safeRelativePath"] is NSNull)
        }
    }

    @Test func nameNotInTheArchiveExits1() throws {
        for arguments in [["info", "stored.zip", "nope.txt"], ["info", "--json", "stored.zip", "nope.txt"]] {
            let result = try ZiplsProcess.zipls(arguments)
            #expect(result.status == 1)
            #expect(result.stdout == "")
            #expect(result.stderrLines == ["zipls: stored.zip: no entry named \"nope.txt\""])
        }
    }
}
