import Foundation
import GRDB

/// What a coding command did.
public struct CodingReport: Equatable, Sendable {
    /// Codings added or removed.
    public var changed = 0
    /// Codings that were already there (for `code`) or not there (for `uncode`).
    public var unchanged = 0
    /// For `uncode`: removed codings that also covered text outside the segments named.
    public var reachedBeyond = 0
}

/// Codes and uncodes segments by hand.
public struct CodingEditor: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Codes whole segments of a source.
    ///
    /// A coding that the coder already made is not made twice.
    /// - Parameters:
    ///   - sourceID: the source.
    ///   - numbers: segment numbers.
    ///   - codeIDs: the codes to apply.
    ///   - memo: a note kept with each new coding.
    ///   - actor: the coder and command.
    /// - Throws: `QuillError.codeNotCodable` for a grouping code.
    public func code(
        sourceID: Int64, segments numbers: [Int], codeIDs: [Int64], memo: String? = nil,
        actor: Actor
    ) throws -> CodingReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            for id in codeIDs {
                guard let code = tree.code(id) else { throw QuillError.invalidArgument("Code \(id) does not exist.") }
                guard code.isCodable else { throw QuillError.codeNotCodable(path: tree.displayPath(of: id)) }
            }
            let inserter = try CodingInserter(db, coderID: try CoderTable(db).id(named: actor.coder))
            let spans = try segmentSpans(db, sourceID: sourceID, numbers: numbers)
            var report = CodingReport()
            for span in spans {
                for codeID in codeIDs {
                    // A coding of this coder that already covers the segment (made before the
                    // source was cut into smaller units, say) codes it already.
                    let isCovered =
                        try Bool.fetchOne(
                            db,
                            sql: """
                                SELECT EXISTS (SELECT 1 FROM coding WHERE sourceId = ? AND codeId = ? AND coderId = ?
                                               AND start <= ? AND "end" >= ?)
                                """, arguments: [sourceID, codeID, inserter.coderID, span.start, span.end]) ?? false
                    if isCovered {
                        report.unchanged += 1
                    } else if try inserter.insert(codeID: codeID, sourceID: sourceID, span: span, memo: memo) {
                        report.changed += 1
                    } else {
                        report.unchanged += 1
                    }
                }
            }
            let names = codeIDs.map { tree.displayPath(of: $0) }.joined(separator: ", ")
            let source = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [sourceID]) ?? "?"
            let summary = "added \(report.changed) coding(s) on \(spans.count) segment(s) of \(source) with \(names)"
            return (report, report.changed == 0 ? nil : summary)
        }
    }

    /// Removes codings of whole segments.
    /// - Parameters:
    ///   - coder: only this coder's codings; nil removes every coder's.
    public func uncode(
        sourceID: Int64, segments numbers: [Int], codeIDs: [Int64], coder: String?,
        actor: Actor
    ) throws -> CodingReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let spans = try segmentSpans(db, sourceID: sourceID, numbers: numbers)
            var report = CodingReport()
            for span in spans {
                for codeID in codeIDs {
                    // Every coding that touches the segment goes, also one that reaches into
                    // other segments (as after cutting a source into smaller units).
                    let condition: SQL = """
                        sourceId = \(sourceID) AND codeId = \(codeID) AND start < \(span.end) AND "end" > \(span.start)
                        AND (\(coder) IS NULL OR coderId = (SELECT id FROM coder WHERE name = \(coder)))
                        """
                    report.reachedBeyond +=
                        try Int.fetchOne(
                            db,
                            SQLRequest<Int>(
                                literal: """
                                    SELECT count(*) FROM coding WHERE \(condition) AND (start < \(span.start) OR "end" > \(span.end))
                                    """)) ?? 0
                    let removed = try CodingTable(db).remove(where: condition)
                    if removed > 0 { report.changed += removed } else { report.unchanged += 1 }
                }
            }
            let names = codeIDs.map { tree.displayPath(of: $0) }.joined(separator: ", ")
            let source = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [sourceID]) ?? "?"
            return (report, report.changed == 0 ? nil : "removed \(report.changed) coding(s) of \(names) from \(source)")
        }
    }

    private func segmentSpans(_ db: Database, sourceID: Int64, numbers: [Int]) throws -> [TextSpan] {
        try numbers.map { number in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT start, \"end\" FROM segment WHERE sourceId = ? AND number = ?",
                    arguments: [sourceID, number])
            else {
                throw QuillError.badSegments("\(number)", reason: "the source has no segment \(number)")
            }
            return TextSpan(start: row["start"], end: row["end"])
        }
    }
}
