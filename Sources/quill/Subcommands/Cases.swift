import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill cases ...`.
    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases (participants, groups) and import their attributes.",
            subcommands: [List.self, ShowCase.self, ImportAttributes.self])
    }

    /// `quill resegment`.
    struct Resegment: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cut a source into other units (turn, paragraph, sentence, line); every coding is kept, with its text.")

        @Argument(help: "The source: its name, a unique start of it, or its number.")
        var source: String
        @OptionGroup var segmentation: SegmentationArguments
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if segmentation.segment == nil && segmentation.speakerPattern == nil && !segmentation.noSpeakers && !segmentation.speakers {
                throw ValidationError(
                    "Say how to cut the source: --segment turn|paragraph|sentence|line, --speakers, --speaker-pattern or --no-speakers.")
            }
        }

        func run() throws {
            let store = try project.open()
            let summary = try SourceCatalog(store).resolveSource(source)
            let report = try Resegmenter(store).resegment(sourceID: summary.id, options: try segmentation.options(), actor: coder.actor)
            Console.note(
                "Re-segmented \(summary.name): \(report.oldSegments) \(report.oldMode) segments became \(report.newSegments) "
                    + ImportReporter.unitName(report.newMode, count: report.newSegments)
                    + "; all \(report.codings) coding\(report.codings == 1 ? "" : "s") kept.")
        }
    }

    /// `quill speakers`.
    struct Speakers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a source's speakers, rename them, or mark them as interviewer or participant.")

        @Argument(help: "The source: its name, a unique start of it, or its number.")
        var source: String
        @Option(
            name: .long, help: ArgumentHelp("Rename a speaker in this source, as in --rename \"Spk 2=Aisha\" (repeatable).", valueName: "old=new"))
        var rename: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Mark a speaker's case, as in --role \"Sam=interviewer\" or \"Sam=participant\" (repeatable).", valueName: "speaker=role"))
        var role: [String] = []
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions
        @OptionGroup var format: FormatOptions

        func validate() throws {
            for item in rename where Assignment(item) == nil { throw ValidationError("'--rename \(item)' must be written as OLD=NEW.") }
            for item in role {
                guard let assignment = Assignment(item), ["interviewer", "participant"].contains(assignment.value.lowercased()) else {
                    throw ValidationError("'--role \(item)' must be written as SPEAKER=interviewer or SPEAKER=participant.")
                }
            }
        }

        func run() throws {
            let store = try project.open()
            let summary = try SourceCatalog(store).resolveSource(source)
            let renames = rename.compactMap(Assignment.init).map { (from: $0.key, to: $0.value) }
            let roles = role.compactMap(Assignment.init).map { (speaker: $0.key, isInterviewer: $0.value.lowercased() == "interviewer") }
            if !renames.isEmpty || !roles.isEmpty {
                try CaseBook(store).editSpeakers(sourceID: summary.id, renames: renames, roles: roles, actor: coder.actor)
                renames.forEach { Console.note("Renamed '\($0.from)' to '\($0.to)' in \(summary.name).") }
                roles.forEach {
                    Console.note(
                        "Marked '\($0.speaker)' as \($0.isInterviewer ? "an interviewer" : "a participant") (in every source this case speaks in).")
                }
            }
            let speakers = try CaseBook(store).speakers(ofSource: summary.id)
            let table = Table(
                columns: [
                    .init("speaker", "Speaker"), .init("case", "Case"), .init("interviewer", "Interviewer"),
                    .init("segments", "Segments", numeric: true),
                ],
                rows: speakers.map { [.text($0.name), .text($0.caseName), .bool($0.isInterviewer), .int($0.segments)] })
            Console.out(table.render(format.format))
        }
    }
}

extension Quill.Cases {
    /// Lists cases.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the cases with their sources, segments and attributes.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let cases = try CaseBook(project.open()).cases()
            let table = Table(
                columns: [
                    .init("case", "Case"), .init("interviewer", "Interviewer"), .init("segments", "Segments", numeric: true),
                    .init("sources", "Sources"), .init("attributes", "Attributes"),
                ],
                rows: cases.map {
                    [
                        .text($0.name), .bool($0.isInterviewer), .int($0.segments), .text($0.sources.joined(separator: "; ")),
                        .text($0.attributes.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")),
                    ]
                })
            Console.out(table.render(format.format))
        }
    }

    /// Shows one case.
    struct ShowCase: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a case's attributes and sources.")

        @Argument(help: "The case's name.")
        var name: String
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let found = try CaseBook(project.open()).resolveCase(name)
            var rows: [[Table.Cell]] = [
                [.text("case"), .text(found.name)],
                [.text("interviewer"), .bool(found.isInterviewer)],
                [.text("segments"), .int(found.segments)],
                [.text("sources"), .text(found.sources.joined(separator: "; "))],
            ]
            rows += found.attributes.map { [.text($0.name), .text($0.value)] }
            Console.out(Table(columns: [.init("field", "Field"), .init("value", "Value")], rows: rows).render(format.format))
        }
    }

    /// Imports case attributes.
    struct ImportAttributes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Set case attributes from a CSV file: the case in the first column, one attribute per other column.",
            discussion:
                "Types are inferred (integer, float, boolean, date, datetime, else text); --type NAME=TYPE overrides. Rows for cases the project does not have are reported and skipped."
        )

        @Argument(help: "The CSV file.")
        var file: String
        @Option(
            name: .long,
            help: ArgumentHelp("The type of a column: text, integer, float, boolean, date or datetime (repeatable).", valueName: "column=type"))
        var type: [String] = []
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            for item in type {
                guard let assignment = Assignment(item), AttributeType(rawValue: assignment.value.lowercased()) != nil else {
                    throw ValidationError(
                        "'--type \(item)' must be COLUMN=TYPE, where TYPE is one of \(AttributeType.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
            }
        }

        func run() throws {
            let text = try InputFile.text(file)
            let types = Dictionary(
                type.compactMap(Assignment.init).compactMap { item in
                    AttributeType(rawValue: item.value.lowercased()).map { (item.key, $0) }
                }, uniquingKeysWith: { $1 })
            let report = try CaseBook(project.open()).importCaseAttributes(csv: text, path: file, types: types, actor: coder.actor)
            let described = report.attributes.sorted { $0.key.lowercased() < $1.key.lowercased() }.map { "\($0.key) (\($0.value.rawValue))" }
            Console.note(
                "Set \(report.values) value\(report.values == 1 ? "" : "s") on \(report.cases) case\(report.cases == 1 ? "" : "s"); attributes: \(described.joined(separator: ", "))."
            )
            if !report.unknownCases.isEmpty {
                Console.note(
                    "Skipped \(report.unknownCases.count) row\(report.unknownCases.count == 1 ? "" : "s") for cases the project does not have: "
                        + report.unknownCases.map { "'\($0)'" }.joined(separator: ", ") + ". 'quill cases list' shows the cases' names.")
            }
        }
    }
}
