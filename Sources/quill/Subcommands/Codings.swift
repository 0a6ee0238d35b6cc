import ArgumentParser
import Foundation
import QuillKit

/// The formats of the tidy codings table.
enum CodingsFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

extension Quill {
    /// The codings as a tidy table.
    struct Codings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the codings as a tidy table (one row per coding) for R, pandas or 'quill code --from'.",
            subcommands: [Export.self])

        /// Writes every coding as a row.
        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write one row per coding (source, segment, start, end, code, coder, memo, speaker, text) in reading order.",
                discussion: """
                    Offsets count Unicode scalars of the source's text, the end excluded. 'segment' is the segment the \
                    coding lies in when it lies inside exactly one. 'quill code --from FILE' reads the file back.
                    """)

            @Option(name: .long, help: "csv (RFC 4180, with a header) or jsonl (one JSON object per line).")
            var format: CodingsFormat = .csv
            @Option(name: .long, help: ArgumentHelp("Only this coder's codings (repeatable).", valueName: "name"))
            var coder: [String] = []
            @Option(name: .long, help: "Only this source (repeatable).")
            var source: [String] = []
            @OptionGroup var project: ProjectOptions

            func run() throws {
                let store = try project.open()
                let sourceIDs = try source.map { try SourceCatalog(store).resolveSource($0).id }
                let records = try BatchCoding(store).codingRecords(coders: coder, sourceIDs: sourceIDs)
                Console.out(format == .csv ? CodingFile.csv(records) : CodingFile.jsonl(records))
            }
        }
    }
}
