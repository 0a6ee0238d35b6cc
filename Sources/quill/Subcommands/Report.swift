import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill report`: the whole analysis as files.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole analysis: an HTML report, a Markdown version, and the tables as CSV and JSON.",
            discussion: """
                Writes into the output folder: report.html (one self-contained page: the codebook with counts, a bar chart \
                of code frequencies, a co-occurrence heatmap, codes by case, excerpts per code, and every transcript with \
                its coded passages highlighted), report.md (the same without the transcripts), and frequency, \
                frequency-rollup, cooccurrence, cooccurrence-pairs, code-by-case, code-by-source and excerpts as .csv and \
                .json. The same project gives the same bytes, except for the line that says when the report was made; \
                set SOURCE_DATE_EPOCH (seconds since 1970) to fix that time too.
                """)

        @Option(name: .long, help: ArgumentHelp("Where to write the report.", valueName: "folder"))
        var out = "Exports"
        @Option(name: .long, help: ArgumentHelp("The co-occurrence unit: segment, overlap, window:N, source or case.", valueName: "unit"))
        var unit = "segment"
        @OptionGroup var filters: FilterOptions
        @OptionGroup var project: ProjectOptions

        func validate() throws {
            _ = try ReportSupport.unit(unit)
        }

        func run() throws {
            let store = try project.open()
            let options = ReportOptions(unit: try ReportSupport.unit(unit), quillVersion: QuillVersion.current, date: try ReportSupport.date())
            let folder = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            try OutputFolder.prepare(folder)
            let names = try QuillKit.Report(store: store, filter: filters.filter, options: options).write(to: folder)
            Console.note(
                "Wrote \(folder.appendingPathComponent("report.html").path) and \(names.count - 1) other files (\(names.joined(separator: ", "))).")
        }
    }
}

/// What `quill report` and `quill run` share.
enum ReportSupport {
    /// Reads a co-occurrence unit as the command line writes it.
    static func unit(_ text: String) throws -> CooccurrenceUnit {
        guard let unit = CooccurrenceUnit(argument: text) else {
            throw ValidationError("'\(text)' is not a co-occurrence unit. Use \(CooccurrenceUnit.validForms).")
        }
        return unit
    }

    /// The time a report is made: SOURCE_DATE_EPOCH when it is set (the convention for
    /// reproducible builds), else now.
    static func date() throws -> Date {
        guard let value = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return Date()
        }
        guard let seconds = Int64(value) else {
            throw QuillError.invalidArgument(
                "SOURCE_DATE_EPOCH is '\(value)', not a whole number of seconds since 1970. Set it to one, or unset it to use the current time.")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
