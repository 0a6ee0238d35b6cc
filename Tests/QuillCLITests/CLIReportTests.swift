import Foundation
import Testing

/// `quill report`, `quill excerpts`, and the report that `quill run` writes, end to end.
@Suite struct CLIReportTests {
    static let reportFiles = [
        "report.html", "report.md", "frequency.csv", "frequency.json", "frequency-rollup.csv", "frequency-rollup.json",
        "cooccurrence.csv", "cooccurrence.json", "cooccurrence-pairs.csv", "cooccurrence-pairs.json",
        "code-by-case.csv", "code-by-case.json", "code-by-source.csv", "code-by-source.json", "excerpts.csv", "excerpts.json",
    ]

    /// A project with the test codebook and two interviews, autocoded.
    private func codedProject() throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt", "interview-b.md")
        for arguments in [
            ["init", "--name", "Small <study>"], ["codebook", "import", "codebook.yaml"],
            ["import", "interview-a.txt", "interview-b.md"], ["autocode", "--apply"],
        ] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "quill \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return quill
    }

    @Test func reportWritesEveryFile() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["report", "--out", "out"], environment: ["SOURCE_DATE_EPOCH": "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("Wrote \(quill.folder.appendingPathComponent("out/report.html").standardizedFileURL.path)")
                || result.stderr.contains("out/report.html"), "\(result.stderr)")
        for name in Self.reportFiles {
            #expect(FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("out/\(name)").path), "missing \(name)")
        }
        let html = try quill.read("out/report.html")
        #expect(html.contains("<h1>Small &lt;study&gt;</h1>"))
        #expect(html.contains("<dt>Made at</dt><dd>1970-01-01T00:00:00Z</dd>"))
        #expect(html.contains("<dt>Project file</dt><dd>project.quill</dd>"))
        #expect(html.contains("<dt>Made with</dt><dd>Quill 0."))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(try quill.read("out/report.md").hasPrefix("# Small &lt;study>\n"))
        #expect(try quill.read("out/excerpts.csv").hasPrefix("source,segment,speaker,case,start,end,codes,text\r\n"))

        // The same project and SOURCE_DATE_EPOCH: the same bytes.
        let first = try Self.reportFiles.map { try quill.read("out/\($0)") }
        #expect(try quill.run(["report", "--out", "again"], environment: ["SOURCE_DATE_EPOCH": "0"]).status == 0)
        #expect(try Self.reportFiles.map { try quill.read("again/\($0)") } == first)
    }

    @Test func reportTakesAUnitAndFilters() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["report", "--unit", "window:1", "--exclude-interviewers", "--coder", "autocode"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try quill.read("Exports/report.html")
        #expect(html.contains("<dt>Co-occurrence unit</dt><dd>window:1: "))
        #expect(html.contains("<dt>Filter</dt><dd>coders autocode; interviewers left out</dd>"))

        let bad = try quill.run(["report", "--unit", "paragraph"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("'paragraph' is not a co-occurrence unit"), "\(bad.stderr)")
        let badTime = try quill.run(["report"], environment: ["SOURCE_DATE_EPOCH": "yesterday"])
        #expect(badTime.status != 0)
        #expect(badTime.stderr.contains("SOURCE_DATE_EPOCH"), "\(badTime.stderr)")
        let unknownCoder = try quill.run(["report", "--coder", "nobody"])
        #expect(unknownCoder.status != 0)
        #expect(unknownCoder.stderr.contains("No coder is called 'nobody'"))
    }

    @Test func excerptsPrintsReadablyAndInEveryFormat() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let readable = try quill.run(["excerpts", "--code", "Evidence/Search"])
        #expect(readable.status == 0, "\(readable.stderr)")
        #expect(
            readable.stdout.contains("interview-a #2 · Zoë  [Evidence/Search]\n    I run a literature search 👍 every week."), "\(readable.stdout)")
        #expect(readable.stderr.contains("excerpt"))

        let csv = try quill.run(["excerpts", "--code", "Evidence", "--rollup", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("source,segment,speaker,case,start,end,codes,text\r\ninterview-a,2,Zoë,Zoë,"), "\(csv.stdout)")
        let json = try quill.run(["excerpts", "--any", "Evidence/Search", "--any", "Barriers", "--not", "Evidence", "--rollup", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.hasPrefix("["))
        #expect(!json.stdout.contains("Evidence/Search"), "every segment with Search also has Evidence, rolled up")

        let ambiguous = try quill.run(["excerpts", "--code", "Barrier"])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("'Barrier' names 2 codes"), "\(ambiguous.stderr)")
        let unknown = try quill.run(["excerpts", "--code", "Serch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No code is called 'Serch'"), "\(unknown.stderr)")
        let none = try quill.run(["excerpts"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("--code or --any"), "\(none.stderr)")
    }

    @Test func runWritesTheFullReportForTheShippedStudy() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        for folder in ["Transcripts", "Codebooks"] {
            try FileManager.default.copyItem(
                at: QuillRunner.repository.appendingPathComponent(folder),
                to: quill.folder.appendingPathComponent(folder))
        }
        let result = try quill.run(["run"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(result.status == 0, "\(result.stderr)")
        for name in Self.reportFiles + ["frequency.md", "frequency-rollup.md"] {
            #expect(FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("Exports/\(name)").path), "missing \(name)")
        }
        let html = try quill.read("Exports/report.html")
        #expect(html.contains("Learning Health System Framework"))
        #expect(html.contains("<dt>Filter</dt><dd>interviewers left out</dd>"))
        #expect(html.contains("<dt>Made at</dt><dd>2023-11-14T22:13:20Z</dd>"))
        #expect(html.contains("interview-01-clinical-librarian"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        let before = try Self.reportFiles.map { try quill.read("Exports/\($0)") }
        #expect(try quill.run(["run"], environment: ["SOURCE_DATE_EPOCH": "1700000000"]).status == 0)
        #expect(try Self.reportFiles.map { try quill.read("Exports/\($0)") } == before)
    }
}
