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
            let inserter = try CodingTable(db).inserter(forCoder: actor.coder)
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
        try numbers.map { try SegmentTable(db).span(sourceID: sourceID, number: $0) }
    }
}

extension CodingEditor {
    /// Adds and removes a coder's codes on one whole segment, as one change.
    ///
    /// Codes the coder already has on the segment are not added again; only the coder's
    /// codings of exactly the segment are removed.
    package func recode(sourceID: Int64, number: Int, add: [Int64], remove: [Int64], actor: Actor) throws -> SheetReport {
        try project.change(actor) { db in
            let span = try SegmentTable(db).span(sourceID: sourceID, number: number)
            let tree = try CodeTree.load(db)
            for id in add {
                guard let code = tree.code(id) else { throw QuillError.invalidArgument("Code \(id) does not exist.") }
                guard code.isCodable else { throw QuillError.codeNotCodable(path: tree.displayPath(of: id)) }
            }
            let name = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [sourceID]) ?? "?"
            let coderID = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [actor.coder])
            let current = try SegmentCodingEditor.codes(db, sourceID: sourceID, coderID: coderID, span: span)
            let adding = add.filter { !current.covering.contains($0) }
            let removing = remove.filter { current.exact.contains($0) }
            var report = SheetReport(source: name, coder: actor.coder)
            report.changes =
                adding.map { SheetChange(segment: number, code: tree.displayPath(of: $0), isAdded: true) }
                + removing.map { SheetChange(segment: number, code: tree.displayPath(of: $0), isAdded: false) }
            guard !report.changes.isEmpty else { return (report, nil) }
            try SegmentCodingEditor(db, sourceID: sourceID, coder: actor.coder).apply(span: span, add: adding, remove: removing)
            let changes = report.changes.map { ($0.isAdded ? "+" : "-") + $0.code }.joined(separator: ", ")
            return (report, "coded segment \(number) of \(name): \(changes)")
        }
    }

    /// The segment where a coder stopped in `quill code -i` on a source, if any.
    package func codingPosition(sourceID: Int64, coder: String) throws -> Int? {
        try project.read { db in
            try Int.fetchOne(db, sql: "SELECT number FROM codingPosition WHERE sourceId = ? AND coder = ?", arguments: [sourceID, coder])
        }
    }

    /// Remembers where a coder is in a source. This is a place, not a change to the research,
    /// so it has no history entry and `quill undo` passes over it.
    package func setCodingPosition(sourceID: Int64, coder: String, number: Int, actor: Actor) throws {
        try project.change(actor) { db in
            try CoderTable(db).setPosition(sourceID: sourceID, coder: coder, number: number)
            return ((), nil)
        }
    }
}

/// Adds and removes one coder's codings of whole segments within one transaction.
struct SegmentCodingEditor {
    private let db: Database
    private let sourceID: Int64
    private let inserter: CodingInserter

    init(_ db: Database, sourceID: Int64, coder: String) throws {
        self.db = db
        self.sourceID = sourceID
        inserter = try CodingTable(db).inserter(forCoder: coder)
    }

    /// The codes a coder has on a segment: on exactly its span, and on a span that covers it
    /// (which includes the exact ones).
    static func codes(_ db: Database, sourceID: Int64, coderID: Int64?, span: TextSpan) throws -> (exact: [Int64], covering: Set<Int64>) {
        guard let coderID else { return ([], []) }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT codeId, start, "end" FROM coding WHERE sourceId = ? AND coderId = ? AND start <= ? AND "end" >= ? ORDER BY codeId
                """, arguments: [sourceID, coderID, span.start, span.end])
        let exact = rows.filter { $0["start"] == span.start && $0["end"] == span.end }.map { $0["codeId"] as Int64 }
        return (exact, Set(rows.map { $0["codeId"] as Int64 }))
    }

    /// Adds codings of the whole span and removes the coder's codings of exactly the span.
    func apply(span: TextSpan, add: [Int64], remove: [Int64]) throws {
        for codeID in add {
            _ = try inserter.insert(codeID: codeID, sourceID: sourceID, span: span, memo: nil)
        }
        for codeID in remove {
            let condition: SQL = """
                sourceId = \(sourceID) AND codeId = \(codeID) AND coderId = \(inserter.coderID) AND start = \(span.start) AND "end" = \(span.end)
                """
            _ = try CodingTable(db).remove(where: condition)
        }
    }
}
