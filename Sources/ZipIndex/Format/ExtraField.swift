/// Extra fields: a sequence of (tag, size, data) blocks after a header's
/// name (APPNOTE 4.5.1).
enum ExtraField {
    /// ZIP64 extended information (APPNOTE 4.5.3).
    static let zip64ExtendedInformation: UInt16 = 0x0001
    /// NTFS times (APPNOTE 4.5.5).
    static let ntfs: UInt16 = 0x000A
    /// Info-ZIP extended timestamp ("UT", APPNOTE 4.6.?, Info-ZIP extrafld.txt).
    static let extendedTimestamp: UInt16 = 0x5455
    /// Info-ZIP Unicode Path ("up", APPNOTE 4.6.9).
    static let unicodePath: UInt16 = 0x7075

    /// The data of the first block tagged `tag`, or nil.
    ///
    /// A block whose size runs past the end of the extra field ends the walk,
    /// as in Go: padding written by some tools (zipalign) is not an error.
    static func find(_ tag: UInt16, in extra: ByteView) -> ByteView? {
        var found: ByteView?
        walk(extra) { id, data in
            if id == tag { found = data }
            return found == nil
        }
        return found
    }

    /// Calls `body` with each whole block, in order, until it returns
    /// false; returns how many bytes at the end make no whole block (a block
    /// whose size runs past the end stops the walk there).
    @discardableResult @inline(__always)
    static func walk(_ extra: ByteView, _ body: (UInt16, ByteView) -> Bool) -> Int {
        var position = 0
        while extra.count - position >= 4 {
            let id: UInt16 = extra.load(at: position)
            let size = Int(extra.load(at: position + 2, as: UInt16.self))
            let start = position + 4
            guard size <= extra.count - start else { break }
            guard body(id, extra.extracting(start ..< start + size)) else { return 0 }
            position = start + size
        }
        return extra.count - position
    }

    /// What one walk of an extra field finds about the fields a header may
    /// hold only once (two ZIP64 or two Unicode Path fields could be read
    /// either way): how many of each, and the first Unicode Path field.
    struct Census {
        var zip64Fields = 0
        var unicodePathFields = 0
        var unicodePath: ByteView?
    }

    static func census(_ extra: ByteView) -> Census {
        var census = Census()
        walk(extra) { id, data in
            if id == zip64ExtendedInformation {
                census.zip64Fields += 1
            } else if id == unicodePath {
                census.unicodePathFields += 1
                if census.unicodePath == nil { census.unicodePath = data }
            }
            return true
        }
        return census
    }

    /// The UTF-8 name from an Info-ZIP Unicode Path field (APPNOTE 4.6.9),
    /// used only if its CRC-32 matches the raw name: a mismatch means the
    /// name was changed by a tool that did not update the field.
    static func unicodePath(in extra: ByteView, rawName: ByteView) -> ByteView? {
        guard let field = find(unicodePath, in: extra), field.count >= 5, field[0] == 1 else { return nil }
        guard field.load(at: 1, as: UInt32.self) == CRC32.checksum(rawName) else { return nil }
        let name = field.extracting(from: 5)
        return UTF8Validation.isValid(name) ? name : nil
    }
}
