import ArgumentParser
import ZipIndex

/// `zipls info ARCHIVE [--json]`: facts about the archive as a whole.
struct InfoCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe the archive: sizes, comment, structure, methods, risky names.",
        discussion: """
            Reads only the central directory: entry data is not checked (use \
            `zipls test`), so the exit status is 0 for any archive that opens.

            Prints one "Field: value" line each for: the entry count, total \
            uncompressed and compressed sizes, the archive comment (quoted and \
            escaped like a JSON string), whether the archive has ZIP64 end \
            records, the bytes prepended to the zip data (a self-extractor \
            stub, a #! line), the central directory's offset and size, the \
            compression methods used with their entry counts, and the number \
            of encrypted entries, of entries hidden by a later entry of the \
            same name, of names unsafe to extract (absolute or with a \
            drive letter, climbing out with "..", or holding a backslash), \
            and of entries whose data overlaps another entry's (an \
            overlapping-entry zip bomb; `zipls test` fails them).

            --json prints the same as one object: {"archive": str, \
            "entries": int, "uncompressedSize": int, "compressedSize": int, \
            "comment": str, "zip64": bool, "prependedBytes": int, \
            "centralDirectoryOffset": int, "centralDirectorySize": int, \
            "methods": [{"method": int, "name": str, "entries": int}], \
            "encryptedEntries": int, "duplicateNames": int, "unsafeNames": int, \
            "overlappingEntries": int}
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Flag(help: "Print one JSON object.")
    var json = false

    var archivePath: String { archive }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        let summary = ArchiveSummary(archive)
        if json {
            try writeJSON(archive, summary, to: output)
        } else {
            try writeText(archive, summary, to: output)
        }
    }

    private func writeText(_ archive: ZipArchive, _ summary: ArchiveSummary, to output: OutputBuffer) throws(OutputError) {
        func field(_ label: String, _ value: String) throws(OutputError) {
            try output.write(label + ":")
            try output.write(repeating: 0x20, times: max(1, 21 - label.utf8.count - 1))
            try output.write(value)
            try output.write(byte: UInt8(ascii: "\n"))
        }
        try field("Archive", Diagnostics.escaped(self.archive))
        try field("Entries", "\(summary.entryCount)")
        try field("Size", "\(summary.uncompressedSize) bytes")
        try field("Compressed size", "\(summary.compressedSize) bytes")
        let comment = OutputBuffer(collectingWithCapacity: 4096)
        try? comment.writeJSONString(archive.comment)  // cannot fail: it collects
        try? comment.flush()
        try field("Comment", String(decoding: comment.collected, as: UTF8.self))
        try field("ZIP64", archive.isZip64 ? "yes" : "no")
        try field("Prepended bytes", "\(archive.prependedBytes)")
        try field("Central directory", "offset \(archive.centralDirectoryOffset), \(archive.centralDirectorySize) bytes")
        let methods = summary.methodsInOrder.map { "\($0.method.name) (\($0.entries))" }
        try field("Methods", methods.isEmpty ? "none" : methods.joined(separator: ", "))
        try field("Encrypted entries", "\(summary.encryptedEntries)")
        try field("Duplicate names", "\(summary.duplicateNames)")
        try field("Unsafe names", "\(summary.unsafeNames)")
        try field("Overlapping entries", "\(summary.overlappingEntries)")
    }

    private func writeJSON(_ archive: ZipArchive, _ summary: ArchiveSummary, to output: OutputBuffer) throws(OutputError) {
        func number(_ key: StaticString, _ value: UInt64) throws(OutputError) {
            try output.writeJSONKey(key)
            try output.write(decimal: value)
            try output.write(byte: UInt8(ascii: ","))
        }
        try output.write(byte: UInt8(ascii: "{"))
        try output.writeJSONKey("archive")
        try output.writeJSONString(self.archive)
        try output.write(byte: UInt8(ascii: ","))
        try number("entries", UInt64(summary.entryCount))
        try number("uncompressedSize", summary.uncompressedSize)
        try number("compressedSize", summary.compressedSize)
        try output.writeJSONKey("comment")
        try output.writeJSONString(archive.comment)
        try output.write(byte: UInt8(ascii: ","))
        try output.writeJSONKey("zip64")
        try output.writeJSON(archive.isZip64)
        try output.write(byte: UInt8(ascii: ","))
        try number("prependedBytes", archive.prependedBytes)
        try number("centralDirectoryOffset", archive.centralDirectoryOffset)
        try number("centralDirectorySize", archive.centralDirectorySize)
        try output.writeJSONKey("methods")
        try output.write(byte: UInt8(ascii: "["))
        for (position, item) in summary.methodsInOrder.enumerated() {
            if position > 0 { try output.write(byte: UInt8(ascii: ",")) }
            try output.write("{\"method\":" as StaticString)
            try output.write(decimal: UInt64(item.method.rawValue))
            try output.write(",\"name\":" as StaticString)
            try output.writeJSONString(item.method.name)
            try output.write(",\"entries\":" as StaticString)
            try output.write(decimal: UInt64(item.entries))
            try output.write(byte: UInt8(ascii: "}"))
        }
        try output.write("]," as StaticString)
        try number("encryptedEntries", UInt64(summary.encryptedEntries))
        try number("duplicateNames", UInt64(summary.duplicateNames))
        try number("unsafeNames", UInt64(summary.unsafeNames))
        try output.writeJSONKey("overlappingEntries")
        try output.write(decimal: UInt64(summary.overlappingEntries))
        try output.write("}\n" as StaticString)
    }
}
