import Foundation

/// Text made safe for HTML, in element content and in quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` become character references, and control characters other than tab and line
/// feed (which HTML does not allow) become U+FFFD.
///
/// Every piece of project, codebook, case and transcript text in the HTML report goes through
/// this one function.
package func escapeHTML(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result.append(contentsOf: "&amp;".unicodeScalars)
        case "<": result.append(contentsOf: "&lt;".unicodeScalars)
        case ">": result.append(contentsOf: "&gt;".unicodeScalars)
        case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
        case "'": result.append(contentsOf: "&#39;".unicodeScalars)
        case "\n", "\t": result.append(scalar)
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
            result.append("\u{FFFD}")
        default: result.append(scalar)
        }
    }
    return String(result)
}

extension Report {
    /// The report as one self-contained HTML page: inline CSS and SVG, no scripts, no
    /// references to other files or to the network.
    public func html() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeHTML(projectName)) · Quill report</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <main>
            <header>
            <h1>\(escapeHTML(projectName))</h1>
            <p class="sub">Codebook: <strong>\(escapeHTML(codebookName))</strong> · \(escapeHTML(scope))</p>
            </header>
            <nav class="toc"><a href="#provenance">Provenance</a><a href="#codebook">Codebook</a><a href="#frequencies">Frequencies</a>\
            <a href="#cooccurrence">Co-occurrence</a><a href="#cases">Codes by case</a><a href="#excerpts">Excerpts</a>\
            <a href="#transcripts">Transcripts</a></nav>

            """
        page += provenanceSection()
        page += codebookSection()
        page += frequencySection()
        page += cooccurrenceSection()
        page += caseSection()
        page += excerptSection()
        page += transcriptSection()
        page += "<footer class=\"note\">Made by Quill \(escapeHTML(options.quillVersion)) from \(escapeHTML(projectFileName)).</footer>\n"
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    // MARK: Sections

    private func provenanceSection() -> String {
        """
        <section id="provenance">
        <h2>Provenance</h2>
        <dl class="prov">
        <dt>Made with</dt><dd>Quill \(escapeHTML(options.quillVersion))</dd>
        <dt>Project file</dt><dd>\(escapeHTML(projectFileName))</dd>
        <dt>Filter</dt><dd>\(escapeHTML(filter.summary))</dd>
        <dt>Co-occurrence unit</dt><dd>\(escapeHTML(ReportOptions.describe(options.unit))): \(escapeHTML(ReportOptions.explain(options.unit)))</dd>
        <dt>Made at</dt><dd>\(escapeHTML(options.timestamp))</dd>
        </dl>
        </section>

        """
    }

    private func codebookSection() -> String {
        let tree = snapshot.tree
        var html = """
            <section id="codebook">
            <h2>Codebook</h2>
            <p class="note">Each code's own codings and segments, then the code with everything below it (“all”), each coding, \
            segment, source and case counted once.</p>
            <div class="scroll"><table class="codebook">
            <thead><tr><th>Code</th><th class="n">Codings</th><th class="n">Segments</th><th class="n">Codings (all)</th>\
            <th class="n">Segments (all)</th><th class="n">Sources (all)</th><th class="n">Cases (all)</th></tr></thead>
            <tbody>

            """
        for (index, code) in tree.codes.enumerated() {
            let mine = own.rows[index], all = rolledUp.rows[index]
            let depth = tree.depth(of: code.id)
            var hover = tree.displayPath(of: code.id)
            if let definition = code.definition, !definition.isEmpty { hover += "\n" + definition }
            html +=
                "<tr\(all.codings == 0 ? " class=\"zero\"" : "")><td class=\"code\" style=\"padding-left:\(SVG.number(0.6 + Double(depth) * 1.3))rem\">"
                + swatch(code.id) + "<span title=\"\(escapeHTML(hover))\"\(depth == 0 ? " class=\"top\"" : "")>\(escapeHTML(code.name))</span>"
                + (code.isCodable ? "" : "<span class=\"tag\">groups only</span>") + "</td>"
                + [mine.codings, mine.segments, all.codings, all.segments, all.sources, all.cases]
                .map { "<td class=\"n\">\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></div>\n</section>\n\n"
    }

    private func frequencySection() -> String {
        let tree = snapshot.tree
        let bars = usedCodes.compactMap { id -> SVG.Bar? in
            guard let all = row(id, rolledUp: true) else { return nil }
            let mine = row(id, rolledUp: false)?.segments ?? 0
            return SVG.Bar(
                label: tree.code(id)?.name ?? "", depth: tree.depth(of: id), value: all.segments, colour: colour(of: id),
                title:
                    "\(tree.displayPath(of: id))\n\(all.segments) segment\(all.segments == 1 ? "" : "s") with sub-codes (\(mine) with the code itself)\n"
                    + "\(all.codings) coding\(all.codings == 1 ? "" : "s"), \(all.sources) source\(all.sources == 1 ? "" : "s"), "
                    + "\(all.cases) case\(all.cases == 1 ? "" : "s")")
        }
        var html = """
            <section id="frequencies">
            <h2>Code frequencies</h2>
            <p class="note">Segments coded with each code or a code below it, each segment counted once; codes with no coding are left out. \
            Sub-codes are indented under their parent.</p>

            """
        if bars.isEmpty {
            html += "<p class=\"empty\">Nothing is coded yet.</p>\n"
        } else {
            html += "<div class=\"scroll chart\">\n" + SVG.barChart(bars, label: "Segments per code") + "\n</div>\n"
        }
        return html + "</section>\n\n"
    }

    private func cooccurrenceSection() -> String {
        let tree = snapshot.tree
        let unit = ReportOptions.describe(options.unit)
        var html = """
            <section id="cooccurrence">
            <h2>Co-occurrence</h2>
            <p class="note">Unit: <strong>\(escapeHTML(unit))</strong>: \(escapeHTML(ReportOptions.explain(options.unit))). \
            Each cell is shaded by the Jaccard coefficient (both codes ÷ either code); hover over a cell for the two codes, \
            the count and the coefficient. A dot marks pairs whose frequencies differ so much that the coefficient may mislead. \
            The diagonal is the code itself.</p>

            """
        if let heatmapNote { html += "<p class=\"note warn\">\(escapeHTML(heatmapNote))</p>\n" }
        guard heatmapCodes.count >= 2 else {
            return html + "<p class=\"empty\">Fewer than two codes have codings, so nothing can co-occur.</p>\n</section>\n\n"
        }
        let codes = heatmapCodes.map { id in
            SVG.HeatCode(
                name: tree.code(id)?.name ?? "", path: tree.displayPath(of: id), colour: colour(of: id),
                frequency: cooccurrence.frequency(id))
        }
        let ids = heatmapCodes
        var maximum = 0.0
        for a in ids { for b in ids where a != b { maximum = max(maximum, cooccurrence.value(a, b, .jaccard) ?? 0) } }
        html +=
            "<div class=\"scroll chart\">\n"
            + SVG.heatmap(codes, units: options.unit.unitName) { row, column in
                SVG.HeatCell(
                    count: cooccurrence.count(ids[row], ids[column]), jaccard: cooccurrence.value(ids[row], ids[column], .jaccard),
                    isImbalanced: cooccurrence.isImbalanced(ids[row], ids[column]))
            } + "\n</div>\n"
        html +=
            "<p class=\"legend\">" + SVG.legend(maximum: maximum) + " Jaccard, from 0 to the highest in the map · "
            + "<span class=\"sw\" style=\"background:\(SVG.diagonal)\"></span>the code itself · "
            + "<span class=\"dot\"></span>frequencies differ a lot</p>\n"
        let pairs = cooccurrence.strongestPairs(by: .jaccard, limit: 15)
        if !pairs.isEmpty {
            html +=
                "<h3>Strongest pairs</h3>\n<p class=\"note\">The 15 pairs with the highest Jaccard coefficient among all codes; "
                + "cooccurrence-pairs.csv ranks every pair.</p>\n"
                + "<div class=\"scroll\"><table class=\"pairs\"><thead><tr><th>Code A</th><th>Code B</th><th class=\"n\">Both</th>"
                + "<th class=\"n\">Jaccard</th><th class=\"n\">A</th><th class=\"n\">B</th><th></th></tr></thead><tbody>\n"
            for pair in pairs {
                let value = pair.value.isNaN ? "–" : String(format: "%.3f", pair.value)
                html +=
                    "<tr><td>\(codeLabel(pair.a))</td><td>\(codeLabel(pair.b))</td><td class=\"n\">\(pair.count)</td>"
                    + "<td class=\"n\">\(value)</td><td class=\"n\">\(cooccurrence.frequency(pair.a))</td>"
                    + "<td class=\"n\">\(cooccurrence.frequency(pair.b))</td>"
                    + "<td class=\"note\">\(pair.isImbalanced ? "frequencies differ a lot" : "")</td></tr>\n"
            }
            html += "</tbody></table></div>\n"
        }
        return html + "</section>\n\n"
    }

    private func caseSection() -> String {
        let tree = snapshot.tree
        var html = """
            <section id="cases">
            <h2>Codes by case</h2>
            <p class="note">Codings of each code itself (not its sub-codes) in what each case says; a coding that spans two \
            cases' turns counts for both. <span class="iv-mark">†</span> marks interviewers.</p>

            """
        guard !byCase.columns.isEmpty, !usedCodes.isEmpty else {
            return html + "<p class=\"empty\">No coded turn has a speaker.</p>\n</section>\n\n"
        }
        let maximum = Double(max(1, byCase.maximum))
        html += "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th class=\"code\">Code</th>"
        for column in byCase.columns {
            html +=
                "<th class=\"case\"><span title=\"\(escapeHTML(column.name + (column.isInterviewer ? " (interviewer)" : "")))\">"
                + escapeHTML(SVG.fit(column.name, width: 170)) + (column.isInterviewer ? " <span class=\"iv-mark\">†</span>" : "") + "</span></th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for id in usedCodes {
            let depth = tree.depth(of: id)
            html +=
                "<tr><td class=\"code\" style=\"padding-left:\(SVG.number(0.6 + Double(depth) * 1.3))rem\">" + swatch(id)
                + "<span title=\"\(escapeHTML(tree.displayPath(of: id)))\">\(escapeHTML(tree.code(id)?.name ?? ""))</span></td>"
            for count in byCase.row(id) {
                if count == 0 {
                    html += "<td class=\"n nil\">·</td>"
                } else {
                    let alpha = 0.08 + 0.5 * Double(count) / maximum
                    html += "<td class=\"n\" style=\"background:rgba(31,95,168,\(String(format: "%.2f", alpha)))\">\(count)</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n</section>\n\n"
    }

    private func excerptSection() -> String {
        let tree = snapshot.tree
        var html = """
            <section id="excerpts">
            <h2>Excerpts by code</h2>
            <p class="note">Every segment each code touches, in reading order. Open a code to read them; \
            the source and segment number lead to the passage in its transcript.</p>

            """
        if excerptsByCode.isEmpty { html += "<p class=\"empty\">Nothing is coded yet.</p>\n" }
        for (id, found) in excerptsByCode {
            let colour = colour(of: id)
            let path = tree.path(of: id)
            let parents = path.dropLast().map { $0 + CodePath.separator }.joined()
            html +=
                "<details class=\"code-excerpts\"><summary>" + swatch(id)
                + (parents.isEmpty ? "" : "<span class=\"parent\">\(escapeHTML(parents))</span>") + escapeHTML(path.last ?? "")
                + "<span class=\"count\">\(found.count) excerpt\(found.count == 1 ? "" : "s")</span></summary>\n"
            for excerpt in found.prefix(Self.excerptLimit) {
                html +=
                    "<blockquote class=\"excerpt\" style=\"border-color:\(colour)\"><p class=\"cite\">"
                    + (excerpt.segment.map { "<a href=\"#\(anchor(excerpt.source, $0))\">\(escapeHTML(excerpt.source)) #\($0)</a>" }
                        ?? "\(escapeHTML(excerpt.source)) \(excerpt.place)")
                    + (excerpt.speaker.map { " · " + escapeHTML($0) } ?? "") + "</p>"
                    + "<p class=\"text\">\(escapeHTML(excerpt.text.trimmingCharacters(in: .whitespacesAndNewlines)))</p></blockquote>\n"
            }
            if found.count > Self.excerptLimit {
                html += "<p class=\"note more\">… and \(found.count - Self.excerptLimit) more; excerpts.csv has them all.</p>\n"
            }
            if found.isEmpty {
                html += "<p class=\"note more\">Its codings are on sources without segments.</p>\n"
            }
            html += "</details>\n"
        }
        return html + "</section>\n\n"
    }

    private func transcriptSection() -> String {
        var html = """
            <section id="transcripts">
            <h2>Transcripts</h2>
            <p class="note">Each transcript with its coded passages highlighted in the codes' colours. A code on a whole turn is a bar \
            beside the turn; a code on part of a turn is a stripe under that part, one stripe for each code. The codes on \
            a turn are listed on the right; hover over a passage, bar or code for its path. Turns the filter leaves out are faded.</p>

            """
        var codingsBySegment: [Int64: [Int: [AnalysisSnapshot.Coding]]] = [:]
        for coding in snapshot.codings {
            // The transcripts show stored segments; the text between them is not shown.
            for index in coding.segments where !snapshot.segments[index].isGap {
                let segment = snapshot.segments[index]
                codingsBySegment[segment.sourceID, default: [:]][segment.number, default: []].append(coding)
            }
        }
        let included = Set(snapshot.segments.map { "\($0.sourceID)/\($0.number)" })
        for source in snapshot.sources {
            let text = source.scalars
            let codingCount = snapshot.codings.filter { $0.sourceID == source.id }.count
            var segments = layouts[source.id] ?? []
            let bySegment = codingsBySegment[source.id] ?? [:]
            var unsegmented: [AnalysisSnapshot.Coding] = []
            if segments.isEmpty {
                // A source without segments shows as one passage with all its codings.
                segments = [
                    SegmentView(
                        number: 1, span: TextSpan(start: 0, end: text.count), speaker: nil, caseName: nil, role: nil,
                        isInterviewer: false, startTime: nil, endTime: nil, text: source.text, codes: [])
                ]
                unsegmented = snapshot.codings.filter { $0.sourceID == source.id }
            }
            html +=
                "<details class=\"transcript\" id=\"\(anchor(source.name, nil))\"><summary>\(escapeHTML(source.name))"
                + "<span class=\"count\">\(segments.count) segment\(segments.count == 1 ? "" : "s") · \(codingCount) coding\(codingCount == 1 ? "" : "s")</span></summary>\n"
            for segment in segments {
                let isIn = unsegmented.isEmpty ? included.contains("\(source.id)/\(segment.number)") : true
                let codings = unsegmented.isEmpty ? bySegment[segment.number] ?? [] : unsegmented
                html += segmentRow(segment, codings: codings, text: text, source: source.name, isIn: isIn)
            }
            html += "</details>\n"
        }
        return html + "</section>\n\n"
    }

    /// One turn of a transcript: who and where, the text with highlights, the codes beside it.
    private func segmentRow(_ segment: SegmentView, codings: [AnalysisSnapshot.Coding], text: ScalarText, source: String, isIn: Bool) -> String {
        let tree = snapshot.tree
        var classes = ["seg"]
        if segment.isInterviewer { classes.append("iv") }
        if !isIn { classes.append("out") }
        var html =
            "<div class=\"\(classes.joined(separator: " "))\" id=\"\(anchor(source, segment.number))\"><div class=\"who\">"
            + "<span class=\"num\">#\(segment.number)</span>"
        if let speaker = segment.speaker {
            html += "<span class=\"speaker\">\(escapeHTML(speaker))</span>"
            if let caseName = segment.caseName, caseName != speaker {
                html += "<span class=\"case\">\(escapeHTML(caseName))</span>"
            }
        }
        // Codings of the whole turn show as bars beside it; shorter ones as stripes under their text.
        let bounds = trimmed(segment.span, in: text)
        let whole = codings.filter { $0.span.start <= bounds.start && $0.span.end >= bounds.end }
        var wholeCodes: [Int64] = []
        for coding in whole where !wholeCodes.contains(coding.codeID) { wholeCodes.append(coding.codeID) }
        wholeCodes.sort { (codeIndex[$0] ?? 0) < (codeIndex[$1] ?? 0) }
        html += "</div><div class=\"bars\">"
        for id in wholeCodes.prefix(Self.barLimit) {
            html += "<span style=\"background:\(colour(of: id))\" title=\"\(escapeHTML(tree.displayPath(of: id)))\"></span>"
        }
        html +=
            "</div><div class=\"text\">" + highlighted(bounds, codings: codings, wholeCodes: Set(wholeCodes), text: text)
            + "</div><div class=\"margin\">"
        // The codes on the turn, each once, in the order their first passage starts.
        var seen = Set<Int64>()
        for coding in codings.sorted(by: { ($0.span.start, codeIndex[$0.codeID] ?? 0) < ($1.span.start, codeIndex[$1.codeID] ?? 0) })
        where seen.insert(coding.codeID).inserted {
            let coders = Set(codings.filter { $0.codeID == coding.codeID }.map(\.coder)).sorted()
            html +=
                "<span class=\"chip\" style=\"border-color:\(colour(of: coding.codeID))\" "
                + "title=\"\(escapeHTML(tree.displayPath(of: coding.codeID) + "\ncoded by " + coders.joined(separator: ", ")))\">"
                + escapeHTML(tree.code(coding.codeID)?.name ?? "") + "</span>"
        }
        return html + "</div></div>\n"
    }

    /// A span without the whitespace at either end, so that a turn does not show blank lines.
    private func trimmed(_ span: TextSpan, in text: ScalarText) -> TextSpan {
        var start = min(span.start, text.count), end = min(span.end, text.count)
        while start < end, text.scalars[start].properties.isWhitespace { start += 1 }
        while end > start, text.scalars[end - 1].properties.isWhitespace { end -= 1 }
        return TextSpan(start: start, end: end)
    }

    /// A span of text with the passages of codings marked: each piece between two coding
    /// boundaries is tinted (in its code's colour if it has one code, neutrally if several) and
    /// has a stripe beneath it for each code whose coding covers only part of the turn.
    private func highlighted(_ span: TextSpan, codings: [AnalysisSnapshot.Coding], wholeCodes: Set<Int64>, text: ScalarText) -> String {
        var cuts = Set([span.start, span.end])
        for coding in codings {
            cuts.insert(min(max(coding.span.start, span.start), span.end))
            cuts.insert(min(max(coding.span.end, span.start), span.end))
        }
        let bounds = cuts.sorted()
        var html = ""
        for (lower, upper) in zip(bounds, bounds.dropFirst()) where lower < upper {
            let piece = escapeHTML(text[TextSpan(start: lower, end: upper)])
            var codes: [Int64] = []
            for coding in codings where coding.span.start < upper && lower < coding.span.end && !codes.contains(coding.codeID) {
                codes.append(coding.codeID)
            }
            guard !codes.isEmpty else {
                html += piece
                continue
            }
            codes.sort { (codeIndex[$0] ?? 0) < (codeIndex[$1] ?? 0) }
            // At most five stripes; the margin and the title list every code.
            let striped = codes.filter { !wholeCodes.contains($0) }.prefix(Self.stripeLimit)
            let stripes = striped.enumerated().map { index, id in "inset 0 -\(2 * (index + 1))px 0 \(colour(of: id))" }
            let names = codes.map { snapshot.tree.displayPath(of: $0) }.joined(separator: "\n")
            let tint = codes.count == 1 ? Self.tint(colour(of: codes[0])) : "rgba(110,120,140,0.10)"
            html +=
                "<span class=\"hl\" style=\"background:\(tint)"
                + (stripes.isEmpty ? "" : ";box-shadow:\(stripes.joined(separator: ","));padding-bottom:\(2 * striped.count)px")
                + "\" title=\"\(escapeHTML(names))\">" + piece + "</span>"
        }
        return html
    }

    // MARK: Pieces

    /// The most stripes under a highlighted passage.
    static let stripeLimit = 5
    /// The most bars beside a turn.
    static let barLimit = 12

    /// A pale version of a colour, for the background of highlighted text.
    static func tint(_ hex: String) -> String {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return "rgba(158,158,158,0.22)" }
        let channel = { (offset: Int) in Int(String(digits[offset..<(offset + 2)]), radix: 16) ?? 158 }
        return "rgba(\(channel(0)),\(channel(2)),\(channel(4)),0.22)"
    }

    /// A code's swatch and name, with its path on hover.
    private func codeLabel(_ id: Int64) -> String {
        swatch(id) + "<span title=\"\(escapeHTML(snapshot.tree.displayPath(of: id)))\">\(escapeHTML(snapshot.tree.code(id)?.name ?? ""))</span>"
    }

    /// A small square in a code's colour.
    private func swatch(_ id: Int64) -> String {
        "<span class=\"sw\" style=\"background:\(colour(of: id))\"></span>"
    }

    /// The fragment id of a source (nil) or of one of its segments.
    private func anchor(_ source: String, _ segment: Int?) -> String {
        let index = sourceNumbers[source] ?? 0
        return segment.map { "s\(index)-\($0)" } ?? "s\(index)"
    }

    static let css = """
        :root{--ink:#1D2330;--muted:#5B6475;--line:#D9DEE7;--soft:#F5F7FA;--accent:#1F5FA8}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#FFFFFF}
        main{max-width:1320px;margin:0 auto;padding:1.2rem 2rem 4rem}
        h1{font-size:1.9rem;margin:.4rem 0 .1rem}
        h2{font-size:1.35rem;margin:2.2rem 0 .5rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
        h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
        a{color:var(--accent)}
        .sub{color:var(--muted);margin:.1rem 0 .8rem}
        nav.toc{position:sticky;top:0;z-index:10;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);padding:.45rem 0;font-size:.9rem}
        nav.toc a{margin-right:1.1rem;text-decoration:none}
        section{scroll-margin-top:2.6rem}
        dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1.2rem;margin:0}
        dl.prov dt{color:var(--muted)}
        dl.prov dd{margin:0;overflow-wrap:anywhere}
        .note{color:var(--muted);font-size:.9rem;max-width:60rem}
        .warn{color:#8A4B08}
        .empty{color:var(--muted);font-style:italic}
        .scroll{overflow:auto;max-height:75vh;border:1px solid var(--line);border-radius:6px;max-width:100%}
        .chart{padding:.3rem}
        svg{display:block}
        svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:12px;fill:#2E3440}
        svg.legend{display:inline-block;vertical-align:middle}
        .dot{display:inline-block;width:.45rem;height:.45rem;border-radius:50%;background:#D08770;margin:0 .35rem 0 .1rem;vertical-align:.05rem}
        p.legend{font-size:.85rem;color:var(--muted)}
        table{border-collapse:separate;border-spacing:0;font-size:.87rem;width:max-content;min-width:100%}
        th,td{padding:.22rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{background:var(--soft);position:sticky;top:0;z-index:2}
        table.codebook{width:100%}
        table.codebook td.code{min-width:14rem}
        .n{text-align:right;font-variant-numeric:tabular-nums}
        tr.zero td{color:#A0A7B4}
        .top{font-weight:600}
        .sw{display:inline-block;width:.75rem;height:.75rem;border-radius:2px;margin-right:.45rem;vertical-align:-.05rem}
        .tag{font-size:.72rem;color:var(--muted);border:1px solid var(--line);border-radius:3px;padding:0 .3rem;margin-left:.45rem}
        table.matrix td.code,table.matrix th.code{position:sticky;left:0;background:#FFFFFF;z-index:1;white-space:nowrap;border-right:1px solid var(--line)}
        table.matrix th.code{z-index:3;background:var(--soft);vertical-align:bottom}
        table.matrix th.case{vertical-align:bottom;padding:.4rem .25rem}
        table.matrix th.case>span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
        @supports (writing-mode:sideways-lr){table.matrix th.case>span{writing-mode:sideways-lr;transform:none}}
        table.matrix td.n{min-width:2.2rem}
        td.nil{color:#C3C8D1}
        .iv-mark{color:#B4531F;font-weight:700}
        details{border:1px solid var(--line);border-radius:6px;margin:.35rem 0;background:#FFFFFF}
        summary{cursor:pointer;padding:.4rem .7rem;font-weight:600}
        summary .parent{font-weight:400;color:var(--muted)}
        summary .count{font-weight:400;color:var(--muted);margin-left:.6rem;font-size:.88rem}
        details[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
        blockquote.excerpt{margin:.55rem .8rem;padding:.15rem .9rem;border-left:4px solid;background:var(--soft);border-radius:0 4px 4px 0}
        .cite{font-size:.8rem;color:var(--muted);margin:.25rem 0 .1rem}
        .cite a{text-decoration:none}
        blockquote .text{white-space:pre-wrap;margin:.1rem 0 .35rem;overflow-wrap:anywhere}
        .more{margin:.4rem .9rem}
        .seg{display:grid;grid-template-columns:8.5rem 4.4rem minmax(0,1fr) 15rem;gap:.8rem;padding:.45rem .8rem;border-bottom:1px solid #EDF0F4}
        .seg:target{background:#FFF8E1}
        .who{font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
        .who .num{display:block}
        .who .speaker{display:block;font-weight:600;color:var(--ink)}
        .who .case{display:block}
        .seg.iv .who .speaker{font-style:italic;color:var(--muted)}
        .seg.out{opacity:.45}
        .seg .text{white-space:pre-wrap;line-height:2;overflow-wrap:anywhere}
        .hl{-webkit-box-decoration-break:clone;box-decoration-break:clone;border-radius:2px;padding-top:1px}
        .bars{display:flex;justify-content:flex-end;gap:2px;overflow:hidden}
        .bars>span{width:4px;border-radius:2px;min-height:1.4rem}
        .margin{display:flex;flex-direction:column;align-items:flex-start;gap:.2rem;font-size:.75rem;line-height:1.3}
        .chip{border-left:4px solid;padding:.1rem .45rem;background:var(--soft);border-radius:0 3px 3px 0;overflow-wrap:anywhere;max-width:100%}
        footer{margin-top:3rem}
        @media (max-width:820px){main{padding:1rem}.seg{grid-template-columns:1fr;gap:.3rem}.bars{justify-content:flex-start;min-height:4px}.bars>span{min-height:4px;height:4px;width:1.2rem}.margin{flex-direction:row;flex-wrap:wrap}}
        @media print{nav.toc{display:none}.scroll{max-height:none;overflow:visible}}
        """
}
