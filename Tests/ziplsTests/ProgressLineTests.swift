import Foundation
import Testing
@testable import zipls

@Suite("Progress line")
struct ProgressLineTests {
    /// Runs `body` with a progress line writing into a pipe; returns what
    /// it wrote.
    private func written(enabled: Bool, delay: Duration, _ body: (ProgressLine) -> Void) -> String {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let line = ProgressLine(label: "zipls: testing a.zip", totalBytes: 100, totalEntries: 2,
                                enabled: enabled, delay: delay, fileDescriptor: fds[1])
        body(line)
        close(fds[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0 ..< count]
        }
        close(fds[0])
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func drawsInPlaceOnceDueAndWipesItself() {
        let output = written(enabled: true, delay: .zero) { line in
            line.advance(bytes: 50)
            line.advance(bytes: 10)  // within the redraw interval: not drawn
            line.clear()
            line.clear()  // already wiped: nothing more
        }
        #expect(output == "\r\u{1B}[Kzipls: testing a.zip: 50% (0/2 entries)\r\u{1B}[K")
    }

    @Test func failedEntriesCountTheirBytesAsDone() {
        let output = written(enabled: true, delay: .zero) { line in
            line.finishEntry(remainingBytes: 75)
        }
        #expect(output == "\r\u{1B}[Kzipls: testing a.zip: 75% (1/2 entries)")
    }

    @Test func quickWorkShowsNothing() {
        let output = written(enabled: true, delay: .seconds(3600)) { line in
            line.advance(bytes: 100)
            line.finishEntry()
            line.clear()
        }
        #expect(output == "")
    }

    @Test func disabledWhenStderrIsNotATerminal() {
        let output = written(enabled: false, delay: .zero) { line in
            line.advance(bytes: 100)
            line.finishEntry()
            line.clear()
        }
        #expect(output == "")
    }
}
