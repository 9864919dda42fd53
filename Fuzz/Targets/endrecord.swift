// Fuzz target 3: the end of central directory record and the ZIP64 locator
// and record alone: `CentralDirectoryLocation.locate(in:)` over bytes in
// memory, then the invariants its callers rely on.
//
// Structure-aware: LLVMFuzzerCustomMutator below finds the end record (and
// any ZIP64 locator and record) and rewrites one field at a time with the
// values that matter (0, 0xFFFF, 0xFFFFFFFF, 2^64 - 1, offsets that point at
// or near the records themselves), inserts ZIP64 records and stray
// signatures, and leaves the other half of the mutations to libFuzzer's own
// mutator, which also uses Fuzz/zip.dict.

import CFuzzerMutate

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEndRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exerciseEndRecord(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

func violated(_ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz invariant violated: \(message())", file: file, line: line)
}

func exerciseEndRecord(_ bytes: [UInt8]) {
    let source = ByteSource(bytes: bytes)
    let location: CentralDirectoryLocation
    let tail: CentralDirectoryLocation.Tail
    do {
        (location, tail) = try CentralDirectoryLocation.locate(in: source)
    } catch {
        _ = error.code
        return
    }
    let size = UInt64(bytes.count)
    let end = location.endRecordOffset
    guard end <= size, size - end >= UInt64(EndOfCentralDirectory.length + location.comment.count) else {
        violated("end record at \(end) with a \(location.comment.count)-byte comment in \(size) bytes")
    }
    let (directoryEnd, overflow) = location.directoryOffset.addingReportingOverflow(location.directorySize)
    guard !overflow, directoryEnd <= end else {
        violated("directory \(location.directoryOffset)+\(location.directorySize) does not end before the end record at \(end)")
    }
    guard location.prependedBytes <= location.directoryOffset else {
        violated("prepended \(location.prependedBytes) past the directory at \(location.directoryOffset)")
    }
    guard location.isZip64 || location.declaredEntryCount <= 0xFFFF else {
        violated("zip32 archive declaring \(location.declaredEntryCount) entries")
    }
    guard tail.offset <= size, UInt64(tail.bytes.count) == size - tail.offset else {
        violated("tail of \(tail.bytes.count) bytes at \(tail.offset) in \(size) bytes")
    }
    if location.directorySize > 0 {
        // A non-empty directory was accepted because a central header
        // signature is at its offset (resolveBase's hasHeader).
        let at = Int(location.directoryOffset)
        guard at + 4 <= bytes.count, bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x01, bytes[at + 3] == 0x02 else {
            violated("no central header at the directory offset \(at)")
        }
    }
}

// MARK: - Structure-aware mutator

/// SplitMix64, seeded by libFuzzer so that mutations are reproducible.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

enum Signature {
    static let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let zip64End: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
    static let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
    static let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
}

extension Array where Element == UInt8 {
    func has(_ signature: [UInt8], at i: Int) -> Bool {
        i >= 0 && i + 4 <= count && self[i] == signature[0] && self[i + 1] == signature[1]
            && self[i + 2] == signature[2] && self[i + 3] == signature[3]
    }
    func load(_ i: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0 ..< width where i + k < count { value |= UInt64(self[i + k]) << (8 * UInt64(k)) }
        return value
    }
    mutating func store(_ value: UInt64, at i: Int, width: Int) {
        for k in 0 ..< width where i + k >= 0 && i + k < count { self[i + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
    }
    static func le(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0 ..< width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
    /// The end record the parser would take: the last signature within 22 + 65,535 bytes of the end.
    func endRecordPosition() -> Int? {
        var i = count - 22
        let lowest = Swift.max(0, count - 22 - 0xFFFF)
        while i >= lowest {
            if has(Signature.end, at: i) { return i }
            i -= 1
        }
        return nil
    }
}

func interesting(width: Int, near anchors: [UInt64], _ random: inout Random) -> UInt64 {
    let mask: UInt64 = width == 8 ? .max : (1 << UInt64(8 * width)) - 1
    let value: UInt64
    switch random.below(8) {
    case 0: value = random.pick([0, 1, 2, 44, 45, 46, 56, 0x7F, 0x80, 0xFF, 0x100])
    case 1: value = mask &- UInt64(random.below(3))  // 0xFFFF, 0xFFFFFFFF, 2^64 - 1 and just below
    case 2: value = random.pick([0x7FFF, 0x8000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
                                 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, UInt64.max - 255, UInt64.max - 0xFFFF])
    case 3, 4, 5: value = random.pick(anchors.isEmpty ? [0] : anchors) &+ UInt64(bitPattern: Int64(random.below(17) - 8))
    case 6: value = random.pick(anchors.isEmpty ? [0] : anchors)
    default: value = random.next()
    }
    return value & mask
}

/// A file offset or length as a field value; never traps on a negative.
func u(_ value: Int) -> UInt64 { UInt64(Swift.max(0, value)) }

/// One structural edit; returns false when it did nothing.
func structuralMutation(_ bytes: inout [UInt8], _ random: inout Random, maxSize: Int) -> Bool {
    guard let end = bytes.endRecordPosition() else {
        // No end record: add one, somewhere near the end.
        let count = UInt64(random.below(4))
        let directoryOffset = UInt64(random.below(bytes.count + 1))
        let record = Signature.end + [UInt8].le(0, 4) + [UInt8].le(count, 2) + [UInt8].le(count, 2)
            + [UInt8].le(UInt64(bytes.count) - directoryOffset, 4) + [UInt8].le(directoryOffset, 4) + [UInt8].le(0, 2)
        let at = random.chance(80) ? bytes.count : Swift.max(0, bytes.count - random.below(64))
        bytes.insert(contentsOf: record, at: at)
        return true
    }
    let locatorAt = end - 20
    let hasLocator = bytes.has(Signature.zip64Locator, at: locatorAt)
    let recordAt: Int? = {
        guard hasLocator else { return nil }
        let stated = bytes.load(locatorAt + 8, width: 8)
        if stated < UInt64(bytes.count), bytes.has(Signature.zip64End, at: Int(stated)) { return Int(stated) }
        return bytes.has(Signature.zip64End, at: locatorAt - 56) ? locatorAt - 56 : nil
    }()
    let centralAt: Int? = {
        var i = 0
        while i + 4 <= end {
            if bytes.has(Signature.central, at: i) { return i }
            i += 1
        }
        return nil
    }()
    let directoryEnd = recordAt ?? end
    var anchors: [UInt64] = [u(end), u(bytes.count), u(directoryEnd), u(locatorAt)]
    if let centralAt {
        anchors += [u(centralAt), u(directoryEnd - centralAt)]
    }
    if let recordAt { anchors.append(u(recordAt)) }

    switch random.below(10) {
    case 0, 1, 2:
        // One end-record field.
        let fields: [(offset: Int, width: Int)] = [(4, 2), (6, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)]
        let field = random.pick(fields)
        var value = interesting(width: field.width, near: anchors, &random)
        if field.offset == 20, random.chance(50) {
            value = u(bytes.count - end - 22 + random.below(3) - 1) & 0xFFFF
        }
        bytes.store(value, at: end + field.offset, width: field.width)
        if field.offset == 10, random.chance(50) { bytes.store(value, at: end + 8, width: 2) }
    case 3:
        // Make the end record consistent with a directory that starts at a
        // central header (or anywhere) and ends at the end record, with or
        // without prepended data.
        let start = centralAt ?? random.below(end + 1)
        let base = random.chance(70) ? 0 : random.below(start + 1)
        bytes.store(0, at: end + 4, width: 4)
        let count = UInt64(random.below(5))
        bytes.store(count, at: end + 8, width: 2)
        bytes.store(count, at: end + 10, width: 2)
        bytes.store(u(directoryEnd - start), at: end + 12, width: 4)
        bytes.store(u(start - base), at: end + 16, width: 4)
    case 4:
        // Add a ZIP64 record and locator before the end record, mostly
        // consistent, and saturate the end record's fields.
        guard !hasLocator else { return false }
        let start = u(centralAt ?? random.below(end + 1))
        let count = UInt64(random.below(5))
        let recordOffset = u(end)
        var record = Signature.zip64End + [UInt8].le(44, 8) + [UInt8].le(45, 2) + [UInt8].le(45, 2)
            + [UInt8].le(0, 4) + [UInt8].le(0, 4) + [UInt8].le(count, 8) + [UInt8].le(count, 8)
            + [UInt8].le(recordOffset - start, 8) + [UInt8].le(start, 8)
        if random.chance(30) {
            let field = random.pick([(4, 8), (16, 4), (20, 4), (24, 8), (32, 8), (40, 8), (48, 8)])
            record.store(interesting(width: field.1, near: anchors + [recordOffset], &random), at: field.0, width: field.1)
        }
        let locator = Signature.zip64Locator + [UInt8].le(0, 4)
            + [UInt8].le(random.chance(80) ? recordOffset : interesting(width: 8, near: anchors, &random), 8)
            + [UInt8].le(1, 4)
        bytes.insert(contentsOf: record + locator, at: end)
        let newEnd = end + record.count + locator.count
        if random.chance(80) {
            bytes.store(0xFFFF, at: newEnd + 8, width: 2)
            bytes.store(0xFFFF, at: newEnd + 10, width: 2)
            bytes.store(0xFFFF_FFFF, at: newEnd + 12, width: 4)
            bytes.store(0xFFFF_FFFF, at: newEnd + 16, width: 4)
        } else {
            let field = random.pick([(8, 2), (10, 2), (12, 4), (16, 4)])
            bytes.store(field.1 == 2 ? 0xFFFF : 0xFFFF_FFFF, at: newEnd + field.0, width: field.1)
        }
    case 5:
        // One locator field.
        guard hasLocator else { return false }
        let field = random.pick([(4, 4), (8, 8), (8, 8), (16, 4)])
        bytes.store(interesting(width: field.1, near: anchors + [u(locatorAt - 56)], &random),
                    at: locatorAt + field.0, width: field.1)
    case 6, 7:
        // One ZIP64 record field.
        guard let recordAt else { return false }
        let field = random.pick([(4, 8), (16, 4), (20, 4), (24, 8), (32, 8), (40, 8), (48, 8)])
        bytes.store(interesting(width: field.1, near: anchors, &random), at: recordAt + field.0, width: field.1)
        if field.0 == 32, random.chance(50) { bytes.store(bytes.load(recordAt + 32, width: 8), at: recordAt + 24, width: 8) }
    case 8:
        // A stray signature somewhere near the records.
        let signature = random.pick([Signature.end, Signature.zip64End, Signature.zip64Locator, Signature.central, Signature.local])
        let at = Swift.max(0, end - random.below(120))
        if random.chance(50), at + 4 <= bytes.count {
            bytes.replaceSubrange(at ..< at + 4, with: signature)
        } else {
            bytes.insert(contentsOf: signature, at: at)
        }
    default:
        // Grow or shrink what follows the end record (its comment).
        if random.chance(50), bytes.count > end + 22 {
            bytes.removeSubrange((end + 22 + random.below(bytes.count - end - 22)) ..< bytes.count)
        } else {
            bytes.append(contentsOf: (0 ..< random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        if random.chance(70) { bytes.store(u(bytes.count - end - 22), at: end + 20, width: 2) }
    }
    return bytes.count <= maxSize
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var random = Random(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
    if random.chance(50) {
        return LLVMFuzzerMutate(data, size, maxSize)
    }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for _ in 0 ... random.below(3) {
        var attempt = bytes
        if structuralMutation(&attempt, &random, maxSize: maxSize) { bytes = attempt }
    }
    guard !bytes.isEmpty, bytes.count <= maxSize, bytes != Array(UnsafeBufferPointer(start: data, count: size)) else {
        return LLVMFuzzerMutate(data, size, maxSize)
    }
    bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: $0.count) }
    return bytes.count
}
