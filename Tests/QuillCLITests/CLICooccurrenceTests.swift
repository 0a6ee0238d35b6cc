import Foundation
import QuillKit
import Testing

/// `quill stats cooccurrence` end to end.
@Suite struct CLICooccurrenceTests {
    /// The test codebook and both fixture transcripts, coded by hand:
    ///
    ///     interview-a #2 (Zoë)  Search, Barriers
    ///     interview-a #4 (Zoë)  Barriers, Enabler
    ///     interview-b #2 (P03)  Search, Synthesis, Barriers
    ///
    /// Seven segments in all (interview-a has four turns, interview-b three).
    private func codedProject() throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt", "interview-b.md")
        for arguments in [
            ["init"], ["codebook", "import", "codebook.yaml"], ["import", "interview-a.txt", "interview-b.md"],
            ["code", "interview-a", "2", "Search", "Barriers"], ["code", "interview-a", "4", "Barriers", "Enabler"],
            ["code", "interview-b", "2", "Search", "Synthesis", "Barriers"],
        ] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "quill \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return quill
    }

    @Test func matrixAsCSV() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["stats", "cooccurrence", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // n: Search 2 (a#2, b#2), Synthesis 1 (b#2), Barriers 3 (a#2, a#4, b#2), Enabler 1 (a#4).
        // Search+Synthesis 1 (b#2), Search+Barriers 2 (a#2, b#2), Synthesis+Barriers 1 (b#2),
        // Barriers+Enabler 1 (a#4); the other pairs never share a segment and are blank.
        #expect(
            result.stdout == """
                code,Evidence/Search,Evidence/Synthesis,Barriers,Stance/Enabler\r
                Evidence/Search,2,1,2,\r
                Evidence/Synthesis,1,1,1,\r
                Barriers,2,1,3,1\r
                Stance/Enabler,,,1,1\r

                """)
    }

    @Test func strongestPairsByJaccard() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["stats", "cooccurrence", "--pairs", "3", "--measure", "jaccard", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // Search+Barriers 2 / (2 + 3 − 2) = 0.667; Search+Synthesis 1 / (2 + 1 − 1) = 0.5;
        // Synthesis+Barriers 1 / (1 + 3 − 1) = 0.333 ties with Barriers+Enabler 1 / (3 + 1 − 1) at
        // count 1, and Synthesis comes first in the codebook, so Barriers+Enabler is the fourth.
        #expect(
            result.stdout == """
                code_a,code_b,count,value,n_a,n_b,imbalanced\r
                Evidence/Search,Barriers,2,0.667,2,3,false\r
                Evidence/Search,Evidence/Synthesis,1,0.500,2,1,false\r
                Evidence/Synthesis,Barriers,1,0.333,1,3,false\r

                """)
    }

    @Test func sourceUnitCountsSources() throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["stats", "cooccurrence", "--unit", "source", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // interview-a {Search, Barriers, Enabler}, interview-b {Search, Synthesis, Barriers}. Barriers is
        // on two segments of interview-a but counts once for it: n(Barriers) = 2 sources, not 3 segments.
        #expect(
            result.stdout == """
                code,Evidence/Search,Evidence/Synthesis,Barriers,Stance/Enabler\r
                Evidence/Search,2,1,2,1\r
                Evidence/Synthesis,1,1,1,\r
                Barriers,2,1,2,1\r
                Stance/Enabler,1,,1,1\r

                """)
    }

    @Test(arguments: [
        (["--unit", "window:x"], "'--unit window:x' is not a unit. Use segment, overlap, window:N"),
        (["--unit", "sentence"], "'--unit sentence' is not a unit."),
        (["--measure", "cosine"], "'--measure cosine' is not a measure. Use count, jaccard, c, conditional, lift."),
        (["--pairs", "0"], "'--pairs' must be 1 or more."),
        (["--min-count=-1"], "'--min-count' must be 0 or more."),
    ])
    func badOptionsAreOneClearError(arguments: [String], message: String) throws {
        let quill = try codedProject()
        defer { quill.cleanUp() }
        let result = try quill.run(["stats", "cooccurrence"] + arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
