import CSQLite
import GRDB

/// The settings every connection to a project gets, since a project file may come from someone
/// else (a colleague's `.quill` for `quill merge`, one received by mail): SQLite's advice for
/// database files from untrusted sources (sqlite.org/security.html, "Untrusted SQLite Database
/// Files"), with the structure of the file checked by `Schema.verify` before it is used.
enum SQLiteHardening {
    /// Switches on defensive mode, stops triggers from calling functions with side effects
    /// (`trusted_schema` off), refuses views, extension loading and attached databases, checks
    /// cell sizes as pages are read, and maps no file into memory.
    static func apply(_ db: Database) throws {
        let code = quill_sqlite_harden(db.sqliteConnection)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "the connection could not be set up for a file from outside")
        }
        try db.execute(sql: "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0")
    }

    /// The settings in force on a connection, for tests and `quill check`.
    struct State: Equatable {
        var defensive: Bool
        var trustsSchema: Bool
        var allowsViews: Bool
        var loadsExtensions: Bool
        var attachLimit: Int
    }

    static func state(_ db: Database) -> State {
        let connection = db.sqliteConnection
        return State(
            defensive: quill_sqlite_config(connection, quill_dbconfig_defensive) == 1,
            trustsSchema: quill_sqlite_config(connection, quill_dbconfig_trusted_schema) != 0,
            allowsViews: quill_sqlite_config(connection, quill_dbconfig_enable_view) != 0,
            loadsExtensions: quill_sqlite_config(connection, quill_dbconfig_load_extension) != 0,
            attachLimit: Int(quill_sqlite_attach_limit(connection)))
    }
}
