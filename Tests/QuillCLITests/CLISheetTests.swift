import Foundation
import QuillKit
import Testing

@Suite struct CLISheetTests {
    /// Replaces the `codes:` line of a segment's block in a sheet.
    func setCodes(_ text: String, segment: Int, to codes: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        let marker = try #require(lines.firstIndex { $0.contains("<!-- seg:\(segment) ") })
        let line = try #require(lines[marker...].firstIndex { $0.hasPrefix("codes:") })
        lines[line] = "codes: " + codes
        return lines.joined(separator: "\n")
    }

    /// Writes an executable shell script into the runner's folder and returns its path.
    func script(_ quill: QuillRunner, _ name: String, _ body: String) throws -> String {
        try quill.write(name, Data(("#!/bin/sh\n" + body + "\n").utf8))
        let path = quill.folder.appendingPathComponent(name).path
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// The codes each segment of interview-a carries, as `quill show` lists them.
    func codes(_ quill: QuillRunner) throws -> [String] {
        let result = try quill.run(["show", "interview-a", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            .map { String($0.split(separator: ",", omittingEmptySubsequences: false).last ?? "") }
    }

    @Test func writeEditApplyAndUndo() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["code", "interview-a", "2", "Search"]).status == 0)
        let printed = try quill.run(["sheet", "interview-a"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("- Coder: tester\n"))
        #expect(printed.stdout.contains("> I run a literature search 👍 every week.\n"))
        #expect(printed.stdout.contains("codes: Evidence/Search\n"))
        let written = try quill.run(["sheet", "interview-a", "--output", "s.md"])
        #expect(written.status == 0)
        #expect(written.stderr.contains("then run: quill sheet apply s.md"))
        #expect(try quill.read("s.md") == printed.stdout)

        var sheet = try setCodes(try quill.read("s.md"), segment: 2, to: "Barriers")
        sheet = try setCodes(sheet, segment: 4, to: "Evidence/Synthesis; Barriers")
        try quill.write("s.md", Data(sheet.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let before = try quill.digest()
        let researchBefore = try ContentDigest(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).contentDigest(
            researchOnly: true)
        let dry = try quill.run(["sheet", "apply", "s.md", "--dry-run", "--format", "csv"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "segment,change,code\r\n2,add,Barriers\r\n2,remove,Evidence/Search\r\n4,add,Evidence/Synthesis\r\n4,add,Barriers\r\n")
        #expect(dry.stderr.hasSuffix("would have added 3, removed 1 coding on 2 segments. Nothing was changed.\n"))
        #expect(try quill.digest() == before)

        let applied = try quill.run(["sheet", "apply", "s.md"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr == "Applied s.md to interview-a as tester: added 3, removed 1 coding on 2 segments.\n")
        #expect(try codes(quill) == ["", "Barriers", "", "Barriers; Evidence/Synthesis"])
        let again = try quill.run(["sheet", "apply", "s.md"])
        #expect(again.stderr == "Nothing to apply: s.md matches tester's codings of interview-a.\n")

        #expect(try quill.run(["undo"]).status == 0)
        let researchAfter = try ContentDigest(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).contentDigest(
            researchOnly: true)
        #expect(researchAfter == researchBefore)
    }

    @Test func aTypoStopsWithTheLineAndChangesNothing() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let sheet = try setCodes(try quill.run(["sheet", "interview-a"]).stdout, segment: 4, to: "Barriers; Synthesys")
        try quill.write("s.md", Data(sheet.utf8))
        let line = try #require(sheet.components(separatedBy: "\n").firstIndex { $0.hasSuffix("Synthesys") }) + 1
        let before = try quill.digest()
        let result = try quill.run(["sheet", "apply", "s.md"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("s.md: line \(line): No code is called 'Synthesys'. Did you mean 'Evidence/Synthesis'?"), "\(result.stderr)")
        #expect(try quill.digest() == before)
    }

    @Test func aSheetOfAResegmentedSourceIsRefused() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write("s.md", Data(try setCodes(try quill.run(["sheet", "interview-a"]).stdout, segment: 2, to: "Barriers").utf8))
        #expect(try quill.run(["resegment", "interview-a", "--segment", "sentence"]).status == 0)
        let before = try quill.digest()
        let result = try quill.run(["sheet", "apply", "s.md"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has been resegmented or changed since"), "\(result.stderr)")
        #expect(try quill.digest() == before)
    }

    @Test func editOpensTheEditorAndAppliesOnSave() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        // An editor given with an argument: the code to write on the first empty codes line.
        let editor = try script(quill, "edit.sh", #"sed -i "0,/^codes:\$/s//codes: $1/" "$2""#)
        let temporary = quill.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let environment = ["EDITOR": "\(editor) Barriers", "VISUAL": "", "TMPDIR": temporary.path]
        let result = try quill.run(["sheet", "edit", "interview-a"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "Applied the sheet to interview-a as tester: added 1, removed 0 codings on 1 segment.\n")
        #expect(try codes(quill) == ["Barriers", "", "", ""])
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)

        // An editor that changes nothing, and one that fails: nothing is applied.
        let before = try quill.digest()
        let unchanged = try quill.run(["sheet", "edit", "interview-a"], environment: ["EDITOR": "true", "TMPDIR": temporary.path])
        #expect(unchanged.status == 0)
        #expect(unchanged.stderr == "The sheet was not changed; nothing to apply.\n")
        let failing = try script(quill, "fail.sh", #"sed -i "s/^codes:.*/codes: Barriers/" "$1"; exit 1"#)
        let failed = try quill.run(["sheet", "edit", "interview-a"], environment: ["EDITOR": failing, "TMPDIR": temporary.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("The editor exited with status 1; nothing was applied."))
        #expect(try quill.digest() == before)
        let quitting = try quill.run(["sheet", "edit", "interview-a"], environment: ["EDITOR": "false", "TMPDIR": temporary.path])
        #expect(quitting.status == 1)
        #expect(quitting.stderr == "The editor exited with status 1; nothing was applied.\n")
        #expect(try quill.digest() == before)
    }

    @Test func aSheetTheEditorSavesAsUTF16IsApplied() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        // An editor that writes the code, then saves the file as UTF-16 with a BOM and CRLF
        // line ends, as Windows Notepad's "Unicode" does.
        let editor = try script(
            quill, "edit16.sh",
            #"sed -i "0,/^codes:\$/s//codes: Barriers/" "$1" && sed -i 's/$/\r/' "$1" && iconv -f UTF-8 -t UTF-16 "$1" > "$1.16" && mv "$1.16" "$1""#)
        let temporary = quill.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let result = try quill.run(["sheet", "edit", "interview-a"], environment: ["EDITOR": editor, "VISUAL": "", "TMPDIR": temporary.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "Applied the sheet to interview-a as tester: added 1, removed 0 codings on 1 segment.\n")
        #expect(try codes(quill) == ["Barriers", "", "", ""])
    }

    @Test func aSheetThatCannotBeAppliedIsKept() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let temporary = quill.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let typo = try script(quill, "typo.sh", #"sed -i "0,/^codes:\$/s//codes: Barirers/" "$1""#)
        let before = try quill.digest()
        let result = try quill.run(["sheet", "edit", "interview-a"], environment: ["EDITOR": typo, "TMPDIR": temporary.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("No code is called 'Barirers'. Did you mean 'Barriers'?"), "\(result.stderr)")
        #expect(try quill.digest() == before)
        // The sheet is kept in a private folder of its own, readable by its owner only.
        let kept = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        #expect(kept.count == 1)
        let folder = temporary.appendingPathComponent(try #require(kept.first))
        #expect(folder.lastPathComponent.hasPrefix("quill-sheet-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["interview-a.md"])
        let path = folder.appendingPathComponent("interview-a.md").path
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(
            result.stderr.contains(
                "Your edited sheet is kept at \(path) (in a folder only you can read). Correct it, then run: quill sheet apply \(path)"),
            "\(result.stderr)")
        // Corrected, it applies.
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "codes: Barirers", with: "codes: Barriers")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let retried = try quill.run(["sheet", "apply", path])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try codes(quill) == ["Barriers", "", "", ""])
    }

    @Test func interactiveCodingFromPipedInput() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["code", "-i", "interview-a"], stdin: "evid\nsyn; barriers\nbarr\nq\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stdout.contains("[1/4] Interviewer · interviewer\n    How do you use evidence?\n  codes: (none)\n> Segment 1: + Evidence.\n"))
        #expect(result.stdout.contains("> Segment 2: + Evidence/Synthesis, + Barriers.\n"))
        #expect(result.stdout.contains("'barr' names 3 codes: 'Evidence/Barrier', 'Barriers', 'Stance/Barrier'."))
        #expect(result.stderr == "Stopped at segment 3 of interview-a; 'quill code -i interview-a' starts there next time.\n")
        #expect(try codes(quill) == ["Evidence", "Barriers; Evidence/Synthesis", "", ""])

        // The next session starts where this one stopped; at the end of input it stops too.
        let resumed = try quill.run(["code", "-i", "interview-a"])
        #expect(resumed.status == 0)
        #expect(resumed.stdout.contains("[3/4] Interviewer"))
        #expect(!resumed.stdout.contains("[1/4]"))
        let from = try quill.run(["code", "-i", "interview-a", "--from", "2"], stdin: "-barriers\n")
        #expect(from.stdout.contains("[2/4] Zoë\n"))
        #expect(from.stdout.contains("Segment 2: - Barriers."))
        #expect(try codes(quill) == ["Evidence", "Evidence/Synthesis", "", ""])

        // Every line is its own change.
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try codes(quill) == ["Evidence", "Barriers; Evidence/Synthesis", "", ""])
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try codes(quill) == ["Evidence", "", "", ""])
    }

    @Test func interactiveCodingChecksItsArguments() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try quill.digest()
        let file = try quill.run(["code", "-i", "interview-a", "--from", "codings.csv"])
        #expect(file.status == 64)
        #expect(file.stderr.contains("With -i, '--from' takes the segment number to start at"))
        let segments = try quill.run(["code", "-i", "interview-a", "2", "Barriers"])
        #expect(segments.status == 64)
        let missing = try quill.run(["code", "-i", "interview-a", "--from", "9"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("the source 'interview-a' has segments 1 to 4"))
        #expect(try quill.digest() == before)
        // The ordinary form still works.
        #expect(try quill.run(["code", "interview-a", "2", "Barriers"]).status == 0)
    }
}
