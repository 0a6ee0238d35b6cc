public import Foundation

/// A REFI-QDA file read from disk: the document, and the texts of its sources and notes, each
/// with the map from the other tool's positions to Quill's.
public struct REFIPackage {
    package var document: REFIDocument
    /// The source texts by source GUID, as the file has them (BOM removed).
    package var texts: [String: String] = [:]
    /// The texts of notes kept in files, by note GUID.
    var noteTexts: [String: String] = [:]
    /// Sources whose text could not be had, with the reason.
    var missingTexts: [(guid: String, reason: String)] = []

    /// How much of a `.qdpx` Quill agrees to unpack: 1 GB per file, 4 GB in all, and no file
    /// over 1 MB that would expand more than 200 times.
    package struct Limits {
        var zip = SafeZip.Limits(entrySize: 1 << 30, compressionRatio: 200, ratioFloor: 1 << 20)
        var total: UInt64 = 4 << 30

        package init() {}
    }

    /// The name the file gives its project, if any.
    public var projectName: String? {
        document.name.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }

    /// Reads a `.qdpx` project or a `.qdc` codebook.
    /// - Throws: `QuillError.badInput` naming the file and what is wrong with it.
    public static func read(_ url: URL) throws -> REFIPackage {
        try read(url, limits: Limits())
    }

    static func read(_ url: URL, limits: Limits) throws -> REFIPackage {
        let path = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw QuillError.fileNotReadable(
                path: path, reason: FileManager.default.fileExists(atPath: url.path) ? "permission denied or not a file" : "there is no such file")
        }
        return try read(data, path: path, extension: url.pathExtension, limits: limits)
    }

    /// Reads the bytes of a `.qdpx` project, or of a `.qdc`/`.xml` codebook or `.qde` project
    /// document, as the file extension says.
    /// - Throws: `QuillError.badInput` naming the file and what is wrong with it.
    package static func read(_ data: Data, path: String, extension: String, limits: Limits = Limits()) throws -> REFIPackage {
        guard !data.isEmpty else {
            throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
        }
        switch `extension`.lowercased() {
        case "qdc", "xml":
            return REFIPackage(document: try REFIDocument.read(data, path: path, expecting: "CodeBook"))
        case "qde":
            return REFIPackage(document: try REFIDocument.read(data, path: path, expecting: "Project"))
        default:
            return try readArchive(data, path: path, limits: limits)
        }
    }

    private static let advice = SafeZip.Advice(
        copyAgain: "Copy or download the file again, or export it again from the program that made it.",
        saveAgain: "Export it again from the program that made it.",
        tooLarge: "Export the project in parts (fewer sources at a time) from the program that made it.",
        bomb: "Check where the file came from; a real project export does not compress like this.")

    private static func readArchive(_ data: Data, path: String, limits: Limits) throws -> REFIPackage {
        let zip: SafeZip
        switch SafeZip.open(data, path: path, limits: limits.zip, advice: advice) {
        case .success(let opened):
            zip = opened
        case .failure:
            if data.starts(with: Array("<?xml".utf8)) || data.starts(with: [0xEF, 0xBB, 0xBF, 0x3C]) {
                throw QuillError.badInput(
                    path: path, problem: "it is an XML file, not a .qdpx archive",
                    remedy: "Give it the extension of what it is: .qde for a project document, .qdc for a codebook.")
            }
            throw QuillError.badInput(
                path: path,
                problem: data.starts(with: Array("PK".utf8))
                    ? "it is a damaged or incomplete zip archive" : "it is not a REFI-QDA project (.qdpx files are zip archives)",
                remedy: advice.copyAgain)
        }
        try zip.refuseEntriesOutsideTheArchive()
        let total = zip.entries.reduce(UInt64(0)) { $0 &+ $1.uncompressedSize }
        if total > limits.total {
            throw QuillError.badInput(
                path: path, problem: "it would unpack to \(SafeZip.megabytes(total)), more than the \(SafeZip.megabytes(limits.total)) Quill reads",
                remedy: advice.tooLarge)
        }
        let documents = zip.entries.filter { entry in
            !entry.name.contains("/") && !entry.name.hasPrefix(".") && entry.name.lowercased().hasSuffix(".qde")
        }
        var nested: [ZipEntry] = []
        if documents.isEmpty {
            // A project zipped again with its folder: one .qde one level down.
            nested = zip.entries.filter { entry in
                let parts = entry.name.split(separator: "/")
                return parts.count == 2 && !parts[1].hasPrefix(".") && parts[1].lowercased().hasSuffix(".qde")
            }
        }
        guard documents.count == 1 || (documents.isEmpty && nested.count == 1), let qde = documents.first ?? nested.first else {
            throw QuillError.badInput(
                path: path,
                problem: documents.isEmpty
                    ? "it holds no project document (no .qde file at the top of the archive)"
                    : "it holds \(documents.count) project documents (\(documents.map(\.name).joined(separator: ", "))); a .qdpx has one",
                remedy: "Check that this is a REFI-QDA project export (.qdpx).")
        }
        var package = REFIPackage(document: try REFIDocument.read(try zip.read(qde), path: "\(path) (\(qde.name))", expecting: "Project"))
        for source in package.document.sources {
            if let content = source.content {
                package.texts[source.guid] = content
                continue
            }
            guard let reference = source.plainTextPath else {
                package.missingTexts.append(
                    (
                        source.guid,
                        source.richTextPath == nil
                            ? "it names no text file"
                            : "it has only a rich-text file (\(source.richTextPath!)) and no plain text"
                    ))
                continue
            }
            switch try text(reference, in: zip, path: path) {
            case .success(let text): package.texts[source.guid] = text
            case .failure(let reason): package.missingTexts.append((source.guid, reason.text))
            }
        }
        for note in package.document.notes where note.content == nil {
            if let reference = note.plainTextPath, case .success(let text) = try text(reference, in: zip, path: path) {
                package.noteTexts[note.guid] = text
            }
        }
        return package
    }

    struct Reason: Error {
        var text: String
    }

    /// The text of an internal file: `internal://name`, or a bare name as some tools write;
    /// looked for in the sources folder in any case, then anywhere in the archive.
    private static func text(_ reference: String, in zip: SafeZip, path: String) throws -> Result<String, Reason> {
        var name = reference
        if let range = name.range(of: "://") {
            let scheme = name[..<range.lowerBound].lowercased()
            guard scheme == "internal" else {
                return .failure(Reason(text: "its text is outside the archive (\(reference))"))
            }
            name = String(name[range.upperBound...])
        }
        name = name.replacingOccurrences(of: "\\", with: "/")
        let file = name.split(separator: "/").last.map(String.init)?.lowercased() ?? name.lowercased()
        let entry =
            zip.entry("sources/" + name) ?? zip.entry(name)
            ?? zip.entries.first { $0.name.split(separator: "/").last.map(String.init)?.lowercased() == file }
        guard let entry else {
            return .failure(Reason(text: "the archive has no file \(name)"))
        }
        let data = try zip.read(entry)
        if data.isEmpty { return .success("") }
        do {
            let (text, _) = try TextDecoder.decode(data, path: entry.name)
            return .success(text)
        } catch QuillError.badInput(_, let problem, _) {
            return .failure(Reason(text: "its text file \(entry.name) cannot be read: \(problem)"))
        }
    }
}
