import CLibXML2
public import Foundation

/// Reads the transcript text of word-processor documents: Word (`.docx`, the body of
/// `word/document.xml`) and OpenDocument (`.odt`, the text body of `content.xml`).
///
/// The zip is opened in memory and only the one part holding the body is unpacked, with a cap
/// on its size; nothing is written to disk. The XML is parsed by `SafeXMLDocument` (no network,
/// no entity substitution, no DTD loading) and walked with libxml2's C API.
///
/// The text has one paragraph per document paragraph or table row, paragraphs separated by a
/// blank line, so that `Segmenter` finds paragraphs and `Name: text` speaker turns. Headers,
/// footers, comments, footnotes, endnotes, text boxes and deleted text (tracked changes) are
/// left out. A table row whose first cell is a short speaker label (or a time, then a label)
/// becomes `Label: text` (or `[00:01:23] Label: text`), so that two-column transcripts keep
/// their speakers. The caller normalises the text to NFC.
public enum OfficeDocument {
    /// The transcript text of a Word document.
    /// - Parameters:
    ///   - data: the bytes of the `.docx` file.
    ///   - path: the file's path, for messages.
    /// - Returns: the paragraphs, separated by blank lines, ending with a line end.
    /// - Throws: `QuillError.badInput` for a file that is not a readable Word document or holds no text.
    public static func docxText(_ data: Data, path: String) throws -> String {
        try docxText(data, path: path, limits: .standard)
    }

    /// The transcript text of an OpenDocument text.
    /// - Parameters:
    ///   - data: the bytes of the `.odt` file.
    ///   - path: the file's path, for messages.
    /// - Returns: the paragraphs, separated by blank lines, ending with a line end.
    /// - Throws: `QuillError.badInput` for a file that is not a readable OpenDocument text or holds no text.
    public static func odtText(_ data: Data, path: String) throws -> String {
        try odtText(data, path: path, limits: .standard)
    }

    /// How much of a zip Quill agrees to unpack.
    typealias Limits = SafeZip.Limits

    static func docxText(_ data: Data, path: String, limits: Limits) throws -> String {
        let office = try OfficePackage(data: data, path: path, format: .word, limits: limits)
        let document = try office.mainDocument()
        let paragraphs =
            try document.withRootElement { root -> [String] in
                let root = OfficeNode(root)
                guard let namespace = root.namespace, WordReader.namespaces.contains(namespace), root.name == "document" else {
                    throw office.failure(
                        "its word/document.xml is not the body of a Word document (its root element is <\(root.name)>)",
                        remedy: OfficePackage.damagedRemedy)
                }
                guard let body = root.child(namespace, "body") else { return [] }
                return WordReader(w: namespace).paragraphs(in: body)
            } ?? []
        return try office.transcript(from: paragraphs)
    }

    static func odtText(_ data: Data, path: String, limits: Limits) throws -> String {
        let office = try OfficePackage(data: data, path: path, format: .openDocument, limits: limits)
        try office.checkOpenDocumentText()
        let document = try office.mainDocument()
        let paragraphs =
            try document.withRootElement { root -> [String] in
                let root = OfficeNode(root)
                guard let body = root.child(ODF.office, "body") else {
                    throw office.failure("its content.xml has no document body (office:body)", remedy: OfficePackage.damagedRemedy)
                }
                guard let text = body.child(ODF.office, "text") else {
                    let kind = body.elements.first { $0.namespace == ODF.office }?.name ?? "unknown"
                    throw office.failure(
                        "it is an OpenDocument \(kind), not an OpenDocument text",
                        remedy: "Check that you chose the right file: Quill reads the text of word-processor documents.")
                }
                return OpenDocumentReader().paragraphs(in: text)
            } ?? []
        return try office.transcript(from: paragraphs)
    }
}

// MARK: - The zip package

/// The two kinds of document read, with the words messages need about them.
private enum OfficeFormat {
    case word
    case openDocument

    /// "a Word document".
    var withArticle: String { self == .word ? "a Word document" : "an OpenDocument text" }
    /// The file extension, as ".docx".
    var fileExtension: String { self == .word ? ".docx" : ".odt" }
    /// The part that holds the body.
    var mainPart: String { self == .word ? "word/document.xml" : "content.xml" }
}

/// An office document's zip, read in memory by `SafeZip`, with the messages an office
/// document needs.
private struct OfficePackage {
    let path: String
    let data: Data
    let format: OfficeFormat
    let zip: SafeZip

    static let damagedRemedy = "The file is damaged or is not the kind of file its name says; open it in your word processor and save it again."
    static let copyAgainRemedy = "Copy or download the file again, or open it in your word processor and save it again."
    static let advice = SafeZip.Advice(
        copyAgain: copyAgainRemedy,
        saveAgain: "Open it in your word processor and save it again.",
        tooLarge: "Split the transcript into smaller documents, or save it as plain text (.txt) and import that.",
        bomb:
            "Check where the file came from. If it is a real transcript, open it in your word processor and save it again, or save it as plain text (.txt)."
    )

    var entries: [ZipEntry] { zip.entries }

    init(data: Data, path: String, format: OfficeFormat, limits: OfficeDocument.Limits) throws {
        self.path = path
        self.data = data
        self.format = format
        guard !data.isEmpty else {
            throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw Self.compoundFileError(data, path: path, format: format)
        }
        switch SafeZip.open(data, path: path, limits: limits, advice: Self.advice) {
        case .success(let zip):
            self.zip = zip
            try zip.refuseEntriesOutsideTheArchive()
        case .failure(.noEndRecord):
            throw Self.notAZipError(data, path: path, format: format)
        case .failure(.damaged):
            guard data.starts(with: Array("PK".utf8)) else { throw Self.notAZipError(data, path: path, format: format) }
            throw QuillError.badInput(
                path: path, problem: "it is a damaged zip archive (its list of files cannot be read)",
                remedy: Self.copyAgainRemedy)
        }
    }

    func failure(_ problem: String, remedy: String) -> QuillError {
        zip.failure(problem, remedy: remedy)
    }

    /// The error for an OLE compound file: Word's encrypted documents and old binary .doc files.
    static func compoundFileError(_ data: Data, path: String, format: OfficeFormat) -> QuillError {
        func holdsStream(_ name: String) -> Bool {
            // Compound-file directory entries name their streams in UTF-16LE.
            let bytes = name.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            return data.range(of: Data(bytes)) != nil
        }
        let other = format == .word ? "a .docx" : "an .odt"
        if holdsStream("EncryptedPackage") || holdsStream("EncryptionInfo") {
            return .badInput(
                path: path, problem: "it is a password-protected (encrypted) Office document",
                remedy: "Quill cannot read encrypted documents. Open it in Word, remove the password "
                    + "(File > Info > Protect Document > Encrypt with Password, and clear the password), save it, and import it again.")
        }
        if holdsStream("WordDocument") {
            return .badInput(
                path: path, problem: "it is an old binary Word document (.doc), not \(other)",
                remedy: "Open it in Word or LibreOffice and save it as a Word document (.docx), then import that.")
        }
        return .badInput(
            path: path,
            problem: "it is an OLE compound file (a password-protected Office document or an old binary .doc, .xls or .ppt file), not \(other)",
            remedy: "Remove the password, or save the document from your word processor as .docx, and import it again.")
    }

    /// The error for bytes without a zip's end record.
    static func notAZipError(_ data: Data, path: String, format: OfficeFormat) -> QuillError {
        if data.starts(with: Array("PK".utf8)) {
            return .badInput(
                path: path,
                problem: "it is a damaged or incomplete zip archive (the end of the archive is missing, as when a copy or download is cut short)",
                remedy: copyAgainRemedy)
        }
        let saveAs = "Open it in your word processor and save it as \(format.fileExtension) or as plain text (.txt), then import that."
        if data.starts(with: Array("%PDF-".utf8)) {
            return .badInput(path: path, problem: "it is a PDF file, not \(format.withArticle)", remedy: "Quill does not read PDF. " + saveAs)
        }
        if data.starts(with: Array("{\\rtf".utf8)) {
            return .badInput(path: path, problem: "it is an RTF file, not \(format.withArticle)", remedy: "Quill does not read RTF. " + saveAs)
        }
        return .badInput(
            path: path, problem: "it is not \(format.withArticle) (it is not a zip archive)",
            remedy: "Check that you chose the right file. A transcript saved as \(format.fileExtension) by your word processor "
                + "imports as it is; otherwise save it as plain text (.txt) and import that.")
    }

    /// The entry with this name; part names in office packages are compared without case.
    func entry(_ name: String) -> ZipEntry? {
        zip.entry(name)
    }

    /// The parsed XML of the part that holds the body.
    func mainDocument() throws -> SafeXMLDocument {
        let part = format.mainPart
        guard let entry = entry(part) else { throw missingMainPart() }
        let xml = try read(entry)
        // Word processors never write a document type declaration; one can make a parser read
        // local files, fetch others from the network, or grow without bound.
        if xml.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw failure(
                "its \(part) has a document type declaration (<!DOCTYPE …>), which word processors never write",
                remedy: "Quill refuses it, as such declarations can be used to read other files. Check where the file came from, "
                    + "or open it in your word processor and save it again.")
        }
        do {
            return try SafeXMLDocument(data: xml, path: path)
        } catch QuillError.badInput(_, let problem, let remedy) {
            let detail = problem.hasPrefix("it ") ? String(problem.dropFirst(3)) : problem
            throw failure("its \(part) \(detail)", remedy: remedy)
        }
    }

    /// The error for a zip without the body part, naming what the zip is when it can tell.
    func missingMainPart() -> QuillError {
        let names = Set(entries.map { $0.name.lowercased() })
        let remedy = "Check that you chose the right file: Quill reads Word documents (.docx), OpenDocument texts (.odt) and plain text."
        switch format {
        case .word:
            if names.contains("xl/workbook.xml") {
                return failure("it is an Excel workbook (.xlsx), not a Word document", remedy: remedy)
            }
            if names.contains("ppt/presentation.xml") {
                return failure("it is a PowerPoint presentation (.pptx), not a Word document", remedy: remedy)
            }
            if let type = smallText("mimetype"), type.hasPrefix("application/vnd.oasis.opendocument.") {
                if Self.isOpenDocumentText(type) {
                    return failure(
                        "it is an OpenDocument text (.odt), not a Word document", remedy: "Give it the .odt extension and import it again.")
                }
                return failure("it is \(Self.describe(openDocumentType: type)), not a Word document", remedy: remedy)
            }
        case .openDocument:
            if names.contains("word/document.xml") {
                return failure("it is a Word document (.docx), not an OpenDocument text", remedy: "Give it the .docx extension and import it again.")
            }
        }
        return failure("it is a zip archive but not \(format.withArticle) (it has no \(format.mainPart))", remedy: remedy)
    }

    /// For an OpenDocument package: refuses other kinds of OpenDocument and encrypted documents.
    func checkOpenDocumentText() throws {
        if let type = smallText("mimetype"), type.hasPrefix("application/vnd.oasis.opendocument."), !Self.isOpenDocumentText(type) {
            throw failure(
                "it is \(Self.describe(openDocumentType: type)), not an OpenDocument text",
                remedy: "Check that you chose the right file: Quill reads the text of word-processor documents.")
        }
        // OpenDocument encrypts the parts themselves and says so in the manifest.
        if let manifest = entry("META-INF/manifest.xml"), let bytes = try? read(manifest, cap: 1 << 20),
            bytes.range(of: Data("encryption-data".utf8)) != nil
        {
            throw failure(
                "it is a password-protected (encrypted) OpenDocument text",
                remedy: "Quill cannot read encrypted documents. Open it in LibreOffice, save a copy without a password "
                    + "(File > Save As, with 'Save with password' unticked), and import that.")
        }
    }

    static func isOpenDocumentText(_ type: String) -> Bool {
        ["text", "text-template", "text-master", "text-master-template", "text-web"]
            .contains { type == "application/vnd.oasis.opendocument." + $0 }
    }

    static func describe(openDocumentType type: String) -> String {
        let kind = String(type.dropFirst("application/vnd.oasis.opendocument.".count))
        switch kind.split(separator: "-").first.map(String.init) ?? kind {
        case "spreadsheet": return "an OpenDocument spreadsheet (.ods)"
        case "presentation": return "an OpenDocument presentation (.odp)"
        case "graphics": return "an OpenDocument drawing (.odg)"
        case "formula": return "an OpenDocument formula (.odf)"
        case "chart": return "an OpenDocument chart (.odc)"
        case "database", "base": return "an OpenDocument database (.odb)"
        default: return "an OpenDocument file of type '\(kind)'"
        }
    }

    /// The text of a small part, such as `mimetype`, or nil when it is missing or unreadable.
    func smallText(_ part: String) -> String? {
        guard let entry = entry(part), let bytes = try? read(entry, cap: 1024) else { return nil }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Unpacks one entry into memory, refusing encrypted entries, oversized ones and zip bombs.
    func read(_ entry: ZipEntry, cap: UInt64? = nil) throws -> Data {
        try zip.read(entry, cap: cap)
    }

    /// The transcript text from the paragraphs, or the error for a document without text.
    func transcript(from paragraphs: [String]) throws -> String {
        guard let text = OfficeText.assemble(paragraphs) else {
            throw failure(
                "the document holds no text",
                remedy: "Check that you chose the right file. Quill reads the body text of a document; "
                    + "text in text boxes, headers, footers, comments and footnotes is not imported.")
        }
        return text
    }
}

// MARK: - Walking the XML

/// A node of a parsed document, read through libxml2's C API. Every pointer is checked.
private struct OfficeNode {
    let pointer: xmlNodePtr

    init(_ pointer: xmlNodePtr) {
        self.pointer = pointer
    }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }

    /// Whether the node is character data (text or CDATA). Entity references are not: entities
    /// are never substituted, so their text never comes through.
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The local name, without a prefix.
    var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The namespace URI, or nil for none.
    var namespace: String? {
        guard let namespace = pointer.pointee.ns, let href = namespace.pointee.href else { return nil }
        return String(cString: href)
    }

    /// The content of a text node.
    var content: String {
        guard let content = pointer.pointee.content else { return "" }
        return String(cString: content)
    }

    /// All child nodes, in order.
    var children: [OfficeNode] {
        var result: [OfficeNode] = []
        var next = pointer.pointee.children
        while let node = next {
            result.append(OfficeNode(node))
            next = node.pointee.next
        }
        return result
    }

    /// The child elements, in order.
    var elements: [OfficeNode] { children.filter(\.isElement) }

    /// Whether the node is in this namespace, compared without making strings (walking is hot).
    func isIn(_ namespace: String) -> Bool {
        guard let node = pointer.pointee.ns, let href = node.pointee.href else { return false }
        return strcmp(UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self), namespace) == 0
    }

    /// Whether the node is an element with this namespace and local name.
    func isElement(_ namespace: String, _ name: String) -> Bool {
        guard isElement, let local = pointer.pointee.name,
            strcmp(UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self), name) == 0
        else { return false }
        return isIn(namespace)
    }

    /// The first child element with this namespace and name.
    func child(_ namespace: String, _ name: String) -> OfficeNode? {
        var next = pointer.pointee.children
        while let node = next {
            let candidate = OfficeNode(node)
            if candidate.isElement(namespace, name) { return candidate }
            next = node.pointee.next
        }
        return nil
    }

    /// The text of the node's text children.
    var directText: String {
        var text = ""
        var next = pointer.pointee.children
        while let node = next {
            let child = OfficeNode(node)
            if child.isText { text += child.content }
            next = node.pointee.next
        }
        return text
    }

    /// The value of an attribute with this namespace and local name.
    func attribute(_ namespace: String?, _ name: String) -> String? {
        var next = pointer.pointee.properties
        while let attribute = next {
            next = attribute.pointee.next
            guard let attributeName = attribute.pointee.name, String(cString: attributeName) == name else { continue }
            let attributeNamespace = attribute.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
            guard attributeNamespace == namespace else { continue }
            var value = ""
            var child = attribute.pointee.children
            while let node = child {
                if let content = node.pointee.content { value += String(cString: content) }
                child = node.pointee.next
            }
            return value
        }
        return nil
    }
}

/// The paragraphs of a container, in order. A Word paragraph whose mark was deleted (tracked)
/// runs on into the next one, as it does when the change is accepted.
private struct ParagraphList {
    private(set) var items: [String] = []
    private var carried: String?

    mutating func append(_ text: String, runsOn: Bool = false) {
        let full = (carried ?? "") + text
        carried = nil
        if runsOn { carried = full } else { items.append(full) }
    }

    /// Adds a table row, which a deleted paragraph mark does not join.
    mutating func appendRow(_ text: String) {
        flush()
        items.append(text)
    }

    mutating func flush() {
        if let carried { items.append(carried) }
        carried = nil
    }

    mutating func finished() -> [String] {
        flush()
        return items
    }
}

/// Reads the body of `word/document.xml`.
private struct WordReader {
    /// WordprocessingML's namespaces: transitional, as Word and LibreOffice write, and strict.
    static let namespaces: Set<String> = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ]

    /// The namespace of the document being read.
    let w: String

    /// The paragraphs of a block container (the body, a table cell, a content control).
    func paragraphs(in container: OfficeNode) -> [String] {
        var list = ParagraphList()
        readBlocks(container, into: &list)
        return list.finished()
    }

    private func readBlocks(_ container: OfficeNode, into list: inout ParagraphList) {
        for node in container.elements where node.isIn(w) {
            switch node.name {
            case "p":
                var text = ""
                readInline(node, into: &text)
                let mark = node.child(w, "pPr")?.child(w, "rPr")
                let markDeleted = mark?.child(w, "del") != nil || mark?.child(w, "moveFrom") != nil
                list.append(text, runsOn: markDeleted)
            case "tbl":
                for row in TableLayout.rowTexts(rows(of: node)) { list.appendRow(row) }
            case "sdt":
                if let content = node.child(w, "sdtContent") { readBlocks(content, into: &list) }
            case "customXml", "ins", "moveTo", "smartTag":
                readBlocks(node, into: &list)
            default:
                // w:del and w:moveFrom (deleted), w:sectPr, bookmarks, w:altChunk: no body text.
                continue
            }
        }
    }

    /// The text of a paragraph's content: runs, and the containers that hold runs.
    private func readInline(_ container: OfficeNode, into text: inout String) {
        for node in container.elements where node.isIn(w) {
            switch node.name {
            case "r":
                readRun(node, into: &text)
            case "hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo":
                readInline(node, into: &text)
            case "sdt":
                if let content = node.child(w, "sdtContent") { readInline(content, into: &text) }
            default:
                // w:pPr, w:del and w:moveFrom (deleted), comment ranges, bookmarks, proofing marks.
                continue
            }
        }
    }

    private func readRun(_ run: OfficeNode, into text: inout String) {
        for node in run.elements where node.isIn(w) {
            switch node.name {
            case "t":
                text += node.directText
            case "tab", "ptab":
                text += "\t"
            case "br", "cr":
                text += "\n"
            case "noBreakHyphen":
                text += "-"
            case "ruby":
                if let base = node.child(w, "rubyBase") { readInline(base, into: &text) }
            default:
                // w:delText (deleted), w:instrText (a field's code), w:sym, w:softHyphen, w:fldChar,
                // note and comment references, w:drawing and w:pict (text boxes), w:rPr.
                continue
            }
        }
    }

    /// The rows of a table, with each cell's text.
    private func rows(of table: OfficeNode) -> [TableRow] {
        var rows: [TableRow] = []
        collectRows(table, into: &rows)
        return rows
    }

    private func collectRows(_ container: OfficeNode, into rows: inout [TableRow]) {
        for node in container.elements where node.isIn(w) {
            switch node.name {
            case "tr":
                let properties = node.child(w, "trPr")
                if properties?.child(w, "del") != nil { continue }
                let isHeader = properties?.child(w, "tblHeader").map(isOn) ?? false
                var cells: [String] = []
                collectCells(node, into: &cells)
                rows.append(TableRow(cells: cells, isHeader: isHeader))
            case "sdt":
                if let content = node.child(w, "sdtContent") { collectRows(content, into: &rows) }
            case "customXml", "ins", "moveTo":
                collectRows(node, into: &rows)
            default:
                continue
            }
        }
    }

    private func collectCells(_ row: OfficeNode, into cells: inout [String]) {
        for node in row.elements where node.isIn(w) {
            switch node.name {
            case "tc":
                if node.child(w, "tcPr")?.child(w, "cellDel") != nil { continue }
                cells.append(TableLayout.cellText(paragraphs(in: node)))
            case "sdt":
                if let content = node.child(w, "sdtContent") { collectCells(content, into: &cells) }
            case "customXml":
                collectCells(node, into: &cells)
            default:
                continue
            }
        }
    }

    /// Whether an on/off property is on: present, and not switched off by `w:val`.
    private func isOn(_ node: OfficeNode) -> Bool {
        guard let value = node.attribute(w, "val") else { return true }
        return !["false", "0", "off"].contains(value.lowercased())
    }
}

/// OpenDocument's namespaces.
private enum ODF {
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    static let table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    /// LibreOffice's extensions (content controls, for one), whose content is text.
    static let libreOffice = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
    static let field = "urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0"
}

/// The text of one OpenDocument paragraph as it is built, with OpenDocument's white-space rule:
/// spaces, tabs and line ends in the XML collapse to one space, and leading ones are dropped;
/// `text:s`, `text:tab` and `text:line-break` give the characters that are really there.
private struct OpenDocumentLine {
    var text = ""
    private var afterSpace = false

    mutating func appendCollapsing(_ raw: String) {
        for scalar in raw.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                if text.isEmpty || afterSpace { continue }
                text.unicodeScalars.append(" ")
                afterSpace = true
            } else {
                text.unicodeScalars.append(scalar)
                afterSpace = false
            }
        }
    }

    mutating func appendLiteral(_ characters: String) {
        text += characters
        afterSpace = false
    }
}

/// Reads the text body (`office:body/office:text`) of `content.xml`.
private struct OpenDocumentReader {
    /// Text-namespace elements at block level that hold paragraphs: sections, lists, indexes.
    private static let blockContainers: Set<String> = [
        "section", "list", "list-item", "list-header", "numbered-paragraph", "index-body", "index-title",
        "table-of-content", "illustration-index", "table-index", "object-index", "user-index",
        "alphabetical-index", "bibliography",
    ]

    /// Text-namespace elements inside a paragraph whose content is not transcript text.
    private static let skippedInline: Set<String> = [
        "note", "tracked-changes", "number", "ruby-text", "hidden-text", "hidden-paragraph",
        "soft-page-break", "change", "change-start", "change-end",
    ]

    /// The most spaces one `text:s` gives.
    private static let maximumSpaces = 100

    func paragraphs(in container: OfficeNode) -> [String] {
        var list = ParagraphList()
        readBlocks(container, into: &list)
        return list.finished()
    }

    private func readBlocks(_ container: OfficeNode, into list: inout ParagraphList) {
        for node in container.elements {
            switch (node.namespace, node.name) {
            case (ODF.text, "p"), (ODF.text, "h"):
                var line = OpenDocumentLine()
                readInline(node, into: &line)
                list.append(line.text)
            case (ODF.text, let name) where Self.blockContainers.contains(name):
                readBlocks(node, into: &list)
            case (ODF.table, "table"):
                var rows: [TableRow] = []
                collectRows(node, isHeader: false, into: &rows)
                for row in TableLayout.rowTexts(rows) { list.appendRow(row) }
            default:
                // text:tracked-changes (the deleted text), declarations, forms, frames, annotations.
                continue
            }
        }
    }

    private func readInline(_ container: OfficeNode, into line: inout OpenDocumentLine) {
        for node in container.children {
            if node.isText {
                line.appendCollapsing(node.content)
                continue
            }
            guard node.isElement else { continue }
            switch (node.namespace, node.name) {
            case (ODF.text, "s"):
                let count = node.attribute(ODF.text, "c").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
                line.appendLiteral(String(repeating: " ", count: min(max(count, 1), Self.maximumSpaces)))
            case (ODF.text, "tab"):
                line.appendLiteral("\t")
            case (ODF.text, "line-break"):
                line.appendLiteral("\n")
            case (ODF.text, let name) where Self.skippedInline.contains(name):
                continue
            case (ODF.text, _), (ODF.libreOffice, _), (ODF.field, _):
                // Spans, links, fields (their shown value), bookmarks, ruby bases, content controls.
                readInline(node, into: &line)
            default:
                // office:annotation (comments), draw:frame (images, text boxes) and anything foreign.
                continue
            }
        }
    }

    private func collectRows(_ container: OfficeNode, isHeader: Bool, into rows: inout [TableRow]) {
        for node in container.elements where node.isIn(ODF.table) {
            switch node.name {
            case "table-row":
                var cells: [String] = []
                for cell in node.elements where cell.isElement(ODF.table, "table-cell") {
                    cells.append(TableLayout.cellText(paragraphs(in: cell)))
                }
                rows.append(TableRow(cells: cells, isHeader: isHeader))
            case "table-header-rows":
                collectRows(node, isHeader: true, into: &rows)
            case "table-rows", "table-row-group":
                collectRows(node, isHeader: isHeader, into: &rows)
            default:
                // table:table-column and friends; covered cells hold nothing.
                continue
            }
        }
    }
}

// MARK: - Tables and the text

/// A table row: the text of each cell, and whether the document marks it as a heading row.
private struct TableRow {
    var cells: [String]
    var isHeader: Bool
}

/// How a table becomes paragraphs: one paragraph per row, cells separated by a tab, and
/// transcript rows (speaker | text, or time | speaker | text) written as speaker turns.
private enum TableLayout {
    /// The words a transcript table's heading row uses for its speaker column.
    private static let headingWords: Set<String> = ["speaker", "speakers", "name", "who", "participant", "person", "speaker name"]

    /// A cell's text: its paragraphs (nested tables' rows included), one line each, blank ones dropped.
    static func cellText(_ paragraphs: [String]) -> String {
        paragraphs.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
            .map { OfficeText.trimTrailing($0) }
            .filter { !OfficeText.isBlank($0) }
            .joined(separator: "\n")
    }

    static func rowTexts(_ rows: [TableRow]) -> [String] {
        rows.enumerated().map { index, row in
            let isHeading = row.isHeader || (index == 0 && looksLikeHeading(row.cells))
            return rowText(row.cells, isHeading: isHeading)
        }
    }

    static func rowText(_ cells: [String], isHeading: Bool) -> String {
        if !isHeading, (2...3).contains(cells.count) {
            if let time = time(cells[0]), let label = speakerLabel(cells[1]) {
                return turn("[\(time)] \(label):", cells.dropFirst(2))
            }
            if let label = speakerLabel(cells[0]) {
                return turn("\(label):", cells.dropFirst())
            }
        }
        return cells.joined(separator: "\t")
    }

    private static func turn(_ label: String, _ rest: ArraySlice<String>) -> String {
        let text = rest.joined(separator: "\t").drop { $0 == " " || $0 == "\t" }
        return text.isEmpty ? label : label + " " + text
    }

    private static func trimmed(_ cell: String) -> String {
        cell.trimmingCharacters(in: CharacterSet(charactersIn: " \t\u{A0}"))
    }

    /// The label a cell holds when it is a short speaker label on one line, with or without a
    /// colon at its end, that Quill's segmenter reads as a speaker's name.
    static func speakerLabel(_ cell: String) -> String? {
        var label = trimmed(cell)
        if label.hasSuffix(":") { label = trimmed(String(label.dropLast())) }
        guard !label.isEmpty, label.count <= 40, !label.contains("\n"), !label.contains(":"),
            SpeakerLabel.parse(Substring(label + ":")) != nil
        else { return nil }
        return label
    }

    /// The time a cell holds when it is only a time such as `00:01:23` or `[00:01:23]`, without brackets.
    static func time(_ cell: String) -> String? {
        let text = trimmed(cell)
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, let (_, end) = SpeakerLabel.timestamp(scalars, from: 0), end == scalars.count else { return nil }
        if let first = text.first, first == "[" || first == "(" { return String(text.dropFirst().dropLast()) }
        return text
    }

    /// Whether a first row is a transcript table's heading, as `Speaker | Text`.
    private static func looksLikeHeading(_ cells: [String]) -> Bool {
        guard (2...3).contains(cells.count) else { return false }
        let folded = cells.map { trimmed($0).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":")) }
        return folded.allSatisfy { $0.count <= 30 && !$0.contains("\n") } && folded.contains { headingWords.contains($0) }
    }
}

/// The final text: paragraphs separated by a blank line.
private enum OfficeText {
    /// Joins paragraphs with blank lines, trimming trailing spaces and tabs of each line,
    /// dropping empty paragraphs and blank lines at a paragraph's ends, and ending with a line
    /// end. Nil when no paragraph has text.
    static func assemble(_ paragraphs: [String]) -> String? {
        var kept: [String] = []
        for paragraph in paragraphs {
            let text = TextDecoder.lineFeeds(paragraph)
            guard text.utf8.contains(10) else {
                let line = trimTrailing(text[...])
                if !isBlank(line) { kept.append(line) }
                continue
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { trimTrailing($0) }
            while let first = lines.first, isBlank(first) { lines.removeFirst() }
            while let last = lines.last, isBlank(last) { lines.removeLast() }
            guard !lines.isEmpty else { continue }
            kept.append(lines.joined(separator: "\n"))
        }
        guard !kept.isEmpty else { return nil }
        return kept.joined(separator: "\n\n") + "\n"
    }

    /// A line without the spaces and tabs at its end (non-breaking spaces stay).
    static func trimTrailing(_ line: Substring) -> String {
        let bytes = line.utf8
        guard let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        // Only ASCII bytes are cut, so the rest is whole UTF-8.
        return String(decoding: bytes[...last], as: UTF8.self)
    }

    /// Whether a line has no visible character.
    static func isBlank(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
