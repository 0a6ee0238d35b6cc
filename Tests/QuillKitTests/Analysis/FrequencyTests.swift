import Foundation
import GRDB
import Testing

@testable import QuillKit

/// A tiny project whose frequency table is worked out by hand.
///
/// Codebook (three levels; Topics only groups):
///
///     Topics (not codable)
///       Evidence
///         Search
///         Appraisal
///       Data
///     Stance
///
/// Sources and segments (Interviewer is one speaker, and one case, across both sources):
///
///     alpha #1 Interviewer   alpha #2 Aisha   alpha #3 Interviewer   alpha #4 Aisha
///     beta  #1 Interviewer   beta  #2 Ben     beta  #3 Interviewer   beta  #4 Ben
///
/// Codings, by hand:
///
///     c1 Search     alpha #2 alice  ┐ two sibling codes on one segment
///     c2 Appraisal  alpha #2 alice  ┘
///     c3 Appraisal  alpha #4 alice  ┐ one code by two coders on one segment
///     c4 Appraisal  alpha #4 bob    ┘
///     c5 Data       alpha #4 alice
///     c6 Search     alpha #1 bob      on an interviewer turn
///     c7 Data       beta  #2 bob
///     c8 Stance     beta  #2 alice
///     c9 Evidence   beta  #4 alice    on the middle level itself
enum FrequencyFixture {
    static func project() throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory(name: "Frequency fixture")
        let codebook = Codebook(
            name: "Fixture book",
            codes: [
                .init(
                    name: "Topics", isCodable: false,
                    children: [
                        .init(name: "Evidence", children: [.init(name: "Search"), .init(name: "Appraisal")]),
                        .init(name: "Data"),
                    ]),
                .init(name: "Stance"),
            ])
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        let alpha = try TestSupport.prepared(
            "alpha",
            """
            Interviewer: What do you do?
            Aisha: I search the literature for the wards.
            Interviewer: And then?
            Aisha: I appraise it and share the data.
            """)
        let beta = try TestSupport.prepared(
            "beta",
            """
            Interviewer: Tell me about data.
            Ben: We use dashboards, "live" ones.
            Interviewer: Anything else?
            Ben: Evidence, mostly.
            """)
        _ = try SourceImporter(store).importSources([alpha, beta], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        let alphaID = try SourceCatalog(store).resolveSource("alpha").id
        let betaID = try SourceCatalog(store).resolveSource("beta").id
        func code(_ name: String, _ source: Int64, _ segment: Int, _ coder: String) throws {
            let report = try CodingEditor(store).code(
                sourceID: source, segments: [segment], codeIDs: [try tree.resolve(name).id],
                actor: TestSupport.actor(coder))
            #expect(report.changed == 1)
        }
        try code("Search", alphaID, 2, "alice")  // c1
        try code("Appraisal", alphaID, 2, "alice")  // c2
        try code("Appraisal", alphaID, 4, "alice")  // c3
        try code("Appraisal", alphaID, 4, "bob")  // c4
        try code("Data", alphaID, 4, "alice")  // c5
        try code("Search", alphaID, 1, "bob")  // c6
        try code("Data", betaID, 2, "bob")  // c7
        try code("Stance", betaID, 2, "alice")  // c8
        try code("Evidence", betaID, 4, "alice")  // c9
        return store
    }
}

@Suite struct FrequencyTests {
    typealias Row = FrequencyTable.Row

    /// The rows as "path: codings segments sources cases", easy to read in a failure.
    func counts(_ table: FrequencyTable) -> [String] {
        table.rows.map { "\(CodePath.display($0.path)): \($0.codings) \($0.segments) \($0.sources) \($0.cases)" }
    }

    @Test func theFixtureIsAsDescribed() throws {
        let store = try FrequencyFixture.project()
        let alpha = try SourceCatalog(store).segments(ofSource: try SourceCatalog(store).resolveSource("alpha").id)
        #expect(alpha.map(\.speaker) == ["Interviewer", "Aisha", "Interviewer", "Aisha"])
        #expect(alpha.map(\.isInterviewer) == [true, false, true, false])
        let beta = try SourceCatalog(store).segments(ofSource: try SourceCatalog(store).resolveSource("beta").id)
        #expect(beta.map(\.speaker) == ["Interviewer", "Ben", "Interviewer", "Ben"])
        let cases = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM studyCase") }
        #expect(cases == 3)
        #expect(try SourceCatalog(store).sources().map(\.codings) == [6, 3])
    }

    @Test func withoutRollUp() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: false)
        #expect(!table.isRolledUp)
        #expect(table.totalSources == 2)  // alpha, beta
        #expect(table.totalCases == 3)  // Interviewer, Aisha, Ben
        #expect(
            counts(table) == [
                "Topics: 0 0 0 0",  // never coded directly (it cannot be)
                "Topics/Evidence: 1 1 1 1",  // c9: beta #4, Ben
                "Topics/Evidence/Search: 2 2 1 2",  // c1, c6: alpha #2 and #1; Aisha and Interviewer
                "Topics/Evidence/Appraisal: 3 2 1 1",  // c2, c3, c4: alpha #2 and #4 (c3, c4 share #4); Aisha
                "Topics/Data: 2 2 2 2",  // c5, c7: alpha #4, beta #2; Aisha, Ben
                "Stance: 1 1 1 1",  // c8: beta #2, Ben
            ])
        #expect(table.rows.map(\.depth) == [0, 1, 2, 2, 1, 0])
        #expect(table.rows.map(\.isCodable) == [false, true, true, true, true, true])
    }

    @Test func withRollUpAParentCountsTheUnionOfItsSubtree() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true)
        #expect(table.isRolledUp)
        #expect(
            counts(table) == [
                // Topics = Evidence ∪ Search ∪ Appraisal ∪ Data: codings c1–c7, c9 = 8;
                // segments alpha #1, #2, #4, beta #2, #4 = 5 (alpha #4 holds Appraisal and Data, counted once);
                // sources 2; cases Interviewer, Aisha, Ben = 3.
                "Topics: 8 5 2 3",
                // Evidence = c9 + Search (c1, c6) + Appraisal (c2, c3, c4) = 6 codings;
                // segments beta #4, alpha #1, #2, #4 = 4 (alpha #2 has Search and Appraisal, counted once);
                // sources 2; cases Ben, Interviewer, Aisha = 3.
                "Topics/Evidence: 6 4 2 3",
                "Topics/Evidence/Search: 2 2 1 2",  // leaves are as without roll-up
                "Topics/Evidence/Appraisal: 3 2 1 1",
                "Topics/Data: 2 2 2 2",
                "Stance: 1 1 1 1",
            ])
    }

    @Test func oneCodersCodings() throws {
        let store = try FrequencyFixture.project()
        // alice made c1, c2, c3, c5, c8, c9.
        let alice = try ProjectAnalysis(store).frequency(rollUp: false, filter: AnalysisFilter(coders: ["alice"]))
        #expect(
            counts(alice) == [
                "Topics: 0 0 0 0",
                "Topics/Evidence: 1 1 1 1",  // c9
                "Topics/Evidence/Search: 1 1 1 1",  // c1 (c6 is bob's)
                "Topics/Evidence/Appraisal: 2 2 1 1",  // c2, c3 (c4 is bob's)
                "Topics/Data: 1 1 1 1",  // c5 (c7 is bob's)
                "Stance: 1 1 1 1",  // c8
            ])
        let aliceRolledUp = try ProjectAnalysis(store).frequency(rollUp: true, filter: AnalysisFilter(coders: ["alice"]))
        #expect(
            counts(aliceRolledUp).prefix(2) == [
                "Topics: 5 3 2 2",  // c1, c2, c3, c5, c9; alpha #2, #4, beta #4; Aisha, Ben
                "Topics/Evidence: 4 3 2 2",  // c1, c2, c3, c9; alpha #2, #4, beta #4; Aisha, Ben
            ])
        // bob made c4, c6, c7.
        let bob = try ProjectAnalysis(store).frequency(rollUp: false, filter: AnalysisFilter(coders: ["bob"]))
        #expect(
            counts(bob) == [
                "Topics: 0 0 0 0",
                "Topics/Evidence: 0 0 0 0",
                "Topics/Evidence/Search: 1 1 1 1",  // c6, on the interviewer's turn
                "Topics/Evidence/Appraisal: 1 1 1 1",  // c4
                "Topics/Data: 1 1 1 1",  // c7
                "Stance: 0 0 0 0",
            ])
        // Both coders together are everyone.
        let both = try ProjectAnalysis(store).frequency(rollUp: true, filter: AnalysisFilter(coders: ["alice", "bob"]))
        #expect(both.rows == (try ProjectAnalysis(store).frequency(rollUp: true)).rows)
    }

    @Test func leavingOutInterviewers() throws {
        let store = try FrequencyFixture.project()
        let filter = AnalysisFilter(excludesInterviewers: true)
        let flat = try ProjectAnalysis(store).frequency(rollUp: false, filter: filter)
        #expect(flat.totalCases == 2)  // Aisha, Ben
        #expect(flat.totalSources == 2)
        #expect(
            counts(flat) == [
                "Topics: 0 0 0 0",
                "Topics/Evidence: 1 1 1 1",
                "Topics/Evidence/Search: 1 1 1 1",  // c6 on the interviewer's turn is left out
                "Topics/Evidence/Appraisal: 3 2 1 1",
                "Topics/Data: 2 2 2 2",
                "Stance: 1 1 1 1",
            ])
        let rolledUp = try ProjectAnalysis(store).frequency(rollUp: true, filter: filter)
        #expect(
            counts(rolledUp).prefix(2) == [
                "Topics: 7 4 2 2",  // c1–c5, c7, c9; alpha #2, #4, beta #2, #4; Aisha, Ben
                "Topics/Evidence: 5 3 2 2",  // c1–c4, c9; alpha #2, #4, beta #4; Aisha, Ben
            ])
    }

    @Test func anUnknownCoderIsAnError() throws {
        let store = try FrequencyFixture.project()
        let error = TestSupport.quillError { _ = try ProjectAnalysis(store).frequency(rollUp: false, filter: AnalysisFilter(coders: ["carol"])) }
        #expect(error == .refused("No coder is called 'carol'.", remedy: .listNames(.coders, known: ["alice", "bob", "tester"])))
        #expect(error?.message.contains("alice, bob") == true)
    }

    @Test func anEmptyProjectHasZeroRows() throws {
        let store = try ProjectDatabase.inMemory()
        let table = try ProjectAnalysis(store).frequency(rollUp: true)
        #expect(table.rows.isEmpty)
        #expect(table.totalSources == 0)
        #expect(table.totalCases == 0)
    }
}
