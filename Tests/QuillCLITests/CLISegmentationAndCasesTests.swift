import Foundation
import QuillKit
import Testing

/// Segmentation options, re-segmenting, speakers and cases, end to end.
@Suite struct CLISegmentationAndCasesTests {
    private func project(_ files: [String: String] = [:]) throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt", "interview-b.md")
        for (name, text) in files { try quill.write(name, Data(text.utf8)) }
        #expect(try quill.run(["init"]).status == 0)
        #expect(try quill.run(["codebook", "import", "codebook.yaml"]).status == 0)
        return quill
    }

    @Test func sentencesWithinTurnsAndBackKeepEveryCoding() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        let imported = try quill.run(["import", "interview-a.txt", "--segment", "sentence"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Imported interview-a: 5 sentences by 2 speakers"))
        let sentences = try quill.run(["show", "interview-a", "--format", "csv"])
        #expect(sentences.stdout.contains("2,Zoë,false,,61,100,I run a literature search 👍 every week.,\r\n"))
        #expect(sentences.stdout.contains("3,Zoë,false,,102,138,\"It’s hard, I can’t always find time.\",\r\n"))

        #expect(try quill.run(["code", "interview-a", "2-3", "Evidence"]).status == 0)
        let digestBefore = try quill.run(["stats", "frequency", "--format", "csv"]).stdout
        #expect(digestBefore.contains("Evidence,0,2,2,1"))

        let back = try quill.run(["resegment", "interview-a", "--segment", "turn"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stderr.contains("5 sentence segments became 4 turns; all 2 codings kept"))
        let turns = try quill.run(["show", "interview-a"])
        #expect(
            turns.stdout.contains(
                "[2] Zoë\n    I run a literature search 👍 every week.\n    \n    It’s hard, I can’t always find time.\n    → Evidence (tester)"))
        // Both codings now fall in one turn: 2 codings, 1 segment.
        #expect(try quill.run(["stats", "frequency", "--format", "csv"]).stdout.contains("Evidence,0,2,1,1"))

        let nothing = try quill.run(["resegment", "interview-a"])
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("Say how to cut the source"))
    }

    @Test func speakerPatternAndNoSpeakers() throws {
        let quill = try project(["house.txt": "Recorded 3 May.\nJS> How did it go?\nAB> Well, the search helped.\nJS> Thanks.\n"])
        defer { quill.cleanUp() }
        let patterned = try quill.run(["import", "house.txt", "--speaker-pattern", "^(?<speaker>[A-Z]{2})>\\s*"])
        #expect(patterned.status == 0, "\(patterned.stderr)")
        #expect(patterned.stderr.contains("Imported house: 3 turns by 2 speakers (JS, AB); 1 line not attributed to a speaker"))
        #expect(try quill.run(["show", "house", "--format", "csv"]).stdout.contains("2,AB,false,,39,63,\"Well, the search helped.\",\r\n"))

        let plain = try quill.run(["resegment", "house", "--no-speakers", "--segment", "line"])
        #expect(plain.stderr.contains("became 4 lines"))
        #expect(try quill.run(["speakers", "house", "--format", "csv"]).stdout == "speaker,case,interviewer,segments\r\n")

        let broken = try quill.run(["import", "interview-a.txt", "--speaker-pattern", "([A-Z"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("is not a valid regular expression"))
    }

    @Test func casePrefixesKeepWorkshopSpeakersApartAndGroupsHoldSources() throws {
        let workshop = "Facilitator: Welcome.\nSpeaker A: Hello.\nSpeaker A: Again.\n"
        let quill = try project(["ws1.txt": workshop, "ws2.txt": workshop + "Speaker B: Late.\n"])
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "ws1.txt", "--case-prefix", "ws1 ", "--group", "Workshop 1"]).status == 0)
        #expect(try quill.run(["import", "ws2.txt", "--case-prefix", "ws2 ", "--case", "Speaker B=Priya", "--group", "Workshop 2"]).status == 0)
        let cases = try quill.run(["cases", "list", "--format", "csv"])
        #expect(
            cases.stdout == """
                case,interviewer,segments,sources,attributes\r
                Priya,false,1,ws2,\r
                Workshop 1,false,0,ws1,\r
                Workshop 2,false,0,ws2,\r
                ws1 Facilitator,true,1,ws1,\r
                ws1 Speaker A,false,2,ws1,\r
                ws2 Facilitator,true,1,ws2,\r
                ws2 Speaker A,false,2,ws2,\r

                """)
    }

    @Test func caseAttributesAreTypedAndUnknownCasesAreSkipped() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "interview-a.txt", "interview-b.md"]).status == 0)
        try quill.write(
            "people.csv",
            Data(
                """
                participant,role,years,clinical,interviewed,score
                Zoë,"Librarian, clinical",7,yes,2025-05-01,3.5
                p03,Matron,12,no,2025-05-02,4
                Nobody,x,1,no,2025-05-03,1

                """.utf8))
        let imported = try quill.run(["cases", "import", "people.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stderr.contains(
                "Set 10 values on 2 cases; attributes: clinical (boolean), interviewed (date), role (text), score (float), years (integer)."))
        #expect(imported.stderr.contains("Skipped 1 row for cases the project does not have: 'Nobody'."))
        let shown = try quill.run(["cases", "show", "zoë", "--format", "csv"])
        #expect(shown.stdout.contains("role,\"Librarian, clinical\"\r\nyears,7\r\nclinical,true\r\ninterviewed,2025-05-01\r\nscore,3.5\r\n"))

        // A value that does not fit the type the project already holds is refused, and nothing changes.
        try quill.write("bad.csv", Data("case,years\nZoë,seven\n".utf8))
        let digest = try quill.digest()
        let refused = try quill.run(["cases", "import", "bad.csv"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bad.csv: row 2, column 'years': 'seven' is not an integer"))
        try quill.write("ragged.csv", Data("case,role\nZoë,Librarian,extra\n".utf8))
        let ragged = try quill.run(["cases", "import", "ragged.csv"])
        #expect(ragged.stderr.contains("ragged.csv: row 2 has 3 cells but the header has 2"))
        #expect(try quill.digest() == digest)
    }

    @Test func speakersCanBeRenamedAndMarked() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        #expect(try quill.run(["import", "interview-a.txt"]).status == 0)
        let renamed = try quill.run(["speakers", "interview-a", "--rename", "Zoë=Zoë Adams", "--role", "Interviewer=participant", "--format", "csv"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout == "speaker,case,interviewer,segments\r\nInterviewer,Interviewer,false,2\r\nZoë Adams,Zoë Adams,false,2\r\n")
        let unknown = try quill.run(["speakers", "interview-a", "--rename", "Bob=Rob"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("has no speaker called 'Bob'. Its speakers: Interviewer, Zoë Adams."))
    }

    @Test func encodingsAreReadOrRefusedClearly() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        try quill.write(
            "latin.txt", Data([UInt8]("Interviewer: Caf".utf8) + [0xE9, 0x3F, 0x0A] + [UInt8]("P01: ".utf8) + [0x93, 0x4F, 0x4B, 0x94, 0x0A]))
        let latin = try quill.run(["import", "latin.txt"])
        #expect(latin.status == 0, "\(latin.stderr)")
        #expect(latin.stderr.contains("read as Windows-1252"))
        #expect(latin.stderr.contains("Warning: latin.txt is not UTF-8; it was read as Windows-1252."))
        #expect(try quill.run(["show", "latin"]).stdout.contains("    Café?\n\n[2] P01\n    “OK”"))

        let utf16 = Array("Interviewer: hello\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        try quill.write("noBOM.txt", Data(utf16))
        let refused = try quill.run(["import", "noBOM.txt"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("noBOM.txt: the file looks like UTF-16 text without a byte-order mark"))
        try quill.write("withBOM.txt", Data([0xFF, 0xFE] + utf16))
        let read = try quill.run(["import", "withBOM.txt"])
        #expect(read.stderr.contains("Imported withBOM: 1 turn by 1 speaker (Interviewer (interviewer)); read as UTF-16LE."))
    }
}
