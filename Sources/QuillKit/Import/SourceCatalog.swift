import Foundation
import GRDB

/// The sources of a project, their texts and segments.
public struct SourceCatalog: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Every source, in the order they were imported.
    public func sources() throws -> [SourceSummary] {
        try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.name, s.fileName, s.format, s.segmentation, s.length, s.sha256,
                           (SELECT count(*) FROM segment g WHERE g.sourceId = s.id) AS segments,
                           (SELECT count(DISTINCT g.caseId) FROM segment g WHERE g.sourceId = s.id) AS speakers,
                           (SELECT count(*) FROM coding c WHERE c.sourceId = s.id) AS codings
                    FROM source s ORDER BY s.id
                    """
            ).map {
                SourceSummary(
                    id: $0["id"], name: $0["name"], fileName: $0["fileName"], format: $0["format"],
                    segmentation: $0["segmentation"], length: $0["length"], segments: $0["segments"],
                    speakers: $0["speakers"], codings: $0["codings"], sha256: $0["sha256"])
            }
        }
    }

    /// The source a user means: by number, by name or file name (case-insensitive), or by a
    /// prefix of the name that only one source has.
    /// - Throws: `QuillError.unknownSource` with close names, or `QuillError.ambiguousSource`.
    public func resolveSource(_ query: String) throws -> SourceSummary {
        let all = try sources()
        let typed = query.trimmingCharacters(in: .whitespaces)
        if let number = Int64(typed.hasPrefix("#") ? String(typed.dropFirst()) : typed) {
            if let match = all.first(where: { $0.id == number }) { return match }
            if !all.contains(where: { $0.name == typed }) {
                throw QuillError.refused(
                    "No source has the number \(number)"
                        + (all.isEmpty
                            ? "; the project has no sources yet."
                            : "; the numbers run from \(all.map(\.id).min() ?? 1) to \(all.map(\.id).max() ?? 1)."),
                    remedy: .listSources)
            }
        }
        let folded = typed.lowercased()
        if let match = all.first(where: { $0.name.lowercased() == folded || $0.fileName.lowercased() == folded }) {
            return match
        }
        let prefixed = all.filter { $0.name.lowercased().hasPrefix(folded) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 { throw QuillError.ambiguousSource(query, matches: prefixed.map(\.name)) }
        let close = all.filter { $0.name.lowercased().contains(folded) || EditDistance.between($0.name.lowercased(), folded) <= 3 }
        throw QuillError.unknownSource(query, suggestions: close.prefix(3).map(\.name))
    }

    /// A source's canonical text.
    public func text(ofSource id: Int64) throws -> String {
        try project.read { db in try String.fetchOne(db, sql: "SELECT text FROM source WHERE id = ?", arguments: [id]) ?? "" }
    }

    /// The segments of a source with their text and the codes on them.
    public func segments(ofSource id: Int64) throws -> [SegmentView] {
        try project.read { db in
            let text = ScalarText(try String.fetchOne(db, sql: "SELECT text FROM source WHERE id = ?", arguments: [id]) ?? "")
            let tree = try CodeTree.load(db)
            let codings = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.codeId, c.start, c."end", d.name AS coder FROM coding c JOIN coder d ON d.id = c.coderId
                    WHERE c.sourceId = ? ORDER BY c.start, c."end"
                    """, arguments: [id])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.number, g.start, g."end", g.speaker, g.speakerRole, g.startTime, g.endTime, k.name AS caseName, k.isInterviewer
                    FROM segment g LEFT JOIN studyCase k ON k.id = g.caseId
                    WHERE g.sourceId = ? ORDER BY g.number
                    """, arguments: [id])
            let spans = rows.map { TextSpan(start: $0["start"], end: $0["end"]) }
            // Each coding finds its segments by binary search: segments are in text order.
            var coders = [[Int64: Set<String>]](repeating: [:], count: rows.count)
            for coding in codings {
                let codingSpan = TextSpan(start: coding["start"], end: coding["end"])
                var low = 0
                var high = spans.count
                while low < high {
                    let middle = (low + high) / 2
                    if spans[middle].end <= codingSpan.start { low = middle + 1 } else { high = middle }
                }
                var index = low
                while index < spans.count, spans[index].start < codingSpan.end {
                    if spans[index].overlaps(codingSpan) { coders[index][coding["codeId"], default: []].insert(coding["coder"]) }
                    index += 1
                }
            }
            return rows.enumerated().map { index, row in
                let applied = coders[index].map { AppliedCode(path: tree.displayPath(of: $0.key), coders: $0.value.sorted()) }
                    .sorted { $0.path.lowercased() < $1.path.lowercased() }
                return SegmentView(
                    number: row["number"], span: spans[index], speaker: row["speaker"], caseName: row["caseName"],
                    role: row["speakerRole"], isInterviewer: row["isInterviewer"] ?? false,
                    startTime: row["startTime"], endTime: row["endTime"], text: text[spans[index]], codes: applied)
            }
        }
    }
}
