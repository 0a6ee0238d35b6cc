import Foundation
import GRDB
import Testing

@testable import QuillKit

/// A rule whose regular expression backtracks without end stops autocoding with a message that
/// names the rule and the segment, and the project stays as it was.
@Suite struct AutocodeRegexLimitTests {
    static let runaway = #"(\w+\s?)*$"#

    static let book = """
        name: Travelling book
        codes:
        - name: Access
          keywords:
          - waiting list
        - name: Themes
          codable: false
          children:
          - name: Everything
            rules:
            - speaker_role: interviewee
            - regex: '\(runaway)'

        """

    static let transcript = """
        Interviewer: How is it going?
        P01: Fine.
        Interviewer: And the waiting list?
        P01: It grows.
        Well I think the library service is great for us all, honestly.

        """

    static func project(book: String = book) throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(book, file: "book.yaml"), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", transcript)], actor: TestSupport.actor())
        return store
    }

    /// The number of rows of the tables autocoding writes to.
    static func rows(_ store: ProjectDatabase) throws -> [Int] {
        try store.read { db in
            try ["coding", "proposal", "coder", "history"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
        }
    }

    @Test func aCodebookRuleThatBacktracksTooLongStopsAutocodingWithNothingChanged() throws {
        let store = try Self.project()
        let digest = try ContentDigest(store).contentDigest()
        let rows = try Self.rows(store)
        // Segment 2 ("Fine.") is settled at once; segment 4 is where the pattern runs away, on
        // its second line.
        let expected = QuillError.regexTooComplex(
            file: "the codebook", place: "rule 2 of code 'Themes/Everything'", pattern: Self.runaway,
            segment: "segment 4 of alpha", limit: 10_000_000)
        for mode in [AutocodeMode.apply, .propose] {
            for isDryRun in [false, true] {
                #expect(throws: expected) { try Autocoder(store).autocode(mode: mode, isDryRun: isDryRun, actor: TestSupport.actor()) }
            }
        }
        #expect(try ContentDigest(store).contentDigest() == digest)
        #expect(try Self.rows(store) == rows)
        let message = try #require(expected.errorDescription)
        #expect(
            message == "the codebook: rule 2 of code 'Themes/Everything': the regular expression /(\\w+\\s?)*$/ took more than 10,000,000 steps "
                + "on segment 4 of alpha and was stopped, so nothing was changed. Simplify it: nested quantifiers such as (\\w+\\s?)* try every way "
                + "of cutting the text and never finish; make the separator required, as in (\\w+\\s)*, or the group atomic, as in (?>\\w+\\s?)*.")
    }

    @Test func aRulesFileRuleThatBacktracksTooLongNamesTheFileTheRuleAndTheLine() throws {
        let tame = Self.book.replacingOccurrences(of: "'\(Self.runaway)'", with: "'\\bhonestly\\b'")
        let store = try Self.project(book: tame)
        let digest = try ContentDigest(store).contentDigest()
        let rules = try RulesFile.parse(
            "rules:\n- code: Access\n  keywords_any: [library]\n- code: Everything\n  regex: '\(Self.runaway)'\n",
            file: "shared/rules.yaml")
        #expect(
            throws: QuillError.regexTooComplex(
                file: "shared/rules.yaml", place: "rule 2 (line 4)", pattern: Self.runaway,
                segment: "segment 4 of alpha", limit: 10_000_000)
        ) {
            try Autocoder(store).autocode(mode: .propose, isDryRun: false, rules: [rules], actor: TestSupport.actor())
        }
        #expect(try ContentDigest(store).contentDigest() == digest)
        // Without the rules file the tame codebook codes as before.
        let report = try Autocoder(store).autocode(mode: .apply, isDryRun: false, actor: TestSupport.actor())
        #expect(
            report.proposals.map { "\($0.segment):\($0.code):\($0.keywords.joined(separator: ", "))" } == [
                "2:Themes/Everything:speaker P01",
                "4:Themes/Everything:speaker P01, honestly",
            ])
    }

    @Test func quillRunsPipelineLeavesANewProjectEmpty() throws {
        let store = try ProjectDatabase.inMemory()
        let empty = try ContentDigest(store).contentDigest()
        let book = try Codebook.parseYAML(Self.book, file: "book.yaml")
        let error = TestSupport.quillError {
            _ = try Autocoder(store).runPipeline(
                codebook: book, sources: [try TestSupport.prepared("alpha", Self.transcript)], actor: TestSupport.actor())
        }
        #expect(
            error
                == .regexTooComplex(
                    file: "the codebook", place: "rule 2 of code 'Themes/Everything'", pattern: Self.runaway,
                    segment: "segment 4 of alpha", limit: 10_000_000))
        #expect(try ContentDigest(store).contentDigest() == empty)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM source") } == 0)
    }
}
