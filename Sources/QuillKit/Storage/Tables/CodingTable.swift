import Foundation
import GRDB

/// The `coding` table: spans of a source's text coded with a code by a coder. The only writer
/// of it; `CodingInserter` keeps the prepared statement of the hot path.
struct CodingTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// An inserter for one coder's new codings.
    func inserter(coderID: Int64) throws -> CodingInserter { try CodingInserter(db, coderID: coderID) }
}

/// Adds codings within one transaction, each with its stable GUID, none twice.
final class CodingInserter {
    private let db: Database
    let coderID: Int64
    private let coderGUID: String
    private let statement: Statement
    private var guids: [String: String] = [:]
    /// One time for all the codings of a change, which is one act.
    private let createdAt = Clock.timestamp()

    init(_ db: Database, coderID: Int64) throws {
        self.db = db
        self.coderID = coderID
        coderGUID = try String.fetchOne(db, sql: "SELECT guid FROM coder WHERE id = ?", arguments: [coderID]) ?? ""
        statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO coding(guid, codeId, sourceId, start, "end", coderId, createdAt, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    private func guid(_ table: String, _ id: Int64) throws -> String {
        let key = "\(table)/\(id)"
        if let known = guids[key] { return known }
        let guid = try String.fetchOne(db, sql: "SELECT guid FROM \(table) WHERE id = ?", arguments: [id]) ?? ""
        guids[key] = guid
        return guid
    }

    /// Adds a coding unless this coder already has it; returns whether it was added.
    func insert(codeID: Int64, sourceID: Int64, span: TextSpan, memo: String?) throws -> Bool {
        let key = "\(try guid("source", sourceID))/\(span.start)/\(span.end)/\(try guid("code", codeID))/\(coderGUID)"
        try statement.execute(arguments: [StableID.make("coding", key), codeID, sourceID, span.start, span.end,
                                          coderID, createdAt, memo])
        return db.changesCount > 0
    }
}
