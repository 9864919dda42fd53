import Foundation
import Testing
@testable import Importer

/// CPython 3.13.0 is the oracle: it writes generated archives (with valid,
/// unchecked hash-based .pyc members) and answers `zipimporter.find_spec`
/// and `importlib.util.find_spec`; ours must agree. Both sides use the
/// search order [".pyc", ".py"], CPython's.
///
/// Deliberate difference: a directory implied only by deeper names (no
/// entry of its own) is a namespace portion here, as in CPython 3.14
/// (gh-121111); CPython 3.13's zipimporter answers None for it. The test
/// requires every disagreement to be exactly that, and requires some.
@Suite struct DifferentialTests {
    private static let oracle = #"""
import json, sys, zipfile, zipimport, importlib.util
import importlib._bootstrap_external as be
assert sys.version_info[:2] == (3, 13), sys.version
request = json.load(open(sys.argv[1]))
pyc = be._code_to_hash_pyc(compile("x = 1\n", "<generated>", "exec"), b"\0" * 8, checked=False)
for archive in request["archives"]:
    with zipfile.ZipFile(archive["path"], "w") as z:
        for name, kind in archive["members"]:
            info = zipfile.ZipInfo(name, (2020, 1, 2, 3, 4, 6))
            if kind == "dir":
                info.CRC = 0
                z.mkdir(info)
            else:
                z.writestr(info, pyc if kind == "pyc" else b"x = 1\n")
def describe(spec):
    if spec is None:
        return None
    locations = spec.submodule_search_locations
    return {"origin": spec.origin, "locations": None if locations is None else list(locations)}
answers = []
for path, names in request["zipQueries"]:
    importer = zipimport.zipimporter(path)
    answers.append([describe(importer.find_spec(name)) for name in names])
sys.path[:] = request["sysPath"]
sys.path_importer_cache.clear()
pathAnswers = []
for name in request["pathQueries"]:
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        spec = None
    pathAnswers.append(describe(spec))
print(json.dumps({"zip": answers, "path": pathAnswers}))
"""#

    private struct Answer: Equatable, CustomStringConvertible {
        var origin: String?
        var locations: [String]?
        init(origin: String?, locations: [String]?) { self.origin = origin; self.locations = locations }
        init?(json: Any) {
            guard let object = json as? [String: Any] else { return nil }
            origin = object["origin"] as? String
            locations = object["locations"] as? [String]
        }
        init(_ spec: ModuleSpec) { self.init(origin: spec.origin, locations: spec.submoduleSearchLocations) }
        var description: String { "origin \(origin ?? "nil") locations \(locations.map { "\($0)" } ?? "nil")" }
    }

    /// SplitMix64, for reproducible trees.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    private static let stems = ["a", "b", "pkg", "ns", "mod", "Mod", "both", "odd"]

    /// A random tree: (name, kind) with kind "py", "pyc", "data" or "dir".
    private static func tree(seed: UInt64, explicitDirectories: Bool) -> [(String, String)] {
        var random = Generator(state: seed)
        var members: [(String, String)] = []
        var seen = Set<String>()
        func add(_ name: String, _ kind: String) {
            if seen.insert(name).inserted { members.append((name, kind)) }
        }
        for _ in 0 ..< 30 {
            let depth = 1 + random.next(3)
            let parents = (0 ..< depth - 1).map { _ in stems[random.next(stems.count)] }
            let directory = parents.isEmpty ? "" : parents.joined(separator: "/") + "/"
            let stem = stems[random.next(stems.count)]
            switch random.next(7) {
            case 0: add(directory + stem + ".py", "py")
            case 1: add(directory + stem + ".pyc", "pyc")
            case 2: add(directory + stem + "/__init__.py", "py")
            case 3: add(directory + stem + "/__init__.pyc", "pyc")
            case 4: add(directory + stem + ".txt", "data")
            case 5: add(directory + stem + "/", "dir")
            default: add(directory + stem + ".py/", "dir")  // a directory that looks like a module
            }
        }
        if explicitDirectories {
            for name in members.map(\.0) {
                var parts = name.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                while !parts.isEmpty {
                    add(parts.joined(separator: "/") + "/", "dir")
                    parts = parts.dropLast()
                }
            }
        }
        return members
    }

    /// Every directory, explicit or implied, without the trailing "/".
    private static func directories(_ members: [(String, String)]) -> (all: Set<String>, explicit: Set<String>) {
        var all = Set<String>(), explicit = Set<String>()
        for (name, kind) in members {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            for end in 1 ..< parts.count { all.insert(parts[0 ..< end].joined(separator: "/")) }
            if kind == "dir" { explicit.insert(String(name.dropLast())) }
        }
        return (all, explicit)
    }

    @Test func zipImporterAndPathFinderAgreeWithCPython313() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let layout = ModuleLayout(suffixes: [".pyc", ".py"])

        // zipimporter level: generated archives, with and without explicit
        // directory entries, queried at the root and at every directory.
        var archives: [[String: Any]] = []
        var zipQueries: [(path: String, prefix: String, names: [String], tree: [(String, String)])] = []
        for seed in UInt64(1) ... 4 {
            for explicit in [false, true] {
                let path = scratch.file("gen-\(seed)-\(explicit ? "explicit" : "implied").zip")
                let members = Self.tree(seed: seed, explicitDirectories: explicit)
                archives.append(["path": path, "members": members.map { [$0.0, $0.1] }])
                let names = Self.stems + ["__init__", "missing", "zz.pkg", "zz.yy.mod", "pkg/mod"]
                for prefix in [""] + Self.directories(members).all.sorted() + ["nope"] {
                    let importerPath = prefix.isEmpty ? path : path + "/" + prefix
                    zipQueries.append((importerPath, prefix.isEmpty ? "" : prefix + "/", names, members))
                }
            }
        }

        // PathFinder level: a directory, an archive, and a directory inside
        // an archive, with every directory entry explicit.
        let dirA = try scratch.makeDirectory("dirA")
        for file in ["nsx/a1.py", "pkg/__init__.py", "pkg/m.py", "onlydir.py", "both.py", "deep/x/y.py", "Mod.py"] {
            try scratch.write("dirA/" + file, "x = 1\n")
        }
        let zipB = scratch.file("zipB.zip"), zipC = scratch.file("zipC.zip")
        let membersB: [(String, String)] = [
            ("nsx/", "dir"), ("nsx/b1.py", "py"), ("pkg/", "dir"), ("pkg/__init__.py", "py"), ("pkg/zb.py", "py"),
            ("both/", "dir"), ("both/__init__.pyc", "pyc"), ("zonly/", "dir"), ("zonly/__init__.py", "py"),
            ("zonly/sub/", "dir"), ("zonly/sub/__init__.pyc", "pyc"), ("zonly/sub/leaf.pyc", "pyc"), ("zonly/sub/leaf.py", "py"),
            ("deep/", "dir"), ("deep/x/", "dir"), ("deep/x/z.py", "py"),
        ]
        let membersC: [(String, String)] = [
            ("pre/", "dir"), ("pre/fix/", "dir"), ("pre/fix/nsx/", "dir"), ("pre/fix/nsx/c1.py", "py"),
            ("pre/fix/cmod.py", "py"), ("pre/fix/deep/", "dir"), ("pre/fix/deep/x/", "dir"), ("pre/fix/deep/x/w.pyc", "pyc"),
        ]
        archives.append(["path": zipB, "members": membersB.map { [$0.0, $0.1] }])
        archives.append(["path": zipC, "members": membersC.map { [$0.0, $0.1] }])
        let sysPath = [dirA, zipB, zipC + "/pre/fix"]
        let pathQueries = [
            "nsx", "nsx.a1", "nsx.b1", "nsx.c1", "nsx.missing", "pkg", "pkg.m", "pkg.zb", "both", "both.sub",
            "zonly", "zonly.sub", "zonly.sub.leaf", "deep", "deep.x", "deep.x.y", "deep.x.z", "deep.x.w",
            "cmod", "Mod", "mod", "onlydir", "missing", "missing.sub", "onlydir.sub",
        ]

        let request: [String: Any] = [
            "archives": archives,
            "zipQueries": zipQueries.map { [$0.path, $0.names] },
            "sysPath": sysPath,
            "pathQueries": pathQueries,
        ]
        let requestPath = scratch.file("request.json")
        try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: requestPath))
        let output = try run(["python3", "-I", "-S", "-c", Self.oracle, requestPath], environment: python313)
        let reply = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let zipAnswers = try #require(reply["zip"] as? [[Any]])
        let pathAnswers = try #require(reply["path"] as? [Any])
        #expect(zipAnswers.count == zipQueries.count)

        let cache = ImportCache()
        var compared = 0, agreed = 0, impliedNamespaceDifferences = 0
        for (query, answers) in zip(zipQueries, zipAnswers) {
            let importer = try ZipImporter(path: query.path, layout: layout, cache: cache)
            let (_, explicit) = Self.directories(query.tree)
            for (name, answer) in zip(query.names, answers) {
                compared += 1
                let theirs = Answer(json: answer)
                let ours = importer.findSpec(name).map(Answer.init)
                if theirs == ours {
                    agreed += 1
                    continue
                }
                // The one deliberate difference: an implied-only directory.
                let directory = query.prefix + String(ZipImporter.lastComponent(name))
                let isImpliedNamespace = theirs == nil && ours?.origin == nil
                    && ours?.locations == [importer.archive + "/" + directory] && !explicit.contains(directory)
                if isImpliedNamespace {
                    impliedNamespaceDifferences += 1
                } else {
                    Issue.record("\(query.path) find_spec(\(name)): CPython \(theirs.map { "\($0)" } ?? "None"), ours \(ours.map { "\($0)" } ?? "nil")")
                }
            }
        }
        #expect(compared > 500)
        #expect(agreed + impliedNamespaceDifferences == compared)
        #expect(impliedNamespaceDifferences > 0, "the generated trees must exercise gh-121111")
        #expect(agreed > impliedNamespaceDifferences * 5)

        let path = ImportPath(sysPath, layout: layout, cache: cache)
        #expect(pathAnswers.count == pathQueries.count)
        var found = 0
        for (name, answer) in zip(pathQueries, pathAnswers) {
            let theirs = Answer(json: answer)
            let ours = path.findSpec(name).map(Answer.init)
            #expect(theirs == ours, "find_spec(\(name))")
            if theirs != nil { found += 1 }
        }
        #expect(found > 15)
    }
}
