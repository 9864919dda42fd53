// Fuzz target 2: ZipImporter finds of assorted dotted names over a fuzzed
// archive.
//
// ZipImporter opens archives by path only, so each input is written to one
// file per process (on /dev/shm when there is one) and opened through a
// fresh ImportCache: a shared cache could answer from the table of the
// previous input when the rewrite lands within the timestamp granularity.
// Built by Fuzz/build.sh against ZipIndex and Importer as real modules.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Importer
import ZipIndex

let archivePath: String = {
    var info = stat()
    let directory = stat("/dev/shm", &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    return "\(directory)/zipindex-fuzz-importer-\(getpid()).zip"
}()

/// Writes the input where the importer will look for it.
func writeArchive(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let fd = open(archivePath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { fatalError("cannot create \(archivePath): errno \(errno)") }
    defer { close(fd) }
    var done = 0
    while done < size {
        let n = write(fd, data + done, size - done)
        if n < 0 {
            if errno == EINTR { continue }
            fatalError("cannot write \(archivePath): errno \(errno)")
        }
        done += n
    }
}

/// Names every run asks for, whatever the archive holds: packages, modules,
/// nesting, and names no importer should trip on.
let fixedNames: [String] = [
    "pkg", "pkg.mod", "pkg.sub", "pkg.sub.leaf", "mod", "top", "ns", "ns.portion", "lib", "lib.pkg2",
    "dup", "r", "a", "a.b", "a.b.c", "x", "__init__", "pkg.__init__", "__main__",
    "", ".", "..", "...", ".pkg", "pkg.", "pkg..mod", "a/b", "../x", "/x", "a\\b", "a\u{0}b", "\u{0}",
    "py", ".py", "weird.", "café", "caf\u{E9}.mod", "é", "\u{FFFD}", "🙂",
    String(repeating: "a", count: 300), String(repeating: "a.", count: 100) + "z",
]

func exerciseImporter(_ names: [String]) {
    let cache = ImportCache()
    var importers: [ZipImporter] = []
    for subpath in ["", "/pkg", "/pkg/", "/lib", "/pkg/sub", "/a/b/c", "/../x", "//", "/no/such/dir"] {
        do {
            importers.append(try ZipImporter(path: archivePath + subpath, cache: cache))
        } catch {
            _ = error.code  // typed throws: an ImporterError
        }
    }
    for importer in importers {
        for name in names {
            let spec = importer.findSpec(name)
            if let spec {
                if spec.name != name { fatalError("findSpec(\(name)) named its spec \(spec.name)") }
                _ = spec.isNamespace
                _ = spec.description
                _ = try? spec.source()
            }
            _ = try? importer.isPackage(name)
            _ = try? importer.source(for: name)
            _ = try? importer.resources(in: name)
        }
        _ = importer.statistics
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImporter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeArchive(data, size)
    var names = fixedNames
    // Names the archive itself suggests: each member as a dotted module name,
    // and the raw member paths for data().
    var members: [String] = []
    if let archive = try? ZipArchive(bytes: Array(UnsafeBufferPointer(start: data, count: size))) {
        for entry in archive.entries.prefix(32) {
            let name = entry.name
            members.append(name)
            var dotted = Substring(name)
            for suffix in ["/__init__.py", ".py", "/"] where dotted.hasSuffix(suffix) {
                dotted = dotted.dropLast(suffix.count)
                break
            }
            names.append(dotted.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "."))
        }
    }
    exerciseImporter(names)
    if let importer = try? ZipImporter(path: archivePath, cache: ImportCache()) {
        for member in members {
            _ = try? importer.data(member)
            _ = try? importer.data(archivePath + "/" + member)
        }
        _ = try? importer.data(archivePath + "/../" + (members.first ?? ""))
    }
    return 0
}
