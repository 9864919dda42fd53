import Foundation
import Glibc

/// How one quick run of a program ended.
struct QuickResult: Sendable {
    let status: Int32
    /// The signal that killed the program, or 0.
    let signal: Int32
    /// Wall-clock time from spawn to exit. On a loaded 2-core machine this
    /// says more about the other processes than about this one.
    let elapsed: Duration
    /// The CPU time (user and system) the program used: what it costs,
    /// nearly independent of load, so this is what the tests bound.
    let cpuTime: Duration
    /// Whether the watchdog killed it.
    let timedOut: Bool

    /// The result of a case that was not run.
    static let skipped = QuickResult(status: -2, signal: 0, elapsed: .zero, cpuTime: .zero, timedOut: false)
    var skipped: Bool { status == -2 }
}

/// Runs programs many times over, fast: `posix_spawn` with stdin, stdout
/// and stderr on /dev/null, and a watchdog. For the thousands of runs of
/// the hostile table, where `Process` and captured output cost too much.
enum QuickRun {
    /// Runs `arguments[0]` with `arguments`; kills it after `deadline`.
    static func run(_ arguments: [String], deadline: Duration = .seconds(20)) -> QuickResult {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = ContinuousClock.now
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else {
            return QuickResult(status: 127, signal: 0, elapsed: .zero, cpuTime: .zero, timedOut: false)
        }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        // Poll, so that a hang is killed rather than hanging the test.
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid || (done == -1 && errno != EINTR) { break }
            if !timedOut, ContinuousClock.now - start > deadline {
                kill(pid, SIGKILL)
                timedOut = true
            }
            usleep(100)
        }
        let elapsed = ContinuousClock.now - start
        let signal = status & 0x7F  // WTERMSIG
        func duration(_ time: timeval) -> Duration {
            .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
        }
        return QuickResult(status: signal == 0 ? (status >> 8) & 0xFF : -1, signal: signal,
                           elapsed: elapsed, cpuTime: duration(usage.ru_utime) + duration(usage.ru_stime),
                           timedOut: timedOut)
    }
}
