#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles
import Synchronization

/// A progress line on standard error, redrawn in place with `\r`, for work
/// that takes a while.
///
/// It shows only when stderr is a terminal (never in a log or a pipe) and
/// only once the work has run for half a second, so quick runs never
/// flicker; then it is redrawn at most ten times a second. It is wiped
/// before any error line and at the end, leaving the terminal as it was.
///
/// Decoding threads count bytes into it (`zipls test -j`), so its state is
/// behind a lock; when stderr is not a terminal, no call takes the lock.
final class ProgressLine: Sendable {
    private let label: String
    private let totalBytes: UInt64
    private let totalEntries: Int
    private let enabled: Bool
    private let fileDescriptor: Int32
    private struct State {
        var nextDraw: ContinuousClock.Instant
        var bytesDone: UInt64 = 0
        var entriesDone = 0
        var showing = false
    }
    private let state: Mutex<State>

    private static let interval = Duration.milliseconds(100)

    /// A progress line for `totalEntries` entries holding `totalBytes`
    /// bytes, shown when `enabled` (by default: stderr is a terminal) once
    /// `delay` has passed. Tests pass their own delay and descriptor.
    init(label: String, totalBytes: UInt64, totalEntries: Int,
         enabled: Bool = isatty(STDERR_FILENO) != 0,
         delay: Duration = .milliseconds(500), fileDescriptor: Int32 = STDERR_FILENO) {
        self.label = label
        self.totalBytes = totalBytes
        self.totalEntries = totalEntries
        self.enabled = enabled
        self.fileDescriptor = fileDescriptor
        state = Mutex(State(nextDraw: ContinuousClock.now + delay))
    }

    /// Whether the line can show at all (stderr is a terminal): when not,
    /// callers need not count for it.
    var isEnabled: Bool { enabled }

    /// Counts `bytes` more of data processed.
    @inline(__always)
    func advance(bytes: Int) {
        guard enabled else { return }
        state.withLock { state in
            state.bytesDone &+= UInt64(bytes)
            redrawIfDue(&state)
        }
    }

    /// Counts one more entry finished; `remainingBytes` are the bytes of
    /// it that were not processed (it failed early), counted as done.
    @inline(__always)
    func finishEntry(remainingBytes: UInt64 = 0) {
        guard enabled else { return }
        state.withLock { state in
            state.entriesDone += 1
            state.bytesDone &+= remainingBytes
            redrawIfDue(&state)
        }
    }

    /// Wipes the line, if it is showing.
    func clear() {
        guard enabled else { return }
        state.withLock { state in
            guard state.showing else { return }
            state.showing = false
            write("\r\u{1B}[K")
        }
    }

    private func redrawIfDue(_ state: inout State) {
        let now = ContinuousClock.now
        guard now >= state.nextDraw else { return }
        state.nextDraw = now + Self.interval
        let percent = totalBytes > 0
            ? Int(Double(min(state.bytesDone, totalBytes)) * 100 / Double(totalBytes))
            : totalEntries > 0 ? state.entriesDone * 100 / totalEntries : 100
        state.showing = true
        write("\r\u{1B}[K\(label): \(percent)% (\(state.entriesDone)/\(totalEntries) entries)")
    }

    private func write(_ text: String) {
        var text = text
        // Best effort: it is only progress.
        _ = try? FileDescriptorIO.writeAll(fileDescriptor, text.utf8.span)
    }
}
