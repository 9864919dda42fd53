/// Caps on what reading an archive may cost, against zip bombs and
/// resource exhaustion. The defaults are safe for untrusted input and far
/// above what legitimate archives need; pass ``unlimited`` to turn them off.
///
/// The declared-size cap is not among them because it cannot be turned off:
/// an entry never produces more bytes than its directory entry declares.
public struct ReadLimits: Sendable, Hashable {
    /// The largest uncompressed size an entry may declare. Default 4 GiB.
    public var maximumEntrySize: UInt64
    /// The most bytes all reads of one opened archive may produce together,
    /// counted from the declared sizes of the entries read. Default 64 GiB.
    public var maximumTotalOutput: UInt64
    /// The largest ratio of declared uncompressed to compressed size.
    /// Deflate cannot exceed about 1,032:1, so the default of 1,100 only
    /// refuses declarations that cannot be true; lower it for a policy.
    public var maximumCompressionRatio: UInt64
    /// The most entries an archive may have. Default 16,777,216.
    public var maximumEntryCount: UInt64
    /// Whether entries whose data overlaps another entry's local header are
    /// refused. Default true.
    public var rejectsOverlappingEntries: Bool

    public init(maximumEntrySize: UInt64 = 4 << 30, maximumTotalOutput: UInt64 = 64 << 30,
                maximumCompressionRatio: UInt64 = 1_100, maximumEntryCount: UInt64 = 1 << 24,
                rejectsOverlappingEntries: Bool = true) {
        self.maximumEntrySize = maximumEntrySize
        self.maximumTotalOutput = maximumTotalOutput
        self.maximumCompressionRatio = maximumCompressionRatio
        self.maximumEntryCount = maximumEntryCount
        self.rejectsOverlappingEntries = rejectsOverlappingEntries
    }

    /// The defaults: safe for archives from strangers.
    public static let `default` = ReadLimits()

    /// No caps beyond the declared sizes, and overlapping entries allowed.
    public static let unlimited = ReadLimits(
        maximumEntrySize: .max, maximumTotalOutput: .max, maximumCompressionRatio: .max,
        maximumEntryCount: .max, rejectsOverlappingEntries: false)

    /// Checks an entry's declared sizes before any of its data is read.
    func check(uncompressed: UInt64, compressed: UInt64, method: CompressionMethod) throws(ZipError) {
        guard uncompressed <= maximumEntrySize else {
            throw ZipError(.limitExceeded, detail: "the entry declares \(uncompressed) bytes; the limit is \(maximumEntrySize)")
        }
        // uncompressed / compressed > ratio, in whole numbers, is
        // uncompressed >= (ratio + 1) * compressed: no division (about 40
        // cycles, once per entry read), and a product that overflows is
        // more than any declared size.
        let (bound, overflow) = maximumCompressionRatio.addingReportingOverflow(1)
        let (least, overflow2) = bound.multipliedReportingOverflow(by: max(compressed, 1))
        if method != .stored, !overflow, !overflow2, uncompressed >= least {
            throw ZipError(.limitExceeded,
                           detail: "the entry declares a compression ratio above \(maximumCompressionRatio):1 (\(uncompressed) from \(compressed) bytes)")
        }
    }
}
