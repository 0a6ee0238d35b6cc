import CLibXML2
public import Foundation

/// A REFI-QDA project (`.qde`) or codebook (`.qdc`) as read, before it meets a project.
///
/// Reading is liberal, as real files need: any `urn:QDA-XML:project:` or `…codebook:` version,
/// GUIDs with braces or in either case (kept here in upper case without braces), BOMs, empty
/// wrapper elements, selections holding memos in a `Description`. What Quill does not model
/// (pictures, PDFs, audio and video, graphs, sets) is counted in `notModelled`, never dropped
/// silently.
package struct REFIDocument {
    struct Code {
        var guid: String
        var name: String
        var isCodable: Bool
        var color: String?
        var description: String?
        var notes: [String] = []
        var children: [Code] = []
    }

    struct Variable {
        var guid: String
        var name: String
        var type: String
        var description: String?
    }

    struct Value {
        var variable: String
        var value: String
    }

    struct Case {
        var guid: String
        var name: String?
        var description: String?
        var values: [Value] = []
        var sources: [String] = []
        var selections: [String] = []
        var codes = 0
    }

    struct Coding {
        var guid: String
        var code: String?
        var user: String?
        var created: String?
        var notes: [String] = []
    }

    package struct Selection {
        var guid: String
        package var name: String?
        package var start: Int?
        package var end: Int?
        var user: String?
        var created: String?
        var description: String?
        var codings: [Coding] = []
        var notes: [String] = []
    }

    package struct Source {
        package var guid: String
        var name: String?
        var plainTextPath: String?
        var richTextPath: String?
        package var content: String?
        var user: String?
        var created: String?
        var description: String?
        package var selections: [Selection] = []
        var codings: [Coding] = []
        var notes: [String] = []
        var values: [Value] = []
    }

    struct Note {
        var guid: String
        var name: String?
        var user: String?
        var created: String?
        var modified: String?
        var content: String?
        var plainTextPath: String?
    }

    struct Link {
        var origin: String?
        var target: String?
    }

    var isCodebook = false
    var name: String?
    package var origin: String?
    var created: String?
    var description: String?
    var users: [String: String] = [:]
    var codes: [Code] = []
    var variables: [Variable] = []
    var cases: [Case] = []
    package var sources: [Source] = []
    var notes: [Note] = []
    var links: [Link] = []
    var projectNotes: [String] = []
    /// Things Quill does not model, by kind, with how many there were.
    var notModelled: [String: Int] = [:]
}

// MARK: - Reading

extension REFIDocument {
    /// Reads a `.qde` or `.qdc` document as a stream.
    /// - Parameters:
    ///   - data: the XML.
    ///   - path: the file, for messages (for a `.qde` inside a `.qdpx`, the archive and the entry).
    ///   - expecting: the root element required (`Project` or `CodeBook`), or nil for either.
    /// - Throws: `QuillError.badInput` naming the file, the line and the problem.
    package static func read(_ data: Data, path: String, expecting: String? = nil) throws -> REFIDocument {
        // A document type declaration comes before the root element; REFI-QDA files never
        // have one, and one can make a parser read local files or grow without bound.
        if data.prefix(1 << 16).range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw QuillError.badInput(
                path: path, problem: "it has a document type declaration (<!DOCTYPE …>), which REFI-QDA files never have",
                remedy:
                    "Quill does not read DTDs, since they can make a file read other files or grow without bound. Check where the file came from, or export it again from the program that made it."
            )
        }
        var parser = Parser(path: path)
        try data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
            }
            // No network, no entity substitution, no DTD loading, no libxml2 printing of its own.
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            guard let reader = xmlReaderForMemory(base, Int32(clamping: buffer.count), nil, nil, options) else {
                throw QuillError.badInput(path: path, problem: "the XML reader could not start", remedy: "Try again.")
            }
            defer { xmlFreeTextReader(reader) }
            try parser.run(reader, expecting: expecting)
        }
        return parser.document
    }

    /// The walk over the document's nodes.
    private struct Parser {
        let path: String
        var document = REFIDocument()
        var stack: [String] = []
        var text = ""
        var codeStack: [Code] = []
        var currentCase: Case?
        var currentSource: Source?
        var currentSelection: Selection?
        var currentCoding: Coding?
        var currentNote: Note?
        var currentVariable: Variable?
        var currentValueVariable: String?
        var mediaDepth: Int?
        /// Values a file repeats in every coding (the code, the user, the date), each kept once:
        /// a large file has a million codings and a few thousand such values.
        var shared: [String: String] = [:]

        init(path: String) {
            self.path = path
        }

        func failure(_ reader: xmlTextReaderPtr, _ problem: String) -> QuillError {
            let line = xmlTextReaderGetParserLineNumber(reader)
            return .badInput(
                path: path, problem: "\(problem) (line \(line))",
                remedy: "The file is damaged or was not written by a REFI-QDA exporter; export it again from the program that made it.")
        }

        mutating func run(_ reader: xmlTextReaderPtr, expecting: String?) throws {
            while true {
                let status = xmlTextReaderRead(reader)
                if status == 0 { break }
                if status < 0 {
                    var problem = "it is not well-formed XML"
                    if let error = xmlGetLastError(), let message = error.pointee.message {
                        let detail = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
                        problem += " (line \(error.pointee.line): \(detail))"
                        xmlResetLastError()
                        throw QuillError.badInput(
                            path: path, problem: problem,
                            remedy: "The file is damaged; export it again from the program that made it.")
                    }
                    throw failure(reader, problem)
                }
                switch xmlTextReaderNodeType(reader) {
                case 1:
                    let name = Self.string(xmlTextReaderConstLocalName(reader)) ?? ""
                    let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
                    let attributes = Self.attributes(reader)
                    if stack.isEmpty {
                        try checkRoot(reader, name: name, expecting: expecting)
                    }
                    stack.append(name)
                    text = ""
                    try open(name, attributes, reader)
                    if isEmpty {
                        try close(name, reader)
                        stack.removeLast()
                    }
                case 15:
                    let name = stack.last ?? ""
                    try close(name, reader)
                    stack.removeLast()
                case 3, 4, 14:
                    if let value = Self.string(xmlTextReaderConstValue(reader)) { text += value }
                case 5:
                    throw failure(
                        reader, "it uses an XML entity (&…;) that is not one of XML's own, which REFI-QDA files never do and Quill does not expand")
                case 10:
                    throw failure(reader, "it has a document type declaration (<!DOCTYPE …>), which REFI-QDA files never have")
                default:
                    break
                }
            }
            if stack.count > 0 || document.name == nil && !document.isCodebook {
                throw QuillError.badInput(
                    path: path, problem: "the XML ends before the document does",
                    remedy: "The file is incomplete; export it again from the program that made it.")
            }
        }

        private mutating func checkRoot(_ reader: xmlTextReaderPtr, name: String, expecting: String?) throws {
            let namespace = Self.string(xmlTextReaderConstNamespaceUri(reader)) ?? ""
            let remedy =
                "Quill reads REFI-QDA projects (.qdpx, with a .qde inside) and codebooks (.qdc), as NVivo, ATLAS.ti, MAXQDA and QualCoder export them."
            switch name {
            case "Project" where namespace.hasPrefix(REFI.projectNamespacePrefix):
                if expecting == "CodeBook" {
                    throw QuillError.badInputRemedied(path: path, problem: "it is a REFI-QDA project, not a codebook", remedy: .importProjectInstead)
                }
            case "CodeBook" where namespace.hasPrefix(REFI.codebookNamespacePrefix):
                if expecting == "Project" {
                    throw QuillError.badInputRemedied(
                        path: path, problem: "it holds a REFI-QDA codebook, not a project", remedy: .importCodebookInstead)
                }
                document.isCodebook = true
            case "Project", "CodeBook":
                throw QuillError.badInput(
                    path: path, problem: "its <\(name)> is in the namespace '\(namespace)', not a REFI-QDA one (urn:QDA-XML:…)", remedy: remedy)
            default:
                throw QuillError.badInput(path: path, problem: "it is XML but not REFI-QDA (its root element is <\(name)>)", remedy: remedy)
            }
        }

        private func inside(_ name: String) -> Bool {
            stack.dropLast().contains(name)
        }

        private var parent: String? {
            stack.count >= 2 ? stack[stack.count - 2] : nil
        }

        private func guid(_ attributes: [String: String], _ key: String = "guid") -> String? {
            attributes[key].map { StableID.normalized($0) ?? $0.trimmingCharacters(in: .whitespaces).uppercased() }
        }

        private func requiredGUID(_ attributes: [String: String], _ element: String, _ reader: xmlTextReaderPtr, key: String = "guid") throws
            -> String
        {
            guard let value = guid(attributes, key), !value.isEmpty else {
                throw failure(reader, "a <\(element)> has no \(key)")
            }
            return value
        }

        private func position(_ attributes: [String: String], _ key: String) -> Int? {
            attributes[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }

        mutating func open(_ name: String, _ attributes: [String: String], _ reader: xmlTextReaderPtr) throws {
            if mediaDepth != nil {
                if name == "Coding" { document.notModelled["PDF, picture, audio or video coding", default: 0] += 1 }
                return
            }
            switch name {
            case "Project":
                document.name = attributes["name"] ?? ""
                document.origin = attributes["origin"]
                document.created = attributes["creationDateTime"]
            case "CodeBook":
                document.origin = document.origin ?? attributes["origin"]
            case "User":
                let id = try requiredGUID(attributes, name, reader)
                document.users[id] = attributes["name"] ?? attributes["id"] ?? id
            case "Code" where parent == "Codes" || parent == "Code":
                let isCodable = attributes["isCodable"].map { ["true", "1"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) } ?? true
                codeStack.append(
                    Code(
                        guid: try requiredGUID(attributes, name, reader), name: attributes["name"] ?? "",
                        isCodable: isCodable, color: attributes["color"]))
            case "Variable":
                currentVariable = Variable(
                    guid: try requiredGUID(attributes, name, reader), name: attributes["name"] ?? "",
                    type: attributes["typeOfVariable"] ?? "Text")
            case "Case":
                currentCase = Case(guid: try requiredGUID(attributes, name, reader), name: attributes["name"])
            case "TextSource" where parent == "Sources":
                currentSource = Source(
                    guid: try requiredGUID(attributes, name, reader), name: attributes["name"],
                    plainTextPath: attributes["plainTextPath"], richTextPath: attributes["richTextPath"],
                    user: guid(attributes, "creatingUser"), created: attributes["creationDateTime"])
            case "PictureSource", "PDFSource", "AudioSource", "VideoSource":
                let kind =
                    [
                        "PictureSource": "picture source", "PDFSource": "PDF source",
                        "AudioSource": "audio source", "VideoSource": "video source",
                    ][name] ?? name
                document.notModelled[kind, default: 0] += 1
                mediaDepth = stack.count
            case "PlainTextSelection" where currentSource != nil:
                currentSelection = Selection(
                    guid: try requiredGUID(attributes, name, reader), name: attributes["name"],
                    start: position(attributes, "startPosition"), end: position(attributes, "endPosition"),
                    user: share(guid(attributes, "creatingUser")), created: share(attributes["creationDateTime"]))
            case "Coding":
                currentCoding = Coding(
                    guid: try requiredGUID(attributes, name, reader), user: share(guid(attributes, "creatingUser")),
                    created: share(attributes["creationDateTime"]))
            case "CodeRef":
                let target = try requiredGUID(attributes, name, reader, key: "targetGUID")
                if currentCoding != nil {
                    let code = share(target)
                    currentCoding?.code = code
                } else if currentCase != nil {
                    currentCase?.codes += 1
                }
            case "NoteRef":
                let target = try requiredGUID(attributes, name, reader, key: "targetGUID")
                if currentCoding != nil {
                    currentCoding?.notes.append(target)
                } else if currentSelection != nil {
                    currentSelection?.notes.append(target)
                } else if currentSource != nil {
                    currentSource?.notes.append(target)
                } else if !codeStack.isEmpty {
                    codeStack[codeStack.count - 1].notes.append(target)
                } else if parent == "Project" {
                    document.projectNotes.append(target)
                } else if parent == "Link" {
                    document.notModelled["note on a link", default: 0] += 1
                }
            case "VariableRef":
                currentValueVariable = try requiredGUID(attributes, name, reader, key: "targetGUID")
            case "SourceRef":
                let target = try requiredGUID(attributes, name, reader, key: "targetGUID")
                currentCase?.sources.append(target)
            case "SelectionRef":
                let target = try requiredGUID(attributes, name, reader, key: "targetGUID")
                currentCase?.selections.append(target)
            case "Note" where parent == "Notes":
                currentNote = Note(
                    guid: try requiredGUID(attributes, name, reader), name: attributes["name"],
                    user: guid(attributes, "creatingUser"), created: attributes["creationDateTime"],
                    modified: attributes["modifiedDateTime"], plainTextPath: attributes["plainTextPath"])
            case "Link":
                document.links.append(Link(origin: guid(attributes, "originGUID"), target: guid(attributes, "targetGUID")))
            case "Set":
                document.notModelled["set", default: 0] += 1
            case "Graph":
                document.notModelled["graph", default: 0] += 1
            default:
                break
            }
        }

        /// The value, as the one string kept for all its repetitions.
        private mutating func share(_ value: String?) -> String? {
            guard let value else { return nil }
            if let kept = shared[value] { return kept }
            shared[value] = value
            return value
        }

        mutating func close(_ name: String, _ reader: xmlTextReaderPtr) throws {
            if let depth = mediaDepth {
                if stack.count == depth { mediaDepth = nil }
                return
            }
            let content = text
            switch name {
            case "Description":
                switch parent {
                case "Code": if !codeStack.isEmpty { codeStack[codeStack.count - 1].description = content }
                case "Variable": currentVariable?.description = content
                case "Case": currentCase?.description = content
                case "PlainTextSelection": currentSelection?.description = content
                case "TextSource": currentSource?.description = content
                case "Project": document.description = content
                default: break
                }
            case "PlainTextContent":
                if currentNote != nil { currentNote?.content = content } else if currentSelection == nil { currentSource?.content = content }
            case "Code" where !codeStack.isEmpty && (inside("Codes")):
                let code = codeStack.removeLast()
                if codeStack.isEmpty {
                    document.codes.append(code)
                } else {
                    codeStack[codeStack.count - 1].children.append(code)
                }
            case "Variable":
                if let variable = currentVariable { document.variables.append(variable) }
                currentVariable = nil
            case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
                guard let variable = currentValueVariable else { break }
                let value = Value(variable: variable, value: content.trimmingCharacters(in: .whitespacesAndNewlines))
                if currentCase != nil { currentCase?.values.append(value) } else { currentSource?.values.append(value) }
            case "VariableValue":
                currentValueVariable = nil
            case "Case":
                if let item = currentCase { document.cases.append(item) }
                currentCase = nil
            case "Coding":
                if let coding = currentCoding {
                    if currentSelection != nil {
                        currentSelection?.codings.append(coding)
                    } else if currentSource != nil {
                        currentSource?.codings.append(coding)
                    }
                }
                currentCoding = nil
            case "PlainTextSelection":
                if let selection = currentSelection { currentSource?.selections.append(selection) }
                currentSelection = nil
            case "TextSource" where parent == "Sources":
                if let source = currentSource { document.sources.append(source) }
                currentSource = nil
            case "Note" where parent == "Notes":
                if let note = currentNote { document.notes.append(note) }
                currentNote = nil
            default:
                break
            }
        }

        static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        /// The attributes of the element the reader is on, by local name.
        static func attributes(_ reader: xmlTextReaderPtr) -> [String: String] {
            var result: [String: String] = [:]
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                if let name = string(xmlTextReaderConstLocalName(reader)), let value = string(xmlTextReaderConstValue(reader)) {
                    result[name] = value
                }
            }
            xmlTextReaderMoveToElement(reader)
            return result
        }
    }
}
