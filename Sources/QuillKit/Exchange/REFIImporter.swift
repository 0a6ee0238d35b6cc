public import Foundation
import GRDB

/// What an import of a REFI-QDA file brought in.
public struct REFIImportReport: Equatable, Sendable {
    /// The tool that wrote the file, as it says.
    public var origin: String?
    /// Whether the file was a codebook (`.qdc`) rather than a project.
    public var isCodebook = false
    public var sourcesAdded = 0
    /// Sources the project already had (the same text), whose codings were added to.
    public var sourcesMatched = 0
    public var codebook = CodebookImportReport()
    public var codingsAdded = 0
    /// Codings the project already had.
    public var codingsPresent = 0
    public var casesAdded = 0
    public var memosAdded = 0
    /// Sources whose positions were read in other units than the standard's, by name.
    public var convertedPositions: [String] = []
    /// What was read but needed a decision, one line each (renamed duplicates, memos moved).
    public var warnings: [Notice] = []
    /// What the file holds that Quill does not keep, one line each.
    public var notImported: [String] = []
    /// Sources with lines that start like speaker labels but were not cut at them, since the
    /// labels do not read as a transcript's (`Segmenter.readsAsTranscript`); by name.
    public var sourcesWithDeclinedLabels: [String] = []

    /// Whether anything changed.
    public var changed: Bool {
        sourcesAdded + codebook.added + codebook.updated + codingsAdded + casesAdded + memosAdded > 0
    }
}

/// Reads REFI-QDA projects (`.qdpx`) into a project.
public struct REFIImporter: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Reads a REFI-QDA project (`.qdpx`, or a bare `.qde`) or codebook (`.qdc`) and brings it
    /// into the project in one change.
    ///
    /// Codes are matched by GUID, then by path; sources by their text; coders by name; cases
    /// and attributes by name. Positions are converted to Quill's (Unicode scalars in LF,
    /// NFC text) from the units the writing tool counts. Nothing the project has is removed or
    /// overwritten; importing the same file twice changes nothing the second time.
    /// - Throws: `QuillError.badInput` naming the file and the problem; the project is unchanged.
    /// - Parameters:
    ///   - url: the file.
    ///   - segmentation: how to cut the sources into segments.
    ///   - isNewProject: whether the project was made for this import, so that it takes the
    ///     file's creation time as its own.
    ///   - actor: who imports.
    public func importREFI(
        _ url: URL, segmentation: SegmentationOptions = SegmentationOptions(), isNewProject: Bool = false,
        actor: Actor
    ) throws -> REFIImportReport {
        try importREFI(try REFIPackage.read(url), from: url, segmentation: segmentation, isNewProject: isNewProject, actor: actor)
    }

    /// Brings a REFI-QDA file that was already read into the project in one change.
    public func importREFI(
        _ package: REFIPackage, from url: URL, segmentation: SegmentationOptions = SegmentationOptions(),
        isNewProject: Bool = false, actor: Actor
    ) throws -> REFIImportReport {
        try project.change(actor) { db in
            var importer = REFIDocumentImport(
                db: db, package: package, segmentation: segmentation, actor: actor, path: url.relativePath)
            let cases = try Int.fetchOne(db, sql: "SELECT count(*) FROM studyCase") ?? 0
            var report = try importer.run()
            report.casesAdded = (try Int.fetchOne(db, sql: "SELECT count(*) FROM studyCase") ?? 0) - cases
            if isNewProject, let created = package.document.created.flatMap(REFIDocumentImport.validTimestamp) {
                try ProjectInfoTable(db).update("createdAt", created)
            }
            let what = package.document.isCodebook ? "codebook" : "project"
            let summary =
                "imported REFI-QDA \(what) \(url.lastPathComponent): \(report.sourcesAdded) source(s), "
                + "\(report.codebook.added) code(s), \(report.codingsAdded) coding(s), \(report.casesAdded) case(s), \(report.memosAdded) memo(s)"
            return (report, report.changed ? summary : nil)
        }
    }

    /// The name a REFI-QDA file gives its project, for a project made from it.
    package static func refiProjectName(_ url: URL) -> String? {
        (try? REFIPackage.read(url))?.projectName
    }
}

/// Brings one REFI-QDA document into an open transaction.
private struct REFIDocumentImport {
    let db: Database
    let package: REFIPackage
    let segmentation: SegmentationOptions
    let actor: Actor
    let path: String
    var report = REFIImportReport()

    var document: REFIDocument { package.document }

    init(db: Database, package: REFIPackage, segmentation: SegmentationOptions, actor: Actor, path: String) {
        self.db = db
        self.package = package
        self.segmentation = segmentation
        self.actor = actor
        self.path = path
        hasLinks = !package.document.links.isEmpty
        keepsSelections = hasLinks || package.document.cases.contains { !$0.selections.isEmpty }
    }

    /// Where each imported thing ended up.
    var codeIDs: [String: Int64] = [:]
    var sourceIDs: [String: Int64] = [:]
    /// Selections by the file's GUIDs, kept only when the file's links or cases may point at them.
    var selectionTargets: [String: (sourceID: Int64, span: TextSpan)] = [:]
    let keepsSelections: Bool
    /// Codings by the file's GUIDs, kept only when the file has links, which may point at them.
    var codingIDs: [String: Int64] = [:]
    let hasLinks: Bool
    var caseIDs: [String: Int64] = [:]
    var attachedNotes = Set<String>()
    /// The GUIDs the project's objects of every kind have, loaded once and kept up to date as
    /// the import adds objects: a large file asks about one for every coding.
    var guidsInUse = Set<String>()
    /// The codings of the source whose selections are being imported, by what makes two
    /// codings the same, loaded once per source instead of asked for every coding.
    var sourceCodings: [CodingKey: Int64] = [:]
    /// The file's notes, by GUID.
    var notesByGUID: [String: REFIDocument.Note] = [:]
    /// Coders by the file's user GUIDs.
    var coderIDs: [String: Int64] = [:]
    /// The segments of sources, by source id, once looked at.
    var segmentCache: [Int64: [SegmentSpan]] = [:]
    /// The file's valid dates as Quill writes them, by the file's text: a file has few
    /// distinct dates and many codings.
    var timestamps: [String: String] = [:]

    mutating func run() throws -> REFIImportReport {
        let codings = document.sources.reduce(0) { total, source in
            source.selections.reduce(total + source.codings.count) { $0 + $1.codings.count }
        }
        if hasLinks { codingIDs.reserveCapacity(codings) }
        guidsInUse = Set(try String.fetchAll(db, sql: Self.guidTables.map { "SELECT guid FROM \($0)" }.joined(separator: " UNION ALL ")))
        guidsInUse.reserveCapacity(guidsInUse.count + codings)
        report.origin = document.origin
        report.isCodebook = document.isCodebook
        try checkDuplicateGUIDs()
        notesByGUID = Dictionary(document.notes.map { ($0.guid, $0) }, uniquingKeysWith: { first, _ in first })
        try importCodebook()
        if !document.isCodebook {
            let variables = try importVariables()
            try importSources(variables: variables)
            try importCases(variables: variables)
            try importNotes()
            if let description = document.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty,
                try String.fetchOne(db, sql: "SELECT value FROM projectInfo WHERE key = 'description'") == nil
            {
                try ProjectInfoTable(db).insert("description", description)
            }
        }
        for (kind, count) in document.notModelled.sorted(by: { $0.key < $1.key }) {
            report.notImported.append("\(count) \(kind)\(count == 1 ? "" : "s")")
        }
        return report
    }

    /// Refuses a file that gives one GUID to two codes, sources or cases: what refers to it
    /// would be ambiguous.
    private func checkDuplicateGUIDs() throws {
        var codes: [String: String] = [:]
        func visit(_ items: [REFIDocument.Code]) throws {
            for code in items {
                if let other = codes.updateValue(code.name, forKey: code.guid) {
                    throw duplicate(code.guid, "codes '\(other)' and '\(code.name)'")
                }
                try visit(code.children)
            }
        }
        try visit(document.codes)
        var sources: [String: String] = [:]
        for source in document.sources {
            if let other = sources.updateValue(source.name ?? "", forKey: source.guid) {
                throw duplicate(source.guid, "sources '\(other)' and '\(source.name ?? "")'")
            }
        }
        var cases: [String: String] = [:]
        for item in document.cases {
            if let other = cases.updateValue(item.name ?? "", forKey: item.guid) {
                throw duplicate(item.guid, "cases '\(other)' and '\(item.name ?? "")'")
            }
        }
    }

    private func duplicate(_ guid: String, _ what: String) -> QuillError {
        .badInput(
            path: path, problem: "it gives the GUID \(guid) to two \(what)",
            remedy: "Each object of a REFI-QDA file needs its own GUID; export the project again from the program that made it. Nothing was imported."
        )
    }

    // MARK: Codebook

    /// Brings in the file's codes. A code the project has (the same GUID, else the same path)
    /// is matched and left as the project has it: differences are listed, never written over.
    /// Codes the project lacks are added, with all their fields.
    private mutating func importCodebook() throws {
        guard !document.codes.isEmpty else { return }
        let tree = try CodeTree.load(db)
        var byGUID: [String: Code] = [:]
        for code in tree.codes { byGUID[code.guid] = code }
        var claimed = Set<Int64>()
        var differing: [String] = []
        let structured = Self.isQuill(document.origin)

        func visit(_ codes: [REFIDocument.Code], parentID: Int64?, parentIsNew: Bool, prefix: [String]) throws {
            var seen: [String: Int] = [:]
            var order =
                try Int.fetchOne(
                    db, sql: "SELECT ifnull(max(sortOrder) + 1, 0) FROM code WHERE ifnull(parentId, 0) = ?",
                    arguments: [parentID ?? 0]) ?? 0
            for code in codes {
                var name = code.name.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
                if name.isEmpty { name = "Unnamed code" }
                if name.contains(CodePath.separator) {
                    let replaced = name.replacingOccurrences(of: CodePath.separator, with: "\u{2215}")
                    report.warnings.append(
                        "The code '\(name)' has '/' in its name, which Quill uses between a code and its children; it is now '\(replaced)'.")
                    name = replaced
                }
                let folded = CodePath.fold(name)
                seen[folded, default: 0] += 1
                if let count = seen[folded], count > 1 {
                    let renamed = "\(name) (\(count))"
                    report.warnings.append("Two codes under '\(CodePath.display(prefix))' are called '\(name)'; the second is now '\(renamed)'.")
                    name = renamed
                }
                let path = prefix + [name]
                let description =
                    structured
                    ? CodeDescription(parsing: code.description)
                    : CodeDescription(definition: code.description?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty)
                let color = Self.color(code.color, code: name, warnings: &report.warnings)
                // Match by GUID, then by name under the same (matched) parent.
                var match = byGUID[code.guid].flatMap { claimed.contains($0.id) ? nil : $0 }
                if match == nil, !parentIsNew {
                    match = try Int64.fetchOne(
                        db, sql: "SELECT id FROM code WHERE ifnull(parentId, 0) = ? AND name = ? COLLATE NOCASE",
                        arguments: [parentID ?? 0, name]
                    ).flatMap { tree.code($0) }
                        .flatMap { claimed.contains($0.id) ? nil : $0 }
                }
                let id: Int64
                if let match {
                    id = match.id
                    claimed.insert(id)
                    report.codebook.unchanged += 1
                    let theirs = Code(
                        id: match.id, guid: match.guid, parentID: match.parentID, name: name,
                        definition: description.definition, include: description.include, exclude: description.exclude,
                        examples: description.examples, keywords: description.keywords, rules: description.rules,
                        color: color, isCodable: code.isCodable, sortOrder: match.sortOrder)
                    if theirs != match || match.parentID != parentID {
                        differing.append(tree.displayPath(of: match.id))
                    }
                } else {
                    if try Int64.fetchOne(
                        db, sql: "SELECT id FROM code WHERE ifnull(parentId, 0) = ? AND name = ? COLLATE NOCASE",
                        arguments: [parentID ?? 0, name]) != nil
                    {
                        // The name is taken here by a code matched to another of the file's codes.
                        name += " (imported)"
                        report.warnings.append(
                            "'\(CodePath.display(path))' of the file is a different code from the project's code of that name; it was added as '\(name)'."
                        )
                    }
                    let guid = freeGUID(code.guid) ?? StableID.make("code", "\(CodePath.key(prefix + [name]))#\(code.guid)")
                    id = try CodeTable(db).insert(
                        Code(
                            id: 0, guid: guid, parentID: parentID, name: name, definition: description.definition,
                            include: description.include, exclude: description.exclude, examples: description.examples,
                            keywords: description.keywords, rules: description.rules, color: color, isCodable: code.isCodable,
                            sortOrder: order))
                    order += 1
                    guidsInUse.insert(guid)
                    report.codebook.added += 1
                }
                codeIDs[code.guid] = id
                try visit(code.children, parentID: id, parentIsNew: match == nil, prefix: prefix + [name])
            }
        }
        try visit(document.codes, parentID: nil, parentIsNew: false, prefix: [])
        if !differing.isEmpty {
            report.warnings.append(
                Notice(
                    "\(differing.count) code(s) the project has differ in the file (name, place, description, keywords, colour or codability); the project's were kept: "
                        + differing.prefix(10).joined(separator: ", ") + (differing.count > 10 ? ", …" : ""), remedy: .takeTheirs))
        }
    }

    /// Whether a file was written by Quill, whose code descriptions have a layout to read back.
    static func isQuill(_ origin: String?) -> Bool {
        origin?.lowercased().hasPrefix("quill") == true
    }

    /// A colour as Quill keeps it (`#RRGGBB`), or nil with a warning when it is not one.
    private static func color(_ raw: String?, code: String, warnings: inout [Notice]) -> String? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        var hex = raw.hasPrefix("#") ? String(raw.dropFirst()) : raw
        if hex.count == 3 { hex = hex.map { "\($0)\($0)" }.joined() }
        guard hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
            warnings.append("The colour '\(raw)' of code '\(code)' is not a #RRGGBB colour; the code has none.")
            return nil
        }
        return "#" + hex.uppercased()
    }

    // MARK: Variables

    private mutating func importVariables() throws -> [String: (id: Int64, type: AttributeType, name: String)] {
        var result: [String: (id: Int64, type: AttributeType, name: String)] = [:]
        for variable in document.variables {
            let name = variable.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { continue }
            var type = REFI.attributeType(variable.type) ?? .text
            if let row = try Row.fetchOne(db, sql: "SELECT id, type FROM attribute WHERE name = ?", arguments: [name]) {
                let existing = AttributeType(rawValue: row["type"]) ?? .text
                if existing != type {
                    report.warnings.append(
                        "The attribute '\(name)' is \(existing.rawValue) in the project and \(type.rawValue) in the file; it stays \(existing.rawValue)."
                    )
                    type = existing
                }
                result[variable.guid] = (row["id"], type, name)
            } else {
                let guid = freeGUID(variable.guid) ?? StableID.make("attribute", CodePath.fold(name))
                let id = try CaseTable(db).insertAttribute(
                    guid: guid, name: name, type: type,
                    description: variable.description.flatMap { $0.isEmpty ? nil : $0 })
                guidsInUse.insert(guid)
                result[variable.guid] = (id, type, name)
            }
        }
        return result
    }

    /// The value in the attribute's canonical form, or nil with a warning.
    private mutating func value(
        _ value: REFIDocument.Value, variables: [String: (id: Int64, type: AttributeType, name: String)],
        owner: String
    ) -> (id: Int64, value: String)? {
        guard let variable = variables[value.variable] else {
            report.warnings.append("A value of \(owner) refers to a variable the file does not define (\(value.variable)); it was left out.")
            return nil
        }
        var raw = value.value
        if variable.type == .datetime {
            // Quill keeps seconds; the time zone stays.
            raw = raw.replacingOccurrences(of: #"(T\d{2}:\d{2}:\d{2})\.\d+"#, with: "$1", options: .regularExpression)
        } else if variable.type == .date,
            let range = raw.range(of: #"^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression)
        {
            raw = String(raw[range].prefix(10))
        }
        guard let normalized = variable.type.normalize(raw) else {
            report.warnings.append(
                "The value '\(value.value)' of '\(variable.name)' for \(owner) is not a \(variable.type.rawValue); it was left out.")
            return nil
        }
        return (variable.id, normalized)
    }

    // MARK: Sources and codings

    private mutating func importSources(variables: [String: (id: Int64, type: AttributeType, name: String)]) throws {
        // Existing sources, by the hash of their text, to match re-imports and shared sources.
        var existingByText: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, text FROM source") {
            existingByText[StableID.sha256(Data((row["text"] as String).utf8))] = row["id"]
        }
        var usedNames = Set(try String.fetchAll(db, sql: "SELECT name FROM source").map { $0.lowercased() })
        // Sources of this file are never matched to each other: two respondents can give the same answer.
        var addedHere = Set<Int64>()
        // Which case each selection belongs to, to name speakers' cases as the file does.
        var selectionCase: [String: String] = [:]
        for item in document.cases {
            guard let name = item.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { continue }
            for selection in item.selections { selectionCase[selection] = name }
        }
        let missing = Dictionary(package.missingTexts.map { ($0.guid, $0.reason) }, uniquingKeysWith: { $1 })
        let marks = try guidMarks()
        let importerID = try CoderTable(db).id(named: actor.coder)
        try recordGUIDs(since: marks)
        for source in document.sources {
            let label = source.name ?? source.guid
            guard let original = package.texts[source.guid] else {
                report.notImported.append(
                    "the text source '\(label)': \(missing[source.guid] ?? "its text is missing")"
                        + (source.selections.isEmpty ? "" : ", with its \(source.selections.count) selection(s)"))
                continue
            }
            let selections = source.selections.compactMap { selection -> (start: Int, end: Int, name: String)? in
                guard let start = selection.start, let end = selection.end else { return nil }
                return (start, end, selection.name ?? "")
            }
            let map = PositionMap.best(original: original, origin: document.origin, selections: selections)
            if map.units != .standard { report.convertedPositions.append("\(label) (\(map.units))") }
            let text = map.text
            guard text.contains(where: { !$0.isWhitespace }) else {
                report.notImported.append(
                    "the text source '\(label)': its text is empty"
                        + (source.selections.isEmpty ? "" : ", so its \(source.selections.count) selection(s) have nothing to code"))
                continue
            }
            let hash = StableID.sha256(Data(text.utf8))
            let sourceID: Int64
            if let existing = existingByText[hash], !addedHere.contains(existing) {
                sourceID = existing
                report.sourcesMatched += 1
            } else {
                var name = label.trimmingCharacters(in: .whitespacesAndNewlines)
                if name.isEmpty { name = "Source" }
                if usedNames.contains(name.lowercased()) {
                    var number = 2
                    while usedNames.contains("\(name) (\(number))".lowercased()) { number += 1 }
                    report.warnings.append("There is already a source called '\(name)'; the imported one is '\(name) (\(number))'.")
                    name = "\(name) (\(number))"
                }
                usedNames.insert(name.lowercased())
                var segmented = try Segmenter.segment(text, options: segmentation, file: "\(path) (source '\(name)')")
                if segmented.segments.isEmpty {
                    segmented = try Segmenter.segment(text, options: SegmentationOptions(unit: .paragraph, speakers: .never))
                }
                if !segmented.declinedLabels.isEmpty { report.sourcesWithDeclinedLabels.append(name) }
                // Speakers whose turns the file puts in a case take that case's name.
                var names: [String: String] = [:]
                for selection in source.selections {
                    guard let caseName = selectionCase[selection.guid], let start = selection.start, let end = selection.end,
                        let span = map.span(start: start, end: end)
                    else { continue }
                    for segment in segmented.segments where segment.span == span {
                        if let speaker = segment.speaker { names[speaker] = caseName }
                    }
                }
                let guid = freeGUID(source.guid) ?? StableID.make("source", "\(hash)#\(source.guid)")
                // The column is unique; a second source of the same text keys its hash by its GUID.
                let key =
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM source WHERE sha256 = ?)", arguments: [hash]) == true
                    ? StableID.sha256(Data("\(hash)#\(guid)".utf8)) : hash
                let importedBy = try source.user == nil ? importerID : coder(source.user)
                sourceID = try SourceTable(db).insert(
                    SourceTable.NewSource(
                        guid: guid, name: name, fileName: name + ".txt", format: TranscriptFormat.txt.rawValue, sha256: key,
                        byteCount: text.utf8.count, text: text, length: text.unicodeScalars.count,
                        segmentation: segmented.mode.rawValue, importedAt: timestamp(source.created),
                        importedBy: importedBy))
                guidsInUse.insert(guid)
                // Speakers' cases and their role attribute may be added.
                let marks = try guidMarks()
                try SegmentTable(db).store(sourceID: sourceID, segmentation: segmented, cases: CaseMapping(names: names))
                try recordGUIDs(since: marks)
                if existingByText[hash] == nil { existingByText[hash] = sourceID }
                addedHere.insert(sourceID)
                report.sourcesAdded += 1
            }
            sourceIDs[source.guid] = sourceID
            for item in source.values {
                if let (attribute, value) = value(item, variables: variables, owner: "source '\(label)'") {
                    try setValue(for: .source(sourceID), attribute: attribute, value: value, label: "source '\(label)'")
                }
            }
            try importSelections(of: source, label: label, sourceID: sourceID, map: map)
        }
    }

    private mutating func importSelections(of source: REFIDocument.Source, label: String, sourceID: Int64, map: PositionMap) throws {
        sourceCodings = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, start, \"end\", codeId, coderId FROM coding WHERE sourceId = ?", arguments: [sourceID])
        while let row = try rows.next() {
            sourceCodings[CodingKey(start: row[1], end: row[2], codeID: row[3], coderID: row[4])] = row[0]
        }
        defer { sourceCodings = [:] }
        var skipped: [String] = []
        for selection in source.selections {
            guard let start = selection.start, let end = selection.end, let span = map.span(start: start, end: end) else {
                skipped.append("\(selection.guid) (\(selection.start.map(String.init) ?? "?")-\(selection.end.map(String.init) ?? "?"))")
                continue
            }
            if keepsSelections { selectionTargets[selection.guid] = (sourceID, span) }
            for coding in selection.codings {
                try addCoding(coding, sourceID: sourceID, span: span, fallbackUser: selection.user, fallbackDate: selection.created, label: label)
            }
            if let description = selection.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty {
                try addMemo(
                    guid: StableID.make("selection memo", selection.guid), title: nil, text: description,
                    user: selection.user, created: selection.created, modified: nil,
                    target: try segmentTarget(sourceID: sourceID, span: span))
            }
            for note in selection.notes {
                try attach(note, to: try segmentTarget(sourceID: sourceID, span: span))
            }
        }
        if !skipped.isEmpty {
            report.warnings.append(
                Notice(
                    "\(skipped.count) selection(s) of '\(label)' lie outside its text or are empty and were not imported: "
                        + skipped.prefix(10).joined(separator: ", ") + (skipped.count > 10 ? ", …" : "")))
        }
        // Codes applied to the whole source.
        let length = map.text.unicodeScalars.count
        for coding in source.codings {
            try addCoding(
                coding, sourceID: sourceID, span: TextSpan(start: 0, end: length), fallbackUser: source.user,
                fallbackDate: source.created, label: label)
        }
    }

    private mutating func addCoding(
        _ coding: REFIDocument.Coding, sourceID: Int64, span: TextSpan, fallbackUser: String?,
        fallbackDate: String?, label: String
    ) throws {
        guard let code = coding.code, let codeID = codeIDs[code] else {
            report.warnings.append(
                "A coding in '\(label)' (\(coding.guid)) refers to a code the file does not define (\(coding.code ?? "none")); it was not imported.")
            return
        }
        let coderID = try coder(coding.user ?? fallbackUser)
        let before = report.codingsAdded
        // Most codings have no notes: their memo's GUID (a SHA-1) is then not needed.
        let codingMemo = coding.notes.isEmpty ? nil : REFI.codingMemoGUID(codingGUID: coding.guid)
        let memo = codingMemo.flatMap { coding.notes.contains($0) ? noteText($0) : nil }
        let key = CodingKey(start: span.start, end: span.end, codeID: codeID, coderID: coderID)
        let id: Int64
        if let existing = sourceCodings[key] {
            report.codingsPresent += 1
            id = existing
        } else {
            let guid =
                freeGUID(coding.guid)
                ?? StableID.make("coding", "\(sourceID)/\(span.start)/\(span.end)/\(codeID)/\(coderID)/\(coding.guid)")
            let createdAt = timestamp(coding.created ?? fallbackDate)
            id = try CodingTable(db).insert(
                guid: guid, codeID: codeID, sourceID: sourceID, span: span, coderID: coderID,
                createdAt: createdAt, memo: memo)
            guidsInUse.insert(guid)
            sourceCodings[key] = id
            report.codingsAdded += 1
        }
        if hasLinks { codingIDs[coding.guid] = id }
        if memo != nil, let codingMemo {
            attachedNotes.insert(codingMemo)
            report.memosAdded += report.codingsAdded > before ? 1 : 0
        }
        for note in coding.notes where note != codingMemo {
            try attach(note, to: ("coding", id))
        }
    }

    /// What makes two codings of a source the same.
    struct CodingKey: Hashable {
        var start: Int
        var end: Int
        var codeID: Int64
        var coderID: Int64
    }

    /// A segment as the import needs it.
    struct SegmentSpan {
        var id: Int64
        var span: TextSpan
        var caseID: Int64?
    }

    /// The segments of a source in order, loaded once.
    private mutating func segments(of sourceID: Int64) throws -> [SegmentSpan] {
        if let cached = segmentCache[sourceID] { return cached }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, start, \"end\", caseId FROM segment WHERE sourceId = ? ORDER BY start", arguments: [sourceID])
        let segments = rows.map { SegmentSpan(id: $0["id"], span: TextSpan(start: $0["start"], end: $0["end"]), caseID: $0["caseId"]) }
        segmentCache[sourceID] = segments
        return segments
    }

    /// The segments a span overlaps (a point span, the segment it is in), found by binary search.
    private mutating func segments(of sourceID: Int64, overlapping span: TextSpan) throws -> ArraySlice<SegmentSpan> {
        let all = try segments(of: sourceID)
        var low = 0
        var high = all.count
        while low < high {
            let middle = (low + high) / 2
            if all[middle].span.end <= span.start { low = middle + 1 } else { high = middle }
        }
        var end = low
        let limit = max(span.end, span.start + 1)
        while end < all.count, all[end].span.start < limit { end += 1 }
        return all[low..<end]
    }

    /// The segment a selection's memo belongs to: the first segment the selection overlaps.
    private mutating func segmentTarget(sourceID: Int64, span: TextSpan) throws -> (kind: String, id: Int64?) {
        if let segment = try segments(of: sourceID, overlapping: span).first {
            return ("segment", segment.id)
        }
        return ("source", sourceID)
    }

    // MARK: Cases

    private mutating func importCases(variables: [String: (id: Int64, type: AttributeType, name: String)]) throws {
        var codeRefs = 0
        var widened = 0
        for item in document.cases {
            codeRefs += item.codes
            guard let name = item.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
                // An unnamed case holds the variables of the sources it refers to (MAXQDA, Quirkos).
                for source in item.sources {
                    guard let sourceID = sourceIDs[source] else { continue }
                    for value in item.values {
                        if let (attribute, text) = self.value(value, variables: variables, owner: "a source") {
                            try setValue(for: .source(sourceID), attribute: attribute, value: text, label: "a source")
                        }
                    }
                }
                continue
            }
            let caseID: Int64
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = ?", arguments: [name]) {
                caseID = id
                if let description = item.description, !description.isEmpty {
                    try CaseTable(db).setDescriptionIfMissing(description, ofCase: id)
                }
            } else {
                let guid = try freeGUID(item.guid) ?? RowGUID.free(in: db, table: "studyCase", kind: "case", key: CodePath.fold(name))
                caseID = try CaseTable(db).insertCase(guid: guid, name: name, description: item.description.flatMap { $0.isEmpty ? nil : $0 })
                guidsInUse.insert(guid)
            }
            caseIDs[item.guid] = caseID
            for value in item.values {
                if let (attribute, text) = self.value(value, variables: variables, owner: "case '\(name)'") {
                    try setValue(for: .studyCase(caseID), attribute: attribute, value: text, label: "case '\(name)'")
                }
            }
            for source in item.sources {
                guard let sourceID = sourceIDs[source] else { continue }
                try CaseTable(db).addSource(sourceID, toCase: caseID)
            }
            // Selections that are a speaker's turns already belong to the case through the
            // speaker; any other selection makes its whole source a member.
            for selection in item.selections {
                guard let target = selectionTargets[selection] else { continue }
                let isTurn = try segments(of: target.sourceID, overlapping: target.span).contains { $0.caseID == caseID }
                if !isTurn {
                    try CaseTable(db).addSource(target.sourceID, toCase: caseID)
                    widened += 1
                }
            }
        }
        if codeRefs > 0 {
            report.notImported.append("\(codeRefs) code(s) applied to cases as a whole (Quill codes text, not cases)")
        }
        if widened > 0 {
            report.warnings.append(
                "\(widened) passage(s) that the file puts in a case are not a speaker's turns; their sources became members of the case as a whole.")
        }
    }

    private mutating func setValue(for owner: AttributeOwner, attribute: Int64, value: String, label: String) throws {
        let cases = CaseTable(db)
        if let current = try cases.value(of: attribute, for: owner) {
            if current != value {
                let name = try String.fetchOne(db, sql: "SELECT name FROM attribute WHERE id = ?", arguments: [attribute]) ?? "?"
                report.warnings.append(
                    "\(label.prefix(1).uppercased() + label.dropFirst()) has '\(name)' = '\(current)' in the project and '\(value)' in the file; the project's value was kept."
                )
            }
            return
        }
        try cases.insertValue(value, of: attribute, for: owner)
    }

    // MARK: Notes

    private func noteText(_ guid: String) -> String? {
        guard let note = notesByGUID[guid] else { return nil }
        return note.content ?? package.noteTexts[guid]
    }

    private mutating func importNotes() throws {
        for guid in document.projectNotes { try attach(guid, to: ("project", nil)) }
        for source in document.sources {
            guard let id = sourceIDs[source.guid] else { continue }
            for note in source.notes { try attach(note, to: ("source", id)) }
        }
        func visit(_ codes: [REFIDocument.Code]) throws {
            for code in codes {
                if let id = codeIDs[code.guid] { for note in code.notes { try attach(note, to: ("code", id)) } }
                try visit(code.children)
            }
        }
        try visit(document.codes)
        let notes = Set(document.notes.map(\.guid))
        var unknownLinks = 0
        for link in document.links {
            guard let origin = link.origin, let target = link.target else { unknownLinks += 1; continue }
            let (note, other) = notes.contains(target) ? (target, origin) : (origin, target)
            guard notes.contains(note) else { unknownLinks += 1; continue }
            if let id = caseIDs[other] {
                try attach(note, to: ("case", id))
            } else if let id = sourceIDs[other] {
                try attach(note, to: ("source", id))
            } else if let id = codeIDs[other] {
                try attach(note, to: ("code", id))
            } else if let selection = selectionTargets[other] {
                try attach(note, to: try segmentTarget(sourceID: selection.sourceID, span: selection.span))
            } else if let id = codingIDs[other] {
                try attach(note, to: ("coding", id))
            } else {
                unknownLinks += 1
            }
        }
        if unknownLinks > 0 {
            report.notImported.append("\(unknownLinks) link(s) between objects (Quill keeps links only from a memo to what it is about)")
        }
        // A note nothing refers to is kept as a memo on the project, never dropped.
        for note in document.notes where !attachedNotes.contains(note.guid) {
            try attach(note.guid, to: ("project", nil))
        }
    }

    private mutating func attach(_ guid: String, to target: (kind: String, id: Int64?)) throws {
        guard !attachedNotes.contains(guid) else { return }
        guard let note = notesByGUID[guid] else {
            report.warnings.append("A memo reference points at a note the file does not define (\(guid)); it was left out.")
            return
        }
        attachedNotes.insert(guid)
        guard let text = noteText(guid)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return }
        try addMemo(guid: guid, title: note.name, text: text, user: note.user, created: note.created, modified: note.modified, target: target)
    }

    private mutating func addMemo(
        guid: String, title: String?, text: String, user: String?, created: String?, modified: String?,
        target: (kind: String, id: Int64?)
    ) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM memo WHERE guid = ?)"), arguments: [guid]) == false,
            // A tool that makes new GUIDs on every export sends the same memo again.
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM memo WHERE targetKind = ? AND targetId IS ? AND text = ?)"),
                arguments: [target.kind, target.id, text]) == false
        else { return }
        let guid = freeGUID(guid) ?? StableID.make("memo", "\(guid)#\(target.kind)#\(target.id ?? 0)")
        let createdAt = timestamp(created)
        let updatedAt = modified.map { timestamp($0) } ?? createdAt
        _ = try MemoTable(db).insert(
            guid: guid, kind: target.kind, targetID: target.id, title: title.flatMap { $0.isEmpty ? nil : $0 },
            text: text, coderID: try coder(user), createdAt: createdAt, updatedAt: updatedAt)
        guidsInUse.insert(guid)
        report.memosAdded += 1
    }

    // MARK: Helpers

    /// The coder for a user GUID of the file: the coder of the user's name, or the importing
    /// coder when the file does not say.
    private mutating func coder(_ user: String?) throws -> Int64 {
        if let cached = coderIDs[user ?? ""] { return cached }
        let marks = try guidMarks()
        let id = try coderID(user)
        try recordGUIDs(since: marks)
        coderIDs[user ?? ""] = id
        return id
    }

    private mutating func coderID(_ user: String?) throws -> Int64 {
        let name = user.flatMap { document.users[$0] }?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try CoderTable(db).id(named: name.flatMap { $0.isEmpty ? nil : $0 } ?? actor.coder)
    }

    /// The GUID, when no object of the project (of any kind) has it yet, nor one this import
    /// added. Whoever takes it inserts it into `guidsInUse` with the object.
    private func freeGUID(_ guid: String) -> String? {
        StableID.isGUID(guid) && !guidsInUse.contains(guid) ? guid : nil
    }

    /// The tables of objects with a GUID.
    private static let guidTables = ["code", "source", "studyCase", "attribute", "memo", "coding", "coder"]

    /// The last row of each table of `guidTables`, before the store adds objects of its own
    /// (a coder, a speaker's case), for `recordGUIDs(since:)`.
    private func guidMarks() throws -> [Int64] {
        try Self.guidTables.map { try Int64.fetchOne(db, sql: "SELECT ifnull(max(rowid), 0) FROM \($0)") ?? 0 }
    }

    /// Records the GUIDs of the objects added after `guidMarks()`.
    private mutating func recordGUIDs(since marks: [Int64]) throws {
        for (table, mark) in zip(Self.guidTables, marks) {
            guidsInUse.formUnion(try String.fetchAll(db, sql: "SELECT guid FROM \(table) WHERE rowid > ?", arguments: [mark]))
        }
    }

    /// A file's date if it is one, else now.
    private mutating func timestamp(_ value: String?) -> String {
        guard let value else { return Clock.timestamp() }
        if let known = timestamps[value] { return known }
        guard let valid = Self.validTimestamp(value) else { return Clock.timestamp() }
        timestamps[value] = valid
        return valid
    }

    /// A date of a file as Quill writes dates (UTC, seconds), or nil when it is not a date.
    static func validTimestamp(_ value: String) -> String? {
        let value = value.trimmingCharacters(in: .whitespaces)
        let plain = Date.ISO8601FormatStyle()
        if let date = try? plain.parse(value) { return date.formatted(plain) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(value) { return date.formatted(plain) }
        return nil
    }
}

extension REFIImporter {
    /// What a REFI-QDA project holds, for `merge`: the file is imported into a project in
    /// memory (nothing of it is written to disk), whose sources take the SHA-256 of this
    /// project's source with the same text, so that a colleague's export of the same
    /// transcripts merges into them.
    /// - Throws: `QuillError.badInput` naming the file and the problem.
    public func contents(ofREFIAt url: URL, actor: Actor) throws -> (ProjectContents, REFIImportReport) {
        let package = try REFIPackage.read(url)
        let temporary = try ProjectDatabase.inMemory(name: package.projectName ?? url.deletingPathExtension().lastPathComponent)
        let report = try REFIImporter(temporary).importREFI(package, from: url, isNewProject: true, actor: actor)
        var local: [String: String] = [:]
        try project.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT sha256, text FROM source") {
                local[StableID.sha256(Data((row["text"] as String).utf8))] = row["sha256"]
            }
        }
        try temporary.change(actor) { db -> (Void, summary: String?) in
            for row in try Row.fetchAll(db, sql: "SELECT id, text FROM source") {
                if let sha = local[StableID.sha256(Data((row["text"] as String).utf8))] {
                    try SourceTable(db).setSHA256(sha, of: row["id"])
                }
            }
            return ((), nil)
        }
        var contents = try ProjectContents.load(temporary)
        contents.origin = url.path
        return (contents, report)
    }
}

private extension String {
    /// The string, or nil when it is empty.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
