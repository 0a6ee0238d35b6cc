public import ArgumentParser
import Foundation
import QuillKit

/// `--project PATH`, shared by every command that uses a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project file to use, instead of the nearest project.quill.", valueName: "path"))
    var project: String?

    /// The project file this command means.
    func locate() throws -> URL {
        try ProjectLocator.locate(explicit: project, from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// Opens the project this command means.
    func open() throws -> ProjectDatabase {
        let store = try ProjectDatabase.open(at: try locate())
        if let upgrade = store.upgrade { Console.note(upgrade.note) }
        return store
    }
}

/// `--coder NAME`, for commands that record who did something.
struct CoderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Who is coding (default: $QUILL_CODER, else your user name).", valueName: "name"))
    var coder: String?

    /// The coder: the option, else QUILL_CODER, else the user name.
    var name: String {
        let environment = ProcessInfo.processInfo.environment
        for candidate in [coder, environment["QUILL_CODER"], environment["USER"], environment["LOGNAME"]] {
            if let candidate = candidate?.trimmingCharacters(in: .whitespaces), !candidate.isEmpty { return candidate }
        }
        return NSUserName().isEmpty ? "unknown" : NSUserName()
    }

    func validate() throws {
        if let coder, coder.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("'--coder' needs a name.")
        }
    }

    /// The actor for the history: this coder and the command line as typed, quoted so that it
    /// can be pasted back into a shell.
    var actor: Actor {
        Actor(coder: name, command: Self.commandLine)
    }

    /// The command line as typed, for the history.
    static var commandLine: String {
        (["quill"] + CommandLine.arguments.dropFirst().map(shellQuoted)).joined(separator: " ")
    }

    /// An argument as a POSIX shell would need it written.
    static func shellQuoted(_ argument: String) -> String {
        let plain = argument.unicodeScalars.allSatisfy { scalar in
            CharacterSet.alphanumerics.contains(scalar) || "-_./=:,+@%".unicodeScalars.contains(scalar)
        }
        if plain && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// `--format table|csv|json|md`, for every listing.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format.")
    var format: OutputFormat = .table
}

extension OutputFormat: ExpressibleByArgument {}
extension SegmentationMode: ExpressibleByArgument {}
extension TranscriptFormat: ExpressibleByArgument {}

/// Writing to the terminal.
enum Console {
    /// Writes data to standard output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a diagnostic line to standard error.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
