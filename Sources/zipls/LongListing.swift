import ZipIndex

/// `zipls list --long`: a table, one entry per row, then a totals line.
///
///     Mode        Size  Compressed  Ratio  Method    Modified             CRC-32    Name
///     -rw-r--r--  3300        1021    69%  deflated  2020-01-02 03:04:06  5e2a1f0c  big.txt
///     total       3300        1021    69%                                           1 entry
///
/// A symbolic link's row ends with ` -> TARGET` (its data, at most 4096
/// bytes, escaped), as `ls -l` shows it; an encrypted entry's method names
/// the encryption first (``ZipEntry/methodDescription(in:)``).
///
/// Column widths come from a first pass over the entries (cheap: sizes and
/// methods are in the table), so the columns line up for any archive and
/// rows can still be written one by one.
enum LongListing {
    private static let modeWidth = 10
    private static let dateWidth = 19
    private static let crcWidth = 8
    private static let gap = 2

    static func write(_ archive: ZipArchive, selection: inout EntrySelection, to output: OutputBuffer) throws(OutputError) {
        let entries = archive.entries
        // With patterns, remember the selection rather than match twice.
        var selected: [Int] = []
        var totalSize: UInt64 = 0
        var totalCompressed: UInt64 = 0
        var count: UInt64 = 0
        var ratioWidth = "Ratio".utf8.count
        var methods: [UInt16: String] = [:]
        // Encrypted entries show their encryption too (`aes/deflated`).
        var encryptedMethods: [Int: String] = [:]
        for entry in entries where selection.includes(entry) {
            if !selection.selectsEverything { selected.append(entry.index) }
            totalSize &+= entry.uncompressedSize
            totalCompressed &+= entry.compressedSize
            count += 1
            ratioWidth = max(ratioWidth, ratioTextWidth(ratio(size: entry.uncompressedSize, compressed: entry.compressedSize)))
            if entry.isEncrypted {
                encryptedMethods[entry.index] = entry.methodDescription(in: archive)
            } else if methods[entry.method.rawValue] == nil {
                methods[entry.method.rawValue] = entry.method.name
            }
        }
        // Patterns that select nothing: no table, only their report.
        if count == 0 && !selection.selectsEverything { return }
        let sizeWidth = max("Size".utf8.count, OutputBuffer.decimalWidth(totalSize))
        let compressedWidth = max("Compressed".utf8.count, OutputBuffer.decimalWidth(totalCompressed))
        let methodWidth = (Array(methods.values) + Array(encryptedMethods.values)).reduce("Method".utf8.count) { max($0, $1.utf8.count) }

        // Header.
        try pad("Mode", modeWidth, output)
        try output.write(repeating: 0x20, times: gap + sizeWidth - 4)
        try output.write("Size" as StaticString)
        try output.write(repeating: 0x20, times: gap + compressedWidth - 10)
        try output.write("Compressed" as StaticString)
        try output.write(repeating: 0x20, times: gap + ratioWidth - 5)
        try output.write("Ratio" as StaticString)
        try output.write(repeating: 0x20, times: gap)
        try pad("Method", methodWidth + gap, output)
        try pad("Modified", dateWidth + gap, output)
        try pad("CRC-32", crcWidth + gap, output)
        try output.write("Name\n" as StaticString)

        func row(_ entry: ZipEntry) throws(OutputError) {
            try writeMode(entry, to: output)
            try output.write(repeating: 0x20, times: gap)
            try output.write(decimal: entry.uncompressedSize, width: sizeWidth)
            try output.write(repeating: 0x20, times: gap)
            try output.write(decimal: entry.compressedSize, width: compressedWidth)
            try output.write(repeating: 0x20, times: gap)
            try writeRatio(size: entry.uncompressedSize, compressed: entry.compressedSize, width: ratioWidth, to: output)
            try output.write(repeating: 0x20, times: gap)
            let method = encryptedMethods[entry.index] ?? methods[entry.method.rawValue] ?? entry.method.name
            try output.write(method)
            try output.write(repeating: 0x20, times: methodWidth - method.utf8.count + gap)
            try output.writeDateTime(entry.modificationDate, separator: UInt8(ascii: " "))
            try output.write(repeating: 0x20, times: gap)
            try output.write(hex32: entry.crc32)
            try output.write(repeating: 0x20, times: gap)
            try entry.withName { (name) throws(OutputError) in try output.writeEscaped(name) }
            if entry.isSymlink, let target = entry.symlinkTarget(in: archive) {
                try output.write(" -> " as StaticString)
                try output.write(Diagnostics.escaped(target))
            }
            try output.write(byte: UInt8(ascii: "\n"))
        }
        if selection.selectsEverything {
            for entry in entries { try row(entry) }
        } else {
            for index in selected { try row(entries[index]) }
        }

        // Totals, under the columns they add up.
        try pad("total", modeWidth, output)
        try output.write(repeating: 0x20, times: gap)
        try output.write(decimal: totalSize, width: sizeWidth)
        try output.write(repeating: 0x20, times: gap)
        try output.write(decimal: totalCompressed, width: compressedWidth)
        try output.write(repeating: 0x20, times: gap)
        try writeRatio(size: totalSize, compressed: totalCompressed, width: ratioWidth, to: output)
        try output.write(repeating: 0x20, times: gap + methodWidth + gap + dateWidth + gap + crcWidth + gap)
        try output.write(decimal: count)
        try output.write(count == 1 ? " entry\n" as StaticString : " entries\n")
    }

    private static func pad(_ text: StaticString, _ width: Int, _ output: OutputBuffer) throws(OutputError) {
        try output.write(text)
        try output.write(repeating: 0x20, times: width - text.utf8CodeUnitCount)
    }

    /// The space saved, in whole percent rounded toward zero (so `100%`
    /// only when nothing is left), as `unzip -v` reports it. Negative when
    /// the data grew (stored with an encryption header, or incompressible).
    static func ratio(size: UInt64, compressed: UInt64) -> Int64 {
        guard size > 0 else { return 0 }
        let saved = (Double(size) - Double(compressed)) / Double(size) * 100
        // A hostile directory can declare any compressed size: keep the
        // value representable (converting a huge Double would trap).
        return Int64(max(saved, -1e15).rounded(.towardZero))
    }

    /// The width of a ratio written with its sign and `%`.
    static func ratioTextWidth(_ ratio: Int64) -> Int {
        (ratio < 0 ? 1 : 0) + OutputBuffer.decimalWidth(ratio.magnitude) + 1
    }

    private static func writeRatio(size: UInt64, compressed: UInt64, width: Int, to output: OutputBuffer) throws(OutputError) {
        try output.write(decimal: ratio(size: size, compressed: compressed), width: width - 1)
        try output.write(byte: UInt8(ascii: "%"))
    }

    /// Writes the mode as `ls -l` does: type, then rwx for user, group and
    /// others, with setuid, setgid and sticky bits as s/S and t/T. Entries
    /// not made on Unix have no mode: their type (from the name) is
    /// followed by `?`s rather than invented permissions.
    static func writeMode(_ entry: ZipEntry, to output: OutputBuffer) throws(OutputError) {
        guard let mode = entry.unixMode else {
            try output.write(entry.isDirectory ? "d?????????" as StaticString : "-?????????")
            return
        }
        let isDirectory = entry.isDirectory
        try output.withSpace(modeWidth) { out in
            fillMode(mode, isDirectory: isDirectory, into: &out)
            return modeWidth
        }
    }

    /// The mode as `ls -l` prints it, for tests.
    static func modeString(_ mode: UInt16, isDirectory: Bool) -> String {
        var text = [UInt8](repeating: 0, count: modeWidth)
        var room = text.mutableSpan
        fillMode(mode, isDirectory: isDirectory, into: &room)
        return String(decoding: text, as: UTF8.self)
    }

    /// Writes the ten characters of `mode` into `out`.
    private static func fillMode(_ mode: UInt16, isDirectory: Bool, into out: inout MutableSpan<UInt8>) {
        out[0] = switch mode & 0o170000 {
        case 0o040000: UInt8(ascii: "d")
        case 0o120000: UInt8(ascii: "l")
        case 0o100000: UInt8(ascii: "-")
        case 0o010000: UInt8(ascii: "p")
        case 0o020000: UInt8(ascii: "c")
        case 0o060000: UInt8(ascii: "b")
        case 0o140000: UInt8(ascii: "s")
        default: isDirectory ? UInt8(ascii: "d") : UInt8(ascii: "-")  // some archivers store permissions only
        }
        let letters: StaticString = "rwxrwxrwx"
        for bit in 0 ..< 9 {
            out[1 + bit] = mode & (0o400 >> UInt16(bit)) != 0 ? letters.utf8Start[bit] : UInt8(ascii: "-")
        }
        // setuid, setgid, sticky: lowercase over an x, uppercase over a -.
        let dash = UInt8(ascii: "-")
        if mode & 0o4000 != 0 { out[3] = out[3] == dash ? UInt8(ascii: "S") : UInt8(ascii: "s") }
        if mode & 0o2000 != 0 { out[6] = out[6] == dash ? UInt8(ascii: "S") : UInt8(ascii: "s") }
        if mode & 0o1000 != 0 { out[9] = out[9] == dash ? UInt8(ascii: "T") : UInt8(ascii: "t") }
    }
}
