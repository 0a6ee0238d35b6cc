import Foundation

/// Which segments to pull out as excerpts: those coded with every one of `codes`, with at least
/// one of `anyOf` (when it is not empty), and with none of `excluding`.
///
/// ```swift
/// // Everything coded Barriers and also Funding, but not Enabler, sub-codes included.
/// let query = ExcerptQuery(codes: [barriers, funding], excluding: [enabler], rollUp: true)
/// let found = excerpts(query, in: try ProjectAnalysis(store).snapshot())
/// ```
///
/// With neither `codes` nor `anyOf`, every coded segment without an excluded code is an excerpt.
public struct ExcerptQuery: Sendable, Equatable {
    /// Codes that must all be on the segment ("coded X and also Y").
    public var codes: [Int64]
    /// Codes of which at least one must be on the segment; empty means no such condition.
    public var anyOf: [Int64]
    /// Codes that must not be on the segment ("not Z").
    public var excluding: [Int64]
    /// Whether a code also counts as present when one of its descendants is.
    public var rollUp: Bool

    /// Creates a query.
    public init(codes: [Int64] = [], anyOf: [Int64] = [], excluding: [Int64] = [], rollUp: Bool = false) {
        self.codes = codes
        self.anyOf = anyOf
        self.excluding = excluding
        self.rollUp = rollUp
    }
}

/// A segment that a query found, with where it is and what it says.
public struct Excerpt: Sendable, Equatable {
    /// The source's name.
    public var source: String
    /// The segment's number within its source, from 1; nil for text between segments (a
    /// title before the first turn, say) that a coding lies in.
    public var segment: Int?
    /// The speaker as written.
    public var speaker: String?
    /// The speaker's case.
    public var caseName: String?
    /// The segment's place in the source's text.
    public var span: TextSpan
    /// The segment's text.
    public var text: String
    /// The paths of the query's codes that are on the segment, in the query's order; for a
    /// query without `codes` or `anyOf`, the paths of every code on the segment, in codebook order.
    public var codes: [String]

    /// Creates an excerpt.
    package init(source: String, segment: Int?, speaker: String?, caseName: String?, span: TextSpan, text: String, codes: [String]) {
        self.source = source
        self.segment = segment
        self.speaker = speaker
        self.caseName = caseName
        self.span = span
        self.text = text
        self.codes = codes
    }

    /// Where it is, for people: `#12`, or `(between segments)`.
    public var place: String { segment.map { "#\($0)" } ?? "(between segments)" }
}

/// The segments of a snapshot that satisfy a query, in reading order (sources in import order,
/// then segment number).
///
/// The unit is the segment: a segment carries a code when a coding of that code touches it, and
/// a coding that touches several segments puts its code on each. Filters are those of the
/// snapshot: only its segments and its coders' codings count.
public func excerpts(_ query: ExcerptQuery, in snapshot: AnalysisSnapshot) -> [Excerpt] {
    let tree = snapshot.tree
    // With roll-up, a coding of a code counts for the code and every code above it. When the
    // query names codes, only segments with one of them can be excerpts.
    let named = unique(query.codes + query.anyOf)
    let codesAt = snapshot.codesBySegment(rollUp: query.rollUp, carrying: named.isEmpty ? nil : Set(named))
    let order = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
    return codesAt.indices.compactMap { index in
        let present = codesAt[index]
        guard !present.isEmpty, query.codes.allSatisfy(present.contains),
            query.anyOf.isEmpty || query.anyOf.contains(where: present.contains),
            !query.excluding.contains(where: present.contains)
        else { return nil }
        let shown =
            named.isEmpty
            ? present.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
            : named.filter(present.contains)
        return snapshot.excerpt(at: index, codes: shown)
    }
}

/// The ids in their first order, each once.
private func unique(_ ids: [Int64]) -> [Int64] {
    var seen = Set<Int64>()
    return ids.filter { seen.insert($0).inserted }
}

extension Excerpt {
    /// The separator between code paths in the `codes` column of CSV, JSON and Markdown.
    package static let codeSeparator = "; "

    /// Excerpts as rows and columns: source, segment, speaker, case, start, end, codes, text.
    /// Offsets are Unicode scalar offsets into the source's text, the end excluded.
    public static func table(_ excerpts: [Excerpt], for format: OutputFormat) -> Table {
        Table(
            columns: [
                .init("source", "Source"), .init("segment", "Segment", numeric: true), .init("speaker", "Speaker"),
                .init("case", "Case"), .init("start", "Start", numeric: true), .init("end", "End", numeric: true),
                .init("codes", "Codes"), .init("text", "Text"),
            ],
            rows: excerpts.map { excerpt in
                [
                    .text(excerpt.source), excerpt.segment.map(Table.Cell.int) ?? .none, excerpt.speaker.map(Table.Cell.text) ?? .none,
                    excerpt.caseName.map(Table.Cell.text) ?? .none, .int(excerpt.span.start), .int(excerpt.span.end),
                    .text(excerpt.codes.joined(separator: codeSeparator)),
                    .text(format == .csv || format == .json ? excerpt.text : excerpt.text.trimmingCharacters(in: .whitespacesAndNewlines)),
                ]
            })
    }
}
