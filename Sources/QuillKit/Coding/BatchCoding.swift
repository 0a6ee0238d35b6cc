import Foundation
import GRDB

/// One coding as a row of the tidy codings table, the shape `quill codings export` writes and
/// `quill code --from` reads.
public struct CodingRecord: Equatable, Sendable {
    public var source: String
    /// The number of the segment the coding lies in, when it lies inside exactly one.
    public var segment: Int?
    public var start: Int
    public var end: Int
    public var code: String
    public var coder: String
    public var memo: String?
    public var speaker: String?
    public var text: String
}

/// A row of a codings file, as typed: what to code, and the line it is on.
public struct CodingFileRow: Equatable, Sendable {
    public var line: Int
    public var source: String
    /// Segment numbers and ranges such as `3-7,12`; nil when the row gives `start` and `end`.
    public var segments: String?
    public var start: Int?
    public var end: Int?
    public var code: String
    public var coder: String?
    public var memo: String?
}

/// The tidy codings table: its columns, and reading and writing it as CSV or JSON Lines.
public enum CodingFile {
    /// The columns, in the order they are written.
    public static let columns = ["source", "segment", "start", "end", "code", "coder", "memo", "speaker", "text"]

    /// The records as CSV (RFC 4180, CRLF line ends) with a header row.
    public static func csv(_ records: [CodingRecord]) -> String {
        var lines = [columns.joined(separator: ",")]
        for record in records {
            lines.append(
                [
                    record.source, record.segment.map(String.init) ?? "", String(record.start), String(record.end), record.code,
                    record.coder, record.memo ?? "", record.speaker ?? "", record.text,
                ].map(CSVFile.field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The records as JSON Lines: one object per line with the CSV's keys, numbers as numbers
    /// and missing values as null.
    public static func jsonl(_ records: [CodingRecord]) -> String {
        records.map { record in
            let values: [String] = [
                JSON.string(record.source), record.segment.map(String.init) ?? "null", String(record.start),
                String(record.end), JSON.string(record.code), JSON.string(record.coder),
                record.memo.map(JSON.string) ?? "null", record.speaker.map(JSON.string) ?? "null",
                JSON.string(record.text),
            ]
            return "{" + zip(columns, values).map { "\(JSON.string($0)): \($1)" }.joined(separator: ", ") + "}\n"
        }.joined()
    }

    /// The rows of a codings file: JSON Lines when the name ends in `.jsonl` (or `.ndjson`), else CSV.
    /// - Throws: `QuillError.badInput` naming the file and the line of a malformed row.
    public static func parse(_ text: String, path: String) throws -> [CodingFileRow] {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "jsonl" || ext == "ndjson" ? try parseJSONL(text, path: path) : try parseCSV(text, path: path)
    }

    private static func parseCSV(_ text: String, path: String) throws -> [CodingFileRow] {
        let (header, rows) = try CSVFile.read(text, path: path) { header in
            if header.count == 1, header[0].contains(";") {
                throw QuillError.badInput(
                    path: path, problem: "its values are separated by semicolons, not commas",
                    remedy: "Save it as comma-separated CSV (in Excel: CSV UTF-8 (Comma delimited)).")
            }
        }
        let index = Dictionary(header.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        try checkColumns(Set(index.keys), path: path)
        return try rows.map { row in
            try makeRow(line: row.line, path: path) { key in
                index[key].map { row.cells[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
        }
    }

    private static func parseJSONL(_ text: String, path: String) throws -> [CodingFileRow] {
        var rows: [CodingFileRow] = []
        var keys = Set<String>()
        var objects: [(Int, [String: String])] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                throw QuillError.badInput(
                    path: path, problem: "line \(offset + 1) is not a JSON object",
                    remedy: "Write one object per line, such as {\"source\": \"interview-03\", \"segment\": 12, \"code\": \"Evidence\"}.")
            }
            var values: [String: String] = [:]
            for (key, value) in object {
                let key = key.lowercased()
                keys.insert(key)
                switch value {
                case let text as String:
                    let text = text.trimmingCharacters(in: .whitespaces)
                    if !text.isEmpty { values[key] = text }
                case let number as NSNumber:
                    values[key] = number.stringValue
                case is NSNull:
                    break
                default:
                    throw QuillError.badInput(
                        path: path, problem: "line \(offset + 1) gives '\(key)' a value that is not text, a number or null",
                        remedy: "Write text in quotes and numbers as numbers.")
                }
            }
            objects.append((offset + 1, values))
        }
        if !objects.isEmpty { try checkColumns(keys, path: path) }
        for (line, values) in objects {
            rows.append(try makeRow(line: line, path: path) { values[$0] })
        }
        return rows
    }

    private static func checkColumns(_ keys: Set<String>, path: String) throws {
        for required in ["source", "code"] where !keys.contains(required) {
            throw QuillError.badInput(
                path: path, problem: "there is no '\(required)' column",
                remedy: "Give the columns source, code, and segment or start and end (coder and memo are optional).")
        }
        if !keys.contains("segment") && !(keys.contains("start") && keys.contains("end")) {
            throw QuillError.badInput(
                path: path, problem: "there is neither a 'segment' column nor 'start' and 'end' columns",
                remedy: "Say where each coding goes: a segment number (or range such as 3-7,12), or start and end offsets.")
        }
    }

    private static func makeRow(line: Int, path: String, _ value: (String) -> String?) throws -> CodingFileRow {
        func fail(_ problem: String, _ remedy: String) -> QuillError {
            QuillError.badInput(path: path, problem: "line \(line): \(problem)", remedy: remedy)
        }
        guard let source = value("source") else {
            throw QuillError.badInputRemedied(path: path, problem: "line \(line): the source is empty", remedy: .nameSource)
        }
        guard let code = value("code") else { throw fail("the code is empty", "Name a code by its path or a unique name.") }
        func offset(_ key: String) throws -> Int? {
            guard let text = value(key) else { return nil }
            guard let number = Int(text), number >= 0 else {
                throw fail("'\(text)' is not an offset for '\(key)'", "Offsets are whole numbers of characters from 0.")
            }
            return number
        }
        let start = try offset("start"), end = try offset("end")
        var segments = value("segment")
        if start != nil || end != nil {
            guard start != nil, end != nil else { throw fail("give both start and end, or neither", "Give both offsets, or only a segment.") }
            // An exported row has both; its offsets are the exact span and win over the segment.
            segments = nil
        } else if segments == nil {
            throw fail("there is neither a segment nor start and end", "Give a segment number (or range such as 3-7,12), or start and end offsets.")
        }
        return CodingFileRow(
            line: line, source: source, segments: segments, start: start, end: end, code: code,
            coder: value("coder"), memo: value("memo"))
    }
}

/// Codes from a file of codings, and lists codings as records.
public struct BatchCoding: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Every coding as a row of the tidy table, in reading order: source (as imported), start,
    /// end, code path, coder.
    /// - Parameters:
    ///   - coders: only these coders' codings; empty for every coder's.
    ///   - sourceIDs: only these sources; empty for every source.
    public func codingRecords(coders: [String] = [], sourceIDs: [Int64] = []) throws -> [CodingRecord] {
        try project.read { db in
            let tree = try CodeTree.load(db)
            let coderSet = Set(coders), sourceSet = Set(sourceIDs)
            var records: [CodingRecord] = []
            let sources = try Row.fetchAll(db, sql: "SELECT id, name, text FROM source ORDER BY id")
            for source in sources {
                let sourceID: Int64 = source["id"]
                if !sourceSet.isEmpty && !sourceSet.contains(sourceID) { continue }
                let text = ScalarText(source["text"])
                let segments = try Row.fetchAll(
                    db, sql: "SELECT number, start, \"end\", speaker FROM segment WHERE sourceId = ? ORDER BY start",
                    arguments: [sourceID])
                let codings = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.codeId, c.start, c."end", c.memo, d.name AS coder FROM coding c JOIN coder d ON d.id = c.coderId
                        WHERE c.sourceId = ?
                        """, arguments: [sourceID])
                var rows: [CodingRecord] = []
                for coding in codings {
                    let coder: String = coding["coder"]
                    if !coderSet.isEmpty && !coderSet.contains(coder) { continue }
                    let start: Int = coding["start"], end: Int = coding["end"]
                    let containing = segments.filter { ($0["start"] as Int) <= start && ($0["end"] as Int) >= end }
                    let segment = containing.count == 1 ? containing[0] : nil
                    rows.append(
                        CodingRecord(
                            source: source["name"], segment: segment?["number"], start: start, end: end,
                            code: tree.displayPath(of: coding["codeId"]), coder: coder, memo: coding["memo"],
                            speaker: segment?["speaker"], text: text[TextSpan(start: start, end: end)]))
                }
                rows.sort { ($0.start, $0.end, $0.code, $0.coder) < ($1.start, $1.end, $1.code, $1.coder) }
                records += rows
            }
            return records
        }
    }

    /// Adds the codings of a codings file, all or none: every row is checked first, and one
    /// history entry records them. A coding the coder already has counts as unchanged.
    /// - Parameters:
    ///   - rows: the file's rows.
    ///   - file: the file's name, for messages and the history.
    ///   - actor: who adds them; rows without a coder are coded as this actor's coder.
    /// - Throws: `QuillError.badInput` naming the file and the line of the first bad row.
    public func code(rows: [CodingFileRow], file: String, actor: Actor) throws -> CodingReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let sources = try Row.fetchAll(db, sql: "SELECT id, name, fileName, length FROM source ORDER BY id")
            struct Planned { var sourceID: Int64; var span: TextSpan; var codeID: Int64; var coder: String; var memo: String? }
            var planned: [Planned] = []
            var segmentCache: [Int64: [Int: TextSpan]] = [:]
            // A file names the same sources and codes again and again: each is looked up once.
            var sourceCache: [String: Row] = [:]
            var codeCache: [String: Code] = [:]
            for row in rows {
                func fail(_ problem: String, _ remedy: String = "Nothing was changed; correct the row and run the command again.") -> QuillError {
                    QuillError.badInput(path: file, problem: "line \(row.line): \(problem)", remedy: remedy)
                }
                func failed(_ error: any Error) -> QuillError {
                    guard let error = error as? QuillError else {
                        return fail(QuillError.sentence((error as? any LocalizedError)?.errorDescription ?? "\(error)"))
                    }
                    return QuillError.badInputCause(
                        path: file, place: "line \(row.line): ", cause: error,
                        remedy: "Nothing was changed; correct the row and run the command again.")
                }
                let folded = row.source.lowercased()
                guard
                    let source = sourceCache[row.source] ?? sources.first(where: { ($0["name"] as String) == row.source })
                        ?? sources.first(where: { ($0["name"] as String).lowercased() == folded || ($0["fileName"] as String).lowercased() == folded }
                        )
                else {
                    let close = sources.map { $0["name"] as String }.filter { $0.lowercased().contains(folded) || folded.contains($0.lowercased()) }
                    throw QuillError.badInputRemedied(
                        path: file,
                        problem: "line \(row.line): there is no source called '\(row.source)'"
                            + (close.isEmpty ? "" : " (did you mean '\(close[0])'?)"), remedy: .listSourcesNothingChanged)
                }
                sourceCache[row.source] = source
                let sourceID: Int64 = source["id"]
                let code: Code
                if let known = codeCache[row.code] {
                    code = known
                } else {
                    do { code = try tree.resolve(row.code) } catch { throw failed(error) }
                    codeCache[row.code] = code
                }
                guard code.isCodable else { throw failed(QuillError.codeNotCodable(path: tree.displayPath(of: code.id))) }
                var spans: [TextSpan] = []
                if let start = row.start, let end = row.end {
                    let length: Int = source["length"]
                    guard start < end else { throw fail("the start (\(start)) must come before the end (\(end))") }
                    guard end <= length else {
                        throw fail("the end (\(end)) lies beyond the text of \(source["name"] as String), which has \(length) characters")
                    }
                    spans = [TextSpan(start: start, end: end)]
                } else if let selection = row.segments {
                    if segmentCache[sourceID] == nil {
                        segmentCache[sourceID] = Dictionary(
                            uniqueKeysWithValues: try Row.fetchAll(
                                db, sql: "SELECT number, start, \"end\" FROM segment WHERE sourceId = ?", arguments: [sourceID]
                            ).map {
                                ($0["number"] as Int, TextSpan(start: $0["start"], end: $0["end"]))
                            })
                    }
                    let bySegment = segmentCache[sourceID] ?? [:]
                    let numbers: [Int]
                    do { numbers = try SegmentSelection.parse(selection, count: bySegment.count) } catch { throw failed(error) }
                    spans = numbers.compactMap { bySegment[$0] }
                }
                for span in spans {
                    planned.append(Planned(sourceID: sourceID, span: span, codeID: code.id, coder: row.coder ?? actor.coder, memo: row.memo))
                }
            }
            var inserters: [String: CodingInserter] = [:]
            var report = CodingReport()
            for item in planned {
                let inserter: CodingInserter
                if let known = inserters[item.coder] {
                    inserter = known
                } else {
                    inserter = try CodingTable(db).inserter(forCoder: item.coder)
                    inserters[item.coder] = inserter
                }
                if try inserter.insert(codeID: item.codeID, sourceID: item.sourceID, span: item.span, memo: item.memo) {
                    report.changed += 1
                } else {
                    report.unchanged += 1
                }
            }
            return (report, report.changed == 0 ? nil : "added \(report.changed) coding(s) from \(file)")
        }
    }
}
