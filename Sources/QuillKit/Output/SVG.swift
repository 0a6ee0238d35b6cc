import Foundation

/// Inline SVG charts for the HTML report: plain shapes and text, with `<title>` elements for
/// hovering, so that they need neither scripts nor external files.
enum SVG {
    /// One bar of a bar chart.
    struct Bar {
        var label: String
        var depth: Int
        var value: Int
        var colour: String
        var title: String
    }

    /// An estimate of the width of a character of the charts' 12px sans-serif text.
    static let characterWidth = 6.9

    /// Text shortened to fit a width, with an ellipsis.
    static func fit(_ text: String, width: Double) -> String {
        let room = max(4, Int(width / characterWidth))
        guard text.count > room else { return text }
        return String(text.prefix(room - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// A number for SVG attributes: whole numbers plainly, others with one decimal.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A horizontal bar chart, one row per bar, labels indented by depth.
    static func barChart(_ bars: [Bar], label: String) -> String {
        let width = 1200.0, labelWidth = 400.0, rowHeight = 22.0, barHeight = 14.0, top = 6.0
        let barArea = width - labelWidth - 70
        let maximum = Double(max(1, bars.map(\.value).max() ?? 1))
        let height = top * 2 + rowHeight * Double(bars.count)
        var svg =
            "<svg class=\"bars\" role=\"img\" aria-label=\"\(escapeHTML(label))\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\">\n"
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let indent = 6 + Double(bar.depth) * 16
            let length = max(2, (Double(bar.value) / maximum * barArea).rounded())
            let shade =
                index % 2 == 0 ? "<rect x=\"0\" y=\"\(number(y))\" width=\"\(number(width))\" height=\"\(number(rowHeight))\" fill=\"#F6F8FB\"/>" : ""
            svg +=
                "<g><title>\(escapeHTML(bar.title))</title>\(shade)"
                + "<text x=\"\(number(indent))\" y=\"\(number(y + 15))\"\(bar.depth == 0 ? " font-weight=\"600\"" : "")>"
                + escapeHTML(fit(bar.label, width: labelWidth - indent - 12)) + "</text>"
                + "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + (rowHeight - barHeight) / 2))\" width=\"\(number(length))\" "
                + "height=\"\(number(barHeight))\" rx=\"2\" fill=\"\(escapeHTML(bar.colour))\"/>"
                + "<text x=\"\(number(labelWidth + length + 6))\" y=\"\(number(y + 15))\" fill=\"#3B4252\">\(bar.value)</text></g>\n"
        }
        return svg + "</svg>"
    }

    /// A code in a heatmap.
    struct HeatCode {
        var name: String
        var path: String
        var colour: String
        var frequency: Int
    }

    /// A cell of a heatmap.
    struct HeatCell {
        var count: Int
        var jaccard: Double?
        var isImbalanced: Bool
    }

    /// A fill between a pale and a dark blue, for a share from 0 to 1.
    static func shade(_ share: Double) -> String {
        let t = min(1, max(0, share))
        let low = (239.0, 244.0, 252.0), high = (8.0, 48.0, 107.0)
        let mix = { (a: Double, b: Double) in Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02X%02X%02X", mix(low.0, high.0), mix(low.1, high.1), mix(low.2, high.2))
    }

    /// The fill of the diagonal: a warm grey, apart from the blues of the scale.
    static let diagonal = "#E3DCCB"

    /// Whether text on a shade needs to be white.
    static func isDark(_ share: Double) -> Bool { share > 0.45 }

    /// A code × code heatmap: cells shaded by Jaccard relative to the largest off the diagonal,
    /// each with a `<title>` giving both codes, the count and the Jaccard coefficient.
    static func heatmap(_ codes: [HeatCode], units: String, cell: (Int, Int) -> HeatCell) -> String {
        let n = codes.count
        let size = n <= 12 ? 34.0 : (n <= 24 ? 26.0 : 19.0)
        let labelWidth = 270.0, top = 190.0, angle = -55.0
        let labelRoom = 175.0
        let width = labelWidth + size * Double(n) + 150
        let height = top + size * Double(n) + 10
        var maximum = 0.0
        for row in 0..<n {
            for column in 0..<n where column != row {
                maximum = max(maximum, cell(row, column).jaccard ?? 0)
            }
        }
        var svg =
            "<svg class=\"heatmap\" role=\"img\" aria-label=\"Co-occurrence heatmap\" "
            + "width=\"\(number(width))\" height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\">\n"
        for (index, code) in codes.enumerated() {
            let middle = labelWidth + size * (Double(index) + 0.5)
            let y = top + size * Double(index)
            svg +=
                "<g><title>\(escapeHTML(code.path))</title>"
                + "<text transform=\"translate(\(number(middle + 4)),\(number(top - 6))) rotate(\(number(angle)))\">"
                + escapeHTML(fit(code.name, width: labelRoom)) + "</text>"
                + "<rect x=\"\(number(labelWidth - 16))\" y=\"\(number(y + size / 2 - 5))\" width=\"10\" height=\"10\" rx=\"2\" fill=\"\(escapeHTML(code.colour))\"/>"
                + "<text x=\"\(number(labelWidth - 22))\" y=\"\(number(y + size / 2 + 4))\" text-anchor=\"end\">"
                + escapeHTML(fit(code.name, width: labelWidth - 30)) + "</text></g>\n"
        }
        for row in 0..<n {
            for column in 0..<n {
                let x = labelWidth + size * Double(column), y = top + size * Double(row)
                let rect =
                    "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(size))\" height=\"\(number(size))\" stroke=\"#FFFFFF\" stroke-width=\"1\" "
                if row == column {
                    let frequency = codes[row].frequency
                    svg +=
                        "<g><title>\(escapeHTML("\(codes[row].path)\nin \(frequency) \(frequency == 1 ? String(units.dropLast()) : units) (the code itself)"))</title>"
                        + rect + "fill=\"\(diagonal)\"/>"
                        + (size >= 26 ? label(frequency, x: x, y: y, size: size, colour: "#4C566A") : "") + "</g>\n"
                    continue
                }
                let value = cell(row, column)
                // The square root spreads the many small coefficients over more of the scale.
                let share = value.count == 0 ? 0 : 0.1 + 0.9 * (maximum > 0 ? ((value.jaccard ?? 0) / maximum).squareRoot() : 0)
                var title =
                    "\(codes[row].path)\n× \(codes[column].path)\ncount: \(value.count)\nJaccard: "
                    + (value.jaccard.map { String(format: "%.3f", $0) } ?? "–")
                if value.isImbalanced { title += "\nThe two codes' frequencies differ a lot: the coefficient may mislead." }
                svg += "<g><title>\(escapeHTML(title))</title>" + rect + "fill=\"\(value.count == 0 ? "#FFFFFF" : shade(share))\"/>"
                if value.isImbalanced && value.count > 0 {
                    svg += "<circle cx=\"\(number(x + size - 4.5))\" cy=\"\(number(y + 4.5))\" r=\"2.2\" fill=\"#D08770\"/>"
                }
                if size >= 26 && value.count > 0 {
                    svg += label(value.count, x: x, y: y, size: size, colour: isDark(share) ? "#FFFFFF" : "#2E3440")
                }
                svg += "</g>\n"
            }
        }
        // A frame around the grid, so that empty cells read as part of it.
        svg +=
            "<rect x=\"\(number(labelWidth))\" y=\"\(number(top))\" width=\"\(number(size * Double(n)))\" height=\"\(number(size * Double(n)))\" "
            + "fill=\"none\" stroke=\"#C8CED8\"/>\n"
        return svg + "</svg>"
    }

    private static func label(_ value: Int, x: Double, y: Double, size: Double, colour: String) -> String {
        "<text x=\"\(number(x + size / 2))\" y=\"\(number(y + size / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(colour)\">\(value)</text>"
    }

    /// The heatmap's legend: the scale from 0 to the largest Jaccard coefficient.
    static func legend(maximum: Double) -> String {
        var svg = "<svg class=\"legend\" width=\"330\" height=\"34\" viewBox=\"0 0 330 34\" aria-hidden=\"true\">"
        for step in 0..<10 {
            svg += "<rect x=\"\(40 + step * 22)\" y=\"4\" width=\"22\" height=\"14\" fill=\"\(shade(0.1 + 0.9 * (Double(step) / 9).squareRoot()))\"/>"
        }
        svg += "<text x=\"36\" y=\"15\" text-anchor=\"end\">0</text>"
        svg += "<text x=\"266\" y=\"15\">\(String(format: "%.3f", maximum))</text>"
        return svg + "</svg>"
    }
}
