extension FrequencyTable {
    /// The table as rows and columns; on a terminal and in Markdown, codes are indented by depth,
    /// in CSV and JSON they are written as full paths.
    public func table(for format: OutputFormat) -> Table {
        let isReadable = format == .table || format == .md
        let share = { (count: Int, total: Int) -> Table.Cell in
            total == 0 ? .none : .decimal(Double(count) * 100 / Double(total), places: 1)
        }
        return Table(
            columns: [
                .init("code", "Code"), .init("depth", "Depth", numeric: true), .init("codings", "Codings", numeric: true),
                .init("segments", "Segments", numeric: true), .init("sources", "Sources", numeric: true),
                .init("sources_pct", "% sources", numeric: true), .init("cases", "Cases", numeric: true),
                .init("cases_pct", "% cases", numeric: true),
            ].filter { !isReadable || $0.key != "depth" },
            rows: rows.map { row in
                let cells: [Table.Cell] = [
                    .text(isReadable ? row.path.last ?? "" : CodePath.display(row.path)), .int(row.depth), .int(row.codings),
                    .int(row.segments), .int(row.sources), share(row.sources, totalSources), .int(row.cases),
                    share(row.cases, totalCases),
                ]
                return isReadable ? cells.enumerated().filter { $0.offset != 1 }.map(\.element) : cells
            },
            indents: isReadable ? rows.map(\.depth) : [])
    }
}
