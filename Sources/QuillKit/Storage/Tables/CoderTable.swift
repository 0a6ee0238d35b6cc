import Foundation
import GRDB

/// The `coder` table: the people (and `autocode`) who code. The only writer of it.
struct CoderTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The id of a coder, created on first use.
    func id(named name: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [name]) {
            return id
        }
        try db.execute(sql: "INSERT INTO coder(guid, name, createdAt) VALUES (?, ?, ?)",
                       arguments: [StableID.make("coder", CodePath.fold(name)), name, Clock.timestamp()])
        return db.lastInsertedRowID
    }
}
