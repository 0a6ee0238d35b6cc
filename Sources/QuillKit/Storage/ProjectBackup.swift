import CSQLite
public import Foundation
import GRDB

/// Copies a project into a new file.
public struct ProjectBackup: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Copies the project into a new file, consistently even while other commands use it.
    ///
    /// The copy is one image of the project read in one read transaction
    /// (`sqlite3_serialize`), written as a new file that appears whole or not at all
    /// (`NewFile`): a backup killed half-way leaves no file, not even an empty one. The copy
    /// has the project file's permissions.
    /// - Throws: `QuillError.fileNotWritable` when the file exists or cannot be written.
    public func backup(to url: URL) throws {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw QuillError.fileNotWritable(path: url.path, reason: "a file is already there; choose a new name, so that no backup is overwritten")
        }
        let mode =
            project.url.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.posixPermissions] as? NSNumber }
            .map { mode_t($0.uint16Value) & 0o777 } ?? 0o600
        do {
            try project.read { db in
                var size: Int64 = 0
                guard let image = quill_sqlite_serialize(db.sqliteConnection, &size) else {
                    throw DatabaseError(resultCode: .SQLITE_NOMEM, message: "the project could not be read into memory")
                }
                defer { quill_sqlite_free(image) }
                try NewFile.create(at: url, bytes: UnsafeRawBufferPointer(start: image, count: Int(size)), mode: mode)
            }
        } catch let error as QuillError {
            throw error
        } catch {
            throw QuillError.fileNotWritable(path: url.path, reason: (error as? DatabaseError)?.message ?? "\(error)")
        }
    }
}
