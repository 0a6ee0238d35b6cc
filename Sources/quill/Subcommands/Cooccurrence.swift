import ArgumentParser
import Foundation
import QuillKit

extension Quill.Stats {
    /// Code co-occurrence: the code × code matrix, or the strongest pairs.
    struct Cooccurrence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cooccurrence",
            abstract: "Which codes occur together: a code × code matrix, or the strongest pairs.",
            discussion: """
                Units: 'segment' (default) counts the segments where both codes are present, wherever in the \
                segment; 'overlap' counts pairs of codings whose spans intersect; 'window:N' counts codes within \
                N segments of each other in one source; 'source' counts sources and 'case' counts \
                cases. Measures: count; jaccard or c, ATLAS.ti's c-coefficient n12 / (n1 + n2 - n12); \
                conditional, P(column | row); lift, n12 * N / (n1 * n2). A pair whose frequencies differ \
                five-fold or more is flagged as imbalanced in --pairs: its c-coefficient misleads.
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "What two codes must share: segment, overlap, window:N, source or case.",
                valueName: "unit"))
        var unit = "segment"

        @Option(name: .long, help: ArgumentHelp("count, jaccard, c, conditional or lift.", valueName: "measure"))
        var measure = "count"

        @Flag(name: .long, help: "Count each code wherever a code below it is.")
        var rollup = false

        @Option(
            name: .customLong("min-count"),
            help: ArgumentHelp(
                "Leave out pairs that co-occur fewer times than this.",
                valueName: "n"))
        var minCount = 1

        @Option(name: .long, help: ArgumentHelp("List the n strongest pairs instead of the matrix.", valueName: "n"))
        var pairs: Int?

        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func validate() throws {
            _ = try parsedUnit()
            _ = try parsedMeasure()
            if minCount < 0 { throw ValidationError("'--min-count' must be 0 or more.") }
            if let pairs, pairs < 1 { throw ValidationError("'--pairs' must be 1 or more.") }
        }

        func run() throws {
            let options = CooccurrenceOptions(unit: try parsedUnit(), rollUp: rollup, minimumCount: minCount)
            let matrix = try ProjectAnalysis(project.open()).cooccurrence(options, filter: filters.filter)
            let measure = try parsedMeasure()
            let table =
                pairs.map { matrix.pairsTable(by: measure, limit: $0, for: format.format) }
                ?? matrix.table(measure: measure, for: format.format)
            Console.out(table.render(format.format))
            guard format.format == .table else { return }
            Console.note("N = \(matrix.totalUnits) \(options.unit.unitName) (unit \(options.unit)); filter: \(filters.filter.summary).")
            let imbalanced = matrix.strongestPairs(by: measure, limit: .max).filter(\.isImbalanced).count
            if pairs == nil, measure == .jaccard || measure == .c, imbalanced > 0 {
                Console.note(
                    "\(imbalanced) pair(s) shown have frequencies five-fold apart or more: their c-coefficient "
                        + "understates the link; --pairs flags them, and --measure conditional shows P(B|A).")
            }
        }

        private func parsedUnit() throws -> CooccurrenceUnit {
            guard let parsed = CooccurrenceUnit(argument: unit) else {
                throw ValidationError("'--unit \(unit)' is not a unit. Use \(CooccurrenceUnit.validForms).")
            }
            return parsed
        }

        private func parsedMeasure() throws -> CooccurrenceMeasure {
            guard let parsed = CooccurrenceMeasure(rawValue: measure.lowercased()) else {
                throw ValidationError(
                    "'--measure \(measure)' is not a measure. Use "
                        + CooccurrenceMeasure.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            return parsed
        }
    }
}
