public import ArgumentParser
import Foundation
import QuillKit

extension AgreementUnit: ExpressibleByArgument {}

extension Quill {
    /// `quill agreement`: inter-coder agreement per code and overall.
    struct AgreementCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agreement",
            abstract: "Inter-coder agreement per code and overall: percent agreement, Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.",
            discussion: """
                Each code is compared on its own: a unit is coded with it by a coder, or not (the exact code; codes \
                below it do not count for it). Units are segments (a coding touching a segment codes it), sources, or \
                characters (Unicode scalars of the segments). Units no coder coded with a code count as agreement \
                unless --only-coded is given. Overall pools every code's units into one set of binary data. \
                Cohen's kappa needs exactly two coders; Fleiss' kappa and Krippendorff's alpha (nominal) take any \
                number. With --disagreements, the segments where the coders differ are listed instead, per code.
                """)

        @Option(name: .long, help: ArgumentHelp("The coders to compare, as in alice,bob ('quill coders' lists them).", valueName: "names"))
        var coders: String
        @Option(name: .long, help: "What one unit is.")
        var unit: AgreementUnit = .segment
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only these codes, by path or unique name, comma-separated (default: every code one of the coders used).", valueName: "codes"))
        var codes: String?
        @Flag(name: .long, help: "Count only units that at least one of the coders coded with the code.")
        var onlyCoded = false
        @Flag(name: .long, help: "List the segments where the coders differ, per code, with speaker, text and who coded them.")
        var disagreements = false
        @Option(name: .customLong("source"), help: ArgumentHelp("Only this source (repeatable).", valueName: "name"))
        var sources: [String] = []
        @Flag(name: .long, help: "Leave out what interviewers say.")
        var excludeInterviewers = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        static func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func validate() throws {
            if Self.list(coders).count < 2 { throw ValidationError("'--coders' needs at least two names, as in --coders alice,bob.") }
            if let codes, Self.list(codes).isEmpty { throw ValidationError("'--codes' needs at least one code.") }
        }

        func run() throws {
            let store = try project.open()
            let names = try ProjectAnalysis(store).agreementCoders(Self.list(coders))
            let tree = try CodeTree.load(store)
            let codeIDs = try codes.map { try Self.list($0).map { try tree.resolve($0).id } }
            let query = AgreementQuery(coders: names, unit: unit, codeIDs: codeIDs, onlyCoded: onlyCoded)
            let snapshot = try ProjectAnalysis(store).snapshot(
                AnalysisFilter(coders: names, excludesInterviewers: excludeInterviewers, sources: sources))
            if disagreements {
                let found = snapshot.disagreements(query)
                Console.out(AgreementDisagreement.table(found, for: format.format).render(format.format))
                Console.note(
                    found.isEmpty ? "The coders agree on every segment." : "\(found.count) segment-code disagreement\(found.count == 1 ? "" : "s").")
                return
            }
            let result = snapshot.agreement(query)
            if result.codes.isEmpty {
                Console.note("None of \(names.joined(separator: ", ")) has coded anything here yet; there is nothing to compare.")
            }
            switch format.format {
            case .table, .md:
                let explanation = result.explanation(uncodedUnits: Advice.uncodedUnits(onlyCoded: result.query.onlyCoded))
                let lines = format.format == .md ? explanation.map { "> " + $0 } : explanation
                Console.out(lines.joined(separator: format.format == .md ? "\n>\n" : "\n") + "\n\n")
                Console.out(result.table(for: format.format).render(format.format))
            case .csv, .json:
                Console.out(result.table(for: format.format).render(format.format))
            }
        }
    }
}
