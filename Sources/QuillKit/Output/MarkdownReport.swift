import Foundation

extension Report {
    /// The report as Markdown: the sections of the HTML report without the transcripts, with
    /// tables as Markdown tables and excerpts as block quotes.
    package func markdown() -> String {
        let tree = snapshot.tree
        var lines: [String] = [
            "# " + Self.markdownText(projectName),
            "",
            "Codebook: **\(Self.markdownText(codebookName))** · \(scope)",
            "",
            "## Provenance",
            "",
            "- Made with: Quill \(Self.markdownText(options.quillVersion))",
            "- Project file: \(Self.markdownText(projectFileName))",
            "- Filter: \(Self.markdownText(filter.summary))",
            "- Co-occurrence unit: \(ReportOptions.describe(options.unit)) (\(ReportOptions.explain(options.unit)))",
            "- Made at: \(options.timestamp)",
            "",
            "## Codebook",
            "",
            "Each code's own codings and segments, then (“all”) the code with everything below it, each coding, segment, source and case counted once.",
            "",
        ]
        lines.append(Self.markdownSafe(codebookTable(for: .md)).render(.md))

        lines += [
            "## Code frequencies", "",
            "Segments coded with each code or a code below it, each segment counted once; codes with no coding are left out.", "",
        ]
        let used = usedCodes
        if used.isEmpty {
            lines += ["Nothing is coded yet.", ""]
        } else {
            let maximum = max(1, used.compactMap { row($0, rolledUp: true)?.segments }.max() ?? 1)
            let table = Table(
                columns: [.init("code", "Code"), .init("segments", "Segments", numeric: true), .init("bar", "")],
                rows: used.map { id in
                    let segments = row(id, rolledUp: true)?.segments ?? 0
                    let length = max(1, Int((Double(segments) / Double(maximum) * 30).rounded()))
                    return [.text(tree.code(id)?.name ?? ""), .int(segments), .text(String(repeating: "█", count: length))]
                },
                indents: used.map { tree.depth(of: $0) })
            lines.append(Self.markdownSafe(table).render(.md))
        }

        lines += ["## Co-occurrence", "", "Unit: \(ReportOptions.describe(options.unit)): \(ReportOptions.explain(options.unit)).", ""]
        let pairs = cooccurrence.pairsTable(by: .jaccard, limit: 20, for: .md)
        if pairs.rows.isEmpty {
            lines += ["No two codes co-occur.", ""]
        } else {
            lines += [
                "The strongest pairs by the Jaccard coefficient (both codes ÷ either code). cooccurrence.csv has the whole matrix "
                    + "of counts, and cooccurrence-pairs.csv every pair.", "",
            ]
            lines.append(Self.markdownSafe(pairs).render(.md))
        }

        lines += [
            "## Codes by case", "",
            "Codings of each code itself (not its sub-codes) in what each case says; a coding that spans two cases' turns counts for both.", "",
        ]
        if byCase.columns.isEmpty || used.isEmpty {
            lines += ["No coded turn has a speaker.", ""]
        } else {
            lines.append(Self.markdownSafe(byCase.table(codes: used, tree: tree, for: .md)).render(.md))
        }

        lines += ["## Excerpts by code", "", "Every segment each code touches, in reading order.", ""]
        if excerptsByCode.isEmpty { lines += ["Nothing is coded yet.", ""] }
        for (id, found) in excerptsByCode {
            lines += ["### \(Self.markdownText(tree.displayPath(of: id))) (\(found.count) excerpt\(found.count == 1 ? "" : "s"))", ""]
            for excerpt in found.prefix(Self.excerptLimit) {
                lines += [
                    "**\(Self.markdownText(excerpt.source)) \(excerpt.place)**" + (excerpt.speaker.map { " · " + Self.markdownText($0) } ?? ""),
                    "",
                ]
                let body = excerpt.text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false)
                lines += body.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? ">" : "> " + Self.markdownText(String($0)) }
                lines.append("")
            }
            if found.count > Self.excerptLimit {
                lines += ["… and \(found.count - Self.excerptLimit) more; excerpts.csv has them all.", ""]
            }
        }
        return lines.joined(separator: "\n").replacingOccurrences(of: "\n\n\n", with: "\n\n")
            .trimmingCharacters(in: .newlines) + "\n"
    }

    /// A table whose text cells and headings are safe for Markdown, as `markdownText` makes them.
    static func markdownSafe(_ table: Table) -> Table {
        var safe = table
        safe.columns = table.columns.map { column in
            var column = column
            column.title = markdownText(column.title)
            return column
        }
        safe.rows = table.rows.map { row in
            row.map { cell in
                if case .text(let text) = cell { return .text(markdownText(text)) }
                return cell
            }
        }
        return safe
    }

    /// Text for Markdown prose: HTML's `<` and `&` are written as references, so that a
    /// transcript's markup shows as text instead of being run by a Markdown renderer.
    static func markdownText(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
