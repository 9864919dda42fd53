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
        try writeAll(descriptor, bytes.span)
    }

    /// Writes all of `bytes` to `descriptor`.
    package static func writeAll(_ descriptor: CInt, _ bytes: Span<UInt8>) throws(SystemError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try writeAll(descriptor, buffer) }
        }.get()
    }

    /// Every byte from the current position to the end of the file.
    /// `sizeHint` (from `fstat`, say) reserves room; it is not trusted.
    package static func readToEnd(_ descriptor: CInt, sizeHint: Int = 0) throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, min(sizeHint, 1 << 30)))
        try forEachChunk(descriptor) { chunk in chunk.withUnsafeBufferPointer { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// Copies everything from `source`'s position to its end into `target`:
    /// the number of bytes copied, or nil, having copied `limit` bytes or
    /// fewer, when there are more than `limit`. Errors name the operation
    /// ("read" or "write") that failed.
    package static func copyToEnd(from source: CInt, to target: CInt, limit: UInt64 = .max) throws(SystemError) -> UInt64? {
        var total: UInt64 = 0
        var exceeded = false
        try forEachChunk(source) { (chunk) throws(SystemError) in
            guard !exceeded else { return }
            total &+= UInt64(chunk.count)
            guard total <= limit else {
                exceeded = true
                return
            }
            try writeAll(target, chunk)
        }
        return exceeded ? nil : total
    }

    /// Calls `body` with each chunk `read(2)` returns until the end of the file.
    private static func forEachChunk(_ descriptor: CInt,
                                     _ body: (Span<UInt8>) throws(SystemError) -> Void) throws(SystemError) {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try read(descriptor, into: chunk)
            guard count > 0 else { return }
            try UnsafeRawBufferPointer(rebasing: chunk[0 ..< count]).withMemoryRebound(to: UInt8.self) { typed in
                Result { () throws(SystemError) in try body(typed.span) }
            }.get()
        }
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
