import Foundation
import GRDB
import Testing

@testable import QuillKit

/// `undo` restores the exact previous state after every kind of change.
@Suite struct UndoTests {
    @Test func everyChangeUndoesToTheStateBeforeIt() throws {
        let store = try ProjectDatabase.inMemory()
        let actor = TestSupport.actor()
        var digests: [String] = [try ContentDigest(store).contentDigest(researchOnly: true)]
        func step(_ body: () throws -> Void) throws {
            try body()
            digests.append(try ContentDigest(store).contentDigest(researchOnly: true))
        }
        let codebook = Codebook(
            name: "Book",
            codes: [
                .init(name: "Evidence", keywords: ["search"], children: [.init(name: "Appraisal", keywords: ["appraise"])]),
                .init(name: "Barriers", keywords: ["time"]),
            ])
        try step { _ = try CodebookImporter(store).importCodebook(codebook, actor: actor) }
        try step {
            _ = try SourceImporter(store).importSources(
                [
                    try TestSupport.prepared("alpha", "Interviewer: How?\nSpeaker B (Librarian): I search. It takes time. I appraise.\n"),
                    try TestSupport.prepared("beta", "Interviewer: And?\nP02: No time.\n"),
                ], actor: actor)
        }
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        let tree = try CodeTree.load(store)
        try step {
            _ = try CodingEditor(store).code(
                sourceID: alpha, segments: [2], codeIDs: [try tree.resolve("Appraisal").id], memo: "a note", actor: actor)
        }
        try step {
            let proposed = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: actor)
            #expect(proposed.proposed == 3)
        }
        try step {
            let beta = try #require(try ReviewQueue(store).pendingProposals().first { $0.source == "beta" })
            let reviewed = try ReviewQueue(store).review(
                accept: ProposalSelection(codes: ["Evidence"]), reject: ProposalSelection(ids: [beta.id]), actor: actor)
            #expect(reviewed == ReviewReport(accepted: 1, alreadyCoded: 0, rejected: 1))
        }
        try step { _ = try Autocoder(store).autocode(isDryRun: false, actor: actor) }
        try step {
            _ = try CodingEditor(store).uncode(sourceID: alpha, segments: [2], codeIDs: [try tree.resolve("Barriers").id], coder: nil, actor: actor)
        }
        try step { _ = try Resegmenter(store).resegment(sourceID: alpha, options: SegmentationOptions(unit: .sentence), actor: actor) }
        try step {
            try CaseBook(store).editSpeakers(
                sourceID: alpha, renames: [(from: "Speaker B", to: "Priya")], roles: [(speaker: "Interviewer", isInterviewer: false)], actor: actor)
        }
        try step { _ = try CaseBook(store).importCaseAttributes(csv: "case,years\nPriya,7\nP02,3\n", path: "people.csv", actor: actor) }
        try step {
            _ = try CodebookImporter(store).importCodebook(
                try CodebookImporter(store).exportCodebook().renamingFirstTopLevelCode(to: "Proof"), actor: actor)
        }

        let codingsBefore = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") }
        #expect(codingsBefore ?? 0 > 0)
        // Undo every step, latest first: each time the project is as it was before that step.
        for expected in digests.dropLast().reversed() {
            let report = try #require(try UndoLog(store).undo(actor: actor))
            #expect(try ContentDigest(store).contentDigest(researchOnly: true) == expected, "after undoing '\(report.entry.summary)'")
            #expect(try IntegrityCheck(store).check() == [])
        }
        #expect(try UndoLog(store).undo(actor: actor) == nil)
        let summaries = try store.history().map(\.summary)
        #expect(summaries.last == "undid #1: codebook 'Book': 3 added, 0 updated, 0 unchanged")
    }

    @Test func undoingTwiceGoesFurtherBackAndAFailedUndoChangesNothing() throws {
        let store = try ProjectDatabase.inMemory()
        let actor = TestSupport.actor()
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "B", codes: [.init(name: "A")]), actor: actor)
        let empty = try ContentDigest(store).contentDigest(researchOnly: true)
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", "Interviewer: Hi.\nP01: Hello.\n")], actor: actor)
        let imported = try ContentDigest(store).contentDigest(researchOnly: true)
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        _ = try CodingEditor(store).code(sourceID: alpha, segments: [2], codeIDs: [try CodeTree.load(store).resolve("A").id], actor: actor)
        #expect(try UndoLog(store).undo(actor: actor)?.entry.summary.hasPrefix("added 1 coding") == true)
        #expect(try ContentDigest(store).contentDigest(researchOnly: true) == imported)
        #expect(try UndoLog(store).undo(actor: actor)?.entry.summary == "imported 1 source(s): alpha")
        #expect(try ContentDigest(store).contentDigest(researchOnly: true) == empty)
        // The search index follows the segments back.
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM segmentSearch") } == 0)
    }
}

@Suite struct UndoCodebookAndMemoTests {
    @Test func codebookEditsAndMemosUndoExactly() throws {
        let store = try ProjectDatabase.inMemory()
        let actor = TestSupport.actor()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "B", codes: [.init(name: "A", children: [.init(name: "A1")]), .init(name: "B")]), actor: actor)
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("alpha", "Interviewer: Hi.\nP01: Hello.\nInterviewer: And?\nP01: Bye.\n")], actor: actor)
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        let tree = try CodeTree.load(store)
        _ = try CodingEditor(store).code(
            sourceID: alpha, segments: [2, 4], codeIDs: [try tree.resolve("A1").id, try tree.resolve("B").id], actor: actor)
        var digests = [try ContentDigest(store).contentDigest(researchOnly: true)]
        func step(_ body: () throws -> Void) throws {
            try body()
            digests.append(try ContentDigest(store).contentDigest(researchOnly: true))
        }
        try step { try CodebookEditor(store).addCode(path: "A/A2", keywords: ["bye"], actor: actor) }
        try step { _ = try CodebookEditor(store).renameCode("A2", to: "Farewell", actor: actor) }
        try step { _ = try MemoBook(store).addMemo(on: .code("Farewell"), text: "Why we part.", actor: actor) }
        try step { _ = try CodebookEditor(store).mergeCode("A1", into: "B", actor: actor) }
        try step { _ = try CodebookEditor(store).deleteCode("B", force: true, actor: actor) }
        for expected in digests.dropLast().reversed() {
            let report = try #require(try UndoLog(store).undo(actor: actor))
            #expect(try ContentDigest(store).contentDigest(researchOnly: true) == expected, "after undoing '\(report.entry.summary)'")
        }
        let codings = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") }
        #expect(codings == 4)
    }
}

private extension Codebook {
    func renamingFirstTopLevelCode(to name: String) -> Codebook {
        var copy = self
        copy.codes[0].name = name
        return copy
    }
}
