import Foundation
import GRDB
import Testing

@testable import QuillKit

/// The snapshot and the frequency table against their definitions, worked out the slow way on
/// the random projects of the co-occurrence property tests.
@Suite struct AnalysisFastPathTests {
    static let filters = [AnalysisFilter(), AnalysisFilter(excludesInterviewers: true), AnalysisFilter(coders: ["alice"])]

    @Test(arguments: Array(UInt64(1)...30))
    func theSnapshotHoldsTheCodingsOfTheDefinitionInReadingOrder(seed: UInt64) throws {
        let store = try RandomProject.make(seed: seed)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT c.id, c.codeId, c.sourceId, c.start, c.\"end\", d.name FROM coding c JOIN coder d ON d.id = c.coderId")
        }
        var stored: [Int64: [TextSpan]] = [:]
        for source in try SourceCatalog(store).sources() {
            stored[source.id] = try SourceCatalog(store).segments(ofSource: source.id).map(\.span)
        }
        for filter in Self.filters {
            let snapshot = try ProjectAnalysis(store).snapshot(filter)
            let sources = Set(snapshot.sources.map(\.id))
            var expected: [(key: [Int64], segments: [Int])] = []
            for row in rows {
                let sourceID: Int64 = row[2]
                let coder: String = row[5]
                guard sources.contains(sourceID), filter.coders.isEmpty || filter.coders.contains(coder) else { continue }
                let span = TextSpan(start: row[3], end: row[4])
                // In: it touches a segment that is in, or no stored segment at all (none of
                // these filters names cases). Its units: every one it overlaps, gaps included.
                let touched = snapshot.segments.indices.filter {
                    snapshot.segments[$0].sourceID == sourceID && snapshot.segments[$0].span.overlaps(span)
                }
                let touchesSegmentThatIsIn = touched.contains { !snapshot.segments[$0].isGap }
                let touchesNoSegment = !(stored[sourceID] ?? []).contains { $0.overlaps(span) }
                guard touchesSegmentThatIsIn || touchesNoSegment else { continue }
                // Reading order: source, start, end, code, id.
                expected.append(([sourceID, Int64(span.start), Int64(span.end), row[1], row[0]], touched))
            }
            expected.sort { $0.key.lexicographicallyPrecedes($1.key) }
            // Units come in reading order without overlapping, and each gap is all the text
            // between the stored segments around it.
            for (index, unit) in snapshot.segments.enumerated() {
                #expect(unit.index == index)
                if index > 0, snapshot.segments[index - 1].sourceID == unit.sourceID {
                    #expect(snapshot.segments[index - 1].span.end <= unit.span.start, "seed \(seed), \(filter.summary)")
                }
                guard unit.isGap else { continue }
                let spans = stored[unit.sourceID] ?? []
                let length = try #require(try SourceCatalog(store).sources().first { $0.id == unit.sourceID }).length
                #expect(unit.span.start == (spans.last { $0.end <= unit.span.start }?.end ?? 0), "seed \(seed)")
                #expect(unit.span.end == (spans.first { $0.start >= unit.span.end }?.start ?? length), "seed \(seed)")
                #expect(!spans.contains { $0.overlaps(unit.span) }, "seed \(seed)")
            }
            #expect(snapshot.codings.map(\.id) == expected.map { $0.key[4] }, "seed \(seed), \(filter.summary)")
            #expect(snapshot.codings.map { Array($0.segments) } == expected.map(\.segments), "seed \(seed), \(filter.summary)")
        }
    }

    @Test(arguments: Array(UInt64(1)...30))
    func everyCodingCountsOnceInTheFrequencies(seed: UInt64) throws {
        let store = try RandomProject.make(seed: seed)
        let total = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") ?? 0 }
        let table = try ProjectAnalysis(store).frequency(rollUp: false)
        #expect(table.rows.reduce(0) { $0 + $1.codings } == total, "seed \(seed)")
        // Leaving interviewers out drops only codings that touch interviewers' turns alone.
        let snapshot = try ProjectAnalysis(store).snapshot(AnalysisFilter(excludesInterviewers: true))
        let all = try ProjectAnalysis(store).snapshot()
        #expect(Set(snapshot.codings.map(\.id)).isSubset(of: Set(all.codings.map(\.id))))
        for coding in all.codings where !snapshot.codings.contains(where: { $0.id == coding.id }) {
            #expect(coding.segments.allSatisfy { all.segments[$0].speaker == "Interviewer" }, "seed \(seed)")
        }
    }

    @Test(arguments: Array(UInt64(1)...30))
    func frequenciesAreTheDistinctUnitsOfEachCodeOrSubtree(seed: UInt64) throws {
        let store = try RandomProject.make(seed: seed)
        for filter in Self.filters {
            let snapshot = try ProjectAnalysis(store).snapshot(filter)
            let tree = snapshot.tree
            for rollUp in [false, true] {
                let table = FrequencyTable(snapshot: snapshot, rollUp: rollUp)
                #expect(table.rows.count == tree.codes.count)
                for (row, code) in zip(table.rows, tree.codes) {
                    let ids = Set(rollUp ? tree.subtree(of: code.id) : [code.id])
                    let codings = snapshot.codings.filter { ids.contains($0.codeID) }
                    let segments = Set(codings.flatMap(\.segments))
                    let label = "seed \(seed), \(filter.summary), roll-up \(rollUp), \(code.name)"
                    #expect(row.codings == codings.count, "\(label)")
                    #expect(row.segments == segments.count, "\(label)")
                    #expect(row.sources == Set(codings.map(\.sourceID)).count, "\(label)")
                    #expect(row.cases == Set(segments.compactMap { snapshot.segments[$0].caseID }).count, "\(label)")
                }
            }
        }
    }

    @Test func aSourceCutsItsTextByScalarsAndAgainAfterAChange() {
        let text = "Zo\u{EB} 👍🏽 ok\r\nne\u{301}xt"
        var source = AnalysisSnapshot.Source(id: 1, name: "s", text: text)
        #expect(source.scalars.count == text.unicodeScalars.count)
        #expect(source.scalars[TextSpan(start: 4, end: 6)] == "👍🏽")
        #expect(source.scalars[TextSpan(start: 9, end: 11)] == "\r\n")
        #expect(source.scalars[TextSpan(start: 12, end: 14)] == "e\u{301}")
        let copy = source
        source.text = "e\u{301}👍"
        #expect(source.scalars[TextSpan(start: 1, end: 3)] == "\u{301}👍")
        #expect(copy.scalars[TextSpan(start: 4, end: 6)] == "👍🏽")
        #expect(copy != source)
    }

    @Test func pairCountsAreTheSameInATableAndInADictionary() {
        var random = SeededGenerator(seed: 7)
        var table = PairCounts(size: 40)
        var dictionary = PairCounts(size: PairCounts.denseLimit + 1)
        for _ in 0..<3000 {
            let x = random.int(0...39), y = random.int(0...39)
            guard x != y else { continue }
            table.add(x, y)
            dictionary.add(y, x)
        }
        for _ in 0..<200 {
            let codes = Set((0..<random.int(0...8)).map { _ in random.int(0...39) }).sorted()
            table.addPairs(of: codes)
            dictionary.addPairs(of: codes)
        }
        for x in 0..<40 {
            for y in 0..<40 where x != y {
                #expect(table[x, y] == dictionary[x, y])
                #expect(table[x, y] == table[y, x])
            }
        }
        for threshold in 1...4 {
            let fromTable = table.pairs(atLeast: threshold).map { [$0.key.low, $0.key.high, $0.value] }
            let fromDictionary = dictionary.pairs(atLeast: threshold).map { [$0.key.low, $0.key.high, $0.value] }
            #expect(fromTable.sorted { $0.lexicographicallyPrecedes($1) } == fromDictionary.sorted { $0.lexicographicallyPrecedes($1) })
            #expect(fromTable.allSatisfy { $0[0] < $0[1] && $0[2] >= threshold })
        }
    }
}
