import Foundation
import Glibc
import SystemFiles
import Testing

/// The write-then-link file shared by extraction, `write_module` and the
/// standard-input spool, on both of its paths: `O_TMPFILE`, and the
/// temporary name of a file system without it.
@Suite("Unnamed files")
struct UnnamedFileTests {
    /// A scratch directory and its descriptor.
    final class Directory {
        let path: String
        let descriptor: CInt
        init() throws {
            path = NSTemporaryDirectory() + "unnamed-file-tests-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        deinit {
            close(descriptor)
            try? FileManager.default.removeItem(atPath: path)
        }
        var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        func contents(_ name: String) -> String? {
            FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    static func write(_ file: borrowing UnnamedFile, _ text: String) throws {
        try FileDescriptorIO.writeAll(file.descriptor, Array(text.utf8))
    }

    @Test(arguments: [false, true])
    func aFileHasItsNameOnlyOnceLinked(named: Bool) throws {
        let directory = try Directory()
        do {
            let file = try UnnamedFile(in: directory.descriptor, hint: "a.txt", named: named)
            try Self.write(file, "hello")
            // Before the link: no name at all, or only the hidden one.
            #expect(directory.names.allSatisfy { $0.hasPrefix(".a.txt.zipindex-") })
            #expect(directory.names.count == (named ? 1 : 0))
            try file.link(as: "a.txt", replacing: false)
        }
        #expect(directory.names == ["a.txt"])
        #expect(directory.contents("a.txt") == "hello")
    }

    @Test(arguments: [false, true])
    func aFileNeverLinkedLeavesNothing(named: Bool) throws {
        let directory = try Directory()
        do {
            let file = try UnnamedFile(in: directory.descriptor, hint: "gone", named: named)
            try Self.write(file, "partial")
        }
        #expect(directory.names == [])
    }

    @Test(arguments: [false, true])
    func anExistingNameIsKeptUnlessReplacing(named: Bool) throws {
        let directory = try Directory()
        FileManager.default.createFile(atPath: directory.path + "/x", contents: Data("old".utf8))
        do {
            let file = try UnnamedFile(in: directory.descriptor, hint: "x", named: named)
            try Self.write(file, "new")
            #expect(throws: UnnamedFile.LinkError.exists) { try file.link(as: "x", replacing: false) }
        }
        #expect(directory.contents("x") == "old")
        #expect(directory.names == ["x"])
        do {
            let file = try UnnamedFile(in: directory.descriptor, hint: "x", named: named)
            try Self.write(file, "new")
            try file.link(as: "x", replacing: true)
        }
        #expect(directory.contents("x") == "new")
        #expect(directory.names == ["x"])
    }

    @Test(arguments: [false, true])
    func aDirectoryIsNeverReplaced(named: Bool) throws {
        let directory = try Directory()
        try FileManager.default.createDirectory(atPath: directory.path + "/d/inner", withIntermediateDirectories: true)
        do {
            let file = try UnnamedFile(in: directory.descriptor, hint: "d", named: named)
            #expect(throws: UnnamedFile.LinkError.isDirectory) { try file.link(as: "d", replacing: true) }
        }
        #expect(directory.names == ["d"])
        #expect(FileManager.default.fileExists(atPath: directory.path + "/d/inner"))
    }

    @Test func droppingTheNameKeepsTheFileReadable() throws {
        let directory = try Directory()
        var file = try UnnamedFile(in: directory.descriptor, hint: "spool", readable: true, named: true)
        #expect(directory.names.count == 1)
        file.dropName()
        #expect(directory.names == [])
        try Self.write(file, "spooled")
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = try buffer.withUnsafeMutableBytes { try FileDescriptorIO.readFully(file.descriptor, into: $0, at: 0) }
        #expect(String(decoding: buffer[..<count], as: UTF8.self) == "spooled")
    }

    @Test func aFullDeviceIsAnErrorNotALoop() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0)
        defer { close(full) }
        #expect(throws: SystemError("write", code: ENOSPC)) { try FileDescriptorIO.writeAll(full, Array("x".utf8)) }
    }

    @Test func readingFullyStopsWhereTheFileEnds() throws {
        let directory = try Directory()
        FileManager.default.createFile(atPath: directory.path + "/f", contents: Data("0123456789".utf8))
        let fd = open(directory.path + "/f", O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { try FileDescriptorIO.readFully(fd, into: $0, at: 6) } == 4)
        #expect(try buffer.withUnsafeMutableBytes { try FileDescriptorIO.readFully(fd, into: $0, at: 0) } == 8)
        #expect(try buffer.withUnsafeMutableBytes { try FileDescriptorIO.readFully(fd, into: $0, at: 20) } == 0)
    }
}
