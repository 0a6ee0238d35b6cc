import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct CodingTests {
    struct Fixture {
        let store: ProjectDatabase
        let sourceID: Int64
        let evidence: Int64
        let data: Int64
        let group: Int64
    }

    /// A project with one source of 12 paragraphs and three codes, one of them a group.
    static func fixture() throws -> Fixture {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data")])
                ]), actor: TestSupport.actor())
        let text = (1...12).map { "Paragraph \($0) about the library." }.joined(separator: "\n\n")
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("notes", text)], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        return Fixture(
            store: store, sourceID: try #require(try SourceCatalog(store).sources().first?.id),
            evidence: try tree.resolve("Evidence").id, data: try tree.resolve("Data").id,
            group: try tree.resolve("Topics").id)
    }

    /// Which segments carry which code, as "number:path:coders".
    func applied(_ fixture: Fixture) throws -> [String] {
        try SourceCatalog(fixture.store).segments(ofSource: fixture.sourceID).flatMap { segment in
            segment.codes.map { "\(segment.number):\($0.path):\($0.coders.joined(separator: "+"))" }
        }
    }

    @Test func codesASelectionOfSegments() throws {
        let fixture = try Self.fixture()
        #expect(try SourceCatalog(fixture.store).segments(ofSource: fixture.sourceID).count == 12)
        let numbers = try SegmentSelection.parse("3-5,12", count: 12)
        let report = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: numbers, codeIDs: [fixture.evidence],
            actor: TestSupport.actor("alice"))
        #expect(report == CodingReport(changed: 4, unchanged: 0))
        #expect(
            try applied(fixture) == [
                "3:Topics/Evidence:alice", "4:Topics/Evidence:alice", "5:Topics/Evidence:alice",
                "12:Topics/Evidence:alice",
            ])
        #expect(try SourceCatalog(fixture.store).sources().first?.codings == 4)
    }

    @Test func aCodingIsWholeSegmentSpans() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(sourceID: fixture.sourceID, segments: [2], codeIDs: [fixture.data], actor: TestSupport.actor())
        let segment = try #require(try SourceCatalog(fixture.store).segments(ofSource: fixture.sourceID).first { $0.number == 2 })
        #expect(segment.text == "Paragraph 2 about the library.")
        #expect(segment.codes == [AppliedCode(path: "Topics/Data", coders: ["tester"])])
    }

    @Test func codingTwiceAddsNothing() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: [1, 2], codeIDs: [fixture.evidence, fixture.data],
            actor: TestSupport.actor("alice"))
        let again = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: [1, 2, 3], codeIDs: [fixture.evidence],
            actor: TestSupport.actor("alice"))
        #expect(again == CodingReport(changed: 1, unchanged: 2))
        let third = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: [1, 2, 3], codeIDs: [fixture.evidence],
            actor: TestSupport.actor("alice"))
        #expect(third == CodingReport(changed: 0, unchanged: 3))
        #expect(try SourceCatalog(fixture.store).sources().first?.codings == 5)
    }

    @Test func anotherCoderAddsTheirOwnCoding() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: [1], codeIDs: [fixture.evidence], actor: TestSupport.actor("alice"))
        let bob = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: [1], codeIDs: [fixture.evidence], actor: TestSupport.actor("bob"))
        #expect(bob.changed == 1)
        #expect(try applied(fixture) == ["1:Topics/Evidence:alice+bob"])
    }

    @Test func aGroupingCodeCannotBeApplied() throws {
        let fixture = try Self.fixture()
        let digest = try ContentDigest(fixture.store).contentDigest()
        let error = TestSupport.quillError {
            _ = try CodingEditor(fixture.store).code(
                sourceID: fixture.sourceID, segments: [1], codeIDs: [fixture.evidence, fixture.group],
                actor: TestSupport.actor())
        }
        #expect(error == .codeNotCodable(path: "Topics"))
        #expect(error?.message.contains("'Topics' only groups other codes") == true)
        #expect(try ContentDigest(fixture.store).contentDigest() == digest)
    }

    @Test func aMissingSegmentIsAnErrorAndCodesNothing() throws {
        let fixture = try Self.fixture()
        let error = TestSupport.quillError {
            _ = try CodingEditor(fixture.store).code(
                sourceID: fixture.sourceID, segments: [1, 13], codeIDs: [fixture.evidence], actor: TestSupport.actor())
        }
        #expect(error == .badSegments("13", reason: "the source has no segment 13"))
        #expect(try applied(fixture).isEmpty)
    }

    @Test func uncodeByOneCoderLeavesTheOtherCodersCodings() throws {
        let fixture = try Self.fixture()
        for coder in ["alice", "bob"] {
            _ = try CodingEditor(fixture.store).code(
                sourceID: fixture.sourceID, segments: [1, 2], codeIDs: [fixture.evidence], actor: TestSupport.actor(coder))
        }
        let report = try CodingEditor(fixture.store).uncode(
            sourceID: fixture.sourceID, segments: [1, 2], codeIDs: [fixture.evidence],
            coder: "alice", actor: TestSupport.actor("alice"))
        #expect(report == CodingReport(changed: 2, unchanged: 0))
        #expect(try applied(fixture) == ["1:Topics/Evidence:bob", "2:Topics/Evidence:bob"])
    }

    @Test func uncodeWithoutACoderRemovesEveryCodersCodings() throws {
        let fixture = try Self.fixture()
        for coder in ["alice", "bob"] {
            _ = try CodingEditor(fixture.store).code(
                sourceID: fixture.sourceID, segments: [1, 2], codeIDs: [fixture.evidence, fixture.data],
                actor: TestSupport.actor(coder))
        }
        let report = try CodingEditor(fixture.store).uncode(
            sourceID: fixture.sourceID, segments: [1], codeIDs: [fixture.evidence],
            coder: nil, actor: TestSupport.actor())
        #expect(report.changed == 2)
        #expect(try applied(fixture) == ["1:Topics/Data:alice+bob", "2:Topics/Data:alice+bob", "2:Topics/Evidence:alice+bob"])
        let nothing = try CodingEditor(fixture.store).uncode(
            sourceID: fixture.sourceID, segments: [1], codeIDs: [fixture.evidence],
            coder: nil, actor: TestSupport.actor())
        #expect(nothing == CodingReport(changed: 0, unchanged: 1))
    }

    @Test func codingGUIDsAreStable() throws {
        // The same coding made in two projects built the same way gets the same GUID.
        var guids: [[String]] = []
        for _ in 0..<2 {
            let fixture = try Self.fixture()
            _ = try CodingEditor(fixture.store).code(
                sourceID: fixture.sourceID, segments: [1, 2], codeIDs: [fixture.evidence], actor: TestSupport.actor("alice"))
            guids.append(
                try fixture.store.read { db in
                    try String.fetchAll(db, sql: "SELECT guid FROM coding ORDER BY id")
                })
        }
        #expect(guids[0].count == 2)
        #expect(guids[0] == guids[1])
        #expect(Set(guids[0]).count == 2)
    }
}
