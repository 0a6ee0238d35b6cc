import Foundation
import GRDB

/// The `coder` table: the people (and `autocode`) who code, with `codingPosition`, where each
/// is in a source they code one segment at a time. The only writer of them.
struct CoderTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The coder name under which autocoding records its codings and proposals.
    static let autocoder = "autocode"

    /// The id of a coder, created on first use.
    func id(named name: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [name]) {
            return id
        }
        try db.execute(
            sql: "INSERT INTO coder(guid, name, createdAt) VALUES (?, ?, ?)",
            arguments: [StableID.make("coder", CodePath.fold(name)), name, Clock.timestamp()])
        return db.lastInsertedRowID
    }

    /// Remembers the segment a coder is at in a source.
    func setPosition(sourceID: Int64, coder: String, number: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO codingPosition(sourceId, coder, number) VALUES (?, ?, ?)
                ON CONFLICT(sourceId, coder) DO UPDATE SET number = excluded.number
                """, arguments: [sourceID, coder, number])
    }
}
