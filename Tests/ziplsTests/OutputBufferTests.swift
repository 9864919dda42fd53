import Foundation
import Testing
@testable import zipls

@Suite("Output buffer and JSON writing")
struct OutputBufferTests {
    private func collect(capacity: Int = 64, _ body: (OutputBuffer) throws(OutputError) -> Void) throws -> [UInt8] {
        let buffer = OutputBuffer(collectingWithCapacity: capacity)
        try body(buffer)
        try buffer.flush()
        return buffer.collected
    }

    private func text(capacity: Int = 64, _ body: (OutputBuffer) throws(OutputError) -> Void) throws -> String {
        String(decoding: try collect(capacity: capacity, body), as: UTF8.self)
    }

    @Test func writesLongerThanTheBufferArriveWholeAndInOrder() throws {
        let big = String((0 ..< 1000).map { Character(UnicodeScalar(UInt8(0x21 + $0 % 90))) })
        let bytes = try collect { (out) throws(OutputError) in
            try out.write("head" as StaticString)
            try out.write(big)  // larger than the capacity
            try out.write(repeating: UInt8(ascii: "x"), times: 150)
            try out.write(byte: UInt8(ascii: "!"))
        }
        #expect(bytes == Array("head".utf8) + Array(big.utf8) + Array(repeating: UInt8(ascii: "x"), count: 150) + [UInt8(ascii: "!")])
    }

    @Test func numbersAreFormattedWithPaddingAndExactDigits() throws {
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: UInt64(0)) } == "0")
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: UInt64.max) } == "18446744073709551615")
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: UInt64(42), width: 5) } == "   42")
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: UInt64(123456), width: 3) } == "123456")
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: Int64(-7), width: 4) } == "  -7")
        #expect(try text { (out) throws(OutputError) in try out.write(decimal: Int64.min) } == "-9223372036854775808")
        #expect(try text { (out) throws(OutputError) in try out.write(hex32: 0x0a1b_2c3d) } == "0a1b2c3d")
        #expect(try text { (out) throws(OutputError) in try out.write(hex32: 0xFFFF_FFFF) } == "ffffffff")
        #expect(try text { (out) throws(OutputError) in try out.write(twoDigits: 7) } == "07")
        #expect(OutputBuffer.decimalWidth(9) == 1 && OutputBuffer.decimalWidth(10) == 2)
    }

    @Test func jsonStringsEscapeQuotesBackslashesAndEveryControlCharacter() throws {
        #expect(try text { (out) throws(OutputError) in try out.writeJSONString("a\"b\\c/d") } == #""a\"b\\c/d""#)
        #expect(try text { (out) throws(OutputError) in try out.writeJSONString("\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}") }
            == #""\n\r\t\b\f\u0001\u001f"# + "\u{7F}\"")
        #expect(try text { (out) throws(OutputError) in try out.writeJSONString("café 世界 😀") } == "\"café 世界 😀\"")
    }

    @Test func jsonStringsRoundTripThroughAParser() throws {
        var everything = (0 ..< 0x80).map { String(UnicodeScalar(UInt8($0))) }.joined()
        everything += "é€😀\u{2028}\u{FEFF}"
        let long = String(repeating: everything, count: 20)  // far more than the buffer: written in pieces
        for sample in [everything, long, "", "\"", "\\"] {
            let bytes = try collect { (out) throws(OutputError) in try out.writeJSONString(sample) }
            #expect(try parseJSON(bytes) as? String == sample)
        }
    }

    @Test func closedPipeIsReportedAsBrokenPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        signal(SIGPIPE, SIG_IGN)  // as zipls does in main
        let buffer = OutputBuffer(fileDescriptor: fds[1], capacity: 64)
        defer { close(fds[1]) }
        try buffer.write("data" as StaticString)
        #expect(throws: OutputError.brokenPipe) { try buffer.flush() }
    }
}
