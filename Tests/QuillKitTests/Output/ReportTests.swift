import Foundation
import GRDB
import Testing

@testable import QuillKit

/// A small project for the report, with markup and ampersands in its text and names.
///
/// Codebook "Report book <&>":
///
///     Barriers            #832A60
///       Funding           (inherits #832A60)
///       Time              #1F5FA8
///     Enablers            (groups only, no colour)
///       Leadership        (grey)
///       R&D <team>        (grey)
///
/// Sources, in import order (zeta first, although its name sorts last):
///
///     zeta-interview  #1 Interviewer  Time (alice)
///                     #2 Dana         Funding (alice); Barriers on "<script>alert(1)</script>" only (bob)
///                     #3 Interviewer
///                     #4 Dana         Time, Leadership (alice)
///     alpha-workshop  #1 Facilitator
///                     #2 Eli          Leadership, Funding (alice)
///                     #3 Fay          Time (bob)
///                     #4 Eli          R&D <team> (alice)
///                     #5 Facilitator
enum ReportFixture {
    static let zeta = """
        Interviewer: What gets in the way?
        Dana: The budget & the <script>alert(1)</script> rota.
        Interviewer: Anything else?
        Dana: "Time", mostly. And a manager who backs us.
        """
    static let alpha = """
        Facilitator: Ideas?
        Eli: Leadership matters. Funding too.
        Fay: No time at all.
        Eli: R&D helps, 'really'.
        Facilitator: Thank you.
        """

    /// The project, in a file called `study.quill` in a new temporary folder.
    static func project() throws -> ProjectDatabase {
        let folder = try TestSupport.temporaryFolder()
        let store = try ProjectDatabase.create(at: folder.appendingPathComponent("study.quill"), name: "Study <b>&</b> 'one'")
        let codebook = Codebook(
            name: "Report book <&>",
            codes: [
                .init(
                    name: "Barriers", definition: "Things in the way & <b>blocks</b>", color: "#832A60",
                    children: [.init(name: "Funding"), .init(name: "Time", color: "#1F5FA8")]),
                .init(name: "Enablers", isCodable: false, children: [.init(name: "Leadership"), .init(name: "R&D <team>")]),
            ])
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("zeta-interview", zeta)], actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha-workshop", alpha)], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        let zetaID = try SourceCatalog(store).resolveSource("zeta-interview").id
        let alphaID = try SourceCatalog(store).resolveSource("alpha-workshop").id
        func code(_ names: [String], _ source: Int64, _ segment: Int, _ coder: String = "alice") throws {
            _ = try CodingEditor(store).code(
                sourceID: source, segments: [segment], codeIDs: try names.map { try tree.resolve($0).id },
                actor: TestSupport.actor(coder))
        }
        try code(["Time"], zetaID, 1)
        try code(["Funding"], zetaID, 2)
        try code(["Time", "Leadership"], zetaID, 4)
        try code(["Leadership", "Funding"], alphaID, 2)
        try code(["Time"], alphaID, 3, "bob")
        try code(["R&D <team>"], alphaID, 4)
        let script = "<script>alert(1)</script>"
        let start = try #require(zeta.unicodeScalars.firstRange(of: script.unicodeScalars))
        let offset = zeta.unicodeScalars.distance(from: zeta.unicodeScalars.startIndex, to: start.lowerBound)
        try codeSpan(
            store, code: try tree.resolve("Barriers").id, source: zetaID,
            span: TextSpan(start: offset, end: offset + script.unicodeScalars.count), coder: "bob")
        return store
    }

    /// Removes the folder of a project made by `project()`.
    static func remove(_ store: ProjectDatabase) {
        if let folder = store.url?.deletingLastPathComponent() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Codes a span that need not be a whole segment.
    static func codeSpan(_ store: ProjectDatabase, code: Int64, source: Int64, span: TextSpan, coder: String = "alice") throws {
        try store.change(TestSupport.actor(coder)) { db in
            let inserter = try CodingInserter(db, coderID: try CoderTable(db).id(named: coder))
            _ = try inserter.insert(codeID: code, sourceID: source, span: span, memo: nil)
            return ((), "coded a span")
        }
    }

    /// The time the tests give every report: 14 November 2023, 22:13:20 UTC.
    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    static func report(
        _ store: ProjectDatabase, filter: AnalysisFilter = AnalysisFilter(), unit: CooccurrenceUnit = .segment,
        date: Date = date
    ) throws -> Report {
        try Report(store: store, filter: filter, options: ReportOptions(unit: unit, quillVersion: "9.9.9-test", date: date))
    }
}

@Suite struct ReportTests {
    @Test func escapeHTMLEscapesMarkupAmpersandsAndQuotes() {
        #expect(escapeHTML("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(escapeHTML("R&D &amp; \"quoted\" 'single'") == "R&amp;D &amp;amp; &quot;quoted&quot; &#39;single&#39;")
        #expect(escapeHTML("Zoë 👍\tline\nnext") == "Zoë 👍\tline\nnext")
        #expect(escapeHTML("bell\u{07}and\u{0}nul\u{85}") == "bell\u{FFFD}and\u{FFFD}nul\u{FFFD}")
        #expect(escapeHTML("") == "")
    }

    @Test func theHTMLEscapesTranscriptCodeCaseAndProjectText() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let html = try ReportFixture.report(store).html()
        #expect(html.contains("The budget &amp; the </span>"))  // the text before the coded part
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(1)</"))
        #expect(html.contains("<title>Study &lt;b&gt;&amp;&lt;/b&gt; &#39;one&#39; · Quill report</title>"))
        #expect(html.contains("<h1>Study &lt;b&gt;&amp;&lt;/b&gt; &#39;one&#39;</h1>"))
        #expect(html.contains("Codebook: <strong>Report book &lt;&amp;&gt;</strong>"))
        #expect(html.contains("R&amp;D &lt;team&gt;"))
        #expect(!html.contains("R&D"))
        #expect(!html.contains("<team>"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("Things in the way &amp; &lt;b&gt;blocks&lt;/b&gt;"))  // a definition, on hover
        #expect(html.contains("R&amp;D helps, &#39;really&#39;."))
        #expect(html.contains("&quot;Time&quot;, mostly."))
    }

    @Test func theHTMLIsSelfContained() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let html = try ReportFixture.report(store).html()
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src="))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<style>"))
        #expect(html.contains("<svg class=\"bars\""))
        #expect(html.contains("<svg class=\"heatmap\""))
        // Every local link goes to an element of the page.
        for link in html.components(separatedBy: "href=\"").dropFirst() {
            let target = String(link.prefix { $0 != "\"" })
            #expect(target.hasPrefix("#"), "link to \(target)")
            #expect(html.contains("id=\"\(target.dropFirst())\""), "no element for \(target)")
        }
    }

    @Test func theHTMLHasItsSectionsInOrder() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let html = try ReportFixture.report(store).html()
        let markers = [
            "<h1>", "<section id=\"provenance\">", "<section id=\"codebook\">", "<section id=\"frequencies\">",
            "<section id=\"cooccurrence\">", "<section id=\"cases\">", "<section id=\"excerpts\">", "<section id=\"transcripts\">",
        ]
        let positions = try markers.map { marker in
            try #require(html.range(of: marker), "missing \(marker)").lowerBound
        }
        #expect(positions == positions.sorted())
        // Provenance: version, the project file's name (not its folder), filter, unit, time.
        #expect(html.contains("<dt>Made with</dt><dd>Quill 9.9.9-test</dd>"))
        #expect(html.contains("<dt>Project file</dt><dd>study.quill</dd>"))
        #expect(!html.contains(FileManager.default.temporaryDirectory.path))
        #expect(html.contains("<dt>Filter</dt><dd>everything</dd>"))
        #expect(html.contains("<dt>Co-occurrence unit</dt><dd>segment: "))
        #expect(html.contains("<dt>Made at</dt><dd>2023-11-14T22:13:20Z</dd>"))
        // Excerpts for each codable code with codings, with source, segment and speaker.
        #expect(html.contains("<a href=\"#s1-2\">zeta-interview #2</a> · Dana"))
        #expect(html.contains("<a href=\"#s2-4\">alpha-workshop #4</a> · Eli"))
        #expect(!html.contains("Enablers<span class=\"count\">"))  // a grouping code has no excerpts
        // Interviewers are marked in the code × case matrix.
        #expect(html.contains("Interviewer <span class=\"iv-mark\">†</span>"))
        #expect(!html.contains("Dana <span class=\"iv-mark\">"))
    }

    @Test func coloursAreInheritedElseGrey() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store)
        let tree = try CodeTree.load(store)
        #expect(report.colour(of: try tree.resolve("Barriers").id) == "#832A60")
        #expect(report.colour(of: try tree.resolve("Funding").id) == "#832A60")
        #expect(report.colour(of: try tree.resolve("Time").id) == "#1F5FA8")
        #expect(report.colour(of: try tree.resolve("Leadership").id) == "#9E9E9E")
        #expect(Report.normalisedColour("#1b7") == "#11BB77")
        #expect(Report.normalisedColour("red") == nil)
        #expect(Report.normalisedColour("#12345G") == nil)
        let html = report.html()
        // The bar chart draws each code in its colour.
        #expect(html.contains("fill=\"#832A60\"/><text"))
        #expect(html.contains("fill=\"#9E9E9E\"/><text"))
    }

    @Test func transcriptsMarkWholeTurnsWithBarsAndPartsWithStripes() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let html = try ReportFixture.report(store).html()
        // zeta #2: Funding on the whole turn (a bar), Barriers on the script only (a stripe).
        let turn = try #require(html.components(separatedBy: "id=\"s1-2\"").dropFirst().first?.components(separatedBy: "</div></div>").first)
        #expect(turn.contains("<div class=\"bars\"><span style=\"background:#832A60\" title=\"Barriers/Funding\"></span></div>"))
        #expect(
            turn.contains(
                "box-shadow:inset 0 -2px 0 #832A60;padding-bottom:2px\" title=\"Barriers\nBarriers/Funding\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"
            ))
        #expect(turn.contains("<span class=\"chip\" style=\"border-color:#832A60\" title=\"Barriers/Funding\ncoded by alice\">Funding</span>"))
        #expect(turn.contains("<span class=\"chip\" style=\"border-color:#832A60\" title=\"Barriers\ncoded by bob\">Barriers</span>"))
        // zeta #4 has two codes on the whole turn: two bars, a neutral tint, no stripes.
        let both = try #require(html.components(separatedBy: "id=\"s1-4\"").dropFirst().first?.components(separatedBy: "</div></div>").first)
        #expect(both.contains("title=\"Barriers/Time\"></span><span style=\"background:#9E9E9E\" title=\"Enablers/Leadership\"></span></div>"))
        #expect(both.contains("rgba(110,120,140,0.10)"))
        #expect(!both.contains("box-shadow"))
        // A turn the filter leaves out is faded, not dropped.
        let filtered = try ReportFixture.report(store, filter: AnalysisFilter(excludesInterviewers: true)).html()
        #expect(filtered.contains("<div class=\"seg iv out\" id=\"s1-1\">"))
        #expect(filtered.contains("<dt>Filter</dt><dd>interviewers left out</dd>"))
    }

    @Test func theCodeByCaseAndCodeBySourceTablesAreAsWorkedOutByHand() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store)
        let tables = Dictionary(uniqueKeysWithValues: report.tables().map { ($0.name, $0.text) })
        #expect(
            tables["code-by-case.csv"] == """
                code,Dana,Eli,Facilitator,Fay,Interviewer\r
                Barriers,1,0,0,0,0\r
                Barriers/Funding,1,1,0,0,0\r
                Barriers/Time,1,0,0,1,1\r
                Enablers,0,0,0,0,0\r
                Enablers/Leadership,1,1,0,0,0\r
                Enablers/R&D <team>,0,1,0,0,0\r

                """)
        #expect(
            tables["code-by-source.csv"] == """
                code,zeta-interview,alpha-workshop\r
                Barriers,1,0\r
                Barriers/Funding,1,1\r
                Barriers/Time,2,1\r
                Enablers,0,0\r
                Enablers/Leadership,1,1\r
                Enablers/R&D <team>,0,1\r

                """)
        #expect(tables["code-by-case.json"]?.hasPrefix("[\n  {\"code\": \"Barriers\", \"Dana\": 1, \"Eli\": 0,") == true)
        // Leaving interviewers out drops their column and their codings.
        let participants = try ReportFixture.report(store, filter: AnalysisFilter(excludesInterviewers: true))
        let filtered = Dictionary(uniqueKeysWithValues: participants.tables().map { ($0.name, $0.text) })
        #expect(filtered["code-by-case.csv"]?.hasPrefix("code,Dana,Eli,Fay\r\n") == true)
        #expect(filtered["code-by-source.csv"]?.contains("Barriers/Time,1,1\r\n") == true)
    }

    @Test func theTablesAreTheAnalysesTables() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store)
        let tables = Dictionary(uniqueKeysWithValues: report.tables().map { ($0.name, $0.text) })
        #expect(
            tables.keys.sorted() == [
                "code-by-case.csv", "code-by-case.json", "code-by-source.csv", "code-by-source.json",
                "cooccurrence-pairs.csv", "cooccurrence-pairs.json", "cooccurrence.csv", "cooccurrence.json",
                "excerpts.csv", "excerpts.json", "frequency-rollup.csv", "frequency-rollup.json", "frequency.csv", "frequency.json",
            ])
        #expect(tables["frequency.csv"] == (try ProjectAnalysis(store).frequency(rollUp: false)).table(for: .csv).render(.csv))
        #expect(tables["frequency-rollup.json"] == (try ProjectAnalysis(store).frequency(rollUp: true)).table(for: .json).render(.json))
        let matrix = try ProjectAnalysis(store).cooccurrence(CooccurrenceOptions(), filter: AnalysisFilter())
        #expect(tables["cooccurrence.csv"] == matrix.table(measure: .count, for: .csv).render(.csv))
        #expect(
            tables["excerpts.json"] == Excerpt.table(excerpts(ExcerptQuery(), in: try ProjectAnalysis(store).snapshot()), for: .json).render(.json))
    }

    @Test func goldenMarkdownAndExcerpts() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store)
        assertSnapshot(report.markdown(), named: "report.md")
        let tables = Dictionary(uniqueKeysWithValues: report.tables().map { ($0.name, $0.text) })
        assertSnapshot(try #require(tables["excerpts.csv"]), named: "report-excerpts.csv")
    }

    @Test func theSameProjectGivesTheSameBytesExceptTheTime() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let first = try ReportFixture.report(store).files()
        let second = try ReportFixture.report(store).files()
        #expect(first.map(\.name) == second.map(\.name))
        #expect(first.map(\.text) == second.map(\.text))
        // Another project built the same way gives the same bytes too (ids, order and all).
        let otherStore = try ReportFixture.project()
        defer { ReportFixture.remove(otherStore) }
        let other = try ReportFixture.report(otherStore).files()
        #expect(other.map(\.text) == first.map(\.text))
        // Another time changes one line of the HTML and one of the Markdown, and nothing else.
        let later = try ReportFixture.report(store, date: Date(timeIntervalSince1970: 1_800_000_000)).files()
        for (before, after) in zip(first, later) {
            let old = before.text.components(separatedBy: "\n"), new = after.text.components(separatedBy: "\n")
            #expect(old.count == new.count)
            let changed = zip(old, new).filter { $0 != $1 }
            if before.name.hasPrefix("report.") {
                #expect(changed.count == 1, "\(before.name): \(changed)")
                #expect(changed.first?.0.contains("2023-11-14T22:13:20Z") == true)
            } else {
                #expect(changed.isEmpty, "\(before.name)")
            }
        }
    }

    @Test func writeWritesEveryFile() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store)
        let temporary = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let folder = temporary.appendingPathComponent("out/report")
        let names = try report.write(to: folder)
        #expect(names.count == 16)
        #expect(
            Set(names).isSuperset(of: [
                "report.html", "report.md", "frequency.csv", "frequency-rollup.json",
                "cooccurrence.csv", "code-by-case.json", "code-by-source.csv", "excerpts.csv",
            ]))
        for (name, text) in report.files() {
            #expect(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) == Data(text.utf8), "\(name)")
        }
        // A folder that cannot be made is a clear error.
        let blocker = folder.appendingPathComponent("report.md")
        #expect(throws: QuillError.self) { try report.write(to: blocker.appendingPathComponent("inside")) }
    }

    @Test func theUnitIsUsedAndRecorded() throws {
        let store = try ReportFixture.project()
        defer { ReportFixture.remove(store) }
        let report = try ReportFixture.report(store, unit: .source)
        #expect(report.html().contains("<dt>Co-occurrence unit</dt><dd>source: two codes co-occur when both are used in the same source</dd>"))
        #expect(report.markdown().contains("- Co-occurrence unit: source (two codes co-occur when both are used in the same source)"))
        let tables = Dictionary(uniqueKeysWithValues: report.tables().map { ($0.name, $0.text) })
        // By source, Funding and Time co-occur in both sources.
        #expect(tables["cooccurrence-pairs.csv"]?.contains("Barriers/Funding,Barriers/Time,2,") == true)
        #expect(ReportOptions.describe(.window(3)) == "window:3")
    }

    @Test func anEmptyProjectStillGivesAReport() throws {
        let store = try ProjectDatabase.inMemory(name: "Empty")
        let report = try ReportFixture.report(store)
        let html = report.html()
        #expect(html.contains("<p class=\"empty\">Nothing is coded yet.</p>"))
        #expect(html.contains("<dt>Project file</dt><dd>(in memory)</dd>"))
        #expect(report.markdown().contains("## Excerpts by code"))
        #expect(Dictionary(uniqueKeysWithValues: report.tables().map { ($0.name, $0.text) })["excerpts.json"] == "[]\n")
    }

    // MARK: Many codes

    /// A project with `parents` coded parent codes of `children` leaves each; leaf i of all is
    /// coded on segments 1...i+1 of one long source, so that it is the (i+1)-th most frequent.
    static func manyCodes(parents: Int, children: Int) throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory(name: "Many")
        let codebook = Codebook(
            name: "Big",
            codes: (0..<parents).map { p in
                .init(name: String(format: "P%02d", p), children: (0..<children).map { .init(name: String(format: "P%02d C%02d", p, $0)) })
            })
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        let turns = parents * children + 1
        let text = (1...turns).map { "\($0 % 2 == 0 ? "Ann" : "Bob"): turn \($0)" }.joined(separator: "\n")
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("long", text)], actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        let source = try SourceCatalog(store).resolveSource("long").id
        for p in 0..<parents {
            _ = try CodingEditor(store).code(
                sourceID: source, segments: [1], codeIDs: [try tree.resolve(String(format: "P%02d", p)).id], actor: TestSupport.actor())
            for c in 0..<children {
                let rank = p * children + c
                _ = try CodingEditor(store).code(
                    sourceID: source, segments: Array(1...(rank + 1)),
                    codeIDs: [try tree.resolve(String(format: "P%02d C%02d", p, c)).id], actor: TestSupport.actor())
            }
        }
        return store
    }

    @Test func theHeatmapShowsAtMostFortyCodesAndSaysSo() throws {
        // 3 parents + 30 leaves with codings: 33, all shown.
        let small = try ReportFixture.report(try Self.manyCodes(parents: 3, children: 10))
        #expect(small.heatmapCodes.count == 33)
        #expect(small.heatmapNote == nil)
        // 5 parents + 35 leaves: 40 is fine.
        #expect(try ReportFixture.report(try Self.manyCodes(parents: 5, children: 7)).heatmapCodes.count == 40)
        // 4 parents + 40 leaves: the leaves.
        let leaves = try ReportFixture.report(try Self.manyCodes(parents: 4, children: 10))
        #expect(leaves.heatmapCodes.count == 40)
        #expect(leaves.heatmapNote == "44 codes have codings; the heatmap shows the 40 of them that have no sub-codes.")
        // 6 parents + 60 leaves: the 40 most frequent leaves, in codebook order.
        let store = try Self.manyCodes(parents: 6, children: 10)
        let big = try ReportFixture.report(store)
        let tree = try CodeTree.load(store)
        #expect(big.heatmapCodes.map { tree.code($0)?.name ?? "" } == (20..<60).map { String(format: "P%02d C%02d", $0 / 10, $0 % 10) })
        let html = big.html()
        #expect(html.contains("66 codes have codings (60 without sub-codes); the heatmap shows the 40 most frequent of those."))
        #expect(html.components(separatedBy: "<rect x=\"").count > 1600)  // 40 × 40 cells
        // The bar chart has a bar for every code with codings, in a scrolling box.
        #expect(html.contains("<div class=\"scroll chart\">\n<svg class=\"bars\""))
        #expect(html.components(separatedBy: "rx=\"2\" fill=").count - 1 == 66 + 40)  // bars + the heatmap's swatches
    }
}
