#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plain POSIX threads for work that is CPU-bound and independent (one
/// entry each): the libraries use neither Foundation nor Dispatch, and a
/// handful of threads for the length of one call is all they need.
package struct WorkerThreads: ~Copyable {
    private var threads: [pthread_t] = []

    /// The processors online: the default number of workers.
    package static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Starts `count` threads, each running `body` with its number.
    /// A thread that cannot be started is left out: `body` must not depend
    /// on all of them running (the caller works too).
    package init(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        for number in 0 ..< count {
            let box = Unmanaged.passRetained(Body { body(number) }).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, box)
            if started == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Body>.fromOpaque(box).release()
            }
        }
    }

    /// Waits for every thread to end.
    package mutating func join() {
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    deinit {
        for thread in threads { pthread_join(thread, nil) }
    }

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
