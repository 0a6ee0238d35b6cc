import Foundation
import GRDB

/// The `segment` table: the units a source is cut into. The only writer of it.
struct SegmentTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Writes the segments of a source, with its speakers' cases.
    func store(sourceID: Int64, segmentation: Segmentation, cases: CaseMapping) throws {
        let caseTable = CaseTable(db)
        var caseIDs: [String: Int64] = [:]
        for speaker in segmentation.speakers {
            let id = try caseTable.caseID(named: cases.caseName(forSpeaker: speaker.name), isInterviewer: speaker.isInterviewer)
            if let role = speaker.role { try caseTable.setAttributeIfMissing(caseID: id, name: "role", value: role) }
            caseIDs[CodePath.fold(speaker.name)] = id
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO segment(sourceId, number, kind, start, "end", turn, speaker, speakerRole, caseId, startTime, endTime)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (index, segment) in segmentation.segments.enumerated() {
            let caseID = segment.speaker.flatMap { caseIDs[CodePath.fold($0)] }
            try insert.execute(arguments: [
                sourceID, index + 1, segmentation.mode.rawValue, segment.span.start, segment.span.end, segment.turn,
                caseID == nil ? nil : segment.speaker, segment.role, caseID, segment.startTime, segment.endTime,
            ])
        }
    }
}
