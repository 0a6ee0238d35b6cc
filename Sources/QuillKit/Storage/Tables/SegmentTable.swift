import Foundation
import GRDB

/// The `segment` table: the units a source is cut into. The only writer of it.
struct SegmentTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The span of a source's segment, by its number.
    /// - Throws: `QuillError.badSegments` when the source has no segment of that number.
    func span(sourceID: Int64, number: Int) throws -> TextSpan {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT start, \"end\" FROM segment WHERE sourceId = ? AND number = ?", arguments: [sourceID, number])
        else {
            throw QuillError.badSegments("\(number)", reason: "the source has no segment \(number)")
        }
        return TextSpan(start: row["start"], end: row["end"])
    }

    /// Writes the segments of a source, with its speakers' cases.
    func store(sourceID: Int64, segmentation: Segmentation, cases: CaseMapping) throws {
        let caseTable = CaseTable(db)
        var caseIDs: [String: Int64] = [:]
        for speaker in segmentation.speakers {
            let id = try caseTable.caseID(named: cases.caseName(forSpeaker: speaker.name), isInterviewer: speaker.isInterviewer)
            if let role = speaker.role { try caseTable.setAttributeIfMissing(caseID: id, name: "role", value: role) }
            caseIDs[CodePath.fold(speaker.name)] = id
        }
        let insert = try insertStatement()
        for (index, segment) in segmentation.segments.enumerated() {
            let caseID = segment.speaker.flatMap { caseIDs[CodePath.fold($0)] }
            try insert.execute(arguments: [
                sourceID, index + 1, segmentation.mode.rawValue, segment.span.start, segment.span.end, segment.turn,
                caseID == nil ? nil : segment.speaker, segment.role, caseID, segment.startTime, segment.endTime,
            ])
        }
    }

    /// Writes a segment copied from another project, numbered as it was there.
    func insert(sourceID: Int64, _ segment: ProjectContents.Segment, caseID: Int64?) throws {
        try insertStatement().execute(arguments: [
            sourceID, segment.number, segment.kind, segment.span.start, segment.span.end, segment.turn,
            caseID == nil ? nil : segment.speaker, segment.speakerRole, caseID, segment.startTime, segment.endTime,
        ])
    }

    /// Removes a source's segments, before it is cut again.
    func deleteAll(ofSource sourceID: Int64) throws {
        try db.execute(sql: "DELETE FROM segment WHERE sourceId = ?", arguments: [sourceID])
    }

    /// Gives a speaker of a source another name and, when given, another case.
    func renameSpeaker(_ old: String, to newName: String, inSource sourceID: Int64, caseID: Int64? = nil) throws {
        if let caseID {
            try db.execute(
                sql: "UPDATE segment SET speaker = ?, caseId = ? WHERE sourceId = ? AND speaker = ? COLLATE NOCASE",
                arguments: [newName, caseID, sourceID, old])
        } else {
            try db.execute(
                sql: "UPDATE segment SET speaker = ? WHERE sourceId = ? AND speaker = ? COLLATE NOCASE",
                arguments: [newName, sourceID, old])
        }
    }

    private func insertStatement() throws -> Statement {
        try db.cachedStatement(
            sql: """
                INSERT INTO segment(sourceId, number, kind, start, "end", turn, speaker, speakerRole, caseId, startTime, endTime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }
}
