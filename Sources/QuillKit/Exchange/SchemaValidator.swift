import CLibXML2
import Foundation

/// Validates XML files against the official REFI-QDA schemas, which ship with Quill.
enum SchemaValidator {
    /// The two REFI-QDA schemas.
    enum Schema: String {
        case project = "Project-mrt2019.xsd"
        case codebook = "Codebook-mrt2019.xsd"
    }

    /// The folder of resources SwiftPM puts beside the `quill` executable.
    static let resourceFolderName = "Quill_QuillKit.resources"

    /// Where a schema file is: in the resource folder beside the executable (or beside the
    /// test bundle), or in `QUILL_RESOURCES` when that is set.
    static func url(of schema: Schema) throws -> URL {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["QUILL_RESOURCES"] {
            folders.append(URL(fileURLWithPath: override))
        }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent().appendingPathComponent(resourceFolderName))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent(resourceFolderName))
        for folder in folders {
            for candidate in [folder.appendingPathComponent("REFI-QDA"), folder] {
                let file = candidate.appendingPathComponent(schema.rawValue)
                if FileManager.default.fileExists(atPath: file.path) { return file }
            }
        }
        throw QuillError.invalidArgument(
            "Quill's copy of the REFI-QDA schema \(schema.rawValue) is missing: it belongs in the folder \(resourceFolderName) beside the quill program. Install quill together with that folder (swift build puts them side by side), or set QUILL_RESOURCES to the folder."
        )
    }

    /// Collects the errors libxml2 reports.
    private final class ErrorList {
        var messages: [String] = []
        var total = 0
    }

    /// The first errors of validating a file against a schema, or an empty list when it is valid.
    /// - Parameters:
    ///   - file: the XML file, read as a stream.
    ///   - schema: the schema to validate against.
    ///   - limit: how many errors to keep.
    /// - Returns: the messages, as "line N: problem", and how many errors there were in all.
    /// The corresponding C functions are `xmlSchemaParse` and `xmlSchemaValidateFile`.
    static func errors(in file: URL, against schema: Schema, limit: Int = 10) throws -> (messages: [String], total: Int) {
        let schemaURL = try url(of: schema)
        guard let parser = xmlSchemaNewParserCtxt(schemaURL.path) else {
            throw QuillError.fileNotReadable(path: schemaURL.path, reason: "the schema parser could not start")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let compiled = xmlSchemaParse(parser) else {
            throw QuillError.fileNotReadable(path: schemaURL.path, reason: "it is not a readable XML schema")
        }
        defer { xmlSchemaFree(compiled) }
        guard let validator = xmlSchemaNewValidCtxt(compiled) else {
            throw QuillError.fileNotReadable(path: schemaURL.path, reason: "the schema validator could not start")
        }
        defer { xmlSchemaFreeValidCtxt(validator) }
        let list = ErrorList()
        let box = Unmanaged.passRetained(list)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(
            validator,
            { context, error in
                guard let context, let error else { return }
                let list = Unmanaged<ErrorList>.fromOpaque(context).takeUnretainedValue()
                list.total += 1
                guard list.messages.count < 10 else { return }
                let message =
                    error.pointee.message.map { String(cString: $0) }?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error"
                list.messages.append("line \(error.pointee.line): \(message)")
            }, box.toOpaque())
        let result = xmlSchemaValidateFile(validator, file.path, Int32(XML_PARSE_NONET.rawValue))
        if result != 0 && list.total == 0 {
            list.total = 1
            list.messages.append("the file could not be validated (libxml2 code \(result))")
        }
        return (Array(list.messages.prefix(limit)), list.total)
    }
}
