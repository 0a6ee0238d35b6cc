import Foundation
import GRDB

/// Coding a source one segment at a time, as `quill code -i` does: it shows a segment, reads a
/// line of commands, and saves each accepted line at once as its own change.
///
/// A line is one of:
/// - code names or paths separated by `;` or `,`, each a unique start of a name or path
///   (`evid; barr`), and `-CODE` to remove a code: coded, then on to the next segment;
/// - `s` or an empty line: on to the next segment; `b`: back; `g N`: to segment N;
/// - `?` or `list`: the codes as a tree; `h` or `help`: these commands; `q`: quit.
///
/// The segment shown last is remembered for the source and coder, and the next session starts
/// there.
public struct CodingSession {
    /// What to do after a line.
    public enum Step: Equatable, Sendable {
        /// Show the current segment, after a message (which may be empty).
        case show(String)
        /// Stay at the prompt of the same segment, with a message.
        case stay(String)
        /// End the session.
        case quit
    }

    private let store: ProjectDatabase
    private let actor: Actor
    /// Words an error for the user (the executable gives its own, which names its commands).
    private let describe: (QuillError) -> String
    /// The source.
    public let source: SourceSummary
    private var sheet: CodingSheet
    /// The index of the current segment in the source.
    public private(set) var index: Int

    /// Starts a session on a source for the actor's coder, at segment `from`, else where the
    /// coder stopped last time, else at the first segment.
    /// - Throws: `QuillError.invalidArgument` for a source without segments,
    ///   `QuillError.badSegments` for a segment number it does not have.
    package init(
        store: ProjectDatabase, source: SourceSummary, actor: Actor, from: Int? = nil,
        describe: @escaping (QuillError) -> String = { $0.errorDescription ?? "\($0)" }
    ) throws {
        self.store = store
        self.actor = actor
        self.describe = describe
        self.source = source
        sheet = try SheetApplier(store).codingSheet(sourceID: source.id, coder: actor.coder)
        guard !sheet.entries.isEmpty else {
            throw QuillError.invalidArgument("The source '\(source.name)' has no segments to code.")
        }
        let start = try from ?? CodingEditor(store).codingPosition(sourceID: source.id, coder: actor.coder) ?? 1
        if let from, !sheet.entries.contains(where: { $0.number == from }) {
            throw QuillError.badSegments("\(from)", reason: "the source '\(source.name)' has segments 1 to \(sheet.entries.count)")
        }
        index = sheet.entries.firstIndex { $0.number >= start } ?? sheet.entries.count - 1
    }

    /// The current segment, with the coder's codes on it.
    public var current: CodingSheet.Entry { sheet.entries[index] }

    /// The current segment as text: a heading, the text, and the coder's codes.
    /// - Parameter bold: wraps the heading in these two strings (such as terminal escapes).
    public func render(bold: (String, String) = ("", "")) -> String {
        let entry = current
        var heading = "[\(entry.number)/\(sheet.entries.count)]"
        if let speaker = SegmentView.speakerLabel(entry.speaker, role: entry.role, isInterviewer: entry.isInterviewer) {
            heading += " " + speaker
        }
        var lines = [bold.0 + heading + bold.1]
        lines += entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        lines.append("  codes: " + (entry.codes.isEmpty ? "(none)" : entry.codes.joined(separator: "; ")))
        if !entry.otherCodes.isEmpty {
            lines.append("  also yours, on part of it or beyond: " + entry.otherCodes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Remembers the current segment as where the coder stopped.
    public func savePosition() throws {
        try CodingEditor(store).setCodingPosition(sourceID: source.id, coder: actor.coder, number: current.number, actor: actor)
    }

    /// The commands, for `help`.
    public static let help = """
        Type codes by name or path, or the start of one, separated by ';' or ',' (evid; barr), and -CODE to remove one.
        Enter or s: next segment · b: back · g N: go to segment N · ? or list: the codes · q: quit
        """

    /// Carries out one line.
    ///
    /// Codes typed on a line are all checked first; a line with an unknown or ambiguous code
    /// changes nothing. An accepted line is saved at once as one change, which `quill undo`
    /// reverses.
    public mutating func handle(_ line: String) throws -> Step {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let command = trimmed.lowercased()
        switch command {
        case "", "s", "n", "next":
            return advance("")
        case "b", "back":
            guard index > 0 else { return .stay("This is the first segment.") }
            index -= 1
            return .show("")
        case "q", "quit", "exit":
            return .quit
        case "?", "list":
            return .stay(try codeList())
        case "h", "help":
            return .stay(Self.help)
        default:
            break
        }
        if command == "g" || command.hasPrefix("g ") || command.hasPrefix("go ") {
            let argument = command.split(separator: " ").dropFirst().joined()
            guard let number = Int(argument), let target = sheet.entries.firstIndex(where: { $0.number == number }) else {
                return .stay("Give a segment number from 1 to \(sheet.entries.count), as in: g 12")
            }
            index = target
            return .show("")
        }
        return try code(trimmed)
    }

    private mutating func advance(_ message: String) -> Step {
        guard index + 1 < sheet.entries.count else {
            return .stay(
                (message.isEmpty ? "" : message + "\n") + "That was the last segment of \(source.name). b: back · g N: go to a segment · q: quit")
        }
        index += 1
        return .show(message)
    }

    /// Adds and removes the codes of a line on the current segment.
    private mutating func code(_ line: String) throws -> Step {
        let tree = try CodeTree.load(store)
        var add: [Int64] = []
        var remove: [Int64] = []
        for item in Self.items(line, tree: tree) {
            let isRemoval = item.hasPrefix("-")
            let typed = isRemoval ? item.dropFirst().trimmingCharacters(in: .whitespaces) : item
            let code: Code
            do {
                code = try tree.complete(typed)
            } catch let error as QuillError {
                return .stay(describe(error) + " Nothing was changed.")
            }
            if isRemoval {
                if !remove.contains(code.id) { remove.append(code.id) }
            } else {
                guard code.isCodable else {
                    return .stay(describe(QuillError.codeNotCodable(path: tree.displayPath(of: code.id))) + " Nothing was changed.")
                }
                if !add.contains(code.id) { add.append(code.id) }
            }
        }
        let report = try CodingEditor(store).recode(sourceID: source.id, number: current.number, add: add, remove: remove, actor: actor)
        sheet = try SheetApplier(store).codingSheet(sourceID: source.id, coder: actor.coder)
        let parts = report.changes.map { ($0.isAdded ? "+ " : "- ") + $0.code }
        let missing = remove.filter { id in !report.changes.contains { !$0.isAdded && $0.code == tree.displayPath(of: id) } }
        var message = "Segment \(current.number): " + (parts.isEmpty ? "no change" : parts.joined(separator: ", "))
        if !missing.isEmpty {
            message +=
                "; not removed, as it is not your coding of the whole segment: " + missing.map { tree.displayPath(of: $0) }.joined(separator: ", ")
        }
        message += "."
        return advance(message)
    }

    /// The code names of a line: separated by ';', and by ',' where a part is not a code name
    /// with a comma in it.
    static func items(_ line: String, tree: CodeTree) -> [String] {
        ParsedSheet.splitCodes(line, separators: [";"]).flatMap { part -> [String] in
            guard part.contains(","), (try? tree.resolve(part.hasPrefix("-") ? String(part.dropFirst()) : part)) == nil else { return [part] }
            return ParsedSheet.splitCodes(part, separators: [","])
        }
    }

    /// The codes as an indented tree, grouping codes marked.
    private func codeList() throws -> String {
        let tree = try CodeTree.load(store)
        guard !tree.codes.isEmpty else { return describe(QuillError.refused("The codebook is empty", remedy: .importCodebook)) }
        return tree.codes.map { code in
            String(repeating: "  ", count: tree.depth(of: code.id)) + code.name + (code.isCodable ? "" : "  (group)")
        }.joined(separator: "\n")
    }
}
