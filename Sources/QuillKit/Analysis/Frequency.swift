import Foundation

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
    package var isRolledUp: Bool
    /// The number of sources in the analysis.
    package var totalSources: Int
    /// The number of cases in the analysis.
    package var totalCases: Int
    /// One row per code, in codebook order.
    public var rows: [Row]
}

extension ProjectAnalysis {
    /// Counts, per code, its codings and the distinct segments, sources and cases they touch.
    ///
    /// With `rollUp`, a code counts the union over itself and its descendants: a segment coded
    /// with two children of a parent counts once for the parent.
    public func frequency(rollUp: Bool, filter: AnalysisFilter = AnalysisFilter()) throws -> FrequencyTable {
        FrequencyTable(snapshot: try snapshot(filter), rollUp: rollUp)
    }
}

extension FrequencyTable {
    /// The frequency table of a snapshot, in one pass over its codings in reading order.
    ///
    /// In reading order the codings of a code come source by source, and the first segment
    /// each touches never comes before the first one the previous touched; so a code's new
    /// sources and segments are those after the last it has counted, and no set is needed.
    /// Only cases are marked, one bit per code and case.
    package init(snapshot: AnalysisSnapshot, rollUp: Bool) {
        let tree = snapshot.tree
        let codeCount = tree.codes.count
        let position = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        // The codes a coding counts for: its own and, with roll-up, those above it.
        let countsFor = tree.codes.map { code -> [Int] in
            guard rollUp else { return position[code.id].map { [$0] } ?? [] }
            return sequence(first: code) { $0.parentID.flatMap(tree.code) }.compactMap { position[$0.id] }
        }
        let caseIndex = Dictionary(uniqueKeysWithValues: snapshot.cases.enumerated().map { ($1.id, $0) })
        let caseOfSegment = snapshot.segments.map { $0.caseID.flatMap { caseIndex[$0] } }
        let sourceIndex = Dictionary(uniqueKeysWithValues: snapshot.sources.enumerated().map { ($1.id, $0) })
        let caseWords = (snapshot.cases.count + 63) / 64
        var caseSeen = [UInt64](repeating: 0, count: codeCount * caseWords)
        var codings = [Int](repeating: 0, count: codeCount), segments = codings, sources = codings, cases = codings
        // Per code: the last source counted, and the end of the segments counted so far.
        var lastSource = [Int](repeating: -1, count: codeCount)
        var reach = [Int](repeating: 0, count: codeCount)
        var current: (id: Int64, index: Int?)?
        for coding in snapshot.codings {
            guard let own = position[coding.codeID] else { continue }
            if current?.id != coding.sourceID { current = (coding.sourceID, sourceIndex[coding.sourceID]) }
            for code in countsFor[own] {
                codings[code] += 1
                if let source = current?.index, lastSource[code] != source {
                    lastSource[code] = source
                    sources[code] += 1
                }
                for segment in max(reach[code], coding.segments.lowerBound)..<max(reach[code], coding.segments.upperBound) {
                    segments[code] += 1
                    guard let found = caseOfSegment[segment] else { continue }
                    let (word, bit) = (code * caseWords + found / 64, UInt64(1) << (found % 64))
                    if caseSeen[word] & bit == 0 {
                        caseSeen[word] |= bit
                        cases[code] += 1
                    }
                }
                reach[code] = max(reach[code], coding.segments.upperBound)
            }
        }
        self.init(
            isRolledUp: rollUp, totalSources: snapshot.sources.count, totalCases: snapshot.cases.count,
            rows: tree.codes.enumerated().map { index, code in
                Row(
                    path: tree.path(of: code.id), depth: tree.depth(of: code.id), isCodable: code.isCodable,
                    codings: codings[index], segments: segments[index], sources: sources[index], cases: cases[index])
            })
    }
}
