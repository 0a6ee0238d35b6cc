public import Foundation

/// What a report is made with, besides the project and the filter.
public struct ReportOptions {
    /// The unit over which codes co-occur.
    public var unit: CooccurrenceUnit
    /// The version of Quill that makes the report, for its provenance.
    public var quillVersion: String
    /// When the report is made: the one thing in it that changes from run to run.
    public var date: Date

    /// Creates options.
    public init(unit: CooccurrenceUnit = .segment, quillVersion: String, date: Date) {
        self.unit = unit
        self.quillVersion = quillVersion
        self.date = date
    }

    /// The unit as the command line writes it: `segment`, `overlap`, `window:3`, `source`, `case`.
    public static func describe(_ unit: CooccurrenceUnit) -> String {
        unit.description
    }

    /// What co-occurring means for a unit, for readers of the report.
    static func explain(_ unit: CooccurrenceUnit) -> String {
        switch unit {
        case .segment: return "two codes co-occur when codings of both touch the same segment"
        case .overlap: return "two codes co-occur when their coded passages overlap"
        case .window(let size): return "two codes co-occur when they are within \(size) segment\(size == 1 ? "" : "s") of each other in one source"
        case .source: return "two codes co-occur when both are used in the same source"
        case .case: return "two codes co-occur when both are used in what the same case says"
        }
    }

    /// The time as written in the report: ISO 8601 in UTC, to the second.
    var timestamp: String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// The whole analysis of a project as files a supervisor can open: a self-contained HTML
/// report, a Markdown version, and the tables as CSV and JSON.
///
/// Everything is computed once, from one snapshot, when the report is made. Apart from the
/// one provenance line that gives the time, the same project, filter and options give the same
/// bytes in every file.
///
/// ```swift
/// let report = try Report(store: store, filter: AnalysisFilter(excludesInterviewers: true),
///                         options: ReportOptions(quillVersion: "0.1.0", date: Date()))
/// try report.write(to: URL(fileURLWithPath: "Exports"))
/// ```
public struct Report {
    /// The most codes the co-occurrence heatmap shows.
    package static let heatmapLimit = 40
    /// The excerpts per code listed in the HTML and Markdown reports; the tables have them all.
    package static let excerptLimit = 200

    /// The project's name.
    public let projectName: String
    /// The codebook's name.
    package let codebookName: String
    /// The project file's name, without its folder.
    package let projectFileName: String
    /// The filter the analysis applies.
    public let filter: AnalysisFilter
    /// The options.
    public let options: ReportOptions

    let snapshot: AnalysisSnapshot
    /// Frequencies of each code on its own, rows in codebook order.
    let own: FrequencyTable
    /// Frequencies of each code with its subtree, rows in codebook order.
    let rolledUp: FrequencyTable
    let cooccurrence: CooccurrenceMatrix
    /// Every segment of each source that is in, for the transcripts, filtered or not.
    let layouts: [Int64: [SegmentView]]
    /// Every coded segment, with all its codes.
    let allExcerpts: [Excerpt]
    /// For each codable code with codings, in codebook order, its excerpts.
    let excerptsByCode: [(code: Int64, excerpts: [Excerpt])]
    /// The codes of the heatmap, in codebook order, and what the reader should know about the choice.
    let heatmapCodes: [Int64]
    let heatmapNote: String?
    /// Each code's place in codebook order.
    let codeIndex: [Int64: Int]
    /// Each source's place in import order, from 1, by name.
    let sourceNumbers: [String: Int]
    let byCase: CodingsMatrix
    let bySource: CodingsMatrix

    /// Computes the report's content.
    /// - Throws: what `ProjectAnalysis.snapshot` throws for a filter that names unknown things.
    public init(store: ProjectDatabase, filter: AnalysisFilter = AnalysisFilter(), options: ReportOptions) throws {
        let snapshot = try ProjectAnalysis(store).snapshot(filter)
        self.snapshot = snapshot
        self.filter = filter
        self.options = options
        projectName = try store.info("name") ?? "Quill project"
        codebookName = try store.info("codebook.name") ?? "(no codebook)"
        projectFileName = store.url?.lastPathComponent ?? "(in memory)"
        own = FrequencyTable(snapshot: snapshot, rollUp: false)
        rolledUp = FrequencyTable(snapshot: snapshot, rollUp: true)
        cooccurrence = CooccurrenceMatrix(snapshot: snapshot, options: CooccurrenceOptions(unit: options.unit))
        var layouts: [Int64: [SegmentView]] = [:]
        for source in snapshot.sources {
            layouts[source.id] = try SourceCatalog(store).segments(ofSource: source.id)
        }
        self.layouts = layouts
        let tree = snapshot.tree
        sourceNumbers = Dictionary(uniqueKeysWithValues: snapshot.sources.enumerated().map { ($1.name, $0 + 1) })
        codeIndex = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        // Every coded segment with all its codes; a code's excerpts are those that list it
        // (the same as a query for that code alone, without running one per code).
        allExcerpts = excerpts(ExcerptQuery(), in: snapshot)
        var byPath: [String: [Excerpt]] = [:]
        for excerpt in allExcerpts {
            for path in excerpt.codes {
                var single = excerpt
                single.codes = [path]
                byPath[path, default: []].append(single)
            }
        }
        excerptsByCode = zip(tree.codes, own.rows).compactMap { code, row in
            guard code.isCodable, row.codings > 0 else { return nil }
            return (code.id, byPath[tree.displayPath(of: code.id)] ?? [])
        }
        byCase = CodingsMatrix(snapshot: snapshot, byCase: true)
        bySource = CodingsMatrix(snapshot: snapshot, byCase: false)
        (heatmapCodes, heatmapNote) = Self.chooseHeatmapCodes(snapshot: snapshot, own: own, matrix: cooccurrence)
    }

    /// The codes of the heatmap: every code with a coding when there are at most 40; else the
    /// leaf codes among them; and if those are still too many, the 40 most frequent.
    static func chooseHeatmapCodes(
        snapshot: AnalysisSnapshot, own: FrequencyTable,
        matrix: CooccurrenceMatrix
    ) -> ([Int64], String?) {
        let tree = snapshot.tree
        let used = zip(tree.codes, own.rows).filter { $0.1.codings > 0 }.map(\.0.id)
        guard used.count > heatmapLimit else { return (used, nil) }
        let leaves = used.filter { tree.children(of: $0).isEmpty }
        if leaves.count <= heatmapLimit {
            return (leaves, "\(used.count) codes have codings; the heatmap shows the \(leaves.count) of them that have no sub-codes.")
        }
        let order = Dictionary(uniqueKeysWithValues: tree.codes.enumerated().map { ($1.id, $0) })
        let top = Set(
            leaves.sorted { (-matrix.frequency($0), order[$0] ?? 0) < (-matrix.frequency($1), order[$1] ?? 0) }
                .prefix(heatmapLimit))
        let counted =
            leaves.count == used.count ? "\(used.count) codes have codings" : "\(used.count) codes have codings (\(leaves.count) without sub-codes)"
        return (
            leaves.filter(top.contains),
            "\(counted); the heatmap shows the \(heatmapLimit) most frequent of those. cooccurrence.csv has them all."
        )
    }

    // MARK: Shared pieces

    /// A code's colour as `#RRGGBB`: its own, else its nearest ancestor's, else grey.
    func colour(of id: Int64) -> String {
        var current: Int64? = id
        var seen = Set<Int64>()
        while let codeID = current, seen.insert(codeID).inserted, let code = snapshot.tree.code(codeID) {
            if let colour = Self.normalisedColour(code.color) { return colour }
            current = code.parentID
        }
        return Self.grey
    }

    static let grey = "#9E9E9E"

    /// A colour as `#RRGGBB`, or nil if it is not a hex colour.
    static func normalisedColour(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), text.hasPrefix("#") else { return nil }
        let digits = Array(text.dropFirst().uppercased())
        guard digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        switch digits.count {
        case 6: return "#" + String(digits)
        case 3: return "#" + digits.map { "\($0)\($0)" }.joined()
        default: return nil
        }
    }

    /// The row of a code in the frequency tables (they follow codebook order).
    func row(_ id: Int64, rolledUp isRolledUp: Bool) -> FrequencyTable.Row? {
        guard let index = codeIndex[id] else { return nil }
        return (isRolledUp ? rolledUp : own).rows[index]
    }

    /// The codes that have a coding in their subtree, in codebook order.
    var usedCodes: [Int64] {
        zip(snapshot.tree.codes, rolledUp.rows).filter { $0.1.codings > 0 }.map(\.0.id)
    }

    /// One line: how much material the analysis covers.
    var scope: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return [
            count(snapshot.sources.count, "source"), count(snapshot.cases.count, "case"),
            count(snapshot.segments.count { !$0.isGap }, "segment"), count(snapshot.codings.count, "coding"),
        ].joined(separator: ", ")
    }

    // MARK: Tables

    /// The codebook with each code's own and rolled-up counts.
    func codebookTable(for format: OutputFormat) -> Table {
        let isReadable = format == .table || format == .md
        let tree = snapshot.tree
        return Table(
            columns: [
                .init("code", "Code"), .init("codings", "Codings", numeric: true), .init("segments", "Segments", numeric: true),
                .init("codings_rollup", "Codings (all)", numeric: true),
                .init("segments_rollup", "Segments (all)", numeric: true), .init("sources_rollup", "Sources (all)", numeric: true),
                .init("cases_rollup", "Cases (all)", numeric: true),
            ],
            rows: tree.codes.indices.map { index in
                let code = tree.codes[index]
                let mine = own.rows[index]
                let all = rolledUp.rows[index]
                let name = isReadable ? code.name + (code.isCodable ? "" : " (groups only)") : tree.displayPath(of: code.id)
                return [
                    .text(name), .int(mine.codings), .int(mine.segments), .int(all.codings), .int(all.segments),
                    .int(all.sources), .int(all.cases),
                ]
            },
            indents: isReadable ? tree.codes.map { tree.depth(of: $0.id) } : [])
    }

    /// The tables the report writes, by file name, CSV and JSON each.
    public func tables() -> [(name: String, text: String)] {
        var files: [(String, String)] = []
        for format in [OutputFormat.csv, .json] {
            let ext = format.rawValue
            files.append(("frequency.\(ext)", own.table(for: format).render(format)))
            files.append(("frequency-rollup.\(ext)", rolledUp.table(for: format).render(format)))
            files.append(("cooccurrence.\(ext)", cooccurrence.table(measure: .count, for: format).render(format)))
            files.append(("cooccurrence-pairs.\(ext)", cooccurrence.pairsTable(by: .jaccard, limit: pairCount, for: format).render(format)))
            files.append(("code-by-case.\(ext)", byCase.table(codes: snapshot.tree.codes.map(\.id), tree: snapshot.tree, for: format).render(format)))
            files.append(
                ("code-by-source.\(ext)", bySource.table(codes: snapshot.tree.codes.map(\.id), tree: snapshot.tree, for: format).render(format)))
            files.append(("excerpts.\(ext)", Excerpt.table(allExcerpts, for: format).render(format)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The number of pairs of codes in the co-occurrence matrix.
    private var pairCount: Int {
        let count = cooccurrence.codeIDs.count
        return max(1, count * (count - 1) / 2)
    }

    /// Every file of the report by name: `report.html`, `report.md` and the tables.
    public func files() -> [(name: String, text: String)] {
        [("report.html", html()), ("report.md", markdown())] + tables()
    }

    /// Writes every file of the report into a folder, creating it if need be; each file is
    /// written whole or not at all.
    /// - Returns: the names of the files written.
    /// - Throws: `QuillError.fileNotWritable`.
    @discardableResult
    public func write(to folder: URL) throws -> [String] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw QuillError.fileNotWritable(path: folder.path, reason: (error as NSError).localizedDescription)
        }
        var names: [String] = []
        for (name, text) in files() {
            try TemporaryFiles.write(Data(text.utf8), to: folder.appendingPathComponent(name))
            names.append(name)
        }
        return names
    }
}

/// Codings per code and per case or source. A coding counts once for each case whose segments
/// it touches, and once for its source.
struct CodingsMatrix {
    /// A column: a case or a source.
    struct Column {
        var name: String
        var isInterviewer: Bool
    }

    let columns: [Column]
    /// Codings of each code (on its own, not its sub-codes) per column.
    let counts: [Int64: [Int]]

    init(snapshot: AnalysisSnapshot, byCase: Bool) {
        var counts: [Int64: [Int]] = [:]
        if byCase {
            columns = snapshot.cases.map { Column(name: $0.name, isInterviewer: $0.isInterviewer) }
            let index = Dictionary(uniqueKeysWithValues: snapshot.cases.enumerated().map { ($1.id, $0) })
            for coding in snapshot.codings {
                let touched = Set(coding.segments.compactMap { snapshot.segments[$0].caseID.flatMap { index[$0] } })
                for column in touched {
                    counts[coding.codeID, default: [Int](repeating: 0, count: snapshot.cases.count)][column] += 1
                }
            }
        } else {
            columns = snapshot.sources.map { Column(name: $0.name, isInterviewer: false) }
            let index = Dictionary(uniqueKeysWithValues: snapshot.sources.enumerated().map { ($1.id, $0) })
            for coding in snapshot.codings {
                guard let column = index[coding.sourceID] else { continue }
                counts[coding.codeID, default: [Int](repeating: 0, count: snapshot.sources.count)][column] += 1
            }
        }
        self.counts = counts
    }

    /// The codings of a code per column.
    func row(_ id: Int64) -> [Int] {
        counts[id] ?? [Int](repeating: 0, count: columns.count)
    }

    /// The largest count in the matrix.
    var maximum: Int { counts.values.flatMap { $0 }.max() ?? 0 }

    /// Rows of codes, columns of cases or sources; interviewers are marked in readable formats.
    func table(codes: [Int64], tree: CodeTree, for format: OutputFormat) -> Table {
        let isReadable = format == .table || format == .md
        let headings = columns.map { column -> Table.Column in
            Table.Column(column.name, column.name + (isReadable && column.isInterviewer ? " (interviewer)" : ""), numeric: true)
        }
        return Table(
            columns: [Table.Column("code", "Code")] + headings,
            rows: codes.map { id in
                [.text(isReadable ? tree.code(id)?.name ?? "" : tree.displayPath(of: id))] + row(id).map(Table.Cell.int)
            },
            indents: isReadable ? codes.map { tree.depth(of: $0) } : [])
    }
}
