import ArgumentParser
import Foundation
import QuillKit

/// The messages a user sees for the library's errors and notices, with the advice that names
/// `quill`'s commands and options. The library carries what went wrong as data (its error cases
/// and `Remedy`) and words it without any command; this is the one place that words it with
/// them, for the command that is running.
enum Advice {
    /// An error as `exit(withError:)` should report it: a library error becomes its message with
    /// advice; any other error (ArgumentParser's own, `ExitCode`) is left as it is.
    static func error(_ error: any Error, in command: (any ParsableCommand.Type)?) -> any Error {
        guard let error = error as? QuillError else { return error }
        return Message(text: message(for: error, in: command))
    }

    /// The message of an error of any kind, for a line of its own.
    /// The sentence that says where the codes are listed.
    static let listsTheCodes = " 'quill codebook tree' lists the codes."

    static func message(forAny error: any Error, in command: (any ParsableCommand.Type)? = nil) -> String {
        if let error = error as? QuillError { return message(for: error, in: command) }
        return (error as? any LocalizedError)?.errorDescription ?? "\(error)"
    }

    /// The message of a library error, with the advice that fits the running command.
    static func message(for error: QuillError, in command: (any ParsableCommand.Type)? = nil) -> String {
        switch error {
        case .projectNotFound(let folder):
            return "No Quill project (\(ProjectLocator.fileName)) in \(folder) or any folder above it. "
                + "Run 'quill init' to create one here, or pass --project PATH."
        case .projectExists(let path):
            return
                "\(path) already exists. Quill makes a new project only where there is no file; use the project that is there, or pass --project with another path."
        case .notAProject(let path, let reason):
            return "\(path) is not a Quill project: \(reason). Pass --project with the path of a project made by 'quill init'."
        case .unsupportedFormat(let path, let format):
            return "\(path): Quill does not read '\(format)' files. It reads transcripts as .txt, .md, .docx, .odt, .vtt and .srt; "
                + "save the file as one of those, or pass --format (txt, md, docx, odt, vtt, srt) if it is one already."
        case .unknownCode:
            return (error.errorDescription ?? "") + listsTheCodes
        case .unknownSource:
            return (error.errorDescription ?? "") + " 'quill sources' lists them."
        case .ambiguousSource(let name, let matches):
            return
                "'\(name)' names \(matches.count) sources: \(matches.map { "'\($0)'" }.joined(separator: ", ")). Give the full name or its number from 'quill sources'."
        case .badSegments(let text, let reason):
            return "Segments '\(text)': \(reason). Write numbers and ranges like 3-7,12; 'quill show SOURCE' numbers the segments."
        case .damagedProject(let path, let problems):
            return
                "\(path) is damaged, so nothing of it was taken in: \(QuillError.firstFive(problems)). Nothing was changed. Ask whoever made it to "
                + "check it ('quill check' lists the problems) and send a sound copy."
        case .regexTooComplex(let file, QuillError.speakerPatternPlace, let pattern, let segment, let limit):
            return QuillError.regexTooComplex(file: file, place: speakerPattern, pattern: pattern, segment: segment, limit: limit).errorDescription
                ?? ""
        case .regexTooSlow(let file, QuillError.speakerPatternPlace, let pattern, let segment, let seconds):
            return QuillError.regexTooSlow(file: file, place: speakerPattern, pattern: pattern, segment: segment, seconds: seconds).errorDescription
                ?? ""
        case .invalidSpeakerPattern(let pattern, let reason):
            return "\(speakerPattern) '\(pattern)' \(reason)"
        case .sourceNameTaken(let file, let name, let existingFile):
            // `quill run` imports a whole folder and has no `--name`.
            let remedy =
                command == Quill.Run.self
                ? "Rename the file to give the source another name, or import it first under another name with 'quill import FILE --name NAME'."
                : "Rename the file, or import it with --name to give the source another name."
            return "\(file): the project already has a different source called '\(name)' (from \(existingFile)). \(remedy) Nothing was imported."
        case .unknownTypedColumn(let path, let column, let columns):
            return "\(path): '--type \(column)=...' names a column the file does not have. Its attribute columns: \(columns.joined(separator: ", "))."
        case .refused(let problem, let remedy):
            return problem + text(remedy, in: command)
        case .badInputRemedied(let path, let problem, let remedy):
            return "\(path): \(problem)." + text(remedy, in: command)
        case .badInputCause(let path, let place, let cause, let remedy):
            return "\(path): \(place)\(QuillError.sentence(message(for: cause, in: command))). \(remedy)"
        default:
            return error.errorDescription ?? "\(error)"
        }
    }

    /// A notice (a warning or a note) as the user sees it.
    static func text(_ notice: Notice, in command: (any ParsableCommand.Type)? = nil) -> String {
        notice.text + (notice.remedy.map { text($0, in: command) } ?? "")
    }

    /// The sentence of `quill agreement` on the units no coder coded.
    static func uncodedUnits(onlyCoded: Bool) -> String {
        onlyCoded
            ? "Only units that at least one of the coders coded with the code count (--only-coded)."
            : "Units no coder coded with the code count as agreement, and dominate on segments and characters; --only-coded leaves them out."
    }

    private static let speakerPattern = "--speaker-pattern"

    /// What to do, worded with the commands and options, to follow the problem directly.
    static func text(_ remedy: Remedy, in command: (any ParsableCommand.Type)? = nil) -> String {
        switch remedy {
        case .listCases: return " 'quill cases list' lists them."
        case .listSources: return " 'quill sources' lists them."
        case .listSourcesNothingChanged: return " 'quill sources' lists them. Nothing was changed."
        case .nameSource: return " Name a source, as 'quill sources' lists them."
        case .listNames(let names, let known):
            let listing =
                switch names {
                case .coders: "'quill log'"
                case .sources: "'quill sources'"
                case .cases: "'quill cases list'"
                }
            return " \(listing) lists them" + (known.count <= 12 ? ": \(known.joined(separator: ", "))." : ".")
        case .listCoders: return " ('quill coders' lists them with their codings)."
        case .listMemos: return " 'quill memo list' lists the memos with their numbers."
        case .listProposals: return " 'quill review' lists the pending ones with their numbers."
        case .numberedSegments: return "; 'quill show SOURCE' numbers the segments."
        case .numberedSegmentsOf(let source): return " 'quill show \(source)' numbers them."
        case .giveMemoText: return " Give it with --text, --file, or on standard input."
        case .deleteMemo(let id): return " To remove it, run 'quill memo delete \(id)'."
        case .giveSpeakerPattern: return ", or give \(speakerPattern)."
        case .checkProject: return " Run 'quill check'."
        case .checkOtherProject: return " Nothing was changed. Run 'quill check' on that project."
        case .importAttributes: return " Import some with 'quill cases import'."
        case .addAttributes: return "; 'quill cases import' adds attributes."
        case .giveCasesAttribute: return " 'quill cases list' shows the cases; give them the attribute with 'quill cases import', or fix the name."
        case .lookUpCode(let error):
            // An unknown code's own message already says where the codes are listed.
            let text = message(for: error, in: command)
            return " " + text + (text.hasSuffix(listsTheCodes) ? "" : listsTheCodes)
        case .whereSyntax: return " Write it as in --where, for example 'where: role=librarian'."
        case .nameCodersOnce: return " in --coders; name each coder once."
        case .nameTwoCoders: return ", as in --coders alice,bob."
        case .nameFewerCoders: return "; name fewer in --coders."
        case .importCodebook: return "; 'quill codebook import FILE' adds codes."
        case .applyToSourceProject: return " Apply it to the project it was written from (--project PATH). Nothing was applied."
        case .writeNewSheet(let source):
            return " Write a new sheet with 'quill sheet \(source ?? "SOURCE")' and copy your codes into it. Nothing was applied."
        case .restoreMarker(let source): return " Restore the marker from a fresh sheet ('quill sheet \(source)'). Nothing was applied."
        case .restoreDamagedMarker:
            return " Restore it as '<!-- seg:NUMBER START-END HASH -->' from a fresh sheet ('quill sheet SOURCE'). Nothing was applied."
        case .acceptOrReject: return " Name it in only one of --accept and --reject."
        case .dropTypeOverride(let attribute, let type): return " Drop '--type \(attribute)=\(type)', or use another column name."
        case .fixValueOrText(let attribute): return " Fix the value, or pass --type \(attribute)=text."
        case .takeTheirs: return ". To take another project's changes, use 'quill merge' with --on-conflict theirs."
        case .settleConflicts:
            return " Run the merge again with --on-conflict ours to keep this project's version of each, or --on-conflict theirs to take the other's."
        case .fixValueOrKeepOurs: return " with 'quill cases import', or merge with --on-conflict ours."
        case .orKeepOurs: return ", or merge with --on-conflict ours."
        case .keepOurs: return "; merge with --on-conflict ours."
        case .keepOursOrMoveFirst: return "; merge with --on-conflict ours, or move the codes here first."
        case .keepOursOrRenameFirst: return "; merge with --on-conflict ours, or rename one of them first."
        case .importProjectInstead: return " Import a project with 'quill import-qdpx'; a .qdc holds a codebook alone."
        case .importCodebookInstead: return " Import a codebook with 'quill codebook import FILE.qdc'."
        case .addCodesFirst: return " Import or add codes first ('quill codebook import' or 'quill codebook add'). No file was written."
        case .moveInstead: return " To put the code elsewhere, use 'quill codebook move'."
        case .orTop: return ", or --top."
        case .mergeWithChildren(let target): return ", or pass --with-children to merge them all into '\(target)'."
        case .checkSegmentsOrAdd: return " Check the segments with 'quill show', or add the code with 'quill codebook add'."
        case .forceDeleteSubtree(let codings):
            return ", or pass --force to delete them all" + (codings > 0 ? " with their \(codings) coding(s)." : ".")
        case .mergeOrForce: return " Merge it into another code with 'quill codebook merge' to keep them, or pass --force to delete them too."
        case .orForce: return ", or pass --force to delete them too."
        case .mergeTheTwo: return " with 'quill codebook merge'."
        case .showSource: return " with 'quill show'."
        }
    }

    /// A message that is already worded, for `exit(withError:)`, which prints it after `Error: `.
    struct Message: LocalizedError {
        let text: String
        var errorDescription: String? { text }
    }
}
