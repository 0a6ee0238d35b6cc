import Foundation
import GRDB

/// Autocoding's own tables: `proposal` (codings waiting for review) and `rejectedSuggestion`
/// (codings a person removed, not to be suggested again). The only writer of them.
struct ProposalTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Remembers the autocode codings about to be removed, so that autocoding does not
    /// suggest them again.
    func recordRejectedSuggestions(where condition: SQL) throws {
        try db.execute(
            literal: """
                INSERT OR IGNORE INTO rejectedSuggestion(codeId, sourceId, start, "end")
                SELECT codeId, sourceId, start, "end" FROM coding
                WHERE \(condition) AND coderId = (SELECT id FROM coder WHERE name = \(CoderTable.autocoder))
                """)
    }

    /// Stores a proposal of autocoding, waiting for review.
    func insert(
        codeID: Int64, sourceID: Int64, span: TextSpan, rule: String, matched: String, coderID: Int64?,
        createdAt: String
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO proposal(codeId, sourceId, start, "end", rule, matched, coderId, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [codeID, sourceID, span.start, span.end, rule, matched, coderID, createdAt])
    }

    /// Removes the proposals of a code on a span, once it is coded.
    func delete(codeID: Int64, sourceID: Int64, span: TextSpan) throws {
        try db.cachedStatement(sql: "DELETE FROM proposal WHERE codeId = ? AND sourceId = ? AND start = ? AND \"end\" = ?")
            .execute(arguments: [codeID, sourceID, span.start, span.end])
    }

    /// Removes a proposal, accepted.
    func delete(_ proposalID: Int64) throws {
        try db.execute(sql: "DELETE FROM proposal WHERE id = ?", arguments: [proposalID])
    }

    /// Removes a proposal, rejected: autocoding will not suggest it again.
    func reject(_ proposalID: Int64) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO rejectedSuggestion(codeId, sourceId, start, "end")
                SELECT codeId, sourceId, start, "end" FROM proposal WHERE id = ?
                """, arguments: [proposalID])
        try delete(proposalID)
    }

    /// Gives the proposals and rejected suggestions of some codes to another code, merging
    /// those it has already.
    func reassign(fromCodes ids: [Int64], to codeID: Int64) throws {
        let list = CodingTable.list(ids)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO rejectedSuggestion(codeId, sourceId, start, "end")
                SELECT ?, sourceId, start, "end" FROM rejectedSuggestion WHERE codeId IN (\(list))
                """, arguments: [codeID])
        try db.execute(sql: "DELETE FROM rejectedSuggestion WHERE codeId IN (\(list))")
        try db.execute(sql: "UPDATE OR IGNORE proposal SET codeId = ? WHERE codeId IN (\(list))", arguments: [codeID])
        try db.execute(sql: "DELETE FROM proposal WHERE codeId IN (\(list))")
    }
}
