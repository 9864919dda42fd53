import Foundation
import Testing

/// What one run of a program produced.
struct RunResult: CustomStringConvertible {
    let status: Int32
    /// Whether the process died of a signal: for `zipls`, always a defect.
    let signaled: Bool
    let stdoutBytes: [UInt8]
    let stderr: String

    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    var description: String {
        "status \(status)\(signaled ? " (signal)" : "")\n--- stdout\n\(stdout.prefix(3000))\n--- stderr\n\(stderr.prefix(3000))"
    }
}

/// Runs the built `zipls` (and the reference tools) and captures what
/// they do.
enum ZiplsProcess {
    /// The repository's Fixtures directory, found from this source file.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Every fixture archive, sorted.
    static let allFixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".zip") || $0.hasSuffix(".jar") }.sorted()
    }()

    /// The `zipls` executable: `$ZIPLS_EXECUTABLE` when set (to test a
    /// release build), else the one `swift test` built next to the test
    /// bundle. On Linux the bundle is an executable in the products
    /// directory (`Bundle.main` is that directory); with Xcode's runner it
    /// is a `.xctest` directory in that same products directory.
    static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["ZIPLS_EXECUTABLE"] { return path }
        var directories = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for directory in directories {
            var candidate = directory
            for _ in 0 ..< 4 {
                let path = candidate.appendingPathComponent("zipls").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
                candidate = candidate.deletingLastPathComponent()
            }
        }
        return "zipls-executable-not-found"
    }()

    /// Runs `zipls` in the Fixtures directory, so that archives are named
    /// there as in the messages (`zipls: stored.zip: …`).
    static func zipls(_ arguments: String..., in directory: URL = fixtures, stdout: String? = nil) throws -> RunResult {
        try zipls(arguments, in: directory, stdout: stdout)
    }

    static func zipls(_ arguments: [String], in directory: URL = fixtures, stdout: String? = nil) throws -> RunResult {
        try run(executable, arguments, in: directory, stdout: stdout)
    }

    /// Runs a program with stdin from /dev/null and its output going to
    /// temporary files (no pipe to fill up and block on), or stdout to
    /// `stdoutPath` (such as /dev/full) when given.
    static func run(_ program: String, _ arguments: [String], in directory: URL = fixtures,
                    stdout stdoutPath: String? = nil) throws -> RunResult {
        let temporary = FileManager.default.temporaryDirectory
        let outURL = temporary.appendingPathComponent("zipls-test-\(UUID().uuidString).out")
        let errURL = temporary.appendingPathComponent("zipls-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let out = try FileHandle(forWritingTo: stdoutPath.map(URL.init(fileURLWithPath:)) ?? outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdoutBytes = stdoutPath == nil ? [UInt8](try Data(contentsOf: outURL)) : []
        return RunResult(status: process.terminationStatus,
                         signaled: process.terminationReason == .uncaughtSignal,
                         stdoutBytes: stdoutBytes,
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The path of a program on `PATH`, or nil.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The real Python 3 interpreter, resolved once: `python3` on `PATH`
    /// may be a shim (pyenv) that costs a shell script per call.
    static let python: String? = {
        guard let shim = which("python3"),
              let result = try? run(shim, ["-c", "import sys; print(sys.executable)"]),
              result.status == 0 else { return nil }
        let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? path : shim
    }()

    /// A temporary directory for archives a test makes, removed by `body`'s end.
    static func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zipls-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }
}

/// Parses JSON text.
func parseJSON(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}
