import ArgumentParser
import Foundation
import QuillKit

/// The arguments that say what to code: a source, segments and codes.
struct CodingTarget: ParsableArguments {
    @Argument(help: "The source: its name, a unique start of it, or its number.")
    var source: String

    @Argument(help: "Segment numbers and ranges, such as 3-7,12, or 'all'.")
    var segments: String

    @Argument(help: "Codes, by path ('LHS capabilities/Knowledge management') or unique name, case-insensitively.")
    var codes: [String]

    func validate() throws {
        if codes.isEmpty { throw ValidationError("Give at least one code after the segments.") }
    }

    /// The source, segment numbers and code ids, all checked before anything changes.
    func resolve(in store: ProjectDatabase) throws -> (source: SourceSummary, numbers: [Int], codeIDs: [Int64]) {
        try Self.resolve(source: source, segments: segments, codes: codes, in: store)
    }

    /// The source, segment numbers and code ids that a source, segments and codes name.
    static func resolve(
        source: String, segments: String, codes: [String],
        in store: ProjectDatabase
    ) throws -> (source: SourceSummary, numbers: [Int], codeIDs: [Int64]) {
        let summary = try SourceCatalog(store).resolveSource(source)
        let numbers = try SegmentSelection.parse(segments, count: summary.segments)
        let tree = try CodeTree.load(store)
        let codeIDs = try codes.map { try tree.resolve($0).id }
        return (summary, numbers, Array(NSOrderedSet(array: codeIDs).compactMap { $0 as? Int64 }))
    }
}

extension Quill {
    /// Codes segments.
    struct CodeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "code", abstract: "Code whole segments of a source, as in: quill code interview-03 12-15 \"Digital capability\".")

        @Argument(help: "The source: its name, a unique start of it, or its number.")
        var source: String?
        @Argument(help: "Segment numbers and ranges, such as 3-7,12, or 'all'.")
        var segments: String?
        @Argument(help: "Codes, by path ('LHS capabilities/Knowledge management') or unique name, case-insensitively.")
        var codes: [String] = []
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Add the codings of a tidy CSV or .jsonl file instead (columns source, code, and segment or start and end; optional coder and memo), all or none. "
                    + "With -i: the segment number to start at.",
                valueName: "file|N"))
        var from: String?
        @Flag(
            name: [.customShort("i"), .long],
            help: ArgumentHelp(
                "Code the source one segment at a time: type codes (or the start of their names), -CODE to remove, Enter for the next segment, ? for help. "
                    + "Each line is saved at once; the next session starts where this one stopped."))
        var interactive = false
        @Option(name: .long, help: "A note to keep with each new coding.")
        var memo: String?
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func validate() throws {
            if interactive {
                if source == nil || segments != nil || !codes.isEmpty || memo != nil {
                    throw ValidationError("With -i, give only the source, as in: quill code -i interview-03 (and --from N to start at segment N).")
                }
                if let from, Int(from) == nil {
                    throw ValidationError("With -i, '--from' takes the segment number to start at, such as --from 12.")
                }
            } else if from != nil {
                if source != nil || !codes.isEmpty {
                    throw ValidationError("Give either a file with --from or a source, segments and codes, not both.")
                }
                if memo != nil { throw ValidationError("With --from, give memos in the file's 'memo' column.") }
            } else if source == nil || segments == nil {
                throw ValidationError(
                    "Give a source, segments and codes, as in: quill code interview-03 12-15 \"Digital capability\"; or a file with --from codings.csv."
                )
            } else if codes.isEmpty {
                throw ValidationError("Give at least one code after the segments.")
            }
        }

        func run() throws {
            let store = try project.open()
            if interactive {
                try runInteractive(store: store)
                return
            }
            if let from {
                try runBatch(from, store: store)
                return
            }
            let (source, numbers, codeIDs) = try CodingTarget.resolve(source: source ?? "", segments: segments ?? "", codes: codes, in: store)
            let report = try CodingEditor(store).code(sourceID: source.id, segments: numbers, codeIDs: codeIDs, memo: memo, actor: coder.actor)
            Console.note(
                "Coded \(report.changed) segment-code pair\(report.changed == 1 ? "" : "s") in \(source.name) as \(coder.name)"
                    + (report.unchanged > 0 ? "; \(report.unchanged) already coded." : "."))
        }

        /// Codes a source segment by segment from lines typed (or piped) on standard input.
        private func runInteractive(store: ProjectDatabase) throws {
            let summary = try SourceCatalog(store).resolveSource(source ?? "")
            var session = try CodingSession(
                store: store, source: summary, actor: coder.actor, from: from.flatMap { Int($0) },
                describe: { Advice.message(for: $0, in: Quill.CodeCommand.self) })
            let environment = ProcessInfo.processInfo.environment
            let isStyled = isatty(STDOUT_FILENO) != 0 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
            let bold = isStyled ? ("\u{1B}[1m", "\u{1B}[0m") : ("", "")
            Console.out("Coding \(summary.name) as \(coder.name).\n\(CodingSession.help)\n\n")
            var isShowing = true
            loop: while true {
                if isShowing {
                    Console.out(session.render(bold: bold))
                    try session.savePosition()
                }
                Console.out("> ")
                guard let line = readLine() else {
                    Console.out("\n")
                    break
                }
                switch try session.handle(line) {
                case .quit:
                    break loop
                case .show(let message):
                    if !message.isEmpty { Console.out(message + "\n") }
                    Console.out("\n")
                    isShowing = true
                case .stay(let message):
                    Console.out(message + "\n")
                    isShowing = false
                }
            }
            Console.note(
                "Stopped at segment \(session.current.number) of \(summary.name); 'quill code -i \(CoderOptions.shellQuoted(summary.name))' starts there next time."
            )
        }

        /// Adds the codings of a file, all or none.
        private func runBatch(_ file: String, store: ProjectDatabase) throws {
            let text = try InputFile.text(file)
            let rows = try CodingFile.parse(text, path: file)
            let report = try BatchCoding(store).code(rows: rows, file: file, actor: coder.actor)
            Console.note("Coded \(report.changed), \(report.unchanged) already there.")
        }
    }

    /// Removes codings.
    struct Uncode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove codings from whole segments (your own, or every coder's with --all-coders).")

        @OptionGroup var target: CodingTarget
        @Flag(name: .long, help: "Remove every coder's codings, not only yours.")
        var allCoders = false
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions

        func run() throws {
            let store = try project.open()
            let (source, numbers, codeIDs) = try target.resolve(in: store)
            let report = try CodingEditor(store).uncode(
                sourceID: source.id, segments: numbers, codeIDs: codeIDs,
                coder: allCoders ? nil : coder.name, actor: coder.actor)
            if report.changed == 0 {
                Console.note(
                    "Nothing to remove: \(allCoders ? "no coder has" : "\(coder.name) has no") such codings in \(source.name)."
                        + (allCoders ? "" : " Autocoded ones belong to the coder 'autocode' (--coder autocode, or --all-coders)."))
            } else {
                var line = "Removed \(report.changed) coding\(report.changed == 1 ? "" : "s") from \(source.name)"
                if report.reachedBeyond > 0 {
                    line += " (\(report.reachedBeyond) of them also covered text outside these segments and went whole)"
                }
                Console.note(line + ".")
            }
        }
    }

    /// Autocodes from keywords and rules.
    struct Autocode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose codings from the codebook's keywords and rules (and rules files), for 'quill review'.",
            discussion: """
                A rule fires on a segment when all its conditions hold: keywords_any (words and phrases, as code keywords), \
                regex (case-insensitive unless case_sensitive: true), speaker, speaker_role (interviewer, interviewee, or a \
                bracketed role) and where (attribute=value, as --where). Proposals are recorded as the coder 'autocode'; \
                'quill review' accepts them (they become the reviewer's codings) or rejects them (they are never proposed \
                again). What is already coded with the code, already proposed, or rejected is not proposed. \
                --apply codes at once as the coder 'autocode' instead, as 'quill run' does.
                """)

        @Flag(name: .long, help: "List what would be proposed (or, with --apply, coded), and change nothing.")
        var dryRun = false
        @Flag(name: .long, help: "Code at once as the coder 'autocode' instead of proposing.")
        var apply = false
        @Option(name: .long, help: ArgumentHelp("A rules file: 'rules:' with items '- code: NAME' and conditions (repeatable).", valueName: "file"))
        var rules: [String] = []
        @Flag(name: .long, help: "Also code what interviewers say.")
        var includeInterviewers = false
        @Option(name: .long, help: "Only this source (repeatable).")
        var source: [String] = []
        @OptionGroup var project: ProjectOptions
        @OptionGroup var coder: CoderOptions
        @OptionGroup var format: FormatOptions

        func run() throws {
            let files = try rules.map { path in
                let text = try InputFile.text(path)
                return try RulesFile.parse(text, file: path)
            }
            let store = try project.open()
            let ids = source.isEmpty ? nil : try source.map { try SourceCatalog(store).resolveSource($0).id }
            let report = try Autocoder(store).autocode(
                mode: apply ? .apply : .propose, isDryRun: dryRun, rules: files,
                includeInterviewers: includeInterviewers, sourceIDs: ids, actor: coder.actor)
            report.notes.forEach { Console.note(Advice.text($0)) }
            let left =
                report.skippedInterviewerSegments > 0
                ? "; \(report.skippedInterviewerSegments) interviewer segments left out (--include-interviewers reads them)." : "."
            if dryRun {
                let table = Table(
                    columns: [
                        .init("source", "Source"), .init("segment", "#", numeric: true), .init("code", "Code"),
                        .init("rule", "Rule"), .init("matched", "Matched"), .init("exists", apply ? "Already coded" : "Already there"),
                    ],
                    rows: report.proposals.map {
                        [
                            .text($0.source), .int($0.segment), .text($0.code), .text($0.rules.joined(separator: "; ")),
                            .text($0.keywords.joined(separator: ", ")), .bool($0.exists),
                        ]
                    })
                Console.out(table.render(format.format))
                let new = report.proposals.filter { !$0.exists }.count
                let what = apply ? "new coding\(new == 1 ? "" : "s") would be added" : "proposal\(new == 1 ? "" : "s") would be made"
                Console.note("Dry run: \(new) \(what); nothing was changed.")
            } else if apply {
                Console.note(
                    "Autocoded: \(report.added) coding\(report.added == 1 ? "" : "s") added, "
                        + "\(report.proposals.count - report.added) already there" + left)
            } else {
                Console.note(
                    "Proposed \(report.proposed) coding\(report.proposed == 1 ? "" : "s") for review, "
                        + "\(report.proposals.count - report.proposed) already coded or proposed" + left
                        + (report.proposed > 0 ? " 'quill review' lists them; 'quill review -i' goes through them one by one." : ""))
            }
        }
    }
}
