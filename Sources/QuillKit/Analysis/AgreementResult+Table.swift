import Foundation

extension AgreementResult {
    /// The figures, one row per code and the pooled row last. CSV and JSON carry the unit and
    /// the treatment of uncoded units in every row (the other formats say them above the
    /// table, from `explanation`); there a figure that is not defined is null, elsewhere `n/a`.
    public func table(for format: OutputFormat) -> Table {
        let isData = format == .csv || format == .json
        func figure(_ value: Double?, scale: Double = 1, places: Int = 3) -> Table.Cell {
            value.map { .decimal($0 * scale, places: places) } ?? (isData ? .none : .text("n/a"))
        }
        var columns: [Table.Column] = [
            .init("code", "Code"), .init("units", "Units", numeric: true), .init("coded", "Coded", numeric: true),
            .init("coded_by_all", "By all", numeric: true), .init("agreement_pct", "Agreement %", numeric: true),
            .init("cohen_kappa", "Cohen κ", numeric: true), .init("fleiss_kappa", "Fleiss κ", numeric: true),
            .init("krippendorff_alpha", "Kripp. α", numeric: true),
        ]
        if isData { columns += [.init("unit", "Unit"), .init("uncoded_units", "Uncoded units")] }
        let rows = (codes + [overall]).map { row -> [Table.Cell] in
            var cells: [Table.Cell] = [
                .text(row.label), .int(row.units), .int(row.coded), .int(row.codedByAll),
                figure(row.percent, scale: 100, places: 1), figure(row.cohensKappa),
                figure(row.fleissKappa), figure(row.krippendorffAlpha),
            ]
            if isData { cells += [.text(query.unit.rawValue), .text(query.onlyCoded ? "left out" : "counted")] }
            return cells
        }
        return Table(columns: columns, rows: rows)
    }
}

extension AgreementDisagreement {
    /// Disagreements, one row per code and segment; on a terminal and in Markdown the text is
    /// cut to one short line.
    public static func table(_ found: [AgreementDisagreement], for format: OutputFormat) -> Table {
        let isData = format == .csv || format == .json
        return Table(
            columns: [
                .init("code", "Code"), .init("source", "Source"), .init("segment", "#", numeric: true),
                .init("speaker", "Speaker"), .init("coded_by", "Coded by"), .init("not_coded_by", "Not by"),
                .init("text", "Text"),
            ],
            rows: found.map { item in
                let text = item.excerpt.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return [
                    .text(item.code), .text(item.excerpt.source), item.excerpt.segment.map(Table.Cell.int) ?? .none,
                    item.excerpt.speaker.map(Table.Cell.text) ?? .none,
                    .text(item.codedBy.joined(separator: ", ")), .text(item.notCodedBy.joined(separator: ", ")),
                    .text(isData ? text : shortened(text, to: 60)),
                ]
            })
    }

    /// A text on one line, cut to some characters with an ellipsis where it was cut.
    static func shortened(_ text: String, to length: Int) -> String {
        let line = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count <= length ? line : String(line.prefix(length - 1)) + "…"
    }
}
