import Foundation
import GRDB
import Testing

@testable import QuillKit

/// Agreement computed from a project: the units, the codes, uncoded units and the pooled row.
@Suite struct CoderAgreementTests {
    struct Fixture {
        let store: ProjectDatabase
        let sourceID: Int64
        let evidence: Int64
        let data: Int64
    }

    /// Ten paragraphs with accents, an emoji and CRLF line ends; codes Evidence and Data.
    static func fixture() throws -> Fixture {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data")])
                ]), actor: TestSupport.actor())
        let text = (1...10).map { "Paragraph \($0): Zoë 👍 said café.\r\n" }.joined(separator: "\r\n")
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("notes", text)], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        return Fixture(
            store: store, sourceID: try #require(try SourceCatalog(store).sources().first?.id),
            evidence: try tree.resolve("Evidence").id, data: try tree.resolve("Data").id)
    }

    func code(_ fixture: Fixture, _ coder: String, _ segments: [Int], _ code: Int64) throws {
        _ = try CodingEditor(fixture.store).code(sourceID: fixture.sourceID, segments: segments, codeIDs: [code], actor: TestSupport.actor(coder))
    }

    /// Adds a coding of a span, as free-hand coding would.
    func code(_ fixture: Fixture, _ coder: String, span: TextSpan, _ code: Int64) throws {
        _ = try fixture.store.change(TestSupport.actor(coder)) { db in
            let inserter = try CodingInserter(db, coderID: try CoderTable(db).id(named: coder))
            return (try inserter.insert(codeID: code, sourceID: fixture.sourceID, span: span, memo: nil), "coded")
        }
    }

    @Test func segmentsCountAgreementOnCodedAndUncodedUnits() throws {
        let fixture = try Self.fixture()
        // Evidence: alice 1-4, bob 3-6. Segments 3, 4 both; 1, 2 alice only; 5, 6 bob only; 7-10 neither.
        try code(fixture, "alice", [1, 2, 3, 4], fixture.evidence)
        try code(fixture, "bob", [3, 4, 5, 6], fixture.evidence)
        try code(fixture, "bob", [9], fixture.data)
        let snapshot = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: ["alice", "bob"]))
        let result = snapshot.agreement(AgreementQuery(coders: ["alice", "bob"]))
        #expect(result.codes.map(\.label) == ["Topics/Evidence", "Topics/Data"])
        let evidence = try #require(result.codes.first)
        #expect(evidence.units == 10 && evidence.coded == 6 && evidence.codedByAll == 2)
        #expect(evidence.percent == 0.6)
        // po = 0.6; alice 4/10 yes, bob 4/10 yes: pe = 0.16 + 0.36 = 0.52; kappa = 0.08 / 0.48.
        #expect(abs((evidence.cohensKappa ?? 0) - 0.08 / 0.48) < 1e-12)
        let only = snapshot.agreement(AgreementQuery(coders: ["alice", "bob"], onlyCoded: true))
        #expect(only.codes[0].units == 6 && only.codes[0].percent.map { abs($0 - 2.0 / 6.0) < 1e-12 } == true)
        // Data: one segment, bob only; with --only-coded every unit disagrees.
        #expect(only.codes[1].units == 1 && only.codes[1].percent == 0)
        // Pooled: 20 unit-code decisions, 6 + 9 agreeing.
        #expect(result.overall.units == 20 && abs((result.overall.percent ?? 0) - 15.0 / 20.0) < 1e-12)
        // The same with the coders the other way round.
        let swapped = snapshot.agreement(AgreementQuery(coders: ["bob", "alice"]))
        #expect(swapped.codes.map(\.cohensKappa) == result.codes.map(\.cohensKappa))
    }

    @Test func sourcesAreOneUnitEach() throws {
        let fixture = try Self.fixture()
        try code(fixture, "alice", [1], fixture.evidence)
        try code(fixture, "bob", [7], fixture.evidence)
        let result = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: ["alice", "bob"]))
            .agreement(AgreementQuery(coders: ["alice", "bob"], unit: .source))
        #expect(result.codes.count == 1 && result.codes[0].units == 1 && result.codes[0].percent == 1)
        // One source both coded: no variation, kappa not defined.
        #expect(result.codes[0].cohensKappa == nil)
    }

    @Test func charactersAreCountedFromSpans() throws {
        let fixture = try Self.fixture()
        let segments = try ProjectAnalysis(fixture.store).snapshot().segments
        let first = segments[0].span
        // alice codes the whole first segment; bob its first 5 scalars and 3 scalars of segment 2.
        try code(fixture, "alice", [1], fixture.evidence)
        try code(fixture, "bob", span: TextSpan(start: first.start, end: first.start + 5), fixture.evidence)
        try code(fixture, "bob", span: TextSpan(start: segments[1].span.start, end: segments[1].span.start + 3), fixture.evidence)
        let snapshot = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: ["alice", "bob"]))
        let result = snapshot.agreement(AgreementQuery(coders: ["alice", "bob"], unit: .character))
        // Counted character by character, the slow way.
        let total = segments.reduce(0) { $0 + $1.span.length }
        var a = [Bool](repeating: false, count: segments.last?.span.end ?? 0)
        var b = a
        for i in first.start..<first.end { a[i] = true }
        for i in first.start..<(first.start + 5) { b[i] = true }
        for i in segments[1].span.start..<(segments[1].span.start + 3) { b[i] = true }
        var both = 0, onlyA = 0, onlyB = 0
        for segment in segments {
            for i in segment.span.start..<segment.span.end {
                if a[i] && b[i] { both += 1 } else if a[i] { onlyA += 1 } else if b[i] { onlyB += 1 }
            }
        }
        let row = try #require(result.codes.first)
        #expect(row.units == total)
        #expect(row.coded == both + onlyA + onlyB && row.codedByAll == both)
        #expect(abs((row.percent ?? 0) - Double(total - onlyA - onlyB) / Double(total)) < 1e-12)
        let onlyCoded = snapshot.agreement(AgreementQuery(coders: ["alice", "bob"], unit: .character, onlyCoded: true))
        #expect(onlyCoded.codes[0].units == both + onlyA + onlyB)
        // The emoji is one unit, not two UTF-16 units or four bytes.
        #expect(total == segments.reduce(0) { $0 + snapshot.sources[0].scalars[$1.span].unicodeScalars.count })
    }

    @Test func threeCodersHaveNoCohensKappa() throws {
        let fixture = try Self.fixture()
        for coder in ["alice", "bob", "chen"] { try code(fixture, coder, [1, 2], fixture.evidence) }
        try code(fixture, "chen", [3], fixture.evidence)
        let coders = ["alice", "bob", "chen"]
        let result = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: coders)).agreement(AgreementQuery(coders: coders))
        let row = try #require(result.codes.first)
        #expect(row.cohensKappa == nil && row.fleissKappa != nil && row.krippendorffAlpha != nil)
        #expect(row.coded == 3 && row.codedByAll == 2)
    }

    @Test func disagreementsListTheSegmentsAndWho() throws {
        let fixture = try Self.fixture()
        try code(fixture, "alice", [1, 2], fixture.evidence)
        try code(fixture, "bob", [2, 3], fixture.evidence)
        let found = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: ["alice", "bob"]))
            .disagreements(AgreementQuery(coders: ["alice", "bob"]))
        #expect(found.map(\.excerpt.segment) == [1, 3])
        #expect(found.map(\.codedBy) == [["alice"], ["bob"]])
        #expect(found.map(\.notCodedBy) == [["bob"], ["alice"]])
        #expect(found[0].excerpt.text.contains("Zoë 👍"))
    }

    @Test(arguments: OutputFormat.allCases)
    func tablesInEveryFormat(_ format: OutputFormat) throws {
        let fixture = try Self.fixture()
        try code(fixture, "alice", [1, 2, 3, 4], fixture.evidence)
        try code(fixture, "bob", [3, 4, 5, 6], fixture.evidence)
        // Data: both code segment 9 only, so with --only-coded nothing varies and kappa is n/a.
        try code(fixture, "alice", [9], fixture.data)
        try code(fixture, "bob", [9], fixture.data)
        let snapshot = try ProjectAnalysis(fixture.store).snapshot(AnalysisFilter(coders: ["alice", "bob"]))
        let query = AgreementQuery(coders: ["alice", "bob"], onlyCoded: true)
        let result = snapshot.agreement(query)
        #expect(result.codes[1].percent == 1 && result.codes[1].cohensKappa == nil)
        let text =
            result.table(for: format).render(format)
            + AgreementDisagreement.table(snapshot.disagreements(query), for: format).render(format)
        assertSnapshot(text, named: "agreement.\(format == .table ? "txt" : format.rawValue)")
    }

    @Test func unknownCoderListsTheCoders() throws {
        let fixture = try Self.fixture()
        try code(fixture, "alice", [1], fixture.evidence)
        try code(fixture, "bob", [1], fixture.evidence)
        let error = TestSupport.quillError { _ = try ProjectAnalysis(fixture.store).agreementCoders(["alice", "zed"]) }
        #expect(error?.message.contains("No coder is called 'zed'") == true)
        #expect(error?.message.contains("alice, bob") == true)
        #expect(try ProjectAnalysis(fixture.store).agreementCoders(["ALICE", "Bob"]) == ["alice", "bob"])
        #expect(TestSupport.quillError { _ = try ProjectAnalysis(fixture.store).agreementCoders(["alice", "alice"]) } != nil)
    }
}
