public import Foundation
import GRDB

/// Everything a project holds that another project can take in, independent of row ids: codes
/// by GUID and path, sources by SHA-256, cases by name, codings and memos pointing at those.
///
/// `ProjectMerger.merge` takes one of these, so any reader (another Quill project, a REFI-QDA
/// file) can feed a merge.
public struct ProjectContents: Sendable, Equatable {
    /// A code, with its place in the other project's tree.
    public struct PlacedCode: Sendable, Equatable {
        /// The code as the other project stores it; its ids are that project's.
        public var code: Code
        /// The names from the root down to the code.
        public var path: [String]
        /// The parent's GUID; nil at the top level.
        package var parentGUID: String?

        public var guid: String { code.guid }

        package init(_ code: Code, path: [String], parentGUID: String?) {
            self.code = code
            self.path = path
            self.parentGUID = parentGUID
        }
    }

    /// A segment of a source.
    public struct Segment: Sendable, Equatable {
        public var number: Int
        public var kind: String
        public var span: TextSpan
        public var turn: Int?
        public var speaker: String?
        package var speakerRole: String?
        /// The speaker's case, by name.
        public var caseName: String?
        public var startTime: Double?
        public var endTime: Double?
    }

    /// A source with its segments.
    public struct Source: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var fileName: String
        public var format: String
        /// The SHA-256 of the original file: what identifies the source across projects.
        package var sha256: String
        package var byteCount: Int
        /// The canonical text.
        public var text: String
        public var segmentation: String
        package var importedAt: String
        public var segments: [Segment]
        /// Source attribute values by attribute name.
        public var attributes: [String: String]
    }

    /// A case or source attribute.
    public struct Attribute: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var type: AttributeType
        public var description: String?
    }

    /// A case.
    public struct Case: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var description: String?
        public var isInterviewer: Bool
        /// Attribute values by attribute name.
        public var attributes: [String: String]
        /// The sources (by SHA-256) the case belongs to as a group.
        public var sources: [String]
    }

    /// A coding.
    public struct Coding: Sendable, Equatable {
        public var guid: String
        package var codeGUID: String
        package var sourceSHA256: String
        public var span: TextSpan
        public var coder: String
        public var createdAt: String
        public var memo: String?
    }

    /// What a memo is on.
    public enum MemoTarget: Sendable, Equatable {
        case project
        case source(sha256: String)
        case segment(sha256: String, span: TextSpan)
        case code(guid: String)
        case studyCase(name: String)
        case coding(guid: String)
    }

    /// A memo.
    public struct Memo: Sendable, Equatable {
        public var guid: String
        public var target: MemoTarget
        public var title: String?
        public var text: String
        public var coder: String?
        public var createdAt: String
        public var updatedAt: String
    }

    /// Where the contents came from, for messages.
    public var origin: String
    /// The codes, parents before their children.
    public var codes: [PlacedCode]
    public var attributes: [Attribute]
    public var cases: [Case]
    public var sources: [Source]
    public var codings: [Coding]
    public var memos: [Memo]
}

extension ProjectContents {
    /// Reads another project file without writing a byte of it or beside it: it is read into
    /// memory (`readCopy(of:)`: opened read-only, its structure checked, brought up to date
    /// there if an older Quill wrote it), checked as `check()` checks a project, and read.
    /// - Throws: `QuillError.badInput` when the file is not a Quill project, `damagedProject`
    ///   when it fails the checks, `untrustedStructure` when its structure is not Quill's.
    public static func load(ofProjectAt url: URL) throws -> ProjectContents {
        let store: ProjectDatabase
        do {
            store = try ProjectDatabase.readCopy(of: url)
        } catch QuillError.notAProject(_, let reason) {
            throw QuillError.badInput(
                path: url.relativePath, problem: "this is not a Quill project: \(reason)",
                remedy: "Give the project file (.quill) of another Quill project. Nothing was changed.")
        }
        // A damaged project's rows would become this project's: none of it is taken in.
        let problems = try IntegrityCheck(store).check()
        guard problems.isEmpty else {
            throw QuillError.damagedProject(path: url.relativePath, problems: problems.map { "\($0.check): \($0.message)" })
        }
        var contents = try load(store)
        contents.origin = url.path
        return contents
    }

    /// Everything this project holds that another can take in.
    public static func load(_ project: ProjectDatabase) throws -> ProjectContents {
        try project.read { db in
            let tree = try CodeTree.load(db)
            let guids = Dictionary(uniqueKeysWithValues: tree.codes.map { ($0.id, $0.guid) })
            let codes = tree.codes.map { code in
                ProjectContents.PlacedCode(code, path: tree.path(of: code.id), parentGUID: code.parentID.flatMap { guids[$0] })
            }
            let attributes = try Row.fetchAll(db, sql: "SELECT * FROM attribute ORDER BY name COLLATE NOCASE").map {
                ProjectContents.Attribute(
                    guid: $0["guid"], name: $0["name"], type: AttributeType(rawValue: $0["type"]) ?? .text,
                    description: $0["description"])
            }
            var shaOf: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, sha256 FROM source") { shaOf[row["id"]] = row["sha256"] }
            var caseNames: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM studyCase") { caseNames[row["id"]] = row["name"] }
            func attributeValues(_ table: String, _ key: String) throws -> [Int64: [String: String]] {
                var values: [Int64: [String: String]] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT v.\(key) AS owner, a.name, v.value FROM \(table) v JOIN attribute a ON a.id = v.attributeId")
                {
                    values[row["owner"], default: [:]][row["name"]] = row["value"]
                }
                return values
            }
            let caseValues = try attributeValues("caseAttribute", "caseId")
            let sourceValues = try attributeValues("sourceAttribute", "sourceId")
            var groups: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT caseId, sourceId FROM caseSource ORDER BY sourceId") {
                if let sha = shaOf[row["sourceId"]] { groups[row["caseId"], default: []].append(sha) }
            }
            let cases = try Row.fetchAll(db, sql: "SELECT * FROM studyCase ORDER BY id").map { row in
                let id: Int64 = row["id"]
                return ProjectContents.Case(
                    guid: row["guid"], name: row["name"], description: row["description"],
                    isInterviewer: row["isInterviewer"], attributes: caseValues[id] ?? [:], sources: groups[id] ?? [])
            }
            var segments: [Int64: [ProjectContents.Segment]] = [:]
            var segmentSpans: [Int64: (String, TextSpan)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM segment ORDER BY sourceId, number") {
                let sourceID: Int64 = row["sourceId"]
                let span = TextSpan(start: row["start"], end: row["end"])
                segmentSpans[row["id"]] = (shaOf[sourceID] ?? "", span)
                segments[sourceID, default: []].append(
                    ProjectContents.Segment(
                        number: row["number"], kind: row["kind"], span: span, turn: row["turn"], speaker: row["speaker"],
                        speakerRole: row["speakerRole"], caseName: (row["caseId"] as Int64?).flatMap { caseNames[$0] },
                        startTime: row["startTime"], endTime: row["endTime"]))
            }
            let sources = try Row.fetchAll(db, sql: "SELECT * FROM source ORDER BY id").map { row in
                let id: Int64 = row["id"]
                return ProjectContents.Source(
                    guid: row["guid"], name: row["name"], fileName: row["fileName"], format: row["format"],
                    sha256: row["sha256"], byteCount: row["byteCount"], text: row["text"],
                    segmentation: row["segmentation"], importedAt: row["importedAt"],
                    segments: segments[id] ?? [], attributes: sourceValues[id] ?? [:])
            }
            var codingGUIDs: [Int64: String] = [:]
            let codings = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, k.guid AS codeGuid, d.name AS coder FROM coding c JOIN code k ON k.id = c.codeId JOIN coder d ON d.id = c.coderId
                    ORDER BY c.sourceId, c.start, c."end", c.codeId, c.coderId
                    """
            ).map { row in
                codingGUIDs[row["id"]] = row["guid"]
                return ProjectContents.Coding(
                    guid: row["guid"], codeGUID: row["codeGuid"], sourceSHA256: shaOf[row["sourceId"]] ?? "",
                    span: TextSpan(start: row["start"], end: row["end"]), coder: row["coder"],
                    createdAt: row["createdAt"], memo: row["memo"])
            }
            let memos = try Row.fetchAll(db, sql: "SELECT m.*, d.name AS coder FROM memo m LEFT JOIN coder d ON d.id = m.coderId ORDER BY m.id")
                .compactMap { row -> ProjectContents.Memo? in
                    let kind: String = row["targetKind"]
                    let id: Int64? = row["targetId"]
                    let target: ProjectContents.MemoTarget?
                    switch kind {
                    case "project": target = .project
                    case "source": target = id.flatMap { shaOf[$0] }.map { .source(sha256: $0) }
                    case "segment": target = id.flatMap { segmentSpans[$0] }.map { .segment(sha256: $0.0, span: $0.1) }
                    case "code": target = id.flatMap { guids[$0] }.map { .code(guid: $0) }
                    case "case": target = id.flatMap { caseNames[$0] }.map { .studyCase(name: $0) }
                    case "coding": target = id.flatMap { codingGUIDs[$0] }.map { .coding(guid: $0) }
                    default: target = nil
                    }
                    guard let target else { return nil }
                    return ProjectContents.Memo(
                        guid: row["guid"], target: target, title: row["title"], text: row["text"],
                        coder: row["coder"], createdAt: row["createdAt"], updatedAt: row["updatedAt"])
                }
            return ProjectContents(
                origin: project.displayPath, codes: codes, attributes: attributes, cases: cases, sources: sources,
                codings: codings, memos: memos)
        }
    }
}
