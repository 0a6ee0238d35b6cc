public import Foundation

/// Everything that can go wrong for a user of Quill, each with a message that says what is
/// wrong, where, and what to do about it. A step that is one of Quill's commands or options is
/// carried as data (a case of its own, or a `Remedy`); the executable words it.
public indirect enum QuillError: Error, LocalizedError, Equatable, Sendable {
    /// No project file in the folder or any folder above it.
    case projectNotFound(searchedFrom: String)
    /// `init` was asked to create a project where one exists.
    case projectExists(path: String)
    /// A file that was opened as a project is not one.
    case notAProject(path: String, reason: String)
    /// The project was made by a newer Quill.
    case projectTooNew(path: String, migration: String)
    /// An input file does not exist or cannot be read.
    case fileNotReadable(path: String, reason: String)
    /// An input file could not be written.
    case fileNotWritable(path: String, reason: String)
    /// An input file is wrong in some way a user can fix.
    case badInput(path: String, problem: String, remedy: String)
    /// An input file is wrong in a way one of Quill's commands or options helps with.
    case badInputRemedied(path: String, problem: String, remedy: Remedy)
    /// A place in an input file (`line 3: `) where another error arose, such as a code that
    /// is not in the project.
    case badInputCause(path: String, place: String, cause: QuillError, remedy: String)
    /// A file format Quill does not read.
    case unsupportedFormat(path: String, format: String)
    /// No code matches a name or path.
    case unknownCode(String, suggestions: [String])
    /// Several codes match a name.
    case ambiguousCode(String, matches: [String])
    /// A code that only groups others cannot be applied.
    case codeNotCodable(path: String)
    /// No source matches a name.
    case unknownSource(String, suggestions: [String])
    /// Several sources match a name.
    case ambiguousSource(String, matches: [String])
    /// A list of segment numbers cannot be read or names segments that do not exist.
    case badSegments(String, reason: String)
    /// A command-line value is wrong.
    case invalidArgument(String)
    /// A command-line value is wrong, or a request cannot be carried out, and one of Quill's
    /// commands or options helps: the message says what is wrong, up to the remedy.
    case refused(String, remedy: Remedy)
    /// A speaker pattern that cannot be used: it is not a regular expression, or has no group
    /// for the speaker's name. `reason` follows the pattern: `is not a valid regular expression. …`
    case invalidSpeakerPattern(pattern: String, reason: String)
    /// A file to import would get the name of a different source the project has.
    case sourceNameTaken(file: String, name: String, existingFile: String)
    /// A type is given for a column a case attribute file does not have.
    case unknownTypedColumn(path: String, column: String, columns: [String])
    /// Another `quill` kept the project locked for longer than a command waits.
    case projectBusy(path: String)
    /// A project file whose structure (tables, indexes, triggers, views) is not exactly what
    /// Quill makes: it may have been changed to run SQL of its own, and is not used.
    case untrustedStructure(path: String, differences: [String])
    /// A record of the undo log that is not one Quill writes.
    case untrustedUndoRecord(path: String, entry: Int64, record: Int64, problem: String)
    /// Another project that `merge` would read fails the project checks.
    case damagedProject(path: String, problems: [String])
    /// An export failed Quill's own checks: a bug in Quill, reported with the first problems.
    case exportInvalid(path: String, problems: [String], total: Int)
    /// A regular expression (a rule's, or a speaker pattern) took more steps than Quill allows
    /// on one segment or line, and was stopped.
    /// - Parameters:
    ///   - file: the rules file, `the codebook`, or the transcript a speaker pattern read.
    ///   - place: the rule (`rule 2 (line 7)`, `rule 1 of code 'Access'`) or
    ///     `speakerPatternPlace`.
    ///   - pattern: the expression as written.
    ///   - segment: where it was stopped: `segment 3 of interview-03`, or `line 12`.
    ///   - limit: the limit it went past, in steps.
    case regexTooComplex(file: String, place: String, pattern: String, segment: String, limit: Int)
    /// A rule's regular expression (or a speaker pattern) that took more time on all its
    /// searches than it is allowed, stopped at a segment (or a line).
    case regexTooSlow(file: String, place: String, pattern: String, segment: String, seconds: Int)

    public var errorDescription: String? {
        switch self {
        case .projectNotFound(let folder):
            return "No Quill project (\(ProjectLocator.fileName)) in \(folder) or any folder above it. "
                + "Create one here, or name the project file to use."
        case .projectExists(let path):
            return
                "\(path) already exists. Quill makes a new project only where there is no file; use the project that is there, or choose another path."
        case .notAProject(let path, let reason):
            return "\(path) is not a Quill project: \(reason). Use a project Quill made."
        case .projectTooNew(let path, let migration):
            return "\(path) was written by a newer version of Quill (it has schema step '\(migration)'). Update Quill to open it."
        case .fileNotReadable(let path, let reason):
            return "Cannot read \(path): \(reason)."
        case .fileNotWritable(let path, let reason):
            return "Cannot write \(path): \(reason)."
        case .badInput(let path, let problem, let remedy):
            return "\(path): \(problem). \(remedy)"
        case .badInputRemedied(let path, let problem, let remedy):
            return "\(path): \(problem)." + remedy.generic
        case .badInputCause(let path, let place, let cause, let remedy):
            return "\(path): \(place)\(Self.sentence(cause.errorDescription ?? "")). \(remedy)"
        case .unsupportedFormat(let path, let format):
            return "\(path): Quill does not read '\(format)' files. It reads transcripts as .txt, .md, .docx, .odt, .vtt and .srt; "
                + "save the file as one of those, or name its format (txt, md, docx, odt, vtt, srt) if it is one already."
        case .unknownCode(let name, let suggestions):
            return "No code is called '\(name)'." + Self.didYouMean(suggestions)
        case .ambiguousCode(let name, let matches):
            return "'\(name)' names \(matches.count) codes: \(matches.map { "'\($0)'" }.joined(separator: ", ")). "
                + "Give the path, for example '\(matches[0])'."
        case .codeNotCodable(let path):
            return "'\(path)' only groups other codes and cannot be applied. Choose one of its children, or set 'codable: true' in the codebook."
        case .unknownSource(let name, let suggestions):
            return "No source is called '\(name)'." + Self.didYouMean(suggestions)
        case .ambiguousSource(let name, let matches):
            return "'\(name)' names \(matches.count) sources: \(matches.map { "'\($0)'" }.joined(separator: ", ")). Give the full name or its number."
        case .badSegments(let text, let reason):
            return "Segments '\(text)': \(reason). Write numbers and ranges like 3-7,12."
        case .invalidArgument(let message):
            return message
        case .refused(let message, let remedy):
            return message + remedy.generic
        case .invalidSpeakerPattern(let pattern, let reason):
            return "The speaker pattern '\(pattern)' \(reason)"
        case .sourceNameTaken(let file, let name, let existingFile):
            return "\(file): the project already has a different source called '\(name)' (from \(existingFile)). "
                + "Rename the file to give the source another name. Nothing was imported."
        case .unknownTypedColumn(let path, let column, let columns):
            return
                "\(path): a type is given for '\(column)', a column the file does not have. Its attribute columns: \(columns.joined(separator: ", "))."
        case .projectBusy(let path):
            let timeout = ProjectDatabase.busyTimeout
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            return "Another quill is changing the project \(path), and it is still busy. Nothing was changed; try again in a moment "
                + "(set QUILL_BUSY_TIMEOUT to wait longer than \(seconds) second\(timeout == 1 ? "" : "s"))."
        case .untrustedStructure(let path, let differences):
            let shown = differences.prefix(5).joined(separator: "; ") + (differences.count > 5 ? "; and \(differences.count - 5) more" : "")
            return "\(path) is not a project Quill will use: \(shown). Anyone who had the file can change it, and a table, view "
                + "or trigger Quill does not make could run its own SQL when Quill writes, so Quill uses only files whose structure is "
                + "exactly its own. Nothing was read or changed. If you made this project, restore it from a backup; if it came from "
                + "someone else, ask them for a REFI-QDA export (.qdpx) or a fresh copy."
        case .untrustedUndoRecord(let path, let entry, let record, let problem):
            return "The change #\(entry) in the history of \(path) cannot be undone: its undo record \(record) is not one Quill "
                + "writes (\(problem)). Quill runs only the row changes it records itself, so the record may have been planted in the "
                + "file. Nothing was changed. If you made this project, restore it from a backup; if it came from someone else, do "
                + "not use its undo history."
        case .damagedProject(let path, let problems):
            return "\(path) is damaged, so nothing of it was taken in: \(Self.firstFive(problems)). Nothing was changed. Ask whoever made it to "
                + "check it and send a sound copy."
        case .exportInvalid(let path, let problems, let total):
            return "Quill did not write \(path): the document it made fails the REFI-QDA checks, which is a bug in Quill. "
                + "Please report it with these \(problems.count) of \(total) problem(s): "
                + problems.joined(separator: "; ") + ". No file was written."
        case .regexTooComplex(let file, let place, let pattern, let segment, let limit):
            return "\(file): \(place): the regular expression /\(pattern)/ took more than \(Self.grouped(limit)) steps "
                + "on \(segment) and was stopped, so nothing was changed. " + Self.simplifyRegex
        case .regexTooSlow(let file, let place, let pattern, let segment, let seconds):
            return "\(file): \(place): the regular expression /\(pattern)/ took more than \(seconds) second\(seconds == 1 ? "" : "s") in all "
                + "and was stopped at \(segment), so nothing was changed. " + Self.simplifyRegex
        }
    }

    /// The place of a regular expression that is a speaker pattern, in `regexTooComplex` and
    /// `regexTooSlow`.
    public static let speakerPatternPlace = "the speaker pattern"

    /// The first five of a list, and how many more there are.
    public static func firstFive(_ items: [String]) -> String {
        items.prefix(5).joined(separator: "; ") + (items.count > 5 ? "; and \(items.count - 5) more" : "")
    }

    /// A message as part of a longer one, without its last full stops.
    public static func sentence(_ message: String) -> String {
        var text = message
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// What to do about a regular expression that backtracks out of hand.
    private static let simplifyRegex =
        "Simplify it: nested quantifiers such as (\\w+\\s?)* try every way "
        + "of cutting the text and never finish; make the separator required, as in (\\w+\\s)*, or the group atomic, as in (?>\\w+\\s?)*."

    /// A count with commas between groups of three digits: `10,000,000`.
    private static func grouped(_ number: Int) -> String {
        var digits = String(number.magnitude)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    private static func didYouMean(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        return " Did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
