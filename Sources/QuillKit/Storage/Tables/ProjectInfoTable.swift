import Foundation
import GRDB

/// The `projectInfo` table: the project's settings, such as its name and its codebook's. The
/// only writer of it.
struct ProjectInfoTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// A setting's value, or nil.
    func value(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM projectInfo WHERE key = ?", arguments: [key])
    }

    /// Adds a setting the project does not have yet.
    func insert(_ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES (?, ?)", arguments: [key, value])
    }

    /// Sets a setting, or removes it with nil.
    func set(_ key: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO projectInfo(key, value) VALUES (?, ?)", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM projectInfo WHERE key = ?", arguments: [key])
        }
    }

    /// Changes a setting the project has.
    func update(_ key: String, _ value: String) throws {
        try db.execute(sql: "UPDATE projectInfo SET value = ? WHERE key = ?", arguments: [value, key])
    }
}
