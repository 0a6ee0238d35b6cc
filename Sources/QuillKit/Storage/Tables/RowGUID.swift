import Foundation
import GRDB

/// Stable GUIDs for new rows.
enum RowGUID {
    /// A name-based GUID that no row of a table has yet: the plain one, or, when a renamed row
    /// kept it, the first free one of `key#2`, `key#3`, ...
    static func free(in db: Database, table: String, kind: String, key: String) throws -> String {
        var candidate = StableID.make(kind, key)
        var suffix = 1
        while try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE guid = ?)", arguments: [candidate]) == true {
            suffix += 1
            candidate = StableID.make(kind, "\(key)#\(suffix)")
        }
        return candidate
    }
}
