import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// Imports transcripts.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import transcripts (.txt, .md); all or none, and a file already imported is skipped.")

        @Argument(help: "Transcript files.")
        var files: [String]

        @Option(name: .long, help: "Read the files as this format, whatever their extension.")
        var format: TranscriptFormat?

        @Option(name: .long, help: "How to cut the text (default: turns when speakers are found, else paragraphs).")
        var segment: SegmentationMode?

        @Option(name: .long, help: "The source's name, for a single file (default: the file name without extension).")
        var name: String?

        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("Give at least one transcript file.") }
            if name != nil && files.count > 1 { throw ValidationError("'--name' names one source; give one file with it.") }
        }

        func run() throws {
            let store = try project.open()
            let prepared = try files.map { path in
                try PreparedSource.read(url: URL(fileURLWithPath: path), format: format, name: name, mode: segment)
            }
            let outcomes = try store.importSources(prepared, actor: coder.actor)
            ImportReporter.report(outcomes, prepared: prepared)
        }
    }
}

/// Tells the user what an import did.
enum ImportReporter {
    static func report(_ outcomes: [ImportOutcome], prepared: [PreparedSource]) {
        for (outcome, source) in zip(outcomes, prepared) {
            switch outcome {
            case .imported(let name, let segments, let speakers, let unattributed, let mode):
                var line = "Imported \(name): \(segments) \(mode == .turn ? "turns" : "paragraphs")"
                if speakers > 0 {
                    let names = source.segmentation.speakers.map { $0.name + ($0.isInterviewer ? " (interviewer)" : "") }
                    line += " by \(speakers) speaker\(speakers == 1 ? "" : "s") (\(names.joined(separator: ", ")))"
                }
                if unattributed > 0 {
                    line += "; \(unattributed) line\(unattributed == 1 ? "" : "s") before the first turn not attributed to a speaker"
                }
                if source.encoding != "UTF-8" { line += "; read as \(source.encoding)" }
                Console.note(line + ".")
            case .alreadyImported(let file, let existing):
                Console.note("Skipped \(file): the project already has it, as '\(existing)' (same SHA-256).")
            }
        }
    }
}
