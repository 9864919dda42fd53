import ArgumentParser
import ZipIndex

/// Work on one archive, with results to stdout: what every subcommand but
/// `find` does (`find` asks the Importer, which opens the archive itself).
///
/// The shared ``execute()`` owns everything the exit-code contract depends
/// on, so that each job only says what it does with an archive (and a new
/// subcommand is one file plus its line in `Zipls.configuration`):
/// - an archive that cannot be opened is reported and exits 2;
/// - problems reported through ``Diagnostics`` set the exit status;
/// - a closed pipe on stdout ends the command quietly with the status so
///   far; any other write error is reported and exits 2.
protocol ArchiveJob {
    /// The archive's path, as given on the command line.
    var archivePath: String { get }

    /// The limits the archive is opened with: the library's defaults,
    /// unless a command lets the user set them (`extract --max-size`).
    var limits: ReadLimits { get }

    /// Does the command's work. Report bad entries and missing names
    /// through `diagnostics`; throw only what writing to `output` throws.
    func run(archive: ZipArchive, output: OutputBuffer, diagnostics: Diagnostics) throws(OutputError)
}

/// A subcommand whose job is an ``ArchiveJob``: argument-parser parses
/// and runs it.
protocol ArchiveCommand: ParsableCommand, ArchiveJob {}

extension ArchiveCommand {
    func run() throws {
        let status = execute()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

extension ArchiveJob {
    var limits: ReadLimits { .default }

    /// Runs the command and returns the exit status; never throws.
    func execute() -> ExitStatus {
        let output = OutputBuffer()
        let diagnostics = Diagnostics(archivePath: archivePath, output: output)
        do throws(OutputError) {
            let archive: ZipArchive
            if StandardInput.isStandardInput(archivePath) {
                switch StandardInput.open(limits: limits) {
                case .success(let opened): archive = opened
                case .failure(let error):
                    try diagnostics.unreadable(error.message)
                    return diagnostics.status
                }
            } else {
                do {
                    archive = try ZipArchive(path: archivePath, limits: limits)
                } catch {
                    try diagnostics.cannotOpen(error)
                    return diagnostics.status
                }
            }
            try run(archive: archive, output: output, diagnostics: diagnostics)
            try output.flush()
            return diagnostics.status
        } catch .brokenPipe {
            return diagnostics.status
        } catch {
            diagnostics.progress?.clear()
            Diagnostics.writeLine("zipls: \(error.message)")
            return .unreadable
        }
    }
}
