import Foundation
import GRDB

/// The `coding` table: spans of a source's text coded with a code by a coder. The only writer
/// of it; `CodingInserter` keeps the prepared statement of the hot path.
struct CodingTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// An inserter for one coder's new codings, the coder registered if new.
    func inserter(forCoder name: String) throws -> CodingInserter {
        try CodingInserter(db, coderID: try CoderTable(db).id(named: name))
    }

    /// Stores a coding taken from elsewhere, with its own GUID and time; returns its id.
    func insert(
        guid: String, codeID: Int64, sourceID: Int64, span: TextSpan, coderID: Int64, createdAt: String,
        memo: String?
    ) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO coding(guid, codeId, sourceId, start, "end", coderId, createdAt, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [guid, codeID, sourceID, span.start, span.end, coderID, createdAt, memo])
        return db.lastInsertedRowID
    }

    /// Removes the codings a person takes away; those autocoding made are remembered, so that
    /// it does not suggest them again.
    /// - Returns: how many went.
    func remove(where condition: SQL) throws -> Int {
        try ProposalTable(db).recordRejectedSuggestions(where: condition)
        try db.execute(literal: "DELETE FROM coding WHERE \(condition)")
        return db.changesCount
    }

    /// Gives the codings of some codes to another code, except those it has already (same
    /// source, span and coder); returns how many moved.
    func reassign(fromCodes ids: [Int64], to codeID: Int64) throws -> Int {
        try db.execute(sql: "UPDATE OR IGNORE coding SET codeId = ? WHERE codeId IN (\(Self.list(ids)))", arguments: [codeID])
        return db.changesCount
    }

    /// Gives a code's codings that overlap a span of a source to another code; returns how many moved.
    func reassign(ofCode codeID: Int64, overlapping span: TextSpan, inSource sourceID: Int64, to newCodeID: Int64) throws -> Int {
        try db.execute(
            sql: """
                UPDATE coding SET codeId = ? WHERE codeId = ? AND sourceId = ? AND start < ? AND "end" > ?
                """, arguments: [newCodeID, codeID, sourceID, span.end, span.start])
        return db.changesCount
    }

    /// Sets a coding's memo.
    func setMemo(_ memo: String, of codingID: Int64) throws {
        try db.execute(sql: "UPDATE coding SET memo = ? WHERE id = ?", arguments: [memo, codingID])
    }

    /// Removes one coding.
    func delete(_ codingID: Int64) throws {
        try db.execute(sql: "DELETE FROM coding WHERE id = ?", arguments: [codingID])
    }

    /// Removes every coding of some codes.
    func delete(ofCodes ids: [Int64]) throws {
        try db.execute(sql: "DELETE FROM coding WHERE codeId IN (\(Self.list(ids)))")
    }

    /// Row ids as an SQL list.
    static func list(_ ids: [Int64]) -> String { ids.map { String($0) }.joined(separator: ",") }
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
        statement = try db.makeStatement(
            sql: """
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
        try statement.execute(arguments: [
            StableID.make("coding", key), codeID, sourceID, span.start, span.end,
            coderID, createdAt, memo,
        ])
        return db.changesCount > 0
    }
}
