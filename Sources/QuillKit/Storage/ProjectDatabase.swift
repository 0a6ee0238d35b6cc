import CSQLite
public import Foundation
public import GRDB

/// A Quill project: one SQLite file that holds the codebook, the sources, their segments, the
/// cases, the codings, the memos and the history.
///
/// This type owns the connection and nothing else: opening and making the file, bringing its
/// schema up to date, reads, and the one funnel every change goes through. What a user does
/// to a project is an operation type over it (`SourceImporter`, `CodebookEditor`,
/// `Autocoder`, ...), and the tables are written only by their gateways in `Storage/Tables`.
///
/// Every change is one transaction with one entry in the history, so a failed or interrupted
/// command leaves the project exactly as it was.
///
/// ```swift
/// let project = try ProjectDatabase.create(at: url, name: "LHS study")
/// let report = try CodebookImporter(project).importCodebook(codebook, actor: actor)
/// ```
public final class ProjectDatabase: Sendable {
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

    /// How long a command waits for another `quill` that is changing the same project before
    /// it gives up: QUILL_BUSY_TIMEOUT seconds, else 10.
    package static var busyTimeout: TimeInterval {
        ProcessInfo.processInfo.environment["QUILL_BUSY_TIMEOUT"].flatMap(TimeInterval.init).map { max(0, $0) } ?? 10
    }

    /// Creates a new project file and its schema.
    /// - Throws: `QuillError.projectExists` if the file exists.
    public static func create(at url: URL, name: String) throws -> ProjectDatabase {
        if FileManager.default.fileExists(atPath: url.path) {
            throw QuillError.projectExists(path: url.path)
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw QuillError.fileNotWritable(path: url.path, reason: "the folder \(folder.path) does not exist")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: ProjectFile.configuration(creating: true))
        } catch {
            throw QuillError.fileNotWritable(path: url.path, reason: ProjectFile.describe(error))
        }
        let project = ProjectDatabase(url: url, dbQueue: queue)
        try project.initialise(name: name)
        return project
    }

    /// Creates a project that lives in memory only, for tests and scratch work.
    package static func inMemory(name: String = "Scratch") throws -> ProjectDatabase {
        let project = ProjectDatabase(url: nil, dbQueue: try DatabaseQueue(configuration: ProjectFile.configuration()))
        try project.initialise(name: name)
        return project
    }

    /// Opens an existing project and brings its schema up to date.
    /// - Throws: `QuillError.notAProject` when the file is missing or is not a Quill project,
    ///   `QuillError.projectTooNew` when a newer Quill wrote it.
    public static func open(at url: URL) throws -> ProjectDatabase {
        try ProjectFile.checkIsFile(url, path: url.path, missing: .notAProject(path: url.path, reason: "there is no such file"))
        return try ProjectFile.opening(path: url.path) {
            let queue = try DatabaseQueue(path: url.path, configuration: ProjectFile.configuration())
            let project = ProjectDatabase(url: url, dbQueue: queue)
            let migrator = Schema.migrator
            try ProjectFile.verify(queue, path: url.path)
            // Migrate only when a step is missing: running the migrator writes to the file even
            // when it has nothing to do, and a read-only command must leave the file as it was.
            guard try ProjectFile.hasPendingSteps(queue) else { return project }
            let upgrade = try ProjectFile.keepCopyBeforeUpgrade(project, migrator)
            try migrator.migrate(queue)
            return ProjectDatabase(url: url, dbQueue: queue, upgrade: upgrade)
        }
    }

    /// Reads a project file that someone else may have written, such as a colleague's for
    /// `merge`, into memory, without writing a byte beside it or anywhere else: the copy lives
    /// only as long as the returned project. The file is opened read-only (or, when no other
    /// program has it open, read as bytes), checked like any project on opening, and the copy
    /// brought up to date if an older Quill wrote it.
    /// - Throws: `QuillError.fileNotReadable`, `notAProject`, `projectTooNew` or `untrustedStructure`.
    public static func readCopy(of url: URL) throws -> ProjectDatabase {
        let path = url.relativePath
        try ProjectFile.checkIsFile(url, path: path, missing: .fileNotReadable(path: path, reason: "there is no such file"))
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw QuillError.fileNotReadable(path: path, reason: "permission denied")
        }
        return try ProjectFile.opening(path: path) {
            let copy = try ProjectFile.readIntoMemory(url)
            try ProjectFile.verify(copy, path: path)
            if try ProjectFile.hasPendingSteps(copy) { try Schema.migrator.migrate(copy) }
            return ProjectDatabase(url: nil, dbQueue: copy, origin: path)
        }
    }

    private func initialise(name: String) throws {
        try Schema.migrator.migrate(dbQueue)
        try dbQueue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            let guid = StableID.make("project", UUID().uuidString)
            let info = ProjectInfoTable(db)
            for (key, value) in [("name", name), ("guid", guid), ("createdAt", Clock.timestamp())] {
                try info.insert(key, value)
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
                        arguments: [
                            Clock.timestamp(), actor.coder, actor.command, summary,
                            details.isEmpty ? nil : details.joined(separator: "; "),
                        ])
                }
                return result
            }
        } catch let error as QuillError {
            throw error
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw QuillError.projectBusy(path: displayPath)
        } catch let error as DatabaseError {
            throw QuillError.invalidArgument(
                "The project \(displayPath) refused the change: \(error.message ?? "\(error.resultCode)"). Nothing was changed.")
        }
    }

    /// Writes to the project outside the history, for upkeep that changes nothing a user made
    /// (the search index); a busy project is reported like it is for a change, and a project
    /// that cannot be written as not writable, for the reason given and with what to do.
    func upkeep<T>(whenReadOnly reason: String, then remedy: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try dbQueue.write(body)
        } catch let error as DatabaseError where Self.isBusy(error) {
            throw QuillError.projectBusy(path: displayPath)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw QuillError.fileNotWritable(path: displayPath, reason: "\(reason) (\(error.message ?? "\(error.resultCode)")); \(remedy)")
        }
    }

    /// A project setting, such as its name.
    package func info(_ key: String) throws -> String? {
        try read { db in try ProjectInfoTable(db).value(key) }
    }

    /// The history, oldest first.
    public func history() throws -> [HistoryEntry] {
        try read { db in
            try Row.fetchAll(db, sql: HistoryEntry.selection + " ORDER BY id").map(HistoryEntry.init(row:))
        }
    }
}
