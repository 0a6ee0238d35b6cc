import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// Coding sheets: code a source in a text editor.
    struct Sheet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sheet",
            abstract: "Code in your editor: write a source's coding sheet (Markdown), apply an edited one, or both with 'edit'.",
            discussion: """
                'quill sheet SOURCE > s.md' writes the sheet: each segment with its text and a 'codes:' line of your \
                codes on the whole segment. Edit the 'codes:' lines, then 'quill sheet apply s.md' adds and removes \
                exactly the codings that differ, as one change ('quill undo' reverses it). Codings of other coders and \
                codings of part of a segment are never changed.
                """,
            subcommands: [Write.self, Apply.self, Edit.self],
            defaultSubcommand: Write.self)

        /// Writes a sheet.
        struct Write: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a source's coding sheet for a coder (to standard output, or --output FILE).")

            @Argument(help: "The source: its name, a unique start of it, or its number.")
            var source: String
            @Option(name: [.short, .long], help: ArgumentHelp("Write the sheet to this file.", valueName: "file"))
            var output: String?
            @OptionGroup var project: ProjectOptions
            @OptionGroup var coder: CoderOptions

            func run() throws {
                let store = try project.open()
                let summary = try SourceCatalog(store).resolveSource(source)
                let sheet = try SheetApplier(store).codingSheet(sourceID: summary.id, coder: coder.name)
                if let output {
                    try OutputFile.write(sheet.render(), to: output)
                    Console.note(
                        "Wrote the coding sheet of \(summary.name) for \(coder.name) (\(sheet.entries.count) segments) to \(output). "
                            + "Edit its 'codes:' lines, then run: quill sheet apply \(CoderOptions.shellQuoted(output))")
                } else {
                    Console.out(sheet.render())
                }
            }
        }

        /// Applies an edited sheet.
        struct Apply: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Apply an edited coding sheet: add and remove the coder's whole-segment codings that differ, all or none.")

            @Argument(help: "The sheet file.")
            var file: String
            @Flag(name: .long, help: "List what would change, and change nothing.")
            var dryRun = false
            @OptionGroup var project: ProjectOptions
            @OptionGroup var format: FormatOptions

            func run() throws {
                let store = try project.open()
                let sheet = try SheetFile.read(file)
                let report = try SheetApplier(store).applySheet(sheet, isDryRun: dryRun, command: CoderOptions.commandLine)
                if dryRun {
                    let table = Table(
                        columns: [.init("segment", "#", numeric: true), .init("change", "Change"), .init("code", "Code")],
                        rows: report.changes.map { [.int($0.segment), .text($0.isAdded ? "add" : "remove"), .text($0.code)] })
                    Console.out(table.render(format.format))
                    Console.note(
                        "Dry run: applying \(file) to \(report.source) as \(report.coder) would have \(report.summary). Nothing was changed.")
                } else {
                    Console.note(SheetFile.outcome(report, file: file))
                }
            }
        }

        /// Writes a sheet, opens it in an editor, and applies it.
        struct Edit: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Open a source's coding sheet in $VISUAL or $EDITOR (else vi) and apply it when you save and quit.",
                discussion: """
                    Nothing is applied if the editor fails or the sheet is not changed. If the edited sheet cannot be \
                    applied (a typo in a code, say), it is kept, and the message says how to apply it once corrected.
                    """)

            @Argument(help: "The source: its name, a unique start of it, or its number.")
            var source: String
            @OptionGroup var project: ProjectOptions
            @OptionGroup var coder: CoderOptions

            func run() throws {
                let store = try project.open()
                let summary = try SourceCatalog(store).resolveSource(source)
                let original = try SheetApplier(store).codingSheet(sourceID: summary.id, coder: coder.name).render()
                let safeName = String(summary.name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" })
                // The sheet is written in a private folder (0700, the file 0600), removed when the
                // command ends unless the edited sheet is kept so that no work is lost.
                let folder = try TemporaryFiles.makeFolder(prefix: "quill-sheet")
                var isKept = false
                defer { isKept ? folder.keep() : folder.remove() }
                let url = try folder.createFile(named: "\(safeName).md", contents: Data(original.utf8))
                let status = try Self.runEditor(on: url.path)
                // Compared as bytes: a sheet the editor saved in another encoding is changed, and
                // is read as any sheet is.
                let isEdited = (try? Data(contentsOf: url)) != Data(original.utf8)
                let retry =
                    "quill sheet apply " + CoderOptions.shellQuoted(url.path)
                    + (project.project.map { " --project " + CoderOptions.shellQuoted($0) } ?? "")
                // An editor that saves by writing a new file gives it the usual permissions; the
                // kept sheet is made readable by its owner only again.
                let keep = {
                    isKept = true; _ = chmod(url.path, 0o600)
                }
                let kept = "Your edited sheet is kept at \(url.path) (in a folder only you can read)"
                if status != 0 {
                    if !isEdited {
                        Console.note("The editor exited with status \(status); nothing was applied.")
                    } else {
                        keep()
                        Console.note("The editor exited with status \(status); nothing was applied. \(kept); to apply it, run: \(retry)")
                    }
                    throw ExitCode.failure
                }
                guard isEdited else {
                    Console.note("The sheet was not changed; nothing to apply.")
                    return
                }
                do {
                    let report = try SheetApplier(store).applySheet(try SheetFile.read(url.path), command: CoderOptions.commandLine)
                    Console.note(SheetFile.outcome(report, file: "the sheet"))
                } catch {
                    keep()
                    Console.note("Error: " + Advice.message(forAny: error, in: Quill.Sheet.self))
                    Console.note("\(kept). Correct it, then run: \(retry)")
                    throw ExitCode.failure
                }
            }

            /// Runs the user's editor on a file through the shell, so that an editor given with
            /// arguments (`code --wait`) works; returns its exit status.
            static func runEditor(on path: String) throws -> Int32 {
                let environment = ProcessInfo.processInfo.environment
                let editor =
                    [environment["VISUAL"], environment["EDITOR"]].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
                    .first { !$0.isEmpty } ?? "vi"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                // The path is the shell's $1, so no character in it can break the command.
                process.arguments = ["-c", editor + " \"$1\"", "sh", path]
                do {
                    try process.run()
                } catch {
                    throw QuillError.invalidArgument(
                        "Cannot start the editor '\(editor)': \(error.localizedDescription). Set EDITOR to an editor's command.")
                }
                process.waitUntilExit()
                return process.terminationStatus
            }
        }
    }
}

/// Reading a sheet file and saying what applying it did.
enum SheetFile {
    static func read(_ path: String) throws -> ParsedSheet {
        let text = try InputFile.text(path)
        return try ParsedSheet.parse(text, path: path)
    }

    static func outcome(_ report: SheetReport, file: String) -> String {
        report.changes.isEmpty
            ? "Nothing to apply: \(file) matches \(report.coder)'s codings of \(report.source)."
            : "Applied \(file) to \(report.source) as \(report.coder): \(report.summary)."
    }
}
