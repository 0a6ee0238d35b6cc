import Foundation
import Testing

@testable import QuillKit

@Suite struct ProjectStoreCodebookTests {
    static let book = """
        name: Small book
        codes:
          - name: Evidence
            guid: 11111111-2222-5333-8444-555555555555
            definition: Finding evidence.
            keywords: [evidence, literature search]
            children:
              - name: Search
                guid: 11111111-2222-5333-8444-666666666666
              - name: Appraisal
          - name: Data
            color: '#336699'
        """

    static func parse(_ yaml: String) throws -> Codebook {
        try Codebook.parseYAML(yaml, file: "book.yaml")
    }

    @Test func importIsIdempotent() throws {
        let store = try ProjectDatabase.inMemory()
        let codebook = try Self.parse(Self.book)
        let first = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        #expect(first == CodebookImportReport(added: 4, updated: 0, unchanged: 0, kept: 0))
        let second = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        #expect(second == CodebookImportReport(added: 0, updated: 0, unchanged: 4, kept: 0))
        #expect(try store.history().count == 1)
        #expect(try CodeTree.load(store).codes.count == 4)
    }

    @Test func theShippedCodebookImportsIdempotently() throws {
        let store = try ProjectDatabase.inMemory()
        let yaml = try String(contentsOf: CodebookYAMLTests.lhsURL, encoding: .utf8)
        let codebook = try Codebook.parseYAML(yaml, file: "lhs-framework.yaml")
        #expect(try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor()).added == 67)
        let again = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        #expect(again.added == 0)
        #expect(again.updated == 0)
        #expect(again.unchanged == 67)
        // Exporting gives back the same codebook and the same YAML bytes.
        let exported = try CodebookImporter(store).exportCodebook()
        #expect(exported == codebook)
        #expect(exported.yaml() == yaml)
    }

    @Test func storedCodesKeepEverything() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        let evidence = try tree.resolve("Evidence")
        #expect(evidence.guid == "11111111-2222-5333-8444-555555555555")
        #expect(evidence.definition == "Finding evidence.")
        #expect(evidence.keywords == ["evidence", "literature search"])
        let appraisal = try tree.resolve("Appraisal")
        #expect(appraisal.guid == StableID.make("code", "evidence/appraisal"))
        #expect(appraisal.parentID == evidence.id)
        #expect(try tree.resolve("Data").color == "#336699")
        #expect(try store.info("codebook.name") == "Small book")
    }

    @Test func aRenameInTheFileIsMatchedByGUID() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        let before = try CodeTree.load(store).resolve("Search")
        let renamed = Self.book.replacingOccurrences(of: "name: Search", with: "name: Literature searching")
        let report = try CodebookImporter(store).importCodebook(try Self.parse(renamed), actor: TestSupport.actor())
        #expect(report == CodebookImportReport(added: 0, updated: 1, unchanged: 3, kept: 0))
        let tree = try CodeTree.load(store)
        let after = try tree.resolve("Literature searching")
        #expect(after.id == before.id)
        #expect(after.guid == before.guid)
        #expect(tree.displayPath(of: after.id) == "Evidence/Literature searching")
        #expect(tree.codes.count == 4)
        #expect(throws: QuillError.self) { try tree.resolve("Evidence/Search") }
    }

    @Test func aRenamedParentKeepsItsChildrenAsTheyWere() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        // The exported codebook carries every code's GUID; rename the parent in it.
        var exported = try CodebookImporter(store).exportCodebook()
        exported.codes[0].name = "Evidence use"
        let report = try CodebookImporter(store).importCodebook(exported, actor: TestSupport.actor())
        #expect(report == CodebookImportReport(added: 0, updated: 1, unchanged: 3, kept: 0))
        let tree = try CodeTree.load(store)
        #expect(tree.codes.map { tree.displayPath(of: $0.id) }.sorted() == ["Data", "Evidence use", "Evidence use/Appraisal", "Evidence use/Search"])
        #expect(try CodebookImporter(store).exportCodebook() == exported)
    }

    @Test func aChangedDefinitionOrKeywordUpdatesTheCode() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        let changed = Self.book.replacingOccurrences(
            of: "keywords: [evidence, literature search]",
            with: "keywords: [evidence, evidence-based]")
        let report = try CodebookImporter(store).importCodebook(try Self.parse(changed), actor: TestSupport.actor())
        #expect(report.updated == 1)
        #expect(report.added == 0)
        #expect(try CodeTree.load(store).resolve("Evidence").keywords == ["evidence", "evidence-based"])
    }

    @Test func codesMissingFromAReimportAreKept() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        let smaller = """
            name: Small book
            codes:
              - name: Evidence
                guid: 11111111-2222-5333-8444-555555555555
                definition: Finding evidence.
                keywords: [evidence, literature search]
                children:
                  - name: Search
                    guid: 11111111-2222-5333-8444-666666666666
            """
        let report = try CodebookImporter(store).importCodebook(try Self.parse(smaller), actor: TestSupport.actor())
        #expect(report == CodebookImportReport(added: 0, updated: 0, unchanged: 2, kept: 2))
        let tree = try CodeTree.load(store)
        #expect(tree.codes.map { tree.displayPath(of: $0.id) } == ["Evidence", "Evidence/Search", "Evidence/Appraisal", "Data"])
    }

    @Test func aNewCodeIsAdded() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Self.parse(Self.book), actor: TestSupport.actor())
        let larger = Self.book + "\n  - name: Culture\n"
        let report = try CodebookImporter(store).importCodebook(try Self.parse(larger), actor: TestSupport.actor())
        #expect(report == CodebookImportReport(added: 1, updated: 0, unchanged: 4, kept: 0))
        #expect(try store.history().count == 2)
    }
}
