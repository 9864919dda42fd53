import ZipIndex

/// One archive's central directory as read at one moment, with what is
/// needed to decide later whether it still describes the file.
final class ArchiveTable: Sendable {
    let archive: ZipArchive
    /// The identity of the file as it was opened (fstat).
    let stamp: FileIdentity?
    /// Whether the file changed within one timestamp tick of the read, so
    /// that an unchanged identity would not prove the table current (Git's
    /// racy-clean rule). Such a table is re-read on revalidation.
    let racy: Bool
    /// Every member name cut before each "." of its last component
    /// (`a/mod.cpython-313.so` gives `a/mod` and `a/mod.cpython-313`): a
    /// module candidate `p + suffix`, for a suffix starting with ".", can
    /// only exist if `p` is here. With the archive's directory index (a
    /// package candidate `p/__init__.py` can only exist if directory `p`
    /// does), a miss costs two probes and no lookup of a member.
    let stems: ByteStringSet

    init(archive: ZipArchive, stamp: FileIdentity?, readTimeNs: Int64, granularityNs: Int64) {
        self.archive = archive
        self.stamp = stamp
        racy = stamp.map { $0.isRacy(readAtNs: readTimeNs, granularityNs: granularityNs) } ?? true
        var stems = ByteStringSet(minimumCapacity: archive.count)
        archive.forEachUTF8Name { _, name in
            var index = name.count
            while index > 0, name[index - 1] != UInt8(ascii: "/") { index -= 1 }
            while index < name.count {
                if name[index] == UInt8(ascii: ".") { stems.insert(name.extracting(0 ..< index)) }
                index += 1
            }
        }
        self.stems = stems
    }
}
