import CSQLite
import Foundation
import GRDB

/// A Quill project: one SQLite file that holds the codebook, the sources, their segments, the
/// cases, the codings, the memos and the history.
///
/// Every change is one transaction with one entry in the history, so a failed or interrupted
/// command leaves the project exactly as it was.
///
/// ```swift
/// let store = try ProjectStore.create(at: url, name: "LHS study")
/// let report = try store.importCodebook(codebook, actor: actor)
/// ```
public final class ProjectStore: Sendable {
    /// Where the project file is; nil for an in-memory project.
    public let url: URL?
    let dbQueue: DatabaseQueue
    /// What opening the project did to bring an older file up to date, or nil when it was.
    public let upgrade: SchemaUpgrade?
    /// The file an in-memory copy was read from, for messages.
    private let origin: String?

    private init(url: URL?, dbQueue: DatabaseQueue, upgrade: SchemaUpgrade? = nil, origin: String? = nil) {
        self.url = url
        self.dbQueue = dbQueue
        self.upgrade = upgrade
        self.origin = origin
    }

    /// The path shown in messages.
    public var displayPath: String { url?.path ?? origin ?? ":memory:" }

    /// The connection settings. WAL is switched on when the file is created and stays on in
    /// the file; asking for it again at every open would make GRDB write to the file, and a
    /// read-only command must leave the file byte for byte as it was.
    ///
    /// Every connection is set up for a file that may come from someone else
    /// (`SQLiteHardening`), the project's own included.
    private static func configuration(creating: Bool = false, readOnly: Bool = false) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.journalMode = creating ? .wal : .default
        config.busyMode = .timeout(busyTimeout)
        // A large change (an autocode run adding 300,000 codings) touches index pages all over
        // the file: with SQLite's default 2 MB page cache it writes pages out to the WAL and
        // reads them back many times before it commits. The cache grows only as it is used.
        config.prepareDatabase { db in
            try SQLiteHardening.apply(db)
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        return config
    }

    /// How long a command waits for another `quill` that is changing the same project before
    /// it gives up: QUILL_BUSY_TIMEOUT seconds, else 10.
    public static var busyTimeout: TimeInterval {
        ProcessInfo.processInfo.environment["QUILL_BUSY_TIMEOUT"].flatMap(TimeInterval.init).map { max(0, $0) } ?? 10
    }

    /// Creates a new project file and its schema.
    /// - Throws: `QuillError.projectExists` if the file exists.
    public static func create(at url: URL, name: String) throws -> ProjectStore {
        if FileManager.default.fileExists(atPath: url.path) {
            throw QuillError.projectExists(path: url.path)
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw QuillError.fileNotWritable(path: url.path, reason: "the folder \(folder.path) does not exist")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration(creating: true))
        } catch {
            throw QuillError.fileNotWritable(path: url.path, reason: Self.describe(error))
        }
        let store = ProjectStore(url: url, dbQueue: queue)
        try store.initialise(name: name)
        return store
    }

    /// Creates a project that lives in memory only, for tests and scratch work.
    public static func inMemory(name: String = "Scratch") throws -> ProjectStore {
        let store = ProjectStore(url: nil, dbQueue: try DatabaseQueue(configuration: configuration()))
        try store.initialise(name: name)
        return store
    }

    /// Opens an existing project and brings its schema up to date.
    /// - Throws: `QuillError.notAProject` when the file is missing or is not a Quill project,
    ///   `QuillError.projectTooNew` when a newer Quill wrote it.
    public static func open(at url: URL) throws -> ProjectStore {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw QuillError.notAProject(path: url.path, reason: "there is no such file")
        }
        guard !isFolder.boolValue else {
            throw QuillError.notAProject(path: url.path, reason: "it is a folder")
        }
        do {
            let queue = try DatabaseQueue(path: url.path, configuration: configuration())
            let store = ProjectStore(url: url, dbQueue: queue)
            let migrator = Schema.migrator
            try verify(queue, path: url.path)
            // Migrate only when a step is missing: running the migrator writes to the file even
            // when it has nothing to do, and a read-only command must leave the file as it was.
            let hasPendingSteps = try queue.read { db in try !migrator.hasCompletedMigrations(db) }
            guard hasPendingSteps else { return store }
            let upgrade = try store.keepCopyBeforeUpgrade(migrator)
            try migrator.migrate(queue)
            return ProjectStore(url: url, dbQueue: queue, upgrade: upgrade)
        } catch let error as QuillError {
            throw error
        } catch let error as DatabaseError where isBusy(error) {
            throw QuillError.projectBusy(path: url.path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw QuillError.notAProject(path: url.path, reason: "it is not an SQLite database")
        } catch {
            throw QuillError.notAProject(path: url.path, reason: Self.describe(error))
        }
    }

    /// Checks, before anything else reads or writes it, that a file is a Quill project of a
    /// version this Quill knows and that its structure is exactly what Quill makes.
    /// - Throws: `QuillError.notAProject`, `projectTooNew` or `untrustedStructure`.
    private static func verify(_ queue: DatabaseQueue, path: String) throws {
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

    /// Reads a project file that someone else may have written, such as a colleague's for
    /// `merge`, into memory, without writing a byte beside it or anywhere else: the copy lives
    /// only as long as the returned project. The file is opened read-only (or, when no other
    /// program has it open, read as bytes), checked like any project on opening, and the copy
    /// brought up to date if an older Quill wrote it.
    /// - Throws: `QuillError.fileNotReadable`, `notAProject`, `projectTooNew` or `untrustedStructure`.
    public static func readCopy(of url: URL) throws -> ProjectStore {
        let path = url.relativePath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw QuillError.fileNotReadable(path: path, reason: "there is no such file")
        }
        guard !isFolder.boolValue else { throw QuillError.notAProject(path: path, reason: "it is a folder") }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw QuillError.fileNotReadable(path: path, reason: "permission denied")
        }
        do {
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
            try verify(copy, path: path)
            let migrator = Schema.migrator
            let hasPendingSteps = try copy.read { db in try !migrator.hasCompletedMigrations(db) }
            if hasPendingSteps { try migrator.migrate(copy) }
            return ProjectStore(url: nil, dbQueue: copy, origin: path)
        } catch let error as QuillError {
            throw error
        } catch let error as DatabaseError where isBusy(error) {
            throw QuillError.projectBusy(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw QuillError.notAProject(path: path, reason: "it is not an SQLite database")
        } catch {
            throw QuillError.notAProject(path: path, reason: Self.describe(error))
        }
    }

    private func initialise(name: String) throws {
        try Schema.migrator.migrate(dbQueue)
        try dbQueue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            let guid = StableID.make("project", UUID().uuidString)
            for (key, value) in [("name", name), ("guid", guid), ("createdAt", Clock.timestamp())] {
                try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
    }

    /// Reads from the project.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try dbQueue.read(body)
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw QuillError.projectBusy(path: displayPath)
        }
    }

    /// Whether an error says that another connection holds the lock for longer than we wait.
    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Before an older project is brought up to date, keeps a consistent copy of it beside it,
    /// named after the last schema step it has, so that the upgrade can be undone by hand.
    /// - Throws: `QuillError.fileNotWritable` when no copy can be made; then nothing is changed.
    private func keepCopyBeforeUpgrade(_ migrator: DatabaseMigrator) throws -> SchemaUpgrade {
        let applied = try read { db in try migrator.appliedMigrations(db) }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard let url else { return SchemaUpgrade(from: applied.last ?? "", steps: pending, backup: nil) }
        let step = (applied.last ?? "empty").map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        var backup = URL(fileURLWithPath: url.path + ".bak-" + step)
        var number = 1
        while FileManager.default.fileExists(atPath: backup.path) {
            number += 1
            backup = URL(fileURLWithPath: url.path + ".bak-\(step)-\(number)")
        }
        do {
            try self.backup(to: backup)
        } catch let error as QuillError {
            throw QuillError.fileNotWritable(path: backup.path, reason: "Quill keeps a copy of a project made by an older version before it updates the project's format, "
                + "and the copy could not be made (\(error.localizedDescription)); the project was not changed")
        }
        return SchemaUpgrade(from: applied.last ?? "", steps: pending, backup: backup)
    }

    /// Changes the project in one transaction, recorded as one entry in the history.
    ///
    /// If `body` throws, nothing is changed and nothing is recorded.
    /// - Parameters:
    ///   - actor: who makes the change and with which command.
    ///   - body: the change; it returns its result and a one-line summary for the history, or
    ///     nil for the summary when nothing changed (then no history entry is written).
    func change<T>(_ actor: Actor, _ body: (Database) throws -> (T, summary: String?)) throws -> T {
        do {
            return try dbQueue.write { db in
                let first = try Int64.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM undoLog") ?? 0
                let (result, summary) = try body(db)
                let last = try Int64.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM undoLog") ?? 0
                if let summary {
                    // The entry keeps the range of the undo log its change wrote, for `undo`,
                    // and an undo says which entry it undid.
                    var details: [String] = []
                    if summary.hasPrefix("undid #"), let id = Int64(summary.dropFirst("undid #".count).prefix { $0.isNumber }) {
                        details.append("undid \(id)")
                    }
                    if last > first { details.append("undo \(first + 1)-\(last)") }
                    try db.execute(
                        sql: "INSERT INTO history(at, coder, command, summary, details) VALUES (?, ?, ?, ?, ?)",
                        arguments: [Clock.timestamp(), actor.coder, actor.command, summary,
                                    details.isEmpty ? nil : details.joined(separator: "; ")])
                }
                return result
            }
        } catch let error as QuillError {
            throw error
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw QuillError.projectBusy(path: displayPath)
        } catch let error as DatabaseError {
            throw QuillError.invalidArgument("The project \(displayPath) refused the change: \(error.message ?? "\(error.resultCode)"). Nothing was changed.")
        }
    }

    /// The id of a coder, created on first use.
    func coderID(_ db: Database, name: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [name]) {
            return id
        }
        try db.execute(sql: "INSERT INTO coder(guid, name, createdAt) VALUES (?, ?, ?)",
                       arguments: [StableID.make("coder", CodePath.fold(name)), name, Clock.timestamp()])
        return db.lastInsertedRowID
    }

    /// A project setting, such as its name.
    public func info(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM projectInfo WHERE key = ?", arguments: [key]) }
    }

    /// The history, oldest first.
    public func history() throws -> [HistoryEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, at, coder, command, summary FROM history ORDER BY id").map {
                HistoryEntry(id: $0["id"], at: $0["at"], coder: $0["coder"], command: $0["command"], summary: $0["summary"])
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}

/// Who changes a project, and with which command, for the history.
public struct Actor: Sendable, Equatable {
    /// The coder's name.
    public var coder: String
    /// The command as typed.
    public var command: String

    /// Creates an actor.
    public init(coder: String, command: String) {
        self.coder = coder
        self.command = command
    }
}

/// One entry of a project's history.
public struct HistoryEntry: Sendable, Equatable {
    /// Its place in the history.
    public var id: Int64
    /// When, as an ISO 8601 timestamp.
    public var at: String
    /// Who.
    public var coder: String
    /// The command.
    public var command: String
    /// What changed.
    public var summary: String
}

/// Timestamps for records.
enum Clock {
    /// The time as ISO 8601 in UTC to the second (`2025-03-14T09:30:00Z`).
    ///
    /// Written out by hand: a date formatter costs more to make than a coding costs to store,
    /// and this is called for every coding.
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "Z"
    }
}

/// What opening a project made by an older Quill did: the schema steps it applied and where the
/// copy of the file as it was is kept.
public struct SchemaUpgrade: Sendable, Equatable {
    /// The last schema step the file had.
    public var from: String
    /// The steps applied, in order.
    public var steps: [String]
    /// The copy of the project as it was, beside it; nil for an in-memory project.
    public var backup: URL?

    /// A note for the user.
    public var note: String {
        let copy = backup.map { " The project as it was is kept in \($0.path); delete that copy once you are happy." } ?? ""
        return "Updated the project to the current format (\(steps.count) step\(steps.count == 1 ? "" : "s"): \(steps.joined(separator: ", ")))." + copy
    }
}
