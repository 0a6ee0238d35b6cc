public import Foundation
import GRDB
import ZIPFoundation

/// What an export wrote.
public struct REFIExportReport: Equatable, Sendable {
    public var codes = 0
    public var sources = 0
    public var selections = 0
    public var codings = 0
    public var cases = 0
    public var variables = 0
    public var notes = 0
    public var users = 0
    /// What the format cannot carry, one line each.
    public var notCarried: [String] = []
}

/// Writes a project as REFI-QDA (`.qdpx`) or its codebook as `.qdc`.
public struct REFIExporter: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Writes the project as a REFI-QDA project (`.qdpx`): `project.qde` and the text of every
    /// source in `sources/<GUID>.txt`.
    ///
    /// The `.qde` is written as a stream, validated against the official schema and checked
    /// for what the schema cannot say (references that resolve, positions inside the texts);
    /// the archive is then made beside the destination and moved onto it, so a failed export
    /// leaves no file behind. The same project always gives the same bytes.
    /// - Throws: `QuillError.exportInvalid` when the document fails a check (a bug in Quill),
    ///   `QuillError.fileNotWritable` when the file cannot be written.
    public func exportQDPX(to destination: URL) throws -> REFIExportReport {
        try withExportFolder(beside: destination) { folder in
            let qde = folder.appendingPathComponent("project.qde")
            let sourcesFolder = folder.appendingPathComponent("sources")
            try FileManager.default.createDirectory(at: sourcesFolder, withIntermediateDirectories: true)
            let (report, files, date) = try project.read { db in
                try REFIProjectWriter(db: db, qde: qde, sourcesFolder: sourcesFolder).write()
            }
            // The schema check and the zipping only read the finished document, so they run
            // side by side; the archive is moved into place only once the check has passed.
            let validation = BackgroundTask { try SchemaValidator.errors(in: qde, against: .project) }
            let archive = folder.appendingPathComponent("archive.qdpx")
            let zipped = Result {
                try Self.zip(
                    [("project.qde", qde)] + files.map { ("sources/" + $0.lastPathComponent, $0) },
                    to: archive, date: date, destination: destination)
            }
            try Self.refuse(try validation.wait(), destination: destination)
            try zipped.get()
            try Self.move(archive, to: destination)
            return report
        }
    }

    /// Writes the codebook as a REFI-QDA codebook (`.qdc`), validated like a project.
    public func exportQDC(to destination: URL) throws -> REFIExportReport {
        try withExportFolder(beside: destination) { folder in
            let file = folder.appendingPathComponent("codebook.qdc")
            let report = try project.read { db -> REFIExportReport in
                let tree = try CodeTree.load(db)
                let writer = try XMLStreamWriter(path: file.path)
                try writer.start(
                    "CodeBook",
                    [
                        "xmlns": REFI.codebookNamespace, "origin": "Quill \(QuillVersion.current)",
                        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                        "xsi:schemaLocation": REFI.codebookSchemaLocation,
                    ])
                var report = REFIExportReport()
                if !tree.codes.isEmpty {
                    try writer.start("Codes")
                    try REFIProjectWriter.writeCodes(tree, parent: nil, writer: writer, notes: [:], report: &report)
                    try writer.end()
                    report.codes = tree.codes.count
                } else {
                    throw QuillError.refused(
                        "The project's codebook has no codes, and a REFI-QDA codebook needs at least one.", remedy: .addCodesFirst)
                }
                try writer.finish()
                return report
            }
            try Self.validate(file, against: .codebook, destination: destination)
            try Self.move(file, to: destination)
            return report
        }
    }

    /// Runs `body` with a private folder beside the destination, removed afterwards whatever
    /// happens, a signal included.
    private func withExportFolder<T>(beside destination: URL, _ body: (URL) throws -> T) throws -> T {
        try TemporaryFiles.withFolder(beside: destination, prefix: "quill-export", body)
    }

    private static func validate(_ file: URL, against schema: SchemaValidator.Schema, destination: URL) throws {
        try refuse(try SchemaValidator.errors(in: file, against: schema), destination: destination)
    }

    /// Throws when a schema check found errors.
    private static func refuse(_ errors: (messages: [String], total: Int), destination: URL) throws {
        let (messages, total) = errors
        if total > 0 {
            throw QuillError.exportInvalid(path: destination.relativePath, problems: messages, total: total)
        }
    }

    /// Zips files, in the order given, with a fixed modification date so that the archive's
    /// bytes depend only on its content.
    private static func zip(_ entries: [(name: String, file: URL)], to archiveURL: URL, date: Date, destination: URL) throws {
        do {
            let archive = try Archive(url: archiveURL, accessMode: .create)
            for entry in entries {
                let handle = try FileHandle(forReadingFrom: entry.file)
                defer { try? handle.close() }
                let size = try FileManager.default.attributesOfItem(atPath: entry.file.path)[.size] as? Int64 ?? 0
                guard size < Int64(Int32.max) else {
                    throw QuillError.fileNotWritable(
                        path: destination.relativePath,
                        reason: "\(entry.name) would be larger than the 2 GB REFI-QDA allows for one file")
                }
                // Chunks of 1 MB rather than 16 kB: the deflated bytes do not depend on the chunking.
                try archive.addEntry(
                    with: entry.name, type: .file, uncompressedSize: size, modificationDate: date,
                    permissions: 0o644, compressionMethod: .deflate, bufferSize: 1 << 20
                ) { position, chunk in
                    try handle.seek(toOffset: UInt64(position))
                    return handle.readData(ofLength: chunk)
                }
            }
        } catch let error as QuillError {
            throw error
        } catch {
            throw QuillError.fileNotWritable(path: destination.relativePath, reason: (error as NSError).localizedDescription)
        }
    }

    /// Puts the finished file in place in one step (a rename within the folder), replacing
    /// any file of that name, so a reader never sees half a file.
    private static func move(_ file: URL, to destination: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isFolder), isFolder.boolValue {
            throw QuillError.fileNotWritable(path: destination.relativePath, reason: "it is a folder")
        }
        guard rename(file.path, destination.path) == 0 else {
            throw QuillError.fileNotWritable(path: destination.relativePath, reason: String(cString: strerror(errno)))
        }
    }
}

// MARK: - The project document

/// Writes `project.qde` and the source texts from one read transaction.
private struct REFIProjectWriter {
    let db: Database
    let qde: URL
    let sourcesFolder: URL

    /// A note: a memo, or a coding's own memo.
    struct Note {
        var guid: String
        var title: String?
        var text: String
        var coderGUID: String?
        var created: String
        var modified: String?
    }

    /// What a memo is on: a kind of object (`targetKind`) and its id, nil for the project.
    struct NoteTarget: Hashable {
        var kind: String
        var id: Int64?
    }

    /// What the document defines and refers to, for the checks the schema cannot make.
    ///
    /// A reference keeps the index of what it is from in `referrers`, so that the million
    /// references of a large project share a few descriptions.
    struct References {
        var defined: Set<String> = []
        var referred: [(guid: String, from: Int)] = []
        var referrers: [String] = []

        mutating func define(_ guid: String, _ what: @autoclosure () -> String) throws {
            guard defined.insert(guid).inserted else {
                throw QuillError.exportInvalid(
                    path: "project.qde", problems: ["the GUID \(guid) is given to two objects (the second is \(what()))"], total: 1)
            }
        }

        /// The index of a description of what refers, for `refer(_:from:)`.
        mutating func referrer(_ what: String) -> Int {
            referrers.append(what)
            return referrers.count - 1
        }

        mutating func refer(_ guid: String, from what: String) {
            refer(guid, from: referrer(what))
        }

        mutating func refer(_ guid: String, from referrer: Int) {
            referred.append((guid, referrer))
        }

        func check() throws {
            let dangling = referred.filter { !defined.contains($0.guid) }
            if !dangling.isEmpty {
                throw QuillError.exportInvalid(
                    path: "project.qde",
                    problems: dangling.prefix(10).map { "\(referrers[$0.from]) refers to \($0.guid), which the document does not define" },
                    total: dangling.count)
            }
        }
    }

    func write() throws -> (REFIExportReport, files: [URL], date: Date) {
        var report = REFIExportReport()
        var references = References()
        let info = Dictionary(
            try Row.fetchAll(db, sql: "SELECT key, value FROM projectInfo").map { ($0["key"] as String, $0["value"] as String) },
            uniquingKeysWith: { $1 })
        let coders = try Row.fetchAll(db, sql: "SELECT id, guid, name FROM coder ORDER BY name COLLATE NOCASE, id")
        var coderGUID: [Int64: String] = [:]
        var coderGUIDByName: [String: String] = [:]
        for row in coders {
            coderGUID[row["id"]] = row["guid"]
            coderGUIDByName[(row["name"] as String).lowercased()] = row["guid"]
        }
        let firstEntry = try Row.fetchOne(db, sql: "SELECT at, coder FROM history ORDER BY id LIMIT 1")
        let lastEntry = try Row.fetchOne(db, sql: "SELECT at, coder FROM history ORDER BY id DESC LIMIT 1")
        let created = info["createdAt"]
        let modified = (lastEntry?["at"] as String?) ?? created
        let date = modified.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date(timeIntervalSince1970: 315_532_800)

        // Memos, by what they are on.
        var notes: [Note] = []
        var notesOn: [NoteTarget: [String]] = [:]
        var caseMemoLinks: [(memo: String, caseGUID: String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM memo ORDER BY createdAt, id") {
            let note = Note(
                guid: row["guid"], title: row["title"], text: row["text"],
                coderGUID: (row["coderId"] as Int64?).flatMap { coderGUID[$0] },
                created: row["createdAt"], modified: row["updatedAt"])
            notes.append(note)
            let kind: String = row["targetKind"]
            notesOn[NoteTarget(kind: kind, id: row["targetId"]), default: []].append(note.guid)
            if kind == "case", let guid = try String.fetchOne(db, sql: "SELECT guid FROM studyCase WHERE id = ?", arguments: [row["targetId"]]) {
                caseMemoLinks.append((note.guid, guid))
            }
        }

        let writer = try XMLStreamWriter(path: qde.path)
        try writer.start(
            "Project",
            [
                "xmlns": REFI.projectNamespace,
                "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                "xsi:schemaLocation": REFI.projectSchemaLocation,
                "name": info["name"] ?? "Quill project",
                "origin": "Quill \(QuillVersion.current)",
                "creatingUserGUID": (firstEntry?["coder"] as String?).flatMap { coderGUIDByName[$0.lowercased()] },
                "creationDateTime": created,
                "modifyingUserGUID": (lastEntry?["coder"] as String?).flatMap { coderGUIDByName[$0.lowercased()] },
                "modifiedDateTime": modified,
            ])

        // Users.
        if !coders.isEmpty {
            try writer.start("Users")
            for row in coders {
                try references.define(row["guid"], "user \(row["name"] as String)")
                try writer.empty("User", ["guid": row["guid"], "name": row["name"]])
            }
            try writer.end()
            report.users = coders.count
        }

        // The codebook.
        let tree = try CodeTree.load(db)
        if !tree.codes.isEmpty {
            try writer.start("CodeBook")
            try writer.start("Codes")
            var codeNotes: [Int64: [String]] = [:]
            for code in tree.codes { codeNotes[code.id] = notesOn[NoteTarget(kind: "code", id: code.id)] }
            try Self.writeCodes(tree, parent: nil, writer: writer, notes: codeNotes, report: &report)
            try writer.end()
            try writer.end()
            for code in tree.codes {
                try references.define(code.guid, "code \(tree.displayPath(of: code.id))")
                for note in codeNotes[code.id] ?? [] { references.refer(note, from: "code \(tree.displayPath(of: code.id))") }
            }
        }

        // Variables.
        struct Variable { var id: Int64; var guid: String; var name: String; var type: AttributeType }
        let variables = try Row.fetchAll(db, sql: "SELECT * FROM attribute ORDER BY name COLLATE NOCASE, id").map { row in
            (
                Variable(id: row["id"], guid: row["guid"], name: row["name"], type: AttributeType(rawValue: row["type"]) ?? .text),
                row["description"] as String?
            )
        }
        let variableByID = Dictionary(uniqueKeysWithValues: variables.map { ($0.0.id, $0.0) })
        if !variables.isEmpty {
            try writer.start("Variables")
            for (variable, description) in variables {
                try references.define(variable.guid, "variable \(variable.name)")
                try writer.start("Variable", ["guid": variable.guid, "name": variable.name, "typeOfVariable": REFI.variableType(variable.type)])
                try writer.element("Description", text: description)
                try writer.end()
            }
            try writer.end()
            report.variables = variables.count
        }
        func writeValues(_ rows: [Row], owner: String) throws {
            for row in rows {
                guard let variable = variableByID[row["attributeId"]] else { continue }
                try writer.start("VariableValue")
                try writer.empty("VariableRef", ["targetGUID": variable.guid])
                references.refer(variable.guid, from: owner)
                try writer.element(REFI.valueElement(variable.type), text: REFI.schemaValue(row["value"], type: variable.type))
                try writer.end()
            }
        }

        // Sources, loaded once: their selections are needed by cases before they are written.
        let sources = try Row.fetchAll(db, sql: "SELECT id, guid, name, length, importedAt, importedBy FROM source ORDER BY name COLLATE NOCASE, id")
        var sourceGUID: [Int64: String] = [:]
        for row in sources { sourceGUID[row["id"]] = row["guid"] }

        // Cases.
        let cases = try Row.fetchAll(db, sql: "SELECT * FROM studyCase ORDER BY name COLLATE NOCASE, id")
        if !cases.isEmpty {
            try writer.start("Cases")
            for row in cases {
                let id: Int64 = row["id"]
                let guid: String = row["guid"]
                let name: String = row["name"]
                try references.define(guid, "case \(name)")
                try writer.start("Case", ["guid": guid, "name": name])
                try writer.element("Description", text: row["description"])
                try writeValues(
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT ca.attributeId, ca.value FROM caseAttribute ca JOIN attribute a ON a.id = ca.attributeId
                            WHERE ca.caseId = ? ORDER BY a.name COLLATE NOCASE
                            """, arguments: [id]), owner: "case \(name)")
                for sourceID in try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT cs.sourceId FROM caseSource cs JOIN source s ON s.id = cs.sourceId
                        WHERE cs.caseId = ? ORDER BY s.name COLLATE NOCASE
                        """, arguments: [id])
                {
                    guard let target = sourceGUID[sourceID] else { continue }
                    try writer.empty("SourceRef", ["targetGUID": target])
                    references.refer(target, from: "case \(name)")
                }
                for segment in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT g.sourceId, g.start, g."end" FROM segment g JOIN source s ON s.id = g.sourceId
                        WHERE g.caseId = ? ORDER BY s.name COLLATE NOCASE, g.start
                        """, arguments: [id])
                {
                    guard let source = sourceGUID[segment["sourceId"]] else { continue }
                    let selection = REFI.selectionGUID(sourceGUID: source, start: segment["start"], end: segment["end"])
                    try writer.empty("SelectionRef", ["targetGUID": selection])
                    references.refer(selection, from: "case \(name)")
                }
                try writer.end()
            }
            try writer.end()
            report.cases = cases.count
        }

        // Sources, each with its selections; the texts go to their own files.
        var files: [URL] = []
        if !sources.isEmpty {
            try writer.start("Sources")
            for row in sources {
                let id: Int64 = row["id"]
                let guid: String = row["guid"]
                let name: String = row["name"]
                let length: Int = row["length"]
                let text = try String.fetchOne(db, sql: "SELECT text FROM source WHERE id = ?", arguments: [id]) ?? ""
                let file = sourcesFolder.appendingPathComponent(REFI.internalFileName(sourceGUID: guid))
                do {
                    try Data(text.utf8).write(to: file)
                } catch {
                    throw QuillError.fileNotWritable(path: file.lastPathComponent, reason: (error as NSError).localizedDescription)
                }
                files.append(file)
                try references.define(guid, "source \(name)")
                try writer.start(
                    "TextSource",
                    [
                        "guid": guid, "name": name, "plainTextPath": "internal://" + REFI.internalFileName(sourceGUID: guid),
                        "creatingUser": (row["importedBy"] as Int64?).flatMap { coderGUID[$0] },
                        "creationDateTime": row["importedAt"],
                    ])
                let selections = try selections(
                    of: id, sourceGUID: guid, text: text, length: length, notesOn: notesOn,
                    coderGUID: coderGUID, notes: &notes)
                let selectionReferrer = references.referrer("a selection of \(name)")
                let codingReferrer = references.referrer("a coding in \(name)")
                for selection in selections {
                    try references.define(selection.guid, "a selection of \(name)")
                    try writer.start(
                        "PlainTextSelection",
                        [
                            "guid": selection.guid, "name": selection.name,
                            "startPosition": String(selection.start), "endPosition": String(selection.end),
                            "creatingUser": selection.coderGUID, "creationDateTime": selection.created,
                        ])
                    for coding in selection.codings {
                        try writer.start("Coding", ["guid": coding.guid, "creatingUser": coding.coderGUID, "creationDateTime": coding.created])
                        try writer.empty("CodeRef", ["targetGUID": coding.codeGUID])
                        references.refer(coding.codeGUID, from: codingReferrer)
                        for note in coding.notes {
                            try writer.empty("NoteRef", ["targetGUID": note])
                            references.refer(note, from: codingReferrer)
                        }
                        try writer.end()
                    }
                    for note in selection.notes {
                        try writer.empty("NoteRef", ["targetGUID": note])
                        references.refer(note, from: selectionReferrer)
                    }
                    try writer.end()
                    report.codings += selection.codings.count
                }
                report.selections += selections.count
                for note in notesOn[NoteTarget(kind: "source", id: id)] ?? [] {
                    try writer.empty("NoteRef", ["targetGUID": note])
                    references.refer(note, from: "source \(name)")
                }
                try writeValues(
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT sa.attributeId, sa.value FROM sourceAttribute sa JOIN attribute a ON a.id = sa.attributeId
                            WHERE sa.sourceId = ? ORDER BY a.name COLLATE NOCASE
                            """, arguments: [id]), owner: "source \(name)")
                try writer.end()
            }
            try writer.end()
            report.sources = sources.count
        }

        // Notes, and the links that attach case memos to their cases.
        if !notes.isEmpty {
            try writer.start("Notes")
            for note in notes {
                try references.define(note.guid, "a note")
                try writer.start(
                    "Note",
                    [
                        "guid": note.guid, "name": note.title, "creatingUser": note.coderGUID,
                        "creationDateTime": note.created, "modifiedDateTime": note.modified,
                    ])
                try writer.element("PlainTextContent", text: note.text)
                try writer.end()
            }
            try writer.end()
            report.notes = notes.count
        }
        if !caseMemoLinks.isEmpty {
            try writer.start("Links")
            for link in caseMemoLinks {
                let guid = REFI.memoLinkGUID(memoGUID: link.memo)
                try references.define(guid, "a link")
                try writer.empty(
                    "Link",
                    [
                        "guid": guid, "name": "memo", "direction": "OneWay",
                        "originGUID": link.caseGUID, "targetGUID": link.memo,
                    ])
                references.refer(link.caseGUID, from: "a memo link")
                references.refer(link.memo, from: "a memo link")
            }
            try writer.end()
        }
        try writer.element("Description", text: info["description"])
        for note in notesOn[NoteTarget(kind: "project", id: nil)] ?? [] {
            try writer.empty("NoteRef", ["targetGUID": note])
            references.refer(note, from: "the project")
        }
        try writer.end()
        try writer.finish()
        try references.check()
        report.codes = tree.codes.count
        report.notCarried = try notCarried()
        if writer.replacedCharacters > 0 {
            report.notCarried.append(
                "\(writer.replacedCharacters) control character(s) in names, memos or descriptions, which XML cannot hold (written as \u{FFFD})")
        }
        return (report, files, date)
    }

    /// A selection to write: a range of a source with its codings and memos.
    struct Selection {
        var guid: String
        var name: String
        var start: Int
        var end: Int
        var coderGUID: String?
        var created: String?
        var codings: [Coding] = []
        var notes: [String] = []
    }

    struct Coding {
        var guid: String
        var codeGUID: String
        var coderGUID: String?
        var created: String
        var notes: [String]
    }

    /// The selections of a source: one per range that is coded, belongs to a case's speaker or
    /// carries a segment memo; several codings of one range share its selection.
    private func selections(
        of sourceID: Int64, sourceGUID: String, text: String, length: Int, notesOn: [NoteTarget: [String]],
        coderGUID: [Int64: String], notes: inout [Note]
    ) throws -> [Selection] {
        var byRange: [Int64: Selection] = [:]
        let scalars = Array(text.unicodeScalars)
        func key(_ start: Int, _ end: Int) -> Int64 { Int64(start) << 32 | Int64(end) }
        func selection(_ start: Int, _ end: Int) throws -> Selection {
            guard 0 <= start, start <= end, end <= length, length == scalars.count else {
                throw QuillError.exportInvalid(
                    path: "project.qde",
                    problems: ["a selection \(start)-\(end) of a source \(length) characters long lies outside its text"], total: 1)
            }
            if let existing = byRange[key(start, end)] { return existing }
            var name = String(String.UnicodeScalarView(scalars[start..<min(end, start + 60)]))
            name = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if end - start > 60 { name += "…" }
            return Selection(guid: REFI.selectionGUID(sourceGUID: sourceGUID, start: start, end: end), name: name, start: start, end: end)
        }
        // The codings come in the order of their ranges, so a range's selection is built in
        // one go; the columns are read by index, which costs less than by name.
        let codings = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id, c.guid, c.start, c."end", c.coderId, c.createdAt, c.memo, k.guid AS codeGUID
                FROM coding c JOIN code k ON k.id = c.codeId WHERE c.sourceId = ? ORDER BY c.start, c."end", c.createdAt, c.guid
                """, arguments: [sourceID])
        var current: Selection?
        while let row = try codings.next() {
            let start: Int = row[2]
            let end: Int = row[3]
            if current == nil || current!.start != start || current!.end != end {
                if let finished = current { byRange[key(finished.start, finished.end)] = finished }
                current = try selection(start, end)
            }
            let codingID: Int64 = row[0]
            let guid: String = row[1]
            let created: String = row[5]
            var codingNotes = notesOn[NoteTarget(kind: "coding", id: codingID)] ?? []
            let coder = (row[4] as Int64?).flatMap { coderGUID[$0] }
            if let memo = row[6] as String?, !memo.isEmpty {
                let note = REFI.codingMemoGUID(codingGUID: guid)
                notes.append(Note(guid: note, title: nil, text: memo, coderGUID: coder, created: created, modified: nil))
                codingNotes.insert(note, at: 0)
            }
            current!.codings.append(Coding(guid: guid, codeGUID: row[7], coderGUID: coder, created: created, notes: codingNotes))
            if current!.created == nil || created < current!.created! {
                current!.created = created
                current!.coderGUID = coder
            }
        }
        if let finished = current { byRange[key(finished.start, finished.end)] = finished }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT id, start, "end", caseId FROM segment WHERE sourceId = ? ORDER BY start
                """, arguments: [sourceID])
        {
            let memos = notesOn[NoteTarget(kind: "segment", id: row["id"])] ?? []
            guard row["caseId"] != nil || !memos.isEmpty else { continue }
            var item = try selection(row["start"], row["end"])
            item.notes.append(contentsOf: memos)
            byRange[key(item.start, item.end)] = item
        }
        return byRange.values.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    /// The codes under a parent, each with its description and memos.
    static func writeCodes(
        _ tree: CodeTree, parent: Int64?, writer: XMLStreamWriter, notes: [Int64: [String]],
        report: inout REFIExportReport
    ) throws {
        for id in tree.children(of: parent) {
            guard let code = tree.code(id) else { continue }
            try writer.start(
                "Code",
                [
                    "guid": code.guid, "name": code.name, "isCodable": code.isCodable ? "true" : "false",
                    "color": code.color,
                ])
            let description = CodeDescription(
                definition: code.definition, include: code.include, exclude: code.exclude,
                examples: code.examples, keywords: code.keywords, rules: code.rules)
            try writer.element("Description", text: description.text)
            for note in notes[id] ?? [] { try writer.empty("NoteRef", ["targetGUID": note]) }
            try writeCodes(tree, parent: id, writer: writer, notes: notes, report: &report)
            try writer.end()
        }
    }

    /// What the project holds that REFI-QDA has no place for.
    private func notCarried() throws -> [String] {
        var lines: [String] = []
        let timed = try Int.fetchOne(db, sql: "SELECT count(*) FROM segment WHERE startTime IS NOT NULL") ?? 0
        if timed > 0 {
            lines.append("the cue times of \(timed) caption segments (the text keeps any times written in it)")
        }
        let roles = try Int.fetchOne(db, sql: "SELECT count(DISTINCT speakerRole) FROM segment WHERE speakerRole IS NOT NULL") ?? 0
        if roles > 0 {
            lines.append("speaker roles on segments (each case keeps its 'role' attribute)")
        }
        let interviewers = try Int.fetchOne(db, sql: "SELECT count(*) FROM studyCase WHERE isInterviewer = 1") ?? 0
        if interviewers > 0 {
            lines.append("which \(interviewers) case(s) are interviewers (Quill finds them again from the speaker labels on import)")
        }
        let history = try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? 0
        if history > 0 {
            lines.append("the project's history (\(history) change\(history == 1 ? "" : "s")) and undo")
        }
        return lines
    }
}
