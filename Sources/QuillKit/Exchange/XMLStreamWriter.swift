import CLibXML2
import Foundation

/// Writes an XML document element by element to a file, with libxml2's text writer, so that a
/// large document never has to be in memory as a whole.
///
/// Text and attribute values are escaped by libxml2; characters that XML 1.0 does not allow
/// (control characters other than tab and line feed) are written as U+FFFD. Elements are
/// indented by two spaces, and an element that holds text is written on one line, so the
/// same calls always give the same bytes.
final class XMLStreamWriter {
    private let writer: xmlTextWriterPtr
    private let path: String
    private var closed = false
    /// How many characters XML 1.0 does not allow were written as U+FFFD.
    private(set) var replacedCharacters = 0

    /// Starts a document in a new file.
    /// - Throws: `QuillError.fileNotWritable` when the file cannot be made.
    /// The corresponding C functions are `xmlNewTextWriterFilename` and `xmlTextWriterStartDocument`.
    init(path: String) throws {
        self.path = path
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw QuillError.fileNotWritable(path: path, reason: "the file could not be created")
        }
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        _ = Self.withXMLString("  ") { xmlTextWriterSetIndentString(writer, $0) }
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", "yes"))
    }

    deinit {
        xmlFreeTextWriter(writer)
    }

    /// Opens an element; `attributes` are written in the order given, leaving out nil values.
    /// The corresponding C functions are `xmlTextWriterStartElement` and `xmlTextWriterWriteAttribute`.
    func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) throws {
        try check(Self.withXMLString(name) { xmlTextWriterStartElement(writer, $0) })
        for (key, value) in attributes {
            guard let value else { continue }
            try check(
                Self.withXMLString(key) { key in
                    Self.withXMLString(clean(value)) { xmlTextWriterWriteAttribute(writer, key, $0) }
                })
        }
    }

    /// Writes text inside the open element.
    /// The corresponding C function is `xmlTextWriterWriteString`.
    func text(_ text: String) throws {
        try check(Self.withXMLString(clean(text)) { xmlTextWriterWriteString(writer, $0) })
    }

    /// Closes the innermost open element.
    /// The corresponding C function is `xmlTextWriterEndElement`.
    func end() throws {
        try check(xmlTextWriterEndElement(writer))
    }

    /// An element that holds only text, or nothing when the text is nil.
    func element(_ name: String, text: String?) throws {
        guard let text else { return }
        try start(name)
        try self.text(text)
        try end()
    }

    /// An element with attributes and no content.
    func empty(_ name: String, _ attributes: KeyValuePairs<String, String?>) throws {
        try start(name, attributes)
        try end()
    }

    /// Closes every open element and the file.
    /// The corresponding C functions are `xmlTextWriterEndDocument` and `xmlTextWriterFlush`.
    func finish() throws {
        guard !closed else { return }
        closed = true
        try check(xmlTextWriterEndDocument(writer))
        try check(xmlTextWriterFlush(writer))
    }

    private func check(_ result: Int32) throws {
        if result < 0 {
            throw QuillError.fileNotWritable(path: path, reason: "writing the XML failed (the disk may be full)")
        }
    }

    private static func withXMLString<Result>(_ string: String, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        string.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: string.utf8.count + 1, body)
        }
    }

    /// The text with every character XML 1.0 does not allow replaced by U+FFFD, counted.
    private func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !Self.isAllowed($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if Self.isAllowed(scalar) {
                scalars.append(scalar)
            } else {
                scalars.append("\u{FFFD}")
                replacedCharacters += 1
            }
        }
        return String(scalars)
    }

    /// Whether XML 1.0 allows a character in a document.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
