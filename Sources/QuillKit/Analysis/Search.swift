import Foundation
import GRDB

/// A search over segments: words in their text, codes on them or near them.
public struct SearchQuery: Sendable, Equatable {
    /// Words to find, in SQLite FTS5 syntax (`"evidence search"`, `librar*`, `audit OR review`,
    /// `NEAR(data quality, 5)`); plain words must all occur. Case and accents are ignored.
    public var text: String?
    /// Codes that must all be on the segment (or within `near` segments of it).
    public var allCodes: [Int64]
    /// Codes of which at least one must be there.
    public var anyCodes: [Int64]
    /// Codes that must not be there.
    public var noCodes: [Int64]
    /// How many segments away, in the same source, a code may be and still count; nil for the
    /// segment itself.
    public var near: Int?
    /// Whether a code stands for its whole subtree.
    public var rollUp: Bool

    /// Creates a query.
    public init(
        text: String? = nil, allCodes: [Int64] = [], anyCodes: [Int64] = [], noCodes: [Int64] = [],
        near: Int? = nil, rollUp: Bool = false
    ) {
        self.text = text
        self.allCodes = allCodes
        self.anyCodes = anyCodes
        self.noCodes = noCodes
        self.near = near
        self.rollUp = rollUp
    }
}

extension ProjectAnalysis {
    /// The segments that match a search, in reading order, as indexes into the snapshot.
    /// - Throws: `QuillError.invalidArgument` for a malformed full-text query.
    public func search(_ query: SearchQuery, filter: AnalysisFilter) throws -> (snapshot: AnalysisSnapshot, segments: [Int]) {
        let snapshot = try snapshot(filter)
        var textMatches: Set<Int64>?
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let expression = Self.ftsExpression(text)
            func matches() throws -> Set<Int64> {
                Set(
                    try project.read { db in
                        try Int64.fetchAll(db, sql: "SELECT rowid FROM segmentSearch WHERE segmentSearch MATCH ?", arguments: [expression])
                    })
            }
            do {
                // The query is tried before the index takes in new sources, so that a query
                // that is not valid leaves the project exactly as it was.
                textMatches = try matches()
                if try SearchIndex(project).updateSearchIndex() > 0 { textMatches = try matches() }
            } catch let error as DatabaseError {
                throw QuillError.invalidArgument(
                    "The search '\(text)' is not a valid query (\(error.message ?? "syntax error")). "
                        + "Write words, \"a phrase\", word*, AND, OR, NOT, or NEAR(a b, 5); put a word with other characters in double quotes.")
            }
        }
        let codesAt = snapshot.codesBySegment(rollUp: query.rollUp)
        let reach = min(max(0, query.near ?? 0), snapshot.segments.count)
        func codesAround(_ index: Int) -> Set<Int64> {
            guard reach > 0 else { return codesAt[index] }
            var result = Set<Int64>()
            let source = snapshot.segments[index].sourceID
            for other in max(0, index - reach)...min(snapshot.segments.count - 1, index + reach)
            where snapshot.segments[other].sourceID == source && abs(snapshot.segments[other].number - snapshot.segments[index].number) <= reach {
                result.formUnion(codesAt[other])
            }
            return result
        }
        let matches = snapshot.segments.indices.filter { index in
            if let textMatches, !textMatches.contains(snapshot.segments[index].id) { return false }
            guard !query.allCodes.isEmpty || !query.anyCodes.isEmpty || !query.noCodes.isEmpty else { return true }
            let present = codesAround(index)
            return query.allCodes.allSatisfy(present.contains)
                && (query.anyCodes.isEmpty || query.anyCodes.contains(where: present.contains))
                && !query.noCodes.contains(where: present.contains)
        }
        return (snapshot, matches)
    }

    /// A user's search as an FTS5 expression: kept as written when it uses FTS5 syntax, else
    /// each word quoted, so that `can't` or `e-mail` search for themselves.
    static func ftsExpression(_ text: String) -> String {
        let operators = ["AND", "OR", "NOT"]
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let usesSyntax =
            text.contains("\"") || text.contains("*") || text.contains("(") || text.hasPrefix("NEAR")
            || words.contains(where: operators.contains)
        guard !usesSyntax else { return text }
        return words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
    }
}

extension AnalysisSnapshot {
    /// The codes on each segment (any coding touching it), by segment index; with `rollUp`,
    /// each code also stands for every code above it.
    package func codesBySegment(rollUp: Bool) -> [Set<Int64>] {
        codesBySegment(rollUp: rollUp, carrying: nil)
    }

    /// ``codesBySegment(rollUp:)`` for the segments that carry one of some codes (all segments
    /// for nil); the others get no codes, so a query that names codes gathers only what
    /// it can show.
    func codesBySegment(rollUp: Bool, carrying wanted: Set<Int64>?) -> [Set<Int64>] {
        // The codes a coding of each code stands for: itself and, with roll-up, those above it.
        var standsFor: [Int64: [Int64]] = [:]
        func codes(of codeID: Int64) -> [Int64] {
            if let known = standsFor[codeID] { return known }
            var codes: [Int64] = [codeID]
            if rollUp {
                var parent = tree.code(codeID)?.parentID
                while let id = parent, !codes.contains(id) {
                    codes.append(id)
                    parent = tree.code(id)?.parentID
                }
            }
            standsFor[codeID] = codes
            return codes
        }
        var isWanted = [Bool](repeating: wanted == nil, count: segments.count)
        if let wanted {
            for coding in codings where codes(of: coding.codeID).contains(where: wanted.contains) {
                for index in coding.segments { isWanted[index] = true }
            }
        }
        var codesAt = [Set<Int64>](repeating: [], count: segments.count)
        for coding in codings {
            for index in coding.segments where isWanted[index] { codesAt[index].formUnion(codes(of: coding.codeID)) }
        }
        return codesAt
    }

    /// A segment of the snapshot as an excerpt, with the paths of some codes.
    /// - Parameters:
    ///   - index: the segment's index in `segments`.
    ///   - codes: the codes to list with it, in the order given.
    public func excerpt(at index: Int, codes: [Int64]) -> Excerpt {
        let segment = segments[index]
        let source = self.source(segment.sourceID)
        let text = source.map { $0.scalars[segment.span] } ?? ""
        return Excerpt(
            source: source?.name ?? "", segment: segment.isGap ? nil : segment.number, speaker: segment.speaker,
            caseName: segment.caseID.flatMap { self.case($0)?.name }, span: segment.span, text: text,
            codes: codes.map { tree.displayPath(of: $0) })
    }
}

extension ProjectAnalysis {
    /// The segments that match a search, as excerpts listing the codes on each.
    public func searchExcerpts(_ query: SearchQuery, filter: AnalysisFilter) throws -> [Excerpt] {
        let (snapshot, matches) = try search(query, filter: filter)
        let codesAt = snapshot.codesBySegment(rollUp: false)
        let order = Dictionary(uniqueKeysWithValues: snapshot.tree.codes.enumerated().map { ($1.id, $0) })
        return matches.map { index in
            let codes = codesAt[index].sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
            return snapshot.excerpt(at: index, codes: codes)
        }
    }
}
