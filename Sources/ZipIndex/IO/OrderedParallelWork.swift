#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization
import SystemFiles

/// Independent work items done on several threads, their outputs handed
/// over in order on the calling thread: what verifying and extracting
/// every entry of an archive have in common.
///
/// Items are claimed a batch at a time (one atomic exchange per batch, and
/// one lock to publish its outputs: per item, these would cost more than
/// checking a small stored entry). A batch ends at `batch` items or once
/// its items' weights (their compressed sizes, say) reach `batchWeight`,
/// so that a few large items are spread over the threads, not handed to
/// one in a single batch. The calling thread works too, and takes the
/// outputs in order as they are made. Memory stays bounded: no thread
/// claims more than ``lookahead`` items past the last output taken.
enum OrderedParallelWork {
    /// How far past the last output taken a thread may claim.
    static let lookahead = 4096

    /// Runs `work` for each position in `0 ..< count` on `threads` threads
    /// (the calling one included) and calls `deliver` with each output, in
    /// position order, on the calling thread. Each thread makes its own
    /// `State` (a read window, a destination's open directories) once.
    ///
    /// If `deliver` throws, the other threads stop after their current
    /// batch and the error is rethrown.
    static func run<State, Output: Sendable>(
        count: Int, threads: Int, batch: Int, batchWeight: UInt64, weight: @escaping @Sendable (Int) -> UInt64,
        state makeState: @escaping @Sendable () -> State,
        work: @escaping @Sendable (inout State, Int) -> Output,
        deliver: (Int, Output) throws -> Void
    ) rethrows {
        let job = Job(count: count, batch: max(1, batch), batchWeight: batchWeight, weight: weight,
                      makeState: makeState, work: work)
        var workers = WorkerThreads(count: max(0, threads - 1)) { _ in job.runWorker() }
        defer {
            job.stop()
            workers.join()
        }
        var state = makeState()
        var delivered = 0
        while delivered < count {
            if let outputs = job.take(delivered) {
                for output in outputs {
                    try deliver(delivered, output)
                    delivered += 1
                }
                job.delivered(delivered)
            } else if !job.workOne(&state) {
                // Everything is claimed and the next output is still being
                // made by another thread: wait a little for it.
                usleep(50)
            }
        }
    }

    /// The state the threads of one ``run(count:threads:batch:batchWeight:weight:state:work:deliver:)`` share.
    private final class Job<State, Output: Sendable>: Sendable {
        let count: Int
        let batch: Int
        let batchWeight: UInt64
        let weight: @Sendable (Int) -> UInt64
        let makeState: @Sendable () -> State
        let item: @Sendable (inout State, Int) -> Output
        /// The next position to claim.
        private let next = Atomic<Int>(0)
        /// How many outputs the caller has taken.
        private let taken = Atomic<Int>(0)
        private let stopped = Atomic<Bool>(false)
        /// Batches made and not yet taken, by their first position.
        private let outputs = Mutex<[Int: [Output]]>([:])

        init(count: Int, batch: Int, batchWeight: UInt64, weight: @escaping @Sendable (Int) -> UInt64,
             makeState: @escaping @Sendable () -> State, work: @escaping @Sendable (inout State, Int) -> Output) {
            self.count = count
            self.batch = batch
            self.batchWeight = batchWeight
            self.weight = weight
            self.makeState = makeState
            self.item = work
        }

        /// A worker thread's loop.
        func runWorker() {
            var state = makeState()
            while !stopped.load(ordering: .relaxed) {
                if workOne(&state) { continue }
                if next.load(ordering: .relaxed) >= count { return }
                usleep(50)  // too far ahead of the caller: let it catch up
            }
        }

        /// Where the batch starting at `position` ends: after `batch` items,
        /// or the first item that brings its weight to `batchWeight`; a
        /// batch holds one item at least.
        private func end(of position: Int) -> Int {
            let limit = min(position + batch, count)
            var total = weight(position)
            var end = position + 1
            while end < limit, total < batchWeight {
                total &+= weight(end)
                end += 1
            }
            return end
        }

        /// Claims and does one batch; false when there is none to claim now.
        func workOne(_ state: inout State) -> Bool {
            var position = next.load(ordering: .relaxed)
            var end = position
            while true {
                guard position < count, position < taken.load(ordering: .relaxed) + OrderedParallelWork.lookahead,
                      !stopped.load(ordering: .relaxed) else { return false }
                end = self.end(of: position)
                let (exchanged, original) = next.compareExchange(expected: position, desired: end, ordering: .relaxed)
                if exchanged { break }
                position = original
            }
            var made: [Output] = []
            made.reserveCapacity(end - position)
            for index in position ..< end { made.append(item(&state, index)) }
            outputs.withLock { $0[position] = made }
            return true
        }

        /// The batch starting at `position`, if it is made.
        func take(_ position: Int) -> [Output]? {
            outputs.withLock { $0.removeValue(forKey: position) }
        }

        func delivered(_ count: Int) {
            taken.store(count, ordering: .relaxed)
        }

        func stop() {
            stopped.store(true, ordering: .relaxed)
        }
    }
}
