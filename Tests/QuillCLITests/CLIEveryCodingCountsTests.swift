import Foundation
import Testing

/// Every coding counts in every analysis, wherever it lies: a coding of text outside the speaker
/// turns (a title, a date line) counts in the gap it lies in.
@Suite struct CLIEveryCodingCountsTests {
    static let transcript = "Date: 14 March 2025\nLocation: Leeds\n\nInterviewer: What helps?\nP01: The search.\n"

    @Test func aCodingOfTheHeaderCountsInFrequencyExcerptsAndMatrices() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("a.txt", Data(Self.transcript.utf8))
        try quill.write("codings.csv", Data("source,start,end,code\na,0,19,Search\na,67,78,Search\n".utf8))
        for arguments in [["init"], ["codebook", "import", "codebook.yaml"], ["import", "a.txt"], ["code", "--from", "codings.csv"]] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let frequency = try quill.run(["stats", "frequency", "--format", "csv"]).stdout
        #expect(frequency.contains("Evidence/Search,1,2,2,1,100.0,1,50.0\r\n"), "\(frequency)")
        let excerpts = try quill.run(["excerpts", "--code", "Search", "--format", "csv"]).stdout
        #expect(excerpts.contains("a,,,,0,50,Evidence/Search,\"Date: 14 March 2025\nLocation: Leeds\n\nInterviewer: \"\r\n"), "\(excerpts)")
        #expect(excerpts.contains("a,2,P01,P01,67,78,Evidence/Search,The search.\r\n"), "\(excerpts)")
        #expect(
            try quill.run(["excerpts", "--code", "Search"]).stdout.hasPrefix("a (between segments)  [Evidence/Search]\n    Date: 14 March 2025\n"))
        let bySource = try quill.run(["stats", "matrix", "--by", "source", "--format", "csv"]).stdout
        #expect(bySource.contains("Evidence/Search,2"), "\(bySource)")
        // Leaving interviewers out keeps it; a filter on cases leaves it out, as it has no speaker.
        #expect(try quill.run(["stats", "frequency", "--exclude-interviewers", "--format", "csv"]).stdout.contains("Evidence/Search,1,2,2,"))
        #expect(try quill.run(["stats", "frequency", "--case", "P01", "--format", "csv"]).stdout.contains("Evidence/Search,1,1,1,"))
        #expect(try quill.run(["check"]).status == 0)
    }
}
