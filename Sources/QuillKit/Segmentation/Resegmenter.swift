import Foundation
import GRDB

/// What re-segmenting a source did.
public struct ResegmentReport: Equatable, Sendable {
    /// The unit before.
    public var oldMode: String
    /// The unit now.
    public var newMode: SegmentationMode
    /// Segments before.
    public var oldSegments: Int
    /// Segments now.
    public var newSegments: Int
    /// The codings on the source, all kept: they are spans of its text, not of its segments.
    public var codings: Int
}

/// Cuts a source into other units, keeping every coding.
public struct Resegmenter: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Cuts a source into other units. Codings are spans of the text, so every one is kept
    /// with its text; only what they are counted against changes.
    ///
    /// Without new speaker options the source's turns are rebuilt from its stored segments, so
    /// speakers keep their names and cases (however they were found or renamed) and captions
    /// keep their cue times. With `--no-speakers` or a speaker pattern the text is read again
    /// from scratch.
    public func resegment(sourceID: Int64, options: SegmentationOptions, actor: Actor) throws -> ResegmentReport {
        try project.change(actor) { db in
            guard let source = try Row.fetchOne(db, sql: "SELECT name, text, segmentation FROM source WHERE id = ?", arguments: [sourceID]) else {
                throw QuillError.invalidArgument("Source \(sourceID) does not exist.")
            }
            let text: String = source["text"]
            let stored = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.start, g."end", g.turn, g.speaker, g.speakerRole, g.startTime, g.endTime, k.name AS caseName, k.isInterviewer
                    FROM segment g LEFT JOIN studyCase k ON k.id = g.caseId WHERE g.sourceId = ? ORDER BY g.number
                    """, arguments: [sourceID])
            var caseNames: [String: String] = [:]
            for row in stored {
                if let speaker: String = row["speaker"], let caseName: String = row["caseName"] { caseNames[speaker] = caseName }
            }
            // The speaker turns the source has now (found at import, perhaps with a house
            // pattern, and perhaps renamed since) are the base, unless new speaker options ask
            // for the text to be read again.
            let rereads = options.speakerPattern != nil || options.speakers != .automatic
            var segmentation: Segmentation
            if !rereads && stored.contains(where: { ($0["speaker"] as String?) != nil }) {
                let turns = Self.turns(from: stored)
                segmentation = Segmenter.split(turns, into: options.unit ?? .turn, in: ScalarText(text))
            } else {
                segmentation = try Segmenter.segment(text, options: options, file: source["name"])
            }
            guard !segmentation.segments.isEmpty else {
                throw QuillError.invalidArgument("Those options find no segment in \(source["name"] as String); nothing was changed.")
            }
            if options.unit == .turn && segmentation.mode != .turn {
                throw QuillError.refused(
                    "\(source["name"] as String) has no speaker turns to cut it into; choose paragraph, sentence or line", remedy: .giveSpeakerPattern
                )
            }
            // Memos on segments follow their passage: each goes to the new segment that holds
            // most of the old one's text.
            let memos = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, g.start, g."end" FROM memo m JOIN segment g ON g.id = m.targetId
                    WHERE m.targetKind = 'segment' AND g.sourceId = ? ORDER BY m.id
                    """, arguments: [sourceID])
            try SegmentTable(db).deleteAll(ofSource: sourceID)
            try SegmentTable(db).store(sourceID: sourceID, segmentation: segmentation, cases: CaseMapping(names: caseNames))
            if !memos.isEmpty {
                let segments = try Row.fetchAll(
                    db, sql: "SELECT id, start, \"end\" FROM segment WHERE sourceId = ? ORDER BY number", arguments: [sourceID]
                ).map { (id: $0["id"] as Int64, span: TextSpan(start: $0["start"], end: $0["end"])) }
                for memo in memos {
                    let passage = TextSpan(start: memo["start"], end: memo["end"])
                    if let home = Self.home(of: passage, among: segments) { try MemoTable(db).move(memo["id"], toTarget: home) }
                }
            }
            try SourceTable(db).setSegmentation(segmentation.mode, of: sourceID)
            try CaseTable(db).deleteUnusedCases()
            let codings = try Int.fetchOne(db, sql: "SELECT count(*) FROM coding WHERE sourceId = ?", arguments: [sourceID]) ?? 0
            let report = ResegmentReport(
                oldMode: source["segmentation"], newMode: segmentation.mode, oldSegments: stored.count,
                newSegments: segmentation.segments.count, codings: codings)
            return (report, "re-segmented \(source["name"] as String) into \(report.newSegments) \(segmentation.mode.rawValue) segment(s)")
        }
    }

    /// The segment that holds most of a passage (the first of those that hold as much); with
    /// none holding any of it, the nearest one, the earlier of two as near.
    static func home(of passage: TextSpan, among segments: [(id: Int64, span: TextSpan)]) -> Int64? {
        func shared(_ span: TextSpan) -> Int { max(0, min(span.end, passage.end) - max(span.start, passage.start)) }
        func distance(_ span: TextSpan) -> Int { span.end <= passage.start ? passage.start - span.end : max(0, span.start - passage.end) }
        var best: (id: Int64, shared: Int, distance: Int)?
        for segment in segments {
            let candidate = (id: segment.id, shared: shared(segment.span), distance: distance(segment.span))
            if let known = best, known.shared > candidate.shared || (known.shared == candidate.shared && known.distance <= candidate.distance) {
                continue
            }
            best = candidate
        }
        return best?.id
    }

    /// The speaker turns of a source rebuilt from its stored segments.
    private static func turns(from rows: [Row]) -> Segmentation {
        var segments: [DetectedSegment] = []
        var speakers: [DetectedSpeaker] = []
        var lastTurn: Int?
        for row in rows {
            let span = TextSpan(start: row["start"], end: row["end"])
            let turn: Int? = row["turn"]
            if let turn, turn == lastTurn, var current = segments.last {
                current.span = TextSpan(start: current.span.start, end: span.end)
                current.endTime = row["endTime"] ?? current.endTime
                segments[segments.count - 1] = current
                continue
            }
            lastTurn = turn
            let speaker: String? = row["speaker"]
            segments.append(
                DetectedSegment(
                    span: span, speaker: speaker, role: row["speakerRole"], startTime: row["startTime"],
                    endTime: row["endTime"], turn: segments.count + 1))
            if let speaker {
                if let index = speakers.firstIndex(where: { CodePath.fold($0.name) == CodePath.fold(speaker) }) {
                    speakers[index].turns += 1
                } else {
                    speakers.append(
                        DetectedSpeaker(
                            name: speaker, isInterviewer: row["isInterviewer"] ?? false,
                            role: row["speakerRole"], turns: 1))
                }
            }
        }
        return Segmentation(mode: .turn, segments: segments, speakers: speakers, unattributedLines: [])
    }
}
