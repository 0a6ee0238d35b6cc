import Foundation
import GRDB

/// What happened to one file of an import.
public enum ImportOutcome: Equatable, Sendable {
    /// The file became a new source.
    case imported(name: String, segments: Int, speakers: Int, unattributedLines: Int, mode: SegmentationMode)
    /// The project already has a source with the same bytes.
    case alreadyImported(file: String, existing: String)
}

extension ProjectStore {
    /// Stores prepared sources, all or none, in one transaction.
    ///
    /// A file whose bytes the project already holds is skipped and reported as such. Speakers
    /// become cases; the same speaker name in several sources is the same case.
    /// - Throws: `QuillError.badInput` when a different source already has the name.
    public func importSources(_ sources: [PreparedSource], actor: Actor) throws -> [ImportOutcome] {
        try change(actor) { db in
            let coderID = try coderID(db, name: actor.coder)
            var outcomes: [ImportOutcome] = []
            let insertSegment = try db.makeStatement(sql: """
                INSERT INTO segment(sourceId, number, kind, start, "end", speakerId, speakerRole, startTime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for source in sources {
                if let existing = try String.fetchOne(db, sql: "SELECT name FROM source WHERE sha256 = ?", arguments: [source.sha256]) {
                    outcomes.append(.alreadyImported(file: source.fileName, existing: existing))
                    continue
                }
                if let clash = try Row.fetchOne(db, sql: "SELECT name, fileName FROM source WHERE name = ?", arguments: [source.name]) {
                    let clashName: String = clash["name"]
                    let clashFile: String = clash["fileName"]
                    throw QuillError.badInput(path: source.fileName,
                                              problem: "the project already has a different source called '\(clashName)' (from \(clashFile))",
                                              remedy: "Rename the file, or import it with --name to give the source another name. Nothing was imported.")
                }
                try db.execute(literal: """
                    INSERT INTO source(guid, name, fileName, format, sha256, byteCount, text, length, segmentation, importedAt, importedBy)
                    VALUES (\(StableID.make("source", source.sha256)), \(source.name), \(source.fileName), \(source.format.rawValue),
                            \(source.sha256), \(source.byteCount), \(source.text), \(source.length),
                            \(source.segmentation.mode.rawValue), \(Clock.timestamp()), \(coderID))
                    """)
                let sourceID = db.lastInsertedRowID
                var speakerIDs: [String: Int64] = [:]
                for speaker in source.segmentation.speakers {
                    speakerIDs[speaker.name] = try speakerID(db, speaker)
                }
                for (index, segment) in source.segmentation.segments.enumerated() {
                    try insertSegment.execute(arguments: [
                        sourceID, index + 1, source.segmentation.mode.rawValue, segment.span.start, segment.span.end,
                        segment.speaker.flatMap { speakerIDs[$0] }, segment.role, segment.startTime,
                    ])
                }
                outcomes.append(.imported(name: source.name, segments: source.segmentation.segments.count,
                                          speakers: source.segmentation.speakers.count,
                                          unattributedLines: source.segmentation.unattributedLines.count,
                                          mode: source.segmentation.mode))
            }
            let names = outcomes.compactMap { outcome -> String? in
                if case .imported(let name, _, _, _, _) = outcome { return name }
                return nil
            }
            return (outcomes, names.isEmpty ? nil : "imported \(names.count) source(s): \(names.joined(separator: ", "))")
        }
    }

    /// The speaker with a name, created with its case on first use.
    private func speakerID(_ db: Database, _ speaker: DetectedSpeaker) throws -> Int64 {
        if let row = try Row.fetchOne(db, sql: "SELECT id, caseId FROM speaker WHERE label = ?", arguments: [speaker.name]) {
            let id: Int64 = row["id"]
            if speaker.isInterviewer {
                try db.execute(sql: "UPDATE speaker SET isInterviewer = 1 WHERE id = ?", arguments: [id])
            }
            if let role = speaker.role { try setRoleIfMissing(db, caseID: row["caseId"], role: role) }
            return id
        }
        let caseID: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = ?", arguments: [speaker.name]) {
            caseID = existing
        } else {
            try db.execute(sql: "INSERT INTO studyCase(guid, name) VALUES (?, ?)",
                           arguments: [StableID.make("case", CodePath.fold(speaker.name)), speaker.name])
            caseID = db.lastInsertedRowID
        }
        try db.execute(sql: "INSERT INTO speaker(label, caseId, isInterviewer) VALUES (?, ?, ?)",
                       arguments: [speaker.name, caseID, speaker.isInterviewer])
        let id = db.lastInsertedRowID
        if let role = speaker.role { try setRoleIfMissing(db, caseID: caseID, role: role) }
        return id
    }

    private func setRoleIfMissing(_ db: Database, caseID: Int64, role: String) throws {
        var attributeID = try Int64.fetchOne(db, sql: "SELECT id FROM attribute WHERE name = 'role'")
        if attributeID == nil {
            try db.execute(sql: "INSERT INTO attribute(guid, name, type, description) VALUES (?, 'role', 'text', ?)",
                           arguments: [StableID.make("attribute", "role"), "The role given in brackets after a speaker's name."])
            attributeID = db.lastInsertedRowID
        }
        try db.execute(sql: "INSERT OR IGNORE INTO caseAttribute(caseId, attributeId, value) VALUES (?, ?, ?)",
                       arguments: [caseID, attributeID, role])
    }
}
