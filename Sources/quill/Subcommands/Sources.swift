import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// Lists sources.
    struct Sources: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sources with their segments, speakers and codings.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let sources = try SourceCatalog(project.open()).sources()
            let table = Table(
                columns: [
                    .init("number", "#", numeric: true), .init("name", "Source"), .init("format", "Format"),
                    .init("segmentation", "Units"), .init("segments", "Segments", numeric: true),
                    .init("speakers", "Speakers", numeric: true), .init("codings", "Codings", numeric: true),
                    .init("length", "Length", numeric: true), .init("file", "File"),
                ],
                rows: sources.map {
                    [
                        .int(Int($0.id)), .text($0.name), .text($0.format), .text($0.segmentation), .int($0.segments),
                        .int($0.speakers), .int($0.codings), .int($0.length), .text($0.fileName),
                    ]
                })
            Console.out(table.render(format.format))
        }
    }

    /// Shows a source.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a source's numbered segments with speaker, text and codes.")

        @Argument(help: "The source: its name, a unique start of it, or its number from 'quill sources'.")
        var source: String

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let store = try project.open()
            let summary = try SourceCatalog(store).resolveSource(source)
            let segments = try SourceCatalog(store).segments(ofSource: summary.id)
            if format.format == .table {
                Console.out(render(summary, segments))
                return
            }
            let table = Table(
                columns: [
                    .init("segment", "#", numeric: true), .init("speaker", "Speaker"), .init("interviewer", "Interviewer"),
                    .init("time", "Time"), .init("start", "Start", numeric: true), .init("end", "End", numeric: true),
                    .init("text", "Text"), .init("codes", "Codes"),
                ],
                rows: segments.map {
                    [
                        .int($0.number), $0.speaker.map { .text($0) } ?? .none, .bool($0.isInterviewer),
                        $0.startTime.map { .text(Timecode.format($0)) } ?? .none, .int($0.span.start), .int($0.span.end),
                        .text($0.text), .text($0.codes.map(\.path).joined(separator: "; ")),
                    ]
                })
            Console.out(table.render(format.format))
        }

        private func render(_ summary: SourceSummary, _ segments: [SegmentView]) -> String {
            let unit = ImportReporter.unitName(SegmentationMode(rawValue: summary.segmentation) ?? .paragraph, count: summary.segments)
            var lines = ["\(summary.name) (\(summary.fileName), \(summary.segments) \(unit))", ""]
            for segment in segments {
                var heading = "[\(segment.number)]"
                if let speaker = SegmentView.speakerLabel(segment.speaker, role: segment.role, isInterviewer: segment.isInterviewer) {
                    heading += " " + speaker
                }
                if let time = segment.startTime {
                    heading += " · " + Timecode.format(time) + (segment.endTime.map { "–" + Timecode.format($0) } ?? "")
                }
                if let caseName = segment.caseName, let speaker = segment.speaker, caseName != speaker {
                    heading += " · case " + caseName
                }
                lines.append(heading)
                lines += segment.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
                if !segment.codes.isEmpty {
                    lines.append("    → " + segment.codes.map { "\($0.path) (\($0.coders.joined(separator: ", ")))" }.joined(separator: "; "))
                }
                lines.append("")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// Times as transcripts write them.
enum Timecode {
    static func format(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return String(format: "%02d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }
}
