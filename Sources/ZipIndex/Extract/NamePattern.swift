/// A shell glob matched against a whole entry name, as `unzip` matches its
/// file arguments: what ``ExtractionOptions`` and `zipls` select entries by.
///
/// - `*` matches any run of characters, `/` included (unzip's default, so
///   `'*.txt'` finds text files in every directory);
/// - `?` matches one character;
/// - `[abc]`, `[a-z]` match one character of a set; `[!…]` or `[^…]` one
///   character not in it; a `]` right after the `[` (or `[!`) is literal,
///   and a `[` with no closing `]` is a literal `[`;
/// - `\` makes the next character literal.
///
/// Matching works on UTF-8 bytes, without creating strings, but `?` and
/// sets consume a whole character: `caf?.txt` matches `café.txt`. Names are
/// valid UTF-8 (ZipIndex guarantees it) and so are patterns (Swift strings).
public struct NamePattern: Sendable, Hashable {
    /// The pattern as given.
    public let pattern: String
    private let bytes: [UInt8]
    /// Whether the pattern has no special characters: then matching is
    /// comparing.
    private let isLiteral: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8)
        isLiteral = !bytes.contains { $0 == Self.star || $0 == Self.question || $0 == Self.open || $0 == Self.backslash }
    }

    /// Whether `name`, whole, matches.
    public func matches(_ name: String) -> Bool {
        ByteView.with(utf8: name) { matches(bytes: $0) }
    }

    /// Whether the name in `name` (UTF-8), whole, matches.
    public func matches(_ name: Span<UInt8>) -> Bool {
        ByteView.with(name) { matches(bytes: $0) }
    }

    /// Whether `entry`'s name (``ZipEntry/withUTF8Name(_:)``) matches.
    public func matches(_ entry: ZipEntry) -> Bool {
        entry.withNameBytes { matches(bytes: $0) }
    }

    func matches(bytes name: ByteView) -> Bool {
        bytes.withBytes { pattern in
            if isLiteral { return pattern.elementsEqual(name) }
            return Self.match(pattern, name)
        }
    }

    public static func == (lhs: NamePattern, rhs: NamePattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")
    private static let open = UInt8(ascii: "[")
    private static let close = UInt8(ascii: "]")
    private static let backslash = UInt8(ascii: "\\")

    /// The classic matcher with one backtrack point: on a mismatch, the last
    /// `*` takes one more character and matching resumes after it. Earlier
    /// stars never need to be revisited, so the work is at most
    /// pattern length × name length, with no recursion to overflow.
    private static func match(_ pattern: ByteView, _ name: ByteView) -> Bool {
        var p = 0
        var n = 0
        var starPattern = -1  // just after the last `*` seen
        var starName = 0  // where that `*`'s match currently ends
        while n < name.count {
            if p < pattern.count {
                switch pattern[p] {
                case star:
                    p += 1
                    starPattern = p
                    starName = n
                    continue
                case question:
                    p += 1
                    n += characterLength(name, at: n)
                    continue
                case open:
                    if let set = CharacterSet(pattern, at: p) {
                        let (character, length) = decode(name, at: n)
                        if set.contains(character, in: pattern) {
                            p = set.end
                            n += length
                            continue
                        }
                    } else if name[n] == open {  // no closing `]`: a literal `[`
                        p += 1
                        n += 1
                        continue
                    }
                case backslash where p + 1 < pattern.count:
                    if pattern[p + 1] == name[n] {
                        p += 2
                        n += 1
                        continue
                    }
                case let byte:
                    if byte == name[n] {
                        p += 1
                        n += 1
                        continue
                    }
                }
            }
            // Mismatch: let the last star swallow one more character.
            guard starPattern >= 0 else { return false }
            starName += characterLength(name, at: starName)
            n = starName
            p = starPattern
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    /// A bracket expression, `[…]`, located in the pattern.
    private struct CharacterSet {
        /// Where the items start (after `[` and any `!`/`^`).
        let start: Int
        /// Just past the closing `]`.
        let end: Int
        let negated: Bool

        /// Finds the expression opening at `open`, or nil if it never closes.
        init?(_ pattern: ByteView, at open: Int) {
            var i = open + 1
            negated = i < pattern.count && (pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^"))
            if negated { i += 1 }
            start = i
            if i < pattern.count, pattern[i] == NamePattern.close { i += 1 }  // a leading `]` is literal
            while i < pattern.count, pattern[i] != NamePattern.close {
                i += pattern[i] == NamePattern.backslash && i + 1 < pattern.count ? 2 : 1
            }
            guard i < pattern.count else { return nil }
            end = i + 1
        }

        func contains(_ character: UInt32, in pattern: ByteView) -> Bool {
            var i = start
            var found = false
            let last = end - 1  // the closing `]`
            while i < last {
                if pattern[i] == NamePattern.backslash, i + 1 < last { i += 1 }
                let (low, length) = NamePattern.decode(pattern, at: i)
                i += length
                var high = low
                // `a-z`; a `-` first or last is literal.
                if i + 1 < last, pattern[i] == UInt8(ascii: "-") {
                    var j = i + 1
                    if pattern[j] == NamePattern.backslash, j + 1 < last { j += 1 }
                    let (upper, upperLength) = NamePattern.decode(pattern, at: j)
                    high = upper
                    i = j + upperLength
                }
                if low <= character, character <= high { found = true }
            }
            return found != negated
        }
    }

    /// The length of the UTF-8 sequence starting at `index`, by its lead
    /// byte (1 for a stray continuation byte, so matching always advances).
    @inline(__always)
    private static func characterLength(_ bytes: ByteView, at index: Int) -> Int {
        let lead = bytes[index]
        let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return min(length, bytes.count - index)
    }

    /// The Unicode scalar value at `index`, and its length in bytes.
    private static func decode(_ bytes: ByteView, at index: Int) -> (UInt32, Int) {
        let length = characterLength(bytes, at: index)
        guard length > 1 else { return (UInt32(bytes[index]), 1) }
        var value = UInt32(bytes[index]) & (0x7F >> UInt32(length))
        for k in 1 ..< length {
            value = value << 6 | UInt32(bytes[index + k] & 0x3F)
        }
        return (value, length)
    }
}
