import Foundation
import GRDB
import Testing

@testable import QuillKit

/// A project file from someone else can never run anything: every connection is hardened, the
/// structure is checked on opening, undo records are read back as row changes, `merge` reads
/// the other project in memory and refuses a damaged one, and a backup appears whole or not at all.
@Suite struct UntrustedProjectTests {
    /// A project file with a codebook, two sources and codings, in a new folder.
    private func projectFile() throws -> (store: ProjectDatabase, url: URL, folder: URL) {
        let folder = try TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("project.quill")
        let store = try ProjectDatabase.create(at: url, name: "Received")
        let actor = TestSupport.actor()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "B", codes: [.init(name: "Evidence", keywords: ["search"]), .init(name: "Time", keywords: ["time"])]),
            actor: actor)
        _ = try SourceImporter(store).importSources(
            [
                try TestSupport.prepared("alpha", "Interviewer: How?\nP01: I search. It takes time. 👍 Café.\n"),
                try TestSupport.prepared("beta", "Interviewer: And?\nP02: No time to search.\n"),
            ], actor: actor)
        _ = try Autocoder(store).autocode(isDryRun: false, actor: actor)
        return (store, url, folder)
    }

    /// Changes a file the way its sender could, with a connection that has none of Quill's settings.
    private func tamper(_ url: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Plants an undo record behind a harmless-looking history entry, as its latest change.
    private func plant(_ statement: String, in url: URL) throws {
        let escaped = statement.replacingOccurrences(of: "'", with: "''")
        try tamper(
            url,
            """
            INSERT INTO undoLog(statement) VALUES ('\(escaped)');
            INSERT INTO history(at, coder, command, summary, details) SELECT '2026-01-01T00:00:00Z', 'sender', 'quill code', 'coded 1 segment',
                'undo ' || max(seq) || '-' || max(seq) FROM undoLog;
            """)
    }

    private func folderListing(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    // MARK: Undo records

    @Test func plantedUndoRecordsAreRefusedAndChangeNothing() throws {
        let planted: [(label: String, statement: String)] = [
            ("attach", "ATTACH DATABASE '{outside}/authorized_keys' AS x; CREATE TABLE x.t(a); INSERT INTO x.t VALUES ('ssh-ed25519 AAAA attacker')"),
            ("drop", "DROP TABLE coding"),
            ("update of another table", "UPDATE history SET summary = 'nothing happened'"),
            ("update of the undo log", #"UPDATE "undoLog" SET "seq" = 1, "statement" = 'x' WHERE rowid = 1"#),
            ("a second statement", #"DELETE FROM "coding" WHERE rowid = 1; DROP TABLE code"#),
            ("a condition of its own", #"DELETE FROM "coding" WHERE rowid = 1 OR 1 = 1"#),
            ("a subquery as the row", #"DELETE FROM "coding" WHERE rowid = (SELECT max(id) FROM coding)"#),
            ("a function as a value", #"UPDATE "projectInfo" SET "key" = 'name', "value" = load_extension('evil') WHERE rowid = 1"#),
            ("missing columns", #"INSERT INTO "coding" (rowid, "id") VALUES (1,1)"#),
            ("a comment after it", #"DELETE FROM "coding" WHERE rowid = 1 -- and more"#),
            ("an unquoted table", "DELETE FROM coding WHERE rowid = 1"),
        ]
        for (label, template) in planted {
            let (store, url, folder) = try projectFile()
            defer { try? FileManager.default.removeItem(at: folder) }
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            let statement = template.replacingOccurrences(of: "{outside}", with: outside.path)
            try store.dbQueue.close()
            try plant(statement, in: url)
            let received = try ProjectDatabase.open(at: url)
            let before = try ContentDigest(received).contentDigest()
            let history = try received.history()
            let error = TestSupport.quillError { _ = try UndoLog(received).undo(actor: TestSupport.actor()) }
            guard case .untrustedUndoRecord(let path, let entry, _, _) = error else {
                Issue.record("\(label): \(String(describing: error))")
                continue
            }
            #expect(path == url.path && entry == history.last?.id, "\(label)")
            #expect(error?.errorDescription?.contains("cannot be undone") == true, "\(label)")
            #expect(try ContentDigest(received).contentDigest() == before, "\(label)")
            #expect(try received.history() == history, "\(label)")
            #expect(try folderListing(outside).isEmpty, "\(label): something was written outside the project")
            // `check` names the record too.
            #expect(try IntegrityCheck(received).check().contains { $0.check == "undo" }, "\(label)")
        }
    }

    @Test func aHistoryWithValuesOfTheWrongTypeOrReversedBoundsIsRefusedNotACrash() throws {
        for details in ["x'ff'", "'undo 1450-4'"] {
            let (store, url, folder) = try projectFile()
            defer { try? FileManager.default.removeItem(at: folder) }
            try store.dbQueue.close()
            // The history is append-only, so its sender drops the trigger, changes it and puts it back.
            let trigger = try DatabaseQueue(path: url.path).read { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'historyIsAppendOnlyUpdate'")
            }
            try tamper(
                url,
                "DROP TRIGGER historyIsAppendOnlyUpdate; UPDATE history SET details = \(details) WHERE id = (SELECT max(id) FROM history); \(try #require(trigger));"
            )
            let received = try ProjectDatabase.open(at: url)
            let before = try ContentDigest(received).contentDigest()
            // Either way a clear error, never a crash, and nothing changed: a blob reads as no
            // record, so the change before it is what undo would reverse, and references refuse that.
            let error = TestSupport.quillError { _ = try UndoLog(received).undo(actor: TestSupport.actor()) }
            #expect(
                error?.errorDescription?.contains("Nothing was changed") == true || error?.errorDescription?.contains("cannot be undone") == true,
                "\(details): \(String(describing: error))")
            #expect(try ContentDigest(received).contentDigest() == before, "\(details)")
        }
    }

    @Test func aHistoryValueOfTheWrongTypeReadsAsNothingInTheLog() throws {
        let store = try ProjectDatabase.inMemory()
        try store.dbQueue.write { db in
            try db.execute(sql: "INSERT INTO history(at, coder, command, summary) VALUES (x'00ff', 'sender', 'quill code', 'coded')")
            try db.execute(sql: "INSERT INTO history(at, coder, command, summary) VALUES ('2026-01-01T00:00:00Z', 'sender', x'01', 'named')")
        }
        let history = try store.history()
        #expect(history.map(\.at) == ["", "2026-01-01T00:00:00Z"])
        #expect(history.map(\.command) == ["quill code", ""])
        #expect(history.map(\.summary) == ["coded", "named"])
    }

    @Test func recordsTheTriggersWriteReadBackToTheExactValues() throws {
        // Values that quote() writes in every form: text with quotes, line ends, emoji and
        // accents, whole numbers at their limits, reals that need all their digits, NULL.
        let store = try ProjectDatabase.inMemory()
        var generator = SeededGenerator(seed: 25)
        let pieces = ["'", "''", "\"", "\r\n", "\n", "👍🏽", "é", "e\u{301}", "--", ";", "X'00'", "NULL", " ", "\\", "\u{7F}"]
        let reals: [Double] = [0.1, -0.0, 1e300, 123_456_789.123_456_789, 5e-324, 2.0 / 3.0, 1e20, 12.5]
        let integers: [Int64] = [0, -1, Int64.max, Int64.min, 42]
        for round in 0..<60 {
            var text = ""
            for _ in 0..<Int.random(in: 0...6, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let real = reals[round % reals.count] * (round.isMultiple(of: 3) ? 1 : -1)
            let integer = integers[round % integers.count]
            try store.dbQueue.write { db in
                try db.execute(sql: "DELETE FROM undoLog")
                try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES (?, ?)", arguments: ["k\(round)", text])
                try db.execute(sql: "UPDATE projectInfo SET value = ? WHERE key = ?", arguments: ["changed", "k\(round)"])
                try db.execute(sql: "DELETE FROM projectInfo WHERE key = ?", arguments: ["k\(round)"])
                try db.execute(
                    sql: "INSERT INTO attribute(id, guid, name, type, description) VALUES (?, ?, ?, 'text', ?)",
                    arguments: [integer == Int64.min ? 1 : integer, "G\(round)", "a\(round)", real.description + text])
                try db.execute(sql: "DELETE FROM attribute")
                let reader = try UndoRecordReader(db)
                let records = try String.fetchAll(db, sql: "SELECT statement FROM undoLog ORDER BY seq").map { try reader.read($0) }
                #expect(records.map(\.kind) == [.delete, .update, .insert, .delete, .insert])
                #expect(records[1].values.map(\.value) == ["k\(round)".databaseValue, text.databaseValue])
                #expect(records[2].values.map(\.column) == ["rowid", "key", "value"])
                #expect(records[2].values.last?.value == "changed".databaseValue)
                #expect(records[4].values.last?.value == (real.description + text).databaseValue)
            }
        }
        // A segment's times are reals: undoing its deletion brings them back bit for bit.
        let times = try store.dbQueue.write { db -> [Double] in
            try db.execute(
                sql: "INSERT INTO source(id, guid, name, fileName, format, sha256, byteCount, text, length, segmentation, importedAt) "
                    + "VALUES (1, 'S', 's', 's.vtt', 'vtt', ?, 1, 'abc', 3, 'turn', 'now')", arguments: [String(repeating: "0", count: 64)])
            try db.execute(
                sql: "INSERT INTO segment(sourceId, number, kind, start, \"end\", startTime, endTime) VALUES (1, 1, 'turn', 0, 3, ?, ?)",
                arguments: [reals[3], reals[5]])
            try db.execute(sql: "DELETE FROM undoLog")
            try db.execute(sql: "DELETE FROM segment")
            let reader = try UndoRecordReader(db)
            for statement in try String.fetchAll(db, sql: "SELECT statement FROM undoLog ORDER BY seq DESC") {
                let (sql, arguments) = try reader.read(statement).statement
                try db.execute(sql: sql, arguments: arguments)
            }
            return try Row.fetchAll(db, sql: "SELECT startTime, endTime FROM segment").flatMap { [$0[0], $0[1]] as [Double] }
        }
        #expect(times.map(\.bitPattern) == [reals[3], reals[5]].map(\.bitPattern))
    }

    @Test func theReaderRefusesAnythingButTheThreeShapes() throws {
        let store = try ProjectDatabase.inMemory()
        try store.read { db in
            let reader = try UndoRecordReader(db)
            #expect(
                try reader.read(#"DELETE FROM "codeKeyword" WHERE "codeId" IS 3 AND "position" IS 0"#)
                    == UndoRecord(
                        kind: .delete, table: "codeKeyword", values: [],
                        key: [("codeId", 3.databaseValue), ("position", 0.databaseValue)]))
            for text in [
                #"DELETE FROM "codeKeyword" WHERE rowid = 3"#,  // a table without rowid named by rowid
                #"DELETE FROM "coding" WHERE rowid = 'x'"#,  // a row named by text
                #"DELETE FROM "history" WHERE rowid = 1"#,  // a table undo never touches
                #"DELETE FROM "sqlite_master" WHERE rowid = 1"#,
                #"DELETE FROM "coding" WHERE rowid = 1 "#,  // anything after it
                #"UPDATE "coder" SET "id" = 1 WHERE rowid = 1"#,  // not every column
                #"INSERT INTO "coder" (rowid, "id", "guid", "name", "createdAt") VALUES (1,1,'g','n','t',5)"#,
                #"INSERT INTO "coder" (rowid, "id", "guid", "name", "createdAt") VALUES (1,1,'g','n','t'"#,
                #"INSERT INTO "coder" (rowid, "id", "guid", "name", "createdAt") VALUES (1,1,'g,'n','t')"#,
                #"INSERT INTO "coder" (rowid, "id", "guid", "name", "createdAt") VALUES (1,1,'g','n',X'0G')"#,
                "",
            ] {
                #expect(throws: UndoRecordReader.Refusal.self, "\(text)") { _ = try reader.read(text) }
            }
        }
    }

    // MARK: Structure

    @Test func aFileWithObjectsQuillDoesNotMakeIsRefusedOnOpeningAndByMerge() throws {
        let changes: [(sql: String, named: String)] = [
            ("CREATE TRIGGER planted AFTER INSERT ON coding BEGIN DELETE FROM memo; END", "a trigger 'planted' on 'coding' that Quill does not make"),
            ("CREATE VIEW planted AS SELECT * FROM coding", "a view 'planted' that Quill does not make"),
            ("CREATE TABLE planted(x)", "a table 'planted' that Quill does not make"),
            ("CREATE INDEX planted ON coding(memo)", "an index 'planted' on 'coding' that Quill does not make"),
            (
                "DROP TRIGGER undo_insert_coding; CREATE TRIGGER undo_insert_coding AFTER INSERT ON coding BEGIN INSERT INTO undoLog(statement) VALUES ('DROP TABLE code'); END",
                "its trigger 'undo_insert_coding' on 'coding' is not as Quill makes it"
            ),
            ("DROP INDEX codingCode", "it lacks an index 'codingCode' on 'coding'"),
            ("INSERT INTO grdb_migrations VALUES ('zz planted')", "a newer version of Quill"),
            ("DELETE FROM grdb_migrations WHERE identifier = 'v2 search and review'", "its record of schema steps is not one Quill writes"),
        ]
        for (sql, named) in changes {
            let (store, url, folder) = try projectFile()
            defer { try? FileManager.default.removeItem(at: folder) }
            try store.dbQueue.close()
            try tamper(url, sql)
            let bytes = try Data(contentsOf: url)
            let listing = try folderListing(folder)
            for (how, open) in [("open", { _ = try ProjectDatabase.open(at: url) }), ("merge", { _ = try ProjectContents.load(ofProjectAt: url) })] {
                let error = TestSupport.quillError(open)
                #expect(error?.errorDescription?.contains(named) == true, "\(how) after \(sql): \(String(describing: error))")
            }
            #expect(try Data(contentsOf: url) == bytes, "\(sql)")
            #expect(try folderListing(folder) == listing, "\(sql)")
        }
    }

    @Test func everyConnectionIsHardened() throws {
        let (store, url, folder) = try projectFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hardened = SQLiteHardening.State(defensive: true, trustsSchema: false, allowsViews: false, loadsExtensions: false, attachLimit: 0)
        for (label, project) in [
            ("created", store), ("opened", try ProjectDatabase.open(at: url)), ("in memory", try ProjectDatabase.inMemory()),
            ("read as a copy", try ProjectDatabase.readCopy(of: url)),
        ] {
            #expect(try project.read { db in SQLiteHardening.state(db) } == hardened, "\(label)")
            let attached = folder.appendingPathComponent("attached.db")
            #expect(throws: DatabaseError.self, "\(label)") {
                try project.dbQueue.writeWithoutTransaction { db in try db.execute(sql: "ATTACH DATABASE ? AS x", arguments: [attached.path]) }
            }
            #expect(!FileManager.default.fileExists(atPath: attached.path), "\(label)")
        }
    }

    // MARK: Reading another project

    @Test func readingAnotherProjectWritesNothingAnywhere() throws {
        let (store, url, folder) = try projectFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.dbQueue.close()
        let bytes = try Data(contentsOf: url)
        let listing = try folderListing(folder)
        let contents = try ProjectContents.load(ofProjectAt: url)
        #expect(contents.sources.count == 2 && !contents.codings.isEmpty)
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try folderListing(folder) == listing, "no -wal or -shm beside the other project")

        // With another program writing to it, the latest changes (still in its write-ahead
        // log) are read too.
        let owner = try ProjectDatabase.open(at: url)
        _ = try MemoBook(owner).addMemo(on: .project, text: "latest", actor: TestSupport.actor())
        #expect(FileManager.default.fileExists(atPath: url.path + "-wal"))
        #expect(try ProjectContents.load(ofProjectAt: url).memos.map(\.text) == ["latest"])
    }

    @Test func aDamagedProjectIsNotTakenIn() throws {
        let (other, url, folder) = try projectFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        try other.dbQueue.close()
        try tamper(url, #"UPDATE coding SET "end" = 100000 WHERE id = (SELECT min(id) FROM coding)"#)
        let ours = try ProjectDatabase.inMemory()
        let before = try ContentDigest(ours).contentDigest()
        let error = TestSupport.quillError {
            _ = try ProjectMerger(ours).merge(try ProjectContents.load(ofProjectAt: url), rule: .stop, actor: TestSupport.actor())
        }
        guard case .damagedProject(let path, let problems) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(path == url.path && problems.contains { $0.hasPrefix("offsets: coding") })
        #expect(try ContentDigest(ours).contentDigest() == before)
    }

    @Test func anOlderProjectIsReadAndUpdatedInMemoryOnly() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("old.quill")
        // A project with only the first three schema steps, as an older Quill left it.
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA application_id = \(Schema.applicationID)")
        }
        try Schema.migrator.migrate(queue, upTo: "v3 undo log")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES ('name', 'Old'), ('guid', 'G'), ('createdAt', 'then')")
        }
        try queue.close()
        let bytes = try Data(contentsOf: url)
        let copy = try ProjectDatabase.readCopy(of: url)
        #expect(try copy.info("name") == "Old")
        #expect(try IntegrityCheck(copy).check() == [])
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try folderListing(folder) == ["old.quill"])
    }

    // MARK: Backup

    @Test func aBackupHasTheProjectsPermissionsAndNeverReplacesAFile() throws {
        let (store, url, folder) = try projectFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        let backup = folder.appendingPathComponent("copy.quill")
        try ProjectBackup(store).backup(to: backup)
        let mode = try FileManager.default.attributesOfItem(atPath: backup.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let copy = try ProjectDatabase.open(at: backup)
        #expect(try ContentDigest(copy).contentDigest() == ContentDigest(store).contentDigest())
        #expect(try IntegrityCheck(copy).check() == [])
        let listing = try folderListing(folder)
        let error = TestSupport.quillError { try ProjectBackup(store).backup(to: backup) }
        #expect(error?.errorDescription?.contains("a file is already there") == true)
        #expect(try folderListing(folder) == listing, "nothing is left behind by a refused backup")
    }

    @Test func aNewFileAppearsWholeOrNotAtAll() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("new.bin")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.withUnsafeBytes { try NewFile.create(at: target, bytes: $0, mode: 0o600) }
        #expect(try Data(contentsOf: target) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int == 0o600)
        #expect(throws: QuillError.self) { try bytes.withUnsafeBytes { try NewFile.create(at: target, bytes: $0, mode: 0o600) } }
        let missing = folder.appendingPathComponent("no-such-folder/new.bin")
        #expect(throws: QuillError.self) { try bytes.withUnsafeBytes { try NewFile.create(at: missing, bytes: $0, mode: 0o600) } }
        #expect(try folderListing(folder) == ["new.bin"])
    }

    // MARK: Search index without triggers on it

    @Test func deletedAndMovedSegmentsLeaveTheIndexAtTheNextSearch() throws {
        let store = try ProjectDatabase.inMemory()
        let actor = TestSupport.actor()
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("alpha", "Interviewer: Where?\nP01: The zebra archive.\n")], actor: actor)
        #expect(try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "zebra"), filter: AnalysisFilter()).count == 1)
        // Undoing the import deletes its segments; a new source may take their ids.
        _ = try UndoLog(store).undo(actor: actor)
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("beta", "Interviewer: Where?\nP02: The yak library.\n")], actor: actor)
        #expect(try IntegrityCheck(store).check() == [])
        #expect(try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "zebra"), filter: AnalysisFilter()).isEmpty)
        #expect(try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "yak"), filter: AnalysisFilter()).map(\.source) == ["beta"])
        let (stale, indexed) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM searchStale") ?? -1,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM segmentSearch") ?? -1
            )
        }
        #expect(stale == 0 && indexed == 2)
        let beta = try SourceCatalog(store).resolveSource("beta").id
        _ = try Resegmenter(store).resegment(sourceID: beta, options: SegmentationOptions(unit: .sentence), actor: actor)
        #expect(try ProjectAnalysis(store).searchExcerpts(SearchQuery(text: "yak"), filter: AnalysisFilter()).map(\.source) == ["beta"])
        #expect(try IntegrityCheck(store).check() == [])
    }
}
