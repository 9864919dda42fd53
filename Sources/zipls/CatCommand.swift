import ArgumentParser
import ZipIndex

/// `zipls cat ARCHIVE PATTERN...`: entry data to stdout, as `unzip -p` does.
struct CatCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write the data of the entries matching PATTERN to stdout, as unzip -p does.",
        discussion: """
            Each PATTERN is a shell glob matched against whole names, as \
            unzip -p takes them (`zipls cat a.zip '*.txt'`); a plain name \
            matches itself, and `\\` makes a special character literal \
            (`'a\\[1\\].txt'`). At least one PATTERN is required. The entries \
            that match are written once each, in central-directory order (not \
            the order of the patterns); with duplicate names only the last \
            entry of that name is written, as lookups do. The data is \
            decompressed and streamed as it is read; its size and CRC-32 are \
            checked at the end of each entry, so when an entry turns out bad \
            (reported on stderr, exit 1) the bytes already written are \
            untrusted. A PATTERN that matches no entry is reported (exit 1) \
            and the other entries are still written.
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: ArgumentHelp("Shell globs (*, ?, [...]) matched against whole names, or exact names as `zipls list` prints them.",
                                 valueName: "pattern"))
    var patterns: [String]

    var archivePath: String { archive }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        var selection = EntrySelection(patterns: patterns)
        for entry in archive.entries where selection.includes(entry) {
            // A name a later entry repeats: lookups give the last one.
            guard entry.withUTF8Name({ archive.entry(utf8Name: $0)?.index }) == entry.index else { continue }
            do {
                try archive.read(entry) { chunk in try output.write(chunk) }
            } catch let error as OutputError {
                throw error
            } catch {
                try diagnostics.entryProblem((error as? ZipError)?.description ?? "\(error) in entry \"\(entry.name)\"")
            }
        }
        try selection.reportUnmatched(to: diagnostics)
    }
}
