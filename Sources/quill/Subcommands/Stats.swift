import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill stats ...`.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse the coding.", subcommands: [Frequency.self, Matrix.self, Cooccurrence.self])
    }
}

/// The filters every analysis takes.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this coder's codings (repeatable).", valueName: "name"))
    var coder: [String] = []

    @Flag(name: .long, help: "Leave out what interviewers say.")
    var excludeInterviewers = false

    @Option(name: .customLong("source"), help: ArgumentHelp("Only this source (repeatable).", valueName: "name"))
    var sources: [String] = []

    @Option(name: .customLong("case"), help: ArgumentHelp("Only what this case says (repeatable).", valueName: "name"))
    var cases: [String] = []

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Only what cases with this attribute value say, as in --where role=librarian (repeatable; several values of one attribute are alternatives).",
            valueName: "attribute=value"))
    var conditions: [String] = []

    func validate() throws {
        for condition in conditions where Assignment(condition) == nil {
            throw ValidationError("'--where \(condition)' must be written as ATTRIBUTE=VALUE.")
        }
    }

    var filter: AnalysisFilter {
        AnalysisFilter(
            coders: coder, excludesInterviewers: excludeInterviewers, sources: sources, cases: cases,
            attributeConditions: conditions.compactMap(Assignment.init).map { ($0.key, $0.value) })
    }
}

extension Quill.Stats {
    /// Code frequencies.
    struct Frequency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per code: codings, segments, sources and cases, with the share of sources and cases.",
            discussion: "With --rollup a parent counts everything in its subtree once: a segment coded with two of its children counts once.")

        @Flag(name: .long, help: "Count each code together with the codes below it.")
        var rollup = false
        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let table = try ProjectAnalysis(project.open()).frequency(rollUp: rollup, filter: filters.filter)
            Console.out(table.table(for: format.format).render(format.format))
        }
    }
}

extension Quill {
    /// The history.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the project's history: every change, who made it and when.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let entries = try project.open().history()
            let table = Table(
                columns: [
                    .init("id", "#", numeric: true), .init("at", "When"), .init("coder", "Who"),
                    .init("summary", "What"), .init("command", "Command"),
                ],
                rows: entries.map { [.int(Int($0.id)), .text($0.at), .text($0.coder), .text($0.summary), .text($0.command)] })
            Console.out(table.render(format.format))
        }
    }
}
