import Synchronization

/// A request to stop work under way, made from any thread or from a signal
/// handler.
///
/// Pass one in ``ExtractionOptions/cancellation``; when ``cancel()`` is
/// called, the extraction stops before its next chunk of output, discards
/// the file it was writing (which never had a name), and returns its
/// report with ``ExtractionReport/wasCancelled`` set. What was already
/// written stays, complete.
///
/// ```swift
/// let stop = Cancellation()
/// var options = ExtractionOptions()
/// options.cancellation = stop
/// // elsewhere, even in a SIGINT handler: stop.cancel()
/// ```
public final class Cancellation: Sendable, Hashable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the work to stop. One atomic store: no lock and no allocation,
    /// so it is safe in a signal handler.
    public func cancel() {
        requested.store(true, ordering: .relaxed)
    }

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool { requested.load(ordering: .relaxed) }

    public static func == (lhs: Cancellation, rhs: Cancellation) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
