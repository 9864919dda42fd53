import ZipIndex

/// The entries a command works on: every entry when no pattern is given,
/// else those whose name matches at least one pattern.
///
/// It also remembers which patterns matched something: like unzip, a
/// pattern that matches no entry is an error (exit 1), since it is most
/// likely a typo or a wrong archive.
struct EntrySelection {
    private let globs: [NamePattern]
    private var matched: [Bool]

    init(patterns: [String]) {
        globs = patterns.map(NamePattern.init)
        matched = Array(repeating: false, count: patterns.count)
    }

    var selectsEverything: Bool { globs.isEmpty }

    /// Whether `entry` is selected. Every pattern is tried, so that each
    /// one that matches anything is marked.
    mutating func includes(_ entry: ZipEntry) -> Bool {
        if globs.isEmpty { return true }
        return entry.withUTF8Name { includes(name: $0) }
    }

    /// Whether the entry named `name` (UTF-8) is selected.
    mutating func includes(name: Span<UInt8>) -> Bool {
        if globs.isEmpty { return true }
        var selected = false
        for index in globs.indices where globs[index].matches(name) {
            matched[index] = true
            selected = true
        }
        return selected
    }

    /// The patterns that matched no entry so far, in the order given.
    var unmatchedPatterns: [String] {
        globs.indices.filter { !matched[$0] }.map { globs[$0].pattern }
    }

    /// Reports each pattern that matched nothing.
    func reportUnmatched(to diagnostics: Diagnostics) throws(OutputError) {
        for pattern in unmatchedPatterns {
            try diagnostics.entryProblem("no entry matches \"\(pattern)\"")
        }
    }
}
