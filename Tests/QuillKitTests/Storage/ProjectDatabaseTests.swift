import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct ProjectDatabaseTests {
    @Test func createThenOpenKeepsTheProject() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("project.quill")
        do {
            let store = try ProjectDatabase.create(at: url, name: "LHS study")
            #expect(try store.info("name") == "LHS study")
            _ = try CodebookImporter(store).importCodebook(Codebook(name: "Book", codes: [.init(name: "A")]), actor: TestSupport.actor())
        }
        #expect(FileManager.default.fileExists(atPath: url.path))
        let reopened = try ProjectDatabase.open(at: url)
        #expect(try reopened.info("name") == "LHS study")
        #expect(try CodeTree.load(reopened).codes.map(\.name) == ["A"])
        #expect(try reopened.history().count == 1)
        #expect(reopened.displayPath == url.path)
        let journal = try reopened.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let foreignKeys = try reopened.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == true)
    }

    @Test func creatingOverAnExistingFileIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("project.quill")
        _ = try ProjectDatabase.create(at: url, name: "First")
        let error = TestSupport.quillError { _ = try ProjectDatabase.create(at: url, name: "Second") }
        #expect(error == .projectExists(path: url.path))
        #expect(try ProjectDatabase.open(at: url).info("name") == "First")

        let other = folder.appendingPathComponent("notes.txt")
        try Data("my notes".utf8).write(to: other)
        #expect(TestSupport.quillError { _ = try ProjectDatabase.create(at: other, name: "X") } == .projectExists(path: other.path))
        #expect(try String(contentsOf: other, encoding: .utf8) == "my notes")
    }

    @Test func creatingInAMissingFolderIsAnError() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("missing/project.quill")
        guard case .fileNotWritable? = TestSupport.quillError({ _ = try ProjectDatabase.create(at: url, name: "X") }) else {
            Issue.record("expected fileNotWritable")
            return
        }
    }

    @Test func openingATextFileIsNotAProject() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("project.quill")
        let bytes = Data("Interviewer: this is a transcript, not a database.\n".utf8)
        try bytes.write(to: url)
        let error = TestSupport.quillError { _ = try ProjectDatabase.open(at: url) }
        guard case .notAProject(let path, let reason)? = error else {
            Issue.record("expected notAProject, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(reason == "it is not an SQLite database")
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test func openingAForeignSQLiteFileIsNotAProject() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("other.sqlite")
        try FileManager.default.copyItem(at: try TestSupport.fixture("foreign", "sqlite"), to: url)
        let bytes = try Data(contentsOf: url)
        let error = TestSupport.quillError { _ = try ProjectDatabase.open(at: url) }
        guard case .notAProject(let path, let reason)? = error else {
            Issue.record("expected notAProject, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(reason.contains("not one Quill made"))
        #expect(error?.message.contains(url.path) == true)
        // The foreign file is left as it was.
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test func openingAMissingFileOrAFolderIsNotAProject() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nothing.quill")
        #expect(
            TestSupport.quillError { _ = try ProjectDatabase.open(at: missing) }
                == .notAProject(path: missing.path, reason: "there is no such file"))
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        #expect(
            TestSupport.quillError { _ = try ProjectDatabase.open(at: folder) }
                == .notAProject(path: folder.path, reason: "it is a folder"))
    }

    @Test func aProjectFromANewerQuillIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("project.quill")
        do {
            let store = try ProjectDatabase.create(at: url, name: "Future")
            try store.dbQueue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v9 from the future')")
            }
        }
        let error = TestSupport.quillError { _ = try ProjectDatabase.open(at: url) }
        #expect(error == .projectTooNew(path: url.path, migration: "v9 from the future"))
        #expect(error?.message.contains("Update Quill") == true)
    }

    @Test func historyHasOneEntryPerChangingCommandAndNoneForANoOp() throws {
        let store = try ProjectDatabase.inMemory()
        let codebook = Codebook(name: "Book", codes: [.init(name: "Evidence"), .init(name: "Data")])
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor("alice", command: "quill codebook import book.yaml"))
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor("alice", command: "quill codebook import book.yaml"))
        let source = try TestSupport.prepared("alpha", "Interviewer: Hello?\nP01: Evidence and data.\n")
        _ = try SourceImporter(store).importSources([source], actor: TestSupport.actor("bob", command: "quill import alpha.txt"))
        _ = try SourceImporter(store).importSources([source], actor: TestSupport.actor("bob", command: "quill import alpha.txt"))
        let sourceID = try #require(SourceCatalog(store).sources().first?.id)
        let evidence = try CodeTree.load(store).resolve("Evidence").id
        _ = try CodingEditor(store).code(
            sourceID: sourceID, segments: [2], codeIDs: [evidence], actor: TestSupport.actor("bob", command: "quill code"))
        _ = try CodingEditor(store).code(
            sourceID: sourceID, segments: [2], codeIDs: [evidence], actor: TestSupport.actor("bob", command: "quill code"))
        _ = try CodingEditor(store).uncode(sourceID: sourceID, segments: [1], codeIDs: [evidence], coder: nil, actor: TestSupport.actor())
        _ = try Autocoder(store).autocode(isDryRun: true, actor: TestSupport.actor())
        _ = try Autocoder(store).autocode(isDryRun: false, actor: TestSupport.actor())

        let history = try store.history()
        #expect(history.map(\.command) == ["quill codebook import book.yaml", "quill import alpha.txt", "quill code"])
        #expect(history.map(\.coder) == ["alice", "bob", "bob"])
        #expect(
            history.map(\.summary) == [
                "codebook 'Book': 2 added, 0 updated, 0 unchanged",
                "imported 1 source(s): alpha",
                "added 1 coding(s) on 1 segment(s) of alpha with Evidence",
            ])
        #expect(history.map(\.id) == [1, 2, 3])
        #expect(history.allSatisfy { !$0.at.isEmpty })
    }

    @Test func aFailedChangeLeavesNoHistory() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "Book", codes: [.init(name: "Group", isCodable: false)]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", "P01: One.\nP02: Two.\n")], actor: TestSupport.actor())
        let group = try CodeTree.load(store).resolve("Group").id
        let before = try store.history().count
        _ = TestSupport.quillError { _ = try CodingEditor(store).code(sourceID: 1, segments: [1], codeIDs: [group], actor: TestSupport.actor()) }
        #expect(try store.history().count == before)
    }

    @Test func historyRefusesUpdateAndDelete() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "Book", codes: [.init(name: "A")]), actor: TestSupport.actor())
        let before = try store.history()
        #expect(before.count == 1)

        let update = TestSupport.quillError {
            try store.change(TestSupport.actor()) { db in
                try db.execute(sql: "UPDATE history SET summary = 'rewritten'")
                return ((), "tampered")
            }
        }
        #expect(update?.message.contains("the history is append-only") == true, "\(String(describing: update))")

        let delete = TestSupport.quillError {
            try store.change(TestSupport.actor()) { db in
                try db.execute(sql: "DELETE FROM history")
                return ((), "tampered")
            }
        }
        #expect(delete?.message.contains("the history is append-only") == true, "\(String(describing: delete))")
        // Neither the rows nor an entry for the refused change were written.
        #expect(try store.history() == before)
    }

    @Test func theSchemaIsComplete() throws {
        let store = try ProjectDatabase.inMemory()
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(
            tables == [
                "attribute", "caseAttribute", "caseSource", "code", "codeExample", "codeKeyword", "codeRule", "coder", "coding",
                "codingPosition", "history", "memo", "projectInfo", "proposal", "rejectedSuggestion", "searchPending", "searchStale", "segment",
                "segmentSearch", "segmentSearch_config",
                "segmentSearch_content", "segmentSearch_data", "segmentSearch_docsize", "segmentSearch_idx",
                "source", "sourceAttribute", "studyCase", "undoLog",
            ])
        let applicationID = try store.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
        #expect(applicationID == Schema.applicationID)
    }
}
