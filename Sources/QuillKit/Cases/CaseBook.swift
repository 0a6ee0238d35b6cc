import CSV
import Foundation
import GRDB

/// A case as `quill cases list` shows it.
public struct CaseSummary: Equatable, Sendable {
    /// The case's name.
    public var name: String
    /// Whether the case is an interviewer.
    public var isInterviewer: Bool
    /// The sources it speaks in or belongs to, in import order.
    public var sources: [String]
    /// The number of segments it speaks.
    public var segments: Int
    /// Its attributes, by name, in the order the attributes were defined.
    public var attributes: [(name: String, value: String)]

    public static func == (lhs: CaseSummary, rhs: CaseSummary) -> Bool {
        lhs.name == rhs.name && lhs.isInterviewer == rhs.isInterviewer && lhs.sources == rhs.sources
            && lhs.segments == rhs.segments && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }
}

/// What importing case attributes did.
public struct CaseAttributeReport: Equatable, Sendable {
    /// The attributes of the file with their types.
    public var attributes: [String: AttributeType] = [:]
    /// Cases that got at least one value.
    public var cases = 0
    /// Values set or changed.
    public var values = 0
    /// Rows whose case the project does not have; they are skipped.
    public var unknownCases: [String] = []
}

/// A speaker of a source.
public struct SpeakerSummary: Equatable, Sendable {
    /// The speaker's name as the transcript writes it.
    public var name: String
    /// The case it belongs to.
    public var caseName: String
    /// Whether the case is an interviewer.
    public var isInterviewer: Bool
    /// How many segments it speaks in the source.
    public var segments: Int
}

/// The cases of a project: listing them, their attributes and the speakers behind them.
public struct CaseBook: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Every case with its sources, segments and attributes, by name.
    public func cases() throws -> [CaseSummary] {
        try project.read { db in
            var attributes: [Int64: [(name: String, value: String)]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT v.caseId, a.name, v.value FROM caseAttribute v JOIN attribute a ON a.id = v.attributeId ORDER BY a.id
                    """)
            {
                attributes[row["caseId"], default: []].append((row["name"], row["value"]))
            }
            var sources: [Int64: [String]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT caseId, name FROM (
                        SELECT DISTINCT g.caseId, s.id, s.name FROM segment g JOIN source s ON s.id = g.sourceId WHERE g.caseId IS NOT NULL
                        UNION SELECT m.caseId, s.id, s.name FROM caseSource m JOIN source s ON s.id = m.sourceId
                    ) ORDER BY caseId, id
                    """)
            {
                sources[row["caseId"], default: []].append(row["name"])
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT k.id, k.name, k.isInterviewer, (SELECT count(*) FROM segment g WHERE g.caseId = k.id) AS segments
                    FROM studyCase k ORDER BY k.name COLLATE NOCASE
                    """
            ).map { row in
                let id: Int64 = row["id"]
                return CaseSummary(
                    name: row["name"], isInterviewer: row["isInterviewer"], sources: sources[id] ?? [],
                    segments: row["segments"], attributes: attributes[id] ?? [])
            }
        }
    }

    /// The case a user means, by name, case-insensitively.
    public func resolveCase(_ name: String) throws -> CaseSummary {
        let all = try cases()
        if let match = all.first(where: { $0.name.lowercased() == name.lowercased() }) { return match }
        let close = all.filter {
            $0.name.lowercased().contains(name.lowercased()) || EditDistance.between($0.name.lowercased(), name.lowercased()) <= 2
        }
        throw QuillError.refused(
            "No case is called '\(name)'."
                + (close.isEmpty ? "" : " Did you mean " + close.prefix(3).map { "'\($0.name)'" }.joined(separator: " or ") + "?"),
            remedy: .listCases)
    }

    /// Sets case attributes from CSV: one row per case, the case's name in the first column and
    /// one attribute per other column.
    ///
    /// Types are inferred from the values (integer, float, boolean, date, datetime, else text)
    /// unless `types` names one; an attribute the project already has keeps its type and every
    /// value must fit it. Rows whose case the project does not have are reported and skipped,
    /// never turned into new cases. Empty cells set nothing. The whole file is checked before
    /// anything changes.
    /// - Throws: `QuillError.badInput` naming the row and column of the first problem.
    public func importCaseAttributes(
        csv text: String, path: String, types: [String: AttributeType] = [:],
        actor: Actor
    ) throws -> CaseAttributeReport {
        let (header, rows) = try CaseAttributeFile.parse(text, path: path)
        for name in types.keys where !header.dropFirst().contains(where: { $0.lowercased() == name.lowercased() }) {
            throw QuillError.unknownTypedColumn(path: path, column: name, columns: Array(header.dropFirst()))
        }
        return try project.change(actor) { db in
            var report = CaseAttributeReport()
            let known = Dictionary(
                try Row.fetchAll(db, sql: "SELECT id, name FROM studyCase").map {
                    (($0["name"] as String).lowercased(), $0["id"] as Int64)
                }, uniquingKeysWith: { first, _ in first })
            var columnTypes: [AttributeType] = []
            for (column, name) in header.enumerated().dropFirst() {
                let values = rows.map { $0.cells[column] }
                let existing = try String.fetchOne(db, sql: "SELECT type FROM attribute WHERE name = ?", arguments: [name])
                    .flatMap(AttributeType.init(rawValue:))
                let override = types.first { $0.key.lowercased() == name.lowercased() }?.value
                if let existing, let override, existing != override {
                    throw QuillError.badInputRemedied(
                        path: path, problem: "the attribute '\(name)' is \(existing.rawValue) in the project, not \(override.rawValue)",
                        remedy: .dropTypeOverride(attribute: name, type: override.rawValue))
                }
                let type = existing ?? override ?? AttributeType.infer(values)
                for row in rows where !row.cells[column].trimmingCharacters(in: .whitespaces).isEmpty && type.normalize(row.cells[column]) == nil {
                    let problem = "row \(row.line), column '\(name)': '\(row.cells[column])' is not \(type == .integer ? "an" : "a") \(type.rawValue)"
                    throw existing != nil
                        ? QuillError.badInput(
                            path: path, problem: problem, remedy: "The project already holds '\(name)' as \(type.rawValue); fix the value.")
                        : QuillError.badInputRemedied(path: path, problem: problem, remedy: .fixValueOrText(attribute: name))
                }
                columnTypes.append(type)
                report.attributes[name] = type
            }
            var seenCases = Set<Int64>()
            for row in rows {
                let caseName = row.cells[0].trimmingCharacters(in: .whitespaces)
                guard let caseID = known[caseName.lowercased()] else {
                    report.unknownCases.append(caseName)
                    continue
                }
                var changed = false
                for (offset, name) in header.enumerated().dropFirst() {
                    let raw = row.cells[offset]
                    guard !raw.trimmingCharacters(in: .whitespaces).isEmpty, let value = columnTypes[offset - 1].normalize(raw) else { continue }
                    let cases = CaseTable(db)
                    let attributeID = try cases.attributeID(named: name, type: columnTypes[offset - 1])
                    guard try cases.value(of: attributeID, for: .studyCase(caseID)) != value else { continue }
                    try cases.setValue(value, of: attributeID, for: .studyCase(caseID))
                    report.values += 1
                    changed = true
                }
                if changed && seenCases.insert(caseID).inserted { report.cases += 1 }
            }
            let summary = "set \(report.values) attribute value(s) on \(report.cases) case(s) from \(URL(fileURLWithPath: path).lastPathComponent)"
            return (report, report.values == 0 ? nil : summary)
        }
    }

    /// The speakers of a source, in order of first appearance.
    public func speakers(ofSource sourceID: Int64) throws -> [SpeakerSummary] {
        try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.speaker, k.name AS caseName, k.isInterviewer, count(*) AS segments, min(g.number) AS first
                    FROM segment g JOIN studyCase k ON k.id = g.caseId WHERE g.sourceId = ?
                    GROUP BY g.speaker, k.id ORDER BY first
                    """, arguments: [sourceID]
            ).map {
                SpeakerSummary(name: $0["speaker"], caseName: $0["caseName"], isInterviewer: $0["isInterviewer"], segments: $0["segments"])
            }
        }
    }

    /// Renames speakers of one source and marks their cases as interviewers or participants,
    /// all in one change: if any speaker is unknown, nothing changes.
    ///
    /// A renamed speaker's segments move to the case of the new name (created if needed, an
    /// interviewer if the old one was); when the old case was this speaker alone and the new
    /// name is free, the case itself is renamed, keeping its attributes. The interviewer mark
    /// belongs to the case, so it holds in every source the case speaks in.
    public func editSpeakers(
        sourceID: Int64, renames: [(from: String, to: String)], roles: [(speaker: String, isInterviewer: Bool)],
        actor: Actor
    ) throws {
        try project.change(actor) { db in
            let source = try String.fetchOne(db, sql: "SELECT name FROM source WHERE id = ?", arguments: [sourceID]) ?? "?"
            var done: [String] = []
            for rename in renames {
                let newName = rename.to.trimmingCharacters(in: .whitespaces)
                guard !newName.isEmpty else { throw QuillError.invalidArgument("The new name for '\(rename.from)' is empty.") }
                let row = try speakerRow(db, sourceID: sourceID, source: source, speaker: rename.from)
                try renameSpeaker(db, sourceID: sourceID, row: row, from: rename.from, to: newName)
                done.append("renamed '\(row["speaker"] as String)' to '\(newName)'")
            }
            for role in roles {
                let row = try speakerRow(db, sourceID: sourceID, source: source, speaker: role.speaker)
                if try CaseTable(db).setInterviewer(role.isInterviewer, ofCase: row["caseId"]) {
                    done.append("marked '\(row["speaker"] as String)' as \(role.isInterviewer ? "an interviewer" : "a participant")")
                }
            }
            return ((), done.isEmpty ? nil : done.joined(separator: ", ") + " in \(source)")
        }
    }

    private func speakerRow(_ db: Database, sourceID: Int64, source: String, speaker: String) throws -> Row {
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT g.speaker, g.caseId, k.isInterviewer FROM segment g JOIN studyCase k ON k.id = g.caseId
                WHERE g.sourceId = ? AND g.speaker = ? COLLATE NOCASE LIMIT 1
                """, arguments: [sourceID, speaker.trimmingCharacters(in: .whitespaces)])
        {
            return row
        }
        let names = try String.fetchAll(
            db,
            sql: """
                SELECT speaker FROM segment WHERE sourceId = ? AND speaker IS NOT NULL GROUP BY speaker ORDER BY min(number)
                """, arguments: [sourceID])
        throw QuillError.invalidArgument(
            "\(source) has no speaker called '\(speaker)'. "
                + (names.isEmpty ? "It has no speakers." : "Its speakers: \(names.joined(separator: ", ")).") + " Nothing was changed.")
    }

    private func renameSpeaker(_ db: Database, sourceID: Int64, row: Row, from old: String, to newName: String) throws {
        let oldCase: Int64 = row["caseId"]
        let isOnlyHere =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM segment WHERE caseId = ? AND NOT (sourceId = ? AND speaker = ? COLLATE NOCASE)
                    """, arguments: [oldCase, sourceID, old]) == 0
        let nameIsFree = try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = ? AND id <> ?", arguments: [newName, oldCase]) == nil
        if isOnlyHere && nameIsFree {
            // The case is this speaker alone: rename it, keeping its attributes and GUID.
            try CaseTable(db).renameCase(oldCase, to: newName)
            try SegmentTable(db).renameSpeaker(old, to: newName, inSource: sourceID)
            return
        }
        let caseID = try CaseTable(db).caseID(named: newName, isInterviewer: row["isInterviewer"])
        try SegmentTable(db).renameSpeaker(old, to: newName, inSource: sourceID, caseID: caseID)
        guard isOnlyHere else { return }
        // The old case has nothing left: its attributes go to the new case where it has none.
        try CaseTable(db).handOver(fromCase: oldCase, toCase: caseID)
        let hasMemos =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM memo WHERE targetKind = 'case' AND targetId = ?", arguments: [oldCase]) ?? 0 > 0
        if !hasMemos {
            try CaseTable(db).deleteCase(oldCase)
        }
    }
}

/// A CSV file of case attributes.
package enum CaseAttributeFile {
    package struct Row {
        var line: Int
        var cells: [String]
    }

    /// The header and rows of the file, checked: a header with unique, non-empty names, every
    /// row as long as the header, every case named once.
    package static func parse(_ text: String, path: String) throws -> (header: [String], rows: [Row]) {
        let (header, lines) = try CSVFile.read(text, path: path) { header in
            guard header.count >= 2 else {
                if text.split(separator: "\n").first?.contains(";") == true {
                    throw QuillError.badInput(
                        path: path, problem: "its values are separated by semicolons, not commas",
                        remedy: "Save it as comma-separated CSV (in Excel: CSV UTF-8 (Comma delimited)).")
                }
                throw QuillError.badInput(
                    path: path, problem: "the first row must name the case column and at least one attribute",
                    remedy: "Write a header such as 'case,role,organisation,years in post'.")
            }
        }
        var rows: [Row] = []
        var cases = Set<String>()
        for row in lines {
            let name = row.cells[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw QuillError.badInput(path: path, problem: "row \(row.line) names no case", remedy: "Put the case's name in the first column.")
            }
            guard cases.insert(name.lowercased()).inserted else {
                throw QuillError.badInput(
                    path: path, problem: "row \(row.line) names the case '\(name)' a second time", remedy: "Give each case one row.")
            }
            rows.append(Row(line: row.line, cells: row.cells))
        }
        return (header, rows)
    }
}
