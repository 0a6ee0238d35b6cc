import CSV
import Foundation

/// A CSV file as researchers save it from R, pandas or a spreadsheet, read and checked: quotes
/// that pair up, a header of unique, non-empty names, and every row as long as the header.
/// Rows whose cells are all empty are skipped.
enum CSVFile {
    /// A row of the file with the number of the line (record) it starts on, counting the header as 1.
    struct Row {
        var line: Int
        var cells: [String]
    }

    /// The header and rows of the text.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - path: the file's name, for messages.
    ///   - checkHeader: further checks of the header (trimmed), run before its names are
    ///     checked for gaps and repeats.
    /// - Throws: `QuillError.badInput` naming the file and the line.
    static func read(_ text: String, path: String, checkHeader: ([String]) throws -> Void = { _ in }) throws -> (header: [String], rows: [Row]) {
        // Quotes come in pairs in CSV (a quote inside a value is written twice); an odd number
        // means a value whose closing quote is missing, which would swallow the rows after it.
        if text.filter({ $0 == "\"" }).count % 2 == 1 {
            let line =
                text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.filter { $0 == "\"" }.count % 2 == 1 }.map { $0 + 1 } ?? 1
            throw QuillError.badInput(
                path: path, problem: "a quoted value is not closed (the first odd quote is on line \(line))",
                remedy: "Close the quote, or write a quote inside a value as two quotes (\"\").")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw QuillError.badInput(path: path, problem: "it could not be read as CSV", remedy: "Save it as CSV (comma-separated, UTF-8).")
        }
        let header = reader.next()?.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        try checkHeader(header)
        var seen = Set<String>()
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw QuillError.badInput(path: path, problem: "column \(index + 1) of the header has no name", remedy: "Name every column.")
            }
            guard seen.insert(name.lowercased()).inserted else {
                throw QuillError.badInput(path: path, problem: "the header names '\(name)' twice", remedy: "Give every column its own name.")
            }
        }
        var rows: [Row] = []
        var line = 1
        while let cells = reader.next() {
            line += 1
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard cells.count == header.count else {
                throw QuillError.badInput(
                    path: path, problem: "row \(line) has \(cells.count) cells but the header has \(header.count)",
                    remedy: "Give every row one cell per column (leave a cell empty if there is no value; quote values that contain commas).")
            }
            rows.append(Row(line: line, cells: cells))
        }
        if let error = reader.error {
            throw QuillError.badInput(
                path: path, problem: "it is not well-formed CSV near row \(line + 1) (\(error))", remedy: "Check the quotes on that row.")
        }
        return (header, rows)
    }

    /// A value as one CSV field: quoted when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
