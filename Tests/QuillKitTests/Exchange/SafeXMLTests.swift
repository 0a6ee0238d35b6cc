import Foundation
import Testing

@testable import QuillKit

@Suite struct SafeXMLTests {
    @Test func parsesASmallDocument() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="LHS">
              <Sources><TextSource name="alpha">Caf\u{E9} 👍🏽 &amp; more</TextSource></Sources>
            </Project>
            """
        let document = try SafeXMLDocument(data: Data(xml.utf8), path: "project.qde")
        #expect(document.rootName == "Project")
        #expect(document.textContent.contains("Caf\u{E9} 👍🏽 & more"))
    }

    @Test func reportsAMalformedDocumentWithItsLine() {
        let xml = "<?xml version=\"1.0\"?>\n<Project>\n  <Sources>\n  </Source>\n</Project>\n"
        let error = TestSupport.quillError { _ = try SafeXMLDocument(data: Data(xml.utf8), path: "broken.qde") }
        guard case .badInput(let path, let problem, _)? = error else {
            Issue.record("expected badInput, got \(String(describing: error))")
            return
        }
        #expect(path == "broken.qde")
        #expect(problem.hasPrefix("it is not well-formed XML (line 4:"), "\(problem)")
        #expect(error?.message.contains("broken.qde") == true)
    }

    @Test func reportsAnEmptyOrTextDocument() {
        for bytes in ["", "just text, no markup"] {
            let error = TestSupport.quillError { _ = try SafeXMLDocument(data: Data(bytes.utf8), path: "x.xml") }
            guard case .badInput(_, let problem, _)? = error else {
                Issue.record("expected badInput for \(bytes.debugDescription), got \(String(describing: error))")
                continue
            }
            #expect(problem.contains("not well-formed XML"))
        }
    }

    @Test func doesNotExpandAnExternalEntity() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <r>before &secret; after</r>
            """
        // The document is read, but the entity is left unexpanded: /etc/passwd never comes through.
        let document = try SafeXMLDocument(data: Data(xml.utf8), path: "evil.xml")
        #expect(document.rootName == "r")
        #expect(!document.textContent.contains("root:"))
        #expect(document.textContent == "before  after")
    }

    @Test func doesNotExpandAnExternalParameterEntity() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]>
            <r>text</r>
            """
        let document = try SafeXMLDocument(data: Data(xml.utf8), path: "evil.xml")
        #expect(document.rootName == "r")
        #expect(document.textContent == "text")
    }

    @Test func knowsItsLibraryVersion() {
        #expect((Int(SafeXMLDocument.libraryVersion) ?? 0) >= 20900)
    }
}
