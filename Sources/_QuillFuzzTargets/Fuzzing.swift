public import Foundation
public import QuillKit
import ZIPFoundation

/// Entry points for the fuzzers in `FuzzTesting/`: each takes the raw bytes of a file and
/// runs them through a reader the way `quill` does when it imports such a file, then checks
/// what came out. They exist for the fuzzers (and their regression tests), not for the
/// command line: they live in a target of their own, which the `quill` program does not link,
/// and reach the readers through their `package` interface. Each target has its seed files in `FuzzTesting/Corpus/<name>/`.
///
/// A `QuillError` thrown by a reader is the expected answer to a bad file. Any other error,
/// and every `Fuzzing.Violation`, is a bug: a reader must turn every bad input into one
/// clear `QuillError`, and what it returns must hold together (spans inside the text, in
/// order, not overlapping).
public enum Fuzzing {
    /// A reader's result that breaks the reader's own promises.
    public struct Violation: Error, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// The targets, by the name the fuzz script and the corpus folders use.
    public static let targets: [(name: String, run: @Sendable (Data) throws -> Void)] = [
        ("transcript", transcript),
        ("captions", captions),
        ("office", office),
        ("office-xml", officeXML),
        ("refi-xml", refiXML),
        ("refi-package", refiPackage),
        ("codebook-yaml", codebookYAML),
        ("csv", csv),
    ]

    /// Runs one input through a target.
    /// - Returns: the error a reader threw for a bad input, nil when it read the input.
    /// - Throws: a `Violation`, or an error other than `QuillError` from a reader: a bug.
    @discardableResult
    public static func run(_ target: (Data) throws -> Void, _ data: Data) throws -> QuillError? {
        do {
            try target(data)
            return nil
        } catch let error as QuillError {
            return error
        }
    }

    // MARK: - Targets

    /// A plain-text or Markdown transcript: decoded, then segmented in every unit, with and
    /// without speakers.
    public static func transcript(_ data: Data) throws {
        let text = try TextDecoder.canonicalText(from: data, path: "fuzz.txt").text
        try checkCanonical(text, "the decoded text")
        for unit in [nil] + SegmentationMode.allCases.map(Optional.some) {
            for speakers in [SpeakerDetection.automatic, .always, .never] {
                let segmentation = try Segmenter.segment(text, options: SegmentationOptions(unit: unit, speakers: speakers))
                try check(segmentation, in: text, "segmenting by \(unit?.rawValue ?? "default") with speakers \(speakers)")
            }
        }
    }

    /// A caption file, read as WebVTT and as SubRip, each turned into a transcript and split in
    /// every unit.
    public static func captions(_ data: Data) throws {
        let decoded = try TextDecoder.canonicalText(from: data, path: "fuzz.vtt").text
        try readAsAny(["vtt", "srt"]) { format in
            let cues = format == "vtt" ? try Captions.parseVTT(decoded, path: "fuzz.vtt") : try Captions.parseSRT(decoded, path: "fuzz.srt")
            let transcript = Captions.transcript(from: cues)
            try checkCanonical(transcript.text, "the \(format) transcript")
            try check(transcript.segmentation, in: transcript.text, "the \(format) transcript")
            let scalars = ScalarText(transcript.text)
            for unit in SegmentationMode.allCases {
                try check(
                    Segmenter.split(transcript.segmentation, into: unit, in: scalars), in: transcript.text,
                    "the \(format) transcript split by \(unit.rawValue)")
            }
        }
    }

    /// A Word or OpenDocument file, read as both, then segmented as an import does.
    public static func office(_ data: Data) throws {
        try readAsAny(["docx", "odt"]) { format in
            let raw = format == "docx" ? try OfficeDocument.docxText(data, path: "fuzz.docx") : try OfficeDocument.odtText(data, path: "fuzz.odt")
            let text = TextDecoder.canonicalize(raw)
            try checkCanonical(text, "the \(format) text")
            try check(Segmenter.segment(text, options: SegmentationOptions()), in: text, "segmenting the \(format) text")
        }
    }

    /// The XML of a document body, packed as the `word/document.xml` of a Word document and as
    /// the `content.xml` of an OpenDocument text, then read as `office` reads them. Mutating the
    /// XML directly reaches the readers' element walk, which mutations of a compressed,
    /// checksummed zip seldom do.
    public static func officeXML(_ data: Data) throws {
        let word = try storedZip([("word/document.xml", data)])
        let openDocument = try storedZip([("mimetype", Data("application/vnd.oasis.opendocument.text".utf8)), ("content.xml", data)])
        try readAsAny([word, openDocument], office)
    }

    /// A REFI-QDA project or codebook document (`.qde`, `.qdc`), read as either, with the
    /// texts it holds inline mapped as an import maps them.
    public static func refiXML(_ data: Data) throws {
        let document = try REFIDocument.read(data, path: "fuzz.qde")
        var texts: [String: String] = [:]
        for source in document.sources {
            texts[source.guid] = source.content
        }
        try checkImport(document, texts: texts)
    }

    /// A REFI-QDA project archive (`.qdpx`): the document and the texts it names, mapped as an
    /// import maps them.
    public static func refiPackage(_ data: Data) throws {
        let package = try REFIPackage.read(data, path: "fuzz.qdpx", extension: "qdpx")
        try checkImport(package.document, texts: package.texts)
    }

    /// A YAML codebook; one that reads must write back to YAML that reads as the same codebook.
    public static func codebookYAML(_ data: Data) throws {
        let text = try TextDecoder.canonicalText(from: data, path: "fuzz.yaml").text
        let codebook = try Codebook.parseYAML(text, file: "fuzz.yaml")
        let written = codebook.yaml()
        let again: Codebook
        do {
            again = try Codebook.parseYAML(written, file: "written.yaml")
        } catch {
            throw Violation(description: "the codebook read from the input writes YAML that does not read back (\(error)):\n\(written)")
        }
        guard again == codebook else {
            throw Violation(description: "the codebook read from the input writes YAML that reads back as a different codebook:\n\(written)")
        }
    }

    /// A CSV file, read as case attributes and as a codings file; and as JSON Lines codings.
    public static func csv(_ data: Data) throws {
        let text = try TextDecoder.canonicalText(from: data, path: "fuzz.csv").text
        try readAsAny(["attributes.csv", "codings.csv", "codings.jsonl"]) { name in
            if name == "attributes.csv" {
                _ = try CaseAttributeFile.parse(text, path: name)
            } else {
                _ = try CodingFile.parse(text, path: name)
            }
        }
    }

    /// Reads the input each of the ways given; refuses it, with the first way's error, only if
    /// every way refuses it. A violation or any other error stops at once.
    static func readAsAny<Way>(_ ways: [Way], _ read: (Way) throws -> Void) throws {
        var firstError: QuillError?
        var wasRead = false
        for way in ways {
            do {
                try read(way)
                wasRead = true
            } catch let error as QuillError {
                firstError = firstError ?? error
            }
        }
        if !wasRead, let firstError { throw firstError }
    }

    /// A zip made in memory, its entries stored uncompressed.
    static func storedZip(_ entries: [(name: String, data: Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for entry in entries {
            try archive.addEntry(
                with: entry.name, type: .file, uncompressedSize: Int64(entry.data.count),
                modificationDate: Date(timeIntervalSince1970: 1_700_000_000), compressionMethod: .none
            ) { position, size in
                entry.data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Violation(description: "the in-memory zip could not be made") }
        return data
    }

    // MARK: - Checks

    /// Canonical text has LF line ends only.
    static func checkCanonical(_ text: String, _ what: String) throws {
        if text.unicodeScalars.contains("\r") {
            throw Violation(description: "\(what) holds a carriage return, which canonical text never has")
        }
    }

    /// Segments lie inside the text, in order, without overlapping; speakers' turns add up.
    static func check(_ segmentation: Segmentation, in text: String, _ what: String) throws {
        let length = text.unicodeScalars.count
        var previousEnd = 0
        for segment in segmentation.segments {
            let span = segment.span
            guard span.start >= previousEnd, span.end <= length, span.start < span.end else {
                throw Violation(
                    description:
                        "\(what): segment \(span) is empty, overlaps the one before (which ends at \(previousEnd)) or lies outside the text of \(length) scalars"
                )
            }
            previousEnd = span.end
        }
        for line in segmentation.unattributedLines where line < 0 {
            throw Violation(description: "\(what): unattributed line \(line) is negative")
        }
    }

    /// What an import does with a document's texts short of storing them: map the other tool's
    /// positions onto Quill's text and segment it. Every selection lands inside the text or is
    /// left out; the segments hold together.
    static func checkImport(_ document: REFIDocument, texts: [String: String]) throws {
        for source in document.sources {
            guard let original = texts[source.guid] else { continue }
            let selections = source.selections.compactMap { selection -> (start: Int, end: Int, name: String)? in
                guard let start = selection.start, let end = selection.end else { return nil }
                return (start, end, selection.name ?? "")
            }
            let map = PositionMap.best(original: original, origin: document.origin, selections: selections)
            try checkCanonical(map.text, "the text of source \(source.guid)")
            let length = map.text.unicodeScalars.count
            for selection in selections {
                if let span = map.span(start: selection.start, end: selection.end), span.start < 0 || span.end > length {
                    throw Violation(
                        description:
                            "source \(source.guid): the selection \(selection.start)..<\(selection.end) maps to \(span), outside the text of \(length) scalars"
                    )
                }
            }
            try check(Segmenter.segment(map.text, options: SegmentationOptions()), in: map.text, "segmenting the text of source \(source.guid)")
        }
    }
}
