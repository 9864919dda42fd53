import Foundation
import Synchronization
import Testing
@testable import Importer
import ZipIndex

/// A scratch directory for one test, removed when the value goes away.
final class Scratch: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "importer-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name`, creating parent directories.
    @discardableResult
    func write(_ name: String, _ text: String = "") throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    func makeDirectory(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
        return file(name)
    }
}

/// The repository's Fixtures directory.
enum Fixture {
    static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }
}

struct CommandFailed: Error, CustomStringConvertible {
    let description: String
}

/// Runs a program and returns its standard output; throws if it exits non-zero.
@discardableResult
func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailed(description: "\(arguments.prefix(3)) exited \(process.terminationStatus): "
            + String(decoding: errorData, as: UTF8.self))
    }
    return data
}

/// CPython 3.13.0, as pinned by the project.
let python313 = ["PYENV_VERSION": "3.13.0"]

/// Compression of generated members.
enum Compression: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case stored, deflated
    var testDescription: String { rawValue }
}

/// One member of a generated archive: a file with content, or a directory
/// entry (name ending in "/", content nil), as CPython's test_zipimport
/// `files` dictionaries.
struct Member: Sendable {
    var name: String
    var content: [UInt8]?

    static func file(_ name: String, _ text: String = "") -> Member { Member(name: name, content: Array(text.utf8)) }
    static func bytes(_ name: String, _ bytes: [UInt8]) -> Member { Member(name: name, content: bytes) }
    static func directory(_ name: String) -> Member { Member(name: name.hasSuffix("/") ? name : name + "/", content: nil) }
}

private let zipWriterScript = #"""
import json, sys, zipfile
spec = json.load(open(sys.argv[1]))
comp = zipfile.ZIP_DEFLATED if spec["compression"] == "deflated" else zipfile.ZIP_STORED
with zipfile.ZipFile(spec["out"], spec["mode"], compression=comp) as z:
    for name, data in spec["members"]:
        info = zipfile.ZipInfo(name, (2020, 1, 2, 3, 4, 6))
        info.compress_type = comp
        if data is None:
            info.CRC = 0
            z.mkdir(info)
        else:
            z.writestr(info, bytes.fromhex(data))
    if spec["comment"] is not None:
        z.comment = bytes.fromhex(spec["comment"])
if spec["stuff"]:
    with open(spec["out"], "rb") as f:
        data = f.read()
    with open(spec["out"], "wb") as f:
        f.write(bytes.fromhex(spec["stuff"]) + data)
"""#

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Writes an archive with Python's zipfile (as CPython's test_zipimport
/// does), optionally appending to an existing one, with a comment and with
/// junk prepended (offsets not adjusted).
func makeZip(_ path: String, _ members: [Member], compression: Compression = .stored, append: Bool = false,
             comment: [UInt8]? = nil, stuff: [UInt8]? = nil) throws {
    let spec: [String: Any] = [
        "out": path,
        "mode": append ? "a" : "w",
        "compression": compression.rawValue,
        "members": members.map { [$0.name, $0.content.map(hex) as Any] },
        "comment": comment.map(hex) as Any,
        "stuff": stuff.map(hex) as Any,
    ]
    let specPath = path + ".spec.json"
    try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: specPath))
    defer { try? FileManager.default.removeItem(atPath: specPath) }
    try run(["python3", "-c", zipWriterScript, specPath])
}

/// Sets a file's access and modification times (`utimensat`), in ns since the epoch.
func setTimes(_ path: String, modificationNs: Int64) throws {
    var times = [
        timespec(tv_sec: Int(modificationNs / 1_000_000_000), tv_nsec: Int(modificationNs % 1_000_000_000)),
        timespec(tv_sec: Int(modificationNs / 1_000_000_000), tv_nsec: Int(modificationNs % 1_000_000_000)),
    ]
    guard utimensat(AT_FDCWD, path, &times, 0) == 0 else {
        throw CommandFailed(description: "utimensat \(path): errno \(errno)")
    }
}

/// Moves a file's times back by `seconds`, so that a cache that reads it now
/// is not racy (its ctime still moves; wait for that with `settle`).
func age(_ path: String, seconds: Int64 = 3600) throws {
    guard let stamp = FileIdentity.of(path: path) else { throw CommandFailed(description: "no \(path)") }
    try setTimes(path, modificationNs: stamp.modificationTimeNs - seconds * 1_000_000_000)
}

/// Sleeps long enough for the kernel's coarse timestamp clock to tick.
func settle() { usleep(30_000) }

/// Rewrites a file in place (same inode, no truncation first).
func overwriteInPlace(_ path: String, with bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY)
    guard fd >= 0 else { throw CommandFailed(description: "open \(path)") }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count, ftruncate(fd, off_t(bytes.count)) == 0 else {
        throw CommandFailed(description: "write \(path)")
    }
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Expects `body` to throw an `ImporterError` with `code`, and returns it.
@discardableResult
func expectImporterError<T>(_ code: ImporterError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> T) -> ImporterError? {
    do {
        let value = try body()
        Issue.record("expected ImporterError \(code), got \(value)", sourceLocation: sourceLocation)
    } catch let error as ImporterError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected ImporterError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A file system whose chosen paths have frozen stamps, and a wall clock the
/// test sets: the way to show coarse timestamp granularity
/// deterministically, since a real kernel always moves ctime.
final class FakeFileSystem: Sendable {
    private let frozen = Mutex<[SystemPath: FileIdentity]>([:])
    private let wallClock = Mutex<Int64?>(nil)
    private let stats = Atomic<Int>(0)
    /// The monotonic clock: starts at the real one, then moves 1 ns per
    /// reading (so readings stay ordered) plus what the test adds.
    private let monotonic = Atomic<Int64>(FileSystemEnvironment.live.monotonicNs())

    /// Moves the monotonic clock (time-to-live) forward.
    func advanceMonotonicClock(by duration: Duration) {
        monotonic.wrappingAdd(duration.saturatingNanoseconds, ordering: .relaxed)
    }

    /// Freezes the stamp of `path` (canonical) at its current value.
    @discardableResult
    func freeze(_ path: String) throws -> FileIdentity {
        let canonical = PathSplitting.canonical(SystemPath(path))
        guard let stamp = FileIdentity.of(path: canonical) else { throw CommandFailed(description: "no \(path)") }
        frozen.withLock { $0[canonical] = stamp }
        return stamp
    }

    /// Sets the wall clock to `offsetNs` after the newest time of `stamp`.
    func setClock(after stamp: FileIdentity, byNs offsetNs: Int64) {
        wallClock.withLock { $0 = stamp.newestTimeNs + offsetNs }
    }

    var statCount: Int { stats.load(ordering: .relaxed) }

    var environment: FileSystemEnvironment {
        FileSystemEnvironment(
            statPath: { path in
                self.stats.wrappingAdd(1, ordering: .relaxed)
                let key = path.isAbsolute ? path : PathSplitting.canonical(path)
                if let stamp = self.frozen.withLock({ $0[key] }) {
                    return FileIdentity.of(path: path) == nil ? nil : stamp
                }
                return FileIdentity.of(path: path)
            },
            stampOfOpened: { archive, path in
                if let stamp = self.frozen.withLock({ $0[path] }) { return stamp }
                return archive.fileIdentity
            },
            wallClockNs: { self.wallClock.withLock { $0 } ?? FileSystemEnvironment.live.wallClockNs() },
            monotonicNs: { self.monotonic.wrappingAdd(1, ordering: .relaxed).newValue }
        )
    }

    func cache(granularity: Duration = .seconds(2)) -> ImportCache {
        ImportCache(timestampGranularity: granularity, environment: environment)
    }
}
