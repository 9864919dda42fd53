import Foundation
import Testing
@testable import ZipIndex

@Suite("Name patterns (shell globs)")
struct NamePatternTests {
    private func matches(_ pattern: String, _ name: String) -> Bool { NamePattern(pattern).matches(name) }

    @Test func literalPatternMatchesOnlyTheWholeName() {
        #expect(matches("hello.txt", "hello.txt"))
        #expect(!matches("hello.txt", "hello.txt2"))
        #expect(!matches("hello", "hello.txt"))
        #expect(!matches("ello.txt", "hello.txt"))
        #expect(matches("", ""))
        #expect(!matches("", "a"))
    }

    @Test func starMatchesAnyRunIncludingSlashes() {
        #expect(matches("*.txt", "a.txt"))
        #expect(matches("*.txt", "dir/sub/a.txt"))  // unzip's default: * crosses /
        #expect(matches("*", ""))
        #expect(matches("a/*", "a/b/c"))
        #expect(matches("*b*", "abc"))
        #expect(!matches("*.txt", "a.txt.bak"))
        #expect(matches("a*b*c", "aXXbYYbZZc"))
        #expect(!matches("a*b*c", "aXXbYYcZZ"))
        #expect(matches("**x", "abx"))
    }

    @Test func questionMarkMatchesExactlyOneCharacterEvenMultibyte() {
        #expect(matches("h?llo", "hello"))
        #expect(!matches("h?llo", "hllo"))
        #expect(!matches("?", ""))
        #expect(!matches("?", "ab"))
        #expect(matches("caf?.txt", "café.txt"))  // é is two bytes
        #expect(matches("?.txt", "世.txt"))  // three bytes
        #expect(matches("??", "😀é"))  // four and two bytes
        #expect(matches("*?", "é"))
    }

    @Test func bracketExpressionsMatchSetsRangesAndNegations() {
        #expect(matches("[abc].txt", "b.txt"))
        #expect(!matches("[abc].txt", "d.txt"))
        #expect(matches("file[0-9]", "file7"))
        #expect(!matches("file[0-9]", "fileA"))
        #expect(matches("[!a]x", "bx"))
        #expect(!matches("[!a]x", "ax"))
        #expect(matches("[^a]x", "bx"))
        #expect(!matches("[^a]x", "ax"))
        #expect(matches("[a-cx-z]", "y"))
        #expect(!matches("[a-cx-z]", "m"))
        #expect(matches("[à-ÿ]", "é"))  // ranges compare code points
        #expect(!matches("[à-ÿ]", "e"))
        #expect(matches("[!é]", "e"))
        #expect(!matches("[!é]", "é"))
        #expect(matches("[*?]", "*"))  // no special meaning inside
        #expect(!matches("[*?]", "a"))
    }

    @Test func bracketEdgeCasesAreLiteralWhereShellsMakeThemLiteral() {
        #expect(matches("[]]", "]"))  // a leading ] is a member
        #expect(matches("[!]]", "a"))
        #expect(!matches("[!]]", "]"))
        #expect(matches("[a-]", "-"))  // a trailing - is a member
        #expect(matches("[-a]", "-"))
        #expect(matches("[", "["))  // never closed: a literal [
        #expect(matches("a[b", "a[b"))
        #expect(!matches("a[b", "ab"))
        #expect(!matches("[z-a]x", "[z-a]x"))  // a closed set, just an empty one
        #expect(!matches("[z-a]x", "ax"))
    }

    @Test func backslashMakesTheNextCharacterLiteral() {
        #expect(matches("\\*", "*"))
        #expect(!matches("\\*", "a"))
        #expect(matches("a\\?", "a?"))
        #expect(!matches("a\\?", "ab"))
        #expect(matches("[\\]]", "]"))
        #expect(matches("a\\", "a\\"))  // a trailing backslash is itself
    }

    @Test func pathologicalPatternsFinishQuickly() {
        let name = String(repeating: "a", count: 5000)
        let elapsed = ThreadCPUTime.measure {
            #expect(!matches("*a*a*a*a*a*a*a*a*b", name))
            #expect(matches("*a*a*a*a*a*a*a*a*a", name))
        }
        #expect(elapsed < .seconds(1))
    }

    /// Python's `fnmatch.fnmatchcase` implements the same glob (with `*`
    /// crossing `/`) except for `\` and `[^`, which these patterns avoid.
    @Test func agreesWithPythonFnmatchcase() throws {
        let patterns = ["*", "?", "*.txt", "a*", "*a", "a?c", "[ab]*", "[!ab]*", "[a-c]?", "*[0-9]", "*/*",
                        "d*/*.py", "[]]*", "*[!.]", "?*?", "a*b*c", "*é*", "caf?*", "[à-ÿ]*", "*[-]*", "x[a-]"]
        let names = ["", "a", "b", "c", "abc", "a.txt", "dir/a.txt", "d/e/f.py", "a1", "x-", "]x", "café.txt",
                     "é", "xa", "a/b", "ab", "a.", "acb", "abbc", "7", "naïve-2"]
        let script = """
            import fnmatch, json, sys
            p, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
            print(json.dumps([[fnmatch.fnmatchcase(x, q) for x in n] for q in p]))
            """
        let encode = { (values: [String]) in String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self) }
        let output = try run(["python3", "-c", script, try encode(patterns), try encode(names)])
        let expected = try #require(try JSONSerialization.jsonObject(with: output) as? [[Bool]])
        for (p, pattern) in patterns.enumerated() {
            for (n, name) in names.enumerated() {
                #expect(matches(pattern, name) == expected[p][n], "pattern \(pattern) name \(name)")
            }
        }
    }
}
