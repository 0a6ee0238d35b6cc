import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill undo`.
    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reverse the latest change that is not undone yet (repeat to go further back); 'quill log' lists them.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            guard let report = try UndoLog(store).undo(actor: coder.actor) else {
                Console.note("Nothing to undo in \(store.displayPath).")
                return
            }
            Console.note("Undid #\(report.entry.id) (\(report.entry.coder), \(report.entry.at)): \(report.entry.summary).")
        }
    }
}
