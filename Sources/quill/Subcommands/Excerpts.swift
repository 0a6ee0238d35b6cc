import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill excerpts`: the segments coded with some codes and not others.
    struct Excerpts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the segments coded X (and also Y, or any of Z, but not W), in reading order.",
            discussion: """
                A segment is an excerpt when codings touch it with every --code, with at least one --any (if given) \
                and with no --not. With --rollup a code also counts where one of the codes below it is. Codes are \
                named by path, by the end of a path or by a unique name, as everywhere in Quill. On a terminal each \
                excerpt is printed as 'source #segment · speaker' with its text below; --format csv|json|md gives the \
                source, segment number, speaker, case, offsets, the codes found and the text.
                """)

        @OptionGroup var conditions: CodeConditions
        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func validate() throws {
            guard !conditions.code.isEmpty || !conditions.any.isEmpty else {
                throw ValidationError("Give at least one --code or --any, for example: quill excerpts --code \"Knowledge management\".")
            }
        }

        func run() throws {
            let store = try project.open()
            let (all, any, not) = try conditions.resolve(in: store)
            let query = ExcerptQuery(codes: all, anyOf: any, excluding: not, rollUp: conditions.rollup)
            let found = QuillKit.excerpts(query, in: try ProjectAnalysis(store).snapshot(filters.filter))
            if format.format == .table {
                Console.out(Self.readable(found))
                Console.note(found.count == 1 ? "1 excerpt." : "\(found.count) excerpts.")
            } else {
                Console.out(Excerpt.table(found, for: format.format).render(format.format))
            }
        }

        /// Each excerpt as a heading (`source #n · speaker`, then its codes) and its text indented.
        static func readable(_ excerpts: [Excerpt]) -> String {
            excerpts.map { excerpt in
                var heading = "\(excerpt.source) \(excerpt.place)"
                if let speaker = excerpt.speaker { heading += " · \(speaker)" }
                if !excerpt.codes.isEmpty { heading += "  [\(excerpt.codes.joined(separator: "; "))]" }
                let lines = excerpt.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    .split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }
                return ([heading] + lines).joined(separator: "\n") + "\n"
            }.joined(separator: "\n")
        }
    }
}

/// `--code`, `--any`, `--not` and `--rollup`: conditions on the codes of a segment, shared by
/// `excerpts` and `search`.
struct CodeConditions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A code that must be there (repeatable: all of them).", valueName: "code"))
    var code: [String] = []
    @Option(name: .long, help: ArgumentHelp("A code of which at least one must be there (repeatable).", valueName: "code"))
    var any: [String] = []
    @Option(name: .customLong("not"), help: ArgumentHelp("A code that must not be there (repeatable).", valueName: "code"))
    var not: [String] = []
    @Flag(name: .long, help: "Count a code as present where one of the codes below it is.")
    var rollup = false

    /// Whether no condition is given.
    var isEmpty: Bool { code.isEmpty && any.isEmpty && not.isEmpty }

    /// The ids of the codes, every name checked.
    func resolve(in store: ProjectDatabase) throws -> (all: [Int64], any: [Int64], not: [Int64]) {
        let tree = try CodeTree.load(store)
        return (
            try code.map { try tree.resolve($0).id }, try any.map { try tree.resolve($0).id },
            try not.map { try tree.resolve($0).id }
        )
    }
}
