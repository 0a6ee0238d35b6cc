import Foundation
import Testing

@testable import QuillKit

/// Excerpts on the frequency fixture (see `FrequencyFixture` for its codings), worked out by hand:
///
///     alpha #1 Interviewer  Search (bob)
///     alpha #2 Aisha        Search, Appraisal
///     alpha #4 Aisha        Appraisal (alice and bob), Data
///     beta  #2 Ben          Data (bob), Stance
///     beta  #4 Ben          Evidence
@Suite struct ExcerptsTests {
    let store: ProjectDatabase
    let tree: CodeTree

    init() throws {
        store = try FrequencyFixture.project()
        tree = try CodeTree.load(store)
    }

    func id(_ name: String) throws -> Int64 { try tree.resolve(name).id }

    /// The excerpts as "source #n", easy to read in a failure.
    func places(_ query: ExcerptQuery, _ filter: AnalysisFilter = AnalysisFilter()) throws -> [String] {
        excerpts(query, in: try ProjectAnalysis(store).snapshot(filter)).map { "\($0.source) \($0.place)" }
    }

    @Test func oneCodeGivesItsSegmentsWithTheirPlaceSpeakerAndText() throws {
        let found = excerpts(ExcerptQuery(codes: [try id("Appraisal")]), in: try ProjectAnalysis(store).snapshot())
        #expect(found.map { "\($0.source) \($0.place)" } == ["alpha #2", "alpha #4"])
        // alpha #4 has two codings of Appraisal (alice's and bob's): one excerpt.
        let first = try #require(found.first)
        #expect(first.speaker == "Aisha")
        #expect(first.caseName == "Aisha")
        #expect(first.text == "I search the literature for the wards.")
        #expect(first.codes == ["Topics/Evidence/Appraisal"])
        let text = ScalarText(try SourceCatalog(store).text(ofSource: try SourceCatalog(store).resolveSource("alpha").id))
        #expect(text[first.span] == first.text)
        #expect(first.span == (try SourceCatalog(store).segments(ofSource: try SourceCatalog(store).resolveSource("alpha").id))[1].span)
    }

    @Test func allOfSeveralCodes() throws {
        #expect(try places(ExcerptQuery(codes: [try id("Search"), try id("Appraisal")])) == ["alpha #2"])
        #expect(try places(ExcerptQuery(codes: [try id("Appraisal"), try id("Data")])) == ["alpha #4"])
        #expect(try places(ExcerptQuery(codes: [try id("Search"), try id("Stance")])).isEmpty)
    }

    @Test func anyOfSeveralCodesListsTheOnesPresent() throws {
        let found = excerpts(ExcerptQuery(anyOf: [try id("Search"), try id("Data")]), in: try ProjectAnalysis(store).snapshot())
        #expect(found.map { "\($0.source) \($0.place)" } == ["alpha #1", "alpha #2", "alpha #4", "beta #2"])
        #expect(found.map(\.codes) == [["Topics/Evidence/Search"], ["Topics/Evidence/Search"], ["Topics/Data"], ["Topics/Data"]])
        // All of one, any of others.
        #expect(try places(ExcerptQuery(codes: [try id("Appraisal")], anyOf: [try id("Data"), try id("Stance")])) == ["alpha #4"])
    }

    @Test func notACode() throws {
        #expect(try places(ExcerptQuery(codes: [try id("Appraisal")], excluding: [try id("Data")])) == ["alpha #2"])
        #expect(try places(ExcerptQuery(codes: [try id("Data")], excluding: [try id("Stance")])) == ["alpha #4"])
        // Without a positive condition: every coded segment but those with the excluded code.
        #expect(try places(ExcerptQuery(excluding: [try id("Search")])) == ["alpha #4", "beta #2", "beta #4"])
    }

    @Test func rollUpCountsTheCodesBelow() throws {
        let evidence = try id("Evidence")
        #expect(try places(ExcerptQuery(codes: [evidence])) == ["beta #4"])
        #expect(try places(ExcerptQuery(codes: [evidence], rollUp: true)) == ["alpha #1", "alpha #2", "alpha #4", "beta #4"])
        let topics = try id("Topics")
        #expect(try places(ExcerptQuery(codes: [topics])).isEmpty)  // a grouping code is never coded itself
        #expect(try places(ExcerptQuery(codes: [topics], rollUp: true)) == ["alpha #1", "alpha #2", "alpha #4", "beta #2", "beta #4"])
        #expect(try places(ExcerptQuery(excluding: [topics], rollUp: true)).isEmpty)
        #expect(try places(ExcerptQuery(codes: [try id("Stance")], excluding: [topics], rollUp: true)).isEmpty)  // beta #2 has Data
        let found = excerpts(ExcerptQuery(codes: [topics], rollUp: true), in: try ProjectAnalysis(store).snapshot())
        #expect(found.allSatisfy { $0.codes == ["Topics"] })
    }

    @Test func withoutPositiveCodesEachExcerptListsEveryCodeInCodebookOrder() throws {
        let found = excerpts(ExcerptQuery(), in: try ProjectAnalysis(store).snapshot())
        #expect(
            found.map { "\($0.source) \($0.place): \($0.codes.joined(separator: ", "))" } == [
                "alpha #1: Topics/Evidence/Search",
                "alpha #2: Topics/Evidence/Search, Topics/Evidence/Appraisal",
                "alpha #4: Topics/Evidence/Appraisal, Topics/Data",
                "beta #2: Topics/Data, Stance",
                "beta #4: Topics/Evidence",
            ])
    }

    @Test func filtersApply() throws {
        let search = ExcerptQuery(codes: [try id("Search")])
        #expect(try places(search, AnalysisFilter(excludesInterviewers: true)) == ["alpha #2"])
        #expect(try places(ExcerptQuery(codes: [try id("Appraisal")]), AnalysisFilter(coders: ["bob"])) == ["alpha #4"])
        #expect(try places(ExcerptQuery(codes: [try id("Data")]), AnalysisFilter(sources: ["beta"])) == ["beta #2"])
        #expect(try places(ExcerptQuery(codes: [try id("Data")]), AnalysisFilter(cases: ["Aisha"])) == ["alpha #4"])
        // bob's codings only: alpha #2 has none of his, so Search finds only the interviewer's turn.
        #expect(try places(search, AnalysisFilter(coders: ["bob"])) == ["alpha #1"])
    }

    @Test func readingOrderIsImportOrderThenSegmentNumber() throws {
        let store = try ProjectDatabase.inMemory(name: "Order")
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "Book", codes: [.init(name: "Theme")]), actor: TestSupport.actor())
        // zeta is imported before alpha, so it comes first although its name sorts last.
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("zeta", "Ann: one\nBob: two\nAnn: three\n")], actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("alpha", "Interviewer: four\nCy: five\nInterviewer: six\n")],
            actor: TestSupport.actor())
        let theme = try CodeTree.load(store).resolve("Theme").id
        let zeta = try SourceCatalog(store).resolveSource("zeta").id, alpha = try SourceCatalog(store).resolveSource("alpha").id
        _ = try CodingEditor(store).code(sourceID: alpha, segments: [2, 1], codeIDs: [theme], actor: TestSupport.actor())
        _ = try CodingEditor(store).code(sourceID: zeta, segments: [3], codeIDs: [theme], actor: TestSupport.actor())
        _ = try CodingEditor(store).code(sourceID: zeta, segments: [1], codeIDs: [theme], actor: TestSupport.actor("other"))
        let found = excerpts(ExcerptQuery(codes: [theme]), in: try ProjectAnalysis(store).snapshot())
        #expect(found.map { "\($0.source) \($0.place) \($0.text)" } == ["zeta #1 one", "zeta #3 three", "alpha #1 four", "alpha #2 five"])
    }

    @Test func aCodingAcrossTwoSegmentsMakesBothExcerpts() throws {
        let store = try ProjectDatabase.inMemory(name: "Span")
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "Book", codes: [.init(name: "A"), .init(name: "B")]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("s", "Ann: one two\nBob: three four\nAnn: five\n")], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        let source = try SourceCatalog(store).resolveSource("s").id
        let segments = try SourceCatalog(store).segments(ofSource: source)
        // A coding from the middle of #1 to the middle of #2, and B on the start of #2 only.
        try ReportFixture.codeSpan(
            store, code: try tree.resolve("A").id, source: source,
            span: TextSpan(start: segments[0].span.start + 4, end: segments[1].span.start + 5))
        try ReportFixture.codeSpan(
            store, code: try tree.resolve("B").id, source: source,
            span: TextSpan(start: segments[1].span.start, end: segments[1].span.start + 5))
        let snapshot = try ProjectAnalysis(store).snapshot()
        #expect(excerpts(ExcerptQuery(codes: [try tree.resolve("A").id]), in: snapshot).map(\.segment) == [1, 2])
        #expect(excerpts(ExcerptQuery(codes: [try tree.resolve("A").id, try tree.resolve("B").id]), in: snapshot).map(\.segment) == [2])
        // The excerpt is the whole segment, not the coded part.
        #expect(excerpts(ExcerptQuery(codes: [try tree.resolve("B").id]), in: snapshot).map(\.text) == ["three four"])
    }

    @Test func theTableHasTheColumnsInEveryFormat() throws {
        let found = excerpts(ExcerptQuery(codes: [try id("Data")]), in: try ProjectAnalysis(store).snapshot())
        let csv = Excerpt.table(found, for: .csv).render(.csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "source,segment,speaker,case,start,end,codes,text")
        #expect(lines[1].hasPrefix("alpha,4,Aisha,Aisha,"))
        #expect(lines[1].hasSuffix(",Topics/Data,I appraise it and share the data."))
        #expect(lines[2].hasSuffix(",Topics/Data,\"We use dashboards, \"\"live\"\" ones.\""))
        let json = Excerpt.table(found, for: .json).render(.json)
        #expect(json.contains("\"speaker\": \"Ben\", \"case\": \"Ben\""))
        #expect(Excerpt.table([], for: .json).render(.json) == "[]\n")
        #expect(Excerpt.table(found, for: .md).render(.md).hasPrefix("| Source | Segment | Speaker | Case | Start | End | Codes | Text |"))
    }
}
