import CSQLite
import Foundation
import GRDB

/// How a project file is opened: the connection settings, the checks made before anything
/// reads it, and the copy kept before an older file is brought up to date.
enum ProjectFile {
    /// The connection settings. WAL is switched on when the file is created and stays on in
    /// the file; asking for it again at every open would make GRDB write to the file, and a
    /// read-only command must leave the file byte for byte as it was.
    ///
    /// Every connection is set up for a file that may come from someone else
    /// (`SQLiteHardening`), the project's own included.
    static func configuration(creating: Bool = false, readOnly: Bool = false) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.journalMode = creating ? .wal : .default
        config.busyMode = .timeout(ProjectDatabase.busyTimeout)
        // A large change (an autocode run adding 300,000 codings) touches index pages all over
        // the file: with SQLite's default 2 MB page cache it writes pages out to the WAL and
        // reads them back many times before it commits. The cache grows only as it is used.
        config.prepareDatabase { db in
            try SQLiteHardening.apply(db)
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        return config
    }

    /// Refuses a path that is missing (with `missing`) or a folder.
    static func checkIsFile(_ url: URL, path: String, missing: QuillError) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw missing }
        guard !isFolder.boolValue else { throw QuillError.notAProject(path: path, reason: "it is a folder") }
    }

    /// Runs the opening of a project file, turning SQLite's errors into Quill's.
    static func opening(path: String, _ body: () throws -> ProjectDatabase) throws -> ProjectDatabase {
        do {
            return try body()
        } catch let error as QuillError {
            throw error
        } catch let error as DatabaseError where ProjectDatabase.isBusy(error) {
            throw QuillError.projectBusy(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw QuillError.notAProject(path: path, reason: "it is not an SQLite database")
        } catch {
            throw QuillError.notAProject(path: path, reason: describe(error))
        }
    }

    /// Checks, before anything else reads or writes it, that a file is a Quill project of a
    /// version this Quill knows and that its structure is exactly what Quill makes.
    /// - Throws: `QuillError.notAProject`, `projectTooNew` or `untrustedStructure`.
    static func verify(_ queue: DatabaseQueue, path: String) throws {
        try queue.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            guard applicationID == Schema.applicationID else {
                throw QuillError.notAProject(path: path, reason: "it is an SQLite database, but not one Quill made")
            }
            let migrator = Schema.migrator
            if try db.tableExists("grdb_migrations"), try migrator.hasBeenSuperseded(db) {
                let applied = try migrator.appliedIdentifiers(db)
                throw QuillError.projectTooNew(path: path, migration: applied.subtracting(Set(migrator.migrations)).sorted().first ?? "?")
            }
            let differences = try Schema.differences(in: db)
            guard differences.isEmpty else { throw QuillError.untrustedStructure(path: path, differences: differences) }
        }
    }

    /// Whether a schema step is missing from the file.
    static func hasPendingSteps(_ queue: DatabaseQueue) throws -> Bool {
        try queue.read { db in try !Schema.migrator.hasCompletedMigrations(db) }
    }

    /// A copy of a file in memory, read without writing a byte beside it.
    static func readIntoMemory(_ url: URL) throws -> DatabaseQueue {
        let copy = try DatabaseQueue(configuration: configuration())
        if FileManager.default.fileExists(atPath: url.path + "-wal") {
            // Another program has the file open, or stopped without closing it: its latest
            // changes are in the write-ahead log, which only SQLite reads.
            let source = try DatabaseQueue(path: url.path, configuration: configuration(readOnly: true))
            try source.backup(to: copy)
            try source.close()
        } else {
            let bytes = try Data(contentsOf: url)
            try copy.inDatabase { db in
                let code = bytes.withUnsafeBytes { quill_sqlite_deserialize(db.sqliteConnection, $0.baseAddress, Int64($0.count)) }
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
                db.clearSchemaCache()
            }
        }
        return copy
    }

    /// Before an older project is brought up to date, keeps a consistent copy of it beside it,
    /// named after the last schema step it has, so that the upgrade can be undone by hand.
    /// - Throws: `QuillError.fileNotWritable` when no copy can be made; then nothing is changed.
    static func keepCopyBeforeUpgrade(_ project: ProjectDatabase, _ migrator: DatabaseMigrator) throws -> SchemaUpgrade {
        let applied = try project.read { db in try migrator.appliedMigrations(db) }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard let url = project.url else { return SchemaUpgrade(from: applied.last ?? "", steps: pending, backup: nil) }
        let step = (applied.last ?? "empty").map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        var backup = URL(fileURLWithPath: url.path + ".bak-" + step)
        var number = 1
        while FileManager.default.fileExists(atPath: backup.path) {
            number += 1
            backup = URL(fileURLWithPath: url.path + ".bak-\(step)-\(number)")
        }
        do {
            try ProjectBackup(project).backup(to: backup)
        } catch let error as QuillError {
            throw QuillError.fileNotWritable(
                path: backup.path,
                reason: "Quill keeps a copy of a project made by an older version before it updates the project's format, "
                    + "and the copy could not be made (\(error.localizedDescription)); the project was not changed")
        }
        return SchemaUpgrade(from: applied.last ?? "", steps: pending, backup: backup)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
