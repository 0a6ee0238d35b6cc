import Foundation
import GRDB
import Testing

@testable import QuillKit

/// `quill check` and `quill backup`.
@Suite struct ProjectCheckTests {
    private func project() throws -> ProjectDatabase {
        let store = try FrequencyFixture.project()
        #expect(try IntegrityCheck(store).check() == [])
        return store
    }

    @Test func offsetsOutsideTheTextAreFound() throws {
        let store = try project()
        try store.dbQueue.write { db in
            try db.execute(sql: "UPDATE coding SET \"end\" = 10000 WHERE id = 1")
            try db.execute(sql: "UPDATE segment SET start = 0 WHERE sourceId = 1 AND number = 2")
        }
        let problems = try IntegrityCheck(store).check()
        #expect(problems.map(\.check) == ["offsets", "segments"])
        #expect(problems[0].message.contains("coding 1 on 'alpha' is ["))
        #expect(problems[0].message.contains("outside its text of"))
        #expect(problems[1].message == "segment 2 of 'alpha' starts before the segment above it ends")
    }

    @Test func proposalsOutsideTheTextAreFound() throws {
        let store = try project()
        try store.dbQueue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO proposal(codeId, sourceId, start, "end", rule, matched, coderId, createdAt)
                    VALUES ((SELECT min(id) FROM code), 1, 5, 10000, 'keywords', 'x', (SELECT min(id) FROM coder), '')
                    """)
        }
        let problems = try IntegrityCheck(store).check()
        #expect(problems.map(\.check) == ["offsets"])
        #expect(problems.first?.message.hasPrefix("proposal 1 on 'alpha' is [5, 10000), outside its text of") == true)
    }

    @Test func brokenReferencesLengthsAndIndexesAreFound() throws {
        let store = try project()
        try SearchIndex(store).updateSearchIndex()
        try store.dbQueue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE coding SET codeId = 999 WHERE id = 2")
            try db.execute(sql: "UPDATE source SET length = 3 WHERE name = 'beta'")
            try db.execute(sql: "DELETE FROM segmentSearch WHERE rowid = (SELECT min(id) FROM segment)")
            try db.execute(
                sql:
                    "INSERT INTO memo(guid, targetKind, targetId, text, createdAt, updatedAt) VALUES ('6C1B435E-2F8A-4B8E-9D50-51554C4C4C31', 'code', 4242, 'gone', '', '')"
            )
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let checks = try IntegrityCheck(store).check().map(\.check)
        // beta's four segments and three codings now also lie outside its (claimed) length.
        #expect(checks == ["references", "lengths"] + Array(repeating: "offsets", count: 7) + ["memos", "search"])
    }

    @Test func aBackupIsAConsistentCopy() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("project.quill")
        let store = try ProjectDatabase.create(at: url, name: "Backed up")
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "B", codes: [.init(name: "A")]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", "Interviewer: Hi.\nP01: Hello.")], actor: TestSupport.actor())
        let copyURL = folder.appendingPathComponent("copy.quill")
        try ProjectBackup(store).backup(to: copyURL)
        let copy = try ProjectDatabase.open(at: copyURL)
        #expect(try IntegrityCheck(copy).check() == [])
        #expect(try ContentDigest(copy).contentDigest() == ContentDigest(store).contentDigest())
        let error = TestSupport.quillError { try ProjectBackup(store).backup(to: copyURL) }
        #expect(error?.errorDescription?.contains("a file is already there") == true)
    }
}
