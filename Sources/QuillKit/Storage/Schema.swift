import Foundation
import GRDB

/// The project schema, as named migrations. A migration is never edited once it has shipped;
/// a change to the data model is a new migration.
enum Schema {
    /// `PRAGMA application_id` of a Quill project: "QUIL".
    static let applicationID: Int32 = 0x5155_494C

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 data model") { db in
            try db.execute(
                sql: """
                    CREATE TABLE projectInfo (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );

                    CREATE TABLE coder (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                        createdAt TEXT NOT NULL
                    );

                    CREATE TABLE code (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        parentId INTEGER REFERENCES code(id) ON DELETE RESTRICT,
                        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                        definition TEXT,
                        include TEXT,
                        exclude TEXT,
                        color TEXT CHECK (color IS NULL OR color GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'),
                        isCodable INTEGER NOT NULL DEFAULT 1 CHECK (isCodable IN (0, 1)),
                        sortOrder INTEGER NOT NULL,
                        CHECK (parentId IS NULL OR parentId <> id)
                    );
                    CREATE UNIQUE INDEX codeSiblingName ON code(ifnull(parentId, 0), name COLLATE NOCASE);
                    CREATE INDEX codeParent ON code(parentId, sortOrder);

                    CREATE TABLE codeKeyword (
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        keyword TEXT NOT NULL CHECK (length(trim(keyword)) > 0),
                        PRIMARY KEY (codeId, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE codeExample (
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        example TEXT NOT NULL,
                        PRIMARY KEY (codeId, position)
                    ) WITHOUT ROWID;

                    CREATE TABLE source (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        fileName TEXT NOT NULL,
                        format TEXT NOT NULL,
                        sha256 TEXT NOT NULL UNIQUE,
                        byteCount INTEGER NOT NULL CHECK (byteCount >= 0),
                        text TEXT NOT NULL,
                        length INTEGER NOT NULL CHECK (length >= 0),
                        segmentation TEXT NOT NULL,
                        importedAt TEXT NOT NULL,
                        importedBy INTEGER REFERENCES coder(id) ON DELETE RESTRICT
                    );

                    CREATE TABLE studyCase (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                        description TEXT,
                        isInterviewer INTEGER NOT NULL DEFAULT 0 CHECK (isInterviewer IN (0, 1))
                    );

                    CREATE TABLE caseSource (
                        caseId INTEGER NOT NULL REFERENCES studyCase(id) ON DELETE CASCADE,
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        PRIMARY KEY (caseId, sourceId)
                    ) WITHOUT ROWID;
                    CREATE INDEX caseSourceBySource ON caseSource(sourceId);

                    CREATE TABLE segment (
                        id INTEGER PRIMARY KEY,
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        number INTEGER NOT NULL CHECK (number >= 1),
                        kind TEXT NOT NULL,
                        start INTEGER NOT NULL CHECK (start >= 0),
                        "end" INTEGER NOT NULL,
                        turn INTEGER CHECK (turn IS NULL OR turn >= 1),
                        speaker TEXT,
                        speakerRole TEXT,
                        caseId INTEGER REFERENCES studyCase(id) ON DELETE RESTRICT,
                        startTime REAL,
                        endTime REAL,
                        CHECK ("end" > start),
                        CHECK ((speaker IS NULL) = (caseId IS NULL)),
                        UNIQUE (sourceId, number)
                    );
                    CREATE INDEX segmentSpan ON segment(sourceId, start);
                    CREATE INDEX segmentCase ON segment(caseId);

                    CREATE TABLE attribute (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        type TEXT NOT NULL CHECK (type IN ('text', 'boolean', 'integer', 'float', 'date', 'datetime')),
                        description TEXT
                    );

                    CREATE TABLE caseAttribute (
                        caseId INTEGER NOT NULL REFERENCES studyCase(id) ON DELETE CASCADE,
                        attributeId INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
                        value TEXT NOT NULL,
                        PRIMARY KEY (caseId, attributeId)
                    ) WITHOUT ROWID;
                    CREATE INDEX caseAttributeByAttribute ON caseAttribute(attributeId, value);

                    CREATE TABLE sourceAttribute (
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        attributeId INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
                        value TEXT NOT NULL,
                        PRIMARY KEY (sourceId, attributeId)
                    ) WITHOUT ROWID;

                    CREATE TABLE coding (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE RESTRICT,
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE RESTRICT,
                        start INTEGER NOT NULL CHECK (start >= 0),
                        "end" INTEGER NOT NULL,
                        coderId INTEGER NOT NULL REFERENCES coder(id) ON DELETE RESTRICT,
                        createdAt TEXT NOT NULL,
                        memo TEXT,
                        CHECK ("end" > start),
                        UNIQUE (sourceId, start, "end", codeId, coderId)
                    );
                    CREATE INDEX codingCode ON coding(codeId);
                    CREATE INDEX codingCoder ON coding(coderId);

                    CREATE TABLE memo (
                        id INTEGER PRIMARY KEY,
                        guid TEXT NOT NULL UNIQUE,
                        targetKind TEXT NOT NULL CHECK (targetKind IN ('project', 'source', 'segment', 'code', 'case', 'coding')),
                        targetId INTEGER,
                        title TEXT,
                        text TEXT NOT NULL,
                        coderId INTEGER REFERENCES coder(id) ON DELETE RESTRICT,
                        createdAt TEXT NOT NULL,
                        updatedAt TEXT NOT NULL,
                        CHECK ((targetKind = 'project') = (targetId IS NULL))
                    );
                    CREATE INDEX memoTarget ON memo(targetKind, targetId);

                    CREATE TABLE history (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        coder TEXT NOT NULL,
                        command TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        details TEXT
                    );
                    CREATE TRIGGER historyIsAppendOnlyUpdate BEFORE UPDATE ON history
                        BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
                    CREATE TRIGGER historyIsAppendOnlyDelete BEFORE DELETE ON history
                        BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2 search and review") { db in
            // A full-text index of every segment's text, kept in step with the segments by
            // triggers. SQLite's substr counts characters (Unicode scalars), as offsets do.
            // And the autocode suggestions a coder removed, so that autocoding never brings
            // them back.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE segmentSearch USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
                    INSERT INTO segmentSearch(rowid, text)
                        SELECT g.id, substr(s.text, g.start + 1, g."end" - g.start) FROM segment g JOIN source s ON s.id = g.sourceId;
                    CREATE TRIGGER segmentSearchInsert AFTER INSERT ON segment BEGIN
                        INSERT INTO segmentSearch(rowid, text)
                            SELECT new.id, substr(s.text, new.start + 1, new."end" - new.start) FROM source s WHERE s.id = new.sourceId;
                    END;
                    CREATE TRIGGER segmentSearchDelete AFTER DELETE ON segment BEGIN
                        DELETE FROM segmentSearch WHERE rowid = old.id;
                    END;
                    CREATE TABLE rejectedSuggestion (
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        start INTEGER NOT NULL CHECK (start >= 0),
                        "end" INTEGER NOT NULL,
                        CHECK ("end" > start),
                        PRIMARY KEY (codeId, sourceId, start, "end")
                    ) WITHOUT ROWID;
                    CREATE TRIGGER segmentSearchUpdate AFTER UPDATE OF start, "end", sourceId ON segment BEGIN
                        DELETE FROM segmentSearch WHERE rowid = old.id;
                        INSERT INTO segmentSearch(rowid, text)
                            SELECT new.id, substr(s.text, new.start + 1, new."end" - new.start) FROM source s WHERE s.id = new.sourceId;
                    END;
                    """)
        }
        migrator.registerMigration("v3 undo log") { db in
            try db.execute(sql: "CREATE TABLE undoLog (seq INTEGER PRIMARY KEY, statement TEXT NOT NULL)")
            for table in undoneTablesOfV3 {
                try createUndoTriggers(db, table: table)
            }
        }
        migrator.registerMigration("v4 autocode rules and proposals") { db in
            // A code's autocoding rules (as JSON), and the codings autocoding proposes, which
            // wait for a coder to accept or reject them with `quill review`.
            try db.execute(
                sql: """
                    CREATE TABLE codeRule (
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        rule TEXT NOT NULL,
                        PRIMARY KEY (codeId, position)
                    ) WITHOUT ROWID;
                    CREATE TABLE proposal (
                        id INTEGER PRIMARY KEY,
                        codeId INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        start INTEGER NOT NULL CHECK (start >= 0),
                        "end" INTEGER NOT NULL,
                        rule TEXT NOT NULL,
                        matched TEXT NOT NULL,
                        coderId INTEGER NOT NULL REFERENCES coder(id) ON DELETE RESTRICT,
                        createdAt TEXT NOT NULL,
                        CHECK ("end" > start),
                        UNIQUE (codeId, sourceId, start, "end")
                    );
                    CREATE INDEX proposalSource ON proposal(sourceId, start);
                    """)
            for table in ["codeRule", "proposal"] {
                try createUndoTriggers(db, table: table)
            }
        }
        migrator.registerMigration("v4 interactive coding positions") { db in
            // Where each coder stopped in each source in 'quill code -i', to resume there. It
            // records a place, not research work, so it is not in `undoneTables`.
            try db.execute(
                sql: """
                    CREATE TABLE codingPosition (
                        sourceId INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                        coder TEXT NOT NULL COLLATE NOCASE,
                        number INTEGER NOT NULL CHECK (number >= 1),
                        PRIMARY KEY (sourceId, coder)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5 search index built when needed") { db in
            // The triggers of v2 cut each new segment's text out of its source with `substr`,
            // which reads the whole source text and scans it from the start for every segment:
            // most of the time an import took. Now a new or moved segment only marks its source
            // as waiting, and the index is brought up to date, from Swift with the text in
            // hand, before the next search (`SearchIndex.updateSearchIndex`).
            try db.execute(
                sql: """
                    CREATE TABLE searchPending (sourceId INTEGER PRIMARY KEY);
                    DROP TRIGGER segmentSearchInsert;
                    DROP TRIGGER segmentSearchUpdate;
                    CREATE TRIGGER segmentSearchInsert AFTER INSERT ON segment BEGIN
                        INSERT OR IGNORE INTO searchPending(sourceId) VALUES (new.sourceId);
                    END;
                    CREATE TRIGGER segmentSearchUpdate AFTER UPDATE OF start, "end", sourceId ON segment BEGIN
                        DELETE FROM segmentSearch WHERE rowid = old.id;
                        INSERT OR IGNORE INTO searchPending(sourceId) VALUES (new.sourceId);
                    END;
                    """)
        }
        migrator.registerMigration("v6 search index kept without triggers on it") { db in
            // A project may come from someone else, so every connection runs with SQLite's
            // `trusted_schema` off, and then a trigger may not write to a virtual table such as
            // the full-text index. The triggers of v2 and v5 that took a deleted or moved
            // segment out of the index now note its id in a plain table instead, and the index
            // drops those rows when it is next brought up to date (`updateSearchIndex`).
            try db.execute(
                sql: """
                    CREATE TABLE searchStale (segmentId INTEGER PRIMARY KEY);
                    DROP TRIGGER segmentSearchDelete;
                    DROP TRIGGER segmentSearchUpdate;
                    CREATE TRIGGER segmentSearchDelete AFTER DELETE ON segment BEGIN
                        INSERT OR IGNORE INTO searchStale(segmentId) VALUES (old.id);
                    END;
                    CREATE TRIGGER segmentSearchUpdate AFTER UPDATE OF start, "end", sourceId ON segment BEGIN
                        INSERT OR IGNORE INTO searchStale(segmentId) VALUES (old.id);
                        INSERT OR IGNORE INTO searchPending(sourceId) VALUES (new.sourceId);
                    END;
                    """)
        }
        return migrator
    }

    /// The tables whose changes `quill undo` reverses: all but the history, the undo log
    /// itself and the search index with its lists of sources waiting for it and of rows to drop
    /// from it (which triggers on `segment` keep in step).
    ///
    /// The undo triggers of a table name its columns as they were when they were made: a
    /// migration that adds a column to one of these tables must make its undo triggers again.
    static let undoneTables = undoneTablesOfV3 + ["codeRule", "proposal"]

    /// The tables the migration "v3 undo log" gave undo triggers; later migrations add theirs.
    private static let undoneTablesOfV3 = [
        "projectInfo", "coder", "code", "codeKeyword", "codeExample", "source", "studyCase", "caseSource", "segment",
        "attribute", "caseAttribute", "sourceAttribute", "coding", "memo", "rejectedSuggestion",
    ]

    /// Triggers that write, for every row a statement changes, the statement that changes it
    /// back (the technique of sqlite.org's "Automatic Undo/Redo Using SQLite").
    private static func createUndoTriggers(_ db: Database, table: String) throws {
        let columns = try db.columns(in: table).map(\.name)
        let primaryKey = try db.primaryKey(table)
        let hasRowID =
            try Bool.fetchOne(
                db, sql: "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%')", arguments: [table]) ?? true
        let quotedTable = table.quotedDatabaseIdentifier
        func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        func condition(_ prefix: String) -> String {
            if hasRowID { return literal(" WHERE rowid = ") + " || \(prefix).rowid" }
            return primaryKey.columns.enumerated().map { index, column in
                literal((index == 0 ? " WHERE " : " AND ") + column.quotedDatabaseIdentifier + " IS ")
                    + " || quote(\(prefix).\(column.quotedDatabaseIdentifier))"
            }.joined(separator: " || ")
        }
        let restoredColumns = (hasRowID ? ["rowid"] : []) + columns
        let insertColumns = restoredColumns.map { $0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier }.joined(separator: ", ")
        let insertValues = restoredColumns.map { "quote(old.\($0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier))" }
            .joined(separator: " || ',' || ")
        let setValues = columns.enumerated().map { index, column in
            literal((index == 0 ? "" : ", ") + column.quotedDatabaseIdentifier + " = ") + " || quote(old.\(column.quotedDatabaseIdentifier))"
        }.joined(separator: " || ")
        try db.execute(
            sql: """
                CREATE TRIGGER \("undo_insert_\(table)".quotedDatabaseIdentifier) AFTER INSERT ON \(quotedTable) BEGIN
                    INSERT INTO undoLog(statement) VALUES (\(literal("DELETE FROM \(quotedTable)")) || \(condition("new")));
                END;
                CREATE TRIGGER \("undo_update_\(table)".quotedDatabaseIdentifier) AFTER UPDATE ON \(quotedTable) BEGIN
                    INSERT INTO undoLog(statement) VALUES (\(literal("UPDATE \(quotedTable) SET ")) || \(setValues) || \(condition("new")));
                END;
                CREATE TRIGGER \("undo_delete_\(table)".quotedDatabaseIdentifier) AFTER DELETE ON \(quotedTable) BEGIN
                    INSERT INTO undoLog(statement) VALUES (\(literal("INSERT INTO \(quotedTable) (\(insertColumns)) VALUES (")) || \(insertValues) || ')');
                END;
                """)
    }
}
