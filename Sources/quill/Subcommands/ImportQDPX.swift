import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// `quill import-qdpx FILE`.
    struct ImportQDPX: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-qdpx",
            abstract: "Bring in a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or another Quill.",
            discussion: """
                Into the current project, or, where there is none (or with --new), into a new project.quill here. \
                Codes are matched by GUID, then by path; sources by their text; coders, cases and attributes by name. \
                Positions are converted from the units the other tool counts (NVivo counts UTF-16 units, ATLAS.ti \
                counts a CR LF line end once). Nothing the project has is removed or overwritten, and importing the \
                same file again changes nothing. What Quill does not keep (pictures, PDFs, audio, video, graphs, \
                sets) is listed.
                """)

        @Argument(help: ArgumentHelp("The .qdpx file (a bare .qde is read too).", valueName: "file"))
        var file: String

        @Flag(name: .long, help: "Make a new project.quill here even if a project is found above this folder.")
        var new = false

        @OptionGroup var segmentation: SegmentationArguments
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let url = URL(fileURLWithPath: file)
            let options = try segmentation.options()
            // The file is read (and refused if it must be) before any project is made.
            let package = try REFIPackage.read(url)
            // A project this command makes is removed if the import fails or a signal stops it.
            let (store, made) = try openOrCreate(named: package.projectName ?? url.deletingPathExtension().lastPathComponent)
            let report: REFIImportReport
            do {
                report = try REFIImporter(store).importREFI(package, from: url, segmentation: options, isNewProject: made != nil, actor: coder.actor)
            } catch {
                made?.remove()
                throw error
            }
            made?.keep()
            REFIReporter.report(report, file: file, into: store.displayPath, created: made != nil)
        }

        /// The project to import into, and the registration of its files when this command made it.
        private func openOrCreate(named name: String) throws -> (ProjectDatabase, made: TemporaryFiles.Registration?) {
            if !new, project.project != nil || (try? project.locate()) != nil {
                return (try project.open(), nil)
            }
            let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let target =
                project.project.map { URL(fileURLWithPath: $0, relativeTo: folder).standardizedFileURL }
                ?? folder.appendingPathComponent(ProjectLocator.fileName)
            guard !FileManager.default.fileExists(atPath: target.path) else {
                throw QuillError.projectExists(path: target.path)
            }
            let made = ProjectFiles.register(target)
            return (try ProjectFiles.create(at: target, name: name, made: made), made)
        }
    }
}

/// Telling a user what a REFI-QDA import did.
enum REFIReporter {
    static func report(_ report: REFIImportReport, file: String, into project: String, created: Bool) {
        var lines: [String] = []
        let origin = report.origin.map { " (written by \($0))" } ?? ""
        if created { lines.append("Created \(project) from \(file)\(origin).") }
        if report.changed && report.isCodebook {
            lines.append(
                "Imported the codebook \(file)\(origin): \(report.codebook.added) code(s) added"
                    + (report.codebook.unchanged > 0 ? ", \(report.codebook.unchanged) already here (kept as they are)" : "") + ".")
        } else if report.changed {
            lines.append(
                "Imported \(file)\(created ? "" : origin): \(report.sourcesAdded) source(s) added"
                    + (report.sourcesMatched > 0 ? ", \(report.sourcesMatched) already here" : "")
                    + "; \(report.codebook.added) code(s) added"
                    + (report.codebook.unchanged > 0 ? ", \(report.codebook.unchanged) already here" : "")
                    + "; \(report.codingsAdded) coding(s) added" + (report.codingsPresent > 0 ? ", \(report.codingsPresent) already here" : "")
                    + "; \(report.casesAdded) case(s), \(report.memosAdded) memo(s).")
        } else {
            lines.append("Nothing new in \(file)\(origin): the project already has everything in it that Quill keeps.")
        }
        if !report.convertedPositions.isEmpty {
            lines.append("Positions converted for: " + report.convertedPositions.joined(separator: ", ") + ".")
        }
        if !report.sourcesWithDeclinedLabels.isEmpty {
            let names = report.sourcesWithDeclinedLabels
            lines.append(
                "Not cut at speaker labels: \(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? " and \(names.count - 5) more" : "") "
                    + "\(names.count == 1 ? "has" : "have") lines that start like labels ('Title: ...'), but they do not read as a "
                    + "transcript's (labels that recur and alternate, with most of the text in turns). If they are speakers, cut a source at them with 'quill resegment SOURCE --speakers'."
            )
        }
        for warning in report.warnings { lines.append("Warning: " + Advice.text(warning)) }
        if !report.notImported.isEmpty {
            lines.append("Not imported (Quill does not keep these): " + report.notImported.joined(separator: "; ") + ".")
        }
        for line in lines { Console.note(line) }
    }
}
