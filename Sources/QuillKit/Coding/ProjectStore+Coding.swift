import Foundation
import GRDB

/// What a coding command did.
public struct CodingReport: Equatable, Sendable {
    /// Codings added or removed.
    public var changed = 0
    /// Codings that were already there (for `code`) or not there (for `uncode`).
    public var unchanged = 0
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
                    if try inserter.insert(codeID: codeID, sourceID: sourceID, span: span, memo: memo) {
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
                    try db.execute(literal: """
                        DELETE FROM coding WHERE sourceId = \(sourceID) AND codeId = \(codeID)
                            AND start >= \(span.start) AND "end" <= \(span.end)
                            AND (\(coder) IS NULL OR coderId = (SELECT id FROM coder WHERE name = \(coder)))
                        """)
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

/// Adds codings within one transaction, each with its stable GUID, none twice.
final class CodingInserter {
    private let db: Database
    private let coderID: Int64
    private let coderGUID: String
    private let statement: Statement
    private var guids: [String: String] = [:]

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
                                          coderID, Clock.timestamp(), memo])
        return db.changesCount > 0
    }
}
