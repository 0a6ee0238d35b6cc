import Foundation
import GRDB
import Testing

@testable import QuillKit

/// The full-text index, built for the sources that wait for it before a search.
@Suite struct SearchIndexTests {
    private func counts(_ store: ProjectDatabase) throws -> (indexed: Int, segments: Int, waiting: Int) {
        try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM segmentSearch") ?? -1,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM segment") ?? -1,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM searchPending") ?? -1
            )
        }
    }

    /// What the index holds for each segment, against the segment's text cut from its source.
    private func indexedTexts(_ store: ProjectDatabase) throws -> [(indexed: String, segment: String)] {
        try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.text AS indexed, substr(s.text, g.start + 1, g."end" - g.start) AS segment
                    FROM segment g JOIN source s ON s.id = g.sourceId JOIN segmentSearch f ON f.rowid = g.id ORDER BY g.id
                    """
            ).map { ($0["indexed"], $0["segment"]) }
        }
    }

    private func found(_ store: ProjectDatabase, _ words: String) throws -> [String] {
        try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: words), filter: AnalysisFilter()).map { "\($0.source) \($0.segment ?? 0)" }
    }

    @Test func anImportWaitsAndTheFirstSearchIndexesIt() throws {
        let store = try FrequencyFixture.project()
        #expect(try counts(store) == (0, 8, 2))
        #expect(try IntegrityCheck(store).check() == [])
        #expect(try found(store, "dashboards") == ["beta 2"])
        #expect(try counts(store) == (8, 8, 0))
        #expect(try IntegrityCheck(store).check() == [])
        // Nothing waits now, so the next search writes nothing.
        #expect(try SearchIndex(store).updateSearchIndex() == 0)
        for pair in try indexedTexts(store) { #expect(pair.indexed == pair.segment) }
    }

    @Test func resegmentingReindexesWithoutDuplicates() throws {
        let store = try FrequencyFixture.project()
        try SearchIndex(store).updateSearchIndex()
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        _ = try Resegmenter(store).resegment(sourceID: alpha, options: SegmentationOptions(unit: .sentence), actor: TestSupport.actor())
        #expect(try counts(store).waiting == 1)
        #expect(try IntegrityCheck(store).check() == [])
        #expect(try found(store, "wards") == ["alpha 2"])
        let after = try counts(store)
        #expect(after.indexed == after.segments && after.waiting == 0)
        for pair in try indexedTexts(store) { #expect(pair.indexed == pair.segment) }
    }

    @Test func undoingAnImportLeavesACleanIndex() throws {
        let store = try FrequencyFixture.project()
        let gamma = try TestSupport.prepared("gamma", "Interviewer: Why?\nZoë: Because of the 📚 audit.\n")
        _ = try SourceImporter(store).importSources([gamma], actor: TestSupport.actor())
        #expect(try found(store, "audit") == ["gamma 2"])
        _ = try UndoLog(store).undo(actor: TestSupport.actor())
        #expect(try IntegrityCheck(store).check() == [])
        #expect(try found(store, "audit") == [])
        let after = try counts(store)
        #expect(after.indexed == after.segments)
    }

    @Test func aSegmentMissingFromTheIndexIsFoundByCheck() throws {
        let store = try FrequencyFixture.project()
        try SearchIndex(store).updateSearchIndex()
        try store.dbQueue.write { db in
            try db.execute(sql: "DELETE FROM segmentSearch WHERE rowid = (SELECT max(id) FROM segment)")
        }
        #expect(try IntegrityCheck(store).check().map(\.message) == ["1 segment(s) are missing from the full-text index"])
    }

    /// The cutter gives what SQLite's `substr` gives, by scalars, on texts with emoji (four
    /// UTF-8 bytes), accents (two, or a combining mark) and CJK (three), and out-of-range spans.
    @Test func theCutterAgreesWithSubstr() throws {
        var random = SeededGenerator(seed: 8)
        let pieces = ["a", "é", "e\u{301}", "📚", "👩🏽‍⚕️", "漢", " ", "\n", "ß"]
        let queue = try DatabaseQueue()
        for _ in 0..<200 {
            let text = (0..<random.int(0...40)).map { _ in random.pick(pieces) }.joined()
            let cutter = UTF8Cutter(text)
            let count = text.unicodeScalars.count
            let start = random.int(0...count + 2)
            let end = random.int(start...count + 3)
            let expected = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT substr(?, ?, ?)", arguments: [text, start + 1, max(0, end - start)])
            }
            #expect(cutter[TextSpan(start: start, end: end)] == expected, "\(Array(text.unicodeScalars)) [\(start), \(end))")
        }
    }

    /// A query that is not valid is refused before the index takes in anything.
    @Test func anInvalidQueryLeavesTheProjectAsItWas() throws {
        let store = try FrequencyFixture.project()
        let before = try ContentDigest(store).contentDigest()
        #expect(throws: QuillError.self) { try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "data AND"), filter: AnalysisFilter()) }
        #expect(try ContentDigest(store).contentDigest() == before)
        #expect(try counts(store).waiting == 2)
    }

    /// The error of an import is that of the first file, in order, that cannot be read or
    /// stored, whichever batch each falls in.
    @Test func theFirstFailingFileGivesTheError() throws {
        for (unreadable, clashing) in [(0, 11), (11, 0), (3, 20), (20, 3)] {
            let store = try FrequencyFixture.project()
            let before = try ContentDigest(store).contentDigest()
            let files = (0..<24).map { (name: $0 == clashing ? "alpha" : "f\($0)", fileName: "f\($0).txt") }
            let prepared = try (0..<24).map { try TestSupport.prepared(files[$0].name, "Interviewer: Question \($0)?\nZo\u{EB}: Answer \($0).\n") }
            let error = TestSupport.quillError {
                _ = try SourceImporter(store).importFiles(
                    files, actor: TestSupport.actor(),
                    prepare: { index in
                        if index == unreadable { throw QuillError.fileNotReadable(path: "f\(index).txt", reason: "there is no such file") }
                        return prepared[index]
                    })
            }
            let expected = unreadable < clashing ? "f\(unreadable).txt" : "already has a different source called 'alpha'"
            #expect(error?.localizedDescription.contains(expected) == true, "\(String(describing: error))")
            #expect(try ContentDigest(store).contentDigest() == before)
        }
    }
}
