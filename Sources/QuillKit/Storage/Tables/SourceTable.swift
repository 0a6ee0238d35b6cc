import Foundation
import GRDB

/// The `source` table: the transcripts, each with its canonical text. The only writer of it.
struct SourceTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// A source about to be stored.
    struct NewSource {
        var guid: String
        var name: String
        var fileName: String
        var format: String
        /// The SHA-256 of the file's bytes; unique in a project.
        var sha256: String
        var byteCount: Int
        var text: String
        /// The text's length in Unicode scalars.
        var length: Int
        var segmentation: String
        var importedAt: String
        /// The coder who imported it, if known.
        var importedBy: Int64?
    }

    /// Stores a source; returns its id.
    func insert(_ source: NewSource) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO source(guid, name, fileName, format, sha256, byteCount, text, length, segmentation, importedAt, importedBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            source.guid, source.name, source.fileName, source.format, source.sha256, source.byteCount,
            source.text, source.length, source.segmentation, source.importedAt, source.importedBy,
        ])
        return db.lastInsertedRowID
    }

    /// Records how a source is now cut into segments.
    func setSegmentation(_ mode: SegmentationMode, of sourceID: Int64) throws {
        try db.execute(sql: "UPDATE source SET segmentation = ? WHERE id = ?", arguments: [mode.rawValue, sourceID])
    }

    /// Replaces the hash a source is known by.
    func setSHA256(_ sha256: String, of sourceID: Int64) throws {
        try db.execute(sql: "UPDATE source SET sha256 = ? WHERE id = ?", arguments: [sha256, sourceID])
    }
}
