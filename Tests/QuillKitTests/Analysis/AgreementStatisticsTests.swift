import Foundation
import Testing

@testable import QuillKit

/// The agreement statistics against published worked examples, to the precision the sources
/// give, and their properties.
@Suite struct AgreementStatisticsTests {
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    /// observers, twelve units, nominal values with missing data. Rows are observers A-D.
    static let krippendorffNominal: [[Int?]] = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
        [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]

    /// Krippendorff (2011), section A: two observers, ten units, binary values.
    static let krippendorffBinary: [[Int?]] = [
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]

    /// Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa" page: ten subjects, fourteen
    /// raters, five categories; each row counts the raters who chose each category.
    static let fleissCounts = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]

    /// Units from rows of observers (Krippendorff's layout: one row per observer).
    static func data(observers rows: [[Int?]]) -> ReliabilityData {
        ReliabilityData(units: rows[0].indices.map { unit in rows.map { $0[unit] } })
    }

    /// Fleiss' table turned into ratings: subject i gets `counts[i][j]` ratings of category j.
    static func fleissData() -> ReliabilityData {
        ReliabilityData(
            units: fleissCounts.map { counts in
                counts.enumerated().flatMap { category, n in Array(repeating: Optional(category + 1), count: n) }
            })
    }

    /// Wikipedia's "Cohen's kappa" example: 50 proposals, both yes 20, A yes and B no 5,
    /// A no and B yes 10, both no 15.
    static func cohenData() -> ReliabilityData {
        var data = ReliabilityData(coders: 2)
        data.append([1, 1], count: 20)
        data.append([1, 0], count: 5)
        data.append([0, 1], count: 10)
        data.append([0, 0], count: 15)
        return data
    }

    static func rounded(_ value: Double?, _ places: Int) -> Double? {
        value.map { ($0 * pow(10, Double(places))).rounded() / pow(10, Double(places)) }
    }

    @Test func krippendorffNominalExampleWithMissingData() {
        let data = Self.data(observers: Self.krippendorffNominal)
        #expect(Self.rounded(Agreement.krippendorffAlpha(data), 3) == 0.743)
        // Only 9 units are coded by all four observers: Fleiss uses those; Cohen needs two.
        #expect(Agreement.cohensKappa(data) == nil)
        #expect(Agreement.fleissKappa(data) != nil)
    }

    @Test func krippendorffBinaryExample() {
        let data = Self.data(observers: Self.krippendorffBinary)
        #expect(Self.rounded(Agreement.krippendorffAlpha(data), 3) == 0.095)
        // Exactly 2/21 by the definition.
        #expect(abs((Agreement.krippendorffAlpha(data) ?? 0) - 2.0 / 21.0) < 1e-12)
        #expect(Agreement.percent(data) == 0.6)
    }

    @Test func fleissExample() {
        let data = Self.fleissData()
        #expect(data.coderCount == 14)
        #expect(Self.rounded(Agreement.fleissKappa(data), 3) == 0.210)
        // Wikipedia gives P-bar = 0.378 and P-bar-e = 0.213; P-bar is the percent agreement.
        #expect(Self.rounded(Agreement.percent(data), 3) == 0.378)
    }

    @Test func cohenExample() {
        let data = Self.cohenData()
        #expect(Self.rounded(Agreement.cohensKappa(data), 3) == 0.4)
        #expect(Self.rounded(Agreement.percent(data), 3) == 0.7)
        // Expanded to one row per unit, the counts give the same figures.
        let expanded = ReliabilityData(units: data.units.flatMap { Array(repeating: $0.values, count: $0.count) })
        #expect(expanded.unitCount == 50)
        #expect(Self.rounded(Agreement.cohensKappa(expanded), 12) == Self.rounded(Agreement.cohensKappa(data), 12))
        #expect(Self.rounded(Agreement.krippendorffAlpha(expanded), 12) == Self.rounded(Agreement.krippendorffAlpha(data), 12))
    }

    @Test func twoCodersWithoutMissingDataFleissAndAlphaAgreeWithTheirFormulas() throws {
        // For two coders, Fleiss' kappa is Scott's pi, and alpha = 1 - (1 - pi) * (2N - 1) / 2N.
        let data = Self.cohenData()
        let pi = try #require(Agreement.fleissKappa(data) as Double?)
        let alpha = try #require(Agreement.krippendorffAlpha(data) as Double?)
        #expect(abs(alpha - (1 - (1 - pi) * 99.0 / 100.0)) < 1e-12)
        // Scott's pi by hand: pooled yes share = (25 + 30) / 100 = 0.55; pe = 0.55² + 0.45² = 0.505.
        #expect(abs(pi - (0.7 - 0.505) / (1 - 0.505)) < 1e-12)
    }

    @Test(arguments: [
        ReliabilityData(units: [[1, 1], [0, 0], [1, 1], [0, 0]]),
        ReliabilityData(units: [[2, 2, 2], [1, 1, 1], [3, 3, 3], [1, 1, nil]]),
    ])
    func perfectAgreementIsOne(_ data: ReliabilityData) {
        #expect(Agreement.percent(data) == 1)
        #expect(Agreement.fleissKappa(data) == 1)
        #expect(Agreement.krippendorffAlpha(data) == 1)
        if data.coderCount == 2 { #expect(Agreement.cohensKappa(data) == 1) }
    }

    @Test func coderOrderDoesNotMatter() {
        let nominal = Self.data(observers: Self.krippendorffNominal)
        for order in [[3, 2, 1, 0], [1, 0, 3, 2], [2, 0, 3, 1]] {
            let reordered = nominal.reordered(order)
            #expect(Self.rounded(Agreement.krippendorffAlpha(reordered), 12) == Self.rounded(Agreement.krippendorffAlpha(nominal), 12))
            #expect(Self.rounded(Agreement.fleissKappa(reordered), 12) == Self.rounded(Agreement.fleissKappa(nominal), 12))
            #expect(Self.rounded(Agreement.percent(reordered), 12) == Self.rounded(Agreement.percent(nominal), 12))
        }
        let cohen = Self.cohenData()
        #expect(Self.rounded(Agreement.cohensKappa(cohen.reordered([1, 0])), 12) == Self.rounded(Agreement.cohensKappa(cohen), 12))
    }

    @Test func undefinedWithoutVariationOrData() {
        // Every value the same category: chance agreement is already perfect.
        let constant = ReliabilityData(units: [[0, 0], [0, 0], [0, 0]])
        #expect(Agreement.percent(constant) == 1)
        #expect(Agreement.cohensKappa(constant) == nil)
        #expect(Agreement.fleissKappa(constant) == nil)
        #expect(Agreement.krippendorffAlpha(constant) == nil)
        // No unit with two values.
        let sparse = ReliabilityData(units: [[1, nil], [nil, 0]])
        #expect(Agreement.percent(sparse) == nil)
        #expect(Agreement.cohensKappa(sparse) == nil)
        #expect(Agreement.krippendorffAlpha(sparse) == nil)
        // Cohen's kappa is for two coders only.
        #expect(Agreement.cohensKappa(ReliabilityData(units: [[1, 0, 1], [0, 0, 1]])) == nil)
    }

    @Test func systematicDisagreementIsBelowZero() {
        let data = ReliabilityData(units: [[1, 0], [0, 1], [1, 0], [0, 1]])
        #expect(Agreement.percent(data) == 0)
        #expect(Agreement.cohensKappa(data) == -1)
        #expect((Agreement.krippendorffAlpha(data) ?? 0) < 0)
    }
}
