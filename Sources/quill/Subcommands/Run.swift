import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// The whole pipeline on a folder of transcripts.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build or update a project from a folder of transcripts and a codebook, autocode it, and write the report and tables.",
            discussion: """
                Creates the project if there is none (project.quill here, or --project PATH), imports the codebook and \
                every transcript in the transcripts folder and its subfolders (.txt, .md, .docx, .odt, .vtt, .srt) (files already imported \
                are skipped), autocodes, and \
                writes frequency.{csv,md,json} and frequency-rollup.{csv,md,json} into the output folder with the full \
                report ('quill report': report.html, report.md and the other tables) and the project as REFI-QDA (project.qdpx), counting participants only \
                (interviewers are left out, as autocoding leaves them out). Running it again changes nothing and writes \
                the same bytes, except for the time in the report's provenance (set SOURCE_DATE_EPOCH to fix it). \
                Only what is inside the transcripts folder is read: links that lead out of it or loop, hidden files, system \
                files (Thumbs.db, desktop.ini, .DS_Store), Office lock files (~$name.docx), read-mes and empty folders are \
                skipped and listed. Any other file Quill cannot read (a .pdf, say) stops the run with an error naming it.
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
            // Everything that can fail on the user's input is checked before the project changes.
            let reportDate = try ReportSupport.date()
            try OutputFolder.prepare(outURL)

            let projectURL =
                project.project.map { URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL }
                ?? folder.appendingPathComponent(ProjectLocator.fileName)
            let isNew = !FileManager.default.fileExists(atPath: projectURL.path)
            // A project this command makes and cannot fill is not left behind, not even when a
            // signal stops the command.
            let made = isNew ? ProjectFiles.register(projectURL) : nil
            let store =
                try made.map { try ProjectFiles.create(at: projectURL, name: folder.lastPathComponent, made: $0) }
                ?? ProjectDatabase.open(at: projectURL)
            if let upgrade = store.upgrade { Console.note(upgrade.note) }
            let result: (codebook: CodebookImportReport, imports: [ImportOutcome], autocode: AutocodeReport)
            let existing: [String: [String]]
            do {
                existing = try ImportReporter.existingCases(store)
                result = try Autocoder(store).runPipeline(codebook: book, sources: prepared, actor: coder.actor)
            } catch {
                made?.remove()
                throw error
            }
            made?.keep()
            if isNew { Console.note("Created project at \(projectURL.path).") }
            Console.note(
                "Codebook '\(book.name)': \(result.codebook.added) added, \(result.codebook.updated) updated, \(result.codebook.unchanged) unchanged."
            )
            ImportReporter.report(result.imports, prepared: prepared, existingCases: existing)
            result.autocode.notes.forEach { Console.note(Advice.text($0)) }
            Console.note("Autocoded: \(result.autocode.added) new codings (\(result.autocode.proposals.count) in all).")

            // Autocoding leaves interviewers out, so the tables count participants' cases only.
            let participants = AnalysisFilter(excludesInterviewers: true)
            for (rollUp, stem) in [(false, "frequency"), (true, "frequency-rollup")] {
                let frequency = try ProjectAnalysis(store).frequency(rollUp: rollUp, filter: participants)
                for format in [OutputFormat.csv, .md, .json] {
                    let path = outURL.appendingPathComponent("\(stem).\(format.rawValue)").path
                    try OutputFile.write(frequency.table(for: format).render(format), to: path)
                }
            }
            Console.note("Wrote frequency tables to \(outURL.path).")
            let options = ReportOptions(quillVersion: QuillVersion.current, date: reportDate)
            try QuillKit.Report(store: store, filter: participants, options: options).write(to: outURL)
            Console.note("Wrote the report to \(outURL.appendingPathComponent("report.html").path), with report.md and the tables.")
            let exchange = try REFIExporter(store).exportQDPX(to: outURL.appendingPathComponent("project.qdpx"))
            Console.note(
                "Wrote \(outURL.appendingPathComponent("project.qdpx").path) for NVivo, ATLAS.ti, MAXQDA and QualCoder "
                    + "(\(exchange.sources) sources, \(exchange.codings) codings; checked against the REFI-QDA schema).")
            Console.out(try ProjectAnalysis(store).frequency(rollUp: true, filter: participants).table(for: .table).render(.table))
        }

        /// The transcripts in the folder; what is left out is listed in a note.
        private func transcriptFiles() throws -> [URL] {
            let folder = try TranscriptFolder(URL(fileURLWithPath: transcripts))
            if let note = folder.skippedNote { Console.note(note) }
            return folder.files
        }
    }
}

/// The files of a project a command makes: the database and the files SQLite keeps beside it,
/// registered from before they exist so that a signal removes them.
enum ProjectFiles {
    /// Registers the files of a project about to be made where there is none.
    static func register(_ project: URL) -> TemporaryFiles.Registration {
        TemporaryFiles.register(["", "-wal", "-shm", "-journal"].map { URL(fileURLWithPath: project.path + $0) })
    }

    /// Makes the project; if that fails, what it left is removed, unless the project was
    /// there already (made by someone else in the meantime).
    static func create(at project: URL, name: String, made: TemporaryFiles.Registration) throws -> ProjectDatabase {
        do {
            return try ProjectDatabase.create(at: project, name: name)
        } catch QuillError.projectExists(let path) {
            made.keep()
            throw QuillError.projectExists(path: path)
        } catch {
            made.remove()
            throw error
        }
    }
}

/// The folder results are written to.
enum OutputFolder {
    /// Creates the folder if needed.
    /// - Throws: `QuillError.fileNotWritable` when it is a file or cannot be made.
    static func prepare(_ url: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw QuillError.fileNotWritable(path: url.path, reason: "it is a file; give --out a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw QuillError.fileNotWritable(path: url.path, reason: "the folder cannot be made")
        }
    }
}
