#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization
import SystemFiles

extension ZipArchive {
    /// Reads each of `entries` to its end with every check that
    /// ``read(_:chunks:)`` makes (local header, data descriptor, size,
    /// CRC-32), on up to `concurrency` threads, and hands each verdict to
    /// `result` in the order of `entries`, on the calling thread: nil for
    /// a good entry, else its ``ZipError``.
    ///
    /// Entries are independent, so they are decoded in parallel: the
    /// calling thread works too, and the others are plain threads for the
    /// length of the call. Memory stays bounded: no thread runs more than a
    /// few thousand entries ahead of the last verdict handed over, and each
    /// decodes one entry at a time.
    ///
    /// - Parameters:
    ///   - concurrency: how many threads decode, the calling one included;
    ///     nil for one per processor online when the entries average at
    ///     least 1 KiB compressed (smaller ones gain nothing from threads),
    ///     else one. 1 decodes on the calling thread alone.
    ///   - progress: called with the size of each decoded chunk, from any
    ///     of the threads, as the work goes (for a progress line).
    ///   - result: called once per entry, in order. If it throws, the other
    ///     threads stop and the error is rethrown.
    public func verify(_ entries: [ZipEntry], concurrency: Int? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil,
                       result: (ZipEntry, ZipError?) throws -> Void) rethrows {
        var threads = max(1, min(concurrency ?? WorkerThreads.processorCount, entries.count))
        if concurrency == nil, threads > 1 {
            // Measured: for entries of a few dozen bytes (entries-1m.zip)
            // two threads are slower than one, as they share the table's
            // reference counts and the work per entry is tiny; for entries
            // of kilobytes (wheels, jars) they are faster. Left to choose,
            // parallelise only where the entries hold something to decode.
            let compressed = entries.reduce(UInt64(0)) { $0 &+ $1.compressedSize }
            if compressed / UInt64(entries.count) < Self.parallelEntrySize { threads = 1 }
        }
        guard threads > 1 else {
            let window = readWindow()
            for entry in entries { try result(entry, verdict(entry, window: window, progress: progress)) }
            return
        }
        let job = VerificationJob(archive: self, entries: entries, progress: progress)
        var workers = WorkerThreads(count: threads - 1) { _ in job.work() }
        defer {
            job.stop()
            workers.join()
        }
        var delivered = 0
        let window = readWindow()
        while delivered < entries.count {
            if let batch = job.take(delivered) {
                for verdict in batch {
                    try result(entries[delivered], verdict)
                    delivered += 1
                }
                job.delivered(delivered)
            } else if !job.workOne(window: window) {
                // Everything is claimed and the next verdict is still being
                // made by another thread: wait a little for it.
                usleep(50)
            }
        }
    }

    /// The average compressed entry size from which an automatic
    /// ``verify(_:concurrency:progress:result:)`` uses every processor.
    static let parallelEntrySize: UInt64 = 1024

    /// One thread's window onto the file: neighbouring small entries come
    /// with one read (nil for an archive in memory).
    func readWindow() -> ReadWindow? {
        storage.source.isFile ? ReadWindow(source: storage.source, capacity: 1 << 20) : nil
    }

    /// One entry's verdict: read to the end and checked.
    func verdict(_ entry: ZipEntry, window: ReadWindow?, progress: (@Sendable (Int) -> Void)?) -> ZipError? {
        do {
            // Unwrapped once: an optional closure called per chunk is
            // copied (retained and released) at each call.
            if let progress {
                try read(entry, window: window) { chunk in progress(chunk.count) }
            } else {
                try read(entry, window: window) { _ in }
            }
            return nil
        } catch let error as ZipError {
            return error
        } catch {
            return ZipError(.io, entry: entry.name, detail: "\(error)")  // unreachable: the handler does not throw
        }
    }
}

/// The state shared by the threads of one ``ZipArchive/verify(_:concurrency:progress:result:)``.
private final class VerificationJob: Sendable {
    let archive: ZipArchive
    let entries: [ZipEntry]
    let progress: (@Sendable (Int) -> Void)?
    /// The next entry to claim.
    private let next = Atomic<Int>(0)
    /// How many verdicts the caller has taken.
    private let taken = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    /// Batches of verdicts made and not yet taken, by the position of
    /// their first entry.
    private let verdicts = Mutex<[Int: [ZipError?]]>([:])
    /// How far past the last verdict taken a thread may claim: bounds the
    /// verdicts held.
    private static let window = 4096
    /// Entries are claimed and their verdicts published this many at a
    /// time: per entry, the claim and the lock cost more than checking a
    /// small stored entry. Every batch starts at a multiple of it.
    private static let batch = 64

    init(archive: ZipArchive, entries: [ZipEntry], progress: (@Sendable (Int) -> Void)?) {
        self.archive = archive
        self.entries = entries
        self.progress = progress
    }

    /// A worker thread's loop.
    func work() {
        let window = archive.readWindow()
        while !stopped.load(ordering: .relaxed) {
            if workOne(window: window) { continue }
            if next.load(ordering: .relaxed) >= entries.count { return }
            usleep(50)  // too far ahead of the caller: let it catch up
        }
    }

    /// Claims and checks one batch of entries; false when there is none to
    /// claim now.
    func workOne(window: ReadWindow?) -> Bool {
        var position = next.load(ordering: .relaxed)
        while true {
            guard position < entries.count, position < taken.load(ordering: .relaxed) + Self.window,
                  !stopped.load(ordering: .relaxed) else { return false }
            let end = min(position + Self.batch, entries.count)
            let (exchanged, original) = next.compareExchange(expected: position, desired: end, ordering: .relaxed)
            if exchanged { break }
            position = original
        }
        let end = min(position + Self.batch, entries.count)
        var made: [ZipError?] = []
        made.reserveCapacity(end - position)
        for index in position ..< end {
            made.append(archive.verdict(entries[index], window: window, progress: progress))
        }
        verdicts.withLock { $0[position] = made }
        return true
    }

    /// The batch of verdicts starting at `position`, if it is made.
    func take(_ position: Int) -> [ZipError?]? {
        verdicts.withLock { $0.removeValue(forKey: position) }
    }

    func delivered(_ count: Int) {
        taken.store(count, ordering: .relaxed)
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
