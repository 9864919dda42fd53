import ZipIndex

extension ZipEntry {
    /// ``ZipEntry/withUTF8Name(_:)`` for bodies that write output.
    @inline(__always)
    func withName<R>(_ body: (Span<UInt8>) throws(OutputError) -> R) throws(OutputError) -> R {
        try withUTF8Name(body)
    }
}
