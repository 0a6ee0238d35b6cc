import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill memo ...`.
    struct MemoCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "memo",
            abstract: "Write memos on the project, a source, a segment, a code, a case or a coding.",
            discussion: """
                A target is written as: project, source:NAME, segment:SOURCE#N (N a segment number from \
                'quill show SOURCE'), code:PATH, case:NAME, or coding:GUID (or coding:#ID).
                """,
            subcommands: [Add.self, List.self, ShowMemo.self, Edit.self, Delete.self])
    }
}

/// Memo numbers and the editor, for the memo commands.
enum MemoInput {
    /// A memo number, written as 12 or #12.
    static func memoID(_ typed: String) throws -> Int64 {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        guard let id = Int64(trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed), id > 0 else {
            throw ValidationError("'\(typed)' is not a memo number. 'quill memo list' lists the memos with their numbers.")
        }
        return id
    }

    /// Opens $VISUAL or $EDITOR on a file; true when the editor exited with success.
    static func runEditor(on url: URL) throws -> Bool {
        let environment = ProcessInfo.processInfo.environment
        guard
            let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 })
                .first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        else {
            throw QuillError.invalidArgument(
                "Neither $VISUAL nor $EDITOR is set. Set one (for example 'export EDITOR=nano'), or give the new text with --text or --file.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "quill-memo-editor", url.path]
        do {
            try process.run()
        } catch {
            throw QuillError.invalidArgument("Could not start the editor '\(editor)': \(error.localizedDescription). Check $VISUAL and $EDITOR.")
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

extension Quill.MemoCommand {
    /// `quill memo add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a memo on a target; the text comes from --text, --file or standard input.")

        @Argument(help: "What the memo is on: project, source:NAME, segment:SOURCE#N, code:PATH, case:NAME or coding:GUID.")
        var target: String
        @Option(name: .long, help: "A title for the memo.")
        var title: String?
        @Option(name: .long, help: "The memo's text.")
        var text: String?
        @Option(name: .long, help: ArgumentHelp("Read the memo's text from a file.", valueName: "path"))
        var file: String?
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if text != nil && file != nil { throw ValidationError("Give the text with --text or --file, not both.") }
        }

        func run() throws {
            let parsed = try MemoTarget.parse(target)
            let body: String
            if let text {
                body = text
            } else if let file {
                body = try InputFile.text(file, allowingBlank: true)
            } else if !InputFile.standardInputIsTerminal {
                body = try InputFile.standardInput()
            } else {
                throw QuillError.invalidArgument("Give the memo's text with --text TEXT or --file PATH, or pipe it on standard input.")
            }
            let memo = try MemoBook(project.open()).addMemo(on: parsed, title: title, text: body, actor: coder.actor)
            Console.note("Added memo \(memo.id) on \(memo.target).")
        }
    }

    /// `quill memo list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the memos, oldest first, or those on one target.")

        @Argument(help: "Only the memos on this target.")
        var target: String?
        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let memos = try MemoBook(project.open()).memos(on: try target.map(MemoTarget.parse))
            let isTerminal = format.format == .table
            let table = Table(
                columns: [
                    .init("id", "Id", numeric: true), .init("target", "Target"), .init("title", "Title"),
                    .init("text", "Text"), .init("coder", "Coder"), .init("updated", "Updated"),
                ],
                rows: memos.map { memo in
                    let line = memo.firstLine
                    let shown = isTerminal && line.count > 60 ? String(line.prefix(59)) + "…" : line
                    return [
                        .int(Int(memo.id)), .text(memo.target), memo.title.map { Table.Cell.text($0) } ?? Table.Cell.none, .text(shown),
                        memo.coder.map { Table.Cell.text($0) } ?? Table.Cell.none, .text(memo.updatedAt),
                    ]
                })
            Console.out(table.render(format.format))
        }
    }

    /// `quill memo show`.
    struct ShowMemo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a whole memo.")

        @Argument(help: "The memo's number, from 'quill memo list'.")
        var id: String
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let memo = try MemoBook(project.open()).memo(try MemoInput.memoID(id))
            var lines = ["Memo \(memo.id) on \(memo.target)"]
            if let title = memo.title { lines.append("Title: \(title)") }
            lines += [
                "Coder: \(memo.coder ?? "-")", "Created: \(memo.createdAt)", "Updated: \(memo.updatedAt)",
                "GUID: \(memo.guid)", "", memo.text,
            ]
            Console.out(lines.joined(separator: "\n") + "\n")
        }
    }

    /// `quill memo edit`.
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a memo's text or title; with neither, edit the text in $VISUAL or $EDITOR.")

        @Argument(help: "The memo's number, from 'quill memo list'.")
        var id: String
        @Option(name: .long, help: "The new title (an empty one removes it).")
        var title: String?
        @Option(name: .long, help: "The new text.")
        var text: String?
        @Option(name: .long, help: ArgumentHelp("Read the new text from a file.", valueName: "path"))
        var file: String?
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if text != nil && file != nil { throw ValidationError("Give the new text with --text or --file, not both.") }
        }

        func run() throws {
            let store = try project.open()
            let number = try MemoInput.memoID(id)
            var newText = try text ?? file.map { try InputFile.text($0, allowingBlank: true) }
            if newText == nil && title == nil {
                guard InputFile.standardInputIsTerminal else {
                    throw QuillError.invalidArgument(
                        "Say what to change in memo \(number): --text TEXT, --file PATH or --title TITLE (or run it in a terminal to use $EDITOR).")
                }
                let current = try MemoBook(store).memo(number)
                // The text is in a private folder (0700, the file 0600) that goes when the command does.
                let folder = try TemporaryFiles.makeFolder(prefix: "quill-memo")
                defer { folder.remove() }
                let url = try folder.createFile(named: "memo-\(number).md", contents: Data((current.text + "\n").utf8))
                guard try MemoInput.runEditor(on: url) else {
                    Console.note("The editor did not finish cleanly; memo \(number) is unchanged.")
                    return
                }
                newText = try InputFile.text(url.path, allowingBlank: true)
            }
            let edit = try MemoBook(store).editMemo(number, title: title, text: newText, actor: coder.actor)
            Console.note(edit.changed ? "Edited memo \(number) on \(edit.memo.target)." : "Memo \(number) is unchanged: nothing in it was different.")
        }
    }

    /// `quill memo delete`.
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a memo.")

        @Argument(help: "The memo's number, from 'quill memo list'.")
        var id: String
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let memo = try MemoBook(project.open()).deleteMemo(try MemoInput.memoID(id), actor: coder.actor)
            Console.note("Deleted memo \(memo.id) on \(memo.target)" + (memo.title.map { " ('\($0)')" } ?? "") + ".")
        }
    }
}
