import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// The whole pipeline on a folder of transcripts.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build or update a project from a folder of transcripts and a codebook, autocode it, and write the frequency tables.",
            discussion: """
                Creates the project if there is none (project.quill here, or --project PATH), imports the codebook and \
                every transcript in the transcripts folder (.txt, .md, .docx, .odt, .vtt, .srt) (files already imported are skipped), autocodes, and \
                writes frequency.{csv,md,json} and frequency-rollup.{csv,md,json} into the output folder, counting \
                participants only (interviewers are left out, as autocoding leaves them out). Running it again changes \
                nothing and writes the same bytes.
                """)

        @Option(name: .long, help: ArgumentHelp("The folder of transcripts.", valueName: "folder"))
        var transcripts = "Transcripts"
        @Option(name: .long, help: ArgumentHelp("The codebook.", valueName: "file"))
        var codebook = "Codebooks/lhs-framework.yaml"
        @Option(name: .long, help: ArgumentHelp("Where to write the results.", valueName: "folder"))
        var out = "Exports"
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let outURL = URL(fileURLWithPath: out, relativeTo: folder).standardizedFileURL
            let files = try transcriptFiles()
            let book = try CodebookFile.read(codebook)
            let prepared = try files.map { try PreparedSource.read(url: $0) }

            let projectURL = project.project.map { URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL }
                ?? folder.appendingPathComponent(ProjectLocator.fileName)
            let store: ProjectStore
            if FileManager.default.fileExists(atPath: projectURL.path) {
                store = try ProjectStore.open(at: projectURL)
            } else {
                store = try ProjectStore.create(at: projectURL, name: folder.lastPathComponent)
                Console.note("Created project at \(projectURL.path).")
            }
            let codebookReport = try store.importCodebook(book, actor: coder.actor)
            Console.note("Codebook '\(book.name)': \(codebookReport.added) added, \(codebookReport.updated) updated, \(codebookReport.unchanged) unchanged.")
            ImportReporter.report(try store.importSources(prepared, actor: coder.actor), prepared: prepared)
            let autocoded = try store.autocode(isDryRun: false, actor: coder.actor)
            Console.note("Autocoded: \(autocoded.added) new codings (\(autocoded.proposals.count) in all).")

            do {
                try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
            } catch {
                throw QuillError.fileNotWritable(path: outURL.path, reason: (error as NSError).localizedDescription)
            }
            // Autocoding leaves interviewers out, so the tables count participants' cases only.
            let participants = AnalysisFilter(excludesInterviewers: true)
            for (rollUp, stem) in [(false, "frequency"), (true, "frequency-rollup")] {
                let frequency = try store.frequency(rollUp: rollUp, filter: participants)
                for format in [OutputFormat.csv, .md, .json] {
                    let path = outURL.appendingPathComponent("\(stem).\(format.rawValue)").path
                    try OutputFile.write(frequency.table(for: format).render(format), to: path)
                }
            }
            Console.note("Wrote frequency tables to \(outURL.path).")
            Console.out(try store.frequency(rollUp: true, filter: participants).table(for: .table).render(.table))
        }

        private func transcriptFiles() throws -> [URL] {
            let url = URL(fileURLWithPath: transcripts)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            } catch {
                throw QuillError.fileNotReadable(path: url.path, reason: "it is not a folder that can be read")
            }
            var files: [URL] = []
            for name in names.sorted() where !name.hasPrefix(".") && !name.uppercased().hasPrefix("README") {
                let file = url.appendingPathComponent(name)
                if TranscriptFormat.forExtension(file.pathExtension) != nil {
                    files.append(file)
                } else {
                    Console.note("Skipped \(file.path): not a transcript format Quill reads (.txt, .md, .docx, .odt, .vtt, .srt).")
                }
            }
            guard !files.isEmpty else {
                throw QuillError.badInput(path: url.path, problem: "the folder has no transcripts (.txt, .md, .docx, .odt, .vtt, .srt)",
                                          remedy: "Put transcripts in it, or pass --transcripts with another folder.")
            }
            return files
        }
    }
}
