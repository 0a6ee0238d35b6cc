import Foundation
import QuillKit
import Testing

/// Matrices, search and analysis filters through the built binary.
@Suite struct CLIAnalysisTests {
    /// The two fixture interviews, coded by hand:
    ///
    ///     interview-a  #2 Zoë  "I run a literature search 👍 every week. / It’s hard, I can’t always find time."  Search, Barriers
    ///                  #4 Zoë  "The barrier is time."                                                           Barriers
    ///     interview-b  #2 P03  "I write a summary for the ward ... The search takes a day."                      Synthesis
    private func project() throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt", "interview-b.md")
        for arguments in [
            ["init"], ["codebook", "import", "codebook.yaml"], ["import", "interview-a.txt", "interview-b.md"],
            ["code", "interview-a", "2", "Evidence/Search", "Barriers"], ["code", "interview-a", "4", "Barriers"],
            ["code", "interview-b", "2", "Synthesis"],
        ] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "quill \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        try quill.write("people.csv", Data("case,role\nZoë,librarian\nP03,matron\n".utf8))
        #expect(try quill.run(["cases", "import", "people.csv"]).status == 0)
        return quill
    }

    @Test func matricesByCaseAndAttribute() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        let byCase = try quill.run(["stats", "matrix", "--by", "case", "--rollup", "--format", "csv"])
        #expect(byCase.status == 0, "\(byCase.stderr)")
        // Columns: Interviewer (4 segments), P03 (1), Zoë (2). Evidence rolls up Search and Synthesis.
        #expect(
            byCase.stdout == """
                code,Interviewer,P03,Zoë\r
                Evidence,0,1,1\r
                Evidence/Search,0,0,1\r
                Evidence/Synthesis,0,1,0\r
                Evidence/Barrier,0,0,0\r
                Barriers,0,0,2\r
                Stance,0,0,0\r
                Stance/Barrier,0,0,0\r
                Stance/Enabler,0,0,0\r

                """)
        let shares = try quill.run(["stats", "matrix", "--by", "attribute:role", "--shares", "--format", "csv"]).stdout
        #expect(shares.hasPrefix("code,librarian,matron,(none)\r\n"))
        #expect(shares.contains("Barriers,100.0,0.0,0.0\r\n"))
        let bad = try quill.run(["stats", "matrix", "--by", "attribute:region"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("No case attribute is called 'region'. The attributes: role."))
    }

    @Test func filtersNarrowEveryAnalysis() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        let matron = try quill.run(["stats", "frequency", "--where", "role=matron", "--format", "csv"]).stdout
        // The matron speaks in one source: shares are of the sources and cases that are in.
        #expect(matron.contains("Evidence/Synthesis,1,1,1,1,100.0,1,100.0\r\n"))
        #expect(matron.contains("Barriers,0,0,0,0,0.0,0,0.0\r\n"))
        let source = try quill.run(["stats", "frequency", "--source", "interview-a", "--format", "csv"]).stdout
        #expect(source.contains("Barriers,0,2,2,1,100.0,1,50.0\r\n"))  // Zoë of Zoë and the interviewer
        let unknown = try quill.run(["stats", "frequency", "--case", "Nobody"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No case is called 'Nobody'"))
    }

    @Test func searchFindsWordsAndCodesNearby() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        let words = try quill.run(["search", "search", "--format", "csv"])
        #expect(words.status == 0, "\(words.stderr)")
        #expect(
            words.stdout.split(separator: "\r\n").map { $0.split(separator: ",").prefix(2).joined(separator: " ") }
                == ["source segment", "interview-a 2", "interview-b 2"])
        // "time" is in interview-a #2 and #4; only #4 is without Search, and #3 (the interviewer) is next to both.
        let near = try quill.run(["search", "time", "--not", "Search", "--format", "csv"]).stdout
        #expect(near.contains("interview-a,4,Zoë,Zoë,171,191,Barriers,The barrier is time.\r\n"))
        #expect(!near.contains("interview-a,2,"))
        let codesNear = try quill.run(["search", "--code", "Barriers", "--near", "1", "--format", "csv"]).stdout
        #expect(codesNear.split(separator: "\r\n").count == 5, "a #1 to #4 lie within one segment of Barriers: \(codesNear)")
        let quoted = try quill.run(["search", "can't"])
        #expect(quoted.status == 0)
        #expect(quoted.stderr.contains("1 segment found."))
        let broken = try quill.run(["search", "\"open"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("is not a valid query"))
    }
}
