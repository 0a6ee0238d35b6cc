import Foundation
import GRDB

/// What importing a codebook did.
public struct CodebookImportReport: Equatable, Sendable {
    /// Codes that were new.
    public var added = 0
    /// Codes whose name, place, text, keywords, rules or colour changed.
    public var updated = 0
    /// Codes that were already the same.
    public var unchanged = 0
    /// Codes of the project that the file does not have; they stay, with their codings.
    public var kept = 0
}

/// Brings a codebook into a project and writes the project's codebook out.
public struct CodebookImporter: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Brings a codebook into the project.
    ///
    /// Codes are matched by GUID, then by path; matched codes take the file's text, keywords, rules,
    /// colour and place, new codes are added, and codes the file lacks are kept (they may
    /// hold codings). Importing the same file again changes nothing.
    public func importCodebook(_ codebook: Codebook, actor: Actor) throws -> CodebookImportReport {
        try project.change(actor) { db in try importCodebook(db, codebook) }
    }

    /// Brings a codebook into the project inside a transaction that is already open.
    ///
    /// First every code of the file is matched: by a GUID the file gives, then by path (a GUID
    /// Quill derived from a path matches by path only, so a code renamed in the project is not
    /// renamed back by the file it came from). Then codes that move or change name are parked
    /// under temporary names, so that swaps and renames onto each other's names work; then the
    /// file's values are written.
    func importCodebook(_ db: Database, _ codebook: Codebook) throws -> (CodebookImportReport, summary: String?) {
        let existing = try CodeTree.load(db)
        var byGUID: [String: Code] = [:]
        var byPath: [String: Code] = [:]
        for code in existing.codes {
            byGUID[code.guid] = code
            byPath[CodePath.key(existing.path(of: code.id))] = code
        }
        // Pass 1: which project code each node of the file is.
        var matches: [String: Code] = [:]
        var claimed = Set<Int64>()
        func match(_ nodes: [Codebook.Node], _ prefix: [String]) {
            for node in nodes {
                let path = prefix + [node.name]
                let key = CodePath.key(path)
                let candidate = node.guid.flatMap { byGUID[$0] } ?? byPath[key]
                if let candidate, !claimed.contains(candidate.id) {
                    matches[key] = candidate
                    claimed.insert(candidate.id)
                }
                match(node.children, path)
            }
        }
        match(codebook.codes, [])
        for node in codebook.flattened() {
            if let guid = node.node.guid, let owner = byGUID[guid], matches[CodePath.key(node.path)]?.id != owner.id {
                throw QuillError.invalidArgument(
                    "The codebook gives the GUID \(guid) to '\(CodePath.display(node.path))', but the project has it on '\(existing.displayPath(of: owner.id))'. Remove one of the two 'guid' lines, or export the codebook again and edit that."
                )
            }
        }
        // Pass 2: park every matched code whose path changes (its own name, or a name above it),
        // so that no sibling names clash while codes move; pass 3 gives each its name back.
        var parked = Set<Int64>()
        for (key, old) in matches {
            let oldKey = CodePath.key(existing.path(of: old.id))
            if oldKey != key {
                try CodeTable(db).rename(old.id, to: "\u{1}moving \(old.id)")
                parked.insert(old.id)
            }
        }
        var matched = Set<Int64>()
        var report = CodebookImportReport()

        // Pass 3: write the file's values.
        func store(_ nodes: [Codebook.Node], parentID: Int64?, prefix: [String]) throws {
            for (order, node) in nodes.enumerated() {
                let path = prefix + [node.name]
                let id: Int64
                if let old = matches[CodePath.key(path)] {
                    id = old.id
                    let new = Code(
                        id: old.id, guid: old.guid, parentID: parentID, name: node.name,
                        definition: node.definition, include: node.include, exclude: node.exclude,
                        examples: node.examples, keywords: node.keywords, rules: node.rules, color: node.color,
                        isCodable: node.isCodable, sortOrder: order)
                    if new == old {
                        // A code parked only because a name above it changed is as it was.
                        if parked.contains(old.id) { try CodeTable(db).rename(old.id, to: node.name) }
                        report.unchanged += 1
                    } else {
                        report.updated += 1
                        try CodeTable(db).update(new)
                    }
                } else {
                    let guid = try node.guid ?? RowGUID.free(in: db, table: "code", kind: "code", key: CodePath.key(path))
                    if try Int64.fetchOne(
                        db, sql: "SELECT id FROM code WHERE ifnull(parentId, 0) = ? AND name = ? COLLATE NOCASE",
                        arguments: [parentID ?? 0, node.name]) != nil
                    {
                        throw QuillError.invalidArgument(
                            "The codebook adds '\(CodePath.display(path))', but the project already has a code of that name there that the file does not match. Rename one of them."
                        )
                    }
                    id = try CodeTable(db).insert(
                        Code(
                            id: 0, guid: guid, parentID: parentID, name: node.name, definition: node.definition,
                            include: node.include, exclude: node.exclude, examples: node.examples, keywords: node.keywords,
                            rules: node.rules, color: node.color, isCodable: node.isCodable, sortOrder: order))
                    report.added += 1
                }
                matched.insert(id)
                try store(node.children, parentID: id, prefix: path)
            }
        }
        try store(codebook.codes, parentID: nil, prefix: [])
        report.kept = existing.codes.filter { !matched.contains($0.id) }.count

        var metaChanged = false
        for (key, value) in [
            ("codebook.name", codebook.name), ("codebook.description", codebook.description),
            ("codebook.source", codebook.source),
        ] {
            let settings = ProjectInfoTable(db)
            guard try settings.value(key) != value else { continue }
            metaChanged = true
            try settings.set(key, value)
        }
        let changed = report.added + report.updated > 0 || metaChanged
        let summary = "codebook '\(codebook.name)': \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged"
        return (report, changed ? summary : nil)
    }

    /// The project's codebook as a value, ready to be written as YAML.
    public func exportCodebook() throws -> Codebook {
        try project.read { db in
            let tree = try CodeTree.load(db)
            func nodes(_ parent: Int64?) -> [Codebook.Node] {
                tree.children(of: parent).compactMap { tree.code($0) }.map { code in
                    Codebook.Node(
                        name: code.name, guid: code.guid, definition: code.definition, include: code.include,
                        exclude: code.exclude, examples: code.examples, keywords: code.keywords, rules: code.rules,
                        color: code.color, isCodable: code.isCodable, children: nodes(code.id))
                }
            }
            let info = { (key: String) in try String.fetchOne(db, sql: "SELECT value FROM projectInfo WHERE key = ?", arguments: [key]) }
            let name = try info("codebook.name") ?? info("name") ?? "Codebook"
            return Codebook(
                name: name, description: try info("codebook.description"),
                source: try info("codebook.source"), codes: nodes(nil))
        }
    }
}
