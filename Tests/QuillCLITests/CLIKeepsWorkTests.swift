import Foundation
import QuillKit
import Testing

/// Work a researcher does is never undone or lost by a later command.
@Suite struct CLIKeepsWorkTests {
    private func project(_ files: [String: String]) throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml")
        for (name, text) in files { try quill.write(name, Data(text.utf8)) }
        #expect(try quill.run(["init"]).status == 0)
        #expect(try quill.run(["codebook", "import", "codebook.yaml"]).status == 0)
        return quill
    }

    private let first = "Interviewer: What helps?\nSpeaker B: The search. The summary too.\nInterviewer: And?\nSpeaker B: A barrier is time.\n"
    private let second = "Interviewer: Hello.\nSpeaker B: Hi, another person entirely.\n"

    @Test func aRenamedSpeakersLabelCanArriveAgain() throws {
        let quill = try project(["s1.txt": first, "s2.txt": second])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        #expect(try quill.run(["speakers", "s1", "--rename", "Speaker B=Priya"]).status == 0)
        let again = try quill.run(["import", "s2.txt"])
        #expect(again.status == 0, "\(again.stderr)")
        let cases = try quill.run(["cases", "list", "--format", "csv"]).stdout
        #expect(cases.contains("Priya,false,2,s1,"))
        #expect(cases.contains("Speaker B,false,1,s2,"))
    }

    @Test func resegmentingKeepsSpeakersNamesAndMarks() throws {
        let quill = try project(["s1.txt": first, "p.txt": "JS> How?\nAB> Like so. And so.\n"])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        #expect(try quill.run(["import", "p.txt", "--speaker-pattern", "^(?<speaker>[A-Z]{2})>\\s*"]).status == 0)
        #expect(try quill.run(["speakers", "s1", "--rename", "Speaker B=Priya", "--role", "Interviewer=participant"]).status == 0)
        #expect(try quill.run(["resegment", "s1", "--segment", "sentence"]).status == 0)
        #expect(try quill.run(["resegment", "p", "--segment", "sentence"]).status == 0)
        #expect(
            try quill.run(["speakers", "s1", "--format", "csv"]).stdout
                == "speaker,case,interviewer,segments\r\nInterviewer,Interviewer,false,2\r\nPriya,Priya,false,3\r\n")
        #expect(
            try quill.run(["speakers", "p", "--format", "csv"]).stdout
                == "speaker,case,interviewer,segments\r\nJS,JS,false,1\r\nAB,AB,false,2\r\n")
    }

    @Test func resegmentingBackAndForthKeepsMemosOnSegmentsAndCodings() throws {
        let quill = try project(["s1.txt": first])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        #expect(try quill.run(["code", "s1", "2", "Search"]).status == 0)
        #expect(try quill.run(["memo", "add", "segment:s1#2", "--text", "Two things help."]).status == 0)
        #expect(try quill.run(["memo", "add", "segment:s1#4", "--text", "Time again."]).status == 0)
        let memos = try quill.run(["memo", "list", "--format", "csv"]).stdout
        let codings = try quill.run(["codings", "export", "--format", "csv"]).stdout
        #expect(memos.contains("segment:s1#2") && memos.contains("segment:s1#4"), "\(memos)")
        // Turn 2 becomes sentences 2 ("The search.") and 3 ("The summary too."), which holds more
        // of its text; turn 4 becomes sentence 5.
        #expect(try quill.run(["resegment", "s1", "--segment", "sentence"]).status == 0)
        let split = try quill.run(["memo", "list", "--format", "csv"]).stdout
        #expect(split.contains("segment:s1#3") && split.contains("segment:s1#5") && !split.contains("(gone)"), "\(split)")
        #expect(try quill.run(["check"]).status == 0)
        #expect(try quill.run(["resegment", "s1", "--segment", "turn"]).status == 0)
        #expect(try quill.run(["memo", "list", "--format", "csv"]).stdout == memos)
        #expect(try quill.run(["codings", "export", "--format", "csv"]).stdout == codings)
        let check = try quill.run(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func codingsThatSpanSeveralSegmentsCanBeRemovedAndAreNotDoubled() throws {
        let quill = try project(["s1.txt": first])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        #expect(try quill.run(["code", "s1", "2", "Search"]).status == 0)
        #expect(try quill.run(["resegment", "s1", "--segment", "sentence"]).status == 0)
        // Sentence 3 ("The summary too.") lies inside the turn coded before.
        let again = try quill.run(["code", "s1", "3", "Search"])
        #expect(again.stderr.contains("Coded 0 segment-code pairs in s1 as tester; 1 already coded."))
        let removed = try quill.run(["uncode", "s1", "3", "Search"])
        #expect(removed.stderr.contains("Removed 1 coding from s1 (1 of them also covered text outside these segments and went whole)."))
        #expect(try quill.run(["stats", "frequency", "--format", "csv"]).stdout.contains("Evidence/Search,1,0,0,0,0.0,0,0.0\r\n"))
    }

    @Test func aRemovedAutocodeSuggestionStaysRemoved() throws {
        let quill = try project(["s1.txt": first])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        #expect(try quill.run(["autocode", "--apply"]).stderr.contains("3 codings added"))
        #expect(try quill.run(["uncode", "s1", "4", "Barriers", "--coder", "autocode"]).status == 0)
        let again = try quill.run(["autocode", "--apply"])
        #expect(again.stderr.contains("0 codings added, 2 already there"), "\(again.stderr)")
    }

    @Test func aFailedRunLeavesNoProjectBehind() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("tr/a.txt", Data("Interviewer: Hi.\nP01: Hello.\n".utf8))
        try quill.write("tr/a.md", Data("**Interviewer:** Hi.\n\n**P02:** Hello.\n".utf8))
        let result = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("tr/a.md, tr/a.txt: these files would both be the source 'a'. Rename one of them."), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))
        try quill.write("afile", Data())
        try FileManager.default.removeItem(at: quill.folder.appendingPathComponent("tr/a.md"))
        let blocked = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml", "--out", "afile"])
        #expect(blocked.stderr.contains("it is a file; give --out a folder"))
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))
    }

    @Test func anExportedCodebookCanSwapNamesAndRenamesStay() throws {
        let quill = try project([:])
        defer { quill.cleanUp() }
        let exported = try quill.run(["codebook", "export"]).stdout
        // Swap the names of Search and Synthesis (their GUIDs stay with the codes).
        let swapped = exported.replacingOccurrences(of: "name: Search", with: "name: TEMP")
            .replacingOccurrences(of: "name: Synthesis", with: "name: Search").replacingOccurrences(of: "name: TEMP", with: "name: Synthesis")
        try quill.write("swapped.yaml", Data(swapped.utf8))
        let imported = try quill.run(["codebook", "import", "swapped.yaml"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("0 codes added, 2 updated"))
        // The file without GUIDs matches by path, so it neither renames the codes back nor fails.
        let original = try quill.run(["codebook", "import", "codebook.yaml"])
        #expect(original.status == 0, "\(original.stderr)")
        #expect(original.stderr.contains("0 codes added"))
    }

    @Test func undoReversesTheLatestChangesOneByOne() throws {
        let quill = try project(["s1.txt": first])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt"]).status == 0)
        let projectURL = quill.folder.appendingPathComponent("project.quill")
        let imported = try ContentDigest(ProjectDatabase.open(at: projectURL)).contentDigest(researchOnly: true)
        #expect(try quill.run(["code", "s1", "2", "Search"]).status == 0)
        #expect(try quill.run(["speakers", "s1", "--rename", "Speaker B=Priya"]).status == 0)
        let first = try quill.run(["undo"])
        #expect(first.stderr.contains("Undid #4 (tester, "))
        #expect(first.stderr.contains("renamed 'Speaker B' to 'Priya' in s1"))
        #expect(try quill.run(["undo"]).stderr.contains("added 1 coding(s) on 1 segment(s) of s1 with Evidence/Search"))
        #expect(try ContentDigest(ProjectDatabase.open(at: projectURL)).contentDigest(researchOnly: true) == imported)
        let log = try quill.run(["log", "--format", "csv"]).stdout
        #expect(log.contains("undid #3: added 1 coding(s)"))
    }

    @Test func nearTakesAnyNumberAndGroupsFilterTheirSources() throws {
        let quill = try project(["s1.txt": first, "s2.txt": second])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "s1.txt", "--group", "Workshop 1"]).status == 0)
        #expect(try quill.run(["import", "s2.txt", "--case-prefix", "two "]).status == 0)
        #expect(try quill.run(["code", "s1", "2", "Search"]).status == 0)
        let far = try quill.run(["search", "--code", "Search", "--near", "9223372036854775807", "--format", "csv"])
        #expect(far.status == 0)
        #expect(far.stdout.split(separator: "\r\n").count == 5)  // the header and s1's four turns
        let group = try quill.run(["stats", "frequency", "--case", "Workshop 1", "--format", "csv"]).stdout
        #expect(group.contains("Evidence/Search,1,1,1,1,100.0,1,50.0\r\n"))
    }
}
