import Foundation
import GRDB

/// How a merge settles a conflict between this project ("ours") and the other ("theirs").
public enum MergeConflictRule: String, Sendable, CaseIterable {
    /// Keep what this project has.
    case ours
    /// Take what the other project has.
    case theirs
    /// Report every conflict and change nothing.
    case stop
}

/// Something the two projects disagree about, which a merge cannot settle on its own.
public struct MergeConflict: Sendable, Equatable, CustomStringConvertible {
    /// What is in conflict, as in `code 2F0C…: 'A/B' here, 'A/C' there`.
    public var what: String
    /// What `ours` does.
    public var ours: String
    /// What `theirs` does.
    public var theirs: String

    public var description: String { "\(what) (ours: \(self.ours); theirs: \(self.theirs))" }
}

/// What a merge brought in.
public struct MergeReport: Sendable, Equatable {
    public var coders = 0
    public var codes = 0
    public var attributes = 0
    public var cases = 0
    package var attributeValues = 0
    public var sources = 0
    public var segments = 0
    public var codings = 0
    public var memos = 0
    /// Sources linked to a case they belong to as a group.
    package var groupLinks = 0
    /// Changes to what this project had, made by resolving conflicts with `theirs`.
    package var changedHere = 0
    /// Codes deleted here that the other project has but does not use: left out.
    public var deletedCodesLeftOut = 0
    /// Codings and memos left out because their code stays deleted or unmatched (`ours`).
    public var leftOut = 0
    /// Sources added under another name because this project has a different source with theirs.
    public var renamedSources: [String] = []
    /// The conflicts and how they were settled.
    public var conflicts: [MergeConflict] = []

    /// Whether the merge changed nothing.
    public var isEmpty: Bool {
        coders + codes + attributes + cases + attributeValues + sources + segments + codings + memos + groupLinks + changedHere == 0
    }

    /// The report in one line.
    public var summary: String {
        let parts: [(Int, String)] = [
            (codings, "coding"), (codes, "code"), (sources, "source"), (segments, "segment"),
            (cases, "case"), (attributes, "attribute"), (attributeValues, "attribute value"),
            (memos, "memo"), (coders, "coder"), (groupLinks, "group link"), (changedHere, "change to this project's own"),
        ]
        let listed = parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
        return listed.isEmpty ? "nothing" : listed.joined(separator: ", ")
    }
}

/// Merges another coder's project into this one.
public struct ProjectMerger: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Brings another project's work into this one, as one change that `undo` reverses.
    ///
    /// Codes are matched by GUID, then by path; sources by the SHA-256 of their file; cases,
    /// attributes and coders by name. What this project lacks is added: codes, sources with
    /// their segments, cases, attribute values, codings (with their coders) and memos. A coding
    /// this project has already is not added again, so merging twice changes nothing.
    ///
    /// Conflicts (a code GUID at another path, a code deleted here but used there, an attribute
    /// of another type, a case or source attribute with another value) are settled by `rule`; with
    /// `.stop` every conflict is reported and nothing changes.
    /// - Throws: `QuillError.invalidArgument` listing the conflicts under `.stop`, or when the
    ///   other project cannot be taken in (a source with the same file but another text).
    public func merge(_ other: ProjectContents, rule: MergeConflictRule, actor: Actor) throws -> MergeReport {
        try project.change(actor) { db in
            var merger = try Merger(db: db, other: other, rule: rule)
            try merger.findConflicts()
            if rule == .stop && !merger.report.conflicts.isEmpty {
                let list = merger.report.conflicts.map { "  - \($0)" }.joined(separator: "\n")
                throw QuillError.refused(
                    """
                    \(other.origin) and this project conflict in \(merger.report.conflicts.count) place\(merger.report.conflicts.count == 1 ? "" : "s"):
                    \(list)
                    Nothing was changed.
                    """, remedy: .settleConflicts)
            }
            try merger.apply()
            let report = merger.report
            return (report, report.isEmpty ? nil : "merged \(other.origin): \(report.summary)")
        }
    }
}

/// The work of one merge, inside its transaction.
private struct Merger {
    let db: Database
    let other: ProjectContents
    let rule: MergeConflictRule
    var report = MergeReport()

    /// Their code GUID → our code id (nil: left out).
    private var codeIDs: [String: Int64] = [:]
    /// Their codes that are deleted here (GUID), and whether the other project uses them.
    private var deletedHere: [String: Bool] = [:]
    /// Their codes that this project has, by GUID or by name under the same parent: GUID → our id.
    private var matches: [String: Int64] = [:]
    /// Their new codes whose path is taken here by another of their codes, renamed or moved here.
    private var namesTaken: Set<String> = []
    /// Their codes matched by GUID whose path differs here: GUID → our id.
    private var movedCodes: [String: Int64] = [:]
    /// Attribute names (folded) whose type differs.
    private var typeConflicts: Set<String> = []
    /// ("case:" name folded or "source:" SHA-256, attribute folded) whose values differ.
    private var valueConflicts: Set<[String]> = []
    private var coderIDs: [String: Int64] = [:]

    init(db: Database, other: ProjectContents, rule: MergeConflictRule) throws {
        self.db = db
        self.other = other
        self.rule = rule
    }

    // MARK: Conflicts

    mutating func findConflicts() throws {
        let tree = try CodeTree.load(db)
        let byGUID = Dictionary(uniqueKeysWithValues: tree.codes.map { ($0.guid, $0.id) })
        // Which of their codes are used there, counting everything below a code.
        var used = Set(other.codings.map(\.codeGUID))
        for memo in other.memos { if case .code(let guid) = memo.target { used.insert(guid) } }
        for code in other.codes.reversed() where used.contains(code.guid) {
            if let parent = code.parentGUID { used.insert(parent) }
        }
        // Our codes that one of theirs has by GUID, with its path there.
        var claimed: [Int64: [String]] = [:]
        for code in other.codes { if let id = byGUID[code.guid] { claimed[id] = code.path } }
        for code in other.codes {
            let parentID = code.parentGUID.flatMap { matches[$0] }
            let name = code.path.last ?? ""
            if let id = byGUID[code.guid] {
                matches[code.guid] = id
                let ours = tree.code(id)
                let parentDiffers = code.parentGUID == nil ? ours?.parentID != nil : (parentID == nil || ours?.parentID != parentID)
                if parentDiffers || CodePath.fold(ours?.name ?? "") != CodePath.fold(name) {
                    movedCodes[code.guid] = id
                    report.conflicts.append(
                        MergeConflict(
                            what: "the code '\(tree.displayPath(of: id))' here is '\(CodePath.display(code.path))' there (the same GUID)",
                            ours: "keep '\(tree.displayPath(of: id))'", theirs: "rename or move it to '\(CodePath.display(code.path))'"))
                }
            } else if code.parentGUID != nil && parentID == nil && (code.parentGUID.map { deletedHere[$0] != nil } ?? false) {
                // Below a code deleted here: it goes (or comes back) with it.
                deletedHere[code.guid] = used.contains(code.guid)
            } else if let id = tree.children(of: parentID).first(where: { CodePath.fold(tree.code($0)?.name ?? "") == CodePath.fold(name) }),
                code.parentGUID == nil || parentID != nil
            {
                if let twin = claimed[id] {
                    // The name is taken here by another of their codes, renamed or moved: two codes, not one.
                    namesTaken.insert(code.guid)
                    report.conflicts.append(
                        MergeConflict(
                            what:
                                "the code '\(CodePath.display(code.path))' there is new, but here that path is their '\(CodePath.display(twin))' (the same GUID)",
                            ours: "leave it out, with its codings", theirs: "add it, once their '\(CodePath.display(twin))' has its path back"))
                } else {
                    matches[code.guid] = id
                }
            } else if try wasDeletedHere(code.guid) {
                deletedHere[code.guid] = used.contains(code.guid)
                if used.contains(code.guid) {
                    let codings = other.codings.filter { $0.codeGUID == code.guid }.count
                    report.conflicts.append(
                        MergeConflict(
                            what:
                                "the code '\(CodePath.display(code.path))' was deleted here but is used there (\(codings) coding\(codings == 1 ? "" : "s") of its own)",
                            ours: "leave it out, with its codings and everything below it", theirs: "add it back with its codings"))
                }
            }
        }
        let attributes = try Row.fetchAll(db, sql: "SELECT name, type FROM attribute")
        let ourTypes = Dictionary(attributes.map { (CodePath.fold($0["name"]), $0["type"] as String) }, uniquingKeysWith: { a, _ in a })
        for attribute in other.attributes {
            if let type = ourTypes[CodePath.fold(attribute.name)], type != attribute.type.rawValue {
                typeConflicts.insert(CodePath.fold(attribute.name))
                report.conflicts.append(
                    MergeConflict(
                        what: "the attribute '\(attribute.name)' is \(type) here but \(attribute.type.rawValue) there",
                        ours: "keep \(type) and leave out their values", theirs: "make it \(attribute.type.rawValue), converting the values here"))
            }
        }
        for theirCase in other.cases {
            for (name, value) in theirCase.attributes.sorted(by: { $0.key < $1.key }) {
                guard
                    let ours = try String.fetchOne(
                        db,
                        sql: """
                            SELECT v.value FROM caseAttribute v JOIN studyCase k ON k.id = v.caseId JOIN attribute a ON a.id = v.attributeId
                            WHERE k.name = ? AND a.name = ?
                            """, arguments: [theirCase.name, name]), ours != value
                else { continue }
                valueConflicts.insert(["case:" + CodePath.fold(theirCase.name), CodePath.fold(name)])
                report.conflicts.append(
                    MergeConflict(
                        what: "the case '\(theirCase.name)' has \(name) = '\(ours)' here but '\(value)' there",
                        ours: "keep '\(ours)'", theirs: "set it to '\(value)'"))
            }
        }
        try findSourceValueConflicts()
    }

    /// Source attribute values that differ, for sources both projects have.
    private mutating func findSourceValueConflicts() throws {
        for source in other.sources {
            for (name, value) in source.attributes.sorted(by: { $0.key < $1.key }) {
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT s.name, v.value FROM sourceAttribute v JOIN source s ON s.id = v.sourceId JOIN attribute a ON a.id = v.attributeId
                            WHERE s.sha256 = ? AND a.name = ?
                            """, arguments: [source.sha256, name]), (row["value"] as String) != value
                else { continue }
                let ours: String = row["value"]
                valueConflicts.insert(["source:" + source.sha256, CodePath.fold(name)])
                report.conflicts.append(
                    MergeConflict(
                        what: "the source '\(row["name"] as String)' has \(name) = '\(ours)' here but '\(value)' there",
                        ours: "keep '\(ours)'", theirs: "set it to '\(value)'"))
            }
        }
    }

    /// Whether a code with this GUID was in this project and is no more: the undo log keeps the
    /// statement that would put it back.
    private func wasDeletedHere(_ guid: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM undoLog WHERE statement LIKE 'INSERT INTO "code"%' AND instr(statement, quote(?)) > 0)
                """, arguments: [guid]) ?? false
    }

    // MARK: Applying

    mutating func apply() throws {
        try mergeAttributes()
        try mergeCodes()
        try mergeCases()
        let sourceIDs = try mergeSources()
        let codingIDs = try mergeCodings(sourceIDs)
        try mergeMemos(sourceIDs, codingIDs)
    }

    private mutating func coderID(_ name: String) throws -> Int64 {
        if let id = coderIDs[CodePath.fold(name)] { return id }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM coder WHERE name = ?)", arguments: [name]) ?? false
        let id = try CoderTable(db).id(named: name)
        if !exists { report.coders += 1 }
        coderIDs[CodePath.fold(name)] = id
        return id
    }

    /// Their GUID if no row of the table has it, else a new name-based one.
    private func freeGUID(_ guid: String, table: String, kind: String) throws -> String {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE guid = ?)"), arguments: [guid]) == true
            ? try RowGUID.free(in: db, table: table, kind: kind, key: guid) : guid
    }

    private mutating func mergeAttributes() throws {
        for attribute in other.attributes {
            let folded = CodePath.fold(attribute.name)
            if let row = try Row.fetchOne(db, sql: "SELECT id, type FROM attribute WHERE name = ?", arguments: [attribute.name]) {
                guard typeConflicts.contains(folded), rule == .theirs else { continue }
                // Take their type: every value here must read as it.
                let id: Int64 = row["id"]
                let cases = CaseTable(db)
                for kind in [AttributeOwner.Kind.studyCase, .source] {
                    for (owner, raw) in try cases.values(of: id, kind: kind) {
                        guard let converted = attribute.type.normalize(raw) else {
                            throw QuillError.refused(
                                "Cannot make the attribute '\(attribute.name)' \(attribute.type.rawValue) as \(other.origin) has it: the value '\(raw)' here is not \(attribute.type.rawValue). Nothing was changed; fix the value",
                                remedy: .fixValueOrKeepOurs)
                        }
                        if converted != raw {
                            try cases.updateValue(converted, of: id, for: owner)
                            report.changedHere += 1
                        }
                    }
                }
                try cases.setType(attribute.type, ofAttribute: id)
                report.changedHere += 1
            } else {
                _ = try CaseTable(db).insertAttribute(
                    guid: try freeGUID(attribute.guid, table: "attribute", kind: "attribute"),
                    name: attribute.name, type: attribute.type, description: attribute.description)
                report.attributes += 1
            }
        }
    }

    private mutating func mergeCodes() throws {
        var tree = try CodeTree.load(db)
        var orders: [Int64?: Int] = [:]
        for code in other.codes {
            let parentID = code.parentGUID.flatMap { codeIDs[$0] }
            let parentLeftOut = code.parentGUID != nil && parentID == nil
            if let id = matches[code.guid] {
                codeIDs[code.guid] = id
                if movedCodes[code.guid] != nil && rule == .theirs {
                    try moveHere(id, to: code, parentID: parentID, parentLeftOut: parentLeftOut, tree: tree)
                    tree = try CodeTree.load(db)
                    orders = [:]
                }
                continue
            }
            if parentLeftOut || (namesTaken.contains(code.guid) && rule != .theirs) { continue }
            if let used = deletedHere[code.guid], !used || rule != .theirs {
                if !used { report.deletedCodesLeftOut += 1 }
                continue
            }
            let name = code.path.last ?? ""
            if let sibling = tree.children(of: parentID).first(where: { CodePath.fold(tree.code($0)?.name ?? "") == CodePath.fold(name) }) {
                throw QuillError.refused(
                    "Cannot add '\(CodePath.display(code.path))' from \(other.origin): '\(tree.displayPath(of: sibling))' is in the way here. Nothing was changed; rename one of them first",
                    remedy: .orKeepOurs)
            }
            let order = orders[parentID] ?? (tree.children(of: parentID).compactMap { tree.code($0)?.sortOrder }.max() ?? -1) + 1
            orders[parentID] = order + 1
            var new = code.code
            new.guid = try freeGUID(code.guid, table: "code", kind: "code")
            (new.parentID, new.name, new.sortOrder) = (parentID, name, order)
            let id = try CodeTable(db).insert(new)
            codeIDs[code.guid] = id
            report.codes += 1
        }
    }

    /// Renames or moves a code of this project to the path the other project gives it.
    private mutating func moveHere(
        _ id: Int64, to code: ProjectContents.PlacedCode, parentID: Int64?, parentLeftOut: Bool,
        tree: CodeTree
    ) throws {
        let target = CodePath.display(code.path)
        guard !parentLeftOut else {
            throw QuillError.refused(
                "Cannot move '\(tree.displayPath(of: id))' to '\(target)': its parent there is not in this project. Nothing was changed",
                remedy: .keepOurs)
        }
        if let parentID, tree.subtree(of: id).contains(parentID) {
            throw QuillError.refused(
                "Cannot move '\(tree.displayPath(of: id))' to '\(target)', below itself. Nothing was changed", remedy: .keepOursOrMoveFirst)
        }
        let name = code.path.last ?? ""
        for sibling in tree.children(of: parentID) where sibling != id && CodePath.fold(tree.code(sibling)?.name ?? "") == CodePath.fold(name) {
            throw QuillError.refused(
                "Cannot rename or move '\(tree.displayPath(of: id))' to '\(target)': this project has another code there. Nothing was changed",
                remedy: .keepOursOrRenameFirst)
        }
        try CodeTable(db).rename(id, to: name, under: parentID)
        report.changedHere += 1
    }

    private mutating func caseID(_ name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = ?", arguments: [name])
    }

    private mutating func mergeCases() throws {
        for theirCase in other.cases {
            let id: Int64
            if let existing = try caseID(theirCase.name) {
                id = existing
            } else {
                id = try CaseTable(db).insertCase(
                    guid: try freeGUID(theirCase.guid, table: "studyCase", kind: "case"),
                    name: theirCase.name, description: theirCase.description,
                    isInterviewer: theirCase.isInterviewer)
                report.cases += 1
            }
            for (name, value) in theirCase.attributes.sorted(by: { $0.key < $1.key }) {
                try setValue(
                    for: .studyCase(id), attribute: name, value: value,
                    conflicting: valueConflicts.contains(["case:" + CodePath.fold(theirCase.name), CodePath.fold(name)]))
            }
        }
    }

    /// Sets an attribute value that is missing here, or (resolving a conflict with `theirs`)
    /// different here.
    private mutating func setValue(for owner: AttributeOwner, attribute: String, value: String, conflicting: Bool) throws {
        guard let attributeID = try Int64.fetchOne(db, sql: "SELECT id FROM attribute WHERE name = ?", arguments: [attribute]) else { return }
        if typeConflicts.contains(CodePath.fold(attribute)) && rule != .theirs { return }
        let cases = CaseTable(db)
        let current = try cases.value(of: attributeID, for: owner)
        if current == nil {
            try cases.insertValue(value, of: attributeID, for: owner)
            report.attributeValues += 1
        } else if current != value && conflicting && rule == .theirs {
            try cases.updateValue(value, of: attributeID, for: owner)
            report.changedHere += 1
        }
    }

    /// Adds the sources this project lacks; returns our id of each of theirs, by SHA-256.
    private mutating func mergeSources() throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for source in other.sources {
            if let row = try Row.fetchOne(db, sql: "SELECT id, name, text FROM source WHERE sha256 = ?", arguments: [source.sha256]) {
                guard (row["text"] as String) == source.text else {
                    throw QuillError.badInput(
                        path: other.origin,
                        problem:
                            "its source '\(source.name)' comes from the same file as '\(row["name"] as String)' here, but its text differs (another version of Quill read the file differently)",
                        remedy: "Nothing was changed. Re-import the file in one of the projects so both read it the same way, then merge again.")
                }
                ids[source.sha256] = row["id"]
                for (attribute, value) in source.attributes.sorted(by: { $0.key < $1.key }) {
                    try setValue(
                        for: .source(row["id"]), attribute: attribute, value: value,
                        conflicting: valueConflicts.contains(["source:" + source.sha256, CodePath.fold(attribute)]))
                }
                continue
            }
            var name = source.name
            var suffix = 1
            while try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM source WHERE name = ?)", arguments: [name]) == true {
                suffix += 1
                name = "\(source.name) (\(suffix))"
            }
            if name != source.name { report.renamedSources.append("'\(source.name)' as '\(name)'") }
            let id = try SourceTable(db).insert(
                SourceTable.NewSource(
                    guid: try freeGUID(source.guid, table: "source", kind: "source"), name: name, fileName: source.fileName,
                    format: source.format, sha256: source.sha256, byteCount: source.byteCount, text: source.text,
                    length: source.text.unicodeScalars.count, segmentation: source.segmentation, importedAt: source.importedAt,
                    importedBy: nil))
            ids[source.sha256] = id
            report.sources += 1
            let segments = SegmentTable(db)
            for segment in source.segments {
                try segments.insert(sourceID: id, segment, caseID: try segment.caseName.flatMap { try self.caseID($0) })
                report.segments += 1
            }
            for (attribute, value) in source.attributes.sorted(by: { $0.key < $1.key }) {
                try setValue(for: .source(id), attribute: attribute, value: value, conflicting: false)
            }
        }
        for theirCase in other.cases {
            guard let caseID = try caseID(theirCase.name) else { continue }
            for sha in theirCase.sources {
                guard let sourceID = ids[sha] else { continue }
                try CaseTable(db).addSource(sourceID, toCase: caseID)
                report.groupLinks += db.changesCount
            }
        }
        return ids
    }

    /// Adds the codings this project lacks; returns our id of each of theirs, by GUID.
    private mutating func mergeCodings(_ sourceIDs: [String: Int64]) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        var lengths: [Int64: Int] = [:]
        for coding in other.codings {
            guard let sourceID = sourceIDs[coding.sourceSHA256], let codeID = codeIDs[coding.codeGUID] else {
                report.leftOut += 1
                continue
            }
            if lengths[sourceID] == nil {
                lengths[sourceID] = try Int.fetchOne(db, sql: "SELECT length FROM source WHERE id = ?", arguments: [sourceID]) ?? 0
            }
            guard coding.span.end <= lengths[sourceID] ?? 0 else {
                throw QuillError.badInputRemedied(
                    path: other.origin, problem: "a coding (\(coding.guid)) reaches past the end of its source's text",
                    remedy: .checkOtherProject)
            }
            let coderID = try coderID(coding.coder)
            // Statements prepared once: a merge may bring in a great many codings.
            let find = try db.cachedStatement(
                sql: """
                    SELECT id FROM coding WHERE sourceId = ? AND start = ? AND "end" = ? AND codeId = ? AND coderId = ?
                    """)
            if let existing = try Int64.fetchOne(find, arguments: [sourceID, coding.span.start, coding.span.end, codeID, coderID]) {
                ids[coding.guid] = existing
                continue
            }
            ids[coding.guid] = try CodingTable(db).insert(
                guid: try freeGUID(coding.guid, table: "coding", kind: "coding"), codeID: codeID, sourceID: sourceID,
                span: coding.span, coderID: coderID, createdAt: coding.createdAt, memo: coding.memo)
            report.codings += 1
        }
        return ids
    }

    private mutating func mergeMemos(_ sourceIDs: [String: Int64], _ codingIDs: [String: Int64]) throws {
        for memo in other.memos {
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM memo WHERE guid = ?)", arguments: [memo.guid]) == false else { continue }
            let kind: String
            let targetID: Int64?
            switch memo.target {
            case .project:
                (kind, targetID) = ("project", nil)
            case .source(let sha):
                (kind, targetID) = ("source", sourceIDs[sha])
            case .segment(let sha, let span):
                // The segment with the same span; where this project cut the source otherwise,
                // the memo goes on the source.
                let segment = try sourceIDs[sha].flatMap {
                    try Int64.fetchOne(
                        db, sql: "SELECT id FROM segment WHERE sourceId = ? AND start = ? AND \"end\" = ?",
                        arguments: [$0, span.start, span.end])
                }
                (kind, targetID) = segment.map { ("segment", $0) } ?? ("source", sourceIDs[sha])
            case .code(let guid):
                (kind, targetID) = ("code", codeIDs[guid])
            case .studyCase(let name):
                (kind, targetID) = ("case", try caseID(name))
            case .coding(let guid):
                (kind, targetID) = ("coding", codingIDs[guid])
            }
            if kind != "project" && targetID == nil {
                report.leftOut += 1
                continue
            }
            _ = try MemoTable(db).insert(
                guid: memo.guid, kind: kind, targetID: targetID, title: memo.title, text: memo.text,
                coderID: try memo.coder.map { try coderID($0) }, createdAt: memo.createdAt,
                updatedAt: memo.updatedAt)
            report.memos += 1
        }
    }
}
