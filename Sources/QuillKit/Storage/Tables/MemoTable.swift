import Foundation
import GRDB

/// The `memo` table: notes on the project, a source, a segment, a code, a case or a coding.
/// The only writer of it.
struct MemoTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Stores a memo; returns its id.
    /// - Parameters:
    ///   - kind: what it is on: `project`, `source`, `segment`, `code`, `case` or `coding`.
    ///   - targetID: the row it is on; nil for the project.
    func insert(
        guid: String, kind: String, targetID: Int64?, title: String?, text: String, coderID: Int64?,
        createdAt: String, updatedAt: String
    ) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO memo(guid, targetKind, targetId, title, text, coderId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [guid, kind, targetID, title, text, coderID, createdAt, updatedAt])
        return db.lastInsertedRowID
    }

    /// Writes a memo's title and text, and when they changed.
    func update(_ id: Int64, title: String?, text: String, updatedAt: String) throws {
        try db.execute(sql: "UPDATE memo SET title = ?, text = ?, updatedAt = ? WHERE id = ?", arguments: [title, text, updatedAt, id])
    }

    /// Removes a memo.
    func delete(_ id: Int64) throws {
        try db.execute(sql: "DELETE FROM memo WHERE id = ?", arguments: [id])
    }

    /// Puts a memo on another row of the kind it is on.
    func move(_ id: Int64, toTarget targetID: Int64) throws {
        try db.execute(sql: "UPDATE memo SET targetId = ? WHERE id = ?", arguments: [targetID, id])
    }

    /// Moves the memos on some rows of a kind to another row of that kind.
    func retarget(kind: String, from ids: [Int64], to targetID: Int64) throws {
        try db.execute(
            sql: "UPDATE memo SET targetId = ? WHERE targetKind = ? AND targetId IN (\(CodingTable.list(ids)))",
            arguments: [targetID, kind])
    }

    /// Removes the memos on some codes and on their codings.
    func deleteOnCodes(_ ids: [Int64]) throws {
        let list = CodingTable.list(ids)
        try db.execute(sql: "DELETE FROM memo WHERE targetKind = 'coding' AND targetId IN (SELECT id FROM coding WHERE codeId IN (\(list)))")
        try db.execute(sql: "DELETE FROM memo WHERE targetKind = 'code' AND targetId IN (\(list))")
    }
}
