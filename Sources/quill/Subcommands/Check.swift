import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill check`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the project: integrity, references, offsets inside the texts, identifiers, the search index.",
            discussion: "Exits with 0 when the project is sound, and with 1 after listing the problems otherwise.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let store = try project.open()
            let problems = try IntegrityCheck(store).check()
            if problems.isEmpty {
                Console.note("No problems found in \(store.displayPath).")
                return
            }
            let table = Table(
                columns: [.init("check", "Check"), .init("problem", "Problem")],
                rows: problems.map { [.text($0.check), .text($0.message)] })
            Console.out(table.render(format.format))
            Console.note(
                "\(problems.count) problem\(problems.count == 1 ? "" : "s") found in \(store.displayPath). Restore a backup, or keep a copy of the file and ask for help with it."
            )
            throw ExitCode.failure
        }
    }

    /// `quill backup`.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the project into a new file, consistently, even while it is in use.")

        @Argument(help: "The file to write; it must not exist yet.")
        var file: String
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let store = try project.open()
            let url = URL(fileURLWithPath: file)
            try ProjectBackup(store).backup(to: url)
            let problems = try IntegrityCheck(ProjectDatabase.readCopy(of: url)).check()
            guard problems.isEmpty else {
                throw QuillError.fileNotWritable(path: file, reason: "the copy does not check out (\(problems[0].message))")
            }
            Console.note("Backed up \(store.displayPath) to \(url.path); the copy checks out.")
        }
    }
}
