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
///
/// A name may be 65,535 bytes of separators, and every entry's name is
/// scanned: each function here does a constant amount of work per byte,
/// reads the name by index and judges a component by its bounds, and
/// gathers flags in a raw mask. Debug builds (the sanitizers', and
/// anyone's `swift test`) pay a call for every generic collection or
/// option-set operation, and a once-check for every static constant.
enum EntryName {
    /// The hazards after which a name's path is not the name itself (less
    /// a final `/`): without them, the name is safe to extract and is its
    /// own collision key.
    static let irregularPath: NameHazards = [.nul, .backslash, .absolute, .driveLetter, .dotComponent]

    /// The hazards that make a name unsafe to extract by themselves.
    private static let unsafe: NameHazards = [.nul, .backslash, .absolute, .driveLetter]

    static func safeRelativePath(_ name: ByteView) -> String? {
        safeComponents(name, hazards: hazards(name)).map { joined($0, of: name) }
    }

    /// Whether ``safeRelativePath(_:)`` is not nil, given the name's
    /// ``hazards(_:)``; without building the path.
    static func isSafeToExtract(_ name: ByteView, hazards: NameHazards) -> Bool {
        safeComponents(name, hazards: hazards) != nil
    }

    /// The components of the safe path: nil if a hazard makes the name
    /// unsafe, `..` climbs above the root, or nothing is left.
    private static func safeComponents(_ name: ByteView, hazards: NameHazards) -> [Range<Int>]? {
        guard hazards.isDisjoint(with: unsafe),
              let components = resolvedComponents(name, climbingOutFails: true), !components.isEmpty
        else { return nil }
        return components
    }

    /// The path a lenient extractor writes the name to, for finding
    /// collisions: cut at a NUL (as C and Python do), `\` taken as `/` (as
    /// Windows, libarchive and Info-ZIP for MS-DOS archives do), a drive
    /// and leading separators dropped, `.`, `..` and empty components
    /// resolved with `..` stopping at the root (as Info-ZIP and bsdtar
    /// do). Nil when nothing is left.
    static func collisionKey(_ name: ByteView) -> [UInt8]? {
        var path = name.extracting(0 ..< (name.firstIndex(of: 0) ?? name.count))
        if path.count >= 2, path[1] == UInt8(ascii: ":") { path = path.extracting(from: 2) }
        guard let components = resolvedComponents(path, climbingOutFails: false), !components.isEmpty else { return nil }
        return path.joined(components, separator: UInt8(ascii: "/"))
    }

    /// The components of `path` between separators (`/` and `\`), with
    /// empty and `.` components dropped and each `..` removing the
    /// component before it; nil if a `..` has none to remove and
    /// `climbingOutFails`, else that `..` is dropped. Ranges of `path`.
    private static func resolvedComponents(_ path: ByteView, climbingOutFails: Bool) -> [Range<Int>]? {
        let count = path.count
        let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\"), dot = UInt8(ascii: ".")
        var components: [Range<Int>] = []
        var start = 0
        for index in 0 ... count {
            guard index == count || path[index] == slash || path[index] == backslash else { continue }
            let length = index - start
            if length == 1, path[start] == dot {
                // `.`: the same directory.
            } else if length == 2, path[start] == dot, path[start + 1] == dot {
                if components.popLast() == nil, climbingOutFails { return nil }
            } else if length > 0 {
                components.append(start ..< index)
            }
            start = index + 1
        }
        return components
    }

    /// `components` of `path` joined by `/`, as text.
    private static func joined(_ components: [Range<Int>], of path: ByteView) -> String {
        String(decoding: path.joined(components, separator: UInt8(ascii: "/")), as: UTF8.self)
    }

    /// The hazards the name's own UTF-8 bytes carry, in one pass: bytes
    /// that need no look are skipped at the cost of a compare or two, and
    /// each component is judged at its end.
    static func hazards(_ name: ByteView) -> NameHazards {
        let count = name.count
        guard count > 0 else { return [] }
        let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\"), dot = UInt8(ascii: "."), colon = UInt8(ascii: ":")
        let pipe = UInt8(ascii: "|"), space = UInt8(ascii: " ")
        var found: UInt16 = 0
        let first = name[0]
        let isAbsolute = first == slash || first == backslash
        if isAbsolute { found |= NameHazards.absolute.rawValue }
        let letter = first | 0x20
        let hasDrive = count >= 2 && name[1] == colon && letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z")
        if hasDrive { found |= NameHazards.driveLetter.rawValue }
        let dotComponent = NameHazards.dotComponent.rawValue
        let windowsReserved = NameHazards.windowsReserved.rawValue
        // A leading separator makes the name absolute, not an empty component.
        var componentStart = isAbsolute ? 1 : 0
        var index = componentStart
        while true {
            let byte: UInt8 = index < count ? name[index] : slash
            // Letters, digits, '-', '.', '_' and the like: nothing to see.
            if byte > 0x3F && byte < 0x7F && byte != backslash && byte != pipe {
                index += 1
                continue
            }
            if byte == slash || byte == backslash {
                if byte == backslash { found |= NameHazards.backslash.rawValue }
                let length = index - componentStart
                if length == 0 {
                    // The empty component after a final `/` marks a directory.
                    if index < count { found |= dotComponent }
                } else if length <= 2 && name[componentStart] == dot && name[index - 1] == dot {
                    found |= dotComponent
                } else if name[index - 1] == dot || name[index - 1] == space {
                    // Windows strips a trailing dot or space.
                    found |= windowsReserved
                } else if length >= 3, isDeviceName(name.extracting(componentStart ..< index)) {
                    found |= windowsReserved
                }
                if index >= count { return NameHazards(rawValue: found) }
                componentStart = index + 1
            } else if byte == 0 {
                found |= NameHazards.nul.rawValue
            } else if byte < 0x20 || byte == 0x7F {
                found |= NameHazards.controlCharacter.rawValue
            } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
                        || byte == pipe || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "*") {
                found |= windowsReserved
            } else if byte == colon {
                if !(index == 1 && hasDrive) { found |= windowsReserved }
            } else if byte == 0xE2 && index + 2 < count {
                // U+202A–U+202E are E2 80 AA–AE; U+2066–U+2069 are E2 81 A6–A9.
                let second = name[index + 1], third = name[index + 2]
                if (second == 0x80 && third >= 0xAA && third <= 0xAE) || (second == 0x81 && third >= 0xA6 && third <= 0xA9) {
                    found |= NameHazards.bidiOverride.rawValue
                }
            }
            index += 1
        }
    }

    /// A device name with any extension (`con`, `Aux.txt`, `lpt1.log`):
    /// a stem of three letters, or four with a digit, and trailing spaces.
    private static func isDeviceName(_ component: ByteView) -> Bool {
        // Every device name starts with one of c, p, a, n, l.
        switch component[0] | 0x20 {
        case UInt8(ascii: "c"), UInt8(ascii: "p"), UInt8(ascii: "a"), UInt8(ascii: "n"), UInt8(ascii: "l"): break
        default: return false
        }
        var stemEnd = component.firstIndex(of: UInt8(ascii: ".")) ?? component.count
        while stemEnd > 0, component[stemEnd - 1] == UInt8(ascii: " ") { stemEnd -= 1 }
        guard stemEnd == 3 || stemEnd == 4 else { return false }
        func lower(_ position: Int) -> UInt32 {
            let byte = component[position]
            return UInt32(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
        }
        // The stem's first three letters, lowercased, as one number.
        let stem = lower(0) << 16 | lower(1) << 8 | lower(2)
        func code(_ text: StaticString) -> UInt32 {
            UInt32(text.utf8Start[0]) << 16 | UInt32(text.utf8Start[1]) << 8 | UInt32(text.utf8Start[2])
        }
        if stemEnd == 3 { return stem == code("con") || stem == code("prn") || stem == code("aux") || stem == code("nul") }
        return (stem == code("com") || stem == code("lpt")) && component[3] >= UInt8(ascii: "1") && component[3] <= UInt8(ascii: "9")
    }
}
