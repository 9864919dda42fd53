// Checks .ci/tsan-mutex-shim.c before the sanitized test run relies on it:
// four threads contend for one `Mutex`, so its slow paths run. Built with
// `-sanitize=thread` and run with the shim preloaded, ThreadSanitizer must
// report nothing, and the shim must say that it saw the slow paths.
import Glibc
import Synchronization

final class Shared: Sendable {
    let values = Mutex<[Int]>([])
}

let shared = Shared()

nonisolated func work(_: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    for value in 0 ..< 20_000 {
        shared.values.withLock { values in
            values.append(value)
            if values.count > 100 { values.removeAll(keepingCapacity: true) }
        }
    }
    return nil
}

nonisolated func main() {
    var threads: [pthread_t] = []
    for _ in 0 ..< 4 {
        var thread = pthread_t()
        guard pthread_create(&thread, nil, work, nil) == 0 else { fatalError("pthread_create") }
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
    print("contended Mutex: \(shared.values.withLock { $0.count }) values left")
}

main()
