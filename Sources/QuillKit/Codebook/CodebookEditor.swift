import Foundation
import GRDB

/// What merging one code into another did.
public struct CodeMergeReport: Equatable, Sendable {
    /// Codings that now belong to the target.
    public var moved = 0
    /// Codings that the target already had (same source, span and coder), so they were one coding twice.
    public var duplicates = 0
    /// Codes removed: the source and, with its children, the codes below it.
    public var codesRemoved = 0
}

/// What deleting a code did.
public struct CodeDeleteReport: Equatable, Sendable {
    /// Codes deleted: the code and everything below it.
    public var codes = 0
    /// Codings deleted with them (only with `force`).
    public var codings = 0
    /// Memos on the deleted codes deleted with them (only with `force`).
    public var memos = 0
}

/// One piece of advice from `codebookLint`.
public struct CodebookFinding: Equatable, Sendable {
    /// What kind of finding: `duplicate_name`, `no_definition`, `unused`, `coded_not_codable`, `shared_keyword`.
    public var kind: String
    /// The code path or paths it is about, joined with `; `.
    public var codes: String
    /// What is wrong, for people.
    public var detail: String

    package init(kind: String, codes: String, detail: String) {
        self.kind = kind
        self.codes = codes
        self.detail = detail
    }
}

/// Edits the codebook of a project: adds, renames, moves, merges, splits and deletes codes.
public struct CodebookEditor: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    // MARK: - Add

    /// Adds a code at a path whose parent exists (or at the top level).
    /// - Throws: `QuillError` when the parent does not exist, a sibling has the name, or the colour is malformed.
    @discardableResult
    public func addCode(
        path: String, definition: String? = nil, keywords: [String] = [], color: String? = nil,
        isCodable: Bool = true, actor: Actor
    ) throws -> Code {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let parts = path.split(separator: Character(CodePath.separator), omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.last, !name.isEmpty, !parts.dropLast().contains(where: \.isEmpty) else {
                throw QuillError.invalidArgument(
                    "'\(path)' is not a code path: a name is empty. Write it as 'Parent/Child', or just 'Name' for a top-level code.")
            }
            var parentID: Int64?
            if parts.count > 1 {
                let parentPath = parts.dropLast().joined(separator: CodePath.separator)
                let parent: Code
                do {
                    parent = try tree.resolve(parentPath)
                } catch QuillError.unknownCode {
                    throw QuillError.invalidArgument(
                        "Cannot add '\(path)': there is no code '\(parentPath)' to put it under. Add '\(parentPath)' first.")
                }
                parentID = parent.id
            }
            var normalizedColor: String?
            if let color {
                guard let value = CodeColor.normalized(color) else {
                    throw QuillError.invalidArgument("'\(color)' is not a colour. Give it as '#RRGGBB' or '#RGB', in quotes.")
                }
                normalizedColor = value
            }
            let fullPath = (parentID.map { tree.path(of: $0) } ?? []) + [name]
            try Self.checkNoSibling(tree, parentID: parentID, name: name, except: nil, doing: "Cannot add '\(CodePath.display(fullPath))'")
            let guid = try RowGUID.free(in: db, table: "code", kind: "code", key: CodePath.key(fullPath))
            let order = Self.nextSortOrder(tree, parentID: parentID)
            let definition = definition?.trimmingCharacters(in: .whitespacesAndNewlines)
            var stored: [String] = []
            for keyword in keywords.map({ $0.trimmingCharacters(in: .whitespaces) }) where !keyword.isEmpty {
                if stored.contains(where: { CodePath.fold($0) == CodePath.fold(keyword) }) { continue }
                stored.append(keyword)
            }
            let id = try CodeTable(db).insert(
                Code(
                    id: 0, guid: guid, parentID: parentID, name: name, definition: definition?.isEmpty == true ? nil : definition,
                    include: nil, exclude: nil, examples: [], keywords: stored, color: normalizedColor, isCodable: isCodable,
                    sortOrder: order))
            guard let code = try CodeTree.load(db).code(id) else {
                throw QuillError.invalidArgument("The code '\(CodePath.display(fullPath))' was not stored. Nothing was changed.")
            }
            return (code, "added code '\(CodePath.display(fullPath))'")
        }
    }

    // MARK: - Rename

    /// Renames a code; it keeps its GUID, place and codings.
    /// - Returns: false when the name is already the code's name.
    @discardableResult
    public func renameCode(_ query: String, to newName: String, actor: Actor) throws -> Bool {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let code = try tree.resolve(query)
            let oldPath = tree.displayPath(of: code.id)
            let name = newName.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw QuillError.invalidArgument("Cannot rename '\(oldPath)': the new name is empty. Give a name.")
            }
            guard !name.contains(CodePath.separator) else {
                throw QuillError.refused("Cannot rename '\(oldPath)' to '\(name)': a name cannot hold '/'.", remedy: .moveInstead)
            }
            if name == code.name { return (false, nil) }
            let newPath = CodePath.display(Array(tree.path(of: code.id).dropLast()) + [name])
            try Self.checkNoSibling(
                tree, parentID: code.parentID, name: name, except: code.id,
                doing: "Cannot rename '\(oldPath)' to '\(name)'")
            try CodeTable(db).rename(code.id, to: name)
            return (true, "renamed code '\(oldPath)' to '\(newPath)'")
        }
    }

    // MARK: - Move

    /// Moves a code, with everything below it, under another code (or to the top level with nil);
    /// it goes after the codes already there.
    /// - Returns: false when the code is already there.
    @discardableResult
    public func moveCode(_ query: String, under parentQuery: String?, actor: Actor) throws -> Bool {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let code = try tree.resolve(query)
            let oldPath = tree.displayPath(of: code.id)
            var parentID: Int64?
            if let parentQuery {
                let parent = try tree.resolve(parentQuery)
                if tree.subtree(of: code.id).contains(parent.id) {
                    throw parent.id == code.id
                        ? QuillError.refused("Cannot move '\(oldPath)' under itself. Give another code as the new parent", remedy: .orTop)
                        : QuillError.invalidArgument(
                            "Cannot move '\(oldPath)' under '\(tree.displayPath(of: parent.id))', which is below it. Move '\(tree.displayPath(of: parent.id))' out first, or choose another parent."
                        )
                }
                parentID = parent.id
            }
            if parentID == code.parentID { return (false, nil) }
            let newPath = CodePath.display((parentID.map { tree.path(of: $0) } ?? []) + [code.name])
            try Self.checkNoSibling(
                tree, parentID: parentID, name: code.name, except: code.id,
                doing: "Cannot move '\(oldPath)' to '\(newPath)'")
            let order = Self.nextSortOrder(tree, parentID: parentID)
            try CodeTable(db).move(code.id, under: parentID, sortOrder: order)
            return (true, "moved code '\(oldPath)' to '\(newPath)'")
        }
    }

    // MARK: - Merge

    /// Merges a code into another: its codings, keywords, rejected suggestions and memos go to the
    /// target, and the code is removed. A coding the target already has (same source, span and
    /// coder) is the same coding, so it is kept once; its memo is kept on the coding that stays.
    /// - Parameter withChildren: also merge every code below the source; without it a source
    ///   with children is refused.
    public func mergeCode(
        _ sourceQuery: String, into targetQuery: String, withChildren: Bool = false,
        actor: Actor
    ) throws -> CodeMergeReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let source = try tree.resolve(sourceQuery)
            let target = try tree.resolve(targetQuery)
            let sourcePath = tree.displayPath(of: source.id)
            let targetPath = tree.displayPath(of: target.id)
            guard source.id != target.id else {
                throw QuillError.invalidArgument("Cannot merge '\(sourcePath)' into itself. Give two different codes.")
            }
            let subtree = tree.subtree(of: source.id)
            if subtree.contains(target.id) {
                throw QuillError.invalidArgument(
                    "Cannot merge '\(sourcePath)' into '\(targetPath)', which is below it. Move '\(targetPath)' out first, or merge the other way round."
                )
            }
            if subtree.count > 1 && !withChildren {
                let children = tree.children(of: source.id).map { tree.displayPath(of: $0) }
                throw QuillError.refused(
                    "Cannot merge '\(sourcePath)': it has \(children.count) code\(children.count == 1 ? "" : "s") below it (\(children.joined(separator: ", "))). Move or merge them first",
                    remedy: .mergeWithChildren(into: targetPath))
            }
            if !target.isCodable {
                let codings = try Self.codingCount(db, codes: subtree)
                if codings > 0 {
                    throw QuillError.invalidArgument(
                        "Cannot merge '\(sourcePath)' into '\(targetPath)': '\(targetPath)' is not codable, and \(codings) coding\(codings == 1 ? "" : "s") would move to it. Merge into a codable code instead."
                    )
                }
            }
            var report = CodeMergeReport()
            let ids = CodingTable.list(subtree)
            let codings = CodingTable(db), memos = MemoTable(db)
            // Move what can move; what is left would duplicate a coding of the target.
            report.moved = try codings.reassign(fromCodes: subtree, to: target.id)
            let leftovers = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id AS duplicate, d.memo AS memo, k.id AS kept
                    FROM coding d JOIN coding k ON k.codeId = ? AND k.sourceId = d.sourceId AND k.start = d.start
                        AND k."end" = d."end" AND k.coderId = d.coderId
                    WHERE d.codeId IN (\(ids)) ORDER BY d.id
                    """, arguments: [target.id])
            for row in leftovers {
                let duplicate: Int64 = row["duplicate"], kept: Int64 = row["kept"]
                if let memo: String = row["memo"], !memo.isEmpty {
                    let keptMemo: String? = try String.fetchOne(db, sql: "SELECT memo FROM coding WHERE id = ?", arguments: [kept])
                    if keptMemo == nil || keptMemo == "" {
                        try codings.setMemo(memo, of: kept)
                    } else if keptMemo != memo {
                        try codings.setMemo((keptMemo ?? "") + "\n\n" + memo, of: kept)
                    }
                }
                try memos.retarget(kind: "coding", from: [duplicate], to: kept)
                try codings.delete(duplicate)
                report.duplicates += 1
            }
            let remaining = try Self.codingCount(db, codes: subtree)
            guard remaining == 0 else {
                throw QuillError.invalidArgument(
                    "Merging '\(sourcePath)' into '\(targetPath)' left \(remaining) coding(s) behind. Nothing was changed.")
            }
            // Keywords, in order, without repeats.
            var keywords = target.keywords
            for id in subtree {
                for keyword in tree.code(id)?.keywords ?? [] where !keywords.contains(where: { CodePath.fold($0) == CodePath.fold(keyword) }) {
                    keywords.append(keyword)
                }
            }
            let codes = CodeTable(db)
            try codes.appendKeywords(Array(keywords.dropFirst(target.keywords.count)), to: target.id)
            // Rules follow the keywords; rejected suggestions and proposals waiting for review
            // move as codings do.
            try codes.appendRules(subtree.flatMap { tree.code($0)?.rules ?? [] }.filter { !target.rules.contains($0) }, to: target.id)
            try ProposalTable(db).reassign(fromCodes: subtree, to: target.id)
            try memos.retarget(kind: "code", from: subtree, to: target.id)
            try codes.delete(subtree)
            report.codesRemoved = subtree.count
            let summary =
                "merged code '\(sourcePath)'" + (subtree.count > 1 ? " and the \(subtree.count - 1) code(s) below it" : "")
                + " into '\(targetPath)': \(report.moved) coding(s) moved, \(report.duplicates) duplicate(s) collapsed"
            return (report, summary)
        }
    }

    // MARK: - Split

    /// Splits a code: a new sibling code takes the code's codings on some segments.
    /// - Parameters:
    ///   - segments: for each source id, segment numbers; a coding of the code that touches
    ///     one of these segments moves to the new code.
    /// - Returns: the new code and how many codings moved to it.
    public func splitCode(
        _ query: String, newName: String, segments: [(sourceID: Int64, numbers: [Int])],
        actor: Actor
    ) throws -> (code: Code, moved: Int) {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let code = try tree.resolve(query)
            let path = tree.displayPath(of: code.id)
            let name = newName.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(CodePath.separator) else {
                throw QuillError.invalidArgument("Cannot split '\(path)' into '\(newName)': give a name that is not empty and holds no '/'.")
            }
            let newPath = Array(tree.path(of: code.id).dropLast()) + [name]
            try Self.checkNoSibling(
                tree, parentID: code.parentID, name: name, except: nil, doing: "Cannot split '\(path)' into '\(CodePath.display(newPath))'")
            let guid = try RowGUID.free(in: db, table: "code", kind: "code", key: CodePath.key(newPath))
            let newID = try CodeTable(db).insert(
                Code(
                    id: 0, guid: guid, parentID: code.parentID, name: name, definition: nil, include: nil, exclude: nil,
                    examples: [], keywords: [], color: code.color, isCodable: true,
                    sortOrder: Self.nextSortOrder(tree, parentID: code.parentID)))
            var moved = 0
            for (sourceID, numbers) in segments {
                for number in numbers {
                    let span = try SegmentTable(db).span(sourceID: sourceID, number: number)
                    let (start, end) = (span.start, span.end)
                    moved += try CodingTable(db).reassign(
                        ofCode: code.id, overlapping: TextSpan(start: start, end: end),
                        inSource: sourceID, to: newID)
                }
            }
            guard moved > 0 else {
                throw QuillError.refused("Cannot split '\(path)': it has no codings on those segments.", remedy: .checkSegmentsOrAdd)
            }
            guard let new = try CodeTree.load(db).code(newID) else {
                throw QuillError.invalidArgument("The code '\(CodePath.display(newPath))' was not stored. Nothing was changed.")
            }
            return ((new, moved), "split \(moved) coding(s) of '\(path)' into new code '\(CodePath.display(newPath))'")
        }
    }

    // MARK: - Delete

    /// Deletes a code. Without `force` it refuses a code that has children, codings (its own or
    /// below it) or memos; with `force` the code, everything below it, their codings and memos go.
    public func deleteCode(_ query: String, force: Bool = false, actor: Actor) throws -> CodeDeleteReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let code = try tree.resolve(query)
            let path = tree.displayPath(of: code.id)
            let subtree = tree.subtree(of: code.id)
            let ids = subtree.map { String($0) }.joined(separator: ",")
            let codings = try Self.codingCount(db, codes: subtree)
            let memos = try Int.fetchOne(db, sql: "SELECT count(*) FROM memo WHERE targetKind = 'code' AND targetId IN (\(ids))") ?? 0
            if !force {
                if subtree.count > 1 {
                    throw QuillError.refused(
                        "Cannot delete '\(path)': it has \(subtree.count - 1) code(s) below it. Move or merge them first",
                        remedy: .forceDeleteSubtree(codings: codings))
                }
                if codings > 0 {
                    throw QuillError.refused("Cannot delete '\(path)': it has \(codings) coding(s).", remedy: .mergeOrForce)
                }
                if memos > 0 {
                    throw QuillError.refused(
                        "Cannot delete '\(path)': it has \(memos) memo(s). Merge it into another code to keep them", remedy: .orForce)
                }
            }
            let codingMemoCount =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM memo WHERE targetKind = 'coding' AND targetId IN (SELECT id FROM coding WHERE codeId IN (\(ids)))
                        """) ?? 0
            try MemoTable(db).deleteOnCodes(subtree)
            try CodingTable(db).delete(ofCodes: subtree)
            try CodeTable(db).delete(subtree)
            let report = CodeDeleteReport(codes: subtree.count, codings: codings, memos: memos + codingMemoCount)
            var summary = "deleted code '\(path)'" + (subtree.count > 1 ? " and the \(subtree.count - 1) code(s) below it" : "")
            summary += " with \(codings) coding(s)" + (report.memos > 0 ? " and \(report.memos) memo(s)" : "")
            return (report, summary)
        }
    }

    // MARK: - Lint

    /// Advice on the codebook: names used at several paths, codes without a definition, codable
    /// codes never used, codings on codes that are not codable, keywords claimed by several codes.
    public func codebookLint() throws -> [CodebookFinding] {
        try project.read { db in
            let tree = try CodeTree.load(db)
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT codeId, count(*) AS n FROM coding GROUP BY codeId") {
                counts[row["codeId"]] = row["n"]
            }
            var findings: [CodebookFinding] = []
            var byName: [String: [Int64]] = [:]
            var nameOrder: [String] = []
            var byKeyword: [String: (keyword: String, codes: [Int64])] = [:]
            var keywordOrder: [String] = []
            for code in tree.codes {
                let name = CodePath.fold(code.name)
                if byName[name] == nil { nameOrder.append(name) }
                byName[name, default: []].append(code.id)
                for keyword in code.keywords {
                    let key = CodePath.fold(keyword)
                    if byKeyword[key] == nil {
                        keywordOrder.append(key)
                        byKeyword[key] = (keyword, [])
                    }
                    if byKeyword[key]?.codes.contains(code.id) == false { byKeyword[key]?.codes.append(code.id) }
                }
            }
            for name in nameOrder {
                let ids = byName[name] ?? []
                guard ids.count > 1 else { continue }
                let first = tree.code(ids[0])?.name ?? name
                findings.append(
                    CodebookFinding(
                        kind: "duplicate_name", codes: ids.map { tree.displayPath(of: $0) }.joined(separator: "; "),
                        detail: "the name '\(first)' is used at \(ids.count) paths; rename one if they mean different things, or merge them"))
            }
            for code in tree.codes where (code.definition ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                findings.append(CodebookFinding(kind: "no_definition", codes: tree.displayPath(of: code.id), detail: "has no definition"))
            }
            for code in tree.codes where code.isCodable && (counts[code.id] ?? 0) == 0 {
                findings.append(CodebookFinding(kind: "unused", codes: tree.displayPath(of: code.id), detail: "is codable but has no codings"))
            }
            for code in tree.codes where !code.isCodable && (counts[code.id] ?? 0) > 0 {
                let n = counts[code.id] ?? 0
                findings.append(
                    CodebookFinding(
                        kind: "coded_not_codable", codes: tree.displayPath(of: code.id),
                        detail: "is not codable but has \(n) coding\(n == 1 ? "" : "s"); move them to a codable code"))
            }
            for key in keywordOrder {
                guard let entry = byKeyword[key], entry.codes.count > 1 else { continue }
                findings.append(
                    CodebookFinding(
                        kind: "shared_keyword", codes: entry.codes.map { tree.displayPath(of: $0) }.joined(separator: "; "),
                        detail: "the keyword '\(entry.keyword)' is claimed by \(entry.codes.count) codes"))
            }
            return findings
        }
    }

    // MARK: - Helpers

    /// Throws when a sibling under `parentID` (other than `except`) has the name, compared case-insensitively.
    private static func checkNoSibling(_ tree: CodeTree, parentID: Int64?, name: String, except: Int64?, doing: String) throws {
        for id in tree.children(of: parentID) where id != except {
            if let sibling = tree.code(id), CodePath.fold(sibling.name) == CodePath.fold(name) {
                let place = parentID.map { "under '\(tree.displayPath(of: $0))'" } ?? "at the top level"
                throw QuillError.refused(
                    "\(doing): there is already a code '\(tree.displayPath(of: id))' \(place). Choose another name, or merge the two",
                    remedy: .mergeTheTwo)
            }
        }
    }

    /// The sort order that puts a code after the children of `parentID`.
    private static func nextSortOrder(_ tree: CodeTree, parentID: Int64?) -> Int {
        (tree.children(of: parentID).compactMap { tree.code($0)?.sortOrder }.max() ?? -1) + 1
    }

    /// How many codings the codes have.
    private static func codingCount(_ db: Database, codes: [Int64]) throws -> Int {
        guard !codes.isEmpty else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM coding WHERE codeId IN (\(codes.map { String($0) }.joined(separator: ",")))") ?? 0
    }
}
