import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill export qdpx|qdc FILE`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the project as REFI-QDA XML for NVivo, ATLAS.ti, MAXQDA or QualCoder.",
            discussion: """
                'quill export qdpx FILE' writes the whole project (codebook, coders, cases and their attributes, \
                sources with their codings, memos) as a .qdpx; 'quill export qdc FILE' writes the codebook alone \
                as a .qdc. Every file is checked against the official REFI-QDA schema before it is written.
                """,
            subcommands: [QDPX.self, QDC.self])
    }
}

extension Quill.Export {
    /// `quill export qdpx FILE`.
    struct QDPX: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qdpx", abstract: "Write the whole project as a REFI-QDA project (.qdpx).")

        @Argument(help: ArgumentHelp("The file to write, ending in .qdpx.", valueName: "file"))
        var file: String

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let url = try Self.destination(file, extension: "qdpx")
            let report = try REFIExporter(project.open()).exportQDPX(to: url)
            Console.note(
                "Wrote \(file): \(report.sources) source(s), \(report.codes) code(s), \(report.codings) coding(s) "
                    + "in \(report.selections) selection(s), \(report.cases) case(s), \(report.variables) variable(s), "
                    + "\(report.notes) note(s), \(report.users) user(s); checked against the REFI-QDA project schema.")
            if !report.notCarried.isEmpty {
                Console.note("Not carried by REFI-QDA: " + report.notCarried.joined(separator: "; ") + ".")
            }
        }

        static func destination(_ file: String, extension ext: String) throws -> URL {
            let url = URL(fileURLWithPath: file)
            guard url.pathExtension.lowercased() == ext else {
                throw QuillError.invalidArgument(
                    "'\(file)' does not end in .\(ext). Give a file name ending in .\(ext), which is what other tools look for.")
            }
            return url
        }
    }

    /// `quill export qdc FILE`.
    struct QDC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qdc", abstract: "Write the codebook as a REFI-QDA codebook (.qdc).")

        @Argument(help: ArgumentHelp("The file to write, ending in .qdc.", valueName: "file"))
        var file: String

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let url = try QDPX.destination(file, extension: "qdc")
            let report = try REFIExporter(project.open()).exportQDC(to: url)
            Console.note("Wrote \(file): \(report.codes) code(s); checked against the REFI-QDA codebook schema.")
        }
    }
}
