import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill search`: words in segments, combined with codes.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find segments by their words (full-text, any case and accents) and by the codes on or near them.",
            discussion: """
                TEXT is a full-text query: plain words must all occur; "a phrase", word*, AND, OR, NOT and \
                NEAR(a b, 5) work as in SQLite FTS5. --code, --any and --not add conditions on the codes of the \
                segment, or of the segments within --near N of it in the same source. Results are excerpts in \
                reading order.
                """)

        @Argument(help: "Words to find.")
        var text: String?
        @OptionGroup var conditions: CodeConditions
        @Option(name: .long, help: ArgumentHelp("Let the codes be up to N segments away in the same source.", valueName: "n"))
        var near: Int?
        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func validate() throws {
            if (text ?? "").trimmingCharacters(in: .whitespaces).isEmpty && conditions.isEmpty {
                throw ValidationError("Give words to find, or at least one --code, --any or --not.")
            }
            if let near, near < 0 { throw ValidationError("'--near' takes a number of segments, 0 or more.") }
        }

        func run() throws {
            let store = try project.open()
            let (all, any, not) = try conditions.resolve(in: store)
            let query = SearchQuery(text: text, allCodes: all, anyCodes: any, noCodes: not, near: near, rollUp: conditions.rollup)
            let found = try ProjectAnalysis(store).searchExcerpts(query, filter: filters.filter)
            if format.format == .table {
                Console.out(Quill.Excerpts.readable(found))
                Console.note(found.count == 1 ? "1 segment found." : "\(found.count) segments found.")
            } else {
                Console.out(Excerpt.table(found, for: format.format).render(format.format))
            }
        }
    }
}
