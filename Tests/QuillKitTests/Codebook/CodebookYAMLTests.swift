import Foundation
import Testing

@testable import QuillKit

@Suite struct CodebookYAMLTests {
    /// The shipped LHS codebook, read from the package rather than copied, so the test follows it.
    static var lhsURL: URL {
        TestSupport.packageRoot().appendingPathComponent("Codebooks/lhs-framework.yaml")
    }

    @Test func shippedLHSCodebookParses() throws {
        let yaml = try String(contentsOf: Self.lhsURL, encoding: .utf8)
        let codebook = try Codebook.parseYAML(yaml, file: "lhs-framework.yaml")
        #expect(codebook.name == "Learning Health System Framework: NHS Knowledge and Library Services")
        #expect(codebook.description?.isEmpty == false)
        #expect(codebook.source?.contains("Foley T, Vale L.") == true)
        let all = codebook.flattened()
        #expect(all.count == 67)
        #expect(codebook.codes.count == 9)
        let stance = try #require(codebook.codes.first { $0.name == "Evaluative stance" })
        #expect(!stance.isCodable)
        #expect(all.filter { !$0.node.isCodable }.map(\.path) == [["Evaluative stance"]])
        // Every code has its own GUID and a colour.
        #expect(Set(all.compactMap(\.node.guid)).count == 67)
        #expect(all.allSatisfy { $0.node.color != nil })
        let first = codebook.codes[0]
        #expect(first.name == "LHS rationale and goals")
        #expect(first.guid == "0B00CDBB-8CE9-59AF-AAA4-D012D5AEA8DF")
        #expect(first.keywords.prefix(3) == ["purpose", "aim", "goal"])
        #expect(first.color == "#1B7F5F")
    }

    @Test func shippedLHSCodebookExportsToTheSameBytes() throws {
        let yaml = try String(contentsOf: Self.lhsURL, encoding: .utf8)
        let codebook = try Codebook.parseYAML(yaml, file: "lhs-framework.yaml")
        let written = codebook.yaml()
        #expect(Data(written.utf8) == (try Data(contentsOf: Self.lhsURL)))
    }

    @Test func smallFixtureParsesAsWritten() throws {
        let codebook = try Codebook.parseYAML(try TestSupport.fixtureText("small-codebook", "yaml"), file: "small-codebook.yaml")
        #expect(codebook.name == "Café study — ünïcödé codebook")
        #expect(codebook.description == "A small codebook for tests.\n\nIt has two paragraphs and a trailing newline.\n")
        #expect(codebook.source == nil)
        #expect(codebook.codes.map(\.name) == ["Évidence & données", "Stance 🙂"])
        let evidence = codebook.codes[0]
        #expect(evidence.guid == "0B00CDBB-8CE9-59AF-AAA4-D012D5AEA8DF")
        #expect(evidence.definition == "Finding and using evidence.\nSecond line of the definition: with a colon.")
        #expect(evidence.include == "yes")
        #expect(evidence.exclude == "1.0")
        #expect(evidence.color == "#11BB77")
        #expect(evidence.keywords == ["evidence-based", "no", "café", "true"])
        #expect(evidence.examples == ["We ran a literature search: it took a week.", "Two-line\nexample"])
        #expect(evidence.isCodable)
        #expect(evidence.children.map(\.name) == ["知識管理", "null"])
        #expect(evidence.children[0].keywords == ["librar*", "KM"])
        #expect(evidence.children[1].definition == "~")
        #expect(codebook.codes[1].isCodable == false)
        #expect(codebook.codes[1].children.map(\.name) == ["Barrier", "Enabler"])
        #expect(codebook.codes[1].children[0].color == "#C0392B")
        #expect(codebook.codes[1].children[1].children.isEmpty)
    }

    @Test func parseWriteParseIsTheIdentity() throws {
        let original = try Codebook.parseYAML(try TestSupport.fixtureText("small-codebook", "yaml"), file: "small-codebook.yaml")
        let written = original.yaml()
        let reread = try Codebook.parseYAML(written, file: "written.yaml")
        #expect(reread == original)
        // Writing is stable: the same codebook gives the same bytes.
        #expect(reread.yaml() == written)
        // Values YAML would read as booleans or numbers are written so they stay strings.
        #expect(!written.contains("include: yes\n"))
        #expect(!written.contains("exclude: 1.0\n"))
    }

    @Test func stableGUIDsDependOnThePath() throws {
        let codebook = Codebook(name: "X", codes: [.init(name: "A", children: [.init(name: "B")])])
        let withGUIDs = codebook.withStableGUIDs()
        let guids = withGUIDs.flattened().compactMap(\.node.guid)
        #expect(guids.count == 2)
        #expect(guids.allSatisfy(StableID.isGUID))
        #expect(guids[1] == StableID.make("code", "a/b"))
        #expect(withGUIDs == codebook.withStableGUIDs())
    }

    // MARK: - Errors, each with the file and the line

    /// The message of the error that parsing throws.
    func errorMessage(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let error = TestSupport.quillError(sourceLocation: sourceLocation, { _ = try Codebook.parseYAML(yaml, file: "book.yaml") })
        else { return "" }
        guard case .badInput(let path, _, _) = error else {
            Issue.record("expected badInput, got \(error)", sourceLocation: sourceLocation)
            return ""
        }
        #expect(path == "book.yaml", sourceLocation: sourceLocation)
        return error.message
    }

    @Test func unknownKeyIsReportedWithItsLine() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
                keywrds: [a, b]
            """)
        #expect(message.contains("book.yaml: line 4: unknown key 'keywrds'"), "\(message)")
        #expect(message.contains("keywords"))
    }

    @Test func unknownTopLevelKey() {
        let message = errorMessage("name: X\ncode:\n  - name: A\n")
        #expect(message.contains("line 2: unknown key 'code' in the codebook"), "\(message)")
    }

    @Test func missingNameIsReportedWithItsLine() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
              - definition: no name here
            """)
        #expect(message.contains("line 4:"), "\(message)")
        #expect(message.contains("has no 'name'"))
    }

    @Test func emptyNameIsAnError() {
        let message = errorMessage("name: X\ncodes:\n  - name: '  '\n")
        #expect(message.contains("line 3:"), "\(message)")
        #expect(message.contains("empty"))
    }

    @Test func siblingsWithTheSameNameAreAnError() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
                children:
                  - name: Digital
                  - name: digital
            """)
        #expect(message.contains("line 6:"), "\(message)")
        #expect(message.contains("both called 'digital'"))
        #expect(message.contains("the first: 'Digital'"))
    }

    @Test func theSameNameUnderDifferentParentsIsFine() throws {
        let codebook = try Codebook.parseYAML(
            """
            name: X
            codes:
              - name: A
                children: [{name: Digital}]
              - name: B
                children: [{name: Digital}]
            """, file: "book.yaml")
        #expect(codebook.flattened().map(\.path) == [["A"], ["A", "Digital"], ["B"], ["B", "Digital"]])
    }

    @Test func badColourIsReportedWithItsLine() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
                color: "#12345G"
            """)
        #expect(message.contains("line 4:"), "\(message)")
        #expect(message.contains("'#12345G'"))
        #expect(message.contains("#RRGGBB"))
    }

    @Test func badGUIDIsReportedWithItsLine() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
              - name: B
                guid: 1234-not-a-guid
            """)
        #expect(message.contains("line 5:"), "\(message)")
        #expect(message.contains("'1234-not-a-guid'"))
        #expect(message.contains("is not a GUID"))
    }

    @Test func repeatedGUIDIsReportedWithBothLines() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: A
                guid: 0B00CDBB-8CE9-59AF-AAA4-D012D5AEA8DF
                children:
                  - name: B
                    guid: 0b00cdbb-8ce9-59af-aaa4-d012d5aea8df
            """)
        #expect(message.contains("line 7:"), "\(message)")
        #expect(message.contains("code on line 4"))
        #expect(message.contains("0B00CDBB-8CE9-59AF-AAA4-D012D5AEA8DF"))
    }

    @Test func slashInANameIsReportedWithItsLine() {
        let message = errorMessage(
            """
            name: X
            codes:
              - name: Data/analytics
            """)
        #expect(message.contains("line 3:"), "\(message)")
        #expect(message.contains("'Data/analytics'"))
    }

    @Test func invalidYAMLSyntaxIsReportedWithItsLine() throws {
        let message = errorMessage(try TestSupport.fixtureText("invalid-syntax", "yaml"))
        #expect(message.contains("not valid YAML (line 4, column"), "\(message)")
        #expect(message.contains("mapping values are not allowed"), "\(message)")
    }

    @Test func anUnterminatedQuoteIsReportedWhereTheFileEnds() {
        let message = errorMessage("name: X\ncodes:\n  - name: \"One\n  - name: Two\n")
        #expect(message.contains("not valid YAML (line 5, column 1"), "\(message)")
    }

    @Test func tabIndentationIsInvalidYAML() {
        let message = errorMessage("name: X\ncodes:\n\t- name: A\n")
        #expect(message.contains("not valid YAML (line 3"), "\(message)")
    }

    @Test(arguments: ["- name: A\n- name: B\n", "just a string\n", "# a comment\n\n- name: A\n"])
    func topLevelMustBeAMapping(yaml: String) {
        let line = yaml.hasPrefix("#") ? 3 : 1
        let message = errorMessage(yaml)
        #expect(message.contains("book.yaml: line \(line): a codebook must be a YAML mapping"), "\(message)")
    }

    @Test func anEmptyFileIsNotACodebook() {
        let message = errorMessage("")
        #expect(message.contains("book.yaml: a codebook must be a YAML mapping"), "\(message)")
    }

    @Test func codesMustBeAList() {
        let message = errorMessage("name: X\ncodes: none\n")
        #expect(message.contains("has no 'codes' list"), "\(message)")
    }

    @Test func codableMustBeABoolean() {
        let message = errorMessage("name: X\ncodes:\n  - name: A\n    codable: maybe\n")
        #expect(message.contains("line 4:"), "\(message)")
        #expect(message.contains("true or false"))
    }
}
