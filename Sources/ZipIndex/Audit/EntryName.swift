/// What an entry's name means as a path, decided in one place.
///
/// A name is not a path. APPNOTE 4.4.17 says a name is relative, uses `/`
/// and has no drive letter, but nothing enforces it: `../../etc/passwd`,
/// `/etc/passwd`, `C:\Windows` and `a\..\..\b` all come from real attacks
/// (zip slip; Go CVE-2021-27919 and CVE-2021-41772; Go issue 55356), and
/// names that two systems spell differently let one archive mean two
/// things (types A4 and B1–B4 of *My ZIP isn't your ZIP*).
///
/// Two answers come from one scan of the name, so they cannot disagree:
/// - whether the name is *safe to extract* (``ZipEntry/safeRelativePath``
///   is not nil): it neither escapes the destination nor reads differently
///   where the C library or Windows sees it;
/// - its ``NameHazards``: everything two readers or two file systems may
///   treat differently, reported and not refused.
public struct NameHazards: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// A NUL byte: C APIs, Python's `zipfile` and Info-ZIP cut the name there.
    public static let nul = NameHazards(rawValue: 1 << 0)
    /// A control character (U+0001–U+001F) or DEL: invisible or disruptive
    /// in listings, refused by Windows.
    public static let controlCharacter = NameHazards(rawValue: 1 << 1)
    /// A bidirectional embedding, override or isolate (U+202A–U+202E,
    /// U+2066–U+2069): the name displays in another order than it reads,
    /// as in `invoice‮fdp.exe`.
    public static let bidiOverride = NameHazards(rawValue: 1 << 2)
    /// A backslash: a separator on Windows and to some readers, an ordinary
    /// character elsewhere (APPNOTE 4.4.17.1 allows only `/`).
    public static let backslash = NameHazards(rawValue: 1 << 3)
    /// A leading `/` or `\`: the name is absolute.
    public static let absolute = NameHazards(rawValue: 1 << 4)
    /// A drive letter (`C:`) at the start.
    public static let driveLetter = NameHazards(rawValue: 1 << 5)
    /// A `.`, `..` or empty component (`./a`, `a/../b`, `a//b`, `a/b/.`):
    /// readers that normalise and readers that do not see different paths.
    public static let dotComponent = NameHazards(rawValue: 1 << 6)
    /// Bytes above 0x7F without flag bit 11, or a name taken from an
    /// Info-ZIP Unicode Path field (APPNOTE 4.4.4, 4.6.9): readers that
    /// assume another code page, or ignore the field as Python does, read
    /// another name.
    public static let undeclaredEncoding = NameHazards(rawValue: 1 << 7)
    /// A component Windows cannot create: a reserved device name (`CON`,
    /// `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, with any
    /// extension), one of `< > : " | ? *`, or a trailing dot or space.
    public static let windowsReserved = NameHazards(rawValue: 1 << 8)
    /// Another entry goes to the same path where a lenient extractor writes
    /// it: the same name twice, or names equal once `.`, `..` and empty
    /// components are resolved, `\` is taken as `/`, a leading `/` or a
    /// drive is dropped, or the name is cut at a NUL. Extraction writes
    /// one over the other, and readers keep different ones. Only
    /// ``ZipAudit`` reports it, as it depends on the other names.
    public static let collision = NameHazards(rawValue: 1 << 9)
    /// Another entry goes to the same path when case is ignored (and not
    /// otherwise): one file on a case-insensitive file system (macOS,
    /// Windows). Reported by ``ZipAudit`` only.
    public static let caseCollision = NameHazards(rawValue: 1 << 10)
    /// A name ending in `/` whose entry has data, or directory attributes
    /// on a name that does not end in `/`: readers that go by the name
    /// (``ZipEntry/isDirectory``, Python) and readers that go by the
    /// attributes disagree about what the entry is.
    public static let directoryMismatch = NameHazards(rawValue: 1 << 11)

    /// Every hazard, one flag each, in a fixed order.
    public static let allCases: [NameHazards] = [
        .nul, .controlCharacter, .bidiOverride, .backslash, .absolute, .driveLetter, .dotComponent,
        .undeclaredEncoding, .windowsReserved, .collision, .caseCollision, .directoryMismatch,
    ]

    /// A stable identifier for a single hazard, for JSON and scripts
    /// (`"nul"`, `"bidiOverride"`, …); the identifiers of every flag set,
    /// joined by `,`, for several.
    public var identifier: String {
        Self.allCases.filter { contains($0) }.map { flag in
            switch flag {
            case .nul: "nul"
            case .controlCharacter: "controlCharacter"
            case .bidiOverride: "bidiOverride"
            case .backslash: "backslash"
            case .absolute: "absolute"
            case .driveLetter: "driveLetter"
            case .dotComponent: "dotComponent"
            case .undeclaredEncoding: "undeclaredEncoding"
            case .windowsReserved: "windowsReserved"
            case .collision: "collision"
            case .caseCollision: "caseCollision"
            default: "directoryMismatch"
            }
        }.joined(separator: ",")
    }
}

extension ZipEntry {
    /// The entry's name as a relative path that stays inside the directory
    /// it is extracted to, or nil if the name is unsafe to extract.
    ///
    /// `.` components and empty components (`a//b`) are dropped, and `..`
    /// removes the component before it. The result is nil when:
    /// - the name is absolute (`/x`) or names a drive (`C:x`, `C:\x`);
    /// - a `..` would climb above the root (`../x`, `a/../../x`);
    /// - the name contains a backslash, which Windows reads as a separator
    ///   and other systems as a character (`a\b`, `..\x`);
    /// - the name contains a NUL, which truncates it in C APIs;
    /// - nothing is left (`.`, `/`, `a/..`).
    ///
    /// A directory's path has no trailing `/`; check ``isDirectory``.
    /// Names that are safe may still carry ``nameHazards``.
    public var safeRelativePath: String? {
        withNameBytes { EntryName.safeRelativePath($0) }
    }

    /// What about this entry's name two readers or two file systems may
    /// treat differently. Reading from the directory only, it costs one
    /// scan of the name; collisions with other names are in
    /// ``ZipArchive/audit()``.
    public var nameHazards: NameHazards {
        withNameBytes { nameHazards(name: $0) }
    }

    /// ``nameHazards``, given the entry's name bytes.
    func nameHazards(name: ByteView) -> NameHazards {
        var hazards = EntryName.hazards(name)
        let record = table.records[index]
        // Code page 437 is what the builder assumed for high bytes without
        // bit 11; a Unicode Path name is one that ignoring readers miss.
        if !record.info.isDisjoint(with: [.cp437Name, .unicodePathName]) {
            hazards.insert(.undeclaredEncoding)
        }
        // APPNOTE 4.4.15: the low byte of the external attributes holds the
        // MS-DOS attributes (0x10: directory) whatever the host, and Unix
        // hosts put the mode in the high 16 bits.
        let mismatch = if name.last == UInt8(ascii: "/") {
            uncompressedSize > 0
        } else {
            record.externalAttributes & 0x10 != 0 || unixMode.map { $0 & 0o170000 == 0o040000 } ?? false
        }
        if mismatch { hazards.insert(.directoryMismatch) }
        return hazards
    }
}

/// The scan behind ``ZipEntry/safeRelativePath`` and ``NameHazards``.
enum EntryName {
    /// The hazards after which a name's path is not the name itself (less
    /// a final `/`): without them, the name is safe to extract and is its
    /// own collision key.
    static let irregularPath: NameHazards = [.nul, .backslash, .absolute, .driveLetter, .dotComponent]

    static func safeRelativePath(_ name: ByteView) -> String? {
        guard isSafeToExtract(name) else { return nil }
        var components: [Substring] = []
        let text = String(decoding: name, as: UTF8.self)
        for component in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard components.popLast() != nil else { return nil }
            default: components.append(component)
            }
        }
        return components.isEmpty ? nil : components.joined(separator: "/")
    }

    /// The path a lenient extractor writes the name to, for finding
    /// collisions: cut at a NUL (as C and Python do), `\` taken as `/` (as
    /// Windows, libarchive and Info-ZIP for MS-DOS archives do), a drive
    /// and leading separators dropped, `.`, `..` and empty components
    /// resolved with `..` stopping at the root (as Info-ZIP and bsdtar
    /// do). Nil when nothing is left.
    static func collisionKey(_ name: ByteView) -> String? {
        var bytes = Array(name.prefix { $0 != 0 })
        for index in bytes.indices where bytes[index] == backslash { bytes[index] = slash }
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":") { bytes.removeFirst(2) }
        var components: [ArraySlice<UInt8>] = []
        for component in bytes.split(separator: slash, omittingEmptySubsequences: true) {
            if component.elementsEqual([0x2E]) { continue }
            if component.elementsEqual([0x2E, 0x2E]) {
                _ = components.popLast()
                continue
            }
            components.append(component)
        }
        guard !components.isEmpty else { return nil }
        return String(decoding: Array(components.joined(separator: [slash])), as: UTF8.self)
    }

    /// Whether nothing in the name is unsafe by itself: no NUL, no
    /// backslash, not absolute, no drive. (Climbing out with `..` and
    /// names that leave nothing are found while normalising.)
    private static func isSafeToExtract(_ name: ByteView) -> Bool {
        let unsafe: NameHazards = [.nul, .backslash, .absolute, .driveLetter]
        return !name.isEmpty && hazards(name).isDisjoint(with: unsafe)
    }

    private static let slash = UInt8(ascii: "/")
    private static let backslash = UInt8(ascii: "\\")

    /// The hazards the name's own UTF-8 bytes carry, in one pass: bytes
    /// that need no look are skipped at the cost of a compare or two, and
    /// each component is judged at its end.
    static func hazards(_ name: ByteView) -> NameHazards {
        var hazards: NameHazards = []
        guard let first = name.first else { return hazards }
        if first == slash || first == backslash { hazards.insert(.absolute) }
        let hasDrive = name.count >= 2 && name[1] == UInt8(ascii: ":")
            && (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains(first | 0x20)
        if hasDrive { hazards.insert(.driveLetter) }
        // A leading separator makes the name absolute, not an empty component.
        var componentStart = first == slash || first == backslash ? 1 : 0
        var index = componentStart
        // The per-byte read without ByteView's call and check: `index <
        // count` guards it. A debug build (the sanitizers') paid several
        // calls per byte for a hostile name of 32,000 components.
        let count = name.count
        let bytes = name.unsafeBytes
        while true {
            let byte: UInt8 = index < count ? bytes[index] : slash
            // Letters, digits, '-', '.', '_' and the like: nothing to see.
            if byte > 0x3F && byte < 0x7F && byte != backslash && byte != UInt8(ascii: "|") {
                index += 1
                continue
            }
            switch byte {
            case slash, backslash:
                if byte == backslash { hazards.insert(.backslash) }
                let component = name.extracting(componentStart ..< index)
                // The empty component after a final `/` marks a directory.
                if component.isEmpty {
                    if index < name.count { hazards.insert(.dotComponent) }
                } else if component.count <= 2, component.allSatisfy({ $0 == 0x2E }) {
                    hazards.insert(.dotComponent)
                } else if isWindowsReserved(component) {
                    hazards.insert(.windowsReserved)
                }
                if index >= name.count { return hazards }
                componentStart = index + 1
            case 0: hazards.insert(.nul)
            case 0x01 ... 0x1F, 0x7F: hazards.insert(.controlCharacter)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "|"),
                 UInt8(ascii: "?"), UInt8(ascii: "*"):
                hazards.insert(.windowsReserved)
            case UInt8(ascii: ":") where !(index == 1 && hasDrive):
                hazards.insert(.windowsReserved)
            case 0xE2 where index + 2 < name.count:
                // U+202A–U+202E are E2 80 AA–AE; U+2066–U+2069 are E2 81 A6–A9.
                let second = name[index + 1], third = name[index + 2]
                if (second == 0x80 && (0xAA ... 0xAE).contains(third))
                    || (second == 0x81 && (0xA6 ... 0xA9).contains(third)) {
                    hazards.insert(.bidiOverride)
                }
            default: break
            }
            index += 1
        }
    }

    /// A device name with any extension (`con`, `Aux.txt`, `lpt1.log`), or
    /// a trailing dot or space, which Windows strips.
    private static func isWindowsReserved(_ component: ByteView) -> Bool {
        guard let last = component.last else { return false }
        if last == UInt8(ascii: ".") || last == UInt8(ascii: " ") { return true }
        // Every device name starts with one of c, p, a, n, l.
        switch component[0] | 0x20 {
        case UInt8(ascii: "c"), UInt8(ascii: "p"), UInt8(ascii: "a"), UInt8(ascii: "n"), UInt8(ascii: "l"): break
        default: return false
        }
        var stemEnd = component.firstIndex(of: UInt8(ascii: ".")) ?? component.count
        while stemEnd > 0, component[stemEnd - 1] == UInt8(ascii: " ") { stemEnd -= 1 }
        func lower(_ position: Int) -> UInt8 {
            let byte = component[position]
            return (UInt8(ascii: "A") ... UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }
        func stemIs(_ text: StaticString) -> Bool {
            (0 ..< 3).allSatisfy { lower($0) == text.utf8Start[$0] }  // every stem here has 3 letters
        }
        switch stemEnd {
        case 3: return stemIs("con") || stemIs("prn") || stemIs("aux") || stemIs("nul")
        case 4: return (stemIs("com") || stemIs("lpt")) && (UInt8(ascii: "1") ... UInt8(ascii: "9")).contains(component[3])
        default: return false
        }
    }
}
