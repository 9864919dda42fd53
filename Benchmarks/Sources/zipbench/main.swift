// zipbench: release-build measurements of ZipIndex. Each subcommand prints
// one line of JSON as the last line of its output.
//
//   zipbench parse ARCHIVE
//   zipbench lookup ARCHIVE
//   zipbench inflate ARCHIVE NAME
//   zipbench invalidate [--opt-out] ARCHIVE...
//   zipbench gh103200 ARCHIVE[:MODULE]...
var arguments = Array(CommandLine.arguments.dropFirst())
let freshPages = arguments.contains("--fresh-pages")
arguments.removeAll { $0 == "--fresh-pages" }
setPagePolicy(fresh: freshPages)
guard let command = arguments.first else {
    fail("usage: zipbench parse|lookup|inflate|invalidate|gh103200 ARCHIVE... [NAME]")
}
let rest = Array(arguments.dropFirst())
do {
    switch (command, rest.count) {
    case ("parse", 1): try benchmarkParse(rest[0])
    case ("lookup", 1): try benchmarkLookup(rest[0])
    case ("inflate", 2): try benchmarkInflate(rest[0], rest[1])
    case ("invalidate", 1...):
        let optOut = rest.contains("--opt-out")
        try benchmarkInvalidate(rest.filter { $0 != "--opt-out" }, optOut: optOut)
    case ("gh103200", 1...): try benchmarkGH103200(rest)
    default: fail("unknown command or wrong arguments: \(arguments)")
    }
} catch {
    fail("\(error)")
}
