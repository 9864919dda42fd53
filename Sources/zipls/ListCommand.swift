import ArgumentParser
import ZipIndex

/// `zipls list ARCHIVE [PATTERN...]`, also `zipls ARCHIVE [PATTERN...]`.
struct ListCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the entries (the default command).",
        discussion: """
            Prints one entry name per line, in central-directory order, as \
            `unzip -Z1` does. Names are printed as they are stored (decoded to \
            UTF-8), even when they contain a newline: use --json to read them \
            unambiguously.

            --long prints a table with a header line: Unix mode (type and \
            permissions, like `ls -l`; `?` when the entry was not made on \
            Unix), size, compressed size, ratio (the space saved, as \
            `unzip -v` prints it), method, modification date and time (MS-DOS \
            time, as stored), CRC-32 in hexadecimal, name; then a totals line.

            --json prints one JSON object, one entry per line:
              {"archive": str, "comment": str, "zip64": bool,
               "prependedBytes": int, "centralDirectoryOffset": int,
               "entries": [{"name": str, "method": int,
                 "compressedSize": int, "uncompressedSize": int,
                 "crc32": int, "localHeaderOffset": int,
                 "modified": "YYYY-MM-DDTHH:MM:SS", "isDirectory": bool,
                 "isEncrypted": bool, "unixMode": int|null}]}
            localHeaderOffset is absolute (it includes any prepended bytes), \
            as Python's ZipInfo.header_offset. modified is the MS-DOS time \
            field by field, without a time zone.

            A PATTERN that matches no entry is reported on stderr (exit 1) \
            after the listing.
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: "Shell globs (*, ?, [...]) matched against whole names; list only the entries matching one.")
    var patterns: [String] = []

    @Flag(name: .shortAndLong, help: "Print a table: mode, sizes, ratio, method, date, CRC-32, name; then totals.")
    var long = false

    @Flag(help: "Print one JSON object describing the archive and its entries.")
    var json = false

    var archivePath: String { archive }

    /// `zipls list ARCHIVE`, made without the parser (see
    /// ``Zipls/isPlainArchive(_:)``). Sets every option, so that reading
    /// one never finds a bare definition: an option added above must be
    /// set here too (`ListCommandTests` runs this path). Outside an
    /// initializer, where each assignment is the wrapper's setter: inside
    /// one, it would make a definition again.
    static func listing(_ archive: String) -> ListCommand {
        var command = ListCommand()
        command.archive = archive
        command.patterns = []
        command.long = false
        command.json = false
        return command
    }

    func validate() throws {
        if long && json { throw ValidationError("--long and --json cannot be used together.") }
    }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        var selection = EntrySelection(patterns: patterns)
        if json {
            try JSONListing.write(archive, path: self.archive, selection: &selection, to: output)
        } else if long {
            try LongListing.write(archive, selection: &selection, to: output)
        } else {
            try Self.writeNames(archive, selection: &selection, to: output)
        }
        try selection.reportUnmatched(to: diagnostics)
    }

    /// The hot path of the whole tool: name bytes go straight from the
    /// archive's table into the output buffer, one call into the table for
    /// the whole walk (a `ZipEntry` per name cost 330 instructions per
    /// entry under callgrind, most of the listing's time at 100k entries).
    static func writeNames(_ archive: ZipArchive, selection: inout EntrySelection, to output: OutputBuffer) throws(OutputError) {
        try archive.forEachUTF8Name { (_, name) throws(OutputError) in
            guard selection.includes(name: name) else { return }
            try output.write(name)
            try output.write(byte: UInt8(ascii: "\n"))
        }
    }
}
