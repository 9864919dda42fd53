// Fuzz target 4: extract an archive from bytes in memory into a fresh
// sandbox, with links kept inside and with every link made, and check that
// nothing was written outside the destination, that no temporary file is
// left, and (with links kept inside) that every link resolves inside.
//
// Built by Fuzz/build.sh together with Sources/ZipIndex/*.swift as one
// module. Anything but a clean return is a finding: a trap, an ASan report,
// a violated invariant below, a timeout or an allocation over the limit.

#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtract(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Small caps: the files are really written.
    let limits = ReadLimits(maximumEntrySize: 1 << 20, maximumTotalOutput: 8 << 20)
    guard let archive = try? ZipArchive(bytes: bytes, limits: limits), archive.count <= 512 else { return 0 }
    for symlinks in [ExtractionOptions.Symlinks.inside, .all] {
        var template = Array("/tmp/zipindex-fuzz-extract-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return 0 }
        let sandbox = String(cString: made)
        mkdir(sandbox + "/outside", 0o700)
        let destination = sandbox + "/dest"
        _ = try? archive.extract(to: destination, options: ExtractionOptions(overwrite: true, symlinks: symlinks, concurrency: 1))
        check(sandbox: sandbox, destination: destination, linksInside: symlinks == .inside)
        // A second run over what the first wrote: overwriting, links in
        // place, on two threads (unless the plan must keep its order).
        _ = try? archive.extract(to: destination, options: ExtractionOptions(overwrite: true, symlinks: symlinks, concurrency: 2))
        check(sandbox: sandbox, destination: destination, linksInside: symlinks == .inside)
        removeTree(sandbox)
    }
    return 0
}

func violated(_ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz invariant violated: \(message())")
}

/// The names in a directory, without `.` and `..`.
func listing(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != ".", name != ".." { names.append(name) }
    }
    return names
}

func check(sandbox: String, destination: String, linksInside: Bool) {
    let top = Set(listing(sandbox))
    guard top.isSubset(of: ["dest", "outside"]) else { violated("written beside the destination: \(top)") }
    let outside = listing(sandbox + "/outside")
    guard outside.isEmpty else { violated("written outside the destination: \(outside)") }
    guard let root = realpath(destination, nil) else { return }
    let rootPath = String(cString: root)
    free(root)
    var pending = [destination]
    while let directory = pending.popLast() {
        for name in listing(directory) {
            let path = directory + "/" + name
            if name.contains("zipindex") { violated("a temporary file is left: \(path)") }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: pending.append(path)
            case S_IFLNK where linksInside:
                if let resolved = realpath(path, nil) {
                    let target = String(cString: resolved)
                    free(resolved)
                    guard target == rootPath || target.hasPrefix(rootPath + "/") else {
                        violated("the link \(path) resolves outside, to \(target)")
                    }
                }
            default: break
            }
        }
    }
}

/// `rm -rf`, without following links.
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
        chmod(path, 0o700)
        for name in listing(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}
