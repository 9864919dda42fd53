import Synchronization
import Testing
@testable import ZipIndex

/// ``OrderedParallelWork``: each item is done once, on any thread, and the
/// outputs come back in order on the calling thread, however the batches
/// fall.
@Suite("Ordered parallel work")
struct OrderedParallelWorkTests {
    @Test(arguments: [(1, 64, UInt64.max), (3, 64, UInt64.max), (3, 64, 100), (4, 5, 1), (8, 1, 0)])
    func everyItemIsDoneOnceAndDeliveredInOrder(threads: Int, batch: Int, batchWeight: UInt64) {
        let count = 5_000
        let done = Mutex([Int](repeating: 0, count: count))
        var delivered: [Int] = []
        OrderedParallelWork.run(
            count: count, threads: threads, batch: batch, batchWeight: batchWeight,
            weight: { UInt64($0 % 7) * 30 },
            state: { 0 },
            work: { calls, position in
                calls += 1
                done.withLock { $0[position] += 1 }
                return position * 3
            },
            deliver: { position, output in
                #expect(output == position * 3)
                delivered.append(position)
            })
        #expect(delivered == Array(0 ..< count))
        #expect(done.withLock { $0.allSatisfy { $0 == 1 } })
    }

    struct Stop: Error {}

    @Test func anErrorFromDeliverStopsTheThreadsAndIsRethrown() {
        let started = Atomic<Int>(0)
        #expect(throws: Stop.self) {
            try OrderedParallelWork.run(
                count: 1_000_000, threads: 3, batch: 8, batchWeight: .max, weight: { _ in 1 },
                state: { () },
                work: { _, position in
                    started.add(1, ordering: .relaxed)
                    return position
                },
                deliver: { position, _ in if position == 100 { throw Stop() } })
        }
        // The lookahead bounds what was done past the failure.
        #expect(started.load(ordering: .relaxed) < 100 + OrderedParallelWork.lookahead + 3 * 8 + 8)
    }
}
