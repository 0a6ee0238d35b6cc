import Foundation
import GRDB

/// The full-text index of segments.
public struct SearchIndex: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    package init(_ project: ProjectDatabase) { self.project = project }

    /// Brings the full-text index of segments up to date before a search.
    ///
    /// Storing segments only marks their source as waiting (in `searchPending`), and deleting
    /// or moving one only notes its id (in `searchStale`); this drops the rows of those ids and
    /// indexes the segments of every waiting source, each source's text read once and cut with
    /// one walk over its UTF-8, in one transaction. A project with nothing waiting is not
    /// written to at all, so searching it stays a read.
    /// - Returns: how many sources were indexed plus how many rows were dropped: 0 when nothing changed.
    @discardableResult
    package func updateSearchIndex() throws -> Int {
        let waiting = try project.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM searchPending) + (SELECT count(*) FROM searchStale)") ?? 0
        }
        guard waiting > 0 else { return 0 }
        let reason = "the search index has to take in the sources imported since the last search, and the project could not be written"
        return try project.upkeep(whenReadOnly: reason, then: "make the file writable and search again") { db in try Self.indexWaitingSources(db) }
    }

    /// Indexes the segments of the sources waiting for the index, inside an open transaction.
    static func indexWaitingSources(_ db: Database) throws -> Int {
        // Rows of deleted or moved segments go first: a new segment may have taken the id.
        try db.execute(sql: "DELETE FROM segmentSearch WHERE rowid IN (SELECT segmentId FROM searchStale)")
        let dropped = db.changesCount
        try db.execute(sql: "DELETE FROM searchStale")
        let sources = try Int64.fetchAll(db, sql: "SELECT sourceId FROM searchPending ORDER BY sourceId")
        let forget = try db.makeStatement(sql: "DELETE FROM segmentSearch WHERE rowid IN (SELECT id FROM segment WHERE sourceId = ?)")
        let insert = try db.makeStatement(sql: "INSERT INTO segmentSearch(rowid, text) VALUES (?, ?)")
        for sourceID in sources {
            // Rows of segments indexed before (a source resegmented in part) go first, so that
            // no segment is indexed twice.
            try forget.execute(arguments: [sourceID])
            if let text = try String.fetchOne(db, sql: "SELECT text FROM source WHERE id = ?", arguments: [sourceID]) {
                let segments = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, start, "end" FROM segment WHERE sourceId = ? ORDER BY start, "end", id
                        """, arguments: [sourceID])
                let cutter = UTF8Cutter(text)
                for segment in segments {
                    let id: Int64 = segment[0]
                    try insert.execute(arguments: [id, cutter[TextSpan(start: segment[1], end: segment[2])]])
                }
            }
            try db.execute(sql: "DELETE FROM searchPending WHERE sourceId = ?", arguments: [sourceID])
        }
        return sources.count + dropped
    }
}
