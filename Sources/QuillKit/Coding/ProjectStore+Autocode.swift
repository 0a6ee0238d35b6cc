import Foundation
import GRDB

/// A coding that autocoding proposes.
public struct AutocodeProposal: Equatable, Sendable {
    /// The source's name.
    public var source: String
    /// The segment's number.
    public var segment: Int
    /// The code's path.
    public var code: String
    /// The keywords that matched in the segment, in order of first appearance.
    public var keywords: [String]
    /// Whether the project already has this coding.
    public var exists: Bool
}

/// What autocoding did or would do.
public struct AutocodeReport: Equatable, Sendable {
    /// Every proposed coding, in reading order.
    public var proposals: [AutocodeProposal]
    /// How many codings were added (0 for a dry run).
    public var added: Int
    /// Segments left out because an interviewer speaks them.
    public var skippedInterviewerSegments: Int
}

extension ProjectStore {
    /// The coder name under which autocoding records its codings.
    public static let autocoder = "autocode"

    /// Codes whole segments whose text contains a code's keywords, as the coder `autocode`.
    ///
    /// Running it again adds nothing twice. Grouping (non-codable) codes are not applied.
    /// - Parameters:
    ///   - isDryRun: only report what would be coded.
    ///   - includeInterviewers: also code what interviewers say.
    ///   - sourceIDs: the sources to code; nil codes all.
    ///   - actor: the person running it, for the history.
    public func autocode(isDryRun: Bool, includeInterviewers: Bool = false, sourceIDs: [Int64]? = nil,
                         actor: Actor) throws -> AutocodeReport {
        if isDryRun {
            return try read { db in try autocode(db, isDryRun: true, includeInterviewers: includeInterviewers, sourceIDs: sourceIDs).0 }
        }
        return try change(actor) { db in
            try autocode(db, isDryRun: false, includeInterviewers: includeInterviewers, sourceIDs: sourceIDs)
        }
    }

    /// Autocodes inside a transaction that is already open (or, for a dry run, a read).
    func autocode(_ db: Database, isDryRun: Bool, includeInterviewers: Bool, sourceIDs: [Int64]?) throws
        -> (AutocodeReport, summary: String?) {
        let tree = try CodeTree.load(db)
        let keywords = tree.codes.filter(\.isCodable).flatMap { code in code.keywords.map { (code.id, $0) } }
        let matcher = KeywordMatcher(keywords: keywords)
        let codeOrder = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        let coderID = try Int64.fetchOne(db, sql: "SELECT id FROM coder WHERE name = ?", arguments: [Self.autocoder])
        // The coder is created only when there is a coding to add, so a run that adds
        // nothing leaves the project as it was.
        var inserter: CodingInserter?
        // What autocoding already coded, per code and source: a segment that overlaps one of
        // these spans is not coded again, even after the source was cut into other units.
        var existing: [String: [TextSpan]] = [:]
        var rejected: [String: [TextSpan]] = [:]
        if let coderID {
            for row in try Row.fetchAll(db, sql: "SELECT codeId, sourceId, start, \"end\" FROM coding WHERE coderId = ?", arguments: [coderID]) {
                let codeID: Int64 = row["codeId"], sourceID: Int64 = row["sourceId"]
                existing["\(codeID)/\(sourceID)", default: []].append(TextSpan(start: row["start"], end: row["end"]))
            }
        }
        // What coders removed from autocoding's suggestions stays removed.
        for row in try Row.fetchAll(db, sql: "SELECT codeId, sourceId, start, \"end\" FROM rejectedSuggestion") {
            let codeID: Int64 = row["codeId"], sourceID: Int64 = row["sourceId"]
            rejected["\(codeID)/\(sourceID)", default: []].append(TextSpan(start: row["start"], end: row["end"]))
        }
        var report = AutocodeReport(proposals: [], added: 0, skippedInterviewerSegments: 0)
        let sources = try Row.fetchAll(db, sql: "SELECT id, name, text FROM source ORDER BY id")
        for source in sources {
            let sourceID: Int64 = source["id"]
            if let sourceIDs, !sourceIDs.contains(sourceID) { continue }
            let text = ScalarText(source["text"])
            let segments = try Row.fetchAll(db, sql: """
                SELECT g.number, g.start, g."end", ifnull(k.isInterviewer, 0) AS isInterviewer
                FROM segment g LEFT JOIN studyCase k ON k.id = g.caseId WHERE g.sourceId = ? ORDER BY g.number
                """, arguments: [sourceID])
            for segment in segments {
                if !includeInterviewers && (segment["isInterviewer"] as Bool) {
                    report.skippedInterviewerSegments += 1
                    continue
                }
                let span = TextSpan(start: segment["start"], end: segment["end"])
                var found: [Int64: [String]] = [:]
                for match in matcher.matches(in: text[span]) where !(found[match.codeID]?.contains(match.keyword) ?? false) {
                    found[match.codeID, default: []].append(match.keyword)
                }
                for (codeID, words) in found.sorted(by: { (codeOrder[$0.key] ?? 0) < (codeOrder[$1.key] ?? 0) }) {
                    if rejected["\(codeID)/\(sourceID)"]?.contains(where: { $0.overlaps(span) }) == true { continue }
                    let isKnown = existing["\(codeID)/\(sourceID)"]?.contains { $0.overlaps(span) } ?? false
                    report.proposals.append(AutocodeProposal(source: source["name"], segment: segment["number"],
                                                             code: tree.displayPath(of: codeID), keywords: words, exists: isKnown))
                    guard !isDryRun, !isKnown else { continue }
                    if inserter == nil {
                        inserter = try CodingInserter(db, coderID: try self.coderID(db, name: Self.autocoder))
                    }
                    if try inserter?.insert(codeID: codeID, sourceID: sourceID, span: span,
                                            memo: "autocode: " + words.joined(separator: ", ")) == true {
                        report.added += 1
                    }
                }
            }
        }
        return (report, report.added == 0 ? nil : "autocoded \(report.added) segment coding(s) from codebook keywords")
    }

    /// The main job in one transaction and one history entry: bring in a codebook, import
    /// transcripts, and autocode. If any step fails, the project is as it was.
    public func runPipeline(codebook: Codebook, sources: [PreparedSource], actor: Actor) throws
        -> (codebook: CodebookImportReport, imports: [ImportOutcome], autocode: AutocodeReport) {
        try change(actor) { db in
            let (book, bookSummary) = try importCodebook(db, codebook)
            let (imports, importSummary) = try importSources(db, sources, coder: actor.coder)
            let (coded, codeSummary) = try autocode(db, isDryRun: false, includeInterviewers: false, sourceIDs: nil)
            let parts = [bookSummary, importSummary, codeSummary].compactMap { $0 }
            return ((book, imports, coded), parts.isEmpty ? nil : "run: " + parts.joined(separator: "; "))
        }
    }
}
