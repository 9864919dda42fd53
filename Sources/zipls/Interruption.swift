#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization
import ZipIndex

/// Ctrl-C (SIGINT) and SIGTERM while `extract` writes: the first one asks
/// the extraction to stop (``Cancellation``), so that the file being
/// written is discarded, never left partial or under a temporary name;
/// the handler then reverts to the default, so a second signal kills at
/// once.
enum Interruption {
    /// Cancelled by the handler.
    static let cancellation = Cancellation()
    /// The signal that arrived, or 0.
    static let signal = Atomic<Int32>(0)

    /// Installs the handler for SIGINT and SIGTERM, each unless it is
    /// ignored: a shell starts background jobs with SIGINT ignored, and
    /// Ctrl-C must not reach them.
    static func install() {
        // Globals are made on first use, which a signal handler must not
        // be: make them now.
        _ = cancellation.isCancelled
        _ = signal.load(ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            // An atomic store each: safe in a signal handler.
            Interruption.signal.store(number, ordering: .relaxed)
            Interruption.cancellation.cancel()
        }
        action.sa_flags = CInt(truncatingIfNeeded: SA_RESETHAND)  // 0x8000_0000
        sigemptyset(&action.sa_mask)
        for number in [SIGINT, SIGTERM] {
            var current = sigaction()
            guard sigaction(number, nil, &current) == 0,
                  unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
            else { continue }
            sigaction(number, &action, nil)
        }
    }

    /// The exit status for the signal that arrived, if one did.
    static var status: ExitStatus? {
        switch signal.load(ordering: .relaxed) {
        case SIGINT: .interrupted
        case SIGTERM: .terminated
        default: nil
        }
    }
}
