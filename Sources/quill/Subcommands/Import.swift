import ArgumentParser
import Foundation
import QuillKit

/// The options that say how to cut a transcript into segments.
struct SegmentationArguments: ParsableArguments {
    @Option(name: .long, help: "The unit: turn, paragraph, sentence or line (default: turns when speakers are found, else paragraphs).")
    var segment: SegmentationMode?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A regular expression for speaker labels of another house style; its group (?<speaker>...) is the name, and the turn starts after the match.",
            valueName: "regex"))
    var speakerPattern: String?

    @Flag(name: .long, help: "Do not look for speakers: the text is cut into paragraphs (or --segment units) only.")
    var noSpeakers = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Cut at every line that starts with a speaker label, even when the labels do not recur as a transcript's "
                + "(by default a text is cut at them only when they do)."))
    var speakers = false

    func validate() throws {
        if noSpeakers && speakers {
            throw ValidationError("'--speakers' and '--no-speakers' cannot be used together.")
        }
        if noSpeakers && speakerPattern != nil {
            throw ValidationError("'--no-speakers' and '--speaker-pattern' cannot be used together.")
        }
        if noSpeakers && segment == .turn {
            throw ValidationError("'--segment turn' needs speakers; drop '--no-speakers' or choose another unit.")
        }
    }

    /// The options for the segmenter.
    func options() throws -> SegmentationOptions {
        SegmentationOptions(
            unit: segment, speakers: noSpeakers ? .never : speakers ? .always : .automatic,
            speakerPattern: try speakerPattern.map { try SpeakerPattern($0) })
    }
}

extension Quill {
    /// Imports transcripts.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import transcripts (.txt, .md, .docx, .odt, .vtt, .srt); all or none, and a file already imported is skipped.")

        @Argument(help: "Transcript files.")
        var files: [String]

        @Option(name: .long, help: "Read the files as this format, whatever their extension.")
        var format: TranscriptFormat?

        @OptionGroup var segmentation: SegmentationArguments

        @Option(name: .long, help: "The source's name, for a single file (default: the file name without extension).")
        var name: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Put this before each speaker's name to make its case, keeping these speakers apart from same-named ones elsewhere.",
                valueName: "prefix"))
        var casePrefix: String?

        @Option(
            name: .customLong("case"),
            help: ArgumentHelp("Make a speaker a given case, as in --case \"Speaker A=Jane Doe\" (repeatable).", valueName: "speaker=case"))
        var caseMappings: [String] = []

        @Option(name: .long, help: ArgumentHelp("A case that the whole source belongs to, such as a workshop group (repeatable).", valueName: "case"))
        var group: [String] = []

        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("Give at least one transcript file.") }
            if name != nil && files.count > 1 { throw ValidationError("'--name' names one source; give one file with it.") }
            for mapping in caseMappings where Assignment(mapping) == nil {
                throw ValidationError("'--case \(mapping)' must be written as SPEAKER=CASE.")
            }
        }

        func run() throws {
            let options = try segmentation.options()
            let cases = CaseMapping(
                prefix: casePrefix ?? "",
                names: Dictionary(caseMappings.compactMap(Assignment.init).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
                groups: group)
            let store = try project.open()
            let existing = try ImportReporter.existingCases(store)
            let urls = files.map { URL(fileURLWithPath: $0) }
            let (format, name, mappings) = (format, name, caseMappings.compactMap(Assignment.init))
            // Files are read and segmented on all cores while the project is written by one.
            let results = try SourceImporter(store).importFiles(
                urls.map { PreparedSource.sourceName(of: $0, name: name) }, actor: coder.actor,
                prepare: { index in
                    var source = try PreparedSource.read(url: urls[index], format: format, name: name, options: options)
                    source.cases = cases
                    return source
                },
                check: { prepared in
                    // A mapping for a speaker no file has is a typo, not a choice.
                    let speakers = Set(prepared.flatMap { $0.segmentation.speakers.map { CodePath.fold($0.name) } })
                    for mapping in mappings where !speakers.contains(CodePath.fold(mapping.key)) {
                        throw ValidationError("'--case \(mapping.key)=\(mapping.value)': no file has a speaker called '\(mapping.key)'.")
                    }
                })
            ImportReporter.report(
                results.map(\.outcome), prepared: results.map(\.source), existingCases: existing,
                soughtSpeakers: !segmentation.noSpeakers)
        }
    }
}

/// Tells the user what an import did.
enum ImportReporter {
    /// Up to three names in quotes, and how many more: `'H1:', 'RQ1:' and 4 more`.
    static func namesList(_ names: [String]) -> String {
        let shown = names.prefix(3).map { "'\($0):'" }
        let more = names.count - shown.count
        return shown.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
    }

    /// The cases the project has before an import, with the sources each speaks in.
    static func existingCases(_ store: ProjectDatabase) throws -> [String: [String]] {
        Dictionary(try CaseBook(store).cases().map { (CodePath.fold($0.name), $0.sources) }, uniquingKeysWith: { first, _ in first })
    }

    static func report(
        _ outcomes: [ImportOutcome], prepared: [PreparedSource], existingCases: [String: [String]] = [:],
        soughtSpeakers: Bool = true
    ) {
        for (outcome, source) in zip(outcomes, prepared) {
            if case .imported = outcome {
                // A generic label such as "Speaker 1" in two interviews is rarely one person.
                for speaker in source.segmentation.speakers where !speaker.isInterviewer {
                    let caseName = source.cases.caseName(forSpeaker: speaker.name)
                    if let others = existingCases[CodePath.fold(caseName)], !others.isEmpty {
                        Console.note(
                            "Note: '\(speaker.name)' in \(source.name) joins the case '\(caseName)' that already speaks in "
                                + others.joined(separator: ", ")
                                + ". If they are different people, re-import with --case-prefix or --case, or rename with 'quill speakers'.")
                    }
                }
            }
            switch outcome {
            case .imported(let name, let segments, let speakers, let unattributed, let mode):
                var line = "Imported \(name): \(segments) \(unitName(mode, count: segments))"
                if speakers > 0 {
                    let names = source.segmentation.speakers.map { $0.name + ($0.isInterviewer ? " (interviewer)" : "") }
                    line += " by \(speakers) speaker\(speakers == 1 ? "" : "s") (\(names.joined(separator: ", ")))"
                }
                if unattributed > 0 {
                    line += "; \(unattributed) line\(unattributed == 1 ? "" : "s") not attributed to a speaker (a header, a heading)"
                }
                if source.encoding != "UTF-8" { line += "; read as \(source.encoding)" }
                Console.note(line + ".")
                let declined = source.segmentation.declinedLabels
                if speakers == 0 && !declined.isEmpty {
                    Console.note(
                        "Note: \(source.fileName) has lines that start like speaker labels ("
                            + ImportReporter.namesList(declined)
                            + "), but they do not read as a transcript's (labels that recur and alternate, with most of the text in turns), so it is cut into "
                            + "\(unitName(mode, count: 2)). If they are speakers, re-import it with --speakers.")
                } else if speakers == 0 && soughtSpeakers && [.txt, .md, .docx, .odt].contains(source.format) {
                    Console.note(
                        "Note: no speaker labels were found in \(source.fileName). If it has speakers in a style Quill does not know, "
                            + "re-import it with --speaker-pattern (see 'quill import --help').")
                }
                source.warnings.forEach { Console.note("Warning: " + Advice.text($0)) }
            case .alreadyImported(let file, let existing):
                Console.note("Skipped \(file): the project already has it, as '\(existing)' (same SHA-256).")
            }
        }
    }

    static func unitName(_ mode: SegmentationMode, count: Int) -> String {
        let singular: String
        switch mode {
        case .turn: singular = "turn"
        case .paragraph: singular = "paragraph"
        case .sentence: singular = "sentence"
        case .line: singular = "line"
        }
        return count == 1 ? singular : singular + "s"
    }
}
