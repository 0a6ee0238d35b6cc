import Foundation

/// The formats every listing can be written in.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case table
    /// RFC 4180 CSV with a header row.
    case csv
    /// A JSON array of objects, one per row.
    case json
    /// A Markdown table.
    case md
}

/// A table of results that renders the same way for every command and format.
public struct Table: Sendable, Equatable {
    /// A column: its key in CSV and JSON, its heading on a terminal and in Markdown.
    public struct Column: Sendable, Equatable {
        /// The machine name, as in `segments`.
        public var key: String
        /// The heading for people, as in `Segments`.
        public var title: String
        /// Whether values line up on the right (numbers).
        package var isNumeric: Bool

        /// Creates a column.
        package init(_ key: String, _ title: String, numeric: Bool = false) {
            self.key = key
            self.title = title
            isNumeric = numeric
        }
    }

    /// A value in a cell.
    public enum Cell: Sendable, Equatable {
        /// Text.
        case text(String)
        /// A whole number.
        case int(Int)
        /// A number with a fixed number of decimals.
        case decimal(Double, places: Int)
        /// A true or false value.
        case bool(Bool)
        /// No value.
        case none
    }

    /// The columns.
    public var columns: [Column]
    /// The rows, each with one cell per column.
    public var rows: [[Cell]]
    /// For a terminal and Markdown only: how far to indent the first column of each row.
    public var indents: [Int]

    /// Creates a table.
    package init(columns: [Column], rows: [[Cell]], indents: [Int] = []) {
        self.columns = columns
        self.rows = rows
        self.indents = indents
    }

    /// The table in a format, ending with a newline.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return renderText()
        case .csv: return renderCSV()
        case .json: return renderJSON()
        case .md: return renderMarkdown()
        }
    }

    private func plain(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): return text
        case .int(let value): return String(value)
        case .decimal(let value, let places): return String(format: "%.\(places)f", value)
        case .bool(let value): return value ? "yes" : "no"
        case .none: return ""
        }
    }

    /// A cell's text on one line: line ends become spaces.
    private static func oneLine(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "\n")) ? text.replacingOccurrences(of: "\n", with: " ") : text
    }

    private func displayRows() -> [[String]] {
        rows.enumerated().map { index, row in
            row.enumerated().map { column, cell in
                let indent = column == 0 && index < indents.count ? String(repeating: "  ", count: indents[index]) : ""
                return indent + Self.oneLine(plain(cell))
            }
        }
    }

    private func renderText() -> String {
        let body = displayRows()
        let widths = columns.indices.map { column in
            max(columns[column].title.count, body.map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return columns[column].isNumeric ? padding + cell : (column == cells.count - 1 ? cell : cell + padding)
            }.joined(separator: "  ")
        }
        var lines = [line(columns.map(\.title)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += body.map(line)
        return lines.map(Self.trimmingTrailingSpace).joined(separator: "\n") + "\n"
    }

    /// A line without the white space at its end: what the regular expression `\s+$` removes,
    /// found by walking back from the end (the expression scanned every line from each of its
    /// positions, which made wide tables slow). `\s` is tab, line feed, form feed, carriage
    /// return and Unicode separators; `$` also matches before a final vertical tab or next-line
    /// character, which is kept.
    static func trimmingTrailingSpace(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var end = scalars.count
        if let last = scalars.last, last == "\u{0B}" || last == "\u{85}" { end -= 1 }
        var cut = end
        while cut > 0, isSpace(scalars[cut - 1]) { cut -= 1 }
        guard cut < end else { return line }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[..<cut])
        result.append(contentsOf: scalars[end...])
        return String(result)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\u{0C}", "\r": return true
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    private func renderCSV() -> String {
        func field(_ text: String) -> String {
            guard
                text.utf8.contains(where: {
                    $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
                })
            else { return text }
            guard text.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + text + "\"" }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        // Written into one string: a co-occurrence matrix of 1,000 codes has a million cells.
        var text = columns.map { field($0.key) }.joined(separator: ",") + "\r\n"
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { text += "," }
                if case .bool(let value) = cell {
                    text += value ? "true" : "false"
                } else {
                    text += field(plain(cell))
                }
            }
            text += "\r\n"
        }
        return text
    }

    private func renderJSON() -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row in
            "  {"
                + zip(columns, row).map { column, cell in
                    "\(JSON.string(column.key)): \(json(cell))"
                }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    private func json(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): return JSON.string(text)
        case .int(let value): return String(value)
        case .decimal(let value, let places): return value.isFinite ? String(format: "%.\(places)f", value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .none: return "null"
        }
    }

    private func renderMarkdown() -> String {
        func escape(_ text: String) -> String {
            // Most cells have nothing to escape; Foundation's replacing is slow on many cells.
            guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "|") }) else { return text }
            return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
        }
        let body = rows.enumerated().map { index, row in
            row.enumerated().map { column, cell in
                let indent = column == 0 && index < indents.count ? String(repeating: "\u{A0}\u{A0}", count: indents[index]) : ""
                return indent + escape(Self.oneLine(plain(cell)))
            }
        }
        var lines = [
            "| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |",
            "|" + columns.map { $0.isNumeric ? " ---: |" : " --- |" }.joined(),
        ]
        lines += body.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// JSON text for strings, written by hand so that output is the same bytes on every platform.
public enum JSON {
    /// A JSON string literal.
    package static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
