import Foundation
import Testing

@Suite("zipls find")
struct FindCommandTests {
    /// What CPython 3.13's import system says, with sys.path = [entry]:
    /// "kind origin" per name, or "None".
    static func cpython(_ entry: String, _ names: [String]) throws -> [String] {
        // PathFinder level by level, as importlib.util.find_spec walks it,
        // but without importing (executing) the parent packages.
        let script = """
            import sys
            from importlib.machinery import PathFinder
            entry, names = sys.argv[1], sys.argv[2:]
            sys.path_importer_cache.clear()
            for name in names:
                parts, path, spec = name.split("."), [entry], None
                for i in range(len(parts)):
                    spec = PathFinder.find_spec(".".join(parts[: i + 1]), path)
                    if spec is None:
                        break
                    path = spec.submodule_search_locations
                    if path is None and i < len(parts) - 1:
                        spec = None
                        break
                if spec is None:
                    print("None")
                elif spec.origin is None:
                    print("namespace", list(spec.submodule_search_locations)[0])
                else:
                    print("package" if spec.submodule_search_locations is not None else "module", spec.origin)
            """
        let result = try ZiplsProcess.run("/usr/bin/env", ["PYENV_VERSION=3.13.0", "python3", "-c", script, entry] + names)
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    static let names = ["pkg", "pkg.mod", "pkg.sub", "pkg.sub.deep", "top", "ns", "ns.only", "ns.only.mod",
                        "missing", "pkg.missing", "pkg.data"]

    @Test func findAgreesWithCPython313ExceptForImpliedNamespaceDirectories() throws {
        // wheel-like.zip has no directory entries: ns/ and ns/only/ are only
        // implied by ns/only/mod.py. CPython 3.13 cannot see such namespace
        // portions (gh-121111, fixed in 3.14); we find them, on purpose.
        let entry = ZiplsProcess.fixture("wheel-like.zip")
        let expected = try Self.cpython(entry, Self.names)
        try #require(expected.count == Self.names.count)
        for (name, python) in zip(Self.names, expected) {
            let result = try ZiplsProcess.zipls("find", entry, name)
            #expect(!result.signaled)
            if name == "ns" || name == "ns.only" {
                #expect(python == "None")
                #expect(result.status == 0)
                #expect(result.stdout == "\(name): namespace portion \(entry)/\(name.replacingOccurrences(of: ".", with: "/"))\n")
                continue
            }
            if name == "ns.only.mod" {
                // 3.13 fails on the parent, so it never gets here.
                #expect(python == "None")
                #expect(result.stdout == "ns.only.mod: module \(entry)/ns/only/mod.py\n")
                continue
            }
            if python == "None" {
                #expect(result.status == 1, "\(name): \(result)")
                #expect(result.stderr == "zipls: \(entry): no module named \(name)\n")
            } else {
                let parts = python.split(separator: " ", maxSplits: 1).map(String.init)
                #expect(result.status == 0, "\(name): \(result)")
                #expect(result.stdout == "\(name): \(parts[0]) \(parts[1])\n", "\(name)")
            }
        }
    }

    @Test func findWithAPrefixResolvesInsideTheArchive() throws {
        let entry = ZiplsProcess.fixture("wheel-like.zip") + "/pkg"
        let expected = try Self.cpython(entry, ["sub", "mod", "sub.deep"])
        let ours = try ["sub", "mod", "sub.deep"].map { name -> String in
            let result = try ZiplsProcess.zipls("find", entry, name)
            #expect(result.status == 0)
            let line = result.stdout.dropLast()  // "name: kind origin"
            return String(line.split(separator: " ", maxSplits: 1)[1])
        }
        #expect(ours == expected)
    }

    @Test func findJSONGivesNameOriginAndPackageFlag() throws {
        let entry = ZiplsProcess.fixture("wheel-like.zip")
        let package = try ZiplsProcess.zipls("find", entry, "pkg", "--json")
        #expect(package.status == 0)
        let object = try #require(try parseJSON(package.stdoutBytes) as? [String: Any])
        #expect(object["name"] as? String == "pkg")
        #expect(object["origin"] as? String == entry + "/pkg/__init__.py")
        #expect(object["isPackage"] as? Bool == true)
        let namespace = try ZiplsProcess.zipls("find", entry, "ns", "--json")
        let nsObject = try #require(try parseJSON(namespace.stdoutBytes) as? [String: Any])
        #expect(nsObject["origin"] is NSNull)
        #expect(nsObject["isPackage"] as? Bool == true)
    }

    @Test func findOnAnUnreadableArchiveExitsTwo() throws {
        let missing = try ZiplsProcess.zipls("find", ZiplsProcess.fixture("no-such.zip"), "pkg")
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("zipls: "))
        let truncated = try ZiplsProcess.zipls("find", ZiplsProcess.fixture("truncated.zip"), "pkg")
        #expect(truncated.status == 2)
        #expect(!truncated.signaled)
    }

    @Test func findWithoutAModuleIsAUsageError() throws {
        let result = try ZiplsProcess.zipls("find", ZiplsProcess.fixture("wheel-like.zip"))
        #expect(result.status == 64)
    }
}
