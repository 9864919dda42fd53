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
    /// Every directory, explicit or implied by deeper names, without its
    /// trailing "/": the namespace check of a warm miss must not allocate.
    /// A package candidate `p/__init__.py` can only exist if `p` is here.
    let directories: ByteStringSet
    /// Every member name cut before each "." of its last component
    /// (`a/mod.cpython-313.so` gives `a/mod` and `a/mod.cpython-313`): a
    /// module candidate `p + suffix`, for a suffix starting with ".", can
    /// only exist if `p` is here. With `directories`, a miss costs two
    /// probes of these compact sets and no lookup in the archive's index.
    let stems: ByteStringSet

    init(archive: ZipArchive, stamp: FileIdentity?, readTimeNs: Int64, granularityNs: Int64) {
        self.archive = archive
        self.stamp = stamp
        racy = stamp.map { $0.isRacy(readAtNs: readTimeNs, granularityNs: granularityNs) } ?? true
        var directories = ByteStringSet(minimumCapacity: 16)
        var stems = ByteStringSet(minimumCapacity: archive.count)
        for entry in archive.entries {
            entry.withUTF8Name { name in
                var index = 0
                var lastComponent = 0
                while index < name.count {
                    if name[index] == UInt8(ascii: "/") {
                        directories.insert(UnsafeRawBufferPointer(rebasing: name[0 ..< index]))
                        lastComponent = index + 1
                    }
                    index += 1
                }
                index = lastComponent
                while index < name.count {
                    if name[index] == UInt8(ascii: ".") {
                        stems.insert(UnsafeRawBufferPointer(rebasing: name[0 ..< index]))
                    }
                    index += 1
                }
            }
        }
        self.directories = directories
        self.stems = stems
    }
}
