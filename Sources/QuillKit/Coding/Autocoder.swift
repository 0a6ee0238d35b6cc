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
    /// What matched in the segment, in order of first appearance: keywords as the codebook
    /// writes them, the text a regular expression found, the speaker or condition of a rule.
    public var keywords: [String]
    /// Whether the project already has this coding (or, for proposals, this proposal pending).
    public var exists: Bool
    /// The rules that fired: `keywords` for the code's keywords, else the rule in one line.
    public var rules: [String] = []
}

/// What autocoding did or would do.
public struct AutocodeReport: Equatable, Sendable {
    /// Every proposed coding, in reading order.
    public var proposals: [AutocodeProposal]
    /// How many codings were added (0 for a dry run, and when proposing).
    public var added: Int
    /// Segments left out because an interviewer speaks them (rules that name a speaker or a
    /// role still read them).
    public var skippedInterviewerSegments: Int
    /// How many proposals were written, waiting for `quill review` (0 for a dry run, and when
    /// applying).
    public var proposed = 0
    /// Codebook rules that matched nothing because the project lacks what they ask for.
    public var notes: [Notice] = []
}

/// What autocoding does with what its rules find.
public enum AutocodeMode: Sendable {
    /// Code the segments at once, as the coder `autocode` (what `quill run` does).
    case apply
    /// Write proposals that a coder accepts or rejects with `quill review`.
    case propose
}

/// Codes by the codebook's keywords and rules.
public struct Autocoder: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Codes whole segments whose text contains a code's keywords, as the coder `autocode`.
    ///
    /// Running it again adds nothing twice. Grouping (non-codable) codes are not applied.
    /// - Parameters:
    ///   - isDryRun: only report what would be coded.
    ///   - includeInterviewers: also code what interviewers say.
    ///   - sourceIDs: the sources to code; nil codes all.
    ///   - actor: the person running it, for the history.
    public func autocode(
        isDryRun: Bool, includeInterviewers: Bool = false, sourceIDs: [Int64]? = nil,
        actor: Actor
    ) throws -> AutocodeReport {
        try autocode(mode: .apply, isDryRun: isDryRun, includeInterviewers: includeInterviewers, sourceIDs: sourceIDs, actor: actor)
    }

    /// Runs the codebook's keywords and rules, and the rules of rules files, over the segments.
    ///
    /// Proposing writes one proposal per code and segment, as the coder `autocode`, with the
    /// rules that fired and what they matched; it leaves out what a coder rejected before,
    /// what any coder already coded with that code, and what is already proposed. Applying
    /// codes at once, as `autocode(isDryRun:)` always did. Either is one change in the history.
    /// - Parameters:
    ///   - rules: rules files' rules, after the codebook's.
    /// - Throws: `QuillError.badInput` for a rule that names an unknown or grouping code, or an
    ///   attribute the project does not have; `QuillError.regexTooComplex` for a rule whose
    ///   regular expression takes more than `BoundedRegex.stepLimit` steps on a segment. Either
    ///   way the project is as it was.
    public func autocode(
        mode: AutocodeMode, isDryRun: Bool, rules: [RulesFile] = [], includeInterviewers: Bool = false,
        sourceIDs: [Int64]? = nil, actor: Actor
    ) throws -> AutocodeReport {
        if isDryRun {
            return try project.read { db in
                try autocode(db, mode: mode, isDryRun: true, rules: rules, includeInterviewers: includeInterviewers, sourceIDs: sourceIDs).0
            }
        }
        return try project.change(actor) { db in
            try autocode(db, mode: mode, isDryRun: false, rules: rules, includeInterviewers: includeInterviewers, sourceIDs: sourceIDs)
        }
    }

    /// Autocodes inside a transaction that is already open (or, for a dry run, a read).
    func autocode(
        _ db: Database, mode: AutocodeMode = .apply, isDryRun: Bool, rules files: [RulesFile] = [],
        includeInterviewers: Bool, sourceIDs: [Int64]?
    ) throws -> (AutocodeReport, summary: String?) {
        let tree = try CodeTree.load(db)
        let engine = try AutocodeEngine(db, tree: tree, files: files)
        let codeOrder = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        // The coder is created only when there is something to add, so a run that adds
        // nothing leaves the project as it was.
        var inserter: CodingInserter?
        var proposalCoderID: Int64?
        // What is there already, per code and source: a segment that overlaps one of these
        // spans is not coded or proposed again, even after the source was cut into other
        // units. Both look at every coder's codings (a proposal a reviewer accepted is the
        // reviewer's coding), and proposing also at the proposals waiting for review.
        var existing: [CodeInSource: [TextSpan]] = [:]
        var rejected: [CodeInSource: [TextSpan]] = [:]
        func spans(_ sql: String, _ arguments: StatementArguments = [], into table: inout [CodeInSource: [TextSpan]]) throws {
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                table[CodeInSource(code: row["codeId"], source: row["sourceId"]), default: []].append(TextSpan(start: row["start"], end: row["end"]))
            }
        }
        // Each code's path, written out once rather than for every proposal.
        var paths: [Int64: String] = [:]
        func path(_ codeID: Int64) -> String {
            if let known = paths[codeID] { return known }
            let path = tree.displayPath(of: codeID)
            paths[codeID] = path
            return path
        }
        try spans("SELECT codeId, sourceId, start, \"end\" FROM coding", into: &existing)
        if mode == .propose {
            try spans("SELECT codeId, sourceId, start, \"end\" FROM proposal", into: &existing)
        }
        // What coders removed from autocoding's suggestions, or rejected, stays out.
        try spans("SELECT codeId, sourceId, start, \"end\" FROM rejectedSuggestion", into: &rejected)
        var report = AutocodeReport(proposals: [], added: 0, skippedInterviewerSegments: 0)
        report.notes = engine.notes
        let sources = try Row.fetchAll(db, sql: "SELECT id, name, text FROM source ORDER BY id")
        let now = Clock.timestamp()
        for source in sources {
            let sourceID: Int64 = source["id"]
            if let sourceIDs, !sourceIDs.contains(sourceID) { continue }
            let text = UTF8Cutter(source["text"])
            let segments = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.number, g.start, g."end", g.speaker, g.speakerRole, g.caseId, k.name AS caseName,
                           ifnull(k.isInterviewer, 0) AS isInterviewer
                    FROM segment g LEFT JOIN studyCase k ON k.id = g.caseId WHERE g.sourceId = ? ORDER BY g.number
                    """, arguments: [sourceID])
            for segment in segments {
                let isInterviewer: Bool = segment["isInterviewer"]
                let readsInterviewers = includeInterviewers || !isInterviewer
                if !readsInterviewers {
                    report.skippedInterviewerSegments += 1
                    if !engine.namesSpeakers { continue }
                }
                let span = TextSpan(start: segment["start"], end: segment["end"])
                let context = AutocodeEngine.Segment(
                    sourceID: sourceID, speaker: segment["speaker"], caseID: segment["caseId"], caseName: segment["caseName"],
                    role: segment["speakerRole"], isInterviewer: isInterviewer, readsInterviewers: readsInterviewers)
                let fired: [AutocodeEngine.Hit]
                do {
                    fired = try engine.fire(context, text: text[span])
                } catch {
                    throw error.error(segment: "segment \(segment["number"] as Int) of \(source["name"] as String)")
                }
                for hit in fired.sorted(by: { (codeOrder[$0.codeID] ?? 0) < (codeOrder[$1.codeID] ?? 0) }) {
                    let key = CodeInSource(code: hit.codeID, source: sourceID)
                    if rejected[key]?.contains(where: { $0.overlaps(span) }) == true { continue }
                    let isKnown = existing[key]?.contains { $0.overlaps(span) } ?? false
                    report.proposals.append(
                        AutocodeProposal(
                            source: source["name"], segment: segment["number"],
                            code: path(hit.codeID), keywords: hit.matched,
                            exists: isKnown, rules: hit.rules))
                    guard !isDryRun, !isKnown else { continue }
                    switch mode {
                    case .apply:
                        if inserter == nil {
                            inserter = try CodingTable(db).inserter(forCoder: CoderTable.autocoder)
                        }
                        if try inserter?.insert(
                            codeID: hit.codeID, sourceID: sourceID, span: span,
                            memo: "autocode: " + hit.matched.joined(separator: ", ")) == true
                        {
                            report.added += 1
                            try ProposalTable(db).delete(codeID: hit.codeID, sourceID: sourceID, span: span)
                        }
                    case .propose:
                        if proposalCoderID == nil { proposalCoderID = try CoderTable(db).id(named: CoderTable.autocoder) }
                        try ProposalTable(db).insert(
                            codeID: hit.codeID, sourceID: sourceID, span: span,
                            rule: hit.rules.joined(separator: "; "), matched: hit.matched.joined(separator: ", "),
                            coderID: proposalCoderID, createdAt: now)
                        existing[key, default: []].append(span)
                        report.proposed += 1
                    }
                }
            }
        }
        switch mode {
        case .apply:
            let what = engine.hasRules ? "codebook keywords and rules" : "codebook keywords"
            return (report, report.added == 0 ? nil : "autocoded \(report.added) segment coding(s) from \(what)")
        case .propose:
            return (report, report.proposed == 0 ? nil : "proposed \(report.proposed) segment coding(s) for review")
        }
    }

    /// The main job in one transaction and one history entry: bring in a codebook, import
    /// transcripts, and autocode. If any step fails, the project is as it was.
    public func runPipeline(codebook: Codebook, sources: [PreparedSource], actor: Actor) throws
        -> (codebook: CodebookImportReport, imports: [ImportOutcome], autocode: AutocodeReport)
    {
        try project.change(actor) { db in
            let (book, bookSummary) = try CodebookImporter(project).importCodebook(db, codebook)
            let (imports, importSummary) = try SourceImporter(project).importSources(db, sources, coder: actor.coder)
            let (coded, codeSummary) = try autocode(db, isDryRun: false, includeInterviewers: false, sourceIDs: nil)
            let parts = [bookSummary, importSummary, codeSummary].compactMap { $0 }
            return ((book, imports, coded), parts.isEmpty ? nil : "run: " + parts.joined(separator: "; "))
        }
    }
}

/// A code in a source: the key of what autocoding finds there already.
private struct CodeInSource: Hashable {
    var code: Int64
    var source: Int64
}
