import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill codebook ...`.
    struct CodebookCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "codebook",
            abstract: "Import, export and show the codebook.",
            subcommands: [
                ImportCodebook.self, ExportCodebook.self, Tree.self, Add.self, Rename.self, Move.self,
                Merge.self, Split.self, Delete.self, Lint.self,
            ])
    }
}

extension Quill.CodebookCommand {
    /// Imports a YAML codebook.
    struct ImportCodebook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a YAML or REFI-QDA (.qdc) codebook; codes are matched by GUID, then by path, and none is ever removed.")

        @Argument(help: "The codebook file (.yaml, .yml, or .qdc from another QDA tool).")
        var file: String

        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            if URL(fileURLWithPath: file).pathExtension.lowercased() == "qdc" {
                let store = try project.open()
                let report = try REFIImporter(store).importREFI(URL(fileURLWithPath: file), actor: coder.actor)
                REFIReporter.report(report, file: file, into: store.displayPath, created: false)
                return
            }
            let codebook = try CodebookFile.read(file)
            let store = try project.open()
            let report = try CodebookImporter(store).importCodebook(codebook, actor: coder.actor)
            Console.note(
                "Codebook '\(codebook.name)': \(report.added) codes added, \(report.updated) updated, "
                    + "\(report.unchanged) unchanged" + (report.kept > 0 ? ", \(report.kept) kept that the file does not have" : "") + ".")
        }
    }

    /// Exports the codebook as YAML.
    struct ExportCodebook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the codebook as YAML, with every code's GUID.")

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let yaml = try CodebookImporter(project.open()).exportCodebook().yaml()
            if let output {
                try OutputFile.write(yaml, to: output)
            } else {
                Console.out(yaml)
            }
        }
    }

    /// Prints the code tree with counts.
    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the codes as a tree with their codings (own, and with everything below them).")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let store = try project.open()
            let own = try ProjectAnalysis(store).frequency(rollUp: false)
            let all = try ProjectAnalysis(store).frequency(rollUp: true)
            let rows = zip(own.rows, all.rows).map { own, all -> [Table.Cell] in
                [
                    .text(format.format == .table || format.format == .md ? own.path.last ?? "" : CodePath.display(own.path)),
                    .int(own.codings), .int(all.codings), .bool(own.isCodable),
                ]
            }
            let table = Table(
                columns: [
                    .init("code", "Code"), .init("codings", "Codings", numeric: true),
                    .init("codings_with_children", "With children", numeric: true),
                    .init("codable", "Codable"),
                ],
                rows: rows, indents: own.rows.map(\.depth))
            Console.out(table.render(format.format))
        }
    }
}

/// Reading a codebook file.
enum CodebookFile {
    static func read(_ path: String) throws -> Codebook {
        let url = URL(fileURLWithPath: path)
        guard ["yaml", "yml"].contains(url.pathExtension.lowercased()) else {
            throw QuillError.badInput(
                path: path, problem: "a codebook must be a YAML file (.yaml or .yml) or a REFI-QDA codebook (.qdc)",
                remedy: "See Codebooks/lhs-framework.yaml for the layout.")
        }
        return try Codebook.parseYAML(try InputFile.text(path), file: path)
    }
}

/// Writing an output file whole or not at all.
enum OutputFile {
    /// Writes the text whole or not at all, through a private folder beside the file.
    static func write(_ text: String, to path: String) throws {
        try TemporaryFiles.write(Data(text.utf8), to: URL(fileURLWithPath: path))
    }
}
