import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct AutocodeTests {
    static let book = """
        name: Autocode book
        codes:
          - name: Topics
            codable: false
            keywords: [library]
            children:
              - name: Evidence
                keywords: [literature search, evidence-based]
              - name: Data
                keywords: [dashboard, data quality]
              - name: Artificial intelligence
                keywords: [AI]
        """

    static let transcript = """
        Interviewer: Do you use the literature search service, or a dashboard?
        P01: Yes, the literature search helps; evidence based practice matters.
        Interviewer: And AI?
        P02: The dashboard has poor data quality, and ai is hype.
        P01: The library is nice.
        """

    static func project() throws -> (store: ProjectDatabase, sourceID: Int64) {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(book, file: "book.yaml"), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", transcript)], actor: TestSupport.actor())
        return (store, try #require(try SourceCatalog(store).sources().first?.id))
    }

    /// Which segments carry which code, as "number:path:coders".
    func applied(_ store: ProjectDatabase, _ sourceID: Int64) throws -> [String] {
        try SourceCatalog(store).segments(ofSource: sourceID).flatMap { segment in
            segment.codes.map { "\(segment.number):\($0.path):\($0.coders.joined(separator: "+"))" }
        }
    }

    @Test func codesParticipantTurnsAsTheAutocoder() throws {
        let (store, sourceID) = try Self.project()
        let report = try Autocoder(store).autocode(isDryRun: false, actor: TestSupport.actor("alice", command: "quill autocode"))
        #expect(report.added == 2)
        #expect(report.skippedInterviewerSegments == 2)
        #expect(
            report.proposals == [
                AutocodeProposal(
                    source: "alpha", segment: 2, code: "Topics/Evidence", keywords: ["literature search", "evidence-based"], exists: false,
                    rules: ["keywords"]),
                AutocodeProposal(
                    source: "alpha", segment: 4, code: "Topics/Data", keywords: ["dashboard", "data quality"], exists: false,
                    rules: ["keywords"]),
            ])
        #expect(try applied(store, sourceID) == ["2:Topics/Evidence:autocode", "4:Topics/Data:autocode"])
        #expect(CoderTable.autocoder == "autocode")
        let memos = try store.read { db in try String.fetchAll(db, sql: "SELECT memo FROM coding ORDER BY id") }
        #expect(memos == ["autocode: literature search, evidence-based", "autocode: dashboard, data quality"])
        let history = try store.history()
        #expect(history.last?.command == "quill autocode")
        #expect(history.last?.coder == "alice")
        #expect(history.last?.summary == "autocoded 2 segment coding(s) from codebook keywords")
    }

    @Test func includeInterviewersAlsoCodesTheirTurns() throws {
        let (store, sourceID) = try Self.project()
        let report = try Autocoder(store).autocode(isDryRun: false, includeInterviewers: true, actor: TestSupport.actor())
        #expect(report.added == 5)
        #expect(report.skippedInterviewerSegments == 0)
        #expect(
            try applied(store, sourceID) == [
                "1:Topics/Data:autocode", "1:Topics/Evidence:autocode", "2:Topics/Evidence:autocode",
                "3:Topics/Artificial intelligence:autocode", "4:Topics/Data:autocode",
            ])
    }

    @Test func aDryRunChangesNothing() throws {
        let (store, sourceID) = try Self.project()
        let digest = try ContentDigest(store).contentDigest()
        let historyCount = try store.history().count
        let report = try Autocoder(store).autocode(isDryRun: true, actor: TestSupport.actor())
        #expect(report.added == 0)
        #expect(report.proposals.map(\.segment) == [2, 4])
        #expect(report.proposals.allSatisfy { !$0.exists })
        #expect(try applied(store, sourceID).isEmpty)
        #expect(try store.history().count == historyCount)
        #expect(try ContentDigest(store).contentDigest() == digest)
    }

    @Test func aSecondRunAddsNothing() throws {
        let (store, sourceID) = try Self.project()
        _ = try Autocoder(store).autocode(isDryRun: false, actor: TestSupport.actor())
        let digest = try ContentDigest(store).contentDigest()
        let historyCount = try store.history().count
        let second = try Autocoder(store).autocode(isDryRun: false, actor: TestSupport.actor())
        #expect(second.added == 0)
        #expect(second.proposals.count == 2)
        #expect(second.proposals.allSatisfy { $0.exists })
        #expect(try store.history().count == historyCount)
        #expect(try ContentDigest(store).contentDigest() == digest)
        #expect(try applied(store, sourceID) == ["2:Topics/Evidence:autocode", "4:Topics/Data:autocode"])
        // A dry run after coding reports the codings as existing.
        #expect(try Autocoder(store).autocode(isDryRun: true, actor: TestSupport.actor()).proposals.allSatisfy { $0.exists })
    }

    @Test func onlyTheChosenSources() throws {
        let (store, _) = try Self.project()
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("beta", "P03: Our dashboard.\nP04: A dashboard again.\n")],
            actor: TestSupport.actor())
        let beta = try SourceCatalog(store).resolveSource("beta").id
        let report = try Autocoder(store).autocode(isDryRun: false, sourceIDs: [beta], actor: TestSupport.actor())
        #expect(report.proposals.map { "\($0.source)#\($0.segment)" } == ["beta#1", "beta#2"])
        #expect(report.added == 2)
    }
}
