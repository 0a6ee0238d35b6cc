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
        try db.execute(literal: """
            INSERT OR IGNORE INTO rejectedSuggestion(codeId, sourceId, start, "end")
            SELECT codeId, sourceId, start, "end" FROM coding
            WHERE \(condition) AND coderId = (SELECT id FROM coder WHERE name = \(Autocoder.autocoder))
            """)
    }
}
