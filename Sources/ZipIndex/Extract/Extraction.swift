#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemFiles

/// How ``ZipArchive/extract(to:options:progress:)`` writes an archive out.
/// The defaults are safe for untrusted archives.
public struct ExtractionOptions: Sendable, Hashable {
    /// Which symbolic-link entries are made.
    public enum Symlinks: Sendable, Hashable {
        /// None; they are counted in ``ExtractionReport/skippedSymlinks``.
        case none
        /// Those whose target, resolved from the link's own directory
        /// through the links already made, stays inside the destination.
        /// The others are reported with `.symlinkOutsideDestination`.
        case inside
        /// All of them, wherever they point: for trusted archives only.
        case all
    }

    /// Whether an existing file (or link) is replaced. A directory never is.
    public var overwrite: Bool
    public var symlinks: Symlinks
    /// Whether setuid, setgid and sticky bits are restored; permission
    /// bits are, always masked by the umask.
    public var preservesSpecialBits: Bool
    /// Whether modification times are restored: from the extended
    /// timestamp or NTFS field when present, else the MS-DOS time read as
    /// local time (as unzip does).
    public var restoresModificationTimes: Bool
    /// Whether names that differ only in case are one file at the
    /// destination; nil asks the destination itself.
    public var caseInsensitiveDestination: Bool?
    /// Only the entries whose name matches one of these; all when empty.
    public var include: [NamePattern]
    /// Not the entries whose name matches one of these.
    public var exclude: [NamePattern]
    /// Stops the extraction when cancelled (see ``Cancellation``); nil
    /// runs it to the end.
    public var cancellation: Cancellation?
    /// How many threads write entries, the calling one included; nil for
    /// one per processor online. When one entry's file is another's
    /// directory (`a`, then `a/b`), the outcome depends on their order, and
    /// the entries are written one after another whatever this says. The
    /// report, the progress calls and the files are the same for any
    /// number.
    public var concurrency: Int?

    public init(overwrite: Bool = false, symlinks: Symlinks = .inside, preservesSpecialBits: Bool = false,
                restoresModificationTimes: Bool = true, caseInsensitiveDestination: Bool? = nil,
                include: [NamePattern] = [], exclude: [NamePattern] = [], cancellation: Cancellation? = nil,
                concurrency: Int? = nil) {
        self.cancellation = cancellation
        self.concurrency = concurrency
        self.include = include
        self.exclude = exclude
        self.overwrite = overwrite
        self.symlinks = symlinks
        self.preservesSpecialBits = preservesSpecialBits
        self.restoresModificationTimes = restoresModificationTimes
        self.caseInsensitiveDestination = caseInsensitiveDestination
    }
}

/// Where an extraction is, after each entry it has handled.
public struct ExtractionProgress: Sendable {
    /// The entry just handled (written, or skipped with a problem).
    public let entry: ZipEntry
    /// Entries handled so far, of `total` that got a path.
    public let done: Int
    public let total: Int
}

/// What an extraction did.
public struct ExtractionReport: Sendable {
    /// An entry that was not written, and why.
    public struct Problem: Sendable, Hashable {
        public let entry: Int
        public let error: ZipError
    }

    /// Files, directories and links written.
    public internal(set) var written = 0
    /// Bytes of file data written.
    public internal(set) var bytesWritten: UInt64 = 0
    /// Symbolic links not made because ``ExtractionOptions/symlinks`` is `.none`.
    public internal(set) var skippedSymlinks = 0
    /// Entries skipped or failed, in the order met.
    public internal(set) var problems: [Problem] = []
    /// Whether ``ExtractionOptions/cancellation`` stopped the extraction
    /// before its end. The file being written then was discarded; links
    /// not yet made were not made; directories made got their modes.
    public internal(set) var wasCancelled = false

    /// Whether every selected entry was written.
    public var isComplete: Bool { problems.isEmpty && !wasCancelled }
}

extension ZipArchive {
    /// Extracts every entry (or those ``ExtractionOptions/include`` and
    /// ``ExtractionOptions/exclude`` select) into `directory`, which is
    /// created if missing.
    public func extract(to directory: String, options: ExtractionOptions = ExtractionOptions(),
                        progress: ((ExtractionProgress) -> Void)? = nil) throws(ZipError) -> ExtractionReport {
        try extract(Array(entries), to: directory, options: options, progress: progress)
    }

    /// Extracts `selected` (less what the options' patterns leave out) into
    /// `directory`, safely whatever the archive holds:
    /// - no entry is written outside `directory`, whatever its name or the
    ///   symbolic links on disk or made by earlier entries: every path is
    ///   walked with `O_NOFOLLOW` from the destination's descriptor;
    /// - names unsafe to extract (``ZipEntry/safeRelativePath`` is nil) are
    ///   skipped with `.unsafeName`; an entry mapping to a path an earlier
    ///   one took (duplicates, normalising, case folding on a
    ///   case-insensitive destination) with `.nameCollision`;
    /// - an existing file is kept (`.fileExists`) unless
    ///   ``ExtractionOptions/overwrite``;
    /// - a file is written unnamed and linked into place only after its
    ///   size and CRC-32 check out: a bad entry, an error or an interrupt
    ///   never leaves a partial file under a real name;
    /// - symbolic links are made last, per ``ExtractionOptions/symlinks``;
    ///   directories get their modes and times after their contents.
    ///
    /// The archive's ``ReadLimits`` apply. Problems with single entries
    /// are in the report and the rest goes on.
    ///
    /// - Throws: ``ZipError`` `.io` when the destination cannot be made or
    ///   opened.
    public func extract(_ selected: [ZipEntry], to directory: String,
                        options: ExtractionOptions = ExtractionOptions(),
                        progress: ((ExtractionProgress) -> Void)? = nil) throws(ZipError) -> ExtractionReport {
        let destination = try ExtractionDestination(path: directory)
        var run = ExtractionRun(archive: self, destination: destination, options: options)
        let caseInsensitive = options.caseInsensitiveDestination ?? destination.isCaseInsensitive()
        let chosen = selected.filter { entry in
            (options.include.isEmpty || options.include.contains { $0.matches(entry) })
                && !options.exclude.contains { $0.matches(entry) }
        }
        let plan = run.plan(chosen, caseInsensitive: caseInsensitive)
        let threads = ExtractionRun.threads(for: plan, wanted: options.concurrency, caseInsensitive: caseInsensitive)
        if threads <= 1 {
            // Not OrderedParallelWork with one thread: that writes a batch
            // before recording it, and a cancellation from the progress
            // call must stop before the very next entry.
            var writer = ExtractionWriter(archive: self, destination: destination, options: options)
            for (done, step) in plan.enumerated() {
                run.record(step, writer.write(step))
                if run.report.wasCancelled { break }
                progress?(ExtractionProgress(entry: step.entry, done: done + 1, total: plan.count))
            }
        } else {
            // Each thread walks from the root with its own open directories;
            // the outcomes are recorded in archive order on this thread, so
            // the report and the progress calls are those of one thread.
            // After a cancellation the other threads' outcomes are still
            // recorded: what they wrote is whole, and counted.
            let root = destination.root, umask = destination.umask
            // Batches of up to 8 entries or 1 MiB compressed; making a file
            // costs about as much as decoding 64 KiB.
            OrderedParallelWork.run(
                count: plan.count, threads: threads, batch: 8, batchWeight: 1 << 20,
                weight: { plan[$0].entry.compressedSize &+ 65536 },
                state: {
                    ExtractionWriter(archive: self, destination: ExtractionDestination(borrowing: root, umask: umask),
                                     options: options)
                },
                work: { writer, position in writer.write(plan[position]) },
                deliver: { position, outcome in
                    run.record(plan[position], outcome)
                    if case .cancelled = outcome { return }
                    progress?(ExtractionProgress(entry: plan[position].entry, done: position + 1, total: plan.count))
                })
        }
        run.finish()
        return run.report
    }
}

/// One entry's place at the destination.
struct ExtractionStep: Sendable {
    let entry: ZipEntry
    /// The safe relative path, and its components.
    let path: String
    let components: [String]
}

/// What writing one step did; recorded by ``ExtractionRun/record(_:_:)``
/// in archive order.
enum ExtractionOutcome: Sendable {
    case file(bytes: UInt64)
    case directory(mode: mode_t, modified: timespec?)
    /// A symbolic link, made last by ``ExtractionRun/finish()``.
    case symlink(modified: timespec?)
    case problem(ZipError)
    /// Not written: the extraction was cancelled first.
    case cancelled
}

/// The state of one ``ZipArchive/extract(_:to:options:progress:)`` call.
struct ExtractionRun {
    let archive: ZipArchive
    let destination: ExtractionDestination
    let options: ExtractionOptions
    var report = ExtractionReport()
    /// Links made, to check again once all exist; directories to finish.
    private var links: [(step: ExtractionStep, modified: timespec?)] = []
    private var pendingLinks: [(step: ExtractionStep, modified: timespec?)] = []
    private var directories: [(components: [String], mode: mode_t, modified: timespec?)] = []

    init(archive: ZipArchive, destination: ExtractionDestination, options: ExtractionOptions) {
        self.archive = archive
        self.destination = destination
        self.options = options
    }

    /// The entries that get a path, in archive order; the others are
    /// reported here.
    mutating func plan(_ selected: [ZipEntry], caseInsensitive: Bool) -> [ExtractionStep] {
        var taken: [String: ZipEntry] = [:]
        var steps: [ExtractionStep] = []
        for entry in selected {
            guard let path = entry.safeRelativePath else {
                problem(entry, ZipError(.unsafeName, entry: entry.name, detail: Self.whyUnsafe(entry.nameHazards)))
                continue
            }
            let key = caseInsensitive ? path.lowercased() : path
            if let first = taken[key] {
                problem(entry, ZipError(.nameCollision, entry: entry.name,
                                        detail: "\(path) is entry \(first.index)'s (\"\(first.name)\"); skipped"))
                continue
            }
            taken[key] = entry
            steps.append(ExtractionStep(entry: entry, path: path, components: path.split(separator: "/").map(String.init)))
        }
        return steps
    }

    /// Why ``ZipEntry/safeRelativePath`` refused a name, in words.
    static func whyUnsafe(_ hazards: NameHazards) -> String {
        var reasons: [String] = []
        if hazards.contains(.nul) { reasons.append("it holds a NUL") }
        if hazards.contains(.absolute) { reasons.append("it is absolute") }
        if hazards.contains(.driveLetter) { reasons.append("it names a drive") }
        if hazards.contains(.backslash) { reasons.append("it holds a backslash, a separator on Windows") }
        if reasons.isEmpty {
            reasons.append(hazards.contains(.dotComponent) ? "its \"..\" climbs out of the destination" : "no path is left of it")
        }
        return reasons.joined(separator: "; ")
    }

    /// Records what writing `step` did, in archive order.
    mutating func record(_ step: ExtractionStep, _ outcome: ExtractionOutcome) {
        switch outcome {
        case .file(let bytes):
            report.written += 1
            report.bytesWritten &+= bytes
        case .directory(let mode, let modified):
            directories.append((step.components, mode, modified))
            report.written += 1
        case .symlink(let modified):
            pendingLinks.append((step, modified))
        case .problem(let error):
            problem(step.entry, error)
        case .cancelled:
            report.wasCancelled = true
        }
    }

    /// How many threads write `plan`: one when asked, when there is little
    /// to share, or when one step's file is another step's directory (the
    /// order of the two then decides which fails). Links are made last in
    /// any case, so only regular files count here.
    static func threads(for plan: [ExtractionStep], wanted: Int?, caseInsensitive: Bool) -> Int {
        let threads = min(wanted ?? WorkerThreads.processorCount, plan.count)
        guard threads > 1, wanted != nil || plan.count >= 16 else { return 1 }
        func key(_ path: Substring) -> Substring { caseInsensitive ? Substring(path.lowercased()) : path }
        // Every directory some step needs: a parent already met has its
        // ancestors in the set too, so most steps cost one lookup.
        var directories = Set<Substring>()
        for step in plan {
            var parent = step.path[...]
            while let slash = parent.lastIndex(of: "/") {
                parent = parent[..<slash]
                guard directories.insert(key(parent)).inserted else { break }
            }
        }
        for step in plan where !step.entry.isDirectory && !step.entry.isSymlink {
            if directories.contains(key(step.path[...])) { return 1 }
        }
        return threads
    }

    private mutating func makeSymlink(_ step: ExtractionStep, modified: timespec?) throws(ZipError) {
        guard options.symlinks != .none else {
            report.skippedSymlinks += 1
            return
        }
        // A link's target is its data; 4 KiB is PATH_MAX.
        guard step.entry.uncompressedSize < 4096 else {
            throw ZipError(.symlinkOutsideDestination, detail: "the target is \(step.entry.uncompressedSize) bytes long")
        }
        let data = try archive.read(step.entry)
        guard !data.contains(0), !data.isEmpty else {
            throw ZipError(.symlinkOutsideDestination, detail: "the target is empty or holds a NUL")
        }
        let target = String(decoding: data, as: UTF8.self)
        let parent = try destination.directory(step.components.dropLast())
        let name = step.components[step.components.count - 1]
        if options.symlinks == .inside {
            guard !target.hasPrefix("/") else {
                throw ZipError(.symlinkOutsideDestination, detail: "the target \(target) is absolute")
            }
        }
        try destination.makeSymlink(in: parent, name: name, target: target, path: step.path,
                                    overwrite: options.overwrite, modified: modified)
        if options.symlinks == .inside, !destination.linkStaysInside(step.components) {
            destination.removeSymlink(step.components)
            throw ZipError(.symlinkOutsideDestination, detail: "the target \(target) leads outside")
        }
        links.append((step, modified))
        report.written += 1
    }

    /// Makes the symbolic links, checks every one again once all exist (a
    /// later link can make an earlier one lead outside), then finishes
    /// directories deepest first.
    mutating func finish() {
        for (step, modified) in pendingLinks where !report.wasCancelled {
            do throws(ZipError) {
                try makeSymlink(step, modified: modified)
            } catch {
                problem(step.entry, error.naming(step.entry.name))
            }
        }
        if options.symlinks == .inside {
            var changed = true
            while changed {
                changed = false
                for (position, link) in links.enumerated().reversed()
                where !destination.linkStaysInside(link.step.components) {
                    destination.removeSymlink(link.step.components)
                    links.remove(at: position)
                    report.written -= 1
                    problem(link.step.entry, ZipError(.symlinkOutsideDestination, entry: link.step.entry.name,
                                                      detail: "with the other links made, it leads outside"))
                    changed = true
                }
            }
        }
        for directory in directories.sorted(by: { $0.components.count > $1.components.count }) {
            destination.finishDirectory(directory.components, mode: directory.mode, modified: directory.modified)
        }
    }

    private mutating func problem(_ entry: ZipEntry, _ error: ZipError) {
        report.problems.append(ExtractionReport.Problem(entry: entry.index, error: error))
    }
}

/// Writes single steps: one per thread, each with its own walk of the
/// destination and its own reader of the archive.
struct ExtractionWriter {
    let archive: ZipArchive
    let destination: ExtractionDestination
    let options: ExtractionOptions
    private var reader: EntryReader

    init(archive: ZipArchive, destination: ExtractionDestination, options: ExtractionOptions) {
        self.archive = archive
        self.destination = destination
        self.options = options
        reader = archive.entryReader(window: archive.readWindow())
    }

    /// Writes one step (a file is written and linked; a directory made; a
    /// link left for last) and says what it did.
    mutating func write(_ step: ExtractionStep) -> ExtractionOutcome {
        let entry = step.entry
        if options.cancellation?.isCancelled == true { return .cancelled }
        do throws(ZipError) {
            let parent = try destination.directory(step.components.dropLast())
            let name = step.components[step.components.count - 1]
            let modified = options.restoresModificationTimes ? modificationTime(entry) : nil
            if entry.isDirectory {
                try destination.makeDirectory(in: parent, name: name, path: step.path)
                return .directory(mode: directoryMode(entry), modified: modified)
            }
            if entry.isSymlink {
                // Made last: no file or directory of this run goes through
                // one, and one in the way of a directory fails, not the other.
                return .symlink(modified: modified)
            }
            var written: UInt64?
            try destination.writeFile(in: parent, name: name, path: step.path, mode: fileMode(entry),
                                      modified: modified, overwrite: options.overwrite) { (fd) throws(ZipError) in
                written = try copy(entry, to: fd, path: step.path)
                return written != nil
            }
            return written.map { .file(bytes: $0) } ?? .cancelled
        } catch {
            return .problem(error.naming(entry.name))
        }
    }

    /// Streams the entry's verified data into `fd`: the bytes written, or
    /// nil if the extraction was cancelled meanwhile.
    private mutating func copy(_ entry: ZipEntry, to fd: CInt, path: String) throws(ZipError) -> UInt64? {
        var total: UInt64 = 0
        let cancellation = options.cancellation
        do {
            try archive.checkOwnership(entry)
            try archive.read(at: entry.index, with: &reader, countsOutput: true) { chunk in
                if let cancellation, cancellation.isCancelled { throw Stopped() }
                do throws(SystemError) {
                    try chunk.withSpan { (bytes) throws(SystemError) in try FileDescriptorIO.writeAll(fd, bytes) }
                } catch {
                    throw ExtractionDestination.error(error, path)
                }
                total &+= UInt64(chunk.count)
            }
        } catch let error as ZipError {
            throw error
        } catch is Stopped {
            return nil
        } catch {
            throw ZipError(.io, detail: "\(path): \(error)")
        }
        return total
    }

    /// Thrown out of the read's chunk handler to stop it on cancellation.
    private struct Stopped: Error {}

    /// Permission bits from the Unix mode (APPNOTE 4.4.15), without
    /// setuid, setgid and sticky unless asked, masked by the umask.
    private func fileMode(_ entry: ZipEntry) -> mode_t {
        let special: UInt16 = options.preservesSpecialBits ? 0o7777 : 0o777
        let mode = entry.unixMode.map { mode_t($0 & special) } ?? 0o666
        return mode & ~destination.umask
    }

    private func directoryMode(_ entry: ZipEntry) -> mode_t {
        let special: UInt16 = options.preservesSpecialBits ? 0o7777 : 0o777
        let mode = entry.unixMode.flatMap { $0 & 0o777 == 0 ? nil : mode_t($0 & special) } ?? 0o777
        return mode & ~destination.umask
    }

    /// The extended timestamp (0x5455) or NTFS (0x000a) time when present
    /// (APPNOTE 4.5.5; Info-ZIP's extra field list), else the MS-DOS time
    /// as local time (APPNOTE 4.4.6), as unzip reads it.
    private func modificationTime(_ entry: ZipEntry) -> timespec? {
        if let details = try? archive.details(of: entry) {
            if let seconds = details.extendedTimestamp?.modification {
                return timespec(tv_sec: Int(seconds), tv_nsec: 0)
            }
            if let ticks = details.ntfsTimes?.modification {
                let nanoseconds = ZipEntryDetails.NTFSTimes.unixNanoseconds(ticks)
                let (seconds, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
                return rest < 0 ? timespec(tv_sec: Int(seconds - 1), tv_nsec: Int(rest + 1_000_000_000))
                    : timespec(tv_sec: Int(seconds), tv_nsec: Int(rest))
            }
        }
        let dos = entry.modificationDate
        guard (1 ... 12).contains(dos.month), (1 ... 31).contains(dos.day) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(dos.year - 1900)
        parts.tm_mon = Int32(dos.month - 1)
        parts.tm_mday = Int32(dos.day)
        parts.tm_hour = Int32(dos.hour)
        parts.tm_min = Int32(dos.minute)
        parts.tm_sec = Int32(dos.second)
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds == -1 ? nil : timespec(tv_sec: seconds, tv_nsec: 0)
    }
}

extension ExtractionDestination {
    /// Whether the destination folds case: a probe file made with one case
    /// is looked up with the other.
    func isCaseInsensitive() -> Bool {
        let lower = ".zipindex-case-probe-\(getpid())"
        let fd = openat(root, lower, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        defer { unlinkat(root, lower, 0) }
        var info = stat()
        return fstatat(root, lower.uppercased(), &info, AT_SYMLINK_NOFOLLOW) == 0
    }
}
