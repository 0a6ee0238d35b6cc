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
    public var isRolledUp: Bool
    /// The number of sources in the analysis.
    public var totalSources: Int
    /// The number of cases in the analysis.
    public var totalCases: Int
    /// One row per code, in codebook order.
    public var rows: [Row]
}

/// The distinct codings, segments, sources and cases of a code, or of a code and its subtree.
struct CodeUsage {
    var codings = Set<Int64>()
    var segments = Set<Int>()
    var sources = Set<Int64>()
    var cases = Set<Int64>()

    mutating func formUnion(_ other: CodeUsage) {
        codings.formUnion(other.codings)
        segments.formUnion(other.segments)
        sources.formUnion(other.sources)
        cases.formUnion(other.cases)
    }

    /// The usage of every code in one pass over the codings; with `rollUp`, each code's usage
    /// includes its descendants', each unit counted once.
    static func byCode(_ snapshot: AnalysisSnapshot, rollUp: Bool) -> [Int64: CodeUsage] {
        var usage: [Int64: CodeUsage] = [:]
        for coding in snapshot.codings {
            usage[coding.codeID, default: CodeUsage()].codings.insert(coding.id)
            usage[coding.codeID, default: CodeUsage()].sources.insert(coding.sourceID)
            for index in coding.segments {
                usage[coding.codeID, default: CodeUsage()].segments.insert(index)
                if let caseID = snapshot.segments[index].caseID {
                    usage[coding.codeID, default: CodeUsage()].cases.insert(caseID)
                }
            }
        }
        if rollUp {
            // Depth-first order puts every descendant after its ancestor, so walking it
            // backwards folds each subtree into its parent once.
            for code in snapshot.tree.codes.reversed() {
                if let parent = code.parentID, let child = usage[code.id] {
                    usage[parent, default: CodeUsage()].formUnion(child)
                }
            }
        }
        return usage
    }
}

extension ProjectStore {
    /// Counts, per code, its codings and the distinct segments, sources and cases they touch.
    ///
    /// With `rollUp`, a code counts the union over itself and its descendants: a segment coded
    /// with two children of a parent counts once for the parent.
    public func frequency(rollUp: Bool, filter: AnalysisFilter = AnalysisFilter()) throws -> FrequencyTable {
        FrequencyTable(snapshot: try snapshot(filter), rollUp: rollUp)
    }
}

extension FrequencyTable {
    /// The frequency table of a snapshot.
    public init(snapshot: AnalysisSnapshot, rollUp: Bool) {
        let usage = CodeUsage.byCode(snapshot, rollUp: rollUp)
        let tree = snapshot.tree
        self.init(isRolledUp: rollUp, totalSources: snapshot.sources.count, totalCases: snapshot.cases.count,
                  rows: tree.codes.map { code in
                      let counts = usage[code.id] ?? CodeUsage()
                      return Row(path: tree.path(of: code.id), depth: tree.depth(of: code.id), isCodable: code.isCodable,
                                 codings: counts.codings.count, segments: counts.segments.count,
                                 sources: counts.sources.count, cases: counts.cases.count)
                  })
    }
}
