import Synchronization

/// An index the file table derives from itself on first use (the name
/// index, the directory index, the sorted local header offsets): never at
/// open, since a listing needs none of them, and built once however many
/// threads ask at the same moment.
///
/// Built under a lock and published through an atomic pointer, so that
/// every use after the first costs one acquiring load: no lock, and no
/// reference count for threads to share (a lookup is a few dozen
/// instructions; a lock or a retain would be a large part of it).
final class DerivedIndex<Index: ~Copyable & Sendable>: @unchecked Sendable {
    // @unchecked: the pointee is written once, before the releasing store
    // that publishes it, and only read after an acquiring load sees it.

    /// The address of the built index; 0 until then. (An integer:
    /// `Atomic` of a pointer is not `Sendable`.)
    private let published = Atomic<UInt>(0)
    private let building = Mutex<Void>(())

    init() {}

    deinit {
        if let built {
            built.deinitialize(count: 1)
            built.deallocate()
        }
    }

    @inline(__always)
    private var built: UnsafeMutablePointer<Index>? {
        UnsafeMutablePointer(bitPattern: published.load(ordering: .acquiring))
    }

    /// Calls `body` with the index, built by `build(source)` if nobody has
    /// yet. `build` takes its source as an argument, so that a caller
    /// passes a closure that captures nothing: a method reference would
    /// retain its object on every use, not only the first.
    @inline(__always)
    func withIndex<Source, R>(from source: Source, build: (Source) -> Index, _ body: (borrowing Index) -> R) -> R {
        let index = built ?? buildOnce { build(source) }
        return body(index.pointee)
    }

    /// Calls `body` with the index if it has been built; nil otherwise.
    func ifBuilt<R>(_ body: (borrowing Index) -> R) -> R? {
        guard let index = built else { return nil }
        return body(index.pointee)
    }

    @inline(never)
    private func buildOnce(_ build: () -> Index) -> UnsafeMutablePointer<Index> {
        building.withLock { _ in
            if let index = built { return index }  // another thread built it
            let index = UnsafeMutablePointer<Index>.allocate(capacity: 1)
            index.initialize(to: build())
            published.store(UInt(bitPattern: index), ordering: .releasing)
            return index
        }
    }
}
