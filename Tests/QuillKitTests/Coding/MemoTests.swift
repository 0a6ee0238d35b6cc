import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct MemoTests {
    struct Fixture {
        let store: ProjectDatabase
        let sourceID: Int64
        let codingID: Int64
        let codingGUID: String
    }

    /// A project with a two-speaker interview, two codes and one coding on segment 1.
    static func fixture() throws -> Fixture {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data")])
                ]), actor: TestSupport.actor())
        let text = "Aisha: I use the library every week.\nBen: Me too, for evidence.\nAisha: And for data.\n"
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("interview", text)], actor: TestSupport.actor())
        let sourceID = try #require(try SourceCatalog(store).sources().first?.id)
        let evidence = try CodeTree.load(store).resolve("Evidence").id
        _ = try CodingEditor(store).code(sourceID: sourceID, segments: [1], codeIDs: [evidence], actor: TestSupport.actor("alice"))
        let coding = try #require(try store.read { db in try Row.fetchOne(db, sql: "SELECT id, guid FROM coding") })
        return Fixture(store: store, sourceID: sourceID, codingID: coding["id"], codingGUID: coding["guid"])
    }

    @Test func parsesTargets() throws {
        #expect(try MemoTarget.parse("project") == .project)
        #expect(try MemoTarget.parse("source:Interview 1") == .source("Interview 1"))
        #expect(try MemoTarget.parse("segment:Interview #2#12") == .segment(source: "Interview #2", number: 12))
        #expect(try MemoTarget.parse("code:Topics/Evidence") == .code("Topics/Evidence"))
        #expect(try MemoTarget.parse("CASE:Aisha") == .studyCase("Aisha"))
        #expect(try MemoTarget.parse("coding:#4") == .coding("#4"))
        #expect(TestSupport.quillError { _ = try MemoTarget.parse("speaker:Aisha") }?.message.contains("source:NAME") == true)
        #expect(TestSupport.quillError { _ = try MemoTarget.parse("segment:interview") }?.message.contains("segment number") == true)
        #expect(TestSupport.quillError { _ = try MemoTarget.parse("source:") }?.message.contains("names no source") == true)
    }

    @Test func writesAMemoOnEachKindOfTarget() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        let targets: [(MemoTarget, String)] = [
            (.project, "project"),
            (.source("interv"), "source:interview"),
            (.segment(source: "interview", number: 2), "segment:interview#2"),
            (.code("evidence"), "code:Topics/Evidence"),
            (.studyCase("aisha"), "case:Aisha"),
            (.coding(fixture.codingGUID.lowercased()), "coding:\(fixture.codingGUID)"),
            (.coding("#\(fixture.codingID)"), "coding:\(fixture.codingGUID)"),
        ]
        let historyBefore = try store.history().count
        for (index, (target, label)) in targets.enumerated() {
            let memo = try MemoBook(store).addMemo(
                on: target, title: index == 0 ? "  Overview " : nil, text: "Note \(index)\r\nsecond line\n\n",
                actor: TestSupport.actor("bob"))
            #expect(memo.target == label)
            #expect(memo.text == "Note \(index)\nsecond line")
            #expect(memo.firstLine == "Note \(index)")
            #expect(memo.coder == "bob")
            #expect(memo.createdAt == memo.updatedAt)
            #expect(StableID.isGUID(memo.guid))
        }
        let history = try store.history()
        #expect(history.count == historyBefore + targets.count)
        #expect(history.last?.summary == "added memo 7 on coding:\(fixture.codingGUID)")
        #expect(try MemoBook(store).memo(1).title == "Overview")
        #expect(try MemoBook(store).memo(2).title == nil)
        #expect(
            try store.read { db in try String.fetchAll(db, sql: "SELECT targetKind FROM memo ORDER BY id") }
                == ["project", "source", "segment", "code", "case", "coding", "coding"])
    }

    @Test func listsOldestFirstAndByTarget() throws {
        let store = try Self.fixture().store
        try MemoBook(store).addMemo(on: .code("Data"), text: "Third", actor: TestSupport.actor())
        try MemoBook(store).addMemo(on: .project, text: "First", actor: TestSupport.actor())
        try MemoBook(store).addMemo(on: .code("Topics/Data"), text: "Again", actor: TestSupport.actor())
        #expect(try MemoBook(store).memos().map(\.id) == [1, 2, 3])
        #expect(try MemoBook(store).memos().map(\.target) == ["code:Topics/Data", "project", "code:Topics/Data"])
        #expect(try MemoBook(store).memos(on: .code("data")).map(\.text) == ["Third", "Again"])
        #expect(try MemoBook(store).memos(on: .project).map(\.text) == ["First"])
        #expect(try MemoBook(store).memos(on: .source("interview")).isEmpty)
    }

    @Test func editKeepsIdentityAndRecordsOnce() throws {
        let store = try Self.fixture().store
        let memo = try MemoBook(store).addMemo(on: .source("interview"), title: "Old", text: "Before", actor: TestSupport.actor("bob"))
        let historyBefore = try store.history().count
        let edit = try MemoBook(store).editMemo(memo.id, text: "After\n", actor: TestSupport.actor("carol"))
        #expect(edit.changed)
        #expect(edit.memo.text == "After")
        #expect(edit.memo.title == "Old")
        let stored = try MemoBook(store).memo(memo.id)
        #expect(stored.guid == memo.guid)
        #expect(stored.createdAt == memo.createdAt)
        #expect(stored.coder == "bob")
        #expect(stored.text == "After")
        #expect(try store.history().count == historyBefore + 1)
        #expect(try store.history().last?.summary == "edited memo 1 on source:interview")

        let digest = try ContentDigest(store).contentDigest()
        let same = try MemoBook(store).editMemo(memo.id, text: "After", actor: TestSupport.actor())
        #expect(!same.changed)
        #expect(try ContentDigest(store).contentDigest() == digest)

        #expect(try MemoBook(store).editMemo(memo.id, title: "", actor: TestSupport.actor()).memo.title == nil)
        #expect(try MemoBook(store).editMemo(memo.id, title: "New", actor: TestSupport.actor()).memo.title == "New")
        #expect(try MemoBook(store).memo(memo.id).text == "After")
    }

    @Test func deleteRemovesOneMemo() throws {
        let store = try Self.fixture().store
        try MemoBook(store).addMemo(on: .project, text: "Keep", actor: TestSupport.actor())
        try MemoBook(store).addMemo(on: .studyCase("Ben"), text: "Drop", actor: TestSupport.actor())
        let deleted = try MemoBook(store).deleteMemo(2, actor: TestSupport.actor())
        #expect(deleted.text == "Drop")
        #expect(deleted.target == "case:Ben")
        #expect(try MemoBook(store).memos().map(\.text) == ["Keep"])
        #expect(try store.history().last?.summary == "deleted memo 2 on case:Ben")
    }

    @Test func unknownTargetsAndIdsChangeNothing() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try MemoBook(store).addMemo(on: .project, text: "Existing", actor: TestSupport.actor())
        let digest = try ContentDigest(store).contentDigest()
        let failures: [(() throws -> Void, String)] = [
            ({ try MemoBook(store).addMemo(on: .source("nowhere"), text: "x", actor: TestSupport.actor()) }, "No source is called 'nowhere'"),
            (
                { try MemoBook(store).addMemo(on: .segment(source: "interview", number: 9), text: "x", actor: TestSupport.actor()) },
                "interview has no segment 9; its segments run from 1 to 3"
            ),
            ({ try MemoBook(store).addMemo(on: .code("Evidenc"), text: "x", actor: TestSupport.actor()) }, "Did you mean 'Topics/Evidence'"),
            ({ try MemoBook(store).addMemo(on: .studyCase("Aishaa"), text: "x", actor: TestSupport.actor()) }, "Did you mean 'Aisha'"),
            ({ try MemoBook(store).addMemo(on: .coding("#99"), text: "x", actor: TestSupport.actor()) }, "No coding is '#99'"),
            ({ try MemoBook(store).addMemo(on: .coding("banana"), text: "x", actor: TestSupport.actor()) }, "neither a coding's GUID nor its number"),
            ({ try MemoBook(store).addMemo(on: .project, text: " \n\t", actor: TestSupport.actor()) }, "text is empty"),
            ({ _ = try MemoBook(store).editMemo(7, text: "x", actor: TestSupport.actor()) }, "No memo has the number 7"),
            ({ _ = try MemoBook(store).editMemo(1, text: "\n", actor: TestSupport.actor()) }, "new text of memo 1 is empty"),
            ({ try MemoBook(store).deleteMemo(7, actor: TestSupport.actor()) }, "No memo has the number 7"),
            ({ _ = try MemoBook(store).memo(0) }, "No memo has the number 0"),
        ]
        for (body, expected) in failures {
            let error = TestSupport.quillError { try body() }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error") lacks \(expected)")
        }
        #expect(try ContentDigest(store).contentDigest() == digest)
    }

    @Test func codersCountCodingsAndMemos() throws {
        let store = try Self.fixture().store
        try MemoBook(store).addMemo(on: .project, text: "One", actor: TestSupport.actor("Zed"))
        try MemoBook(store).addMemo(on: .project, text: "Two", actor: TestSupport.actor("alice"))
        try MemoBook(store).addMemo(on: .project, text: "Three", actor: TestSupport.actor("alice"))
        #expect(
            try CoderRoster(store).coders() == [
                CoderSummary(name: "alice", codings: 1, memos: 2),
                CoderSummary(name: "tester", codings: 0, memos: 0),
                CoderSummary(name: "Zed", codings: 0, memos: 1),
            ])
    }
}
