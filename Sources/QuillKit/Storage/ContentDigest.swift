import Foundation
import GRDB

/// A digest of what a project holds.
public struct ContentDigest: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    package init(_ project: ProjectDatabase) { self.project = project }

    /// A SHA-256 over every row of every table of the project, in a fixed order.
    ///
    /// Two projects with the same content have the same digest whatever their file layout, so
    /// a test can prove that a failed command left a project exactly as it was.
    ///
    /// With `researchOnly`, the digest covers what a researcher made (the codebook, sources,
    /// segments, cases, codings, memos) and leaves out the history, the undo log and the search
    /// index, which record how the project got there: so undoing a change gives the digest
    /// from before it.
    package func contentDigest(researchOnly: Bool = false) throws -> String {
        try project.read { db in
            var text = ""
            var tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                    """)
            if researchOnly { tables = tables.filter { Schema.undoneTables.contains($0) } }
            for table in tables {
                text += "table \(table)\n"
                let columns = try db.columns(in: table).count
                let order = (1...max(1, columns)).map(String.init).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(order)")
                for row in rows {
                    text += row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: "\u{1F}") + "\n"
                }
            }
            return StableID.sha256(Data(text.utf8))
        }
    }
}
