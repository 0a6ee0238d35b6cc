import Foundation

/// Reliability data: what each coder said about each unit, as in Krippendorff's layout of
/// units by coders. A value is a category (any whole number); nil is missing data (the coder
/// did not judge the unit). Identical units can be kept once with a count, so that millions of
/// characters with the same pattern of judgements cost one row.
///
/// ```swift
/// var data = ReliabilityData(coders: 2)
/// data.append([1, 1], count: 20)
/// data.append([1, 0], count: 5)
/// Agreement.cohensKappa(data)
/// ```
public struct ReliabilityData: Sendable, Equatable {
    /// A unit (or `count` identical units).
    public struct Unit: Sendable, Equatable {
        /// One value per coder, nil where the coder gave none.
        public var values: [Int?]
        /// How many identical units this row stands for.
        public var count: Int
    }

    /// The number of coders.
    package let coderCount: Int
    /// The units.
    public private(set) var units: [Unit] = []

    /// Empty data for some coders.
    package init(coders: Int) {
        precondition(coders >= 1, "Reliability data needs at least one coder")
        coderCount = coders
    }

    /// Data from units, each a list of one value per coder.
    package init(units: [[Int?]]) {
        self.init(coders: units.first?.count ?? 1)
        for values in units { append(values) }
    }

    /// Adds a unit, or `count` identical units.
    public mutating func append(_ values: [Int?], count: Int = 1) {
        precondition(values.count == coderCount, "A unit needs one value per coder")
        guard count > 0 else { return }
        units.append(Unit(values: values, count: count))
    }

    /// Adds all the units of other data for the same coders.
    public mutating func append(contentsOf other: ReliabilityData) {
        precondition(other.coderCount == coderCount, "Reliability data for different numbers of coders")
        units += other.units
    }

    /// The number of units, counting each row `count` times.
    package var unitCount: Int { units.reduce(0) { $0 + $1.count } }

    /// The same data with the coders in another order (`order[i]` is the old index of coder i).
    package func reordered(_ order: [Int]) -> ReliabilityData {
        var result = ReliabilityData(coders: coderCount)
        for unit in units { result.append(order.map { unit.values[$0] }, count: unit.count) }
        return result
    }
}

/// Agreement between coders, from reliability data. Each statistic returns nil when it is not
/// defined for the data: too few coders or units, or no variation to measure agreement against
/// (every value the same category, where chance agreement is already perfect).
///
/// The definitions, and the published examples the tests check them against:
/// - Percent agreement: for each unit with at least two values, the share of pairs of its values
///   that agree; averaged over those units. With two coders and no missing data this is the
///   share of units on which they agree.
/// - Cohen's kappa (Cohen 1960): exactly two coders, units both coded; chance agreement from
///   each coder's own distribution of categories.
/// - Fleiss' kappa (Fleiss 1971): any number of coders, units every coder coded; chance
///   agreement from the pooled distribution of categories.
/// - Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's
///   Alpha-Reliability"): any number of coders, missing data allowed; units with fewer than two
///   values do not count.
public enum Agreement {
    /// The share of agreeing pairs of values, averaged over units with at least two values.
    public static func percent(_ data: ReliabilityData) -> Double? {
        var total = 0.0
        var units = 0.0
        for unit in data.units {
            let present = unit.values.compactMap { $0 }
            guard present.count >= 2 else { continue }
            let pairs = Double(present.count * (present.count - 1))
            let agreeing = Double(categoryCounts(present).values.reduce(0) { $0 + $1 * ($1 - 1) })
            total += Double(unit.count) * agreeing / pairs
            units += Double(unit.count)
        }
        return units > 0 ? total / units : nil
    }

    /// Cohen's kappa for exactly two coders, over the units both coded.
    package static func cohensKappa(_ data: ReliabilityData) -> Double? {
        guard data.coderCount == 2 else { return nil }
        var agreeing = 0.0
        var total = 0.0
        var first: [Int: Double] = [:]
        var second: [Int: Double] = [:]
        for unit in data.units {
            guard let a = unit.values[0], let b = unit.values[1] else { continue }
            let count = Double(unit.count)
            total += count
            if a == b { agreeing += count }
            first[a, default: 0] += count
            second[b, default: 0] += count
        }
        guard total > 0 else { return nil }
        let observed = agreeing / total
        let expected = first.reduce(0.0) { $0 + ($1.value / total) * ((second[$1.key] ?? 0) / total) }
        return kappa(observed: observed, expected: expected)
    }

    /// Fleiss' kappa for two or more coders, over the units every coder coded.
    package static func fleissKappa(_ data: ReliabilityData) -> Double? {
        let raters = data.coderCount
        guard raters >= 2 else { return nil }
        var subjects = 0.0
        var agreementSum = 0.0
        var categoryTotals: [Int: Double] = [:]
        for unit in data.units {
            let present = unit.values.compactMap { $0 }
            guard present.count == raters else { continue }
            let count = Double(unit.count)
            let counts = categoryCounts(present)
            let squares = counts.values.reduce(0) { $0 + $1 * $1 }
            agreementSum += count * Double(squares - raters) / Double(raters * (raters - 1))
            for (category, n) in counts { categoryTotals[category, default: 0] += count * Double(n) }
            subjects += count
        }
        guard subjects > 0 else { return nil }
        let observed = agreementSum / subjects
        let ratings = subjects * Double(raters)
        let expected = categoryTotals.values.reduce(0.0) { $0 + ($1 / ratings) * ($1 / ratings) }
        return kappa(observed: observed, expected: expected)
    }

    /// Krippendorff's alpha for nominal data: any number of coders, missing values allowed.
    package static func krippendorffAlpha(_ data: ReliabilityData) -> Double? {
        // The coincidence matrix: each unit with m values adds, for every ordered pair of its
        // values from different coders, 1 / (m - 1) to the cell of their categories.
        var disagreeing = 0.0
        var marginals: [Int: Double] = [:]
        for unit in data.units {
            let present = unit.values.compactMap { $0 }
            let m = present.count
            guard m >= 2 else { continue }
            let count = Double(unit.count)
            let counts = categoryCounts(present)
            let weight = count / Double(m - 1)
            for (category, n) in counts {
                // Pairs of this category with a value of another category.
                disagreeing += weight * Double(n * (m - n))
                // Each value is paired with the m - 1 others: its category's marginal grows by n.
                marginals[category, default: 0] += count * Double(n)
            }
        }
        let n = marginals.values.reduce(0, +)
        guard n > 1 else { return nil }
        let squares = marginals.values.reduce(0.0) { $0 + $1 * $1 }
        let expectedDisagreeing = n * n - squares
        guard expectedDisagreeing > 0 else { return nil }
        return 1 - (n - 1) * disagreeing / expectedDisagreeing
    }

    private static func kappa(observed: Double, expected: Double) -> Double? {
        guard expected < 1 - 1e-12 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    private static func categoryCounts(_ values: [Int]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts
    }
}
