import Foundation
import GRDB
import Testing

@testable import QuillKit

/// Merging another project's work: what comes in, what is matched, conflicts, twice, undo.
@Suite struct MergeTests {
    static let interview = "Aisha: I use the library every week, café or not 👍.\r\nBen: Me too, for evidence.\r\nAisha: And for data.\r\n"
    static let workshop = "Chen: We looked at dashboards.\nDev: And at the evidence summaries.\nChen: Zoë's group too.\n"

    /// A project with the interview, codes Topics/Evidence and Topics/Data, and Aisha's role.
    static func base() throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data")])
                ]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("interview", interview)], actor: TestSupport.actor())
        _ = try CaseBook(store).importCaseAttributes(csv: "case,role,years\nAisha,librarian,4\n", path: "cases.csv", actor: TestSupport.actor())
        return store
    }

    static func code(_ store: ProjectDatabase, _ coder: String, _ source: String, _ segments: [Int], _ code: String) throws {
        let id = try SourceCatalog(store).resolveSource(source).id
        _ = try CodingEditor(store).code(
            sourceID: id, segments: segments, codeIDs: [try CodeTree.load(store).resolve(code).id], actor: TestSupport.actor(coder))
    }

    static func codings(_ store: ProjectDatabase) throws -> [String] {
        try store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT s.name || ' ' || c.start || '-' || c."end" || ' ' || k.name || ' ' || d.name FROM coding c
                    JOIN source s ON s.id = c.sourceId JOIN code k ON k.id = c.codeId JOIN coder d ON d.id = c.coderId
                    ORDER BY 1
                    """)
        }
    }

    @Test func aNewCodeComesWithAllItsValuesAndRules() throws {
        let ours = try Self.base()
        let theirs = try Self.base()
        let rules = [AutocodeRule(regex: "wait(ing)? list"), AutocodeRule(keywordsAny: ["queue"], speakerRole: "interviewee")]
        let waiting = Codebook.Node(
            name: "Waiting", definition: "Time before help arrives.", include: "Queues.",
            exclude: "Opening hours.", examples: ["a long wait"], keywords: ["wait"], rules: rules,
            color: "#AA3300", isCodable: true)
        _ = try CodebookImporter(theirs).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data"), waiting])
                ]), actor: TestSupport.actor("bob"))

        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor("lead"))
        #expect(report.codes == 1)
        let there = try CodeTree.load(theirs).resolve("Topics/Waiting")
        let here = try CodeTree.load(ours).resolve("Topics/Waiting")
        #expect(here.rules == rules)
        #expect(
            here.guid == there.guid && here.definition == there.definition && here.include == there.include
                && here.exclude == there.exclude && here.examples == there.examples && here.keywords == there.keywords
                && here.color == there.color && here.isCodable)
    }

    @Test func bringsInCodingsCodesSourcesCasesAndMemos() throws {
        let ours = try Self.base()
        let theirs = try Self.base()
        try Self.code(ours, "alice", "interview", [1, 2], "Evidence")
        try Self.code(theirs, "bob", "interview", [2, 3], "Evidence")
        // Theirs also has a new code, a new source with its own speakers, a memo and a case attribute.
        try CodebookEditor(theirs).addCode(path: "Topics/Dashboards", keywords: ["dashboard"], actor: TestSupport.actor("bob"))
        _ = try SourceImporter(theirs).importSources([try TestSupport.prepared("workshop", Self.workshop)], actor: TestSupport.actor("bob"))
        try Self.code(theirs, "bob", "workshop", [1], "Dashboards")
        try MemoBook(theirs).addMemo(on: .code("Dashboards"), text: "Screens that show data.", actor: TestSupport.actor("bob"))
        _ = try CaseBook(theirs).importCaseAttributes(csv: "case,site\nChen,Leeds\nAisha,York\n", path: "more.csv", actor: TestSupport.actor("bob"))

        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor("lead"))
        #expect(report.conflicts.isEmpty)
        #expect(report.codings == 3 && report.codes == 1 && report.sources == 1 && report.memos == 1 && report.coders == 1)
        #expect(try Self.codings(ours).filter { $0.hasSuffix(" bob") }.count == 3)
        #expect(try Self.codings(ours).filter { $0.hasSuffix(" alice") }.count == 2)
        let tree = try CodeTree.load(ours)
        let dashboards = try tree.resolve("Dashboards")
        #expect(dashboards.keywords == ["dashboard"] && tree.displayPath(of: dashboards.id) == "Topics/Dashboards")
        #expect(
            try SourceCatalog(ours).segments(ofSource: try SourceCatalog(ours).resolveSource("workshop").id).map(\.text).last?.contains("Zoë") == true
        )
        let cases = try CaseBook(ours).cases()
        #expect(cases.contains { $0.name == "Chen" })
        #expect(try MemoBook(ours).memos(on: .code("Dashboards")).map(\.text) == ["Screens that show data."])
        let site = try ours.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT k.name || '=' || v.value FROM caseAttribute v JOIN studyCase k ON k.id = v.caseId JOIN attribute a ON a.id = v.attributeId WHERE a.name = 'site' ORDER BY 1"
            )
        }
        #expect(site == ["Aisha=York", "Chen=Leeds"])

        // The second time there is nothing to merge, and nothing is recorded.
        let history = try ours.history().count
        let digest = try ContentDigest(ours).contentDigest()
        let again = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor("lead"))
        #expect(again.isEmpty && again.summary == "nothing")
        #expect(try ContentDigest(ours).contentDigest() == digest && ours.history().count == history)
    }

    @Test func undoReversesTheWholeMerge() throws {
        let ours = try Self.base()
        let theirs = try Self.base()
        _ = try SourceImporter(theirs).importSources([try TestSupport.prepared("workshop", Self.workshop)], actor: TestSupport.actor("bob"))
        try Self.code(theirs, "bob", "workshop", [1, 2], "Data")
        try MemoBook(theirs).addMemo(on: .project, text: "Bob's notes.", actor: TestSupport.actor("bob"))
        let before = try ContentDigest(ours).contentDigest(researchOnly: true)
        _ = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor("lead"))
        #expect(try ContentDigest(ours).contentDigest(researchOnly: true) != before)
        #expect(try UndoLog(ours).undo(actor: TestSupport.actor("lead"))?.entry.summary.hasPrefix("merged") == true)
        #expect(try ContentDigest(ours).contentDigest(researchOnly: true) == before)
    }

    /// Ours renamed a code, deleted a used one, changed Aisha's role and typed years as text.
    static func conflicting() throws -> (ours: ProjectDatabase, theirs: ProjectDatabase) {
        let ours = try Self.base()
        let theirs = try Self.base()
        try Self.code(theirs, "bob", "interview", [1], "Evidence")
        try Self.code(theirs, "bob", "interview", [2], "Data")
        try CodebookEditor(ours).renameCode("Evidence", to: "Research evidence", actor: TestSupport.actor())
        _ = try CodebookEditor(ours).deleteCode("Data", actor: TestSupport.actor())
        _ = try CaseBook(ours).importCaseAttributes(csv: "case,role\nAisha,manager\n", path: "roles.csv", actor: TestSupport.actor())
        _ = try CaseBook(theirs).importCaseAttributes(csv: "case,grade\nAisha,7\n", path: "g.csv", actor: TestSupport.actor())
        _ = try CaseBook(ours).importCaseAttributes(csv: "case,grade\nAisha,band 7\n", path: "g.csv", actor: TestSupport.actor())
        return (ours, theirs)
    }

    @Test func stopReportsEveryConflictAndChangesNothing() throws {
        let (ours, theirs) = try Self.conflicting()
        let before = try ContentDigest(ours).contentDigest()
        let error = TestSupport.quillError {
            _ = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor())
        }
        let message = error?.message ?? ""
        #expect(message.contains("conflict in 5 places"))
        #expect(message.contains("the code 'Topics/Research evidence' here is 'Topics/Evidence' there (the same GUID)"))
        #expect(message.contains("'Topics/Data' was deleted here but is used there (1 coding of its own)"))
        #expect(message.contains("'Aisha' has role = 'manager' here but 'librarian' there"))
        #expect(message.contains("'Aisha' has grade = 'band 7' here but '7' there"))
        #expect(message.contains("the attribute 'grade' is text here but integer there"))
        #expect(message.contains("Nothing was changed") && error?.remedy == .settleConflicts)
        #expect(try ContentDigest(ours).contentDigest() == before)
    }

    @Test func oursKeepsThisProjectsVersion() throws {
        let (ours, theirs) = try Self.conflicting()
        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .ours, actor: TestSupport.actor())
        #expect(report.conflicts.count == 5)
        #expect(report.codings == 1 && report.leftOut == 1 && report.changedHere == 0)
        #expect(try Self.codings(ours).contains { $0.hasSuffix("Research evidence bob") })
        #expect((try? CodeTree.load(ours).resolve("Data")) == nil)
        #expect(try CaseBook(ours).resolveCase("Aisha").attributes.first { $0.name == "role" }?.value == "manager")
        // Settled the same way again, there is nothing left to merge.
        #expect(try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .ours, actor: TestSupport.actor()).isEmpty)
    }

    @Test func theirsTakesTheOtherProjectsVersion() throws {
        let (ours, theirs) = try Self.conflicting()
        // 'band 7' cannot become an integer: the merge refuses, naming the value, and changes nothing.
        let before = try ContentDigest(ours).contentDigest()
        let error = TestSupport.quillError {
            _ = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .theirs, actor: TestSupport.actor())
        }
        #expect(error?.message.contains("the value 'band 7' here is not integer") == true)
        #expect(try ContentDigest(ours).contentDigest() == before)

        _ = try CaseBook(ours).importCaseAttributes(csv: "case,grade\nAisha,6\n", path: "g.csv", actor: TestSupport.actor())
        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .theirs, actor: TestSupport.actor())
        #expect(report.codings == 2 && report.codes == 1)
        let tree = try CodeTree.load(ours)
        #expect(tree.codes.map { tree.displayPath(of: $0.id) } == ["Topics", "Topics/Evidence", "Topics/Data"])
        let attributes = try CaseBook(ours).resolveCase("Aisha").attributes
        #expect(attributes.first { $0.name == "role" }?.value == "librarian")
        #expect(attributes.first { $0.name == "grade" }?.value == "7")
        #expect(try ours.read { db in try String.fetchOne(db, sql: "SELECT type FROM attribute WHERE name = 'grade'") } == "integer")
    }

    @Test func aNewCodeAtAPathOneOfTheirCodesHasHereIsNotTakenForIt() throws {
        // Here Evidence was renamed Proof; there a new code Proof was added beside Evidence.
        let ours = try Self.base()
        let theirs = try Self.base()
        try CodebookEditor(ours).renameCode("Evidence", to: "Proof", actor: TestSupport.actor())
        try CodebookEditor(theirs).addCode(path: "Topics/Proof", actor: TestSupport.actor("bob"))
        try Self.code(theirs, "bob", "interview", [1], "Evidence")
        try Self.code(theirs, "bob", "interview", [2], "Proof")
        let error = TestSupport.quillError {
            _ = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor())
        }
        #expect(error?.message.contains("conflict in 2 places") == true)
        #expect(
            error?.message.contains("the code 'Topics/Proof' there is new, but here that path is their 'Topics/Evidence' (the same GUID)") == true)

        let kept = try Self.base()
        try CodebookEditor(kept).renameCode("Evidence", to: "Proof", actor: TestSupport.actor())
        let report = try ProjectMerger(kept).merge(try ProjectContents.load(theirs), rule: .ours, actor: TestSupport.actor())
        #expect(report.codings == 1 && report.leftOut == 1 && report.codes == 0)
        #expect(try Self.codings(kept).filter { $0.hasSuffix(" bob") }.map { $0.split(separator: " ")[2] } == ["Proof"])

        let taken = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .theirs, actor: TestSupport.actor())
        #expect(taken.codings == 2 && taken.codes == 1 && taken.changedHere == 1)
        let tree = try CodeTree.load(ours)
        #expect(tree.codes.map { tree.displayPath(of: $0.id) } == ["Topics", "Topics/Evidence", "Topics/Data", "Topics/Proof"])
    }

    @Test func memosFindTheirTargetsHere() throws {
        let ours = try Self.base()
        let theirs = try Self.base()
        try Self.code(theirs, "bob", "interview", [2], "Evidence")
        let codingGUID = try #require(try theirs.read { db in try String.fetchOne(db, sql: "SELECT guid FROM coding") })
        for (target, text) in [
            (MemoTarget.segment(source: "interview", number: 2), "On Ben's turn."),
            (.studyCase("Aisha"), "Aisha runs the outreach service."),
            (.source("interview"), "Recorded in the café 👍."),
            (.coding(codingGUID), "Evidence in the broad sense."),
        ] {
            try MemoBook(theirs).addMemo(on: target, text: text, actor: TestSupport.actor("bob"))
        }
        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor())
        #expect(report.memos == 4 && report.codings == 1)
        #expect(
            try MemoBook(ours).memos().map { "\($0.target) \($0.text)" } == [
                "segment:interview#2 On Ben's turn.", "case:Aisha Aisha runs the outreach service.",
                "source:interview Recorded in the café 👍.", "coding:\(codingGUID) Evidence in the broad sense.",
            ])
        #expect(try MemoBook(ours).memos().allSatisfy { $0.coder == "bob" })
    }

    /// Sets a source attribute (no command writes them yet; REFI-QDA files carry them).
    static func setSourceAttribute(_ store: ProjectDatabase, _ name: String, _ value: String) throws {
        try store.change(TestSupport.actor()) { db in
            let attribute = try CaseTable(db).attributeID(named: name, type: .text)
            try db.execute(
                sql: "INSERT OR REPLACE INTO sourceAttribute(sourceId, attributeId, value) SELECT id, ?, ? FROM source WHERE name = 'interview'",
                arguments: [attribute, value])
            return ((), "set \(name)")
        }
    }

    @Test func sourceAttributesMergeAndConflictLikeCaseAttributes() throws {
        let ours = try Self.base()
        let theirs = try Self.base()
        try Self.setSourceAttribute(theirs, "site", "Leeds")
        try Self.setSourceAttribute(theirs, "mode", "online")
        try Self.setSourceAttribute(ours, "site", "York")
        let digest = try ContentDigest(ours).contentDigest()
        let error = TestSupport.quillError {
            _ = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor())
        }
        #expect(error?.message.contains("the source 'interview' has site = 'York' here but 'Leeds' there") == true)
        #expect(try ContentDigest(ours).contentDigest() == digest)
        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .theirs, actor: TestSupport.actor())
        #expect(report.attributes == 1 && report.attributeValues == 1 && report.changedHere == 1)
        let values = try ours.read { db in
            try String.fetchAll(db, sql: "SELECT a.name || '=' || v.value FROM sourceAttribute v JOIN attribute a ON a.id = v.attributeId ORDER BY 1")
        }
        #expect(values == ["mode=online", "site=Leeds"])
    }

    @Test func aSourceWithTheSameFileButAnotherTextIsRefused() throws {
        let ours = try Self.base()
        var contents = try ProjectContents.load(Self.base())
        contents.sources[0].text += "changed"
        let before = try ContentDigest(ours).contentDigest()
        let error = TestSupport.quillError { _ = try ProjectMerger(ours).merge(contents, rule: .theirs, actor: TestSupport.actor()) }
        #expect(error?.message.contains("comes from the same file as 'interview' here, but its text differs") == true)
        #expect(try ContentDigest(ours).contentDigest() == before)
    }

    @Test func aSourceNameTakenByAnotherSourceGetsANumber() throws {
        let ours = try Self.base()
        let theirs = try ProjectDatabase.inMemory()
        _ = try SourceImporter(theirs).importSources([try TestSupport.prepared("interview", Self.workshop)], actor: TestSupport.actor())
        let report = try ProjectMerger(ours).merge(try ProjectContents.load(theirs), rule: .stop, actor: TestSupport.actor())
        #expect(report.renamedSources == ["'interview' as 'interview (2)'"])
        #expect(try SourceCatalog(ours).sources().map(\.name) == ["interview", "interview (2)"])
    }
}
