import Foundation
import Testing

@testable import QuillKit

/// Codes a span of a source's text, as free-hand coding would, for fixtures that need codings
/// that are not whole segments.
private struct SpanCoder {
    let store: ProjectDatabase
    let tree: CodeTree

    init(_ store: ProjectDatabase) throws {
        self.store = store
        tree = try CodeTree.load(store)
    }

    /// The scalar span from the start of the first `from` in the source's text to the end of
    /// the first `through` at or after it (or of `from` itself).
    func span(
        _ source: String, _ from: String, through: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (Int64, TextSpan) {
        let id = try SourceCatalog(store).resolveSource(source).id
        let text = try SourceCatalog(store).text(ofSource: id)
        let start = try #require(text.range(of: from), "'\(from)' is not in \(source)", sourceLocation: sourceLocation)
        let end = try #require(
            text.range(of: through ?? from, range: start.lowerBound..<text.endIndex),
            "'\(through ?? from)' is not in \(source)", sourceLocation: sourceLocation)
        let scalars = text.unicodeScalars
        return (
            id,
            TextSpan(
                start: scalars.distance(from: scalars.startIndex, to: start.lowerBound),
                end: scalars.distance(from: scalars.startIndex, to: end.upperBound))
        )
    }

    /// Codes a span with a code.
    func code(
        _ name: String, _ source: String, _ from: String, through: String? = nil, coder: String = "alice",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (sourceID, span) = try self.span(source, from, through: through, sourceLocation: sourceLocation)
        let codeID = try tree.resolve(name).id
        let added = try store.change(TestSupport.actor(coder)) { db in
            let inserter = try CodingInserter(db, coderID: try CoderTable(db).id(named: coder))
            let added = try inserter.insert(codeID: codeID, sourceID: sourceID, span: span, memo: nil)
            return (added, "coded \(name)")
        }
        #expect(added, "\(name) on '\(from)' was already there", sourceLocation: sourceLocation)
    }
}

/// A small project whose co-occurrences are worked out by hand.
///
/// Codebook, in codebook order (Barriers only groups):
///
///     Barriers (not codable)
///       Cost
///       Time
///     Search
///     Data
///
/// Segments (turns; Interviewer is one case across both sources), with their reading-order index:
///
///     alpha #1 [0] Interviewer  How do you find evidence?
///     alpha #2 [1] Aisha        I search the literature myself. / Money is tight, so it costs me evenings.
///     alpha #3 [2] Interviewer  Is time a problem too?
///     alpha #4 [3] Aisha        Time is the worst of it. / I search at night and pay for it myself.
///     alpha #5 [4] Interviewer  And data?
///     alpha #6 [5] Aisha        We pull data from dashboards.
///     beta  #1 [6] Interviewer  Tell me about data.
///     beta  #2 [7] Ben          The data is late and the licence costs a lot.
///     beta  #3 [8] Interviewer  Do you search yourself?
///     beta  #4 [9] Ben          No time, so I ask the librarian.
///
/// Codings (each a span of text, not a whole segment):
///
///     k1  Search  alpha #2, first line       ┐ two codes on different lines of one segment:
///     k2  Cost    alpha #2, second line      ┘ they co-occur in the segment, but do not overlap
///     k3  Time    alpha #3                     on the interviewer's turn
///     k4  Time    alpha #4, first line
///     k5  Search  alpha #4, second line      ┐ k6 lies inside k5: they overlap
///     k6  Cost    alpha #4, "pay for it myself." ┘ (Search and Cost again in alpha: the source counts once)
///     k7  Data    alpha #5 "And data?" to the end of #6: one coding spanning two segments
///     k8  Data    beta #2, the whole turn    ┐ k9 lies inside k8
///     k9  Cost    beta #2, "the licence costs a lot" ┘
///     k10 Time    beta #4                      two segments after Data in beta #2
///
/// So, per segment (no roll-up): alpha #2 {Search, Cost}, #3 {Time}, #4 {Time, Search, Cost},
/// #5 {Data}, #6 {Data}; beta #2 {Data, Cost}, #4 {Time}; the other three segments have no code.
enum CooccurrenceFixture {
    static func project() throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory(name: "Co-occurrence fixture")
        let codebook = Codebook(
            name: "Fixture book",
            codes: [
                .init(name: "Barriers", isCodable: false, children: [.init(name: "Cost"), .init(name: "Time")]),
                .init(name: "Search"),
                .init(name: "Data"),
            ])
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        let alpha = try TestSupport.prepared(
            "alpha",
            """
            Interviewer: How do you find evidence?
            Aisha: I search the literature myself.
            Money is tight, so it costs me evenings.
            Interviewer: Is time a problem too?
            Aisha: Time is the worst of it.
            I search at night and pay for it myself.
            Interviewer: And data?
            Aisha: We pull data from dashboards.
            """)
        let beta = try TestSupport.prepared(
            "beta",
            """
            Interviewer: Tell me about data.
            Ben: The data is late and the licence costs a lot.
            Interviewer: Do you search yourself?
            Ben: No time, so I ask the librarian.
            """)
        _ = try SourceImporter(store).importSources([alpha, beta], actor: TestSupport.actor())
        let coder = try SpanCoder(store)
        try coder.code("Search", "alpha", "I search the literature myself.")  // k1
        try coder.code("Cost", "alpha", "Money is tight, so it costs me evenings.")  // k2
        try coder.code("Time", "alpha", "Is time a problem too?")  // k3
        try coder.code("Time", "alpha", "Time is the worst of it.")  // k4
        try coder.code("Search", "alpha", "I search at night and pay for it myself.")  // k5
        try coder.code("Cost", "alpha", "pay for it myself.", coder: "bob")  // k6
        try coder.code("Data", "alpha", "And data?", through: "dashboards.")  // k7
        try coder.code("Data", "beta", "The data is late and the licence costs a lot.")  // k8
        try coder.code("Cost", "beta", "the licence costs a lot", coder: "bob")  // k9
        try coder.code("Time", "beta", "No time, so I ask the librarian.")  // k10
        return store
    }
}

@Suite struct CooccurrenceTests {
    /// The ids of the fixture's codes by name.
    struct Codes {
        let barriers, cost, time, search, data: Int64

        init(_ store: ProjectDatabase) throws {
            let tree = try CodeTree.load(store)
            barriers = try tree.resolve("Barriers").id
            cost = try tree.resolve("Cost").id
            time = try tree.resolve("Time").id
            search = try tree.resolve("Search").id
            data = try tree.resolve("Data").id
        }
    }

    /// The matrix as "A+B: n" lines for every pair of codes in codebook order (A+A is n(A)),
    /// easy to read in a failure.
    func counts(_ matrix: CooccurrenceMatrix, _ store: ProjectDatabase) throws -> [String] {
        let tree = try CodeTree.load(store)
        var lines: [String] = []
        for (index, a) in tree.codes.enumerated() {
            for b in tree.codes[index...] {
                lines.append("\(a.name)+\(b.name): \(matrix.count(a.id, b.id))")
            }
        }
        return lines
    }

    /// The ids of codes by name, in the order given.
    func ids(_ store: ProjectDatabase, _ names: [String]) throws -> [Int64] {
        let tree = try CodeTree.load(store)
        return try names.map { try tree.resolve($0).id }
    }

    func matrix(
        _ store: ProjectDatabase, _ unit: CooccurrenceUnit, rollUp: Bool = false, minimumCount: Int = 1,
        filter: AnalysisFilter = AnalysisFilter()
    ) throws -> CooccurrenceMatrix {
        try ProjectAnalysis(store).cooccurrence(CooccurrenceOptions(unit: unit, rollUp: rollUp, minimumCount: minimumCount), filter: filter)
    }

    @Test func theFixtureIsAsDescribed() throws {
        let store = try CooccurrenceFixture.project()
        let snapshot = try ProjectAnalysis(store).snapshot()
        #expect(
            snapshot.segments.map { "\($0.speaker ?? "-")" } == [
                "Interviewer", "Aisha", "Interviewer", "Aisha", "Interviewer", "Aisha",
                "Interviewer", "Ben", "Interviewer", "Ben",
            ])
        #expect(snapshot.cases.map(\.name) == ["Aisha", "Ben", "Interviewer"])
        let tree = snapshot.tree
        #expect(
            snapshot.codings.map { "\(tree.code($0.codeID)?.name ?? "?") \(Array($0.segments))" } == [
                "Search [1]", "Cost [1]", "Time [2]", "Time [3]", "Search [3]", "Cost [3]", "Data [4, 5]",
                "Data [7]", "Cost [7]", "Time [9]",
            ])
    }

    @Test func segmentUnit() throws {
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        let matrix = try matrix(store, .segment)
        #expect(matrix.totalUnits == 10)  // every segment is a unit, coded or not
        #expect(matrix.codeIDs == [codes.cost, codes.time, codes.search, codes.data])  // Barriers never occurs itself
        #expect(
            try counts(matrix, store) == [
                "Barriers+Barriers: 0", "Barriers+Cost: 0", "Barriers+Time: 0", "Barriers+Search: 0", "Barriers+Data: 0",
                "Cost+Cost: 3",  // alpha #2, alpha #4, beta #2
                "Cost+Time: 1",  // alpha #4 (k4, k6)
                "Cost+Search: 2",  // alpha #2 (k1 and k2 on different lines of the turn), alpha #4
                "Cost+Data: 1",  // beta #2
                "Time+Time: 3",  // alpha #3, alpha #4, beta #4
                "Time+Search: 1",  // alpha #4
                "Time+Data: 0",  // never in one segment
                "Search+Search: 2",  // alpha #2, alpha #4
                "Search+Data: 0",
                "Data+Data: 3",  // alpha #5 and #6 (k7 spans both), beta #2
            ])
    }

    @Test func overlapUnitCountsIntersectingPairsOfCodings() throws {
        let store = try CooccurrenceFixture.project()
        let matrix = try matrix(store, .overlap)
        #expect(matrix.totalUnits == 10)  // ten codings
        #expect(
            try counts(matrix, store) == [
                "Barriers+Barriers: 0", "Barriers+Cost: 0", "Barriers+Time: 0", "Barriers+Search: 0", "Barriers+Data: 0",
                "Cost+Cost: 3",  // k2, k6, k9
                "Cost+Time: 0",  // k4 and k6 are on different lines of alpha #4
                "Cost+Search: 1",  // {k5, k6}; k1 and k2 share a segment but no text
                "Cost+Data: 1",  // {k8, k9}
                "Time+Time: 3",  // k3, k4, k10
                "Time+Search: 0",
                "Time+Data: 0",
                "Search+Search: 2",  // k1, k5
                "Search+Data: 0",
                "Data+Data: 2",  // k7, k8
            ])
    }

    @Test func overlapWithRollUpNeverPairsACodingWithItself() throws {
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        let matrix = try matrix(store, .overlap, rollUp: true)
        #expect(matrix.frequency(codes.barriers) == 6)  // k2, k3, k4, k6, k9, k10
        #expect(matrix.count(codes.barriers, codes.search) == 1)  // {k5, k6}: k6 is a Cost, so a Barriers, coding
        #expect(matrix.count(codes.barriers, codes.data) == 1)  // {k8, k9}
        // No two different codings of Barriers' subtree intersect, and a coding does not
        // co-occur with itself: Barriers and Cost never overlap.
        #expect(matrix.count(codes.barriers, codes.cost) == 0)
        #expect(matrix.count(codes.barriers, codes.time) == 0)
    }

    @Test func windowUnitJoinsCodesWithinNSegmentsOfEachOther() throws {
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        // window:1, by segment number within the source: a coding touching #j is present in #j
        // and #j+1, so two codes share a unit exactly when they are at most one segment apart.
        //   k1, k2 (alpha #2: Search, Cost) → #2–#3;  k3 (#3: Time) → #3–#4;
        //   k4, k5, k6 (#4: Time, Search, Cost) → #4–#5;  k7 (#5–#6: Data) → #5–#6 (#7 does not exist);
        //   k8, k9 (beta #2: Data, Cost) → #2–#3;  k10 (beta #4: Time) → #4.
        // Present, per segment:
        //   alpha #1 {}   alpha #2 {Search, Cost}   alpha #3 {Search, Cost, Time}   alpha #4 {Time, Search, Cost}
        //   alpha #5 {Time, Search, Cost, Data}   alpha #6 {Data}
        //   beta #1 {}   beta #2 {Data, Cost}   beta #3 {Data, Cost}   beta #4 {Time}
        let matrix = try matrix(store, .window(1))
        #expect(matrix.totalUnits == 10)
        #expect(
            try counts(matrix, store).filter { !$0.hasPrefix("Barriers") } == [
                "Cost+Cost: 6",  // alpha #2–#5, beta #2, #3
                "Cost+Time: 3",  // alpha #3–#5
                "Cost+Search: 4",  // alpha #2–#5
                "Cost+Data: 3",  // alpha #5, beta #2, #3
                "Time+Time: 4",  // alpha #3–#5, beta #4
                "Time+Search: 3",  // alpha #3–#5
                // alpha #5: Time in #4 is next to Data in #5. Data in beta #2 and Time in beta #4 are
                // two segments apart, so they do not co-occur.
                "Time+Data: 1",
                "Search+Search: 4",  // alpha #2–#5
                "Search+Data: 1",  // alpha #5
                "Data+Data: 4",  // alpha #5, #6, beta #2, #3
            ])
        #expect(matrix.count(codes.time, codes.data) == 1)
        #expect(try self.matrix(store, .segment).count(codes.time, codes.data) == 0)
        // window:2: Time (alpha #3–#5, #4–#6) meets Data (#5–#6) in alpha #5 and #6, and in beta
        // Data (#2–#4) meets Time (#4) in #4, two segments apart.
        #expect(try self.matrix(store, .window(2)).count(codes.time, codes.data) == 3)
    }

    @Test func windowZeroIsSegment() throws {
        let store = try CooccurrenceFixture.project()
        for rollUp in [false, true] {
            let zero = try matrix(store, .window(0), rollUp: rollUp)
            let segment = try matrix(store, .segment, rollUp: rollUp)
            #expect(try counts(zero, store) == counts(segment, store))
            #expect(zero.totalUnits == segment.totalUnits)
            #expect(zero.codeIDs == segment.codeIDs)
        }
    }

    @Test func windowDistanceIsMeasuredInTheTranscript() throws {
        // With interviewers left out, alpha #3 (an interviewer's turn) still lies between Aisha's
        // #2 and #4: window:1 joins nothing across it, so it equals segment; window:2 does.
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        let filter = AnalysisFilter(excludesInterviewers: true)
        let one = try matrix(store, .window(1), filter: filter)
        #expect(one.totalUnits == 5)  // alpha #2, #4, #6, beta #2, #4
        #expect(try counts(one, store) == counts(try matrix(store, .segment, filter: filter), store))
        let two = try matrix(store, .window(2), filter: filter)
        // Search: k1 (#2) → #2, #4; k5 (#4) → #4, #6. Data: k7 (now #6 only) → #6. Both: #6.
        #expect(two.count(codes.search, codes.data) == 1)
    }

    @Test func sourceUnitCountsSourcesNotSegments() throws {
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        // alpha {Search, Cost, Time, Data}; beta {Data, Cost, Time}.
        let matrix = try matrix(store, .source)
        #expect(matrix.totalUnits == 2)
        #expect(
            try counts(matrix, store).filter { !$0.hasPrefix("Barriers") } == [
                "Cost+Cost: 2", "Cost+Time: 2",
                "Cost+Search: 1",  // only alpha, although they share two of its segments and overlap once there
                "Cost+Data: 2", "Time+Time: 2", "Time+Search: 1", "Time+Data: 2",
                "Search+Search: 1", "Search+Data: 1", "Data+Data: 2",
            ])
        #expect(try self.matrix(store, .segment).count(codes.cost, codes.search) == 2)
    }

    @Test func caseUnitCountsCases() throws {
        let store = try CooccurrenceFixture.project()
        // Interviewer: k3 Time (alpha #3), k7 Data (alpha #5) → {Time, Data}.
        // Aisha: alpha #2 {Search, Cost}, #4 {Time, Search, Cost}, #6 {Data} → {Cost, Time, Search, Data}.
        // Ben: beta #2 {Data, Cost}, #4 {Time} → {Cost, Time, Data}.
        let matrix = try matrix(store, .case)
        #expect(matrix.totalUnits == 3)
        #expect(
            try counts(matrix, store).filter { !$0.hasPrefix("Barriers") } == [
                "Cost+Cost: 2",  // Aisha, Ben
                "Cost+Time: 2",  // Aisha, Ben
                "Cost+Search: 1",  // Aisha
                "Cost+Data: 2",  // Aisha, Ben
                "Time+Time: 3",  // all three
                "Time+Search: 1",  // Aisha
                "Time+Data: 3",  // never in one segment, but all three cases say both
                "Search+Search: 1",
                "Search+Data: 1",
                "Data+Data: 3",
            ])
    }

    @Test func leavingOutInterviewers() throws {
        let store = try CooccurrenceFixture.project()
        let filter = AnalysisFilter(excludesInterviewers: true)
        // k3 (only on alpha #3) is left out; k7 keeps alpha #6 only.
        // Segments: alpha #2 {Search, Cost}, #4 {Time, Search, Cost}, #6 {Data}, beta #2 {Data, Cost}, #4 {Time}.
        let segments = try matrix(store, .segment, filter: filter)
        #expect(segments.totalUnits == 5)
        #expect(
            try counts(segments, store).filter { !$0.hasPrefix("Barriers") } == [
                "Cost+Cost: 3", "Cost+Time: 1", "Cost+Search: 2", "Cost+Data: 1",
                "Time+Time: 2",  // alpha #4, beta #4 (no longer alpha #3)
                "Time+Search: 1", "Time+Data: 0", "Search+Search: 2", "Search+Data: 0",
                "Data+Data: 2",  // alpha #6, beta #2 (no longer alpha #5)
            ])
        // Cases: Aisha {Cost, Time, Search, Data}, Ben {Cost, Time, Data}.
        let cases = try matrix(store, .case, filter: filter)
        #expect(cases.totalUnits == 2)
        #expect(
            try counts(cases, store).filter { !$0.hasPrefix("Barriers") } == [
                "Cost+Cost: 2", "Cost+Time: 2", "Cost+Search: 1", "Cost+Data: 2", "Time+Time: 2", "Time+Search: 1",
                "Time+Data: 2", "Search+Search: 1", "Search+Data: 1", "Data+Data: 2",
            ])
        // Overlap: the codings are k1, k2, k4–k10: nine units.
        #expect(try matrix(store, .overlap, filter: filter).totalUnits == 9)
    }

    @Test func oneCodersCodings() throws {
        let store = try CooccurrenceFixture.project()
        let codes = try Codes(store)
        // bob made k6 (Cost, alpha #4) and k9 (Cost, beta #2) only.
        let bob = try matrix(store, .segment, filter: AnalysisFilter(coders: ["bob"]))
        #expect(bob.codeIDs == [codes.cost])
        #expect(bob.frequency(codes.cost) == 2)
        #expect(bob.count(codes.cost, codes.search) == 0)
        let error = TestSupport.quillError { _ = try self.matrix(store, .segment, filter: AnalysisFilter(coders: ["carol"])) }
        #expect(error?.message.contains("No coder is called 'carol'") == true)
    }

    @Test func everyMeasure() throws {
        let store = try CooccurrenceFixture.project()
        let c = try Codes(store)
        let matrix = try matrix(store, .segment)
        // N = 10 segments; n(Cost) = 3, n(Time) = 3, n(Search) = 2, n(Data) = 3.
        func value(_ a: Int64, _ b: Int64, _ measure: CooccurrenceMeasure) -> Double {
            matrix.value(a, b, measure) ?? -1
        }
        // Cost and Search: n12 = 2.
        #expect(value(c.cost, c.search, .count) == 2)
        #expect(abs(value(c.cost, c.search, .jaccard) - 2.0 / 3.0) < 1e-12)  // 2 / (3 + 2 − 2)
        #expect(value(c.cost, c.search, .c) == value(c.cost, c.search, .jaccard))
        #expect(abs(value(c.cost, c.search, .conditional) - 2.0 / 3.0) < 1e-12)  // P(Search|Cost) = 2 / 3
        #expect(value(c.search, c.cost, .conditional) == 1)  // P(Cost|Search) = 2 / 2
        #expect(abs(value(c.cost, c.search, .lift) - 20.0 / 6.0) < 1e-12)  // 2 · 10 / (3 · 2)
        // Cost and Time: n12 = 1.
        #expect(value(c.cost, c.time, .jaccard) == 0.2)  // 1 / (3 + 3 − 1)
        #expect(abs(value(c.cost, c.time, .lift) - 10.0 / 9.0) < 1e-12)  // 1 · 10 / (3 · 3)
        // Time and Search: n12 = 1.
        #expect(value(c.time, c.search, .jaccard) == 0.25)  // 1 / (3 + 2 − 1)
        #expect(value(c.search, c.time, .conditional) == 0.5)  // P(Time|Search) = 1 / 2
        // Time and Data never co-occur.
        for measure in CooccurrenceMeasure.allCases {
            #expect(value(c.time, c.data, measure) == 0)
        }
        // The diagonal: n(A), and 1 for the coefficients; lift N / n(A).
        #expect(value(c.cost, c.cost, .count) == 3)
        #expect(value(c.cost, c.cost, .jaccard) == 1)
        #expect(value(c.cost, c.cost, .conditional) == 1)
        #expect(abs(value(c.cost, c.cost, .lift) - 10.0 / 3.0) < 1e-12)
        // Barriers never occurs without roll-up: what divides by n(Barriers) is undefined.
        #expect(matrix.value(c.barriers, c.cost, .jaccard) == 0)  // 0 / (0 + 3 − 0)
        #expect(matrix.value(c.barriers, c.barriers, .jaccard) == nil)  // 0 / 0
        #expect(matrix.value(c.barriers, c.cost, .conditional) == nil)
        #expect(matrix.value(c.cost, c.barriers, .conditional) == 0)
        #expect(matrix.value(c.barriers, c.cost, .lift) == nil)
        #expect(matrix.value(c.barriers, c.cost, .count) == 0)
    }

    @Test func rollUpCountsAParentWhereverItsChildrenAre() throws {
        let store = try CooccurrenceFixture.project()
        let c = try Codes(store)
        let matrix = try matrix(store, .segment, rollUp: true)
        #expect(matrix.codeIDs == [c.barriers, c.cost, c.time, c.search, c.data])
        #expect(
            try counts(matrix, store) == [
                // Barriers = Cost ∪ Time: alpha #2, #3, #4, beta #2, #4 = 5 (alpha #4 has both, counted once).
                "Barriers+Barriers: 5",
                "Barriers+Cost: 3",  // wherever Cost is
                "Barriers+Time: 3",  // wherever Time is
                "Barriers+Search: 2",  // alpha #2, #4
                "Barriers+Data: 1",  // beta #2 (Cost)
                // The children are as without roll-up.
                "Cost+Cost: 3", "Cost+Time: 1", "Cost+Search: 2", "Cost+Data: 1", "Time+Time: 3", "Time+Search: 1",
                "Time+Data: 0", "Search+Search: 2", "Search+Data: 0", "Data+Data: 3",
            ])
        #expect(matrix.value(c.barriers, c.search, .jaccard) == 0.4)  // 2 / (5 + 2 − 2)
        #expect(matrix.value(c.search, c.barriers, .conditional) == 1)  // every Search segment has a barrier
        // By source: both sources have Cost and Time, so Barriers is in both.
        let sources = try self.matrix(store, .source, rollUp: true)
        #expect(sources.frequency(c.barriers) == 2)
        #expect(sources.count(c.barriers, c.cost) == 2)
    }

    @Test func strongestPairsAreRankedByValueThenCountThenCodebookOrder() throws {
        let store = try CooccurrenceFixture.project()
        let c = try Codes(store)
        let matrix = try matrix(store, .segment)
        func ranked(_ measure: CooccurrenceMeasure) -> [String] {
            matrix.strongestPairs(by: measure, limit: 10).map { pair in
                let names = [c.cost: "Cost", c.time: "Time", c.search: "Search", c.data: "Data"]
                return "\(names[pair.a] ?? "?")+\(names[pair.b] ?? "?") \(pair.count) \(String(format: "%.3f", pair.value))"
            }
        }
        // Four pairs co-occur; Time+Data and Search+Data never do and are not listed.
        #expect(
            ranked(.count) == [
                "Cost+Search 2 2.000",
                "Cost+Time 1 1.000",  // ties: by first code, then second, in codebook order
                "Cost+Data 1 1.000",
                "Time+Search 1 1.000",
            ])
        #expect(
            ranked(.jaccard) == [
                "Cost+Search 2 0.667",  // 2 / 3
                "Time+Search 1 0.250",  // 1 / 4
                "Cost+Time 1 0.200",  // 1 / 5
                "Cost+Data 1 0.200",  // 1 / 5
            ])
        #expect(ranked(.c) == ranked(.jaccard))
        #expect(
            ranked(.conditional) == [
                "Cost+Search 2 0.667",  // P(Search|Cost) = 2 / 3
                "Cost+Time 1 0.333",  // P(Time|Cost) = 1 / 3
                "Cost+Data 1 0.333",  // P(Data|Cost) = 1 / 3
                "Time+Search 1 0.333",  // P(Search|Time) = 1 / 3
            ])
        #expect(
            ranked(.lift) == [
                "Cost+Search 2 3.333",  // 2 · 10 / (3 · 2)
                "Time+Search 1 1.667",  // 1 · 10 / (3 · 2)
                "Cost+Time 1 1.111",  // 1 · 10 / (3 · 3)
                "Cost+Data 1 1.111",
            ])
        #expect(matrix.strongestPairs(by: .jaccard, limit: 2).map(\.b) == [c.search, c.search])
        #expect(matrix.strongestPairs(by: .jaccard, limit: 0).isEmpty)
        #expect(matrix.strongestPairs(by: .jaccard, limit: -1).isEmpty)
    }

    @Test func minimumCountHidesRarePairs() throws {
        let store = try CooccurrenceFixture.project()
        let c = try Codes(store)
        let matrix = try matrix(store, .segment, minimumCount: 2)
        // Only Cost+Search co-occurs twice or more.
        #expect(matrix.strongestPairs(by: .jaccard, limit: 10).map { [$0.a, $0.b] } == [[c.cost, c.search]])
        #expect(matrix.pairsTable(by: .count, limit: 10, for: .csv).rows.count == 1)
        // The matrix keeps every code that occurs; the rarer pairs are blank, the diagonal stays.
        #expect(
            matrix.table(measure: .count, for: .csv).render(.csv) == """
                code,Barriers/Cost,Barriers/Time,Search,Data\r
                Barriers/Cost,3,,2,\r
                Barriers/Time,,3,,\r
                Search,2,,2,\r
                Data,,,,3\r

                """)
        // The counts themselves are not changed.
        #expect(matrix.count(c.cost, c.time) == 1)
        // A minimum of 0 shows the zeros; pairs that never co-occur are still not ranked.
        let all = try self.matrix(store, .segment, minimumCount: 0)
        #expect(all.table(measure: .count, for: .csv).rows[1] == [.text("Barriers/Time"), .int(1), .int(3), .int(1), .int(0)])
        #expect(all.strongestPairs(by: .count, limit: 10).count == 4)
    }

    @Test func imbalanceIsFlaggedFromFiveFold() throws {
        // One speaker, six turns. Data on #1–#5 (n = 5), Cost on #1–#4 (n = 4), Time on #1 (n = 1).
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "B", codes: [.init(name: "Cost"), .init(name: "Time"), .init(name: "Data"), .init(name: "Never")]),
            actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources(
            [try TestSupport.prepared("gamma", (1...6).map { "P1: Turn \($0)." }.joined(separator: "\n"))],
            actor: TestSupport.actor())
        let c = try ids(store, ["Cost", "Time", "Data", "Never"])
        let source = try SourceCatalog(store).resolveSource("gamma").id
        _ = try CodingEditor(store).code(sourceID: source, segments: [1, 2, 3, 4, 5], codeIDs: [c[2]], actor: TestSupport.actor())
        _ = try CodingEditor(store).code(sourceID: source, segments: [1, 2, 3, 4], codeIDs: [c[0]], actor: TestSupport.actor())
        _ = try CodingEditor(store).code(sourceID: source, segments: [1], codeIDs: [c[1]], actor: TestSupport.actor())
        let matrix = try matrix(store, .segment)
        #expect(matrix.isImbalanced(c[2], c[1]))  // 5 ≥ 5 · 1
        #expect(matrix.isImbalanced(c[1], c[2]))
        #expect(!matrix.isImbalanced(c[0], c[1]))  // 4 < 5 · 1
        #expect(!matrix.isImbalanced(c[2], c[0]))  // 5 < 5 · 4
        #expect(!matrix.isImbalanced(c[1], c[1]))
        // Time always comes with Data, yet the c-coefficient is only 1 / (5 + 1 − 1) = 0.2: it misleads.
        #expect(matrix.value(c[1], c[2], .c) == 0.2)
        #expect(matrix.value(c[1], c[2], .conditional) == 1)
        let pairs = matrix.pairsTable(by: .c, limit: 10, for: .csv).render(.csv)
        #expect(
            pairs == """
                code_a,code_b,count,value,n_a,n_b,imbalanced\r
                Cost,Data,4,0.800,4,5,false\r
                Cost,Time,1,0.250,4,1,false\r
                Time,Data,1,0.200,1,5,true\r

                """)
        // A code that never occurs is not imbalanced against anything.
        #expect(matrix.frequency(c[3]) == 0)
        #expect(!matrix.isImbalanced(c[3], c[2]))
    }

    @Test func oneLongCodingOverlappingSeveralCountsEachPair() throws {
        // One turn; Data on "alpha beta gamma delta" and on "alpha beta gamma"; Cost on "alpha" and on "gamma".
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(name: "B", codes: [.init(name: "Cost"), .init(name: "Data")]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("delta", "P1: alpha beta gamma delta.")], actor: TestSupport.actor())
        let coder = try SpanCoder(store)
        try coder.code("Data", "delta", "alpha beta gamma delta")
        try coder.code("Data", "delta", "alpha beta gamma")
        try coder.code("Cost", "delta", "alpha")
        try coder.code("Cost", "delta", "gamma")
        let c = try ids(store, ["Cost", "Data"])
        let matrix = try matrix(store, .overlap)
        #expect(matrix.totalUnits == 4)
        #expect(matrix.frequency(c[0]) == 2)
        #expect(matrix.frequency(c[1]) == 2)
        // Each Data coding intersects each Cost coding: 4 pairs, more than either code's codings.
        // The two Data codings intersect each other too, which is not a co-occurrence.
        #expect(matrix.count(c[0], c[1]) == 4)
        #expect(matrix.value(c[0], c[1], .jaccard) == nil)  // 4 / (2 + 2 − 4): undefined
        #expect(matrix.value(c[1], c[0], .conditional) == 2)  // 4 / 2
        #expect(matrix.value(c[0], c[1], .lift) == 4)  // 4 · 4 / (2 · 2)
        let pairs = matrix.strongestPairs(by: .jaccard, limit: 5)
        #expect(pairs.count == 1)
        #expect(pairs.first?.value.isNaN == true)
        #expect(pairs == matrix.strongestPairs(by: .jaccard, limit: 5))
        #expect(
            matrix.pairsTable(by: .jaccard, limit: 5, for: .csv).render(.csv)
                == "code_a,code_b,count,value,n_a,n_b,imbalanced\r\nCost,Data,4,,2,2,false\r\n")
        #expect(matrix.table(measure: .jaccard, for: .json).rows == [[.text("Cost"), .none, .none], [.text("Data"), .none, .none]])
        // One Data coding over one Cost coding: n12 = 1, c = 1 / (1 + 1 − 1).
        let one = try self.matrix(store, .segment)
        #expect(one.count(c[0], c[1]) == 1)
        #expect(one.value(c[0], c[1], .jaccard) == 1)
    }

    @Test func matrixTableShapes() throws {
        let store = try CooccurrenceFixture.project()
        let matrix = try matrix(store, .segment, rollUp: true)
        let csv = matrix.table(measure: .count, for: .csv)
        #expect(csv.columns.map(\.key) == ["code", "Barriers", "Barriers/Cost", "Barriers/Time", "Search", "Data"])
        #expect(csv.columns.map(\.title) == ["Code", "Barriers", "Cost", "Time", "Search", "Data"])
        #expect(csv.rows.map { $0.first } == ["Barriers", "Barriers/Cost", "Barriers/Time", "Search", "Data"].map { .text($0) })
        #expect(csv.indents.isEmpty)
        #expect(
            csv.render(.csv) == """
                code,Barriers,Barriers/Cost,Barriers/Time,Search,Data\r
                Barriers,5,3,3,2,1\r
                Barriers/Cost,3,3,1,2,1\r
                Barriers/Time,3,1,3,1,\r
                Search,2,2,1,2,\r
                Data,1,1,,,3\r

                """)
        let readable = matrix.table(measure: .count, for: .md)
        #expect(readable.rows.map { $0.first } == ["Barriers", "Cost", "Time", "Search", "Data"].map { .text($0) })
        #expect(readable.indents == [0, 1, 1, 0, 0])
        // Other measures: three decimals, a blank diagonal; conditional is P(column | row).
        let conditional = matrix.table(measure: .conditional, for: .csv)
        #expect(
            conditional.rows[3] == [
                .text("Search"), .decimal(1, places: 3), .decimal(1, places: 3),
                .decimal(0.5, places: 3), .none, .none,
            ])
        #expect(conditional.rows[1][4] == .decimal(2.0 / 3.0, places: 3))  // P(Search|Cost)
        #expect(conditional.render(.csv).contains("Barriers/Cost,1.000,,0.333,0.667,0.333\r\n"))
    }

    @Test func emptyProject() throws {
        let store = try ProjectDatabase.inMemory()
        for unit in [CooccurrenceUnit.segment, .overlap, .window(2), .source, .case] {
            let matrix = try matrix(store, unit, rollUp: true)
            #expect(matrix.totalUnits == 0)
            #expect(matrix.codeIDs.isEmpty)
            #expect(matrix.strongestPairs(by: .lift, limit: 5).isEmpty)
            #expect(matrix.table(measure: .count, for: .csv).render(.csv) == "code\r\n")
            #expect(matrix.pairsTable(by: .count, limit: 5, for: .json).render(.json) == "[]\n")
        }
    }

    @Test(arguments: [
        ("segment", CooccurrenceUnit.segment), ("overlap", .overlap), ("window:3", .window(3)), ("window:0", .window(0)),
        ("source", .source), ("case", .case), (" Window:12 ", .window(12)), ("SEGMENT", .segment),
    ])
    func unitsAreReadAsWritten(text: String, unit: CooccurrenceUnit) {
        #expect(CooccurrenceUnit(argument: text) == unit)
        #expect(CooccurrenceUnit(argument: unit.description) == unit)
    }

    @Test(arguments: [
        "", "segments", "window", "window:", "window:x", "window:-1", "window:+1", "window:1.5", "window:３",
        "windows:2", "cases", "window:99999999999999999999999",
    ])
    func badUnitsAreRefused(text: String) {
        #expect(CooccurrenceUnit(argument: text) == nil)
    }

    @Test func measuresAreNamedAsOnTheCommandLine() {
        #expect(CooccurrenceMeasure.allCases.map(\.rawValue) == ["count", "jaccard", "c", "conditional", "lift"])
        #expect(CooccurrenceOptions() == CooccurrenceOptions(unit: .segment, rollUp: false, minimumCount: 1))
    }
}

// MARK: - Golden files

@Suite struct CooccurrenceGoldenTests {
    @Test func matrixGoldenFiles() throws {
        let matrix = try ProjectAnalysis(CooccurrenceFixture.project()).cooccurrence(CooccurrenceOptions(rollUp: true), filter: AnalysisFilter())
        for format in [OutputFormat.csv, .json, .md] {
            assertSnapshot(matrix.table(measure: .count, for: format).render(format), named: "cooccurrence-matrix.\(format.rawValue)")
        }
        assertSnapshot(matrix.table(measure: .conditional, for: .csv).render(.csv), named: "cooccurrence-matrix-conditional.csv")
    }

    @Test func pairsGoldenFiles() throws {
        let matrix = try ProjectAnalysis(CooccurrenceFixture.project()).cooccurrence(CooccurrenceOptions(), filter: AnalysisFilter())
        for format in [OutputFormat.csv, .json, .md] {
            assertSnapshot(
                matrix.pairsTable(by: .jaccard, limit: 10, for: format).render(format),
                named: "cooccurrence-pairs.\(format.rawValue)")
        }
    }
}

// MARK: - Properties over random projects

/// Random projects: a codebook up to three levels deep (some parents only group), one to three
/// sources of turns by an interviewer and up to three participants, turns of one or two lines,
/// and codings by two coders that are either whole segments or arbitrary spans (which may
/// cross turns, start inside a speaker label, or overlap one another).
enum RandomProject {
    static let speakers = ["Interviewer", "Ann", "Bo", "Cy"]
    static let words = ["data", "time", "cost", "search", "ward", "team", "report", "audit", "budget", "evidence"]

    static func make(seed: UInt64) throws -> ProjectDatabase {
        var random = SeededGenerator(seed: seed)
        let store = try ProjectDatabase.inMemory(name: "Random \(seed)")

        func nodes(_ prefix: String, depth: Int) -> [Codebook.Node] {
            var result: [Codebook.Node] = []
            let count = depth == 0 ? Int.random(in: 2...4, using: &random) : Int.random(in: 0...3, using: &random)
            for index in 0..<count {
                let name = "\(prefix)\(index)"
                let children = depth < 2 ? nodes(name + ".", depth: depth + 1) : []
                let isCodable = children.isEmpty || Bool.random(using: &random)
                result.append(.init(name: "K" + name, isCodable: isCodable, children: children))
            }
            return result
        }
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "Random", codes: nodes("", depth: 0)), actor: TestSupport.actor())

        var prepared: [PreparedSource] = []
        for number in 1...Int.random(in: 1...3, using: &random) {
            var lines: [String] = []
            for _ in 0..<Int.random(in: 2...7, using: &random) {
                func sentence() -> String {
                    (0..<Int.random(in: 2...6, using: &random)).map { _ in words.randomElement(using: &random) ?? "x" }
                        .joined(separator: " ") + "."
                }
                lines.append("\(speakers.randomElement(using: &random) ?? "Ann"): \(sentence())")
                if Bool.random(using: &random) { lines.append(sentence()) }
            }
            // Some sources start with a title that no speaker turn holds.
            let title = number % 2 == 1 ? "Study notes, session \(number)\n\n" : ""
            prepared.append(try TestSupport.prepared("source-\(number)", title + lines.joined(separator: "\n")))
        }
        _ = try SourceImporter(store).importSources(prepared, actor: TestSupport.actor())

        // Both coders exist even when one of them codes nothing, so that a filter on either is valid.
        try store.change(TestSupport.actor()) { db in
            for coder in ["alice", "bob"] { _ = try CoderTable(db).id(named: coder) }
            return ((), nil)
        }
        let tree = try CodeTree.load(store)
        let codable = tree.codes.filter(\.isCodable).map(\.id)
        let sources = try SourceCatalog(store).sources()
        for _ in 0..<Int.random(in: 0...18, using: &random) {
            guard let source = sources.randomElement(using: &random), let code = codable.randomElement(using: &random) else { break }
            let coder = Bool.random(using: &random) ? "alice" : "bob"
            let segments = try SourceCatalog(store).segments(ofSource: source.id)
            if Bool.random(using: &random), !segments.isEmpty {
                let first = Int.random(in: 1...segments.count, using: &random)
                let last = min(segments.count, first + Int.random(in: 0...1, using: &random))
                _ = try CodingEditor(store).code(sourceID: source.id, segments: Array(first...last), codeIDs: [code], actor: TestSupport.actor(coder))
            } else {
                let length = try SourceCatalog(store).text(ofSource: source.id).unicodeScalars.count
                guard length > 1 else { continue }
                let start = Int.random(in: 0..<(length - 1), using: &random)
                let end = min(length, start + Int.random(in: 1...60, using: &random))
                _ = try store.change(TestSupport.actor(coder)) { db in
                    let inserter = try CodingInserter(db, coderID: try CoderTable(db).id(named: coder))
                    return (
                        try inserter.insert(codeID: code, sourceID: source.id, span: TextSpan(start: start, end: end), memo: nil),
                        "coded a span"
                    )
                }
            }
        }
        return store
    }
}

/// The co-occurrence counts worked out the slow way, straight from the definitions: for every
/// unit and every code, whether any coding of the code is in the unit; for overlap, every pair
/// of codings. `counts[x][y]` is n(x∩y) by positions in codebook order; the diagonal is n(x).
private func naiveCounts(_ snapshot: AnalysisSnapshot, _ options: CooccurrenceOptions) -> (total: Int, counts: [[Int]]) {
    let codes = snapshot.tree.codes
    let positions = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1.id, $0) })
    func stands(_ coding: AnalysisSnapshot.Coding) -> Set<Int> {
        var result = Set<Int>()
        var current: Int64? = coding.codeID
        while let id = current, let position = positions[id] {
            result.insert(position)
            current = options.rollUp ? snapshot.tree.code(id)?.parentID : nil
        }
        return result
    }
    var counts = [[Int]](repeating: [Int](repeating: 0, count: codes.count), count: codes.count)
    let segments = snapshot.segments
    if options.unit == .overlap {
        for coding in snapshot.codings {
            for x in stands(coding) { counts[x][x] += 1 }
        }
        for i in snapshot.codings.indices {
            for j in snapshot.codings.indices where j > i {
                let p = snapshot.codings[i], q = snapshot.codings[j]
                guard p.sourceID == q.sourceID, p.span.overlaps(q.span) else { continue }
                let shared = TextSpan(start: max(p.span.start, q.span.start), end: min(p.span.end, q.span.end))
                let sharesText =
                    p.segments.isEmpty && q.segments.isEmpty
                    || segments.contains { $0.sourceID == p.sourceID && $0.span.overlaps(shared) }
                guard sharesText else { continue }
                let (first, second) = (stands(p), stands(q))
                for x in codes.indices {
                    for y in codes.indices where x != y {
                        if (first.contains(x) && second.contains(y)) || (second.contains(x) && first.contains(y)) {
                            counts[x][y] += 1
                        }
                    }
                }
            }
        }
        return (snapshot.codings.count, counts)
    }
    let isIn: [(AnalysisSnapshot.Coding) -> Bool]
    switch options.unit {
    case .segment, .overlap:
        isIn = segments.indices.map { unit in { $0.segments.contains(unit) } }
    case .window(let size):
        isIn = segments.map { unit in
            { coding in
                // A unit's place: twice its number, one more for a gap (which has the number of
                // the segment before it).
                func place(_ segment: AnalysisSnapshot.Segment) -> Int { 2 * segment.number + (segment.isGap ? 1 : 0) }
                return coding.segments.contains { touched in
                    segments[touched].sourceID == unit.sourceID && (0...(2 * size)).contains(place(unit) - place(segments[touched]))
                }
            }
        }
    case .source:
        isIn = snapshot.sources.map { source in { $0.sourceID == source.id } }
    case .case:
        isIn = snapshot.cases.map { found in { coding in coding.segments.contains { segments[$0].caseID == found.id } } }
    }
    for unit in isIn {
        var present = Set<Int>()
        for coding in snapshot.codings where unit(coding) { present.formUnion(stands(coding)) }
        for x in present {
            for y in present { counts[x][y] += 1 }
        }
    }
    return (isIn.count, counts)
}

@Suite struct CooccurrencePropertyTests {
    static let seeds: [UInt64] = Array(1...30)
    static let units: [CooccurrenceUnit] = [.segment, .overlap, .window(0), .window(1), .window(2), .source, .case]
    static let filters = [AnalysisFilter(), AnalysisFilter(excludesInterviewers: true), AnalysisFilter(coders: ["alice"])]

    @Test(arguments: seeds)
    func matchesTheDefinitionsAndKeepsItsInvariants(seed: UInt64) throws {
        let store = try RandomProject.make(seed: seed)
        for filter in Self.filters {
            let snapshot = try ProjectAnalysis(store).snapshot(filter)
            let codes = snapshot.tree.codes
            for unit in Self.units {
                for rollUp in [false, true] {
                    let options = CooccurrenceOptions(unit: unit, rollUp: rollUp)
                    let matrix = CooccurrenceMatrix(snapshot: snapshot, options: options)
                    let label = "seed \(seed), \(unit), roll-up \(rollUp), \(filter.summary)"
                    let naive = naiveCounts(snapshot, options)
                    #expect(matrix.totalUnits == naive.total, "\(label)")
                    #expect(matrix.codeIDs == codes.indices.filter { naive.counts[$0][$0] > 0 }.map { codes[$0].id }, "\(label)")
                    for (x, a) in codes.enumerated() {
                        #expect(matrix.frequency(a.id) == naive.counts[x][x], "\(label): n(\(a.name))")
                        #expect(matrix.frequency(a.id) <= matrix.totalUnits, "\(label)")
                        for (y, b) in codes.enumerated() {
                            let both = matrix.count(a.id, b.id)
                            #expect(both == naive.counts[x][y], "\(label): n(\(a.name) ∩ \(b.name))")
                            // Symmetry.
                            #expect(both == matrix.count(b.id, a.id), "\(label)")
                            for measure in [CooccurrenceMeasure.count, .jaccard, .c, .lift] {
                                #expect(matrix.value(a.id, b.id, measure) == matrix.value(b.id, a.id, measure), "\(label) \(measure)")
                            }
                            // Bounds: a pair is never in more units than either code, nor either code in
                            // more units than there are. With overlap, pairs of codings are counted.
                            if unit == .overlap {
                                #expect(both <= matrix.frequency(a.id) * max(1, matrix.frequency(b.id)), "\(label)")
                            } else {
                                #expect(both <= min(matrix.frequency(a.id), matrix.frequency(b.id)), "\(label)")
                                for measure in [CooccurrenceMeasure.jaccard, .conditional] {
                                    if let value = matrix.value(a.id, b.id, measure) { #expect((0...1).contains(value), "\(label)") }
                                }
                            }
                            if let lift = matrix.value(a.id, b.id, .lift) { #expect(lift >= 0, "\(label)") }
                        }
                        // Roll-up: a parent is everywhere its children are.
                        if rollUp, let parent = a.parentID {
                            #expect(matrix.frequency(parent) >= matrix.frequency(a.id), "\(label)")
                            if unit != .overlap {
                                for b in codes where b.id != parent && b.id != a.id {
                                    #expect(matrix.count(parent, b.id) >= matrix.count(a.id, b.id), "\(label)")
                                }
                            }
                        }
                    }
                    // The same matrix from a fresh load of the project ranks the same pairs.
                    let again = try ProjectAnalysis(store).cooccurrence(options, filter: filter)
                    checkRanking(matrix, again, naive.counts, codes: codes, label: label)
                }
            }
            // window:0 is segment.
            for rollUp in [false, true] {
                let zero = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: .window(0), rollUp: rollUp))
                let segment = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: .segment, rollUp: rollUp))
                #expect(zero.totalUnits == segment.totalUnits)
                #expect(zero.codeIDs == segment.codeIDs)
                for a in codes {
                    for b in codes { #expect(zero.count(a.id, b.id) == segment.count(a.id, b.id)) }
                }
            }
        }
    }

    @Test func theRandomProjectsExerciseTheHardCases() throws {
        var overlapping = 0, windowOnly = 0, crossing = 0, interviewerOnly = 0, moreThanEither = 0
        for seed in Self.seeds {
            let store = try RandomProject.make(seed: seed)
            let snapshot = try ProjectAnalysis(store).snapshot()
            let ids = snapshot.tree.codes.map(\.id)
            let overlap = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: .overlap))
            let segment = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: .segment))
            let window = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: .window(1)))
            let pairs = ids.flatMap { a in ids.filter { $0 != a }.map { (a, $0) } }
            if pairs.contains(where: { overlap.count($0.0, $0.1) > 0 }) { overlapping += 1 }
            if pairs.contains(where: { overlap.count($0.0, $0.1) > min(overlap.frequency($0.0), overlap.frequency($0.1)) }) {
                moreThanEither += 1
            }
            if pairs.contains(where: { window.count($0.0, $0.1) > 0 && segment.count($0.0, $0.1) == 0 }) { windowOnly += 1 }
            if snapshot.codings.contains(where: { $0.segments.count > 1 }) { crossing += 1 }
            if try ProjectAnalysis(store).snapshot(AnalysisFilter(excludesInterviewers: true)).codings.count < snapshot.codings.count {
                interviewerOnly += 1
            }
        }
        // Each case comes up in several of the thirty projects.
        #expect(overlapping >= 10, "\(overlapping) projects with overlapping codings of two codes")
        #expect(windowOnly >= 10, "\(windowOnly) projects with codes only near each other")
        #expect(crossing >= 10, "\(crossing) projects with a coding across segments")
        #expect(interviewerOnly >= 5, "\(interviewerOnly) projects with a coding of an interviewer's turn only")
        #expect(moreThanEither >= 1, "\(moreThanEither) projects where one coding overlaps several of another code")
    }

    /// The ranked pairs are exactly the co-occurring pairs in the documented order, and the same
    /// from a second computation.
    private func checkRanking(
        _ matrix: CooccurrenceMatrix, _ again: CooccurrenceMatrix, _ counts: [[Int]], codes: [Code],
        label: String
    ) {
        for measure in CooccurrenceMeasure.allCases {
            var expected: [(x: Int, y: Int, value: Double, count: Int)] = []
            for x in codes.indices {
                for y in codes.indices where y > x && counts[x][y] >= 1 {
                    expected.append((x, y, matrix.value(codes[x].id, codes[y].id, measure) ?? .nan, counts[x][y]))
                }
            }
            expected.sort { p, q in
                if p.value.isNaN != q.value.isNaN { return !p.value.isNaN }
                if !p.value.isNaN && p.value != q.value { return p.value > q.value }
                if p.count != q.count { return p.count > q.count }
                return (p.x, p.y) < (q.x, q.y)
            }
            let pairs = matrix.strongestPairs(by: measure, limit: .max)
            #expect(pairs.map { [$0.a, $0.b] } == expected.map { [codes[$0.x].id, codes[$0.y].id] }, "\(label) \(measure)")
            #expect(pairs.allSatisfy { $0.isImbalanced == matrix.isImbalanced($0.a, $0.b) })
            #expect(again.strongestPairs(by: measure, limit: 7) == Array(pairs.prefix(7)), "\(label) \(measure)")
        }
    }
}
