import Foundation

/// What counts as one unit when comparing coders.
public enum AgreementUnit: String, Sendable, CaseIterable {
    /// A segment: coded with a code by a coder when one of their codings of it touches the segment.
    case segment
    /// A source: coded when one of the coder's codings of the code is in it.
    case source
    /// A Unicode scalar of the sources' segments (of the whole text, for a source without
    /// segments): coded when one of the coder's codings of the code covers it.
    case character

    /// The unit's name in the plural, for messages.
    package var plural: String {
        switch self {
        case .segment: return "segments"
        case .source: return "sources"
        case .character: return "characters (Unicode scalars)"
        }
    }
}

/// What to compare: whose codings, of which codes, on which units.
public struct AgreementQuery: Sendable, Equatable {
    /// The coders, as named in the project; at least two.
    public var coders: [String]
    /// The unit.
    public var unit: AgreementUnit
    /// The codes to compare (exact codes, no roll-up); nil for every code one of the coders used.
    public var codeIDs: [Int64]?
    /// Count only units that at least one of the coders coded with the code.
    public var onlyCoded: Bool

    /// Creates a query.
    public init(coders: [String], unit: AgreementUnit = .segment, codeIDs: [Int64]? = nil, onlyCoded: Bool = false) {
        self.coders = coders
        self.unit = unit
        self.codeIDs = codeIDs
        self.onlyCoded = onlyCoded
    }
}

/// The agreement of coders on each code and overall.
public struct AgreementResult: Sendable, Equatable {
    /// The figures for one code, or for all codes pooled.
    public struct Row: Sendable, Equatable {
        /// The code's id; nil for the pooled row.
        public var codeID: Int64?
        /// The code's path, or `(all codes, pooled)`.
        public var label: String
        /// The units counted.
        public var units: Int
        /// The units at least one coder coded with the code.
        public var coded: Int
        /// The units every coder coded with the code.
        package var codedByAll: Int
        /// Percent agreement, as a share from 0 to 1.
        public var percent: Double?
        /// Cohen's kappa (two coders only).
        package var cohensKappa: Double?
        /// Fleiss' kappa.
        package var fleissKappa: Double?
        /// Krippendorff's alpha (nominal).
        package var krippendorffAlpha: Double?
    }

    /// The query answered, with the coders as the project spells them.
    public var query: AgreementQuery
    /// One row per code, in codebook order (or the order asked for).
    public var codes: [Row]
    /// Every code's units pooled into one set of binary data.
    public var overall: Row

    /// How the figures were counted, in a few sentences for the reader; `uncodedUnits` words
    /// the sentence on units no coder coded (the executable's names its option).
    public func explanation(uncodedUnits: String? = nil) -> [String] {
        [
            "Coders: \(query.coders.joined(separator: ", ")). Unit: \(query.unit.plural). Each code on its own, coded or not; exact code only (codes below it do not count for it).",
            uncodedUnits
                ?? (query.onlyCoded
                    ? "Only units that at least one of the coders coded with the code count."
                    : "Units no coder coded with the code count as agreement, and dominate on segments and characters."),
            "Overall: every code's unit-by-code decisions pooled into one set of binary data. n/a: not defined (no variation; Cohen's kappa needs exactly two coders).",
        ]
    }
}

/// A segment on which coders differ about a code.
public struct AgreementDisagreement: Sendable, Equatable {
    /// The code's path.
    public var code: String
    /// The segment.
    public var excerpt: Excerpt
    /// The coders who coded it with the code.
    package var codedBy: [String]
    /// The coders who did not.
    package var notCodedBy: [String]
}

extension AnalysisSnapshot {
    /// The coders of a query as the project spells them, in the query's order.
    private func coderIndex(_ query: AgreementQuery) -> [String: Int] {
        Dictionary(query.coders.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The codes a query compares: those asked for, or every code one of its coders used, in
    /// codebook order.
    private func comparedCodes(_ query: AgreementQuery, _ coders: [String: Int]) -> [Int64] {
        if let ids = query.codeIDs { return ids }
        let used = Set(codings.filter { coders[$0.coder.lowercased()] != nil }.map(\.codeID))
        return tree.codes.map(\.id).filter(used.contains)
    }

    /// Which coders (a bit each) coded each segment with each code: code → segment index → bits.
    private func segmentMasks(_ coders: [String: Int]) -> [Int64: [Int: Int]] {
        var masks: [Int64: [Int: Int]] = [:]
        for coding in codings {
            guard let bit = coders[coding.coder.lowercased()] else { continue }
            for index in coding.segments { masks[coding.codeID, default: [:]][index, default: 0] |= 1 << bit }
        }
        return masks
    }

    /// The agreement of the query's coders, per code and pooled.
    public func agreement(_ query: AgreementQuery) -> AgreementResult {
        let coders = coderIndex(query)
        let count = query.coders.count
        let codeIDs = comparedCodes(query, coders)
        // Per code: how many units have each pattern of coders (a bit each), the pattern 0
        // included (units nobody coded with it).
        var patterns: [Int64: [Int: Int]] = [:]
        switch query.unit {
        case .segment:
            let masks = segmentMasks(coders)
            for id in codeIDs {
                var counts: [Int: Int] = [0: segments.count - (masks[id]?.count ?? 0)]
                for mask in (masks[id] ?? [:]).values { counts[mask, default: 0] += 1 }
                patterns[id] = counts
            }
        case .source:
            var masks: [Int64: [Int64: Int]] = [:]
            for coding in codings {
                guard let bit = coders[coding.coder.lowercased()] else { continue }
                masks[coding.codeID, default: [:]][coding.sourceID, default: 0] |= 1 << bit
            }
            for id in codeIDs {
                var counts: [Int: Int] = [0: sources.count - (masks[id]?.count ?? 0)]
                for mask in (masks[id] ?? [:]).values { counts[mask, default: 0] += 1 }
                patterns[id] = counts
            }
        case .character:
            patterns = characterPatterns(codeIDs: Set(codeIDs), coders: coders)
        }

        var pooled = ReliabilityData(coders: count)
        var rows: [AgreementResult.Row] = []
        let all = (1 << count) - 1
        for id in codeIDs {
            var data = ReliabilityData(coders: count)
            var coded = 0
            var codedByAll = 0
            for (mask, n) in (patterns[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if mask != 0 { coded += n }
                if mask == all { codedByAll += n }
                if mask == 0 && query.onlyCoded { continue }
                data.append((0..<count).map { mask & (1 << $0) != 0 ? 1 : 0 }, count: n)
            }
            pooled.append(contentsOf: data)
            rows.append(Self.row(codeID: id, label: tree.displayPath(of: id), data: data, coded: coded, codedByAll: codedByAll))
        }
        let overall = Self.row(
            codeID: nil, label: "(all codes, pooled)", data: pooled,
            coded: rows.reduce(0) { $0 + $1.coded }, codedByAll: rows.reduce(0) { $0 + $1.codedByAll })
        return AgreementResult(query: query, codes: rows, overall: overall)
    }

    private static func row(codeID: Int64?, label: String, data: ReliabilityData, coded: Int, codedByAll: Int) -> AgreementResult.Row {
        AgreementResult.Row(
            codeID: codeID, label: label, units: data.unitCount, coded: coded, codedByAll: codedByAll,
            percent: Agreement.percent(data), cohensKappa: Agreement.cohensKappa(data),
            fleissKappa: Agreement.fleissKappa(data), krippendorffAlpha: Agreement.krippendorffAlpha(data))
    }

    /// Per code, the number of characters with each pattern of coders, by a sweep over the
    /// boundaries of the segments and codings of each source: never a loop over characters.
    private func characterPatterns(codeIDs: Set<Int64>, coders: [String: Int]) -> [Int64: [Int: Int]] {
        // The characters that are units: those of the segments in the analysis, or the whole
        // text of a source without segments.
        var universe: [Int64: [TextSpan]] = [:]
        for segment in segments { universe[segment.sourceID, default: []].append(segment.span) }
        for source in sources where universe[source.id] == nil && source.scalars.count > 0 {
            universe[source.id] = [TextSpan(start: 0, end: source.scalars.count)]
        }
        var spans: [Int64: [Int64: [(Int, TextSpan)]]] = [:]
        for coding in codings where codeIDs.contains(coding.codeID) {
            guard let bit = coders[coding.coder.lowercased()] else { continue }
            spans[coding.codeID, default: [:]][coding.sourceID, default: []].append((bit, coding.span))
        }
        // Segments do not overlap: a source's units are the sum of its segments' lengths.
        let sizes = universe.mapValues { $0.reduce(0) { $0 + $1.length } }
        let total = sizes.values.reduce(0, +)
        var result: [Int64: [Int: Int]] = [:]
        for id in codeIDs {
            // Sources without a coding of the code are all "nobody coded it"; only the others
            // need a sweep.
            let coded = spans[id] ?? [:]
            var counts: [Int: Int] = [0: total - coded.keys.reduce(0) { $0 + (sizes[$1] ?? 0) }]
            for (sourceID, codedSpans) in coded {
                guard let units = universe[sourceID] else { continue }
                // Events: +1/-1 at span ends; the universe is "coder" -1.
                var events: [(position: Int, who: Int, delta: Int)] = []
                for span in units { events += [(span.start, -1, 1), (span.end, -1, -1)] }
                for (bit, span) in codedSpans { events += [(span.start, bit, 1), (span.end, bit, -1)] }
                events.sort { $0.position < $1.position }
                var depth = [Int](repeating: 0, count: coders.count)
                var inUniverse = 0
                var position = 0
                for event in events {
                    if event.position > position && inUniverse > 0 {
                        var mask = 0
                        for (bit, d) in depth.enumerated() where d > 0 { mask |= 1 << bit }
                        counts[mask, default: 0] += event.position - position
                    }
                    position = event.position
                    if event.who < 0 { inUniverse += event.delta } else { depth[event.who] += event.delta }
                }
            }
            result[id] = counts
        }
        return result
    }

    /// The segments on which the query's coders differ about each compared code: some coded it
    /// with the code and some did not. By code, then in reading order.
    public func disagreements(_ query: AgreementQuery) -> [AgreementDisagreement] {
        let coders = coderIndex(query)
        let masks = segmentMasks(coders)
        let all = (1 << query.coders.count) - 1
        return comparedCodes(query, coders).flatMap { id in
            (masks[id] ?? [:]).filter { $0.value != all }.keys.sorted().map { index in
                let mask = masks[id]?[index] ?? 0
                let codedBy = query.coders.indices.filter { mask & (1 << $0) != 0 }.map { query.coders[$0] }
                let notCodedBy = query.coders.indices.filter { mask & (1 << $0) == 0 }.map { query.coders[$0] }
                return AgreementDisagreement(
                    code: tree.displayPath(of: id), excerpt: excerpt(at: index, codes: [id]),
                    codedBy: codedBy, notCodedBy: notCodedBy)
            }
        }
    }
}

extension ProjectAnalysis {
    /// The coders' names as the project spells them.
    /// - Throws: `QuillError.invalidArgument` for fewer than two coders, a coder named twice,
    ///   or a name no coder has, listing the coders there are.
    public func agreementCoders(_ names: [String]) throws -> [String] {
        let known = try CoderRoster(project).coders().map(\.name)
        var result: [String] = []
        for name in names {
            guard let found = known.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw QuillError.refused(
                    "No coder is called '\(name)'. The coders in this project are: "
                        + (known.isEmpty ? "none yet" : known.joined(separator: ", ")), remedy: .listCoders)
            }
            guard !result.contains(found) else {
                throw QuillError.refused("'\(name)' is named twice", remedy: .nameCodersOnce)
            }
            result.append(found)
        }
        guard result.count >= 2 else {
            throw QuillError.refused("Agreement needs at least two coders", remedy: .nameTwoCoders)
        }
        guard result.count <= 30 else {
            throw QuillError.refused("Agreement compares at most 30 coders at once", remedy: .nameFewerCoders)
        }
        return result
    }
}
