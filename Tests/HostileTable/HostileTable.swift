import Foundation
import ZipIndex

/// The hostile table: the archives in `Fixtures/hostile/` (written by
/// `Fixtures/make_hostile.py`) with what a correct reader does with each,
/// plus the seeded bit flips and truncations of fixtures. The library's
/// tests and the `zipls` binary's tests both run every case.
public enum HostileTable {
    /// What `expected.json` says of one archive.
    public struct Expectation: Decodable, Sendable {
        /// "ok", or the `ZipError.Code` case that opening must throw.
        public let open: String
        /// The names, in directory order, when the archive opens.
        public let entries: [String]?
        /// Per entry, "ok" or the code that reading it must throw.
        public let reads: [String]?
        /// How many entries `overlappingEntries` must report.
        public let overlapping: Int?
        /// Hex of the bytes some entries (by index) must read as.
        public let content: [String: String]?
        /// How many hidden local records `verifyStructure()` must find.
        public let hidden: Int?

        /// The error opening must throw, or nil when the archive opens.
        public var openError: ZipError.Code? { open == "ok" ? nil : HostileTable.code(named: open) }

        /// The error reading entry `index` must throw, or nil.
        public func readError(_ index: Int) -> ZipError.Code? {
            guard let reads, index < reads.count, reads[index] != "ok" else { return nil }
            return HostileTable.code(named: reads[index])
        }

        /// The bytes entry `index` must read as, when the table says.
        public func content(of index: Int) -> [UInt8]? {
            content?[String(index)].map(HostileTable.bytes(fromHex:))
        }
    }

    /// `Fixtures/hostile`, found from this source file.
    public static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hostile").path

    /// Every case, by file name.
    public static let expectations: [String: Expectation] = {
        let url = URL(fileURLWithPath: directory + "/expected.json")
        guard let data = try? Data(contentsOf: url),
              let table = try? JSONDecoder().decode([String: Expectation].self, from: data)
        else { return [:] }
        return table
    }()

    /// The case names, sorted: the arguments of the table's tests.
    public static var names: [String] { expectations.keys.sorted() }

    public static func path(_ name: String) -> String { directory + "/" + name }

    /// The error code a case name spells, such as "entryCountMismatch".
    public static func code(named name: String) -> ZipError.Code? {
        ZipError.Code.allCases.first { "\($0)" == name }
    }

    public static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for scalar in hex.unicodeScalars {
            guard let nibble = UInt8(String(scalar), radix: 16) else { continue }
            if let h = high { out.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return out
    }

    // MARK: Generated cases

    /// The fixtures the bit flips start from: deflate, directories, ZIP64,
    /// prepended data and data descriptors.
    public static let bitFlipSeeds = ["deflated.zip", "directories.zip", "zip64.zip", "prepended.zip", "data-descriptor.zip"]

    /// The number of bit-flip cases.
    public static let bitFlipCount = 10_000

    /// Bit-flip case `round` (0 ..< `bitFlipCount`): one to three seeded
    /// random bits of a seed fixture flipped. The same bytes on every run
    /// and in every test target.
    public struct BitFlips: Sendable {
        let seeds: [[UInt8]]

        public init(fixtures: String) throws {
            seeds = try HostileTable.bitFlipSeeds.map { name in
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name)))
            }
        }

        public func input(_ round: Int) -> [UInt8] {
            var random = SeededRandom(seed: 0x5EED &+ UInt64(round) &* 0x9E37_79B9)
            var bytes = seeds[round % seeds.count]
            for _ in 0 ... Int(random.next() % 3) {
                let bit = Int(random.next() % UInt64(bytes.count * 8))
                bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            }
            return bytes
        }
    }

    /// The fixtures cut at every byte offset: a stored, a deflated and a
    /// ZIP64 archive, one with a comment and one with data descriptors.
    public static let truncationSeeds = ["stored.zip", "deflated.zip", "zip64.zip", "comment.zip", "data-descriptor.zip"]
}

/// SplitMix64, so that generated cases are the same on every run.
public struct SeededRandom: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
