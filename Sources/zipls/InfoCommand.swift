import ArgumentParser
import ZipIndex

/// `zipls info ARCHIVE [--json]`: facts about the archive as a whole;
/// `zipls info ARCHIVE NAME [--json]`: every field of one entry.
struct InfoCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe the archive (sizes, comment, structure, methods, risky names), or one entry.",
        discussion: """
            Reads the central directory and walks the local headers; entry \
            data is not decompressed or checked (use `zipls test`). The exit \
            status is 0 for any archive that opens, 1 if its local records \
            cannot be walked.

            Prints one "Field: value" line each for: the entry count, total \
            uncompressed and compressed sizes, the archive comment (quoted and \
            escaped like a JSON string), whether the archive has ZIP64 end \
            records, the bytes prepended to the zip data (a self-extractor \
            stub, a #! line), the central directory's offset and size, the \
            compression methods used with their entry counts, and the number \
            of encrypted entries, of entries hidden by a later entry of the \
            same name, and of entries whose data overlaps another entry's (an \
            overlapping-entry zip bomb; `zipls test` fails them).

            Then the audit, what is read but may read differently elsewhere: \
            the names unsafe to extract (a NUL, absolute or with a drive \
            letter, climbing out with "..", a backslash); the entries whose \
            names carry each hazard (nul, controlCharacter, bidiOverride, \
            backslash, absolute, driveLetter, dotComponent, \
            undeclaredEncoding, windowsReserved, collision, caseCollision, \
            directoryMismatch); the bytes after the end record; the gaps \
            between local records; the hidden entries (whole local records \
            the directory does not list) and the entries whose stored data \
            holds an earlier data descriptor.

            --json prints the same as one object: {"archive": str, \
            "entries": int, "uncompressedSize": int, "compressedSize": int, \
            "comment": str, "zip64": bool, "prependedBytes": int, \
            "centralDirectoryOffset": int, "centralDirectorySize": int, \
            "methods": [{"method": int, "name": str, "entries": int}], \
            "encryptedEntries": int, "duplicateNames": int, \
            "overlappingEntries": int, "unsafeNames": int, "nameHazards": \
            {HAZARD: int, ...every hazard}, "trailingBytes": int, "gaps": \
            [[start, end], ...], "hiddenEntries": [offset, ...], \
            "truncatingDescriptors": [index, ...], "names": [{"index": int, \
            "name": str, "hazards": [HAZARD, ...], "safeToExtract": bool}, \
            ...one per entry with a hazard or an unsafe name]}. When the \
            local records cannot be walked, every audit key is null.

            With a NAME (exact, as `zipls list` prints it; with duplicate names \
            the last entry of that name), every field of that entry, as \
            `zipinfo -v` prints them: name, index, method (an encrypted \
            entry's with its encryption, as `list -l` shows it), sizes, CRC-32, \
            flags with the meaning of each bit set, version made by, host \
            system, version needed (read again from the file's central \
            directory: "unknown", null in JSON, when the path no longer names \
            the file opened), external attributes and the Unix mode, \
            the MS-DOS modification time, extended and NTFS times when the \
            entry has them (UTC), the local header offset, ZIP64, the comment \
            (quoted like a JSON string), the extra fields by id and length, \
            the name's hazards and the path it would be extracted to ("none" \
            when it is unsafe). A NAME that is not in the archive is reported \
            (exit 1). --json prints it as one object: {"archive": str, \
            "name": str, "index": int, "method": int, "methodName": str, \
            "compressedSize": int, "uncompressedSize": int, "crc32": int, \
            "flags": int, "flagMeanings": [str], "versionMadeBy": int, \
            "host": int, "hostName": str, "versionNeeded": int, \
            "externalAttributes": int, "unixMode": int|null, "modified": \
            "YYYY-MM-DDTHH:MM:SS", "extendedTimes": {"modification", "access", \
            "creation": seconds since 1970 UTC|null}|null, "ntfsTimes": \
            {"modification", "access", "creation": nanoseconds since 1970 \
            UTC}|null, "localHeaderOffset": int, "zip64": bool, "comment": \
            str, "extraFields": [{"id": int, "size": int}], "nameHazards": \
            [HAZARD], "safeRelativePath": str|null}.
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: "An entry's exact name: describe that entry only.")
    var name: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    var archivePath: String { archive }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        if let name {
            guard let entry = archive.entry(named: name) else {
                try diagnostics.entryProblem("no entry named \"\(name)\"")
                return
            }
            let details: ZipEntryDetails
            do {
                details = try archive.details(of: entry)
            } catch {
                try diagnostics.entryProblem(error.description)
                return
            }
            let info = EntryInfo(archivePath: self.archive, archive: archive, entry: entry, details: details)
            if json { try info.writeJSON(to: output) } else { try info.writeText(to: output) }
            return
        }
        let summary = ArchiveSummary(archive)
        let audit: ZipAudit?
        do {
            audit = try archive.audit()
        } catch {
            audit = nil
            try diagnostics.entryProblem("the local records could not be walked: \(error.description)")
        }
        if json {
            try writeJSON(archive, summary, audit, to: output)
        } else {
            try writeText(archive, summary, audit, to: output)
        }
    }

    private func writeText(_ archive: ZipArchive, _ summary: ArchiveSummary, _ audit: ZipAudit?,
                           to output: OutputBuffer) throws(OutputError) {
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
        try field("Overlapping entries", "\(summary.overlappingEntries)")
        guard let audit else { return }
        try field("Unsafe names", "\(audit.unsafeNames)")
        let hazards = NameHazards.allCases.compactMap { hazard in
            let count = audit.count(of: hazard)
            return count == 0 ? nil : "\(hazard.identifier) (\(count))"
        }
        try field("Name hazards", hazards.isEmpty ? "none" : hazards.joined(separator: ", "))
        try field("Trailing bytes", "\(audit.trailingBytes)")
        let gapBytes = audit.structure.gaps.reduce(UInt64(0)) { $0 &+ ($1.upperBound - $1.lowerBound) }
        try field("Gaps", audit.structure.gaps.isEmpty ? "0" : "\(audit.structure.gaps.count) (\(gapBytes) bytes)")
        try field("Hidden entries", "\(audit.structure.hiddenEntries.count)")
        try field("Early descriptors", "\(audit.structure.truncatingDescriptors.count)")
    }

    private func writeJSON(_ archive: ZipArchive, _ summary: ArchiveSummary, _ audit: ZipAudit?,
                           to output: OutputBuffer) throws(OutputError) {
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
        try JSONListing.writeLayout(archive, to: output)
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
        try number("overlappingEntries", UInt64(summary.overlappingEntries))
        try writeJSONAudit(archive, audit, to: output)
        try output.write("}\n" as StaticString)
    }

    /// The audit's keys, after a comma; each null when there is no audit.
    private func writeJSONAudit(_ archive: ZipArchive, _ audit: ZipAudit?, to output: OutputBuffer) throws(OutputError) {
        func key(_ key: StaticString) throws(OutputError) {
            try output.writeJSONKey(key)
        }
        func list<T>(_ items: [T], _ body: (T) throws(OutputError) -> Void) throws(OutputError) {
            try output.write(byte: UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { try output.write(byte: UInt8(ascii: ",")) }
                try body(item)
            }
            try output.write(byte: UInt8(ascii: "]"))
        }
        guard let audit else {
            try output.write(#""unsafeNames":null,"nameHazards":null,"trailingBytes":null,"gaps":null,"# as StaticString)
            try output.write(#""hiddenEntries":null,"truncatingDescriptors":null,"names":null"# as StaticString)
            return
        }
        try key("unsafeNames")
        try output.write(decimal: UInt64(audit.unsafeNames))
        try output.write(byte: UInt8(ascii: ","))
        try key("nameHazards")
        try output.write(byte: UInt8(ascii: "{"))
        for (position, hazard) in NameHazards.allCases.enumerated() {
            if position > 0 { try output.write(byte: UInt8(ascii: ",")) }
            try output.writeJSONString(hazard.identifier)
            try output.write(byte: UInt8(ascii: ":"))
            try output.write(decimal: UInt64(audit.count(of: hazard)))
        }
        try output.write("}," as StaticString)
        try key("trailingBytes")
        try output.write(decimal: audit.trailingBytes)
        try output.write(byte: UInt8(ascii: ","))
        try key("gaps")
        try list(audit.structure.gaps) { (gap) throws(OutputError) in
            try output.write(byte: UInt8(ascii: "["))
            try output.write(decimal: gap.lowerBound)
            try output.write(byte: UInt8(ascii: ","))
            try output.write(decimal: gap.upperBound)
            try output.write(byte: UInt8(ascii: "]"))
        }
        try output.write(byte: UInt8(ascii: ","))
        try key("hiddenEntries")
        try list(audit.structure.hiddenEntries) { (offset) throws(OutputError) in try output.write(decimal: offset) }
        try output.write(byte: UInt8(ascii: ","))
        try key("truncatingDescriptors")
        try list(audit.structure.truncatingDescriptors) { (index) throws(OutputError) in
            try output.write(decimal: UInt64(index))
        }
        try output.write(byte: UInt8(ascii: ","))
        try key("names")
        let entries = archive.entries
        try list(audit.names) { (finding) throws(OutputError) in
            try output.write("{\"index\":" as StaticString)
            try output.write(decimal: UInt64(finding.entry))
            try output.write(",\"name\":" as StaticString)
            try output.writeJSONString(entries[finding.entry].name)
            try output.write(",\"hazards\":" as StaticString)
            try list(NameHazards.allCases.filter { finding.hazards.contains($0) }) { (hazard) throws(OutputError) in
                try output.writeJSONString(hazard.identifier)
            }
            try output.write(",\"safeToExtract\":" as StaticString)
            try output.writeJSON(finding.isSafeToExtract)
            try output.write(byte: UInt8(ascii: "}"))
        }
    }
}
