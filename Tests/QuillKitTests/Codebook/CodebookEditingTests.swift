import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct CodebookEditingTests {
    static let book = """
        name: Small book
        codes:
          - name: Evidence
            definition: Finding evidence.
            keywords: [evidence, search]
            children:
              - name: Search
                definition: Looking for it.
                keywords: [Search, query]
              - name: Appraisal
          - name: Barriers
            keywords: [barrier]
          - name: Stance
            codable: false
            children:
              - name: Barrier
              - name: Enabler
        """

    struct Fixture {
        let store: ProjectDatabase
        let sourceID: Int64
    }

    /// A project with the small codebook and one transcript of four turns.
    static func fixture() throws -> Fixture {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(book, file: "book.yaml"), actor: TestSupport.actor())
        let text = "P01: We search the literature.\nP02: Time is a barrier.\nP03: Appraisal is hard.\nP04: Funding helps.\n"
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", text)], actor: TestSupport.actor())
        return Fixture(store: store, sourceID: try #require(try SourceCatalog(store).sources().first?.id))
    }

    /// Codes segments with codes, by path, as a coder.
    func code(_ fixture: Fixture, _ segments: [Int], _ paths: [String], coder: String = "tester") throws {
        let tree = try CodeTree.load(fixture.store)
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.sourceID, segments: segments,
            codeIDs: try paths.map { try tree.resolve($0).id }, actor: TestSupport.actor(coder))
    }

    /// How many codings each code has, by path, for codes that have any.
    func counts(_ store: ProjectDatabase) throws -> [String: Int] {
        let tree = try CodeTree.load(store)
        return try store.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT codeId, count(*) AS n FROM coding GROUP BY codeId") {
                result[tree.displayPath(of: row["codeId"])] = row["n"]
            }
            return result
        }
    }

    func total(_ store: ProjectDatabase) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") ?? 0 }
    }

    func paths(_ store: ProjectDatabase) throws -> [String] {
        let tree = try CodeTree.load(store)
        return tree.codes.map { tree.displayPath(of: $0.id) }
    }

    /// Runs a change that must fail and checks it changed nothing; returns its message.
    func refused(_ store: ProjectDatabase, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws -> String {
        let before = try ContentDigest(store).contentDigest()
        let history = try store.history().count
        let error = TestSupport.quillError(sourceLocation: sourceLocation, body)
        #expect(try ContentDigest(store).contentDigest() == before, "the failed change changed the project", sourceLocation: sourceLocation)
        #expect(try store.history().count == history, sourceLocation: sourceLocation)
        return error?.message ?? ""
    }

    // MARK: - Add

    @Test func addPutsACodeUnderItsParent() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        let code = try CodebookEditor(store).addCode(
            path: "evidence/Synthesis", definition: "Putting it together.", keywords: ["summary", "Summary", "review"],
            color: "#abc", actor: TestSupport.actor())
        #expect(code.name == "Synthesis")
        #expect(code.definition == "Putting it together.")
        #expect(code.keywords == ["summary", "review"])
        #expect(code.color == "#AABBCC")
        #expect(code.isCodable)
        #expect(code.guid == StableID.make("code", "evidence/synthesis"))
        #expect(try paths(store).prefix(4) == ["Evidence", "Evidence/Search", "Evidence/Appraisal", "Evidence/Synthesis"])
        let top = try CodebookEditor(store).addCode(path: "Outcomes", isCodable: false, actor: TestSupport.actor())
        #expect(!top.isCodable)
        #expect(try paths(store).last == "Outcomes")
        #expect(try store.history().suffix(2).map(\.summary) == ["added code 'Evidence/Synthesis'", "added code 'Outcomes'"])
    }

    @Test func addRefusesAClashAMissingParentAndABadColour() throws {
        let store = try Self.fixture().store
        let clash = try refused(store) { try CodebookEditor(store).addCode(path: "Evidence/SEARCH", actor: TestSupport.actor()) }
        #expect(clash.contains("'Evidence/Search'"))
        #expect(
            try refused(store) { try CodebookEditor(store).addCode(path: "Nowhere/Thing", actor: TestSupport.actor()) }.contains("no code 'Nowhere'"))
        #expect(try refused(store) { try CodebookEditor(store).addCode(path: "Evidence//Thing", actor: TestSupport.actor()) }.contains("empty"))
        #expect(
            try refused(store) { try CodebookEditor(store).addCode(path: "Thing", color: "red", actor: TestSupport.actor()) }.contains("not a colour")
        )
    }

    @Test func addAfterARenameGetsAFreeGUID() throws {
        let store = try Self.fixture().store
        try CodebookEditor(store).renameCode("Evidence/Search", to: "Finding", actor: TestSupport.actor())
        let code = try CodebookEditor(store).addCode(path: "Evidence/Search", actor: TestSupport.actor())
        #expect(code.guid == StableID.make("code", "evidence/search#2"))
    }

    // MARK: - Rename

    @Test func renameKeepsGUIDAndCodings() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1, 2], ["Evidence/Search"])
        let before = try CodeTree.load(store).resolve("Evidence/Search")
        #expect(try CodebookEditor(store).renameCode("evidence/search", to: "Finding", actor: TestSupport.actor()))
        let after = try CodeTree.load(store).resolve("Evidence/Finding")
        #expect(after.id == before.id)
        #expect(after.guid == before.guid)
        #expect(try counts(store) == ["Evidence/Finding": 2])
        #expect(try store.history().last?.summary == "renamed code 'Evidence/Search' to 'Evidence/Finding'")
        // The same name again changes nothing; a change of case is a rename.
        let history = try store.history().count
        #expect(try !CodebookEditor(store).renameCode("Finding", to: "Finding", actor: TestSupport.actor()))
        #expect(try store.history().count == history)
        #expect(try CodebookEditor(store).renameCode("Finding", to: "finding", actor: TestSupport.actor()))
    }

    @Test func renameRefusesAClashAndASlash() throws {
        let store = try Self.fixture().store
        #expect(
            try refused(store) { try CodebookEditor(store).renameCode("Appraisal", to: "search", actor: TestSupport.actor()) }.contains(
                "'Evidence/Search'"))
        #expect(
            try refused(store) { try CodebookEditor(store).renameCode("Appraisal", to: "A/B", actor: TestSupport.actor()) }.contains(
                "cannot hold '/'"))
        #expect(try refused(store) { try CodebookEditor(store).renameCode("Nothing here", to: "X", actor: TestSupport.actor()) }.contains("No code"))
        // 'Barrier' names one code, 'Barriers' another: both stay where they are.
        #expect(
            try refused(store) { try CodebookEditor(store).renameCode("Stance/Barrier", to: "Enabler", actor: TestSupport.actor()) }.contains(
                "'Stance/Enabler'"))
    }

    // MARK: - Move

    @Test func moveTakesTheSubtreeAndGoesLast() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [3], ["Evidence/Appraisal"])
        #expect(try CodebookEditor(store).moveCode("Evidence", under: "Stance", actor: TestSupport.actor()))
        #expect(
            try paths(store) == [
                "Barriers", "Stance", "Stance/Barrier", "Stance/Enabler", "Stance/Evidence",
                "Stance/Evidence/Search", "Stance/Evidence/Appraisal",
            ])
        #expect(try counts(store) == ["Stance/Evidence/Appraisal": 1])
        #expect(try store.history().last?.summary == "moved code 'Evidence' to 'Stance/Evidence'")
        #expect(try CodebookEditor(store).moveCode("Stance/Evidence", under: nil, actor: TestSupport.actor()))
        #expect(try paths(store).suffix(3) == ["Evidence", "Evidence/Search", "Evidence/Appraisal"])
        let history = try store.history().count
        #expect(try !CodebookEditor(store).moveCode("Evidence", under: nil, actor: TestSupport.actor()))
        #expect(try store.history().count == history)
    }

    @Test func moveRefusesACycleAndAClash() throws {
        let store = try Self.fixture().store
        #expect(
            try refused(store) { try CodebookEditor(store).moveCode("Evidence", under: "Evidence", actor: TestSupport.actor()) }.contains(
                "under itself"))
        #expect(
            try refused(store) { try CodebookEditor(store).moveCode("Evidence", under: "Evidence/Search", actor: TestSupport.actor()) }.contains(
                "below it"))
        try CodebookEditor(store).addCode(path: "Stance/Search", actor: TestSupport.actor())
        #expect(
            try refused(store) { try CodebookEditor(store).moveCode("Stance/Search", under: "Evidence", actor: TestSupport.actor()) }.contains(
                "'Evidence/Search'"))
    }

    // MARK: - Merge

    @Test func mergeMovesCodingsAndCollapsesOnlyTrueDuplicates() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1, 2, 3], ["Stance/Barrier"])
        try code(fixture, [2], ["Barriers"])
        try code(fixture, [3], ["Barriers"], coder: "other")
        try store.dbQueue.write { db in
            try db.execute(
                sql: "INSERT INTO rejectedSuggestion(codeId, sourceId, start, \"end\") SELECT id, ?, 0, 5 FROM code WHERE name = 'Barrier'",
                arguments: [fixture.sourceID])
        }
        _ = try MemoBook(store).addMemo(on: .code("Stance/Barrier"), text: "Why this code.", actor: TestSupport.actor())
        #expect(try total(store) == 5)
        let before = try CodeTree.load(store).resolve("Barriers")

        let report = try CodebookEditor(store).mergeCode("Stance/Barrier", into: "Barriers", actor: TestSupport.actor())
        // Segment 2 by tester was already on Barriers: the same coding, so kept once. Segment 3
        // on Barriers was by another coder, so tester's coding of it is a coding of its own.
        #expect(report == CodeMergeReport(moved: 2, duplicates: 1, codesRemoved: 1))
        #expect(try total(store) == 4)
        #expect(try counts(store) == ["Barriers": 4])
        #expect(try !paths(store).contains("Stance/Barrier"))
        #expect(try CodeTree.load(store).resolve("Barriers").id == before.id)
        #expect(try MemoBook(store).memos(on: .code("Barriers")).map(\.text) == ["Why this code."])
        #expect(
            try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rejectedSuggestion WHERE codeId = ?", arguments: [before.id]) }
                == 1)
        #expect(try store.history().last?.summary == "merged code 'Stance/Barrier' into 'Barriers': 2 coding(s) moved, 1 duplicate(s) collapsed")
    }

    @Test func mergeAppendsKeywordsWithoutRepeats() throws {
        let store = try Self.fixture().store
        _ = try CodebookEditor(store).mergeCode("Evidence/Search", into: "Barriers", actor: TestSupport.actor())
        #expect(try CodeTree.load(store).resolve("Barriers").keywords == ["barrier", "Search", "query"])
        _ = try CodebookEditor(store).mergeCode("Barriers", into: "Evidence/Appraisal", actor: TestSupport.actor())
        #expect(try CodeTree.load(store).resolve("Appraisal").keywords == ["barrier", "Search", "query"])
    }

    @Test func mergeWithChildrenTakesTheSubtree() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1], ["Evidence"])
        try code(fixture, [1, 2], ["Evidence/Search"])
        try code(fixture, [4], ["Evidence/Appraisal"])
        let message = try refused(store) { _ = try CodebookEditor(store).mergeCode("Evidence", into: "Barriers", actor: TestSupport.actor()) }
        #expect(message.contains("'Evidence'") && message.contains("merge them all along into 'Barriers'"))
        let report = try CodebookEditor(store).mergeCode("Evidence", into: "Barriers", withChildren: true, actor: TestSupport.actor())
        #expect(report == CodeMergeReport(moved: 3, duplicates: 1, codesRemoved: 3))
        #expect(try counts(store) == ["Barriers": 3])
        #expect(try paths(store) == ["Barriers", "Stance", "Stance/Barrier", "Stance/Enabler"])
        #expect(try CodeTree.load(store).resolve("Barriers").keywords == ["barrier", "evidence", "search", "query"])
    }

    @Test func mergeRefusesItselfADescendantAndAGroup() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1], ["Evidence/Search"])
        #expect(
            try refused(store) { _ = try CodebookEditor(store).mergeCode("Barriers", into: "barriers", actor: TestSupport.actor()) }.contains(
                "into itself"))
        #expect(
            try refused(store) { _ = try CodebookEditor(store).mergeCode("Evidence", into: "Search", withChildren: true, actor: TestSupport.actor()) }
                .contains("below it"))
        #expect(
            try refused(store) { _ = try CodebookEditor(store).mergeCode("Search", into: "Stance", actor: TestSupport.actor()) }.contains(
                "not codable"))
        #expect(try total(store) == 1)
    }

    // MARK: - Split

    @Test func splitMovesTheCodingsOfSomeSegments() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1, 2, 3, 4], ["Barriers"])
        let (new, moved) = try CodebookEditor(store).splitCode(
            "Barriers", newName: "Time", segments: [(fixture.sourceID, [2, 4])], actor: TestSupport.actor())
        #expect(moved == 2)
        #expect(new.parentID == nil)
        #expect(try counts(store) == ["Barriers": 2, "Time": 2])
        #expect(try total(store) == 4)
        #expect(try store.history().last?.summary == "split 2 coding(s) of 'Barriers' into new code 'Time'")
        #expect(
            try refused(store) {
                _ = try CodebookEditor(store).splitCode("Barriers", newName: "Other", segments: [(fixture.sourceID, [2])], actor: TestSupport.actor())
            }.contains("no codings"))
        #expect(
            try refused(store) {
                _ = try CodebookEditor(store).splitCode("Barriers", newName: "time", segments: [(fixture.sourceID, [1])], actor: TestSupport.actor())
            }.contains("'Time'"))
    }

    // MARK: - Delete

    @Test func deleteRefusesCodingsAndChildrenUnlessForced() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1, 2], ["Evidence/Search"])
        try code(fixture, [3], ["Barriers"])
        let withCodings = try refused(store) { _ = try CodebookEditor(store).deleteCode("Search", actor: TestSupport.actor()) }
        #expect(
            withCodings.contains("'Evidence/Search'") && withCodings.contains("2 coding(s)") && withCodings.contains("Merge it into another code"))
        let withChildren = try refused(store) { _ = try CodebookEditor(store).deleteCode("Evidence", actor: TestSupport.actor()) }
        #expect(withChildren.contains("'Evidence'") && withChildren.contains("2 code(s) below it"))

        // A code without codings or children goes.
        #expect(try CodebookEditor(store).deleteCode("Enabler", actor: TestSupport.actor()) == CodeDeleteReport(codes: 1, codings: 0, memos: 0))
        #expect(try store.history().last?.summary == "deleted code 'Stance/Enabler' with 0 coding(s)")

        let report = try CodebookEditor(store).deleteCode("Evidence", force: true, actor: TestSupport.actor())
        #expect(report == CodeDeleteReport(codes: 3, codings: 2, memos: 0))
        #expect(try paths(store) == ["Barriers", "Stance", "Stance/Barrier"])
        #expect(try counts(store) == ["Barriers": 1])
        #expect(try store.history().last?.summary == "deleted code 'Evidence' and the 2 code(s) below it with 2 coding(s)")
    }

    @Test func deleteRefusesAMemoUnlessForced() throws {
        let store = try Self.fixture().store
        _ = try MemoBook(store).addMemo(on: .code("Enabler"), text: "Keep me.", actor: TestSupport.actor())
        #expect(try refused(store) { _ = try CodebookEditor(store).deleteCode("Enabler", actor: TestSupport.actor()) }.contains("memo"))
        #expect(try CodebookEditor(store).deleteCode("Enabler", force: true, actor: TestSupport.actor()).memos == 1)
    }

    // MARK: - Lint

    @Test func lintFindsEveryKindOfProblem() throws {
        let fixture = try Self.fixture()
        let store = fixture.store
        try code(fixture, [1], ["Evidence/Search", "Barriers"])
        try store.dbQueue.write { db in
            try db.execute(sql: "UPDATE code SET isCodable = 0 WHERE name = 'Barriers'")
        }
        let findings = try CodebookEditor(store).codebookLint()
        #expect(findings.filter { $0.kind == "duplicate_name" }.map(\.codes) == [])
        #expect(
            findings.filter { $0.kind == "no_definition" }.map(\.codes)
                == ["Evidence/Appraisal", "Barriers", "Stance", "Stance/Barrier", "Stance/Enabler"])
        #expect(findings.filter { $0.kind == "unused" }.map(\.codes) == ["Evidence", "Evidence/Appraisal", "Stance/Barrier", "Stance/Enabler"])
        #expect(findings.filter { $0.kind == "coded_not_codable" }.map(\.codes) == ["Barriers"])
        #expect(
            findings.filter { $0.kind == "shared_keyword" }
                == [CodebookFinding(kind: "shared_keyword", codes: "Evidence; Evidence/Search", detail: "the keyword 'search' is claimed by 2 codes")]
        )

        try CodebookEditor(store).addCode(path: "Evidence/Barrier", actor: TestSupport.actor())
        #expect(try CodebookEditor(store).codebookLint().filter { $0.kind == "duplicate_name" }.map(\.codes) == ["Evidence/Barrier; Stance/Barrier"])
    }
}
