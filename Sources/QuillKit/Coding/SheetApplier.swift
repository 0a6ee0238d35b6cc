import Foundation
import GRDB

/// One coding a sheet adds or removes.
public struct SheetChange: Equatable, Sendable {
    /// The segment number.
    public var segment: Int
    /// The code's path.
    public var code: String
    /// Whether the coding is added (else removed).
    public var isAdded: Bool
}

/// What applying a coding sheet does (or, in a dry run, would do).
public struct SheetReport: Equatable, Sendable {
    /// The source's name.
    public var source: String
    /// The coder.
    public var coder: String
    /// Every coding added or removed, by segment.
    public var changes: [SheetChange] = []

    /// Codings added.
    public var added: Int { changes.filter(\.isAdded).count }
    /// Codings removed.
    public var removed: Int { changes.count - added }
    /// Segments whose codes changed.
    public var segments: Int { Set(changes.map(\.segment)).count }

    /// "added 2, removed 1 codings on 2 segments".
    public var summary: String {
        "added \(added), removed \(removed) coding\(removed == 1 ? "" : "s") on \(segments) segment\(segments == 1 ? "" : "s")"
    }
}

/// Writes coding sheets and applies edited ones.
public struct SheetApplier: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// The coding sheet of a source for a coder: every segment with the coder's codes on it.
    public func codingSheet(sourceID: Int64, coder: String) throws -> CodingSheet {
        try project.read { db in
            guard let source = try Row.fetchOne(db, sql: "SELECT name, fileName, guid, text FROM source WHERE id = ?", arguments: [sourceID]) else {
                throw QuillError.invalidArgument("No source has the number \(sourceID).")
            }
            let text: String = source["text"]
            let scalars = ScalarText(text)
            let tree = try CodeTree.load(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.number, g.start, g."end", g.speaker, g.speakerRole, ifnull(k.isInterviewer, 0) AS isInterviewer
                    FROM segment g LEFT JOIN studyCase k ON k.id = g.caseId WHERE g.sourceId = ? ORDER BY g.number
                    """, arguments: [sourceID])
            let spans = rows.map { TextSpan(start: $0["start"], end: $0["end"]) }
            let codings = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.codeId, c.start, c."end" FROM coding c JOIN coder d ON d.id = c.coderId
                    WHERE c.sourceId = ? AND d.name = ? ORDER BY c.start, c."end"
                    """, arguments: [sourceID, coder])
            var exact = [Set<Int64>](repeating: [], count: rows.count)
            var other = [Set<Int64>](repeating: [], count: rows.count)
            for coding in codings {
                let span = TextSpan(start: coding["start"], end: coding["end"])
                for index in Self.segmentIndices(overlapping: span, in: spans) {
                    if spans[index] == span { exact[index].insert(coding["codeId"]) } else { other[index].insert(coding["codeId"]) }
                }
            }
            let paths = { (ids: Set<Int64>) in ids.map { tree.displayPath(of: $0) }.sorted { $0.lowercased() < $1.lowercased() } }
            let entries = rows.enumerated().map { index, row in
                CodingSheet.Entry(
                    number: row["number"], span: spans[index], speaker: row["speaker"], role: row["speakerRole"],
                    isInterviewer: row["isInterviewer"], text: scalars[spans[index]],
                    codes: paths(exact[index]), otherCodes: paths(other[index].subtracting(exact[index])))
            }
            let digest = SourceDigest.make(text: text, segments: entries.map { ($0.number, $0.span) })
            return CodingSheet(
                sourceName: source["name"], fileName: source["fileName"], sourceGUID: source["guid"],
                digest: digest, coder: coder, entries: entries)
        }
    }

    /// The indices of the segments (sorted, not overlapping) that share text with a span.
    static func segmentIndices(overlapping span: TextSpan, in spans: [TextSpan]) -> [Int] {
        var low = 0
        var high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].end <= span.start { low = middle + 1 } else { high = middle }
        }
        var indices: [Int] = []
        while low < spans.count, spans[low].start < span.end {
            if spans[low].overlaps(span) { indices.append(low) }
            low += 1
        }
        return indices
    }

    /// Applies a coding sheet: exactly the differences between its `codes:` lines and the
    /// sheet coder's whole-segment codings, in one change.
    ///
    /// A listed code that the coder has not got on the segment is added on the whole segment;
    /// a whole-segment coding of the coder whose code is no longer listed is removed. Codings of
    /// other coders, codings of part of a segment or reaching beyond it, and segments whose
    /// block has no `codes:` line are not changed.
    /// - Parameters:
    ///   - sheet: the sheet as read.
    ///   - isDryRun: work out the changes but make none.
    ///   - command: the command line, for the history (the coder is the sheet's).
    /// - Throws: `QuillError.badInput` naming the sheet file and line of the first problem: a
    ///   sheet for another project or an earlier version of the source, a damaged marker, an
    ///   unknown, ambiguous or grouping code. Then nothing is changed.
    public func applySheet(_ sheet: ParsedSheet, isDryRun: Bool = false, command: String) throws -> SheetReport {
        if isDryRun {
            return try project.read { db in try planSheet(db, sheet).report }
        }
        return try project.change(Actor(coder: sheet.coder, command: command)) { db in
            let plan = try planSheet(db, sheet)
            guard !plan.report.changes.isEmpty else { return (plan.report, nil) }
            let editor = try SegmentCodingEditor(db, sourceID: plan.sourceID, coder: sheet.coder)
            for segment in plan.segments {
                try editor.apply(span: segment.span, add: segment.add, remove: segment.remove)
            }
            return (plan.report, "sheet of \(plan.report.source) for \(sheet.coder): \(plan.report.summary)")
        }
    }

    private struct SheetPlan {
        var sourceID: Int64
        var segments: [(span: TextSpan, add: [Int64], remove: [Int64])]
        var report: SheetReport
    }

    /// Checks a sheet against the project and works out its changes.
    private func planSheet(_ db: Database, _ sheet: ParsedSheet) throws -> SheetPlan {
        let path = sheet.path
        let guid = StableID.normalized(sheet.sourceGUID) ?? sheet.sourceGUID
        guard let source = try Row.fetchOne(db, sql: "SELECT id, name, text FROM source WHERE guid = ?", arguments: [guid]) else {
            throw QuillError.badInputRemedied(
                path: path, problem: "it is a sheet for the source with GUID \(sheet.sourceGUID), which is not in this project",
                remedy: .applyToSourceProject)
        }
        let sourceID: Int64 = source["id"]
        let name: String = source["name"]
        let text: String = source["text"]
        let scalars = ScalarText(text)
        let segments = try Row.fetchAll(
            db, sql: "SELECT number, start, \"end\" FROM segment WHERE sourceId = ? ORDER BY number",
            arguments: [sourceID]
        ).map { (number: $0["number"] as Int, span: TextSpan(start: $0["start"], end: $0["end"])) }
        let digest = SourceDigest.make(text: text, segments: segments)
        guard digest == sheet.digest.lowercased() else {
            throw QuillError.badInputRemedied(
                path: path,
                problem:
                    "it was written for an earlier version of '\(name)', which has been resegmented or changed since (the sheet's digest is \(sheet.digest), the source's is now \(digest))",
                remedy: .writeNewSheet(source: name))
        }
        let byNumber = Dictionary(uniqueKeysWithValues: segments.map { ($0.number, $0.span) })
        let tree = try CodeTree.load(db)
        let coderID = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [sheet.coder])
        var plan = SheetPlan(sourceID: sourceID, segments: [], report: SheetReport(source: name, coder: sheet.coder))
        // Every block is checked before any change is worked out, so the first problem in the
        // file is the one reported.
        var resolved: [(span: TextSpan, number: Int, codes: [Int64])] = []
        for block in sheet.blocks {
            guard let span = byNumber[block.number] else {
                throw QuillError.badInputRemedied(
                    path: path, problem: "line \(block.line): the source '\(name)' has no segment \(block.number)",
                    remedy: .restoreMarker(source: name))
            }
            guard span == block.span, CodingSheet.textHash(scalars[span]) == block.hash else {
                throw QuillError.badInputRemedied(
                    path: path,
                    problem:
                        "line \(block.line): the marker of segment \(block.number) does not match that segment of '\(name)' (was the marker edited?)",
                    remedy: .restoreMarker(source: name))
            }
            guard let codes = block.codes else { continue }
            var ids: [Int64] = []
            for typed in codes.names {
                let code: Code
                do {
                    code = try tree.resolve(typed)
                } catch let error as QuillError {
                    throw QuillError.badInputCause(
                        path: path, place: "line \(codes.line): ", cause: error,
                        remedy: "Correct the line and apply the sheet again. Nothing was applied.")
                }
                guard code.isCodable else {
                    throw QuillError.badInputCause(
                        path: path, place: "line \(codes.line): ", cause: QuillError.codeNotCodable(path: tree.displayPath(of: code.id)),
                        remedy: "Correct the line and apply the sheet again. Nothing was applied.")
                }
                if !ids.contains(code.id) { ids.append(code.id) }
            }
            resolved.append((span, block.number, ids))
        }
        for (span, number, wanted) in resolved.sorted(by: { $0.number < $1.number }) {
            let current = try SegmentCodingEditor.codes(db, sourceID: sourceID, coderID: coderID, span: span)
            let add = wanted.filter { !current.covering.contains($0) }
            let remove = current.exact.filter { !wanted.contains($0) }.sorted {
                tree.displayPath(of: $0).lowercased() < tree.displayPath(of: $1).lowercased()
            }
            guard !add.isEmpty || !remove.isEmpty else { continue }
            plan.segments.append((span, add, remove))
            plan.report.changes += add.map { SheetChange(segment: number, code: tree.displayPath(of: $0), isAdded: true) }
            plan.report.changes += remove.map { SheetChange(segment: number, code: tree.displayPath(of: $0), isAdded: false) }
        }
        return plan
    }
}
