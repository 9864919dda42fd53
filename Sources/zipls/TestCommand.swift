#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Synchronization
import SystemFiles
import ZipIndex

/// `zipls test ARCHIVE [PATTERN...]`: read every entry and check it, as
/// `unzip -t` does.
struct TestCommand: ArchiveCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Read and check every entry (or those matching PATTERN), as unzip -t does.",
        discussion: """
            Decompresses each entry and checks its size and CRC-32 against the \
            central directory, along with its local header. Each bad entry is \
            reported on stderr, one line naming the entry and the cause: CRC-32 \
            or size mismatch, corrupt data, an unsupported compression method \
            (only stored and deflated are decoded), encryption, a bad local \
            header, a local header or data descriptor that disagrees with the \
            directory. Without PATTERNs the archive's structure is checked too: \
            whole local records that the directory does not list (hidden \
            entries, which streaming readers extract) are reported, and a stored \
            entry whose data holds an earlier data descriptor is a bad entry. A \
            summary line closes the output on stdout:
              ARCHIVE: N entries tested, no errors
              ARCHIVE: N entries tested, K bad
              ARCHIVE: N entries tested, K bad, H hidden
            With --quiet (-q) that line is left out when all is well (exit \
            0); when something is wrong, the problems and the summary are \
            printed as ever. With \
            --verbose (-v) each good entry has its line before the summary, \
            `OK  NAME` (the name escaped as `zipls list` escapes it), as \
            unzip -t prints them.
            Exit status 1 when an entry is bad, an entry is hidden, or a PATTERN \
            matches nothing. When the PATTERNs match no entry at all, only that \
            is reported (on stderr): there is no summary line.

            Entries are decoded on every processor at once (--jobs N to \
            choose); the output and the exit status are the same for any N.

            When stderr is a terminal and the work takes more than half a \
            second, a progress line is shown there (and wiped at the end).
            """
    )

    @Argument(help: "The zip archive.")
    var archive: String

    @Argument(help: "Shell globs (*, ?, [...]) matched against whole names; test only the entries matching one.")
    var patterns: [String] = []

    @Flag(name: .shortAndLong, help: "Print no summary line when every entry is good; problems are still reported.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print `OK  NAME` for each good entry, as unzip -t does.")
    var verbose = false

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp(
        "Decode N entries at a time (default: one per processor). The output is the same for any N.",
        valueName: "n"))
    var jobs: Int?

    var archivePath: String { archive }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together.") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError) {
        var selection = EntrySelection(patterns: patterns)
        let entries = archive.entries
        var selected: [Int] = []
        var totalBytes: UInt64 = 0
        for entry in entries where selection.includes(entry) {
            selected.append(entry.index)
            totalBytes &+= entry.uncompressedSize
        }
        let progress = ProgressLine(label: "zipls: testing \(Diagnostics.escaped(self.archive))",
                                    totalBytes: totalBytes, totalEntries: selected.count)
        diagnostics.progress = progress
        defer {
            progress.clear()
            diagnostics.progress = nil
        }

        // The structure walk (one sequential read of the local records)
        // runs on a thread of its own beside the entries' checks. With
        // --verbose it comes first, so that no entry is said OK and then
        // found bad; with --jobs 1 too, so that one job is one thread. Its
        // findings are reported after the data's.
        let verbose = verbose, jobs = jobs
        let walked = Mutex<Result<ZipStructure, ZipError>?>(nil)
        var walker: WorkerThreads?
        if patterns.isEmpty {
            if verbose || jobs == 1 {
                walked.withLock { $0 = Result { () throws(ZipError) in try archive.verifyStructure() } }
            } else {
                walker = WorkerThreads(count: 1) { _ in
                    let result = Result { () throws(ZipError) in try archive.verifyStructure() }
                    walked.withLock { $0 = result }
                }
            }
        }
        var structure: ZipStructure?
        var structureError: ZipError?
        func collectStructure() {
            guard patterns.isEmpty else { return }
            // A thread that could not be started walked nothing: walk here.
            let result = walked.withLock { $0 } ?? Result { () throws(ZipError) in try archive.verifyStructure() }
            switch result {
            case .success(let found): structure = found
            case .failure(let error): structureError = error
            }
        }
        if walker == nil { collectStructure() }
        let truncating = Set(structure?.truncatingDescriptors ?? [])

        // Decoded on every core (or --jobs), reported in archive order.
        // The options were read once above: an argument-parser property
        // costs a generic lookup per access, which per entry is most of
        // the work.
        var bad = Set<Int>()
        do {
            var counting: (@Sendable (Int) -> Void)?
            if progress.isEnabled { counting = { @Sendable bytes in progress.advance(bytes: bytes) } }
            try archive.verify(selected.map { entries[$0] }, concurrency: jobs, progress: counting) { entry, error in
                if let error {
                    // A read error of an archive that opened (even an I/O
                    // error or a truncated entry) is a bad entry: exit 1, not 2.
                    bad.insert(entry.index)
                    try diagnostics.entryProblem(error.description)
                }
                progress.finishEntry()
                if verbose && !bad.contains(entry.index) && !truncating.contains(entry.index) {
                    try output.write("OK  " as StaticString)
                    try entry.withName { (name) throws(OutputError) in try output.writeEscaped(name) }
                    try output.write(byte: UInt8(ascii: "\n"))
                }
            }
        } catch let error as OutputError {
            throw error
        } catch {
            throw .failed(errno: EINVAL)  // unreachable: the handler above throws only OutputError
        }
        progress.clear()
        if walker != nil {
            walker?.join()
            collectStructure()
        }

        var hidden = 0
        if patterns.isEmpty {
            if let structureError {
                hidden += 1
                try diagnostics.entryProblem("the structure could not be checked: \(structureError.description)")
            }
            let structure = structure ?? ZipStructure(gaps: [], hiddenEntries: [], truncatingDescriptors: [])
            for offset in structure.hiddenEntries {
                hidden += 1
                try diagnostics.entryProblem("hidden entry at offset \(offset): a whole local record that the central directory does not list (streaming readers extract it)")
            }
            for index in structure.truncatingDescriptors where !bad.contains(index) {
                bad.insert(index)
                try diagnostics.entryProblem("entry \"\(entries[index].name)\": its stored data holds an earlier data descriptor, where a streaming reader would stop")
            }
        }

        try selection.reportUnmatched(to: diagnostics)
        // Patterns that select nothing: that is the one thing to say, not
        // "0 entries tested, no errors".
        if selected.isEmpty && !patterns.isEmpty { return }
        if quiet && diagnostics.status == .success { return }
        try output.write(Diagnostics.escaped(self.archive))
        try output.write(": " as StaticString)
        try output.write(decimal: UInt64(selected.count))
        try output.write(selected.count == 1 ? " entry tested, " as StaticString : " entries tested, ")
        if bad.isEmpty, hidden == 0 {
            try output.write("no errors\n" as StaticString)
        } else {
            try output.write(decimal: UInt64(bad.count))
            try output.write(" bad" as StaticString)
            if hidden > 0 {
                try output.write(", " as StaticString)
                try output.write(decimal: UInt64(hidden))
                try output.write(" hidden" as StaticString)
            }
            try output.write("\n" as StaticString)
        }
    }
}
