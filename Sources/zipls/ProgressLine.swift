#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemFiles

/// A progress line on standard error, redrawn in place with `\r`, for work
/// that takes a while.
///
/// It shows only when stderr is a terminal (never in a log or a pipe) and
/// only once the work has run for half a second, so quick runs never
/// flicker; then it is redrawn at most ten times a second. It is wiped
/// before any error line and at the end, leaving the terminal as it was.
final class ProgressLine {
    private let label: String
    private let totalBytes: UInt64
    private let totalEntries: Int
    private let enabled: Bool
    private let fileDescriptor: Int32
    private var nextDraw: ContinuousClock.Instant
    private var bytesDone: UInt64 = 0
    private var entriesDone = 0
    private var showing = false

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
        nextDraw = ContinuousClock.now + delay
    }

    /// Counts `bytes` more of data processed.
    @inline(__always)
    func advance(bytes: Int) {
        guard enabled else { return }
        bytesDone &+= UInt64(bytes)
        redrawIfDue()
    }

    /// Counts one more entry finished; `remainingBytes` are the bytes of
    /// it that were not processed (it failed early), counted as done.
    @inline(__always)
    func finishEntry(remainingBytes: UInt64 = 0) {
        guard enabled else { return }
        entriesDone += 1
        bytesDone &+= remainingBytes
        redrawIfDue()
    }

    /// Wipes the line, if it is showing.
    func clear() {
        guard showing else { return }
        showing = false
        write("\r\u{1B}[K")
    }

    private func redrawIfDue() {
        let now = ContinuousClock.now
        guard now >= nextDraw else { return }
        nextDraw = now + Self.interval
        let percent = totalBytes > 0
            ? Int(Double(min(bytesDone, totalBytes)) * 100 / Double(totalBytes))
            : totalEntries > 0 ? entriesDone * 100 / totalEntries : 100
        showing = true
        write("\r\u{1B}[K\(label): \(percent)% (\(entriesDone)/\(totalEntries) entries)")
    }

    private func write(_ text: String) {
        var text = text
        // Best effort: it is only progress.
        text.withUTF8 { bytes in _ = try? FileDescriptorIO.writeAll(fileDescriptor, UnsafeRawBufferPointer(bytes)) }
    }
}
