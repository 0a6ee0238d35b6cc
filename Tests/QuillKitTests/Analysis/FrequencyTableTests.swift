import Testing

@testable import QuillKit

@Suite struct FrequencyTableTests {
    @Test func csvGoldenFile() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true)
        assertSnapshot(table.table(for: .csv).render(.csv), named: "frequency-rollup.csv")
    }

    @Test func markdownGoldenFile() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true)
        assertSnapshot(table.table(for: .md).render(.md), named: "frequency-rollup.md")
    }

    @Test func jsonGoldenFile() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true)
        assertSnapshot(table.table(for: .json).render(.json), named: "frequency-rollup.json")
    }

    @Test func matrixGoldenFiles() throws {
        let store = try FrequencyFixture.project()
        _ = try CaseBook(store).importCaseAttributes(csv: "case,role\nAisha,librarian\nBen,manager\n", path: "roles.csv", actor: TestSupport.actor())
        let byCase = try ProjectAnalysis(store).matrix(.case, rollUp: true, filter: AnalysisFilter())
        assertSnapshot(byCase.table(shares: false, for: .csv).render(.csv), named: "matrix-case-rollup.csv")
        assertSnapshot(byCase.table(shares: true, for: .md).render(.md), named: "matrix-case-rollup-shares.md")
        let byRole = try ProjectAnalysis(store).matrix(.attribute("role"), rollUp: false, filter: AnalysisFilter())
        assertSnapshot(byRole.table(shares: false, for: .json).render(.json), named: "matrix-role.json")
    }

    @Test func markdownGoldenFileWithoutInterviewers() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: false, filter: AnalysisFilter(excludesInterviewers: true))
        assertSnapshot(table.table(for: .md).render(.md), named: "frequency-no-interviewers.md")
    }

    @Test func csvAndJSONWriteFullPathsAndDepth() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true).table(for: .json)
        #expect(table.columns.map(\.key) == ["code", "depth", "codings", "segments", "sources", "sources_pct", "cases", "cases_pct"])
        #expect(
            table.rows[2] == [
                .text("Topics/Evidence/Search"), .int(2), .int(2), .int(2), .int(1),
                .decimal(50, places: 1), .int(2), .decimal(200.0 / 3.0, places: 1),
            ])
        #expect(table.indents.isEmpty)
    }

    @Test func tableAndMarkdownIndentNamesAndDropDepth() throws {
        let table = try ProjectAnalysis(FrequencyFixture.project()).frequency(rollUp: true).table(for: .table)
        #expect(table.columns.map(\.title) == ["Code", "Codings", "Segments", "Sources", "% sources", "Cases", "% cases"])
        #expect(table.rows.map { $0.first } == ["Topics", "Evidence", "Search", "Appraisal", "Data", "Stance"].map { .text($0) })
        #expect(table.indents == [0, 1, 2, 2, 1, 0])
    }

    @Test func percentagesOfNothingAreEmpty() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "B", codes: [.init(name: "A")]), actor: TestSupport.actor())
        let csv = try ProjectAnalysis(store).frequency(rollUp: false).table(for: .csv).render(.csv)
        #expect(csv == "code,depth,codings,segments,sources,sources_pct,cases,cases_pct\r\nA,0,0,0,0,,0,\r\n")
    }
}
