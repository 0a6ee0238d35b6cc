import ArgumentParser
import Foundation
import QuillKit

extension Quill {
    /// Accepts or rejects what autocoding proposed.
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the codings autocoding proposed, and accept or reject them.",
            discussion: """
                Without options, lists the pending proposals by code. --accept and --reject take proposal numbers \
                (12 or #12) or codes (a code takes the proposals of the codes below it too). Accepted proposals become \
                codings of the reviewing coder (--coder), with a memo naming the rule; rejected ones are remembered and \
                never proposed again. -i goes through them one by one, reading y (accept), n (reject), s (skip) or q (quit) \
                from standard input; each answer is saved at once. Every decision can be undone with 'quill undo'.
                """)

        @Flag(name: .long, help: "Accept every pending proposal.")
        var acceptAll = false
        @Flag(name: .long, help: "Reject every pending proposal.")
        var rejectAll = false
        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Accept these proposals: numbers, or codes with the codes below them.", valueName: "id-or-code"))
        var accept: [String] = []
        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Reject these proposals: numbers, or codes with the codes below them.", valueName: "id-or-code"))
        var reject: [String] = []
        @Flag(name: [.customShort("i"), .long], help: "Review one by one, answering y, n, s or q on standard input.")
        var interactive = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions
        @OptionGroup var format: FormatOptions

        func validate() throws {
            if acceptAll && rejectAll {
                throw ValidationError("'--accept-all' and '--reject-all' contradict each other; give one.")
            }
            let decides = acceptAll || rejectAll || !accept.isEmpty || !reject.isEmpty
            if interactive && decides {
                throw ValidationError("'-i' reviews one by one; leave out --accept, --reject, --accept-all and --reject-all.")
            }
        }

        /// Proposal numbers and codes from what was typed.
        static func selection(_ values: [String], all: Bool) -> ProposalSelection {
            var selection = ProposalSelection(all: all)
            for value in values {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
                if let id = Int64(digits), !digits.isEmpty {
                    selection.ids.append(id)
                } else {
                    selection.codes.append(trimmed)
                }
            }
            return selection
        }

        func run() throws {
            let store = try project.open()
            if interactive {
                try reviewOneByOne(store)
                return
            }
            let toAccept = Self.selection(accept, all: acceptAll)
            let toReject = Self.selection(reject, all: rejectAll)
            if toAccept.isEmpty && toReject.isEmpty {
                try list(store)
                return
            }
            let report = try ReviewQueue(store).review(accept: toAccept, reject: toReject, actor: coder.actor)
            let pending = try ReviewQueue(store).pendingProposals().count
            Console.note(Self.describe(report, coder: coder.name) + " \(pending) still pending.")
        }

        static func describe(_ report: ReviewReport, coder: String) -> String {
            var line = "Accepted \(report.accepted) proposal\(report.accepted == 1 ? "" : "s") as \(coder)"
            if report.alreadyCoded > 0 { line += " (\(report.alreadyCoded) already coded)" }
            return line + ", rejected \(report.rejected)."
        }

        private func list(_ store: ProjectDatabase) throws {
            let pending = try ReviewQueue(store).pendingProposals()
            func table(_ proposals: [PendingProposal], withCode: Bool) -> Table {
                var columns: [Table.Column] = [.init("id", "#", numeric: true)]
                if withCode { columns.append(.init("code", "Code")) }
                columns += [
                    .init("source", "Source"), .init("segment", "Segment", numeric: true), .init("excerpt", "Text"),
                    .init("rule", "Rule"), .init("matched", "Matched"),
                ]
                return Table(
                    columns: columns,
                    rows: proposals.map { proposal in
                        (withCode ? [.int(Int(proposal.id)), .text(proposal.code)] : [.int(Int(proposal.id))])
                            + [
                                .text(proposal.source), .int(proposal.segment), .text(proposal.excerpt), .text(proposal.rule),
                                .text(proposal.matched),
                            ]
                    })
            }
            if format.format == .table {
                // One block per code, in the codebook's order.
                var blocks: [String] = []
                var start = 0
                while start < pending.count {
                    let code = pending[start].codeID
                    let end = pending[start...].firstIndex { $0.codeID != code } ?? pending.count
                    let group = Array(pending[start..<end])
                    blocks.append("\(group[0].code) (\(group.count))\n" + table(group, withCode: false).render(.table))
                    start = end
                }
                Console.out(blocks.joined(separator: "\n"))
            } else {
                Console.out(table(pending, withCode: true).render(format.format))
            }
            Console.note(
                pending.isEmpty
                    ? "No proposals are waiting for review; 'quill autocode' proposes codings."
                    : "\(pending.count) proposal\(pending.count == 1 ? "" : "s") pending: --accept/--reject numbers or codes, --accept-all, --reject-all, or -i."
            )
        }

        private func reviewOneByOne(_ store: ProjectDatabase) throws {
            let pending = try ReviewQueue(store).pendingProposals()
            if pending.isEmpty {
                Console.note("No proposals are waiting for review; 'quill autocode' proposes codings.")
                return
            }
            var total = ReviewReport()
            var skipped = 0
            var position = 0
            ask: while position < pending.count {
                let proposal = pending[position]
                Console.note(
                    """
                    [\(position + 1)/\(pending.count)] #\(proposal.id) \(proposal.code): \(proposal.source), segment \(proposal.segment)
                      \(proposal.excerpt)
                      rule: \(proposal.rule); matched: \(proposal.matched)
                    """)
                FileHandle.standardError.write(Data("Accept? y(es), n(o), s(kip), q(uit): ".utf8))
                let line = readLine()
                // Piped answers are not echoed by a terminal: show them, so the dialogue reads as one.
                if isatty(STDIN_FILENO) == 0 { Console.note(line ?? "") }
                guard let answer = line?.trimmingCharacters(in: .whitespaces).lowercased() else { break ask }
                let selection = ProposalSelection(ids: [proposal.id])
                switch answer {
                case "y", "yes":
                    let report = try ReviewQueue(store).review(accept: selection, reject: ProposalSelection(), actor: coder.actor)
                    total.accepted += report.accepted
                    total.alreadyCoded += report.alreadyCoded
                case "n", "no":
                    total.rejected += try ReviewQueue(store).review(accept: ProposalSelection(), reject: selection, actor: coder.actor).rejected
                case "s", "skip":
                    skipped += 1
                case "q", "quit":
                    break ask
                default:
                    Console.note("Answer y, n, s or q.")
                    continue ask
                }
                position += 1
            }
            let left = try ReviewQueue(store).pendingProposals().count
            Console.note(Self.describe(total, coder: coder.name) + " Skipped \(skipped); \(left) still pending.")
        }
    }
}
