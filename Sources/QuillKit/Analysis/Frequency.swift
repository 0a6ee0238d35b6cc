import Foundation
import GRDB

/// How often each code is used: codings, segments, sources and cases.
public struct FrequencyTable: Equatable, Sendable {
    /// One code's counts.
    public struct Row: Equatable, Sendable {
        /// The code's path.
        public var path: [String]
        /// How deep the code is: 0 at the top.
        public var depth: Int
        /// Whether the code can be applied.
        public var isCodable: Bool
        /// The number of codings.
        public var codings: Int
        /// The number of segments touched by those codings.
        public var segments: Int
        /// The number of sources with at least one coding.
        public var sources: Int
        /// The number of cases whose turns carry a coding.
        public var cases: Int
    }

    /// Whether a parent's counts include its subtree.
    public var isRolledUp: Bool
    /// The number of sources in the project.
    public var totalSources: Int
    /// The number of cases counted.
    public var totalCases: Int
    /// One row per code, in codebook order.
    public var rows: [Row]
}

/// Filters for an analysis.
public struct AnalysisFilter: Sendable, Equatable {
    /// Only these coders' codings; empty means everyone's.
    public var coders: [String] = []
    /// Leave out what interviewers say.
    public var excludesInterviewers = false

    /// Creates a filter.
    public init(coders: [String] = [], excludesInterviewers: Bool = false) {
        self.coders = coders
        self.excludesInterviewers = excludesInterviewers
    }
}

extension ProjectStore {
    /// Counts, per code, its codings and the distinct segments, sources and cases they touch.
    ///
    /// With `rollUp`, a code counts the union over itself and its descendants: a segment coded
    /// with two children of a parent counts once for the parent.
    public func frequency(rollUp: Bool, filter: AnalysisFilter = AnalysisFilter()) throws -> FrequencyTable {
        try read { db in
            let tree = try CodeTree.load(db)
            for coder in filter.coders where try Int.fetchOne(db, sql: "SELECT count(*) FROM coder WHERE name = ?", arguments: [coder]) == 0 {
                let known = try String.fetchAll(db, sql: "SELECT name FROM coder ORDER BY name")
                throw QuillError.invalidArgument("No coder is called '\(coder)'. Coders in this project: \(known.joined(separator: ", ")).")
            }
            struct Usage {
                var codings = Set<Int64>()
                var segments = Set<Int64>()
                var sources = Set<Int64>()
                var cases = Set<Int64>()
                mutating func formUnion(_ other: Usage) {
                    codings.formUnion(other.codings)
                    segments.formUnion(other.segments)
                    sources.formUnion(other.sources)
                    cases.formUnion(other.cases)
                }
            }
            var usage: [Int64: Usage] = [:]
            let coderClause = filter.coders.isEmpty ? "" :
                "AND c.coderId IN (SELECT id FROM coder WHERE name IN (\(filter.coders.map { _ in "?" }.joined(separator: ","))))"
            let rows = try GRDB.Row.fetchCursor(db, sql: """
                SELECT c.id, c.codeId, c.sourceId, g.id AS segmentId, g.caseId, ifnull(k.isInterviewer, 0) AS isInterviewer
                FROM coding c
                LEFT JOIN segment g ON g.sourceId = c.sourceId AND g.start < c."end" AND g."end" > c.start
                LEFT JOIN studyCase k ON k.id = g.caseId
                WHERE 1 \(coderClause)
                """, arguments: StatementArguments(filter.coders))
            while let row = try rows.next() {
                if filter.excludesInterviewers && (row["isInterviewer"] as Bool) { continue }
                let codeID: Int64 = row["codeId"]
                usage[codeID, default: Usage()].codings.insert(row["id"])
                usage[codeID, default: Usage()].sources.insert(row["sourceId"])
                if let segment: Int64 = row["segmentId"] { usage[codeID, default: Usage()].segments.insert(segment) }
                if let caseID: Int64 = row["caseId"] { usage[codeID, default: Usage()].cases.insert(caseID) }
            }
            if rollUp {
                for code in tree.codes.reversed() {
                    if let parent = code.parentID, let child = usage[code.id] {
                        usage[parent, default: Usage()].formUnion(child)
                    }
                }
            }
            let totalSources = try Int.fetchOne(db, sql: "SELECT count(*) FROM source") ?? 0
            let totalCases = try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT g.caseId) FROM segment g JOIN studyCase k ON k.id = g.caseId
                \(filter.excludesInterviewers ? "WHERE k.isInterviewer = 0" : "")
                """) ?? 0
            let tableRows = tree.codes.map { code in
                let counts = usage[code.id] ?? Usage()
                return FrequencyTable.Row(path: tree.path(of: code.id), depth: tree.depth(of: code.id), isCodable: code.isCodable,
                                          codings: counts.codings.count, segments: counts.segments.count,
                                          sources: counts.sources.count, cases: counts.cases.count)
            }
            return FrequencyTable(isRolledUp: rollUp, totalSources: totalSources, totalCases: totalCases, rows: tableRows)
        }
    }
}
