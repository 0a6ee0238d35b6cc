import ArgumentParser
import Foundation
import QuillKit

extension Quill.CodebookCommand {
    /// Adds a code.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a code, as in: quill codebook add \"Barriers/Time\" --definition \"Not enough time.\"")

        @Argument(help: "The new code's path: 'Parent/Name' under an existing code, or 'Name' at the top level.")
        var path: String
        @Option(name: .long, help: "What the code means.")
        var definition: String?
        @Option(name: .long, help: "A keyword for autocoding (repeatable).")
        var keyword: [String] = []
        @Option(name: .long, help: "A colour, '#RRGGBB' or '#RGB', in quotes.")
        var color: String?
        @Flag(name: .long, help: "The code only groups its children and cannot be applied itself.")
        var notCodable = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let code = try CodebookEditor(store).addCode(
                path: path, definition: definition, keywords: keyword, color: color,
                isCodable: !notCodable, actor: coder.actor)
            Console.note("Added code '\(try CodeTree.load(store).displayPath(of: code.id))'.")
        }
    }

    /// Renames a code.
    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a code; it keeps its GUID, place and codings.")

        @Argument(help: "The code, by path or unique name.")
        var code: String
        @Argument(help: "The new name (a name, not a path).")
        var newName: String
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let old = try CodeTree.load(store).displayPath(of: try CodeTree.load(store).resolve(code).id)
            if try CodebookEditor(store).renameCode(code, to: newName, actor: coder.actor) {
                Console.note("Renamed '\(old)' to '\(newName.trimmingCharacters(in: .whitespaces))'.")
            } else {
                Console.note("'\(old)' already has that name; nothing changed.")
            }
        }
    }

    /// Moves a code under another one.
    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a code, with the codes below it, under another code (or to the top level with --top).")

        @Argument(help: "The code to move.")
        var code: String
        @Argument(help: "The new parent code.")
        var newParent: String?
        @Flag(name: .long, help: "Move the code to the top level.")
        var top = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if top == (newParent != nil) {
                throw ValidationError("Give either a new parent code or --top.")
            }
        }

        func run() throws {
            let store = try project.open()
            let id = try CodeTree.load(store).resolve(code).id
            let old = try CodeTree.load(store).displayPath(of: id)
            if try CodebookEditor(store).moveCode(code, under: top ? nil : newParent, actor: coder.actor) {
                Console.note("Moved '\(old)' to '\(try CodeTree.load(store).displayPath(of: id))'.")
            } else {
                Console.note("'\(old)' is already there; nothing changed.")
            }
        }
    }

    /// Merges a code into another.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a code into another: its codings, keywords and memos go to the target, then it is removed.")

        @Argument(help: "The code to merge away.")
        var sourceCode: String
        @Argument(help: "The code that receives its codings.")
        var targetCode: String
        @Flag(name: .long, help: "Also merge every code below the source code into the target.")
        var withChildren = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let tree = try CodeTree.load(store)
            let source = tree.displayPath(of: try tree.resolve(sourceCode).id)
            let targetID = try tree.resolve(targetCode).id
            let report = try CodebookEditor(store).mergeCode(sourceCode, into: targetCode, withChildren: withChildren, actor: coder.actor)
            let target = try CodeTree.load(store).displayPath(of: targetID)
            Console.note(
                "Merged '\(source)'"
                    + (report.codesRemoved > 1 ? " and the \(report.codesRemoved - 1) code\(report.codesRemoved == 2 ? "" : "s") below it" : "")
                    + " into '\(target)': \(report.moved) coding\(report.moved == 1 ? "" : "s") moved, "
                    + "\(report.duplicates) duplicate\(report.duplicates == 1 ? "" : "s") collapsed.")
        }
    }

    /// Splits some codings of a code off into a new sibling code.
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split a code: a new code next to it takes its codings on some segments.",
            discussion: "As in: quill codebook split Barriers \"Time pressure\" --segments interview-a:2,4 --segments interview-b:1-3")

        @Argument(help: "The code to split.")
        var code: String
        @Argument(help: "The name of the new code, which goes next to it.")
        var newName: String
        @Option(name: .long, help: ArgumentHelp("A source and segments, as in interview-a:3-7,12 (repeatable).", valueName: "source:segments"))
        var segments: [String] = []
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if segments.isEmpty { throw ValidationError("Give at least one --segments SOURCE:SEGMENTS.") }
        }

        func run() throws {
            let store = try project.open()
            var selection: [(sourceID: Int64, numbers: [Int])] = []
            for item in segments {
                guard let colon = item.lastIndex(of: ":"), colon != item.startIndex else {
                    throw QuillError.invalidArgument("'\(item)' is not SOURCE:SEGMENTS. Write it as interview-a:3-7,12.")
                }
                let source = try SourceCatalog(store).resolveSource(String(item[..<colon]))
                let numbers = try SegmentSelection.parse(String(item[item.index(after: colon)...]), count: source.segments)
                selection.append((source.id, numbers))
            }
            let (new, moved) = try CodebookEditor(store).splitCode(code, newName: newName, segments: selection, actor: coder.actor)
            Console.note("Split \(moved) coding\(moved == 1 ? "" : "s") into the new code '\(try CodeTree.load(store).displayPath(of: new.id))'.")
        }
    }

    /// Deletes a code.
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a code; refused while it has codes below it, codings or memos, unless --force.")

        @Argument(help: "The code to delete.")
        var code: String
        @Flag(name: .long, help: "Also delete the codes below it and every coding and memo of them.")
        var force = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let path = try CodeTree.load(store).displayPath(of: try CodeTree.load(store).resolve(code).id)
            let report = try CodebookEditor(store).deleteCode(code, force: force, actor: coder.actor)
            var line = "Deleted '\(path)'"
            if report.codes > 1 { line += " and the \(report.codes - 1) code\(report.codes == 2 ? "" : "s") below it" }
            line += ", with \(report.codings) coding\(report.codings == 1 ? "" : "s")"
            if report.memos > 0 { line += " and \(report.memos) memo\(report.memos == 1 ? "" : "s")" }
            Console.note(line + ".")
        }
    }

    /// Advice on the codebook.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List problems in the codebook: repeated names, missing definitions, unused codes, codings on non-codable codes, shared keywords.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let findings = try CodebookEditor(project.open()).codebookLint()
            let table = Table(
                columns: [.init("finding", "Finding"), .init("code", "Code"), .init("detail", "Detail")],
                rows: findings.map { [.text($0.kind), .text($0.codes), .text($0.detail)] })
            Console.out(table.render(format.format))
            if format.format == .table {
                Console.note(
                    findings.isEmpty
                        ? "The codebook looks fine."
                        : "\(findings.count) finding\(findings.count == 1 ? "" : "s"); this is advice, nothing was changed.")
            }
        }
    }
}
