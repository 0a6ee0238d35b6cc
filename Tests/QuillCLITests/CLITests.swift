import Foundation
import QuillKit
import Testing

/// The `quill` binary end to end, in temporary folders.
@Suite struct CLITests {
    private func preparedProject() throws -> QuillRunner {
        try QuillRunner.preparedProject()
    }

    @Test func initCreatesAProjectThatIsFoundFromSubfolders() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        let created = try quill.run(["init", "--name", "Study"])
        #expect(created.status == 0)
        #expect(created.stderr.contains("Created project 'Study'"))
        #expect(FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))

        try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        let listed = try quill.run(["sources", "--format", "json"], in: "a/b")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == "[]\n")

        let again = try quill.run(["init"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func projectOptionOverridesTheSearch() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        #expect(try quill.run(["init", "--project", "other.quill"]).status == 0)
        let missing = try quill.run(["sources"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No Quill project"))
        #expect(missing.stderr.contains("quill init"))
        #expect(try quill.run(["sources", "--project", "other.quill"]).status == 0)

        try quill.write("notes.quill", Data("just some notes".utf8))
        let wrong = try quill.run(["sources", "--project", "notes.quill"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("is not a Quill project"))
    }

    @Test func importFindsSpeakersAndSkipsAFileImportedBefore() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        let sources = try quill.run(["sources", "--format", "csv"])
        #expect(
            sources.stdout == """
                number,name,format,segmentation,segments,speakers,codings,length,file\r
                1,interview-a,txt,turn,4,2,0,192,interview-a.txt\r
                2,interview-b,md,turn,3,2,0,179,interview-b.md\r

                """)
        let again = try quill.run(["import", "interview-a.txt"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("Skipped interview-a.txt: the project already has it, as 'interview-a'"))

        let show = try quill.run(["show", "interview-a"])
        #expect(show.stdout.contains("[2] Zoë\n    I run a literature search 👍 every week.\n    \n    It’s hard, I can’t always find time."))
        #expect(show.stdout.contains("[1] Interviewer · interviewer"))
    }

    @Test func codingByHandShowsInShowAndFrequency() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        let coded = try quill.run(["code", "interview-a", "2,4", "search", "Barriers"])
        #expect(coded.status == 0, "\(coded.stderr)")
        #expect(coded.stderr.contains("Coded 4 segment-code pairs in interview-a as tester"))
        let twice = try quill.run(["code", "interview-a", "2", "EVIDENCE/search"])
        #expect(twice.stderr.contains("already coded"))

        let show = try quill.run(["show", "interview-a", "--format", "json"])
        #expect(show.stdout.contains("\"codes\": \"Barriers; Evidence/Search\""))

        let frequency = try quill.run(["stats", "frequency", "--rollup", "--format", "csv"])
        // Search on segments 2 and 4 of interview-a, both spoken by Zoë; Barriers likewise.
        // Evidence rolls up Search: 2 codings, 2 segments, 1 source (of 2), 1 case (of 3: the
        // interviewer, who is one case across both sources, Zoë and P03).
        #expect(
            frequency.stdout == """
                code,depth,codings,segments,sources,sources_pct,cases,cases_pct\r
                Evidence,0,2,2,1,50.0,1,33.3\r
                Evidence/Search,1,2,2,1,50.0,1,33.3\r
                Evidence/Synthesis,1,0,0,0,0.0,0,0.0\r
                Evidence/Barrier,1,0,0,0,0.0,0,0.0\r
                Barriers,0,2,2,1,50.0,1,33.3\r
                Stance,0,0,0,0,0.0,0,0.0\r
                Stance/Barrier,1,0,0,0,0.0,0,0.0\r
                Stance/Enabler,1,0,0,0,0.0,0,0.0\r

                """)

        let uncoded = try quill.run(["uncode", "interview-a", "4", "Barriers"])
        #expect(uncoded.stderr.contains("Removed 1 coding"))
        let other = try quill.run(["uncode", "interview-a", "2", "Barriers"], environment: ["QUILL_CODER": "someone-else"])
        #expect(other.stderr.contains("Nothing to remove"))
        let tree = try quill.run(["codebook", "tree", "--format", "csv"])
        #expect(tree.stdout.contains("Barriers,1,1,true"))
        #expect(tree.stdout.contains("Evidence,0,2,true"))
    }

    @Test func autocodeAddsNothingTwiceAndLeavesInterviewersOut() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        let dry = try quill.run(["autocode", "--apply", "--dry-run", "--format", "csv"])
        #expect(dry.status == 0)
        #expect(
            dry.stdout == """
                source,segment,code,rule,matched,exists\r
                interview-a,2,Evidence,keywords,literature search,false\r
                interview-a,2,Evidence/Search,keywords,search,false\r
                interview-a,2,Barriers,keywords,can't,false\r
                interview-a,4,Barriers,keywords,barrier,false\r
                interview-b,2,Evidence/Search,keywords,search,false\r
                interview-b,2,Evidence/Synthesis,keywords,summary,false\r

                """)
        let before = try quill.digest()
        #expect(dry.stderr.contains("nothing was changed"))
        let first = try quill.run(["autocode", "--apply"])
        #expect(first.stderr.contains("6 codings added"))
        #expect(try quill.digest() != before)
        let second = try quill.run(["autocode", "--apply"])
        #expect(second.stderr.contains("0 codings added, 6 already there"))
        let show = try quill.run(["show", "interview-b"])
        #expect(show.stdout.contains("Evidence/Synthesis (autocode)"))
    }

    @Test(arguments: [
        (["import", "missing.txt"], "missing.txt: there is no such file"),
        (["import", "empty.txt"], "empty.txt: the file is empty"),
        (["import", "binary.txt"], "binary.txt: it is a zip archive (such as a Word document), not text"),
        (["import", "notes.pdf"], "Quill does not read PDF files"),
        (["import", "garbled.txt"], "garbled.txt: the file is not valid UTF-8 text (line 2, byte 27), nor Windows-1252"),
        (["import", "interview-a.txt", "empty.txt"], "empty.txt: the file is empty"),
        (["code", "interview-a", "2", "Knowlege"], "No code is called 'Knowlege'"),
        (["code", "interview-a", "2", "Evidnce"], "Did you mean 'Evidence'"),
        (["code", "interview-a", "9", "Evidence"], "there is no segment 9"),
        (["code", "interview-a", "2", "Stance"], "only groups other codes"),
        (["code", "interview-a", "2", "Barrier"], "'Barrier' names"),
        (["code", "nosuch", "2", "Evidence"], "No source is called 'nosuch'"),
        (["codebook", "import", "bad.yaml"], "bad.yaml: line 4: unknown key 'keywrds' in a top-level code"),
        (["codebook", "import", "missing.yaml"], "missing.yaml: there is no such file"),
        (["stats", "frequency", "--coder", "nobody"], "No coder is called 'nobody'"),
    ])
    func badInputIsOneClearErrorAndChangesNothing(arguments: [String], message: String) throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        try quill.copy("empty.txt")
        try quill.write("binary.txt", Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF, 0x10]))
        try quill.write("notes.pdf", Data("%PDF-1.4".utf8))
        // 0x81 is neither UTF-8 nor Windows-1252.
        try quill.write("garbled.txt", Data(Array("Interviewer: Hello\nP01: Caf".utf8) + [0x81, 0x0A]))
        try quill.write("bad.yaml", Data("name: Bad\ncodes:\n- name: A\n  keywrds: [x]\n".utf8))
        let digest = try quill.digest()
        let bytes = try Data(contentsOf: quill.folder.appendingPathComponent("project.quill"))

        let result = try quill.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count <= 2, "one clear error, not a cascade: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try quill.digest() == digest)
        #expect(try Data(contentsOf: quill.folder.appendingPathComponent("project.quill")) == bytes)
    }

    @Test func runBuildsTheShippedStudyAndIsRepeatable() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        for folder in ["Transcripts", "Codebooks"] {
            try FileManager.default.copyItem(
                at: QuillRunner.repository.appendingPathComponent(folder),
                to: quill.folder.appendingPathComponent(folder))
        }
        let first = try quill.run(["run"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stderr.contains(
                "Imported interview-01-clinical-librarian: 28 turns by 2 speakers (Interviewer (interviewer), Aisha); 3 lines not attributed to a speaker (a header, a heading)."
            ))
        #expect(first.stderr.contains("Imported workshop-01-lhs-codesign: 36 turns by 6 speakers"))
        #expect(first.stdout.contains("Knowledge management"))
        let outputs = try ["csv", "md", "json"].flatMap { ext in
            try ["frequency", "frequency-rollup"].map { try quill.read("Exports/\($0).\(ext)") }
        }
        #expect(outputs.allSatisfy { !$0.isEmpty })
        let digest = try quill.digest()
        let exchange = try Data(contentsOf: quill.folder.appendingPathComponent("Exports/project.qdpx"))
        #expect(first.stderr.contains("project.qdpx for NVivo, ATLAS.ti, MAXQDA and QualCoder (9 sources"))

        let second = try quill.run(["run"])
        #expect(second.status == 0)
        #expect(second.stderr.contains("Autocoded: 0 new codings"))
        #expect(second.stderr.contains("Skipped interview-01-clinical-librarian.txt"))
        let again = try ["csv", "md", "json"].flatMap { ext in
            try ["frequency", "frequency-rollup"].map { try quill.read("Exports/\($0).\(ext)") }
        }
        #expect(again == outputs, "the same project gives the same bytes")
        #expect(try quill.digest() == digest)
        #expect(try Data(contentsOf: quill.folder.appendingPathComponent("Exports/project.qdpx")) == exchange)

        // A new project from the same input gives the same tables, byte for byte.
        try FileManager.default.removeItem(at: quill.folder.appendingPathComponent("project.quill"))
        try FileManager.default.removeItem(at: quill.folder.appendingPathComponent("Exports"))
        #expect(try quill.run(["run"]).status == 0)
        let fresh = try ["csv", "md", "json"].flatMap { ext in
            try ["frequency", "frequency-rollup"].map { try quill.read("Exports/\($0).\(ext)") }
        }
        #expect(fresh == outputs)
    }

    @Test func helpAndVersion() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        let help = try quill.run(["--help"])
        #expect(help.status == 0)
        for command in ["init", "run", "codebook", "import", "sources", "show", "code", "uncode", "autocode", "stats", "log"] {
            #expect(help.stdout.contains("  \(command)"), "help lists \(command)")
        }
        #expect(try quill.run(["--version"]).stdout.hasPrefix("0."))
    }

    @Test func historyRecordsEachChange() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        try quill.run(["code", "interview-b", "2", "Synthesis"])
        try quill.run(["code", "interview-b", "2", "Synthesis"])
        let log = try quill.run(["log", "--format", "csv"])
        let lines = log.stdout.split(separator: "\r\n")
        #expect(lines.count == 4, "header + codebook + import + one coding (the repeat changed nothing): \(log.stdout)")
        #expect(lines.last?.contains("added 1 coding(s) on 1 segment(s) of interview-b with Evidence/Synthesis") == true)
        #expect(lines.last?.contains(",tester,") == true)
        // The command is kept as typed, quoted so that it can be pasted back into a shell.
        try quill.run(["code", "interview-a", "4", "Barriers", "--memo", "it's about time"])
        let last = try quill.run(["log", "--format", "json"]).stdout
        #expect(last.contains(#""command": "quill code interview-a 4 Barriers --memo 'it'\\''s about time'""#))
    }
}
