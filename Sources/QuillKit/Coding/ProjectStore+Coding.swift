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

extension ProjectStore {
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
    public func code(sourceID: Int64, segments numbers: [Int], codeIDs: [Int64], memo: String? = nil,
                     actor: Actor) throws -> CodingReport {
        try change(actor) { db in
            let tree = try CodeTree.load(db)
            for id in codeIDs {
                guard let code = tree.code(id) else { throw QuillError.invalidArgument("Code \(id) does not exist.") }
                guard code.isCodable else { throw QuillError.codeNotCodable(path: tree.displayPath(of: id)) }
            }
            let inserter = try CodingInserter(db, coderID: try coderID(db, name: actor.coder))
            let spans = try segmentSpans(db, sourceID: sourceID, numbers: numbers)
            var report = CodingReport()
            for span in spans {
                for codeID in codeIDs {
                    // A coding of this coder that already covers the segment (made before the
                    // source was cut into smaller units, say) codes it already.
                    let isCovered = try Bool.fetchOne(db, sql: """
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
    public func uncode(sourceID: Int64, segments numbers: [Int], codeIDs: [Int64], coder: String?,
                       actor: Actor) throws -> CodingReport {
        try change(actor) { db in
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
                    report.reachedBeyond += try Int.fetchOne(db, SQLRequest<Int>(literal: """
                        SELECT count(*) FROM coding WHERE \(condition) AND (start < \(span.start) OR "end" > \(span.end))
                        """)) ?? 0
                    try recordRejectedSuggestions(db, where: condition)
                    try db.execute(literal: "DELETE FROM coding WHERE \(condition)")
                    if db.changesCount > 0 { report.changed += db.changesCount } else { report.unchanged += 1 }
                }
            }
            let names = codeIDs.map { tree.displayPath(of: $0) }.joined(separator: ", ")
            let source = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [sourceID]) ?? "?"
            return (report, report.changed == 0 ? nil : "removed \(report.changed) coding(s) of \(names) from \(source)")
        }
    }

    private func segmentSpans(_ db: Database, sourceID: Int64, numbers: [Int]) throws -> [TextSpan] {
        try numbers.map { number in
            guard let row = try Row.fetchOne(db, sql: "SELECT start, \"end\" FROM segment WHERE sourceId = ? AND number = ?",
                                             arguments: [sourceID, number]) else {
                throw QuillError.badSegments("\(number)", reason: "the source has no segment \(number)")
            }
            return TextSpan(start: row["start"], end: row["end"])
        }
    }
}

extension ProjectStore {
    /// Remembers the autocode codings about to be removed, so that autocoding does not
    /// suggest them again.
    func recordRejectedSuggestions(_ db: Database, where condition: SQL) throws {
        try db.execute(literal: """
            INSERT OR IGNORE INTO rejectedSuggestion(codeId, sourceId, start, "end")
            SELECT codeId, sourceId, start, "end" FROM coding
            WHERE \(condition) AND coderId = (SELECT id FROM coder WHERE name = \(Self.autocoder))
            """)
    }
}

/// Adds codings within one transaction, each with its stable GUID, none twice.
final class CodingInserter {
    private let db: Database
    let coderID: Int64
    private let coderGUID: String
    private let statement: Statement
    private var guids: [String: String] = [:]
    /// One time for all the codings of a change, which is one act.
    private let createdAt = Clock.timestamp()

    init(_ db: Database, coderID: Int64) throws {
        self.db = db
        self.coderID = coderID
        coderGUID = try String.fetchOne(db, sql: "SELECT guid FROM coder WHERE id = ?", arguments: [coderID]) ?? ""
        statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO coding(guid, codeId, sourceId, start, "end", coderId, createdAt, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    private func guid(_ table: String, _ id: Int64) throws -> String {
        let key = "\(table)/\(id)"
        if let known = guids[key] { return known }
        let guid = try String.fetchOne(db, sql: "SELECT guid FROM \(table) WHERE id = ?", arguments: [id]) ?? ""
        guids[key] = guid
        return guid
    }

    /// Adds a coding unless this coder already has it; returns whether it was added.
    func insert(codeID: Int64, sourceID: Int64, span: TextSpan, memo: String?) throws -> Bool {
        let key = "\(try guid("source", sourceID))/\(span.start)/\(span.end)/\(try guid("code", codeID))/\(coderGUID)"
        try statement.execute(arguments: [StableID.make("coding", key), codeID, sourceID, span.start, span.end,
                                          coderID, createdAt, memo])
        return db.changesCount > 0
    }
}
