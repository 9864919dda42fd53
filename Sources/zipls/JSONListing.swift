import ZipIndex

/// `zipls list --json`: one JSON object, streamed entry by entry.
///
/// The document is never built in memory: the header fields are written,
/// then one entry object per line, then the closing brackets. Keys and
/// their order are part of the contract (see `zipls list --help`).
enum JSONListing {
    static func write(_ archive: ZipArchive, path: String, selection: inout EntrySelection, to output: OutputBuffer) throws(OutputError) {
        try output.write("{" as StaticString)
        try output.writeJSONKey("archive")
        try output.writeJSONString(path)
        try output.write(byte: UInt8(ascii: ","))
        try writeLayout(archive, to: output)
        try output.writeJSONKey("entries")
        try output.write("[\n" as StaticString)
        var first = true
        for entry in archive.entries where selection.includes(entry) {
            if !first { try output.write(",\n" as StaticString) }
            first = false
            try writeEntry(entry, to: output)
        }
        try output.write(first ? "]}\n" as StaticString : "\n]}\n")
    }

    /// The archive-level fields that `list --json` and `info --json` share,
    /// in this order, each followed by a comma: `comment`, `zip64`,
    /// `prependedBytes`, `centralDirectoryOffset`.
    static func writeLayout(_ archive: ZipArchive, to output: OutputBuffer) throws(OutputError) {
        try output.writeJSONKey("comment")
        try output.writeJSONString(archive.comment)
        try output.write(byte: UInt8(ascii: ","))
        try output.writeJSONKey("zip64")
        try output.writeJSON(archive.isZip64)
        try output.write(byte: UInt8(ascii: ","))
        try output.writeJSONKey("prependedBytes")
        try output.write(decimal: archive.prependedBytes)
        try output.write(byte: UInt8(ascii: ","))
        try output.writeJSONKey("centralDirectoryOffset")
        try output.write(decimal: archive.centralDirectoryOffset)
        try output.write(byte: UInt8(ascii: ","))
    }

    @inline(__always)
    static func writeEntry(_ entry: ZipEntry, to output: OutputBuffer) throws(OutputError) {
        try output.write("{\"name\":" as StaticString)
        try entry.withName { (name) throws(OutputError) in try output.writeJSONString(name) }
        try output.write(",\"method\":" as StaticString)
        try output.write(decimal: UInt64(entry.method.rawValue))
        try output.write(",\"compressedSize\":" as StaticString)
        try output.write(decimal: entry.compressedSize)
        try output.write(",\"uncompressedSize\":" as StaticString)
        try output.write(decimal: entry.uncompressedSize)
        try output.write(",\"crc32\":" as StaticString)
        try output.write(decimal: UInt64(entry.crc32))
        try output.write(",\"localHeaderOffset\":" as StaticString)
        try output.write(decimal: entry.localHeaderOffset)
        try output.write(",\"modified\":\"" as StaticString)
        try output.writeDateTime(entry.modificationDate, separator: UInt8(ascii: "T"))
        try output.write("\",\"isDirectory\":" as StaticString)
        try output.writeJSON(entry.isDirectory)
        try output.write(",\"isEncrypted\":" as StaticString)
        try output.writeJSON(entry.isEncrypted)
        try output.write(",\"unixMode\":" as StaticString)
        if let mode = entry.unixMode {
            try output.write(decimal: UInt64(mode))
        } else {
            try output.write("null" as StaticString)
        }
        try output.write(byte: UInt8(ascii: "}"))
    }
}
