import Foundation
import Testing

/// Each table has one writer: the SQL that inserts, updates or deletes its rows lives in one
/// file, its gateway in `Storage/Tables/` (or the storage file that owns it, such as the
/// search index). The test reads the library's sources as text.
@Suite struct TableWritersTests {
    /// Files that write tables but are no table's gateway: the schema (its migrations and
    /// triggers) and the undo log, which replays the row changes it recorded, of any table.
    static let exempt: Set<String> = ["Storage/Schema.swift", "Storage/UndoRecord.swift"]

    /// The writers a table may have outside `Storage/Tables/`, by table.
    static let storageOwners: [String: String] = [
        "history": "Storage/ProjectDatabase.swift",
        "segmentSearch": "Storage/SearchIndex.swift",
        "searchPending": "Storage/SearchIndex.swift",
        "searchStale": "Storage/SearchIndex.swift",
    ]

    /// Every `.swift` file of the library, by its path below `Sources/QuillKit`.
    static func librarySources() throws -> [String: String] {
        try TestSupport.swiftSources(in: "QuillKit")
    }

    @Test func theScannerFindsWritesAndNothingElse() {
        let sample = #"""
            // UPDATE code is a comment
            try db.execute(sql: "INSERT OR IGNORE INTO caseSource(caseId, sourceId) VALUES (?, ?)")
            try db.execute(sql: "UPDATE OR IGNORE coding SET codeId = ? WHERE codeId IN (1)")
            try db.execute(literal: """
                DELETE FROM "memo" WHERE id = \(id)
                """)
            try db.execute(sql: "INSERT INTO \(owner.table)(a) VALUES (?)")
            try db.execute(sql: "REPLACE INTO projectInfo(key, value) VALUES (?, ?)")
            SELECT 1 FROM undoLog WHERE statement LIKE 'INSERT INTO "code"%'
            SELECT * FROM code WHERE name = 'UPDATE'
            """#
        let writes = SQLWrites.find(in: sample)
        #expect(writes.map(\.table) == ["caseSource", "coding", "memo", nil, "projectInfo"])
        #expect(writes.map(\.line) == [2, 3, 5, 7, 8])
    }

    @Test func theSchemaListsTheTables() throws {
        let schema = try #require(try Self.librarySources()["Storage/Schema.swift"])
        let tables = SQLWrites.tables(inSchema: schema)
        for table in ["code", "codeKeyword", "coding", "source", "segment", "studyCase", "memo", "proposal", "segmentSearch", "history"] {
            #expect(tables.contains(table), "\(table) is not found in Schema.swift")
        }
    }

    @Test func eachTableHasOneWritingFileItsGateway() throws {
        let sources = try Self.librarySources()
        let tables = SQLWrites.tables(inSchema: try #require(sources["Storage/Schema.swift"]))
        var writers: [String: Set<String>] = [:]
        for (path, text) in sources where !Self.exempt.contains(path) {
            for write in SQLWrites.find(in: text) {
                guard let table = write.table else {
                    // A table named at run time: only a gateway may choose among its own tables.
                    #expect(path.hasPrefix("Storage/Tables/"), "\(path):\(write.line) writes a table whose name is built at run time")
                    continue
                }
                guard tables.contains(table) else { continue }
                writers[table, default: []].insert(path)
            }
        }
        // Every table Quill changes by hand has a writer; only the undo log's is the schema's,
        // and the attribute values of sources are written through a table name chosen at run
        // time, in the gateway of cases and attributes.
        #expect(tables.subtracting(writers.keys) == ["undoLog", "sourceAttribute"])
        #expect(sources["Storage/Tables/CaseTable.swift"]?.contains("\"sourceAttribute\"") == true)
        for (table, files) in writers.sorted(by: { $0.key < $1.key }) {
            #expect(files.count == 1, "\(table) is written from \(files.sorted().joined(separator: ", "))")
            let owner = Self.storageOwners[table]
            for file in files {
                #expect(
                    owner == file || (owner == nil && file.hasPrefix("Storage/Tables/")),
                    "\(table) is written from \(file), not from its gateway")
            }
        }
        #expect(writers["code"] == ["Storage/Tables/CodeTable.swift"])
        #expect(writers["coding"] == ["Storage/Tables/CodingTable.swift"])
    }
}

/// The places in Swift source where SQL writes a table.
enum SQLWrites {
    struct Write: Equatable {
        /// The table; nil when its name is interpolated.
        var table: String?
        var line: Int
    }

    /// `INSERT [OR x] INTO t`, `REPLACE INTO t`, `UPDATE [OR x] t`, `DELETE FROM t`, with the
    /// table bare or quoted, not inside an SQL string literal ('...').
    private static let pattern = try! NSRegularExpression(
        pattern: #"(?<!')\b(?:INSERT(?: OR [A-Z]+)? INTO|REPLACE INTO|UPDATE(?: OR [A-Z]+)?|DELETE FROM)\s+(?:"?([A-Za-z_][A-Za-z0-9_]*)"?|(\\\())"#)

    static func find(in source: String) -> [Write] {
        var writes: [Write] = []
        for (index, line) in source.components(separatedBy: "\n").enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
            let range = NSRange(line.startIndex..., in: line)
            for match in pattern.matches(in: line, range: range) {
                if let name = Range(match.range(at: 1), in: line) {
                    writes.append(Write(table: String(line[name]), line: index + 1))
                } else if match.range(at: 2).location != NSNotFound {
                    writes.append(Write(table: nil, line: index + 1))
                }
            }
        }
        return writes
    }

    /// The tables a schema's `CREATE TABLE` and `CREATE VIRTUAL TABLE` statements make.
    static func tables(inSchema schema: String) -> Set<String> {
        let create = try! NSRegularExpression(pattern: #"CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?"?([A-Za-z_][A-Za-z0-9_]*)"#)
        let range = NSRange(schema.startIndex..., in: schema)
        return Set(create.matches(in: schema, range: range).compactMap { Range($0.range(at: 1), in: schema).map { String(schema[$0]) } })
    }
}
