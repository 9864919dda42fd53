import ArgumentParser
import ZipIndex
import SystemFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The root command. `zipls ARCHIVE` runs `list`, its default subcommand.
@main
struct Zipls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zipls",
        abstract: "Inspect zip archives: list, describe, test, and print entries.",
        discussion: """
            COMMANDS
              zipls ARCHIVE [PATTERN...]   the same as zipls list ARCHIVE [PATTERN...]
              (write `zipls list ARCHIVE` when the archive is named like a command).
              Run `zipls help COMMAND` for a command's options and output format.
              ARCHIVE may be - (or /dev/stdin): a piped archive is spooled to an
              unnamed temporary file, at most ZIPLS_STDIN_LIMIT bytes (4 GiB).

            PATTERNS
              Shell globs matched against whole entry names, as unzip matches them:
              *  any run of characters, / included     ?  one character
              [abc] [a-z]  one of a set                [!abc]  one not in the set
              \\  makes the next character literal
              Quote them, so that the shell does not expand them.

            OUTPUT
              Results go to stdout. Errors go to stderr, one line each:
                zipls: ARCHIVE: cause
              naming the entry when there is one. When stdout is closed early
              (zipls ... | head), zipls stops quietly. Names in text output and
              messages are escaped: control characters and bidirectional
              controls as \\n, \\x1b, \\u{202E}; list -0 and --json give them raw.

            EXIT STATUS
              0   success
              1   the archive was read, but an entry is bad (CRC-32 or size
                  mismatch, corrupt data, unsupported method, encrypted),
                  or a named entry or a pattern was not found
              2   the archive cannot be read (no such file, not a zip
                  archive, truncated, malformed structure), stdout cannot
                  be written, or extract's directory cannot be made or
                  written
              64  usage error: unknown option or command, missing or extra
                  argument
              130 extract was interrupted (SIGINT; 143 for SIGTERM): what
                  was written is complete

            zipls --version (or -V) prints the version.
            """,
        version: versionLine,
        subcommands: [ListCommand.self, InfoCommand.self, TestCommand.self, CatCommand.self, FindCommand.self, ExtractCommand.self],
        defaultSubcommand: ListCommand.self
    )

    static func main() {
        // A closed pipe must not kill us with SIGPIPE (a signal is a crash
        // to the caller): writes fail with EPIPE instead, which ends the
        // command quietly.
        signal(SIGPIPE, SIG_IGN)
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.count == 1, arguments.first == "-V" || arguments.first == "--version" {
            print(versionLine)
            Platform.exit(ExitStatus.success.rawValue)
        }
        if let word = arguments.first, looksLikeAnUnknownCommand(word) {
            let commands = configuration.subcommands.compactMap { $0.configuration.commandName }.joined(separator: ", ")
            Diagnostics.writeLine("zipls: no such command or file: \(Diagnostics.escaped(word)) (the commands are \(commands), and help)")
            Platform.exit(ExitStatus.usage.rawValue)
        }
        if arguments.count == 1, let archive = arguments.first, isPlainArchive(archive) {
            Platform.exit(Listing(archivePath: archive).execute().rawValue)
        }
        main(nil)
    }

    /// The version.
    static let version = "0.1.0"

    /// What `--version` and `-V` print: the version and the inflate
    /// library of this build (zlib, or ISA-L with the `ISAL` trait).
    static var versionLine: String { "zipls \(version) (inflate: \(ZipArchive.inflateLibrary))" }

    /// Whether the first argument, which `zipls ARCHIVE` would take as an
    /// archive, is rather a mistyped or missing command (`zipls extract
    /// a.zip`): a lowercase word, neither a command nor an existing file.
    static func looksLikeAnUnknownCommand(_ word: String) -> Bool {
        guard let first = word.utf8.first, (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains(first),
              word.utf8.allSatisfy({ (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "-") }),
              word != "help", !configuration.subcommands.contains(where: { $0.configuration.commandName == word })
        else { return false }
        return access(word, F_OK) != 0
    }

    /// Whether `zipls ARGUMENT` lists the archive ARGUMENT, the tool's main
    /// job, which then runs without the argument parser. Its parse reflects
    /// over every subcommand's options: 7.8M instructions under callgrind,
    /// about 2 ms, as long as listing 100k names takes. The parser still
    /// handles anything that is or looks like an option or a command.
    static func isPlainArchive(_ argument: String) -> Bool {
        guard let first = argument.utf8.first, first != UInt8(ascii: "-") else { return false }
        return argument != "help" && !configuration.subcommands.contains { $0.configuration.commandName == argument }
    }
}
