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
    /// The declared sizes of the entries to be read count against
    /// ``ReadLimits/maximumTotalOutput`` when the run starts, all at once,
    /// also those a throwing `result` then leaves unread.
    ///
    /// - Parameters:
    ///   - entries: the entries to check, in the order of the verdicts.
    ///   - concurrency: how many threads decode, the calling one included;
    ///     nil for one per processor online. 1 decodes on the calling
    ///     thread alone, and so does a run whose entries declare more than
    ///     ``ReadLimits/maximumTotalOutput`` leaves: then the order of the
    ///     reads decides which entries are refused.
    ///   - progress: called with the size of each decoded chunk, from any
    ///     of the threads, as the work goes (for a progress line).
    ///   - result: called once per entry, in order. If it throws, the other
    ///     threads stop and the error is rethrown.
    public func verify(_ entries: [ZipEntry], concurrency: Int? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil,
                       result: (ZipEntry, ZipError?) throws -> Void) rethrows {
        var threads = max(1, min(concurrency ?? WorkerThreads.processorCount, entries.count))
        // The threads read by index (-1: another archive's entry) and never
        // copy a ZipEntry: each copy retains the table, and a count that
        // several threads write costs more than checking a small entry.
        let indices = entries.map { $0.table === storage.table ? $0.index : -1 }
        // The total output is counted for the whole run at once, for the
        // same reason. When it does not fit, entries are counted one by
        // one, in order, on one thread, so that the same ones are refused
        // as when reading them one at a time.
        let reserved = reserveOutput(for: indices)
        if !reserved { threads = 1 }
        guard threads > 1 else {
            var reader = entryReader(window: readWindow())
            for (position, entry) in entries.enumerated() {
                try result(entry, verdict(indices[position], of: entries, at: position, reader: &reader,
                                          countsOutput: !reserved, progress: progress))
            }
            return
        }
        // Batches of up to 64 entries or 1 MiB compressed: a wheel's few
        // large libraries each go to a thread of their own.
        let table = storage.table.view
        try withExtendedLifetime(storage) {
            try OrderedParallelWork.run(
                count: entries.count, threads: threads, batch: 64, batchWeight: 1 << 20,
                weight: { indices[$0] < 0 ? 0 : table.compressedSize(indices[$0]) },
                state: { self.entryReader(window: self.readWindow()) },
                work: { reader, position in
                    self.verdict(indices[position], of: entries, at: position, reader: &reader,
                                 countsOutput: false, progress: progress)
                },
                deliver: { position, verdict in try result(entries[position], verdict) })
        }
    }

    /// One thread's window onto the file, with its decoder: neighbouring
    /// small entries come with one read (nil for an archive in memory).
    func readWindow() -> ReadWindow? {
        guard storage.source.isFile else { return nil }
        return ReadWindow(source: storage.source, capacity: 1 << 20,
                          inflaters: InflaterCache(chunkSize: EntryReader.chunkSize))
    }

    /// One entry's verdict: read to the end and checked. `index` is the
    /// entry's in this archive, or -1 for `entries[position]`, another's.
    func verdict(_ index: Int, of entries: [ZipEntry], at position: Int, reader: inout EntryReader,
                 countsOutput: Bool, progress: (@Sendable (Int) -> Void)?) -> ZipError? {
        do {
            guard index >= 0 else {
                try checkOwnership(entries[position])
                return nil  // unreachable: the index says it is another archive's
            }
            // Unwrapped once: an optional closure called per chunk is
            // copied (retained and released) at each call.
            if let progress {
                try read(at: index, with: &reader, countsOutput: countsOutput) { chunk in progress(chunk.count) }
            } else {
                try read(at: index, with: &reader, countsOutput: countsOutput) { _ in }
            }
            return nil
        } catch let error as ZipError {
            return error
        } catch {
            return ZipError(.io, entry: reader.entryName, detail: "\(error)")  // unreachable: the handler does not throw
        }
    }
}
