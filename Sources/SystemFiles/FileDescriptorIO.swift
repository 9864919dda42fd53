#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The read and write loops every caller of `read(2)`, `pread(2)` and
/// `write(2)` needs: a call may move fewer bytes than asked, or be
/// interrupted by a signal (`EINTR`) before it moves any. Written once here,
/// so that no caller can forget either case.
package enum FileDescriptorIO {
    /// Writes all of `bytes` to `descriptor`.
    package static func writeAll(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written > 0 {
                next += written
                left -= written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                // write(2) returns 0 only for a zero count; treat it as EIO
                // rather than loop forever.
                throw SystemError("write", code: written < 0 ? errno : EIO)
            }
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    package static func writeAll(_ descriptor: CInt, _ bytes: [UInt8]) throws(SystemError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try writeAll(descriptor, buffer) }
        }.get()
    }

    /// One `read(2)` into `buffer`, retried when interrupted: the number of
    /// bytes read, 0 at the end of the file.
    package static func read(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        while true {
            let count = Platform.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            guard errno == EINTR else { throw SystemError("read") }
        }
    }

    /// Fills `buffer` from `offset` with `pread(2)`: the number of bytes
    /// read, fewer than `buffer.count` only where the file ends.
    package static func readFully(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer,
                                  at offset: off_t) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, base + done, buffer.count - done, offset + off_t(done))
            if count > 0 {
                done += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                throw SystemError("read")
            }
        }
        return done
    }
}
