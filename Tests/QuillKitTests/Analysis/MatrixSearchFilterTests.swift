import Foundation
import Testing

@testable import QuillKit

/// Matrices, search and the analysis filters, on the frequency fixture:
///
///     alpha  1 Interviewer  "What do you do?"                         Search (bob)
///            2 Aisha        "I search the literature for the wards."  Search, Appraisal (alice)
///            3 Interviewer  "And then?"
///            4 Aisha        "I appraise it and share the data."       Appraisal (alice, bob), Data (alice)
///     beta   1 Interviewer  "Tell me about data."
///            2 Ben          "We use dashboards, "live" ones."         Data (bob), Stance (alice)
///            3 Interviewer  "Anything else?"
///            4 Ben          "Evidence, mostly."                       Evidence (alice)
///
/// Codebook: Topics (grouping) > Evidence > {Search, Appraisal}; Topics > Data; Stance.
@Suite struct MatrixSearchFilterTests {
    private func project() throws -> ProjectDatabase {
        let store = try FrequencyFixture.project()
        _ = try CaseBook(store).importCaseAttributes(csv: "case,role\nAisha,librarian\nBen,manager\n", path: "roles.csv", actor: TestSupport.actor())
        return store
    }

    private func row(_ matrix: CodeMatrix, _ tree: CodeTree, _ name: String) throws -> [Int] {
        matrix.counts[try tree.resolve(name).id] ?? []
    }

    @Test func codeByCaseCountsSegmentsAndRollsUpWithoutDoubleCounting() throws {
        let store = try project()
        let tree = try CodeTree.load(store)
        let own = try ProjectAnalysis(store).matrix(.case, rollUp: false, filter: AnalysisFilter())
        #expect(own.columns == ["Aisha", "Ben", "Interviewer"])
        #expect(own.columnTotals == [2, 2, 4])
        #expect(try row(own, tree, "Search") == [1, 0, 1])  // alpha 2 (Aisha), alpha 1 (Interviewer)
        #expect(try row(own, tree, "Appraisal") == [2, 0, 0])  // alpha 2 and alpha 4; two coders on 4 count once
        #expect(try row(own, tree, "Evidence") == [0, 1, 0])  // beta 4
        let rolled = try ProjectAnalysis(store).matrix(.case, rollUp: true, filter: AnalysisFilter())
        // Evidence with Search and Appraisal: Aisha {alpha 2, alpha 4}, Ben {beta 4}, Interviewer {alpha 1}.
        #expect(try row(rolled, tree, "Evidence") == [2, 1, 1])
        // Topics adds Data: Ben {beta 2, beta 4}; alpha 4 is already counted for Aisha.
        #expect(try row(rolled, tree, "Topics") == [2, 2, 1])
        let shares = rolled.table(shares: true, for: .csv).render(.csv)
        #expect(shares.contains("Topics/Evidence,100.0,50.0,25.0\r\n"))
    }

    @Test func codeBySourceAndByAttributeValue() throws {
        let store = try project()
        let tree = try CodeTree.load(store)
        let bySource = try ProjectAnalysis(store).matrix(.source, rollUp: false, filter: AnalysisFilter())
        #expect(bySource.columns == ["alpha", "beta"])
        #expect(try row(bySource, tree, "Data") == [1, 1])
        let byRole = try ProjectAnalysis(store).matrix(.attribute("Role"), rollUp: true, filter: AnalysisFilter())
        #expect(byRole.columns == ["librarian", "manager", "(none)"])
        #expect(byRole.columnTotals == [2, 2, 4])
        #expect(try row(byRole, tree, "Topics") == [2, 2, 1])
        let error = TestSupport.quillError { _ = try ProjectAnalysis(store).matrix(.attribute("region"), rollUp: false, filter: AnalysisFilter()) }
        #expect(error?.errorDescription?.contains("No case attribute is called 'region'. The attributes: role.") == true)
        #expect(MatrixDimension(argument: "attribute:years in post") == .attribute("years in post"))
        #expect(MatrixDimension(argument: "attribute:") == nil)
        #expect(MatrixDimension(argument: "speaker") == nil)
    }

    @Test func filtersBySourceCaseAndAttribute() throws {
        let store = try project()
        func counts(_ filter: AnalysisFilter) throws -> [String] {
            try ProjectAnalysis(store).frequency(rollUp: true, filter: filter).rows.map {
                "\(CodePath.display($0.path)): \($0.codings) \($0.segments)"
            }
        }
        // Librarians: Aisha's segments alpha 2 and 4 only; bob's Search on alpha 1 is the interviewer's.
        #expect(
            try counts(AnalysisFilter(attributeConditions: [("role", "Librarian")])) == [
                "Topics: 5 2", "Topics/Evidence: 4 2", "Topics/Evidence/Search: 1 1", "Topics/Evidence/Appraisal: 3 2",
                "Topics/Data: 1 1", "Stance: 0 0",
            ])
        // Two values of one attribute are alternatives.
        #expect(
            try ProjectAnalysis(store).frequency(
                rollUp: true, filter: AnalysisFilter(attributeConditions: [("role", "librarian"), ("role", "manager")])
            ).rows[0].codings == 7)
        #expect(
            try counts(AnalysisFilter(sources: ["BETA"])) == [
                "Topics: 2 2", "Topics/Evidence: 1 1", "Topics/Evidence/Search: 0 0", "Topics/Evidence/Appraisal: 0 0",
                "Topics/Data: 1 1", "Stance: 1 1",
            ])
        #expect(
            try counts(AnalysisFilter(cases: ["interviewer"])) == [
                "Topics: 1 1", "Topics/Evidence: 1 1", "Topics/Evidence/Search: 1 1", "Topics/Evidence/Appraisal: 0 0",
                "Topics/Data: 0 0", "Stance: 0 0",
            ])
        let unknown = TestSupport.quillError { _ = try ProjectAnalysis(store).frequency(rollUp: false, filter: AnalysisFilter(cases: ["Carol"])) }
        #expect(unknown?.errorDescription?.contains("No case is called 'Carol'") == true)
    }

    @Test func searchCombinesWordsWithCodes() throws {
        let store = try project()
        let tree = try CodeTree.load(store)
        let data = try tree.resolve("Data").id
        let appraisal = try tree.resolve("Appraisal").id
        func found(_ query: SearchQuery) throws -> [String] {
            try ProjectAnalysis(store).searchExcerpts(query, filter: AnalysisFilter()).map { "\($0.source) \($0.segment ?? 0)" }
        }
        #expect(try found(SearchQuery(text: "data")) == ["alpha 4", "beta 1"])
        #expect(try found(SearchQuery(text: "DATA", allCodes: [data])) == ["alpha 4"])
        // Within one segment of a Data coding: beta 1 is next to beta 2.
        #expect(try found(SearchQuery(text: "data", allCodes: [data], near: 1)) == ["alpha 4", "beta 1"])
        #expect(try found(SearchQuery(text: "data", noCodes: [appraisal])) == ["beta 1"])
        #expect(try found(SearchQuery(anyCodes: [data, appraisal])) == ["alpha 2", "alpha 4", "beta 2"])
        #expect(try found(SearchQuery(text: "\"share the data\"")) == ["alpha 4"])
        #expect(try found(SearchQuery(text: "lit*")) == ["alpha 2"])
        #expect(try found(SearchQuery(text: "dashboards OR mostly")) == ["beta 2", "beta 4"])
        let excerpts = try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "appraise"), filter: AnalysisFilter())
        #expect(excerpts.first?.codes == ["Topics/Evidence/Appraisal", "Topics/Data"])
        #expect(excerpts.first?.text == "I appraise it and share the data.")
        let error = TestSupport.quillError { _ = try ProjectAnalysis(store).search(SearchQuery(text: "\"unbalanced"), filter: AnalysisFilter()) }
        #expect(error?.errorDescription?.contains("is not a valid query") == true)
    }

    @Test func plainWordsAreQuotedForFullTextSearch() {
        #expect(ProjectAnalysis.ftsExpression("can't stop") == "\"can't\" \"stop\"")
        #expect(ProjectAnalysis.ftsExpression("audit OR review") == "audit OR review")
        #expect(ProjectAnalysis.ftsExpression("librar*") == "librar*")
    }

    @Test func searchFindsTextAfterResegmenting() throws {
        let store = try project()
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        _ = try Resegmenter(store).resegment(
            sourceID: alpha, options: SegmentationOptions(unit: .line, speakers: .never), actor: TestSupport.actor())
        let hits = try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "wards"), filter: AnalysisFilter())
        #expect(hits.map(\.text) == ["Aisha: I search the literature for the wards."])
    }
}
