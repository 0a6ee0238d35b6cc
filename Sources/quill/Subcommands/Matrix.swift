public import ArgumentParser
import Foundation
import QuillKit

extension MatrixDimension: ExpressibleByArgument {}

extension Quill.Stats {
    /// Code matrices.
    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Codes against sources, cases or the values of a case attribute: coded segments per cell, or shares.",
            discussion: "A cell counts the column's segments that carry the code; with --shares it is the percentage of the column's segments.")

        @Option(name: .long, help: ArgumentHelp("The columns: source, case, or attribute:NAME.", valueName: "dimension"))
        var by: MatrixDimension = .case
        @Flag(name: .long, help: "Show each cell as a percentage of the column's segments.")
        var shares = false
        @Flag(name: .long, help: "Count each code together with the codes below it.")
        var rollup = false
        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let matrix = try ProjectAnalysis(project.open()).matrix(by, rollUp: rollup, filter: filters.filter)
            Console.out(matrix.table(shares: shares, for: format.format).render(format.format))
        }
    }
}
