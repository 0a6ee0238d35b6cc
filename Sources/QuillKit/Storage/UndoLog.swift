import Foundation
import GRDB

/// What `undo` reversed.
public struct UndoReport: Equatable, Sendable {
    /// The history entry that was undone.
    public var entry: HistoryEntry
}

/// Reverses changes of a project, newest first.
public struct UndoLog: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Reverses the latest change that has not been undone yet, exactly: every row it inserted,
    /// changed or deleted is as it was before. Undoing again reverses the change before that.
    ///
    /// The undo is itself a change, with its own history entry (`undid #N: ...`).
    /// - Returns: the entry undone, or nil when there is nothing left to undo.
    public func undo(actor: Actor) throws -> UndoReport? {
        try project.change(actor) { db -> (UndoReport?, summary: String?) in
            // A value of another type than the column's (planted in a file from someone else)
            // reads as nothing rather than stopping Quill.
            let entries = try Row.fetchAll(db, sql: HistoryEntry.selection + " ORDER BY id DESC")
            var undone = Set<Int64>()
            for row in entries {
                let details: String? = row["details"]
                if let details, details.hasPrefix("undid "), let id = Int64(details.dropFirst("undid ".count).prefix { $0.isNumber }) {
                    undone.insert(id)
                }
            }
            guard
                let target = entries.first(where: { row in
                    let id: Int64 = row["id"]
                    let details: String? = row["details"]
                    return !undone.contains(id) && !(details?.hasPrefix("undid ") ?? false) && (details?.hasPrefix("undo ") ?? false)
                })
            else {
                return (nil, nil)
            }
            let details: String = target["details"]
            let range = details.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("undo ") } ?? ""
            let bounds = range.dropFirst("undo ".count).split(separator: "-").compactMap { Int64($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1] else {
                throw QuillError.refused(
                    "The history entry #\(target["id"] as Int64) cannot be undone: its record is damaged.", remedy: .checkProject)
            }
            // Rows come back in the reverse order they changed; references are checked at the end.
            // Each record is read back into a row change and carried out by Quill's own
            // statement (see `UndoRecord`), never run as the text the file holds.
            let entryID: Int64 = target["id"]
            let reader = try UndoRecordReader(db)
            var changes: [UndoRecord] = []
            let records = try Row.fetchCursor(
                db, sql: "SELECT seq, statement FROM undoLog WHERE seq BETWEEN ? AND ? ORDER BY seq DESC",
                arguments: [bounds[0], bounds[1]])
            while let row = try records.next() {
                do {
                    changes.append(try reader.read(row[1]))
                } catch let refusal as UndoRecordReader.Refusal {
                    throw QuillError.untrustedUndoRecord(path: project.displayPath, entry: entryID, record: row[0], problem: refusal.reason)
                }
            }
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            for change in changes {
                let (sql, arguments) = change.statement
                try db.cachedStatement(sql: sql).execute(arguments: arguments)
            }
            let entry = HistoryEntry(row: target)
            return (UndoReport(entry: entry), "undid #\(entry.id): \(entry.summary)")
        }
    }
}
