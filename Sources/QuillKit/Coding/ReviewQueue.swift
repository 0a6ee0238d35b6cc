import Foundation
import GRDB

/// A coding that autocoding proposed and no one has accepted or rejected yet.
public struct PendingProposal: Equatable, Sendable {
    /// The proposal's number, as `quill review --accept 12` takes it.
    public var id: Int64
    /// The code's id.
    public var codeID: Int64
    /// The code's path.
    public var code: String
    /// The source's name.
    public var source: String
    /// The number of the segment the proposal starts in.
    public var segment: Int
    /// Where it is, in scalars of the source's text.
    public var span: TextSpan
    /// The start of its text, on one line.
    public var excerpt: String
    /// The rules that fired.
    public var rule: String
    /// What they matched.
    public var matched: String
    /// Who proposed it (the coder `autocode`).
    package var proposedBy: String
}

/// Which pending proposals a review decision is about.
public struct ProposalSelection: Equatable, Sendable {
    /// Every pending proposal.
    public var all = false
    /// Proposals for these codes or codes below them (paths or unique names).
    public var codes: [String] = []
    /// Proposals with these numbers.
    public var ids: [Int64] = []

    /// Creates a selection.
    public init(all: Bool = false, codes: [String] = [], ids: [Int64] = []) {
        self.all = all
        self.codes = codes
        self.ids = ids
    }

    /// Whether the selection names nothing.
    public var isEmpty: Bool { !all && codes.isEmpty && ids.isEmpty }
}

/// What a review did.
public struct ReviewReport: Equatable, Sendable {
    /// Proposals that became codings.
    public var accepted = 0
    /// Of those, how many the reviewing coder had coded already (no second coding was made).
    public var alreadyCoded = 0
    /// Proposals rejected, and remembered so that autocoding does not propose them again.
    public var rejected = 0

    /// Creates a report.
    public init(accepted: Int = 0, alreadyCoded: Int = 0, rejected: Int = 0) {
        self.accepted = accepted
        self.alreadyCoded = alreadyCoded
        self.rejected = rejected
    }
}

/// The autocode proposals waiting for review, and their acceptance or rejection.
public struct ReviewQueue: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// The pending proposals, by code (in the codebook's order), then source and place.
    public func pendingProposals() throws -> [PendingProposal] {
        try project.read { db in try pendingProposals(db, tree: try CodeTree.load(db)) }
    }

    private func pendingProposals(_ db: Database, tree: CodeTree) throws -> [PendingProposal] {
        let order = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.codeId, p.sourceId, p.start, p."end", p.rule, p.matched, s.name AS source, d.name AS coder,
                       substr(s.text, p.start + 1, min(p."end" - p.start, 400)) AS text,
                       (SELECT min(g.number) FROM segment g WHERE g.sourceId = p.sourceId AND g.start < p."end" AND g."end" > p.start) AS number
                FROM proposal p JOIN source s ON s.id = p.sourceId JOIN coder d ON d.id = p.coderId
                ORDER BY p.sourceId, p.start, p."end", p.id
                """)
        let proposals = rows.map { row in
            PendingProposal(
                id: row["id"], codeID: row["codeId"], code: tree.displayPath(of: row["codeId"]), source: row["source"],
                segment: row["number"] ?? 0, span: TextSpan(start: row["start"], end: row["end"]),
                excerpt: Self.excerpt(row["text"]), rule: row["rule"], matched: row["matched"], proposedBy: row["coder"])
        }
        // Sorting is stable: within a code, the query's order (source, place) stays.
        return proposals.enumerated().sorted {
            (order[$0.element.codeID] ?? Int.max, $0.offset) < (order[$1.element.codeID] ?? Int.max, $1.offset)
        }.map(\.element)
    }

    /// Text on one line, cut to about 80 characters.
    static func excerpt(_ text: String, length: Int = 80) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count <= length ? line : String(line.prefix(length - 1)) + "…"
    }

    /// Accepts and rejects pending proposals, in one change.
    ///
    /// Accepting turns a proposal into a coding of its segment by the reviewing coder (the
    /// actor), with a memo that names the rule and what it matched; rejecting remembers it, so
    /// that autocoding never proposes it again. Either way the proposal is no longer pending.
    /// - Throws: `QuillError.invalidArgument` for a proposal number that is not pending, a code
    ///   the project does not have, or a proposal both accepted and rejected; nothing changes.
    public func review(accept: ProposalSelection, reject: ProposalSelection, actor: Actor) throws -> ReviewReport {
        try project.change(actor) { db in
            let tree = try CodeTree.load(db)
            let pending = try pendingProposals(db, tree: tree)
            let toAccept = try select(accept, from: pending, tree: tree)
            let toReject = try select(reject, from: pending, tree: tree)
            if let both = toAccept.first(where: { toReject.contains($0) }) {
                throw QuillError.refused("Proposal \(both) would be both accepted and rejected.", remedy: .acceptOrReject)
            }
            var report = ReviewReport()
            var inserter: CodingInserter?
            for proposal in pending where toAccept.contains(proposal.id) {
                if inserter == nil { inserter = try CodingTable(db).inserter(forCoder: actor.coder) }
                let memo = "autocode: \(proposal.matched) (rule: \(proposal.rule))"
                if try inserter?.insert(codeID: proposal.codeID, sourceID: try sourceID(db, proposal), span: proposal.span, memo: memo) == false {
                    report.alreadyCoded += 1
                }
                try ProposalTable(db).delete(proposal.id)
                report.accepted += 1
            }
            for proposal in pending where toReject.contains(proposal.id) {
                try ProposalTable(db).reject(proposal.id)
                report.rejected += 1
            }
            var parts: [String] = []
            if report.accepted > 0 { parts.append("accepted \(report.accepted) proposal(s)") }
            if report.rejected > 0 { parts.append("rejected \(report.rejected) proposal(s)") }
            return (report, parts.isEmpty ? nil : "review: " + parts.joined(separator: ", "))
        }
    }

    private func sourceID(_ db: Database, _ proposal: PendingProposal) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT sourceId FROM proposal WHERE id = ?", arguments: [proposal.id]) ?? 0
    }

    /// The ids of the pending proposals a selection names.
    private func select(_ selection: ProposalSelection, from pending: [PendingProposal], tree: CodeTree) throws -> Set<Int64> {
        if selection.all { return Set(pending.map(\.id)) }
        var result = Set<Int64>()
        let known = Set(pending.map(\.id))
        for id in selection.ids {
            guard known.contains(id) else {
                throw QuillError.refused("No proposal \(id) is waiting for review.", remedy: .listProposals)
            }
            result.insert(id)
        }
        for query in selection.codes {
            let codes = Set(tree.subtree(of: try tree.resolve(query).id))
            result.formUnion(pending.filter { codes.contains($0.codeID) }.map(\.id))
        }
        return result
    }
}
