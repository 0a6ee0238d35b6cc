public import ArgumentParser
import Foundation
import QuillKit

extension MergeConflictRule: ExpressibleByArgument {}

extension Quill {
    /// `quill merge OTHER.quill`: takes in a colleague's project.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring another project's codings, codes, sources, cases, attributes and memos into this one, as one undoable change.",
            discussion: """
                The other project (a .quill, or a .qdpx from any REFI-QDA tool) is only read, never changed. Codes are matched by GUID, then by name under the same \
                parent; sources by the SHA-256 of their file; cases, attributes and coders by name. Codings keep their \
                coder, and one this project already has is not added again, so merging twice changes nothing. \
                Conflicts (a code renamed or moved in one project, a code deleted here but used there, an attribute \
                of another type, a case or source attribute with another value) stop the merge, each one listed, unless \
                --on-conflict says which side wins. 'quill undo' reverses a merge.
                """)

        @Argument(help: "The other project: a Quill project file (.quill), or a REFI-QDA project (.qdpx) from Quill or another QDA tool.")
        var other: String
        @Option(
            name: .long, help: "How to settle conflicts: stop (list them and change nothing), ours (keep this project's), theirs (take the other's).")
        var onConflict: MergeConflictRule = .stop
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let url = URL(fileURLWithPath: other)
            if url.standardizedFileURL.resolvingSymlinksInPath() == (try project.locate()).standardizedFileURL.resolvingSymlinksInPath() {
                Console.note("\(other) is this project; nothing to merge.")
                return
            }
            var contents: ProjectContents
            if ["qdpx", "qde"].contains(url.pathExtension.lowercased()) {
                let read: REFIImportReport
                (contents, read) = try REFIImporter(store).contents(ofREFIAt: url, actor: coder.actor)
                for warning in read.warnings { Console.note("Warning: " + Advice.text(warning)) }
                if !read.notImported.isEmpty {
                    Console.note("Not merged (Quill does not keep these): " + read.notImported.joined(separator: "; ") + ".")
                }
            } else {
                contents = try ProjectContents.load(ofProjectAt: url)
            }
            contents.origin = other
            let report = try ProjectMerger(store).merge(contents, rule: onConflict, actor: coder.actor)
            for conflict in report.conflicts {
                Console.note("Conflict, kept \(onConflict == .ours ? "ours" : "theirs"): \(conflict.what).")
            }
            if report.isEmpty {
                Console.note("Nothing to merge: this project already has everything in \(other).")
            } else {
                Console.note("Merged \(other): \(report.summary).")
            }
            if !report.renamedSources.isEmpty {
                Console.note(
                    "Added under another name, because a different source here has the name: \(report.renamedSources.joined(separator: ", ")).")
            }
            if report.deletedCodesLeftOut > 0 {
                Console.note(
                    "Left out \(report.deletedCodesLeftOut) code\(report.deletedCodesLeftOut == 1 ? "" : "s") deleted here and unused there.")
            }
            if report.leftOut > 0 {
                Console.note("Left out \(report.leftOut) coding(s) or memo(s) on codes that stay deleted here.")
            }
            if !report.isEmpty { Console.note("'quill undo' reverses the merge.") }
        }
    }
}
