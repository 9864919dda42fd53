import ArgumentParser
import ZipIndex

/// `zipls cat ARCHIVE NAME...`: entry data to stdout, as `unzip -p` does.
struct CatCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write the data of the named entries to stdout, as unzip -p does.",
        discussion: """
            Each NAME is an exact entry name (not a pattern); with duplicate \
            names the last entry of that name is used, as lookups do. The data \
            is decompressed and streamed as it is read; its size and CRC-32 are \
            checked at the end of each entry, so when an entry turns out bad \
            (reported on stderr, exit 1) the bytes already written are \
            untrusted. A NAME that is not in the archive is reported (exit 1) \
            and the other names are still written.
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: "Entry names, exactly as `zipls list` prints them.")
    var names: [String] = []

    var archivePath: String { archive }

    func validate() throws {
        if names.isEmpty { throw ValidationError("Missing expected argument '<names> ...'") }
    }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        for name in names {
            guard let entry = archive.entry(named: name) else {
                try diagnostics.entryProblem("no entry named \"\(name)\"")
                continue
            }
            do {
                try archive.read(entry) { chunk in try output.write(chunk) }
            } catch let error as OutputError {
                throw error
            } catch {
                try diagnostics.entryProblem((error as? ZipError)?.description ?? "\(error) in entry \"\(name)\"")
            }
        }
    }
}
