import ArgumentParser
import ZipIndex

/// `zipls list ARCHIVE [PATTERN...]`, also `zipls ARCHIVE [PATTERN...]`.
struct ListCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the entries (the default command).",
        discussion: """
            Prints one entry name per line, in central-directory order, as \
            `unzip -Z1` does. Names are decoded to UTF-8 and, for the terminal, \
            escaped: control characters (C0, DEL, C1) and the bidirectional \
            embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) \
            are written as `\\n`, `\\r`, `\\t`, `\\x1b`, `\\u{0085}`, \
            `\\u{202E}` (so a name is always one line; --long escapes the same \
            way). For scripts, -0 (--null) prints the names raw, each followed \
            by a NUL byte (`zipls -0 a.zip | xargs -0 ...`), and --json gives \
            them unambiguously.

            --long prints a table with a header line: Unix mode (type and \
            permissions, like `ls -l`; `?` when the entry was not made on \
            Unix), size, compressed size, ratio (the space saved, as \
            `unzip -v` prints it), method, modification date and time (MS-DOS \
            time, as stored), CRC-32 in hexadecimal, name; then a totals line. \
            A symbolic link's name is followed by ` -> TARGET` (the link's data, \
            at most 4096 bytes, escaped; left out when the data cannot be read). \
            An encrypted entry's method names the encryption first, as 7-Zip \
            does: `zipcrypto/deflated` (traditional PKWARE encryption), \
            `strong/deflated` (PKWARE strong encryption), `aes/deflated` (WinZip \
            AES, method 99: the real method comes from its 0x9901 extra field).

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
            after the listing. When the PATTERNs match nothing at all, --long \
            prints no table.
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

    @Flag(name: [.customShort("0"), .long], help: "Print the names raw, each followed by a NUL byte (for xargs -0).")
    var null = false

    var archivePath: String { archive }

    func validate() throws {
        if long && json { throw ValidationError("--long and --json cannot be used together.") }
        if null && (long || json) { throw ValidationError("--null prints names only: it cannot be used with --\(long ? "long" : "json").") }
    }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        let format: Listing.Format = json ? .json : long ? .long : null ? .nullTerminated : .names
        try Listing(archivePath: self.archive, patterns: patterns, format: format)
            .run(archive: archive, output: output, diagnostics: diagnostics)
    }
}

/// What `zipls list` does once its arguments are parsed. `zipls ARCHIVE`,
/// the tool's main job, makes one with the defaults and runs it without
/// the parser (``Zipls/isPlainArchive(_:)``): no option is read from a
/// property wrapper that was never parsed, and none is set twice.
struct Listing: ArchiveJob {
    enum Format {
        /// One name per line, escaped for people.
        case names
        /// The names raw, each followed by a NUL byte (`--null`).
        case nullTerminated
        /// The table (`--long`).
        case long
        /// One JSON object (`--json`).
        case json
    }

    let archivePath: String
    var patterns: [String] = []
    var format = Format.names

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        var selection = EntrySelection(patterns: patterns)
        switch format {
        case .json: try JSONListing.write(archive, path: archivePath, selection: &selection, to: output)
        case .long: try LongListing.write(archive, selection: &selection, to: output)
        case .names: try Self.writeNames(archive, selection: &selection, terminator: UInt8(ascii: "\n"), to: output)
        case .nullTerminated: try Self.writeNames(archive, selection: &selection, terminator: 0, to: output)
        }
        try selection.reportUnmatched(to: diagnostics)
    }

    /// The hot path of the whole tool: name bytes go straight from the
    /// archive's table into the output buffer, one call into the table for
    /// the whole walk (a `ZipEntry` per name cost 330 instructions per
    /// entry under callgrind, most of the listing's time at 100k entries).
    /// Names end with `terminator`: a newline, escaped for people; a NUL
    /// (`--null`), raw for scripts.
    static func writeNames(_ archive: ZipArchive, selection: inout EntrySelection, terminator: UInt8,
                           to output: OutputBuffer) throws(OutputError) {
        try archive.forEachUTF8Name { (_, name) throws(OutputError) in
            guard selection.includes(name: name) else { return }
            if terminator == 0 { try output.write(name) } else { try output.writeEscaped(name) }
            try output.write(byte: terminator)
        }
    }
}
