#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import ZipIndex

/// `zipls info ARCHIVE NAME`: every field of one entry, as `zipinfo -v`
/// prints them, or one JSON object.
struct EntryInfo {
    let archivePath: String
    let archive: ZipArchive
    let entry: ZipEntry
    let details: ZipEntryDetails

    var host: UInt16 { entry.versionMadeBy >> 8 }

    // MARK: Meanings

    /// APPNOTE 4.4.2.2.
    static func hostName(_ host: UInt16) -> String {
        let names = ["MS-DOS", "Amiga", "OpenVMS", "Unix", "VM/CMS", "Atari ST", "OS/2 HPFS", "Macintosh",
                     "Z-System", "CP/M", "Windows NTFS", "MVS", "VSE", "Acorn RISC OS", "VFAT", "alternate MVS",
                     "BeOS", "Tandem", "OS/400", "macOS"]
        return Int(host) < names.count ? names[Int(host)] : "unknown"
    }

    /// A version field's low byte: major * 10 + minor (APPNOTE 4.4.2.3).
    static func versionText(_ version: UInt16) -> String {
        let value = version & 0xFF
        return "\(value / 10).\(value % 10)"
    }

    /// What each set flag bit means (APPNOTE 4.4.4), in bit order.
    static func flagMeanings(_ flags: UInt16, method: CompressionMethod) -> [String] {
        var meanings: [String] = []
        for bit in 0 ..< 16 where flags & (1 << UInt16(bit)) != 0 {
            let meaning: String
            switch bit {
            case 0: meaning = "encrypted"
            case 1, 2:
                if method == .deflated || method == .deflate64 {
                    if bit == 2 && flags & 2 != 0 { continue }  // said with bit 1
                    meaning = ["", "maximum compression", "fast compression", "super fast compression"][Int(flags >> 1 & 3)]
                } else if method == .lzma && bit == 1 {
                    meaning = "LZMA end-of-stream marker"
                } else {
                    meaning = "compression option"
                }
            case 3: meaning = "data descriptor"
            case 4: meaning = "enhanced deflation"
            case 5: meaning = "compressed patched data"
            case 6: meaning = "strong encryption"
            case 11: meaning = "UTF-8 name and comment"
            case 13: meaning = "local header values masked"
            default: meaning = "unused"
            }
            let bits = (bit == 1 || bit == 2) && (method == .deflated || method == .deflate64) ? "bits 1-2" : "bit \(bit)"
            meanings.append("\(meaning) (\(bits))")
        }
        return meanings
    }

    /// Well-known extra field ids (APPNOTE 4.5, 4.6; Info-ZIP extrafld.txt).
    static func extraFieldName(_ id: UInt16) -> String? {
        switch id {
        case 0x0001: "ZIP64 extended information"
        case 0x000A: "NTFS times"
        case 0x000D: "PKWARE Unix"
        case 0x5455: "extended timestamp"
        case 0x5855: "Info-ZIP Unix (old)"
        case 0x6375: "Info-ZIP Unicode comment"
        case 0x7075: "Info-ZIP Unicode path"
        case 0x7855: "Info-ZIP Unix"
        case 0x7875: "Info-ZIP Unix UID/GID"
        case 0x9901: "WinZip AES"
        case 0xCAFE: "JAR marker"
        case 0xD935: "Android alignment"
        default: nil
        }
    }

    /// `0x5455`, four hex digits.
    static func hex16(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Seconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS` UTC, with
    /// `fraction` (digits after the point) when given.
    static func utcText(seconds: Int64, fraction: String? = nil) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "\(seconds)" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = Int(parts.tm_year) + 1900
        return "\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
            + (fraction.map { "." + $0 } ?? "") + " UTC"
    }

    /// NTFS ticks (100 ns since 1601) as a UTC time to the tick.
    static func ntfsText(_ ticks: UInt64) -> String {
        let nanoseconds = ZipEntryDetails.NTFSTimes.unixNanoseconds(ticks)
        var seconds = nanoseconds / 1_000_000_000
        var rest = nanoseconds % 1_000_000_000
        if rest < 0 { seconds -= 1; rest += 1_000_000_000 }
        let digits = String(rest / 100)
        return utcText(seconds: seconds, fraction: String(repeating: "0", count: 7 - digits.count) + digits)
    }

    // MARK: Text

    func writeText(to output: OutputBuffer) throws(OutputError) {
        func field(_ label: String, _ value: String) throws(OutputError) {
            try output.write(label + ":")
            try output.write(repeating: 0x20, times: max(1, 21 - label.utf8.count - 1))
            try output.write(value)
            try output.write(byte: UInt8(ascii: "\n"))
        }
        try field("Archive", Diagnostics.escaped(archivePath))
        try field("Name", Diagnostics.escaped(entry.name))
        try field("Index", "\(entry.index)")
        try field("Method", "\(entry.methodDescription(in: archive)) (\(entry.method.rawValue))")
        try field("Size", "\(entry.uncompressedSize) bytes")
        try field("Compressed size", "\(entry.compressedSize) bytes")
        try field("CRC-32", Self.hex32(entry.crc32))
        let meanings = Self.flagMeanings(entry.flags, method: entry.method)
        try field("Flags", Self.hex16(entry.flags) + (meanings.isEmpty ? "" : ": " + meanings.joined(separator: ", ")))
        try field("Version made by", Self.versionText(entry.versionMadeBy))
        try field("Host", "\(Self.hostName(host)) (\(host))")
        try field("Version needed", Self.versionText(details.versionNeeded))
        try field("External attributes", Self.hex32(entry.externalAttributes))
        if let mode = entry.unixMode {
            let octal = String(mode, radix: 8)
            try field("Unix mode", LongListing.modeString(mode, isDirectory: entry.isDirectory)
                + " (0" + String(repeating: "0", count: max(0, 6 - octal.count)) + octal + ")")
        } else {
            try field("Unix mode", "none")
        }
        try field("Modified (MS-DOS)", entry.modificationDate.description)
        if let times = details.extendedTimestamp {
            var parts: [String] = []
            if let value = times.modification { parts.append("modified " + Self.utcText(seconds: value)) }
            if let value = times.access { parts.append("accessed " + Self.utcText(seconds: value)) }
            if let value = times.creation { parts.append("created " + Self.utcText(seconds: value)) }
            try field("Extended times", parts.isEmpty ? "none" : parts.joined(separator: ", "))
        }
        if let times = details.ntfsTimes {
            try field("NTFS times", "modified \(Self.ntfsText(times.modification)), accessed \(Self.ntfsText(times.access)), created \(Self.ntfsText(times.creation))")
        }
        try field("Local header offset", "\(entry.localHeaderOffset)")
        try field("ZIP64", entry.isZip64 ? "yes" : "no")
        let comment = OutputBuffer(collectingWithCapacity: 4096)
        try? comment.writeJSONString(details.comment)  // cannot fail: it collects
        try? comment.flush()
        try field("Comment", String(decoding: comment.collected, as: UTF8.self))
        var extraTexts = details.extraFields.map { item in
            Self.hex16(item.id) + (Self.extraFieldName(item.id).map { " " + $0 } ?? "") + " (\(item.data.count) bytes)"
        }
        if details.extraFieldTrailingBytes > 0 { extraTexts.append("\(details.extraFieldTrailingBytes) trailing bytes") }
        try field("Extra fields", extraTexts.isEmpty ? "none" : extraTexts.joined(separator: ", "))
        let hazards = entry.nameHazards
        let hazardNames = NameHazards.allCases.filter { hazards.contains($0) }.map(\.identifier)
        try field("Name hazards", hazardNames.isEmpty ? "none" : hazardNames.joined(separator: ", "))
        try field("Safe path", entry.safeRelativePath.map(Diagnostics.escaped) ?? "none (unsafe to extract)")
    }

    // MARK: JSON

    func writeJSON(to output: OutputBuffer) throws(OutputError) {
        func key(_ name: StaticString) throws(OutputError) {
            try output.write(byte: UInt8(ascii: ","))
            try output.writeJSONKey(name)
        }
        func number(_ name: StaticString, _ value: UInt64) throws(OutputError) {
            try key(name)
            try output.write(decimal: value)
        }
        func optional(_ value: Int64?) throws(OutputError) {
            if let value { try output.write(decimal: value) } else { try output.write("null" as StaticString) }
        }
        func strings(_ items: [String]) throws(OutputError) {
            try output.write(byte: UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { try output.write(byte: UInt8(ascii: ",")) }
                try output.writeJSONString(item)
            }
            try output.write(byte: UInt8(ascii: "]"))
        }
        try output.write(byte: UInt8(ascii: "{"))
        try output.writeJSONKey("archive")
        try output.writeJSONString(archivePath)
        try key("name")
        try output.writeJSONString(entry.name)
        try number("index", UInt64(entry.index))
        try number("method", UInt64(entry.method.rawValue))
        try key("methodName")
        try output.writeJSONString(entry.methodDescription(in: archive))
        try number("compressedSize", entry.compressedSize)
        try number("uncompressedSize", entry.uncompressedSize)
        try number("crc32", UInt64(entry.crc32))
        try number("flags", UInt64(entry.flags))
        try key("flagMeanings")
        try strings(Self.flagMeanings(entry.flags, method: entry.method))
        try number("versionMadeBy", UInt64(entry.versionMadeBy))
        try number("host", UInt64(host))
        try key("hostName")
        try output.writeJSONString(Self.hostName(host))
        try number("versionNeeded", UInt64(details.versionNeeded))
        try number("externalAttributes", UInt64(entry.externalAttributes))
        try key("unixMode")
        try optional(entry.unixMode.map(Int64.init))
        try key("modified")
        try output.write(byte: UInt8(ascii: "\""))
        try output.writeDateTime(entry.modificationDate, separator: UInt8(ascii: "T"))
        try output.write(byte: UInt8(ascii: "\""))
        try key("extendedTimes")
        if let times = details.extendedTimestamp {
            try output.write("{\"modification\":" as StaticString)
            try optional(times.modification)
            try output.write(",\"access\":" as StaticString)
            try optional(times.access)
            try output.write(",\"creation\":" as StaticString)
            try optional(times.creation)
            try output.write(byte: UInt8(ascii: "}"))
        } else {
            try output.write("null" as StaticString)
        }
        try key("ntfsTimes")
        if let times = details.ntfsTimes {
            typealias NTFS = ZipEntryDetails.NTFSTimes
            try output.write("{\"modification\":" as StaticString)
            try output.write(decimal: NTFS.unixNanoseconds(times.modification))
            try output.write(",\"access\":" as StaticString)
            try output.write(decimal: NTFS.unixNanoseconds(times.access))
            try output.write(",\"creation\":" as StaticString)
            try output.write(decimal: NTFS.unixNanoseconds(times.creation))
            try output.write(byte: UInt8(ascii: "}"))
        } else {
            try output.write("null" as StaticString)
        }
        try number("localHeaderOffset", entry.localHeaderOffset)
        try key("zip64")
        try output.writeJSON(entry.isZip64)
        try key("comment")
        try output.writeJSONString(details.comment)
        try key("extraFields")
        try output.write(byte: UInt8(ascii: "["))
        for (position, item) in details.extraFields.enumerated() {
            if position > 0 { try output.write(byte: UInt8(ascii: ",")) }
            try output.write("{\"id\":" as StaticString)
            try output.write(decimal: UInt64(item.id))
            try output.write(",\"size\":" as StaticString)
            try output.write(decimal: UInt64(item.data.count))
            try output.write(byte: UInt8(ascii: "}"))
        }
        try output.write(byte: UInt8(ascii: "]"))
        try key("nameHazards")
        let hazards = entry.nameHazards
        try strings(NameHazards.allCases.filter { hazards.contains($0) }.map(\.identifier))
        try key("safeRelativePath")
        if let path = entry.safeRelativePath { try output.writeJSONString(path) } else { try output.write("null" as StaticString) }
        try output.write("}\n" as StaticString)
    }
}
