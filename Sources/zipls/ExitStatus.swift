/// The exit codes of `zipls`. Scripts depend on them: they are a contract,
/// documented in `zipls --help`.
enum ExitStatus: Int32, Comparable {
    /// Everything asked for was done and every entry looked at was good.
    case success = 0
    /// The archive was read, but an entry is bad (CRC-32 or size mismatch,
    /// corrupt data, unsupported method, encrypted), or a named entry or a
    /// pattern was not found.
    case badEntry = 1
    /// The archive cannot be read at all (no such file, not a zip archive,
    /// truncated, malformed), or standard output cannot be written.
    case unreadable = 2
    /// A usage error. argument-parser exits with `ExitCode.validationFailure`
    /// (`EX_USAGE`, 64) by itself for every parsing or validation error; this
    /// case only names it.
    case usage = 64
    /// `extract` stopped on SIGINT (Ctrl-C): 128 + 2, as a shell reports a
    /// process that SIGINT killed. What was written is complete.
    case interrupted = 130
    /// `extract` stopped on SIGTERM: 128 + 15.
    case terminated = 143

    static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
