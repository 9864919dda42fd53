#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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
        // Batches of up to 64 entries or 1 MiB compressed: a wheel's few
        // large libraries each go to a thread of their own.
        try OrderedParallelWork.run(
            count: entries.count, threads: threads, batch: 64, batchWeight: 1 << 20,
            weight: { entries[$0].compressedSize },
            state: { self.readWindow() },
            work: { window, position in self.verdict(entries[position], window: window, progress: progress) },
            deliver: { position, verdict in try result(entries[position], verdict) })
    }

    /// The average compressed entry size from which an automatic
    /// ``verify(_:concurrency:progress:result:)`` uses every processor.
    static let parallelEntrySize: UInt64 = 1024

    /// One thread's window onto the file, with its decoder: neighbouring
    /// small entries come with one read (nil for an archive in memory).
    func readWindow() -> ReadWindow? {
        guard storage.source.isFile else { return nil }
        return ReadWindow(source: storage.source, capacity: 1 << 20,
                          inflaters: InflaterCache(chunkSize: EntryReader.chunkSize))
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
