import Foundation
import GRDB

/// A problem `quill check` finds in a project.
public struct ProjectProblem: Equatable, Sendable {
    /// What kind of check found it, such as `integrity` or `offsets`.
    public var check: String
    /// What is wrong, in words.
    public var message: String
}

/// Checks a project for damage, as `check` does.
public struct IntegrityCheck: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Checks a project: SQLite's own integrity check, foreign keys, every offset inside its
    /// text, segments in order without overlaps, text lengths, GUIDs and hashes in their form,
    /// memos whose target is gone, and the full-text index in step with the segments.
    /// - Returns: the problems found, none for a sound project.
    public func check() throws -> [ProjectProblem] {
        try project.read { db in
            var problems: [ProjectProblem] = []
            func add(_ check: String, _ message: String) { problems.append(ProjectProblem(check: check, message: message)) }

            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                add("integrity", message)
            }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                let table: String = row[0], parent: String = row[2]
                let rowID: Int64? = row[1]
                add("references", "a row of \(table)\(rowID.map { " (\($0))" } ?? "") points to a missing row of \(parent)")
            }
            for row in try Row.fetchAll(db, sql: "SELECT name, length, length(text) AS actual FROM source WHERE length <> length(text)") {
                add(
                    "lengths",
                    "source '\(row["name"] as String)' says it is \(row["length"] as Int) scalars long, but its text has \(row["actual"] as Int)")
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, g.number, g.start, g."end", s.length FROM segment g JOIN source s ON s.id = g.sourceId
                    WHERE g.start < 0 OR g."end" > s.length OR g."end" <= g.start
                    """)
            {
                add(
                    "offsets",
                    "segment \(row["number"] as Int) of '\(row["name"] as String)' is [\(row["start"] as Int), \(row["end"] as Int)), outside its text of \(row["length"] as Int) scalars"
                )
            }
            // Codings, and the proposals waiting for review that would become codings.
            for table in ["coding", "proposal"] {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.name, c.id, c.start, c."end", s.length FROM \(table) c JOIN source s ON s.id = c.sourceId
                        WHERE c.start < 0 OR c."end" > s.length OR c."end" <= c.start
                        """)
                {
                    add(
                        "offsets",
                        "\(table) \(row["id"] as Int64) on '\(row["name"] as String)' is [\(row["start"] as Int), \(row["end"] as Int)), outside its text of \(row["length"] as Int) scalars"
                    )
                }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT name, number FROM (
                        SELECT s.name, g.number, g.start, lag(g."end") OVER (PARTITION BY g.sourceId ORDER BY g.number) AS previousEnd
                        FROM segment g JOIN source s ON s.id = g.sourceId
                    ) WHERE previousEnd IS NOT NULL AND start < previousEnd
                    """)
            {
                add("segments", "segment \(row["number"] as Int) of '\(row["name"] as String)' starts before the segment above it ends")
            }
            for table in ["source", "code", "coder", "studyCase", "coding", "attribute", "memo"] {
                for guid in try String.fetchAll(db, sql: "SELECT guid FROM \(table)") where StableID.normalized(guid) != guid {
                    add("identifiers", "\(table) has the malformed GUID '\(guid)'")
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT name, sha256 FROM source") {
                let hash: String = row["sha256"]
                if hash.count != 64 || !hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                    add("hashes", "source '\(row["name"] as String)' has the malformed SHA-256 '\(hash)'")
                }
            }
            let orphanMemos =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM memo m WHERE
                            (m.targetKind = 'source' AND m.targetId NOT IN (SELECT id FROM source)) OR
                            (m.targetKind = 'segment' AND m.targetId NOT IN (SELECT id FROM segment)) OR
                            (m.targetKind = 'code' AND m.targetId NOT IN (SELECT id FROM code)) OR
                            (m.targetKind = 'case' AND m.targetId NOT IN (SELECT id FROM studyCase)) OR
                            (m.targetKind = 'coding' AND m.targetId NOT IN (SELECT id FROM coding))
                        """) ?? 0
            if orphanMemos > 0 { add("memos", "\(orphanMemos) memo(s) belong to something that no longer exists") }
            // Segments of sources waiting for the index (see `updateSearchIndex`) may be missing
            // from it, and rows of segments deleted since may still be there; every other
            // segment must be there, and nothing else.
            let missing =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM segment WHERE sourceId NOT IN (SELECT sourceId FROM searchPending)
                            AND id NOT IN (SELECT rowid FROM segmentSearch)
                        """) ?? 0
            if missing > 0 { add("search", "\(missing) segment(s) are missing from the full-text index") }
            let extra =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM segmentSearch WHERE rowid NOT IN (SELECT id FROM segment) AND rowid NOT IN (SELECT segmentId FROM searchStale)
                        """) ?? 0
            if extra > 0 { add("search", "the full-text index holds \(extra) segment(s) the project no longer has") }
            // Every undo record must be a row change as Quill's triggers write it (`UndoRecord`).
            let reader = try UndoRecordReader(db)
            var refused = 0
            let records = try Row.fetchCursor(db, sql: "SELECT seq, statement FROM undoLog ORDER BY seq")
            while let row = try records.next() {
                do {
                    _ = try reader.read(row[1])
                } catch let refusal as UndoRecordReader.Refusal {
                    refused += 1
                    if refused <= 20 { add("undo", "undo record \(row[0] as Int64) is not one Quill writes: \(refusal.reason)") }
                }
            }
            if refused > 20 { add("undo", "\(refused - 20) more undo records are not ones Quill writes") }
            return problems
        }
    }
}
