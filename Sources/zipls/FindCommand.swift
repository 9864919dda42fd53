import ArgumentParser
import Importer

/// `zipls find ARCHIVE[/PREFIX] MODULE`: resolves a fully qualified module
/// name with the archive (or the prefix inside it) as the only search-path
/// entry, as `importlib.util.find_spec` does with `sys.path = [ARCHIVE[/PREFIX]]`.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Resolve a module name inside an archive, as Python's import system would.",
        discussion: """
            Walks a, then a.b, then a.b.c, each in the search locations of the
            one before (Python's zipimport rules: package marker __init__, suffix
            .py; a directory with no marker, even one only implied by deeper
            names, is a namespace portion, as in CPython 3.14).

            OUTPUT
              NAME: module ORIGIN
              NAME: package ORIGIN
              NAME: namespace portion SEARCH-LOCATION
              With --json: {"name": str, "origin": str|null, "isPackage": bool};
              origin is archive path + "/" + inner path, null for a namespace portion.

            EXIT STATUS
              0 found; 1 no such module; 2 the archive cannot be read; 64 usage error
            """
    )

    @Argument(help: "The archive, optionally followed by a path inside it: app.zip or app.zip/lib.")
    var entry: String

    @Argument(help: "The fully qualified module name, e.g. pkg.sub.mod.")
    var module: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let status = execute()
        if status != .success { throw ExitCode(status.rawValue) }
    }

    func execute() -> ExitStatus {
        let output = OutputBuffer()
        let diagnostics = Diagnostics(archivePath: entry, output: output)
        do throws(OutputError) {
            // Open it first, so that an unreadable archive is exit 2 and not
            // "module not found" (the search path swallows such errors).
            do {
                _ = try ZipImporter(path: entry, cache: ImportCache())
            } catch {
                try diagnostics.unreadable(error.description)
                return diagnostics.status
            }
            guard let spec = ImportPath([entry], cache: ImportCache()).findSpec(module) else {
                try diagnostics.entryProblem("no module named \(module)")
                return diagnostics.status
            }
            if json {
                try output.write("{" as StaticString)
                try output.writeJSONKey("name")
                try output.writeJSONString(spec.name)
                try output.write(", " as StaticString)
                try output.writeJSONKey("origin")
                if let origin = spec.origin { try output.writeJSONString(origin) } else { try output.write("null" as StaticString) }
                try output.write(", " as StaticString)
                try output.writeJSONKey("isPackage")
                try output.writeJSON(spec.isPackage)
                try output.write("}\n" as StaticString)
            } else if let origin = spec.origin {
                try output.write("\(Diagnostics.escaped(spec.name)): \(spec.isPackage ? "package" : "module") \(Diagnostics.escaped(origin))\n")
            } else {
                let location = spec.submoduleSearchLocations?.first ?? ""
                try output.write("\(Diagnostics.escaped(spec.name)): namespace portion \(Diagnostics.escaped(location))\n")
            }
            try output.flush()
            return diagnostics.status
        } catch .brokenPipe {
            return diagnostics.status
        } catch {
            Diagnostics.writeLine("zipls: \(error.message)")
            return .unreadable
        }
    }
}
