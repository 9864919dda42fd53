#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call: which operation, and the `errno` it left.
///
/// The modules of this package turn it into their own typed errors
/// (`ZipError`, `ImporterError`, zipls's messages); it never reaches a
/// library user as it is.
package struct SystemError: Error, Sendable, Equatable {
    /// What was being done, in words: "write", "link", "open".
    package let operation: String
    /// The `errno` the call left.
    package let code: CInt

    /// The failure of `operation` with `code`, by default the current `errno`.
    package init(_ operation: String, code: CInt = errno) {
        self.operation = operation
        self.code = code
    }

    /// The C library's sentence for the code: "No space left on device".
    package var message: String { String(cString: strerror(code)) }
}
