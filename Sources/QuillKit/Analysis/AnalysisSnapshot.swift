import Foundation
import GRDB

/// Filters for an analysis: which coders' codings, and which segments, count.
public struct AnalysisFilter: Sendable, Equatable {
    /// Only these coders' codings; empty means everyone's.
    public var coders: [String]
    /// Leave out what interviewers say.
    public var excludesInterviewers: Bool
    /// Only these sources (names); empty means all.
    public var sources: [String]
    /// Only what these cases say (names); empty means all.
    public var cases: [String]
    /// Only what cases with these attribute values say: `role=librarian`. Several conditions on
    /// one attribute are alternatives; conditions on different attributes must all hold.
    public var attributeConditions: [(name: String, value: String)]

    /// Creates a filter.
    public init(
        coders: [String] = [], excludesInterviewers: Bool = false, sources: [String] = [], cases: [String] = [],
        attributeConditions: [(name: String, value: String)] = []
    ) {
        self.coders = coders
        self.excludesInterviewers = excludesInterviewers
        self.sources = sources
        self.cases = cases
        self.attributeConditions = attributeConditions
    }

    public static func == (lhs: AnalysisFilter, rhs: AnalysisFilter) -> Bool {
        lhs.coders == rhs.coders && lhs.excludesInterviewers == rhs.excludesInterviewers && lhs.sources == rhs.sources
            && lhs.cases == rhs.cases && lhs.attributeConditions.map(\.name) == rhs.attributeConditions.map(\.name)
            && lhs.attributeConditions.map(\.value) == rhs.attributeConditions.map(\.value)
    }

    /// Whether the filter keeps everything.
    public var isEmpty: Bool {
        coders.isEmpty && !excludesInterviewers && sources.isEmpty && cases.isEmpty && attributeConditions.isEmpty
    }

    /// The filter in words, for reports: `coders alice; interviewers left out`.
    public var summary: String {
        var parts: [String] = []
        if !coders.isEmpty { parts.append("coders " + coders.joined(separator: ", ")) }
        if !sources.isEmpty { parts.append("sources " + sources.joined(separator: ", ")) }
        if !cases.isEmpty { parts.append("cases " + cases.joined(separator: ", ")) }
        if !attributeConditions.isEmpty { parts.append(attributeConditions.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")) }
        if excludesInterviewers { parts.append("interviewers left out") }
        return parts.isEmpty ? "everything" : parts.joined(separator: "; ")
    }
}

/// The coded material of a project, loaded once with a filter applied, from which every
/// analysis is computed in one pass: never a query per code or per pair of codes.
///
/// A segment is *in* when its source, case and case attributes pass the filter (and it is not
/// an interviewer's, if they are left out). A coding is *in* when its coder passes and it
/// touches at least one segment that is in; its `segments` are those segments, in reading
/// order. A coding that touches no segment at all (a title before the first speaker turn, the
/// gap between two turns, a source without segments) is in as well, unless the filter names
/// cases or case attributes, which text outside every turn has none of. So that it counts in
/// every analysis, the gap it lies in (all the text between the segments around it, or from
/// the start or to the end of the text) becomes a unit of its own: a segment marked as a gap,
/// without a speaker, with the number of the segment before it, in reading order among the
/// others, touched by every coding that is in and overlaps it. Units never overlap.
public struct AnalysisSnapshot: Sendable {
    /// A source.
    public struct Source: Sendable, Equatable {
        /// Its id.
        public var id: Int64
        /// Its name.
        public var name: String
        /// Its canonical text.
        public var text: String {
            didSet { lazyScalars = LazyScalars(text) }
        }
        /// The same text as scalars, to cut segments out of: made on first use, since only the
        /// analyses that quote the text need it.
        public var scalars: ScalarText { lazyScalars.value }
        private var lazyScalars: LazyScalars

        /// Creates a source.
        package init(id: Int64, name: String, text: String) {
            self.id = id
            self.name = name
            self.text = text
            lazyScalars = LazyScalars(text)
        }

        public static func == (lhs: Source, rhs: Source) -> Bool {
            lhs.id == rhs.id && lhs.name == rhs.name && lhs.text == rhs.text
        }
    }

    /// A case.
    public struct Case: Sendable, Equatable {
        /// Its id.
        public var id: Int64
        /// Its name.
        public var name: String
        /// Whether it is an interviewer.
        public var isInterviewer: Bool
        /// Its attributes by name.
        public var attributes: [String: String]
    }

    /// A segment.
    public struct Segment: Sendable, Equatable {
        /// Its id.
        public var id: Int64
        /// Its source.
        public var sourceID: Int64
        /// Its number within its source, from 1; for a gap, the number of the segment before
        /// it (0 at the start of the text), so that numbers never go down in reading order.
        public var number: Int
        /// Its place in the source's text.
        public var span: TextSpan
        /// Its speaker as written.
        public var speaker: String?
        /// Its speaker's case.
        package var caseID: Int64?
        /// Its place among all segments in reading order (sources in import order).
        public var index: Int

        /// Whether it is a gap between segments (in which a coding lies that touches no
        /// segment), not a stored segment.
        package var isGap = false
    }

    /// A coding.
    public struct Coding: Sendable, Equatable {
        /// Its id.
        public var id: Int64
        /// Its code.
        public var codeID: Int64
        /// Its source.
        public var sourceID: Int64
        /// Its span.
        public var span: TextSpan
        /// Its coder's name.
        public var coder: String
        /// The indexes (into `segments`) of the segments it touches that are in, in order. They
        /// are consecutive: a source's segments that are in are, and they do not overlap. For a
        /// coding that touches no stored segment, the gap it lies in.
        public var segments: Range<Int>
    }

    /// The codebook.
    public let tree: CodeTree
    /// The filter applied.
    public let filter: AnalysisFilter
    /// The sources that are in, in import order: those the filter names (all without one),
    /// less, under a filter on cases, those in which no case that is in speaks.
    public let sources: [Source]
    /// The cases that speak in a segment that is in, by name.
    public let cases: [Case]
    /// The segments that are in, in reading order.
    public let segments: [Segment]
    /// The codings that are in, in reading order.
    public let codings: [Coding]
    private let sourceIndex: [Int64: Int]
    private let caseIndex: [Int64: Int]

    /// The source with an id.
    public func source(_ id: Int64) -> Source? { sourceIndex[id].map { sources[$0] } }

    /// The case with an id.
    public func `case`(_ id: Int64) -> Case? { caseIndex[id].map { cases[$0] } }

    init(tree: CodeTree, filter: AnalysisFilter, sources: [Source], cases: [Case], segments: [Segment], codings: [Coding]) {
        self.tree = tree
        self.filter = filter
        self.sources = sources
        self.cases = cases
        self.segments = segments
        self.codings = codings
        sourceIndex = Dictionary(uniqueKeysWithValues: sources.enumerated().map { ($1.id, $0) })
        caseIndex = Dictionary(uniqueKeysWithValues: cases.enumerated().map { ($1.id, $0) })
    }
}

/// The analyses of a project, each over a snapshot of the coded material that passes a filter.
public struct ProjectAnalysis: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Loads the coded material that passes a filter.
    /// - Throws: `QuillError.invalidArgument` when the filter names a coder, source, case or
    ///   attribute the project does not have.
    public func snapshot(_ filter: AnalysisFilter = AnalysisFilter()) throws -> AnalysisSnapshot {
        try project.read { db in
            let tree = try CodeTree.load(db)
            try Self.check(db, filter)
            let sourceNames = Set(filter.sources.map { $0.lowercased() })
            let caseNames = Set(filter.cases.map { $0.lowercased() })
            let conditions = try AttributeConditions(db, filter.attributeConditions)

            var attributes: [Int64: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT v.caseId, a.name, v.value FROM caseAttribute v JOIN attribute a ON a.id = v.attributeId") {
                attributes[row["caseId"], default: [:]][row["name"]] = row["value"]
            }
            var allCases: [Int64: AnalysisSnapshot.Case] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, isInterviewer FROM studyCase") {
                let id: Int64 = row["id"]
                allCases[id] = AnalysisSnapshot.Case(
                    id: id, name: row["name"], isInterviewer: row["isInterviewer"], attributes: attributes[id] ?? [:])
            }
            func caseIsIn(_ id: Int64?) -> Bool {
                // A segment without a speaker has no case: only case conditions leave it out.
                guard let id, let found = allCases[id] else { return caseNames.isEmpty && conditions.isEmpty }
                if filter.excludesInterviewers && found.isInterviewer { return false }
                if !caseNames.isEmpty && !caseNames.contains(found.name.lowercased()) { return false }
                return conditions.matches(found.attributes)
            }

            var sources: [AnalysisSnapshot.Source] = []
            var lengths: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, text, length FROM source ORDER BY id") {
                let name: String = row["name"]
                if !sourceNames.isEmpty && !sourceNames.contains(name.lowercased()) { continue }
                lengths[row["id"]] = row["length"]
                sources.append(AnalysisSnapshot.Source(id: row["id"], name: name, text: row["text"]))
            }
            let sourceIDs = Set(sources.map(\.id))

            // A case named in the filter may be a group (a workshop, say) that whole sources
            // belong to: everything said in those sources is in.
            var groupSources = Set<Int64>()
            if !caseNames.isEmpty {
                for row in try Row.fetchAll(db, sql: "SELECT m.sourceId, k.name FROM caseSource m JOIN studyCase k ON k.id = m.caseId")
                where caseNames.contains((row["name"] as String).lowercased()) {
                    groupSources.insert(row["sourceId"])
                }
            }
            var segments: [AnalysisSnapshot.Segment] = []
            // The segments of each source that are in: consecutive, in order of their numbers.
            var segmentsBySource: [Int64: Range<Int>] = [:]
            let segmentRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, sourceId, number, start, "end", speaker, caseId FROM segment ORDER BY sourceId, number
                    """)
            var usedCases = Set<Int64>()
            // Every stored segment's span, in or out, by source: a coding that touches none of
            // them lies outside the segments.
            var storedSpans: [Int64: [(span: TextSpan, number: Int)]] = [:]
            while let row = try segmentRows.next() {
                let sourceID: Int64 = row[1]
                let caseID: Int64? = row[6]
                guard sourceIDs.contains(sourceID) else { continue }
                storedSpans[sourceID, default: []].append((TextSpan(start: row[3], end: row[4]), row[2]))
                guard caseIsIn(caseID) || groupSources.contains(sourceID) else { continue }
                if let caseID { usedCases.insert(caseID) }
                let index = segments.count
                segmentsBySource[sourceID] = (segmentsBySource[sourceID]?.lowerBound ?? index)..<(index + 1)
                segments.append(
                    AnalysisSnapshot.Segment(
                        id: row[0], sourceID: sourceID, number: row[2],
                        span: TextSpan(start: row[3], end: row[4]),
                        speaker: row[5], caseID: caseID, index: index))
            }
            let segmentFilterIsOn = filter.excludesInterviewers || !caseNames.isEmpty || !conditions.isEmpty
            // Text outside every segment has no speaker: only a filter on cases leaves it out,
            // but not from a source that belongs to a case named.
            let outsideIsIn = caseNames.isEmpty && conditions.isEmpty

            let coderFilter = Set(filter.coders.map { $0.lowercased() })
            var coders: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM coder") {
                let name: String = row[1]
                if coderFilter.isEmpty || coderFilter.contains(name.lowercased()) { coders[row[0]] = name }
            }
            var codings: [AnalysisSnapshot.Coding] = []
            codings.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") ?? 0)
            // The order of the unique index on codings, so that SQLite reads it without sorting:
            // codings that differ only in their coder are put in order of id below.
            let codingRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, codeId, sourceId, start, "end", coderId FROM coding ORDER BY sourceId, start, "end", codeId, coderId, id
                    """)
            // What is known of the source of the codings being read (they come source by source):
            // whether it is in, its segments that are in, its stored segments, whether text
            // outside them is in; and the first of its segments (in, and stored) that the coding
            // being read may touch. Codings come in order of their starts, so neither moves back.
            var current:
                (id: Int64, isIn: Bool, segments: Range<Int>, stored: [(span: TextSpan, number: Int)], outsideIsIn: Bool, next: Int, nextStored: Int)?
            var coder: (id: Int64, name: String?)?
            // The gaps between stored segments in which codings lie that touch none, in order.
            var gaps: [(sourceID: Int64, span: TextSpan, number: Int)] = []
            while let row = try codingRows.next() {
                let sourceID: Int64 = row[2]
                if current?.id != sourceID {
                    let inSource = segmentsBySource[sourceID] ?? 0..<0
                    current = (
                        sourceID, sourceIDs.contains(sourceID), inSource, storedSpans[sourceID] ?? [],
                        outsideIsIn || groupSources.contains(sourceID), inSource.lowerBound, 0
                    )
                }
                let coderID: Int64 = row[5]
                if coder?.id != coderID { coder = (coderID, coders[coderID]) }
                guard var source = current, source.isIn, let name = coder?.name else { continue }
                let span = TextSpan(start: row[3], end: row[4])
                while source.next < source.segments.upperBound, segments[source.next].span.end <= span.start { source.next += 1 }
                var end = source.next
                while end < source.segments.upperBound, segments[end].span.start < span.end { end += 1 }
                var isOutside = false
                if end == source.next {
                    // It touches no segment that is in: it is in only if it touches no stored
                    // segment at all, and text outside them is in.
                    while source.nextStored < source.stored.count, source.stored[source.nextStored].span.end <= span.start { source.nextStored += 1 }
                    isOutside = source.nextStored == source.stored.count || source.stored[source.nextStored].span.start >= span.end
                }
                current = source
                if end == source.next && !(isOutside && source.outsideIsIn) { continue }
                if isOutside {
                    let stored = source.stored, after = source.nextStored
                    let gap = TextSpan(
                        start: after > 0 ? stored[after - 1].span.end : 0,
                        end: after < stored.count ? stored[after].span.start : max(lengths[sourceID] ?? 0, span.end))
                    if gaps.last.map({ $0.sourceID != sourceID || $0.span != gap }) ?? true {
                        gaps.append((sourceID, gap, after > 0 ? stored[after - 1].number : 0))
                    }
                }
                codings.append(
                    AnalysisSnapshot.Coding(
                        id: row[0], codeID: row[1], sourceID: sourceID, span: span,
                        coder: name, segments: source.next..<end))
                var position = codings.count - 1
                while position > 0, codings[position - 1].isSamePlaceAndCode(as: codings[position]),
                    codings[position - 1].id > codings[position].id
                {
                    codings.swapAt(position - 1, position)
                    position -= 1
                }
            }
            if !gaps.isEmpty { Self.add(gaps: gaps, codings: &codings, segments: &segments) }
            let cases = usedCases.compactMap { allCases[$0] }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
            // With a filter on cases, a source where none of them speaks is not part of the
            // analysis either: shares of sources are shares of the sources they speak in.
            if segmentFilterIsOn {
                let withUnits = Set(segments.map(\.sourceID))
                sources = sources.filter { storedSpans[$0.id] == nil || withUnits.contains($0.id) }
            }
            return AnalysisSnapshot(tree: tree, filter: filter, sources: sources, cases: cases, segments: segments, codings: codings)
        }
    }

    /// Puts gaps among the segments as units, in reading order, and gives every coding the
    /// units it overlaps.
    /// - Parameter gaps: the gaps, by source id and start, each once.
    private static func add(
        gaps: [(sourceID: Int64, span: TextSpan, number: Int)], codings: inout [AnalysisSnapshot.Coding], segments: inout [AnalysisSnapshot.Segment]
    ) {
        // Segments come by source id and start too, and a gap lies between two of them.
        var merged: [AnalysisSnapshot.Segment] = []
        merged.reserveCapacity(segments.count + gaps.count)
        var (segment, gap) = (0, 0)
        while segment < segments.count || gap < gaps.count {
            var next: AnalysisSnapshot.Segment
            if gap < gaps.count
                && (segment == segments.count
                    || (gaps[gap].sourceID, gaps[gap].span.start) < (segments[segment].sourceID, segments[segment].span.start))
            {
                next = AnalysisSnapshot.Segment(
                    id: -Int64(gap + 1), sourceID: gaps[gap].sourceID, number: gaps[gap].number, span: gaps[gap].span, speaker: nil,
                    caseID: nil, index: 0, isGap: true)
                gap += 1
            } else {
                next = segments[segment]
                segment += 1
            }
            next.index = merged.count
            merged.append(next)
        }
        // A coding's units: those of its source that overlap it, found by bisection.
        func firstUnit(from start: Int, where isAfter: (AnalysisSnapshot.Segment) -> Bool) -> Int {
            var (low, high) = (start, merged.count)
            while low < high {
                let middle = (low + high) / 2
                if isAfter(merged[middle]) { high = middle } else { low = middle + 1 }
            }
            return low
        }
        for place in codings.indices {
            let coding = codings[place]
            let first = firstUnit(from: 0) { ($0.sourceID, $0.span.end) > (coding.sourceID, coding.span.start) }
            let end = firstUnit(from: first) { ($0.sourceID, $0.span.start) >= (coding.sourceID, coding.span.end) }
            codings[place].segments = first..<max(first, end)
        }
        segments = merged
    }

    /// Refuses a filter that names something the project does not have.
    private static func check(_ db: Database, _ filter: AnalysisFilter) throws {
        func checkNames(_ names: [String], table: String, what: String, list: Remedy.Names) throws {
            guard !names.isEmpty else { return }
            let known = try String.fetchAll(db, sql: "SELECT name FROM \(table) ORDER BY name COLLATE NOCASE")
            let lowered = Set(known.map { $0.lowercased() })
            for name in names where !lowered.contains(name.lowercased()) {
                throw QuillError.refused("No \(what) is called '\(name)'.", remedy: .listNames(list, known: known))
            }
        }
        try checkNames(filter.coders, table: "coder", what: "coder", list: .coders)
        try checkNames(filter.sources, table: "source", what: "source", list: .sources)
        try checkNames(filter.cases, table: "studyCase", what: "case", list: .cases)
        try checkNames(filter.attributeConditions.map(\.name), table: "attribute", what: "case attribute", list: .cases)
    }
}

extension AnalysisSnapshot.Coding {
    /// Whether two codings have the same source, span and code (they differ in coder at most).
    func isSamePlaceAndCode(as other: Self) -> Bool {
        sourceID == other.sourceID && span == other.span && codeID == other.codeID
    }
}

/// A text's scalars, made the first time they are asked for and kept.
private final class LazyScalars: @unchecked Sendable {
    private let text: String
    private let lock = NSLock()
    private var made: ScalarText?

    init(_ text: String) {
        self.text = text
    }

    /// The scalars (thread-safe: the lock guards `made`).
    var value: ScalarText {
        lock.withLock {
            if let made { return made }
            let scalars = ScalarText(text)
            made = scalars
            return scalars
        }
    }
}
