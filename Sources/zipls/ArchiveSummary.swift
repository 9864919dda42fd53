import ZipIndex

/// What `zipls info` reports: figures about the whole archive, gathered in
/// one pass over the central directory, without reading any entry data.
struct ArchiveSummary {
    var entryCount = 0
    var uncompressedSize: UInt64 = 0
    var compressedSize: UInt64 = 0
    /// Entries per compression method, by method number.
    var methods: [UInt16: Int] = [:]
    var encryptedEntries = 0
    /// Entries whose name a later entry repeats. Lookups find the last one
    /// (as Python's zipfile does), so these are the ones hidden.
    var duplicateNames = 0
    /// Entries whose data overlaps another's: an overlapping-entry zip bomb
    /// (``ZipArchive/overlappingEntries``). Reading them fails.
    var overlappingEntries = 0

    init(_ archive: ZipArchive) {
        overlappingEntries = archive.overlappingEntries.count
        for entry in archive.entries {
            entryCount += 1
            uncompressedSize &+= entry.uncompressedSize
            compressedSize &+= entry.compressedSize
            methods[entry.method.rawValue, default: 0] += 1
            if entry.isEncrypted { encryptedEntries += 1 }
            entry.withUTF8Name { name in
                // The name index answers with the last entry of a name.
                if archive.entry(utf8Name: name)?.index != entry.index { duplicateNames += 1 }
            }
        }
    }

    /// The methods used, by method number.
    var methodsInOrder: [(method: CompressionMethod, entries: Int)] {
        methods.keys.sorted().map { (CompressionMethod(rawValue: $0), methods[$0] ?? 0) }
    }
}
