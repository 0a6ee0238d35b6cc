import Foundation
import GRDB

/// What a memo is written about, as a user writes it on the command line: `project`,
/// `source:NAME`, `segment:SOURCE#N`, `code:PATH`, `case:NAME` or `coding:GUID` (or
/// `coding:#ID`).
public enum MemoTarget: Equatable, Sendable {
    /// The whole project.
    case project
    /// A source, by name, unique start of its name, or number.
    case source(String)
    /// A segment of a source, by its number.
    case segment(source: String, number: Int)
    /// A code, by path or name.
    case code(String)
    /// A case, by name.
    case studyCase(String)
    /// A coding, by GUID or numeric id.
    case coding(String)

    /// How targets are written, for messages.
    package static let syntax = "project, source:NAME, segment:SOURCE#N, code:PATH, case:NAME or coding:GUID (or coding:#ID)"

    /// Reads a target as written on the command line.
    /// - Throws: `QuillError.invalidArgument` saying how targets are written.
    public static func parse(_ text: String) throws -> MemoTarget {
        let typed = text.trimmingCharacters(in: .whitespaces)
        if typed.lowercased() == "project" { return .project }
        guard let colon = typed.firstIndex(of: ":") else {
            throw QuillError.invalidArgument("'\(text)' is not a memo target. Write \(syntax).")
        }
        let kind = typed[..<colon].lowercased()
        let rest = typed[typed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !rest.isEmpty else {
            throw QuillError.invalidArgument("The memo target '\(text)' names no \(kind). Write \(syntax).")
        }
        switch kind {
        case "source": return .source(rest)
        case "code": return .code(rest)
        case "case": return .studyCase(rest)
        case "coding": return .coding(rest)
        case "segment":
            guard let hash = rest.lastIndex(of: "#"), let number = Int(rest[rest.index(after: hash)...]),
                !rest[..<hash].trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw QuillError.refused(
                    "The memo target '\(text)' needs a source and a segment number, as in "
                        + "segment:\"Interview 1#12\"", remedy: .numberedSegments)
            }
            return .segment(source: rest[..<hash].trimmingCharacters(in: .whitespaces), number: number)
        default:
            throw QuillError.invalidArgument("'\(text)' is not a memo target: '\(kind)' is not something a memo can be on. Write \(syntax).")
        }
    }
}

/// A memo: a note on the project, a source, a segment, a code, a case or a coding.
public struct Memo: Equatable, Sendable {
    /// Its number in the project, for `quill memo show|edit|delete`.
    public var id: Int64
    /// Its GUID.
    public var guid: String
    /// What it is on: project, source, segment, code, case or coding.
    package var targetKind: String
    /// What it is on, written as on the command line, such as `source:Interview 1`.
    public var target: String
    /// Its title, if it has one.
    public var title: String?
    /// Its text.
    public var text: String
    /// Who wrote it.
    public var coder: String?
    /// When it was written, as an ISO 8601 timestamp.
    public var createdAt: String
    /// When it was last changed.
    public var updatedAt: String

    /// The first line of its text.
    public var firstLine: String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}

/// What `editMemo` did.
public struct MemoEdit: Equatable, Sendable {
    /// The memo as it is now.
    public var memo: Memo
    /// Whether anything changed.
    public var changed: Bool
}

/// The memos of a project: notes on the project, codes, sources, segments, cases and codings.
public struct MemoBook: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// A memo target resolved to a row: its kind and id (nil for the project).
    struct ResolvedMemoTarget {
        var kind: String
        var id: Int64?
    }

    /// Finds what a target names, with the resolvers' messages when it names nothing.
    func resolveMemoTarget(_ target: MemoTarget) throws -> ResolvedMemoTarget {
        switch target {
        case .project:
            return ResolvedMemoTarget(kind: "project", id: nil)
        case .source(let name):
            return ResolvedMemoTarget(kind: "source", id: try SourceCatalog(project).resolveSource(name).id)
        case .segment(let name, let number):
            let source = try SourceCatalog(project).resolveSource(name)
            let found = try project.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM segment WHERE sourceId = ? AND number = ?", arguments: [source.id, number])
            }
            guard let id = found else {
                let last = try project.read { db in
                    try Int.fetchOne(db, sql: "SELECT max(number) FROM segment WHERE sourceId = ?", arguments: [source.id])
                }
                throw QuillError.refused(
                    "\(source.name) has no segment \(number)"
                        + (last.map { "; its segments run from 1 to \($0)." } ?? "; it has no segments."),
                    remedy: .numberedSegmentsOf(source: source.name))
            }
            return ResolvedMemoTarget(kind: "segment", id: id)
        case .code(let path):
            return ResolvedMemoTarget(kind: "code", id: try CodeTree.load(project).resolve(path).id)
        case .studyCase(let name):
            let found = try CaseBook(project).resolveCase(name)
            let id = try project.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = ?", arguments: [found.name]) }
            guard let id else { throw QuillError.refused("No case is called '\(name)'.", remedy: .listCases) }
            return ResolvedMemoTarget(kind: "case", id: id)
        case .coding(let key):
            let typed = key.hasPrefix("#") ? String(key.dropFirst()) : key
            let id: Int64? = try project.read { db in
                if let guid = StableID.normalized(typed) {
                    return try Int64.fetchOne(db, sql: "SELECT id FROM coding WHERE guid = ?", arguments: [guid])
                }
                if let number = Int64(typed) {
                    return try Int64.fetchOne(db, sql: "SELECT id FROM coding WHERE id = ?", arguments: [number])
                }
                throw QuillError.invalidArgument("'\(key)' is neither a coding's GUID nor its number. Write coding:GUID or coding:#ID.")
            }
            guard let id else {
                throw QuillError.invalidArgument("No coding is '\(key)'. Give the GUID of an existing coding, or its number as coding:#ID.")
            }
            return ResolvedMemoTarget(kind: "coding", id: id)
        }
    }

    /// Memo text as it is kept: LF line ends, Unicode NFC, no trailing blank space.
    static func normalizedMemoText(_ text: String) -> String {
        var text = TextDecoder.canonicalize(text)
        while let last = text.unicodeScalars.last, CharacterSet.whitespacesAndNewlines.contains(last) {
            text.unicodeScalars.removeLast()
        }
        return text
    }

    static func normalizedTitle(_ title: String?) -> String? {
        guard let title = title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty else { return nil }
        return title
    }

    /// Writes a memo on a target.
    /// - Throws: `QuillError.invalidArgument` when the text is empty or the target names nothing.
    @discardableResult
    public func addMemo(on target: MemoTarget, title: String? = nil, text: String, actor: Actor) throws -> Memo {
        let body = Self.normalizedMemoText(text)
        guard !body.isEmpty else {
            throw QuillError.refused("The memo's text is empty.", remedy: .giveMemoText)
        }
        let resolved = try resolveMemoTarget(target)
        let id: Int64 = try project.change(actor) { db in
            let now = Clock.timestamp()
            let id = try MemoTable(db).insert(
                guid: StableID.make("memo", UUID().uuidString), kind: resolved.kind, targetID: resolved.id,
                title: Self.normalizedTitle(title), text: body, coderID: try CoderTable(db).id(named: actor.coder),
                createdAt: now, updatedAt: now)
            let label = try Self.memoTargetLabel(db, kind: resolved.kind, id: resolved.id, tree: try CodeTree.load(db))
            return (id, "added memo \(id) on \(label)")
        }
        return try memo(id)
    }

    /// The memos, oldest first; only those on one target when it is given.
    public func memos(on target: MemoTarget? = nil) throws -> [Memo] {
        let resolved = try target.map(resolveMemoTarget)
        return try project.read { db in
            var sql = "SELECT m.*, d.name AS coder FROM memo m LEFT JOIN coder d ON d.id = m.coderId"
            var arguments: StatementArguments = []
            if let resolved {
                sql += " WHERE m.targetKind = ? AND m.targetId IS ?"
                arguments = [resolved.kind, resolved.id]
            }
            sql += " ORDER BY m.id"
            let tree = try CodeTree.load(db)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.memo(db, row: $0, tree: tree) }
        }
    }

    /// One memo, by its number.
    /// - Throws: `QuillError.invalidArgument` when no memo has it.
    public func memo(_ id: Int64) throws -> Memo {
        try project.read { db in try Self.fetchMemo(db, id: id) }
    }

    /// Changes a memo's text, title or both; its id, GUID and creation time stay.
    ///
    /// Giving the text or title it already has changes nothing and records nothing.
    public func editMemo(_ id: Int64, title: String? = nil, text: String? = nil, actor: Actor) throws -> MemoEdit {
        let body = text.map(Self.normalizedMemoText)
        if let body, body.isEmpty {
            throw QuillError.refused("The new text of memo \(id) is empty; the memo is unchanged.", remedy: .deleteMemo(id: id))
        }
        return try project.change(actor) { db in
            let current = try Self.fetchMemo(db, id: id)
            var updated = current
            if let body { updated.text = body }
            if let title { updated.title = Self.normalizedTitle(title) }
            guard updated.text != current.text || updated.title != current.title else {
                return (MemoEdit(memo: current, changed: false), nil)
            }
            updated.updatedAt = Clock.timestamp()
            try MemoTable(db).update(id, title: updated.title, text: updated.text, updatedAt: updated.updatedAt)
            return (MemoEdit(memo: updated, changed: true), "edited memo \(id) on \(current.target)")
        }
    }

    /// Deletes a memo and returns it as it was.
    @discardableResult
    public func deleteMemo(_ id: Int64, actor: Actor) throws -> Memo {
        try project.change(actor) { db in
            let current = try Self.fetchMemo(db, id: id)
            try MemoTable(db).delete(id)
            return (current, "deleted memo \(id) on \(current.target)")
        }
    }

    private static func fetchMemo(_ db: Database, id: Int64) throws -> Memo {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT m.*, d.name AS coder FROM memo m LEFT JOIN coder d ON d.id = m.coderId WHERE m.id = ?",
                arguments: [id])
        else {
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM memo") ?? 0
            throw QuillError.refused(
                "No memo has the number \(id)"
                    + (count == 0 ? "; the project has no memos yet." : "."), remedy: .listMemos)
        }
        return try memo(db, row: row, tree: try CodeTree.load(db))
    }

    private static func memo(_ db: Database, row: Row, tree: CodeTree) throws -> Memo {
        let kind: String = row["targetKind"]
        return Memo(
            id: row["id"], guid: row["guid"], targetKind: kind,
            target: try memoTargetLabel(db, kind: kind, id: row["targetId"], tree: tree),
            title: row["title"], text: row["text"], coder: row["coder"],
            createdAt: row["createdAt"], updatedAt: row["updatedAt"])
    }

    /// A target written as on the command line; a target that no longer exists shows its old id.
    static func memoTargetLabel(_ db: Database, kind: String, id: Int64?, tree: CodeTree) throws -> String {
        guard let id else { return "project" }
        let name: String?
        switch kind {
        case "source":
            name = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [id])
        case "segment":
            name = try Row.fetchOne(
                db, sql: "SELECT s.name, g.number FROM segment g JOIN source s ON s.id = g.sourceId WHERE g.id = ?",
                arguments: [id]
            ).map { "\($0["name"] as String)#\($0["number"] as Int)" }
        case "code":
            name = tree.code(id) == nil ? nil : tree.displayPath(of: id)
        case "case":
            name = try String.fetchOne(db, sql: "SELECT name FROM studyCase WHERE id = ?", arguments: [id])
        case "coding":
            name = try String.fetchOne(db, sql: "SELECT guid FROM coding WHERE id = ?", arguments: [id])
        default:
            name = nil
        }
        return "\(kind):" + (name ?? "#\(id) (gone)")
    }
}
