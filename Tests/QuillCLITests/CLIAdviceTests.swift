import Foundation
import Testing

/// Errors carry data and only the executable writes advice: no library text names a `quill`
/// command or option, and the advice fits the command that failed.
@Suite struct CLIAdviceTests {
    @Test func importAdvisesNameOnASourceNameClash() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.write("a.txt", Data("Interviewer: Hi.\nP01: Hello.\n".utf8))
        #expect(try quill.run(["init"]).status == 0)
        #expect(try quill.run(["import", "a.txt"]).status == 0)
        try quill.write("a.txt", Data("Interviewer: Hi.\nP01: Goodbye.\n".utf8))
        let before = try ProjectFingerprint.of(quill.folder.appendingPathComponent("project.quill"))
        let result = try quill.run(["import", "a.txt"])
        #expect(result.status == 1)
        #expect(
            result.stderr == "Error: a.txt: the project already has a different source called 'a' (from a.txt). "
                + "Rename the file, or import it with --name to give the source another name. Nothing was imported.\n")
        #expect(try ProjectFingerprint.of(quill.folder.appendingPathComponent("project.quill")) == before)
    }

    @Test func aRulesFileNamingAnUnknownCodeSaysWhereTheCodesAreListedOnce() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write("rules.yaml", Data("rules:\n- code: Nothing like it\n  keywords_any: [ward]\n".utf8))
        let before = try quill.digest()
        let result = try quill.run(["autocode", "--rules", "rules.yaml", "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("rules.yaml: rule 1 (line 2) names the code 'Nothing like it'"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "lists the codes").count == 2, "\(result.stderr)")
        #expect(try quill.digest() == before)
    }

    @Test func runDoesNotAdviseAnOptionItLacksOnASourceNameClash() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("tr/a.txt", Data("Interviewer: Hi.\nP01: Hello.\n".utf8))
        let first = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml"])
        #expect(first.status == 0, "\(first.stderr)")
        try quill.write("tr/a.txt", Data("Interviewer: Hi.\nP01: Goodbye.\n".utf8))
        let result = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml"])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasSuffix(
                "Error: a.txt: the project already has a different source called 'a' (from a.txt). "
                    + "Rename the file to give the source another name, or import it first under another name with "
                    + "'quill import FILE --name NAME'. Nothing was imported.\n"), "\(result.stderr)")
        // `run` has no --name: the only --name advised is that of `quill import`.
        #expect(!result.stderr.contains("import it with --name"))
        let help = try quill.run(["run", "--help"]).stdout
        #expect(!help.contains("--name"))
        #expect(try quill.run(["import", "--help"]).stdout.contains("--name <name>"))
    }

    /// The subcommands (`init`, `codebook tree`) and options (`--project`) of the built `quill`,
    /// from its help.
    static func commandLine(_ quill: QuillRunner) throws -> (subcommands: Set<String>, options: Set<String>) {
        func subcommands(of help: String) -> [String] {
            guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
            return help[start.upperBound...].split(separator: "\n").compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            }.filter { $0 != "help" && $0 != "See" }
        }
        func options(of help: String) -> [String] {
            help.split(separator: "\n").filter { $0.hasPrefix("USAGE:") || $0.hasPrefix("  --") }.flatMap { line in
                line.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) }
            }
        }
        var names: Set<String> = []
        var flags: Set<String> = []
        var queue = subcommands(of: try quill.run(["--help"]).stdout).map { [$0] }
        while let path = queue.popLast() {
            names.insert(path.joined(separator: " "))
            let help = try quill.run(["help"] + path).stdout
            flags.formUnion(options(of: help))
            queue += subcommands(of: help).map { path + [$0] }
        }
        return (names, flags)
    }

    @Test func noLibraryTextNamesACommandOrAnOption() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        let (subcommands, options) = try Self.commandLine(quill)
        #expect(subcommands.isSuperset(of: ["init", "run", "sources", "codebook", "codebook tree", "cases list", "memo delete", "import-qdpx"]))
        #expect(options.isSuperset(of: ["--project", "--name", "--speaker-pattern", "--force", "--on-conflict", "--coders", "--text"]))
        let scanner = AdviceScanner(subcommands: subcommands.filter { !$0.contains(" ") }, options: options)
        let sources = QuillRunner.repository.appendingPathComponent("Sources")
        let library = try scanner.findings(in: sources.appendingPathComponent("QuillKit"))
        #expect(library.isEmpty, "library strings that name a command or option:\n\(library.joined(separator: "\n"))")
        // The scanner is not blind: the executable's advice is full of them.
        let executable = try scanner.findings(in: sources.appendingPathComponent("quill"))
        #expect(executable.count > 40)
        #expect(executable.contains { $0.hasPrefix("Advice.swift:") && $0.contains("quill codebook tree") })
        #expect(executable.contains { $0.hasPrefix("Advice.swift:") && $0.contains("--on-conflict") })
    }

    @Test func theScannerReadsStringsNotCommentsAndKnowsWhatIsNotAdvice() {
        let scanner = AdviceScanner(subcommands: ["init", "sheet", "show"], options: ["--project", "--line", "--ink"])
        let code = #"""
            // Run 'quill init' with --project: a comment.
            /// 'quill show' in documentation.
            let a = "Run 'quill init' here."
            let b = "x \(flag ? "--project" : "y") z"
            /* quill show --project */
            let sql = "SELECT 1 -- the first"
            let css = ":root{--ink:#000}a{color:var(--ink)}"
            let sheet = "<!-- quill coding sheet v1: edit the 'codes:' lines, then run 'quill sheet apply' on this file -->"
            let c = """
                Merge with --line please.
                """
            let d = "Another quill is busy; show it."
            """#
        let found = scanner.findings(inSource: code, file: "F.swift")
        #expect(found.map { $0.components(separatedBy: ": ").first ?? "" } == ["F.swift:3", "F.swift:4", "F.swift:9"])
    }
}

/// Finds the string literals of Swift files that name a `quill` subcommand or a command-line
/// option. Comments are skipped; CSS custom properties (`--ink:`, `var(--ink)`) and the coding
/// sheet's signature line are not advice.
struct AdviceScanner {
    let subcommands: Set<String>
    let options: Set<String>

    /// `file:line: literal` for each literal that names one, in the .swift files under a folder.
    func findings(in folder: URL) throws -> [String] {
        let files =
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path } ?? []
        #expect(!files.isEmpty, "no Swift files under \(folder.path)")
        return try files.flatMap { try findings(inSource: String(contentsOf: $0, encoding: .utf8), file: $0.lastPathComponent) }
    }

    func findings(inSource source: String, file: String) -> [String] {
        literals(of: source).filter { names(in: $0.text) }.map { "\(file):\($0.line): \($0.text)" }
    }

    /// Whether a literal's text names a subcommand (`quill init`) or an option (`--project`).
    func names(in text: String) -> Bool {
        if text.hasPrefix("<!-- quill coding sheet v") { return false }
        for match in text.matches(of: /quill\s+([a-z][a-z0-9-]*)/) where subcommands.contains(String(match.output.1)) {
            return true
        }
        for match in text.matches(of: /--[a-z][a-z0-9-]*/) where options.contains(String(match.output)) {
            let before = text[..<match.range.lowerBound]
            let after = text[match.range.upperBound...]
            if let previous = before.last, previous.isLetter || previous.isNumber || previous == "-" || previous == "_" { continue }
            let isCSS = after.hasPrefix(":") || (before.hasSuffix("var(") && after.hasPrefix(")"))
            if !isCSS { return true }
        }
        return false
    }

    /// The string literals of Swift source, with the line each starts on; the code inside an
    /// interpolation is read for literals of its own, and comments are left out.
    func literals(of source: String) -> [(line: Int, text: String)] {
        let chars = Array(source)
        var found: [(line: Int, text: String)] = []
        var index = 0
        var line = 1
        func peek(_ offset: Int = 0) -> Character? { index + offset < chars.count ? chars[index + offset] : nil }
        func advance() {
            if chars[index] == "\n" { line += 1 }
            index += 1
        }
        // Reads code until an unmatched `)` (inside an interpolation) or the end.
        func code(untilClose: Bool) {
            var depth = 0
            while index < chars.count {
                let char = chars[index]
                if char == "/" && peek(1) == "/" {
                    while index < chars.count && chars[index] != "\n" { advance() }
                } else if char == "/" && peek(1) == "*" {
                    advance(); advance()
                    while index < chars.count && !(chars[index] == "*" && peek(1) == "/") { advance() }
                    if index < chars.count { advance(); advance() }
                } else if char == "\"" || (char == "#" && (peek(1) == "\"" || peek(1) == "#")) {
                    literal()
                } else if char == "(" {
                    depth += 1
                    advance()
                } else if char == ")" {
                    if untilClose && depth == 0 { advance(); return }
                    depth -= 1
                    advance()
                } else {
                    advance()
                }
            }
        }
        // Reads one literal, `"…"`, `"""…"""` or `#"…"#`, starting at its first character.
        func literal() {
            let start = line
            var hashes = 0
            while peek() == "#" { hashes += 1; advance() }
            guard peek() == "\"" else { return }
            let isMultiline = peek(1) == "\"" && peek(2) == "\""
            for _ in 0..<(isMultiline ? 3 : 1) { advance() }
            let close = String(repeating: "\"", count: isMultiline ? 3 : 1) + String(repeating: "#", count: hashes)
            let escape = "\\" + String(repeating: "#", count: hashes)
            var text = ""
            while index < chars.count {
                if chars[index] == "\"" && String(chars[index..<min(chars.count, index + close.count)]) == close {
                    for _ in 0..<close.count { advance() }
                    break
                }
                if chars[index] == "\\" && String(chars[index..<min(chars.count, index + escape.count)]) == escape {
                    for _ in 0..<escape.count { advance() }
                    if peek() == "(" {
                        advance()
                        code(untilClose: true)
                        text += "\u{FFFC}"
                    } else if index < chars.count {
                        text.append(chars[index])
                        advance()
                    }
                    continue
                }
                if !isMultiline && chars[index] == "\n" { break }
                text.append(chars[index])
                advance()
            }
            found.append((start, text))
        }
        code(untilClose: false)
        return found.sorted { $0.line < $1.line }
    }
}
