import ZipIndex

extension ZipEntry {
    /// ``ZipEntry/withUTF8Name(_:)`` for bodies that write output.
    ///
    /// `withUTF8Name` rethrows untyped errors; this keeps the body's typed
    /// `OutputError`, so the per-entry hot loops stay in typed throws (no
    /// error boxing) without a `do`/`catch` at every call.
    @inline(__always)
    func withName<R>(_ body: (UnsafeRawBufferPointer) throws(OutputError) -> R) throws(OutputError) -> R {
        let result: Result<R, OutputError> = withUTF8Name { name in
            Result { () throws(OutputError) in try body(name) }
        }
        return try result.get()
    }
}
