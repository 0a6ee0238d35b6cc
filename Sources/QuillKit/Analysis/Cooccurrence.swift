import Foundation

/// What two codes must share to co-occur once.
///
/// Every unit is taken from an ``AnalysisSnapshot``, so the filter has already decided which
/// sources, segments and codings count.
///
/// - `segment`: the units are the segments that are in. A code is present in a segment when
///   any of its codings touches it, wherever in the segment: two codes on different lines of
///   one turn co-occur there, and a coding that spans two segments is present in both.
/// - `overlap`: the units are the codings. n(A) is the number of codings of A. n(A∩B) is the
///   number of distinct unordered pairs of two *different* codings, one of A and the other of
///   B, whose spans share at least one character that lies in a segment that is in (in a
///   source without segments: anywhere in the source). A pair of codings counts once for a
///   pair of codes however many ways it fits them, and the diagonal is n(A), not pairs of A's
///   own codings. With roll-up, a coding is a coding of its code and of every code above it,
///   but it never pairs with itself: a parent co-occurs with its child only where a coding of
///   the child intersects another coding of the parent's subtree. Because one long coding of
///   A can intersect several codings of B, n(A∩B) can exceed n(A) or n(B), unlike in the
///   other units: P(B|A) and the c-coefficient can then exceed 1, and where n(A∩B) ≥ n(A) +
///   n(B) the c-coefficient is undefined. N, for lift, is the number of codings.
/// - `window(N)`: two codes co-occur when they are within N segments of each other in one
///   source. The units are the segments that are in; a code is present in segment *i* when
///   one of its codings touches a segment *j* of the same source with j ≤ i ≤ j + N (a window
///   that reaches N segments forward). Codes at segments *a* ≤ *b* then share a unit exactly
///   when b − a ≤ N: the units from b to a + N. Distances are segment numbers in the source,
///   so segments that a filter leaves out (an interviewer's turns, say) still count towards
///   them, although they are not units themselves. `window(0)` is `segment`; a negative N
///   counts as 0.
/// - `source`: the units are the sources that are in. A source counts once for a pair however
///   many of its segments or codings carry the two codes.
/// - `case`: the units are the cases that speak in a segment that is in. A coding counts for
///   the cases of the segments it touches.
public enum CooccurrenceUnit: Equatable, Sendable, CustomStringConvertible {
    /// The segments (speaker turns, paragraphs, sentences or lines, as the source was cut).
    case segment
    /// The codings, co-occurring when their spans intersect.
    case overlap
    /// The segments, with each code reaching the N segments after where it is, so that codes
    /// within N segments of each other meet.
    case window(Int)
    /// The sources.
    case source
    /// The cases.
    case `case`

    /// The forms ``init(argument:)`` accepts, for messages.
    public static let validForms = "segment, overlap, window:N (N a whole number, 0 or more), source or case"

    /// Reads a unit as a user writes it: `segment`, `overlap`, `window:3`, `source` or `case`.
    ///
    /// Case and surrounding spaces do not matter. Returns nil for anything else, including
    /// `window` without a number or with a negative one.
    public init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        switch text {
        case "segment": self = .segment
        case "overlap": self = .overlap
        case "source": self = .source
        case "case": self = .case
        default:
            guard text.hasPrefix("window:") else { return nil }
            let number = text.dropFirst("window:".count).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int(number) else { return nil }
            self = .window(size)
        }
    }

    /// The unit as a user writes it, as in `window:3`.
    public var description: String {
        switch self {
        case .segment: return "segment"
        case .overlap: return "overlap"
        case .window(let size): return "window:\(max(0, size))"
        case .source: return "source"
        case .case: return "case"
        }
    }

    /// What the units are called in the plural, as in `segments`.
    public var unitName: String {
        switch self {
        case .segment, .window: return "segments"
        case .overlap: return "codings"
        case .source: return "sources"
        case .case: return "cases"
        }
    }
}

/// How strongly two codes A and B go together, from n(A), n(B), n(A∩B) and the number of
/// units N.
public enum CooccurrenceMeasure: String, Sendable, CaseIterable {
    /// n(A∩B): the number of units with both codes.
    case count
    /// The Jaccard index, which is ATLAS.ti's c-coefficient: n(A∩B) / (n(A) + n(B) − n(A∩B)).
    case jaccard
    /// The same as `jaccard`, under the name ATLAS.ti gives it.
    case c
    /// P(B|A) = n(A∩B) / n(A): of the units with A (the row), the share that also have B.
    /// Not symmetric.
    case conditional
    /// n(A∩B) · N / (n(A) · n(B)): how many times more often the two codes co-occur than they
    /// would if they were independent. 1 is what chance gives.
    case lift

    /// The heading of a column of this measure.
    public var title: String {
        switch self {
        case .count: return "Count"
        case .jaccard: return "Jaccard"
        case .c: return "c"
        case .conditional: return "P(B|A)"
        case .lift: return "Lift"
        }
    }
}

/// How a co-occurrence matrix is computed.
public struct CooccurrenceOptions: Sendable, Equatable {
    /// What two codes must share to co-occur once.
    public var unit: CooccurrenceUnit = .segment
    /// Whether a code is present wherever a code below it is (each unit counted once per code).
    public var rollUp = false
    /// The smallest n(A∩B) a pair needs to be listed; pairs below it are left out of the
    /// ranked pairs and shown as blank cells in the matrix table. A pair that never
    /// co-occurs is never ranked.
    public var minimumCount = 1

    /// Creates options.
    public init(unit: CooccurrenceUnit = .segment, rollUp: Bool = false, minimumCount: Int = 1) {
        self.unit = unit
        self.rollUp = rollUp
        self.minimumCount = minimumCount
    }
}

/// Two codes that co-occur, with the value of a measure.
public struct CooccurrencePair: Sendable, Equatable {
    /// The first code, earlier in codebook order.
    public var a: Int64
    /// The second code.
    public var b: Int64
    /// n(A∩B).
    public var count: Int
    /// The measure's value for A and B (for `conditional`, P(B|A)); NaN where it is undefined.
    public var value: Double
    /// Whether the two codes' frequencies differ five-fold or more (see
    /// ``CooccurrenceMatrix/isImbalanced(_:_:)``).
    public var isImbalanced: Bool

    /// Creates a pair.
    package init(a: Int64, b: Int64, count: Int, value: Double, isImbalanced: Bool) {
        self.a = a
        self.b = b
        self.count = count
        self.value = value
        self.isImbalanced = isImbalanced
    }

    /// Pairs are equal when every field is; two undefined (NaN) values count as equal.
    public static func == (lhs: CooccurrencePair, rhs: CooccurrencePair) -> Bool {
        lhs.a == rhs.a && lhs.b == rhs.b && lhs.count == rhs.count && lhs.isImbalanced == rhs.isImbalanced
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// How often each pair of codes occurs in the same unit, computed in one pass.
///
/// The units are swept in order, keeping the codes present in the current one from the runs
/// of units each coding is present in (with roll-up, a coding stands for its code's ancestors
/// too), each code once per unit; every pair within each unit is counted. Nothing is queried per code or per pair of codes, and units without
/// codes cost nothing. See ``CooccurrenceUnit`` for what each unit counts, and
/// ``CooccurrenceMeasure`` for the measures.
public struct CooccurrenceMatrix: Sendable {
    /// How the matrix was computed.
    public let options: CooccurrenceOptions
    /// N: the number of units in the snapshot (segments, codings, sources or cases), whether
    /// or not they carry a code.
    public let totalUnits: Int
    /// The codes that occur at least once, in codebook order.
    public let codeIDs: [Int64]
    /// The ratio of the larger frequency to the smaller at which a pair is flagged.
    package static let imbalanceRatio = 5

    private let tree: CodeTree
    private let position: [Int64: Int]
    private let frequencies: [Int]
    private let pairCounts: PairCounts
    /// The positions in codebook order of `codeIDs`.
    private let occurring: [Int]

    /// Computes the matrix of a snapshot.
    package init(snapshot: AnalysisSnapshot, options: CooccurrenceOptions) {
        self.options = options
        let tree = snapshot.tree
        self.tree = tree
        var position: [Int64: Int] = [:]
        for (offset, code) in tree.codes.enumerated() { position[code.id] = offset }
        self.position = position

        // The positions a coding's code stands for: itself and, with roll-up, its ancestors.
        var presentCache: [Int64: [Int]] = [:]
        func positions(of codeID: Int64) -> [Int] {
            if let known = presentCache[codeID] { return known }
            var result: [Int] = []
            var current: Int64? = codeID
            var seen = Set<Int64>()
            while let id = current, let offset = position[id], seen.insert(id).inserted {
                result.append(offset)
                current = options.rollUp ? tree.code(id)?.parentID : nil
            }
            result.sort()
            presentCache[codeID] = result
            return result
        }
        let codesOfCoding = snapshot.codings.map { positions(of: $0.codeID) }

        var frequencies = [Int](repeating: 0, count: tree.codes.count)
        var pairCounts = PairCounts(size: tree.codes.count)
        let totalUnits: Int
        if options.unit == .overlap {
            totalUnits = snapshot.codings.count
            Self.countOverlaps(snapshot, codesOfCoding: codesOfCoding, frequencies: &frequencies, pairs: &pairCounts)
        } else {
            let units = Self.units(snapshot, options.unit)
            totalUnits = units.total
            let sweep = CodePresenceSweep(snapshot, units: units, codesOfCoding: codesOfCoding, codeCount: tree.codes.count)
            sweep.forEachUnit { codes in
                for code in codes { frequencies[code] += 1 }
                pairCounts.addPairs(of: codes)
            }
        }
        self.totalUnits = totalUnits
        self.frequencies = frequencies
        self.pairCounts = pairCounts
        occurring = tree.codes.indices.filter { frequencies[$0] > 0 }
        codeIDs = occurring.map { tree.codes[$0].id }
    }

    /// The units of every kind but `overlap`: how many there are, and the units a coding is
    /// present in, given to a closure as runs of consecutive units (a unit may come more than
    /// once).
    private static func units(_ snapshot: AnalysisSnapshot, _ unit: CooccurrenceUnit) -> CooccurrenceUnits {
        switch unit {
        case .segment, .overlap:
            return CooccurrenceUnits(total: snapshot.segments.count) { coding, visit in visit(coding.segments) }
        case .window(let size):
            let size = max(0, size)
            if size == 0 { return units(snapshot, .segment) }
            // The segments of each source that are in are consecutive, in order of their numbers:
            // for each segment, its place in the numbering and where its source's segments end.
            // The place is twice the number, and a gap (which has the number of the segment
            // before it) comes one after that segment: a window of N takes the N segments after
            // the last one touched and the gaps between them.
            let segments = snapshot.segments
            let numbers = segments.map { 2 * $0.number + ($0.isGap ? 1 : 0) }
            var sourceEnds = [Int](repeating: segments.count, count: segments.count)
            for index in segments.indices.reversed().dropFirst() {
                sourceEnds[index] = segments[index + 1].sourceID == segments[index].sourceID ? sourceEnds[index + 1] : index + 1
            }
            return CooccurrenceUnits(total: snapshot.segments.count) { coding, visit in
                // The segments a coding touches are consecutive in its source (those in
                // between lie inside its span), so its window runs from the first one's
                // place to the last one's place + 2N: at most 2N units past the last one,
                // places being distinct whole numbers.
                guard let first = coding.segments.first, let last = coding.segments.last else { return }
                let span = size.multipliedReportingOverflow(by: 2)
                let high = numbers[last].addingReportingOverflow(span.partialValue)
                let to = span.overflow || high.overflow ? Int.max : high.partialValue
                var end = last + 1
                var limit = min(sourceEnds[last], last + 1 + (size >= numbers.count ? numbers.count : 2 * size))
                // Binary search for the first segment after the window.
                while end < limit {
                    let middle = (end + limit) / 2
                    if numbers[middle] <= to { end = middle + 1 } else { limit = middle }
                }
                visit(first..<end)
            }
        case .source:
            var index: [Int64: Int] = [:]
            for (offset, source) in snapshot.sources.enumerated() { index[source.id] = offset }
            return CooccurrenceUnits(total: snapshot.sources.count) { coding, visit in
                if let unit = index[coding.sourceID] { visit(unit..<(unit + 1)) }
            }
        case .case:
            var index: [Int64: Int] = [:]
            for (offset, found) in snapshot.cases.enumerated() { index[found.id] = offset }
            let caseOfSegment = snapshot.segments.map { $0.caseID.flatMap { index[$0] } }
            return CooccurrenceUnits(total: snapshot.cases.count) { coding, visit in
                for segment in coding.segments {
                    if let unit = caseOfSegment[segment] { visit(unit..<(unit + 1)) }
                }
            }
        }
    }

    /// Counts codings and intersecting pairs of codings, one sweep per source.
    private static func countOverlaps(
        _ snapshot: AnalysisSnapshot, codesOfCoding: [[Int]],
        frequencies: inout [Int], pairs: inout PairCounts
    ) {
        var bySource: [Int64: [Int]] = [:]
        var sourceOrder: [Int64] = []
        for (offset, coding) in snapshot.codings.enumerated() {
            if bySource[coding.sourceID] == nil { sourceOrder.append(coding.sourceID) }
            bySource[coding.sourceID, default: []].append(offset)
            for code in codesOfCoding[offset] { frequencies[code] += 1 }
        }
        for sourceID in sourceOrder {
            let codings = (bySource[sourceID] ?? []).sorted { left, right in
                let x = snapshot.codings[left], y = snapshot.codings[right]
                return (x.span.start, x.span.end, x.id) < (y.span.start, y.span.end, y.id)
            }
            // Codings that started before the current one and may still reach into it.
            var active: [Int] = []
            for current in codings {
                let coding = snapshot.codings[current]
                active.removeAll { snapshot.codings[$0].span.end <= coding.span.start }
                for other in active where sharesText(snapshot.codings[other], coding, in: snapshot) {
                    // Each pair of codes the two codings stand for counts once for this pair of codings.
                    var counted = Set<PairKey>()
                    for x in codesOfCoding[other] {
                        for y in codesOfCoding[current] where x != y {
                            counted.insert(PairKey(x, y))
                        }
                    }
                    for key in counted { pairs.add(key.low, key.high) }
                }
                active.append(current)
            }
        }
    }

    /// Whether two codings of one source share a character in a segment that is in (or
    /// anywhere, in a source without segments).
    private static func sharesText(
        _ x: AnalysisSnapshot.Coding, _ y: AnalysisSnapshot.Coding,
        in snapshot: AnalysisSnapshot
    ) -> Bool {
        guard x.span.overlaps(y.span) else { return false }
        if x.segments.isEmpty || y.segments.isEmpty { return x.segments.isEmpty && y.segments.isEmpty }
        let shared = TextSpan(start: max(x.span.start, y.span.start), end: min(x.span.end, y.span.end))
        // A segment that overlaps the shared text overlaps both codings, so it is among the
        // segments of each that are in, if it is in at all.
        return x.segments.contains { snapshot.segments[$0].span.overlaps(shared) }
    }

    /// n(A): the number of units that have the code (with roll-up, the code or one below it).
    public func frequency(_ code: Int64) -> Int {
        position[code].map { frequencies[$0] } ?? 0
    }

    /// n(A∩B): the number of units that have both codes. Symmetric; `count(a, a)` is
    /// `frequency(a)`.
    public func count(_ a: Int64, _ b: Int64) -> Int {
        guard let x = position[a], let y = position[b] else { return 0 }
        return count(at: x, y)
    }

    /// n(A∩B) for two codes by their positions in codebook order.
    private func count(at x: Int, _ y: Int) -> Int {
        x == y ? frequencies[x] : pairCounts[x, y]
    }

    /// A measure for A (the row) and B (the column), or nil where it is undefined: where its
    /// denominator is 0 (a code that never occurs), or, for the c-coefficient in the `overlap`
    /// unit, where n(A∩B) ≥ n(A) + n(B). Count, Jaccard, c and lift are symmetric;
    /// conditional is P(B|A). The minimum count does not apply here.
    public func value(_ a: Int64, _ b: Int64, _ measure: CooccurrenceMeasure) -> Double? {
        value(both: count(a, b), first: frequency(a), second: frequency(b), measure)
    }

    /// A measure from n(A∩B), n(A) and n(B), as ``value(_:_:_:)`` defines it.
    private func value(both count: Int, first: Int, second: Int, _ measure: CooccurrenceMeasure) -> Double? {
        let both = Double(count)
        switch measure {
        case .count:
            return both
        case .jaccard, .c:
            let union = first + second - count
            return union > 0 ? both / Double(union) : nil
        case .conditional:
            return first > 0 ? both / Double(first) : nil
        case .lift:
            guard first > 0, second > 0 else { return nil }
            return both * Double(totalUnits) / (Double(first) * Double(second))
        }
    }

    /// Whether the two codes both occur and the larger frequency is at least five times the
    /// smaller (max(n(A), n(B)) ≥ 5 · min(n(A), n(B)) > 0).
    ///
    /// The c-coefficient of such a pair stays small even when the rarer code always occurs
    /// with the other, so it misleads, as ATLAS.ti's manual warns; read P(B|A) instead.
    public func isImbalanced(_ a: Int64, _ b: Int64) -> Bool {
        let smaller = min(frequency(a), frequency(b))
        let larger = max(frequency(a), frequency(b))
        return smaller > 0 && larger >= Self.imbalanceRatio * smaller
    }

    /// The strongest pairs of two different codes, at most `limit` of them.
    ///
    /// Each pair is listed once, with `a` before `b` in codebook order (so for `conditional`,
    /// the value is P(b|a)). Only pairs that co-occur at least `minimumCount` times (and at
    /// least once) are listed. They are ranked by value, then by count, both descending; an
    /// undefined value ranks after every defined one; ties go to the pair whose first code,
    /// then second code, comes first in the codebook.
    public func strongestPairs(by measure: CooccurrenceMeasure, limit: Int) -> [CooccurrencePair] {
        let threshold = max(1, options.minimumCount)
        let ranked = pairCounts.pairs(atLeast: threshold).map { key, count -> (PairKey, CooccurrencePair) in
            let a = tree.codes[key.low].id
            let b = tree.codes[key.high].id
            return (
                key,
                CooccurrencePair(
                    a: a, b: b, count: count, value: value(a, b, measure) ?? .nan,
                    isImbalanced: isImbalanced(a, b))
            )
        }.sorted { left, right in
            let (x, y) = (left.1, right.1)
            if x.value.isNaN != y.value.isNaN { return !x.value.isNaN }
            if !x.value.isNaN && x.value != y.value { return x.value > y.value }
            if x.count != y.count { return x.count > y.count }
            return (left.0.low, left.0.high) < (right.0.low, right.0.high)
        }
        return ranked.prefix(max(0, limit)).map(\.1)
    }

    /// The code × code matrix as a table: a first column `code`, then one column per code that
    /// occurs, keyed by its full path and headed by its name.
    ///
    /// In CSV and JSON the first column holds full paths; on a terminal and in Markdown it
    /// holds names, indented by depth. Counts are whole numbers, the other measures have three
    /// decimals. The diagonal shows n(A) for `count` and is blank for the other measures;
    /// cells of pairs below the minimum count, and undefined values, are blank. For
    /// `conditional`, the cell in row A and column B is P(B|A).
    public func table(measure: CooccurrenceMeasure, for format: OutputFormat) -> Table {
        let isReadable = format == .table || format == .md
        let columns =
            [Table.Column("code", "Code")]
            + codeIDs.map { id in
                Table.Column(tree.displayPath(of: id), tree.code(id)?.name ?? "", numeric: true)
            }
        let rows = occurring.map { x -> [Table.Cell] in
            let a = tree.codes[x].id
            let label: Table.Cell = .text(isReadable ? tree.codes[x].name : tree.displayPath(of: a))
            return [label]
                + occurring.map { y -> Table.Cell in
                    if x == y { return measure == .count ? .int(frequencies[x]) : .none }
                    let both = count(at: x, y)
                    guard both >= options.minimumCount else { return .none }
                    return cell(value(both: both, first: frequencies[x], second: frequencies[y], measure), measure)
                }
        }
        return Table(columns: columns, rows: rows, indents: isReadable ? codeIDs.map { tree.depth(of: $0) } : [])
    }

    /// The strongest pairs as a table with the columns `code_a`, `code_b`, `count`, `value`,
    /// `n_a`, `n_b` and `imbalanced`, ranked as ``strongestPairs(by:limit:)`` ranks them.
    ///
    /// Codes are written as full paths in every format, since a list of pairs does not show
    /// the tree.
    public func pairsTable(by measure: CooccurrenceMeasure, limit: Int, for format: OutputFormat) -> Table {
        Table(
            columns: [
                .init("code_a", "Code A"), .init("code_b", "Code B"), .init("count", "Count", numeric: true),
                .init("value", measure.title, numeric: true), .init("n_a", "n(A)", numeric: true),
                .init("n_b", "n(B)", numeric: true), .init("imbalanced", "Imbalanced"),
            ],
            rows: strongestPairs(by: measure, limit: limit).map { pair in
                [
                    .text(tree.displayPath(of: pair.a)), .text(tree.displayPath(of: pair.b)), .int(pair.count),
                    cell(pair.value.isNaN ? nil : pair.value, measure), .int(frequency(pair.a)), .int(frequency(pair.b)),
                    .bool(pair.isImbalanced),
                ]
            })
    }

    private func cell(_ value: Double?, _ measure: CooccurrenceMeasure) -> Table.Cell {
        guard let value, value.isFinite else { return .none }
        return measure == .count ? .int(Int(value)) : .decimal(value, places: 3)
    }
}

extension ProjectAnalysis {
    /// The co-occurrence of every pair of codes in the coded material that passes a filter.
    /// - Throws: `QuillError.invalidArgument` when the filter names a coder, source, case or
    ///   attribute the project does not have.
    public func cooccurrence(_ options: CooccurrenceOptions, filter: AnalysisFilter) throws -> CooccurrenceMatrix {
        CooccurrenceMatrix(snapshot: try snapshot(filter), options: options)
    }
}
