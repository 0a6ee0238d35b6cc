import Foundation
import QuillKit
import Testing

/// Regular expressions that backtrack without end, in codebooks and speaker patterns, stop the
/// built `quill` with one message naming the rule and the segment, and change nothing.
@Suite struct CLIRegexLimitTests {
    static let runaway = #"(\w+\s?)*$"#

    /// The test codebook with one more code, whose rule runs away on speech.
    static func travellingCodebook() throws -> String {
        try String(contentsOf: try QuillRunner.fixture("codebook.yaml"), encoding: .utf8)
            + "- name: Runaway\n  rules:\n  - regex: '\(runaway)'\n"
    }

    /// Runs `quill`, killing it if it has not ended in two minutes: without a bound, these
    /// commands run for hours, and the test should fail rather than hang.
    func run(_ quill: QuillRunner, _ arguments: [String]) throws -> QuillResult {
        let running = try RunningQuill(quill, arguments)
        return try #require(running.wait(seconds: 120), "quill \(arguments.joined(separator: " ")) did not stop")
    }

    /// The message of a refused command: one line, after `Error: `.
    func message(_ result: QuillResult) -> String {
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "not one message: \(result.stderr)")
        return lines.first.map(String.init) ?? ""
    }

    @Test func quillRunStopsOnARunawayCodebookRuleAndLeavesNoProject() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.write("Codebooks/travelling.yaml", Data(try Self.travellingCodebook().utf8))
        for name in ["interview-a.txt", "interview-b.md"] {
            try quill.write("Transcripts/\(name)", try Data(contentsOf: try QuillRunner.fixture(name)))
        }
        let result = try run(quill, ["run", "--codebook", "Codebooks/travelling.yaml"])
        #expect(result.status != 0)
        #expect(
            message(result) == "Error: the codebook: rule 1 of code 'Runaway': the regular expression /(\\w+\\s?)*$/ took more than "
                + "10,000,000 steps on segment 2 of interview-b and was stopped, so nothing was changed. Simplify it: nested quantifiers "
                + "such as (\\w+\\s?)* try every way of cutting the text and never finish; make the separator required, as in (\\w+\\s)*, "
                + "or the group atomic, as in (?>\\w+\\s?)*.")
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("Exports/report.html").path))
    }

    @Test func autocodeStopsOnACodebookRuleStoredInTheProject() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write("travelling.yaml", Data(try Self.travellingCodebook().utf8))
        #expect(try quill.run(["codebook", "import", "travelling.yaml"]).status == 0)
        let before = try quill.digest()
        for arguments in [["autocode"], ["autocode", "--apply"], ["autocode", "--dry-run"]] {
            let result = try run(quill, arguments)
            #expect(result.status != 0, "quill \(arguments.joined(separator: " ")): \(result.stdout)")
            #expect(
                message(result).hasPrefix(
                    "Error: the codebook: rule 1 of code 'Runaway': the regular expression /(\\w+\\s?)*$/ "
                        + "took more than 10,000,000 steps on segment 2 of interview-b and was stopped"))
        }
        #expect(try quill.digest() == before)
    }

    @Test func resegmentStopsOnARunawaySpeakerPattern() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write(
            "interview-c.txt",
            Data("Interviewer: And then?\nP04: Then it was over.\nWell I think the library service is great for us all, honestly.\n".utf8))
        #expect(try quill.run(["import", "interview-c.txt"]).status == 0)
        let before = try quill.digest()
        let result = try run(quill, ["resegment", "interview-c", "--speaker-pattern", Self.runaway])
        #expect(result.status != 0)
        #expect(
            message(result).hasPrefix(
                "Error: interview-c: --speaker-pattern: the regular expression /(\\w+\\s?)*$/ took more than "
                    + "10,000,000 steps on line 3 and was stopped, so nothing was changed. Simplify it"))
        #expect(try quill.digest() == before)
        // A pattern that settles each line quickly re-segments as asked.
        let tame = try run(quill, ["resegment", "interview-c", "--speaker-pattern", #"^(?<speaker>\w+):\s*"#])
        #expect(tame.status == 0, "\(tame.stderr)")
    }
}
