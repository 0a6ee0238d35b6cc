import CLibXML2
public import Foundation

/// Safe XML reading on libxml2, shared by every importer of XML (REFI-QDA, Word, OpenDocument).
///
/// Documents are parsed from memory with network access off (`XML_PARSE_NONET`), without
/// substituting entities or loading external DTDs, and with libxml2's own printing of errors
/// off; the first error comes back as a `QuillError` naming the file and the line.
public final class SafeXMLDocument {
    private let document: xmlDocPtr

    /// Parses a document.
    /// - Parameters:
    ///   - data: the document's bytes.
    ///   - path: the file it came from, for messages.
    /// - Throws: `QuillError.badInput` when it is not well-formed XML.
    /// The corresponding C functions are `xmlNewParserCtxt` and `xmlCtxtReadMemory`.
    package init(data: Data, path: String) throws {
        guard let context = xmlNewParserCtxt() else {
            throw QuillError.badInput(path: path, problem: "the XML parser could not start", remedy: "Try again.")
        }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = data.withUnsafeBytes { buffer -> xmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlCtxtReadMemory(context, base, Int32(clamping: buffer.count), nil, nil, options)
        }
        guard let parsed, context.pointee.wellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            var problem = "it is not well-formed XML"
            if let error = xmlCtxtGetLastError(context), let message = error.pointee.message {
                let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
                problem += " (line \(error.pointee.line): \(text))"
            }
            throw QuillError.badInput(path: path, problem: problem, remedy: "The file is damaged or is not the kind of file its name says.")
        }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The name of the root element, without a prefix.
    package var rootName: String? {
        guard let root = xmlDocGetRootElement(document), let name = root.pointee.name else { return nil }
        return String(cString: name)
    }

    /// The text of the whole document, as libxml2 reads it (entities are not expanded).
    /// The corresponding C function is `xmlNodeGetContent`.
    package var textContent: String {
        guard let root = xmlDocGetRootElement(document), let content = xmlNodeGetContent(root) else { return "" }
        defer { quill_xmlFree(content) }
        return String(cString: content)
    }

    /// The version of libxml2 Quill was built with, as in `20914`.
    package static var libraryVersion: String {
        String(LIBXML_VERSION)
    }
}

// MARK: - Tree access for importers that walk the document (Word, OpenDocument)

extension SafeXMLDocument {
    /// Calls `body` with the root element while the document is alive. The pointer must not
    /// escape `body`. Returns nil when the document has no root element.
    /// The corresponding C function is `xmlDocGetRootElement`.
    func withRootElement<Result>(_ body: (xmlNodePtr) throws -> Result) rethrows -> Result? {
        guard let root = xmlDocGetRootElement(document) else { return nil }
        return try withExtendedLifetime(self) { try body(root) }
    }
}
