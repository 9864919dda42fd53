/// Every directory in an archive, explicit or implied by deeper names:
/// `a/b/c.txt` implies `a/` and `a/b/`.
///
/// Python's zipimport and importlib need to know whether a directory exists
/// to find namespace packages, and many archives store no directory entries
/// at all (CPython gh-121111). Directory names are prefixes of entry names,
/// so the index stores spans of the file table's arena, not strings.
/// It is built on first use.
final class DirectoryIndex: Sendable {
    /// Arena spans, `start << 32 | length`, each ending with `/`.
    private let spans: [UInt64]
    private let index: NameIndex
    private let table: FileTable

    init(table: FileTable) {
        self.table = table
        let arena = table.arena.allBytes  // valid while `table` lives: it is a stored property
        var spans: [UInt64] = []
        // Upper bound for the scratch index: one directory per slash.
        let slashes = arena.reduce(into: 0) { count, byte in if byte == UInt8(ascii: "/") { count += 1 } }
        var scratch = NameIndex(expectedCount: slashes)
        for entry in 0 ..< table.count {
            let range = table.nameRange(entry)
            for position in range where arena[position] == UInt8(ascii: "/") {
                let span = UInt64(range.lowerBound) << 32 | UInt64(position + 1 - range.lowerBound)
                let prefix = Self.bytes(of: span, in: arena)
                let hash = NameIndex.hash(prefix)
                let known = scratch.find(hash: hash) { FileTable.bytesEqual(Self.bytes(of: spans[Int($0)], in: arena), prefix) }
                if known == nil {
                    scratch.insert(hash: hash, id: UInt32(spans.count)) { _ in false }
                    spans.append(span)
                }
            }
        }
        var index = NameIndex(expectedCount: spans.count)
        for (id, span) in spans.enumerated() {
            index.insert(hash: NameIndex.hash(Self.bytes(of: span, in: arena)), id: UInt32(id)) { _ in false }
        }
        self.spans = spans
        self.index = index
    }

    private static func bytes(of span: UInt64, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = Int(span >> 32)
        let length = Int(span & 0xFFFF_FFFF)
        return UnsafeRawBufferPointer(rebasing: arena[start ..< start + length])
    }

    var count: Int { spans.count }

    /// Whether `key`, which must end with `/`, names a directory.
    func contains(_ key: UnsafeRawBufferPointer) -> Bool {
        let hash = NameIndex.hash(key)
        let arena = table.arena.allBytes
        return index.find(hash: hash) { FileTable.bytesEqual(Self.bytes(of: spans[Int($0)], in: arena), key) } != nil
    }

    /// Every directory name, in the order first seen in the directory.
    var names: [String] {
        let arena = table.arena.allBytes
        return spans.map { String(decoding: Self.bytes(of: $0, in: arena), as: UTF8.self) }
    }
}
