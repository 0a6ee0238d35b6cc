import Foundation
import QuillKit
import Testing

/// Every text a user gives Quill (memos from a file or piped, rules files, codebooks, coding
/// CSVs, sheets) is read as transcripts are: UTF-8 with or without a BOM, UTF-16 with a BOM,
/// Windows-1252 with a warning, CRLF made LF, and NFC.
@Suite struct CLIUserTextTests {
    /// UTF-16 with a byte-order mark, little- or big-endian.
    static func utf16(_ text: String, littleEndian: Bool = true) -> Data {
        var data = Data(littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF])
        for unit in text.utf16 {
            let bytes = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            data.append(contentsOf: littleEndian ? bytes : bytes.reversed())
        }
        return data
    }

    private func memoText(_ quill: QuillRunner, _ id: Int) throws -> String {
        let shown = try quill.run(["memo", "show", String(id)])
        #expect(shown.status == 0, "\(shown.stderr)")
        return String(shown.stdout.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n").dropLast())
    }

    @Test func aUTF16MemoOnStandardInputIsReadAsText() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        // The bytes of the issue: `printf '\xff\xfeN\x00o\x00' | quill memo add project -`.
        let added = try quill.run(["memo", "add", "project"], input: Data([0xFF, 0xFE, 0x4E, 0x00, 0x6F, 0x00]))
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try memoText(quill, 1) == "No")
        let big = try quill.run(["memo", "add", "project"], input: Self.utf16("Zoë 👩🏽‍⚕️\r\nsaid so", littleEndian: false))
        #expect(big.status == 0, "\(big.stderr)")
        #expect(try memoText(quill, 2) == "Zoë 👩🏽‍⚕️\nsaid so")
    }

    @Test func memoFilesInEveryEncodingAndFormAreStoredAlike() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let expected = "Café \u{E9}t\u{E9}\nline two"
        let inputs: [(String, Data)] = [
            ("utf8.md", Data("Café été\nline two".utf8)),
            ("bom-crlf.md", Data([0xEF, 0xBB, 0xBF]) + Data("Café été\r\nline two\r\n".utf8)),
            ("utf16.md", Self.utf16("Café été\r\nline two")),
            // Decomposed accents (as macOS file names and some editors write them) become NFC.
            ("nfd.md", Data("Cafe\u{301} e\u{301}te\u{301}\nline two".utf8)),
            ("latin.md", Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0xE9, 0x74, 0xE9, 0x0A]) + Data("line two".utf8)),
        ]
        for (index, (name, data)) in inputs.enumerated() {
            try quill.write(name, data)
            let added = try quill.run(["memo", "add", "project", "--file", name])
            #expect(added.status == 0, "\(name): \(added.stderr)")
            #expect(added.stderr.contains("Windows-1252") == (name == "latin.md"), "\(name): \(added.stderr)")
            #expect(try memoText(quill, index + 1) == expected, "\(name)")
        }
        // Piped text is NFC too, and a piped Windows-1252 text is read with the same warning.
        let piped = try quill.run(["memo", "add", "project"], input: Data([0x43, 0x61, 0x66, 0xE9]))
        #expect(piped.status == 0)
        #expect(piped.stderr.contains("Warning: standard input is not UTF-8; it was read as Windows-1252."))
        #expect(try memoText(quill, inputs.count + 1) == "Café")
        let edited = try quill.run(["memo", "edit", "1", "--file", "utf16.md"])
        #expect(edited.stderr.contains("Memo 1 is unchanged"), "\(edited.stderr)")
    }

    @Test func aMemoInNoEncodingQuillReadsIsRefusedWithNothingChanged() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try quill.digest()
        // 0x81 is neither UTF-8 nor Windows-1252; NUL bytes without a BOM are binary.
        for (name, data) in [("bad.md", Data([0x61, 0x81, 0x62])), ("binary.md", Data([0x61, 0x00, 0x62, 0x00, 0x63]))] {
            try quill.write(name, data)
            let byFile = try quill.run(["memo", "add", "project", "--file", name])
            #expect(byFile.status != 0)
            #expect(byFile.stderr.hasPrefix("Error: \(name): "), "\(byFile.stderr)")
            let piped = try quill.run(["memo", "add", "project"], input: data)
            #expect(piped.status != 0)
            #expect(piped.stderr.hasPrefix("Error: standard input: "), "\(piped.stderr)")
        }
        // Blank input is an empty memo, which memo add refuses as such.
        let blank = try quill.run(["memo", "add", "project"], input: Data(" \r\n".utf8))
        #expect(blank.status != 0)
        #expect(blank.stderr.contains("The memo's text is empty"), "\(blank.stderr)")
        #expect(try quill.digest() == before)
    }

    @Test func aMemoOrRulesFileThatIsAPDFIsNotCalledATranscript() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try quill.digest()
        try quill.write("notes.md", Data("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n".utf8))
        for arguments in [["memo", "add", "project", "--file", "notes.md"], ["autocode", "--rules", "notes.md", "--dry-run"]] {
            let result = try quill.run(arguments)
            #expect(result.status == 1)
            #expect(
                result.stderr
                    == "Error: notes.md: it is a PDF file, not text, whatever its name says. Save it as plain text (UTF-8) and give that file.\n",
                "\(arguments): \(result.stderr)")
        }
        #expect(try quill.digest() == before)
        // A transcript is still told how to make one Quill reads.
        try quill.write("interview.txt", Data("%PDF-1.7\n".utf8))
        let imported = try quill.run(["import", "interview.txt"])
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("Export the transcript"), "\(imported.stderr)")
    }

    @Test func aUTF16RulesFileCodesAsItsUTF8Twin() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write("rules.yaml", Data(CLIReviewTests.rules.utf8))
        try quill.write("rules-16.yaml", Self.utf16(CLIReviewTests.rules.replacingOccurrences(of: "\n", with: "\r\n")))
        let plain = try quill.run(["autocode", "--rules", "rules.yaml", "--dry-run", "--format", "csv"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Evidence/Synthesis"))
        let wide = try quill.run(["autocode", "--rules", "rules-16.yaml", "--dry-run", "--format", "csv"])
        #expect(wide.status == 0, "\(wide.stderr)")
        #expect(wide.stdout == plain.stdout)
        #expect(wide.stderr == plain.stderr)
    }

    @Test func aUTF16CodebookAndCodingCSVAreRead() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml", "interview-a.txt")
        let yaml = try quill.read("codebook.yaml")
        try quill.write("codebook-16.yaml", Self.utf16(yaml.replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(try quill.run(["init"]).status == 0)
        let imported = try quill.run(["codebook", "import", "codebook-16.yaml"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try quill.run(["import", "interview-a.txt"]).status == 0)
        try quill.write("codings.csv", Self.utf16("source,segment,code\r\ninterview-a,2,Evidence/Search\r\n"))
        let coded = try quill.run(["code", "--from", "codings.csv"])
        #expect(coded.status == 0, "\(coded.stderr)")
        #expect(coded.stderr.contains("Coded 1"), "\(coded.stderr)")
    }
}
