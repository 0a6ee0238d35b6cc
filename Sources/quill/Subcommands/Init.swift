import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// Creates a project.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a project (project.quill in this folder, or --project PATH).")

        @Option(name: .long, help: "The project's name (default: the folder's name).")
        var name: String?

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let url =
                project.project.map { URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL }
                ?? folder.appendingPathComponent(ProjectLocator.fileName)
            let title = name ?? url.deletingLastPathComponent().lastPathComponent
            _ = try ProjectDatabase.create(at: url, name: title)
            Console.note("Created project '\(title)' at \(url.path).")
        }
    }
}
