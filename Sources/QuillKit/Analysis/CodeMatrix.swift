import Foundation
import GRDB

/// What the columns of a code matrix are.
public enum MatrixDimension: Equatable, Sendable, CustomStringConvertible {
    /// One column per source.
    case source
    /// One column per case.
    case `case`
    /// One column per value of a case attribute (cases without a value form `(none)`).
    case attribute(String)

    /// Reads `source`, `case` or `attribute:NAME`.
    package init?(argument: String) {
        let lowered = argument.lowercased()
        if lowered == "source" {
            self = .source
        } else if lowered == "case" {
            self = .case
        } else if lowered.hasPrefix("attribute:"),
            case let name = String(argument.dropFirst("attribute:".count)).trimmingCharacters(in: .whitespaces), !name.isEmpty
        {
            self = .attribute(name)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .source: return "source"
        case .case: return "case"
        case .attribute(let name): return "attribute:\(name)"
        }
    }
}

/// A code × source, code × case or code × attribute-value matrix.
///
/// A cell counts the segments of its column that carry the code (any coding touching them),
/// and, as a share, what part of the column's segments that is. With roll-up a code counts
/// the segments of its whole subtree, each once.
public struct CodeMatrix: Sendable {
    /// The columns' names, in order.
    public let columns: [String]
    /// The segments in each column.
    package let columnTotals: [Int]
    /// The codes, in codebook order.
    public let codeIDs: [Int64]
    /// Coded segments per code and column.
    public let counts: [Int64: [Int]]
    /// Whether codes include their subtrees.
    package let isRolledUp: Bool
    private let tree: CodeTree

    /// Builds the matrix from a snapshot in one pass over its codings.
    package init(snapshot: AnalysisSnapshot, dimension: MatrixDimension, rollUp: Bool) {
        tree = snapshot.tree
        isRolledUp = rollUp
        // The column of every segment.
        var columnNames: [String] = []
        var columnOfSegment: [Int?] = []
        switch dimension {
        case .source:
            columnNames = snapshot.sources.map(\.name)
            let index = Dictionary(uniqueKeysWithValues: snapshot.sources.enumerated().map { ($1.id, $0) })
            columnOfSegment = snapshot.segments.map { index[$0.sourceID] }
        case .case:
            columnNames = snapshot.cases.map(\.name)
            let index = Dictionary(uniqueKeysWithValues: snapshot.cases.enumerated().map { ($1.id, $0) })
            columnOfSegment = snapshot.segments.map { $0.caseID.flatMap { index[$0] } }
        case .attribute(let name):
            let valueOfCase = Dictionary(
                uniqueKeysWithValues: snapshot.cases.map { found in
                    (found.id, found.attributes.first { $0.key.lowercased() == name.lowercased() }?.value ?? "(none)")
                })
            columnNames = Set(valueOfCase.map(\.value)).sorted(by: Self.valueOrder)
            let index = Dictionary(uniqueKeysWithValues: columnNames.enumerated().map { ($1, $0) })
            columnOfSegment = snapshot.segments.map { $0.caseID.flatMap { valueOfCase[$0] }.flatMap { index[$0] } }
        }
        var totals = [Int](repeating: 0, count: columnNames.count)
        for column in columnOfSegment.compactMap({ $0 }) { totals[column] += 1 }

        var segmentsOfCode: [Int64: Set<Int>] = [:]
        for coding in snapshot.codings {
            segmentsOfCode[coding.codeID, default: []].formUnion(coding.segments)
        }
        if rollUp {
            for code in snapshot.tree.codes.reversed() {
                if let parent = code.parentID, let child = segmentsOfCode[code.id] {
                    segmentsOfCode[parent, default: []].formUnion(child)
                }
            }
        }
        var counts: [Int64: [Int]] = [:]
        for code in snapshot.tree.codes {
            var row = [Int](repeating: 0, count: columnNames.count)
            for segment in segmentsOfCode[code.id] ?? [] {
                if let column = columnOfSegment[segment] { row[column] += 1 }
            }
            counts[code.id] = row
        }
        columns = columnNames
        columnTotals = totals
        codeIDs = snapshot.tree.codes.map(\.id)
        self.counts = counts
    }

    /// Attribute values in a total order: numbers first, by value; then text alphabetically;
    /// `(none)` last.
    private static func valueOrder(_ lhs: String, _ rhs: String) -> Bool {
        func rank(_ value: String) -> (Int, Double, String, String) {
            if value == "(none)" { return (2, 0, "", "") }
            if let number = Double(value), number.isFinite { return (0, number, value.lowercased(), value) }
            return (1, 0, value.lowercased(), value)
        }
        return rank(lhs) < rank(rhs)
    }

    /// The matrix as a table: counts, or shares of each column's segments in percent.
    public func table(shares: Bool, for format: OutputFormat) -> Table {
        let isReadable = format == .table || format == .md
        var tableColumns = [Table.Column("code", "Code")]
        tableColumns += columns.map { Table.Column($0, $0, numeric: true) }
        let rows = codeIDs.map { id -> [Table.Cell] in
            let name = isReadable ? tree.code(id)?.name ?? "" : tree.displayPath(of: id)
            let values = (counts[id] ?? []).enumerated().map { column, count -> Table.Cell in
                guard shares else { return .int(count) }
                return columnTotals[column] == 0 ? .none : .decimal(Double(count) * 100 / Double(columnTotals[column]), places: 1)
            }
            return [.text(name)] + values
        }
        return Table(columns: tableColumns, rows: rows, indents: isReadable ? codeIDs.map { tree.depth(of: $0) } : [])
    }
}

extension ProjectAnalysis {
    /// A code matrix over the codings that pass a filter.
    /// - Throws: `QuillError.invalidArgument` for an attribute the project does not have.
    public func matrix(_ dimension: MatrixDimension, rollUp: Bool, filter: AnalysisFilter) throws -> CodeMatrix {
        if case .attribute(let name) = dimension {
            let names = try project.read { db in try String.fetchAll(db, sql: "SELECT name FROM attribute ORDER BY name COLLATE NOCASE") }
            guard names.contains(where: { $0.lowercased() == name.lowercased() }) else {
                let problem = "No case attribute is called '\(name)'."
                throw names.isEmpty
                    ? QuillError.refused(problem, remedy: .importAttributes)
                    : QuillError.invalidArgument(problem + " The attributes: \(names.joined(separator: ", ")).")
            }
        }
        return CodeMatrix(snapshot: try snapshot(filter), dimension: dimension, rollUp: rollUp)
    }
}
