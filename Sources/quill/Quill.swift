import ArgumentParser
import QuillKit

/// The `quill` command.
@main
struct Quill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quill",
        abstract: "Qualitative coding of interview and workshop transcripts against a framework codebook.",
        discussion: """
            A project is one file, project.quill, found in the current folder or the nearest folder above it \
            (--project PATH overrides). Start with 'quill init', or run the whole pipeline on a folder of \
            transcripts with 'quill run'.
            """,
        version: QuillVersion.current,
        subcommands: [
            Init.self, Run.self, CodebookCommand.self, Import.self, Sources.self, Show.self,
            Resegment.self, Speakers.self, Cases.self, CodeCommand.self, Uncode.self, Codings.self, Autocode.self, Search.self, Stats.self,
            Excerpts.self, Report.self, Log.self, Undo.self, Check.self, Backup.self, MemoCommand.self, Coders.self, Export.self, ImportQDPX.self,
            Review.self, Sheet.self, AgreementCommand.self, Merge.self,
        ]
    )

    /// Runs the command named on the command line. Temporary files are removed when a signal
    /// stops it (SIGINT, SIGTERM, SIGHUP), which then exits with 128 + the signal's number.
    /// A library error reaches the user through `Advice`, with the advice for the command that
    /// failed; ArgumentParser's own errors and exit codes are reported as ArgumentParser does.
    static func main() {
        TemporaryFiles.removeOnSignals()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exit(withError: Advice.error(error, in: type(of: command)))
        }
    }
}
