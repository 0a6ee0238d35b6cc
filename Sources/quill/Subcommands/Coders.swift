import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill coders`.
    struct Coders: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the coders with the number of their codings and memos, by name.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let coders = try CoderRoster(project.open()).coders()
            let table = Table(
                columns: [.init("coder", "Coder"), .init("codings", "Codings", numeric: true), .init("memos", "Memos", numeric: true)],
                rows: coders.map { [.text($0.name), .int($0.codings), .int($0.memos)] })
            Console.out(table.render(format.format))
        }
    }
}
