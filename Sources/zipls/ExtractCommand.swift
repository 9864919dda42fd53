import ArgumentParser
import ZipIndex

/// `zipls extract ARCHIVE [PATTERN...] [-d DIR] [-x PATTERN...]`: write the
/// entries out, safely whatever the archive holds
/// (``ZipArchive/extract(_:to:options:progress:)``).
struct ExtractCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract the entries (or those matching PATTERN) into a directory, safely.",
        discussion: """
            Writes into DIR (default: the current directory; created when \
            missing). Safe by default, whatever the archive holds:
              - nothing is written outside DIR: every path is walked from DIR \
            without following symbolic links, those on disk or made by the \
            archive;
              - names unsafe to extract (a NUL, absolute, a drive letter, ".." \
            climbing out, a backslash) are skipped with an error;
              - an entry that lands on a path an earlier entry took (the same \
            name, equal after normalising, or after case folding where DIR \
            ignores case) is skipped with an error: the first one is written;
              - existing files are kept unless --overwrite;
              - each file is written unnamed and linked into place only after \
            its size and CRC-32 check out: a bad entry, an error or Ctrl-C \
            never leaves a partial file under a real name (nor a temporary \
            one: Ctrl-C or SIGTERM stops between two chunks, discards the \
            file being written, and exits 130 or 143; a second one kills);
              - symbolic links are made last, and by default only those whose \
            target stays inside DIR (--symlinks=inside); --symlinks=none makes \
            none; --symlinks=all makes every one, for trusted archives only;
              - Unix permission bits are restored without setuid, setgid and \
            sticky (unless --preserve-permissions), masked by the umask; \
            modification times come from the extended timestamp or NTFS field, \
            else the MS-DOS time read as local time, as unzip does; \
            directories get theirs after their contents;
              - the read limits apply: --max-size, --max-total, --max-ratio.
            Entries are written on every processor at once (--jobs N to \
            choose); the files, the messages and the exit status are the same \
            for any N. Where one entry's file is another's directory, the \
            order decides which fails, and they are written one at a time.
            Each problem is one line on stderr (when stderr is a terminal and \
            the work takes over half a second, a progress line is shown there); \
            stdout gets one summary line:
              ARCHIVE: N entries extracted to DIR
              ARCHIVE: N entries extracted to DIR, K skipped
            Exit status 0 when every selected entry was written, 1 when one \
            was skipped or bad or a PATTERN matches nothing, 2 when the archive \
            cannot be read or DIR cannot be made or written, 130 (SIGINT) or \
            143 (SIGTERM) when interrupted.
            """
    )

    enum SymlinkPolicy: String, ExpressibleByArgument, CaseIterable {
        case inside, none, all
    }

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: "Shell globs (*, ?, [...]) matched against whole names; extract only the entries matching one.")
    var patterns: [String] = []

    @Option(name: .customShort("d"), help: ArgumentHelp("The destination directory.", valueName: "dir"))
    var directory: String = "."

    @Option(name: .customShort("x"), help: ArgumentHelp("Skip the entries matching this glob (repeatable).", valueName: "pattern"))
    var excluded: [String] = []

    @Flag(help: "Replace existing files (never a directory).")
    var overwrite = false

    @Option(help: "Which symbolic links to make: inside (target stays in DIR), none, or all (trusted archives only).")
    var symlinks: SymlinkPolicy = .inside

    @Flag(help: "Keep setuid, setgid and sticky bits.")
    var preservePermissions = false

    @Flag(help: "Do not restore modification times.")
    var noTimes = false

    @Option(help: ArgumentHelp("Largest uncompressed size an entry may declare (default 4 GiB).", valueName: "bytes"))
    var maxSize: UInt64?

    @Option(help: ArgumentHelp("Largest total of all entries' sizes (default 64 GiB).", valueName: "bytes"))
    var maxTotal: UInt64?

    @Option(help: ArgumentHelp("Largest compression ratio an entry may declare (default 1100).", valueName: "ratio"))
    var maxRatio: UInt64?

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp(
        "Write N entries at a time (default: one per processor). The result is the same for any N.",
        valueName: "n"))
    var jobs: Int?

    var archivePath: String { archive }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    var limits: ReadLimits {
        var limits = ReadLimits.default
        if let maxSize { limits.maximumEntrySize = maxSize }
        if let maxTotal { limits.maximumTotalOutput = maxTotal }
        if let maxRatio { limits.maximumCompressionRatio = maxRatio }
        return limits
    }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        // The PATTERNs are selected here, to report those matching nothing;
        // the exclusions go to the library with the options.
        var selection = EntrySelection(patterns: patterns)
        let selected = archive.entries.filter { selection.includes($0) }
        try selection.reportUnmatched(to: diagnostics)
        guard !selected.isEmpty || patterns.isEmpty else { return }

        let options = ExtractionOptions(
            overwrite: overwrite,
            symlinks: symlinks == .inside ? .inside : symlinks == .none ? .none : .all,
            preservesSpecialBits: preservePermissions, restoresModificationTimes: !noTimes,
            exclude: excluded.map(NamePattern.init), cancellation: Interruption.cancellation,
            concurrency: jobs)
        Interruption.install()
        let progress = ProgressLine(label: "zipls: extracting \(Diagnostics.escaped(self.archive))",
                                    totalBytes: selected.reduce(0) { $0 &+ $1.uncompressedSize },
                                    totalEntries: selected.count)
        diagnostics.progress = progress
        defer {
            progress.clear()
            diagnostics.progress = nil
        }
        let report: ExtractionReport
        do {
            report = try archive.extract(selected, to: directory, options: options) { step in
                progress.finishEntry(remainingBytes: step.entry.uncompressedSize)
            }
        } catch {
            try diagnostics.unreadable(error.description)
            return
        }
        progress.clear()
        for problem in report.problems {
            // A destination that cannot be written is exit 2; an entry
            // skipped or bad is exit 1.
            if problem.error.code == .io {
                try diagnostics.unreadable(problem.error.description)
            } else {
                try diagnostics.entryProblem(problem.error.description)
            }
        }
        try output.write(Diagnostics.escaped(self.archive))
        try output.write(": " as StaticString)
        try output.write(decimal: UInt64(report.written))
        try output.write(report.written == 1 ? " entry extracted to " as StaticString : " entries extracted to ")
        try output.write(Diagnostics.escaped(directory))
        if !report.problems.isEmpty {
            try output.write(", " as StaticString)
            try output.write(decimal: UInt64(report.problems.count))
            try output.write(" skipped" as StaticString)
        }
        try output.write(byte: UInt8(ascii: "\n"))
        if report.wasCancelled {
            let cause = Interruption.status == .terminated ? "terminated (SIGTERM)" : "interrupted (SIGINT)"
            try diagnostics.report("\(cause); the entry being written was discarded, the rest were not extracted",
                                   status: Interruption.status ?? .interrupted)
        }
    }
}
