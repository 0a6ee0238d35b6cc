public import Foundation

/// Transcript formats Quill reads.
public enum TranscriptFormat: String, Sendable, CaseIterable {
    /// Plain text.
    case txt
    /// Markdown, read as plain text with `**Name:**` labels.
    case md
    /// A Word document.
    case docx
    /// An OpenDocument text.
    case odt
    /// WebVTT captions, as Zoom and Teams write them.
    case vtt
    /// SubRip captions.
    case srt

    /// The format for a file's extension.
    package static func forExtension(_ ext: String) -> TranscriptFormat? {
        switch ext.lowercased() {
        case "txt", "text": return .txt
        case "md", "markdown": return .md
        case "docx": return .docx
        case "odt": return .odt
        case "vtt", "webvtt": return .vtt
        case "srt": return .srt
        default: return nil
        }
    }

    /// What to tell a user who has a file of a kind Quill does not read.
    static func advice(forExtension ext: String) -> String? {
        switch ext.lowercased() {
        case "pdf":
            return
                "Quill does not read PDF files: text in a PDF has lost its paragraphs and speakers. Export the transcript from its original program as Word (.docx) or plain text (.txt), or copy the text into a .txt file, and import that."
        case "rtf":
            return
                "Quill does not read RTF files. Open it in a word processor and save it as Word (.docx) or plain text (.txt, UTF-8), then import that."
        case "doc": return "Quill does not read old Word (.doc) files. Open it in Word or LibreOffice and save it as .docx, then import that."
        default: return nil
        }
    }
}

/// A transcript read from disk, decoded and segmented, ready to store.
public struct PreparedSource: Sendable {
    /// The source's name: the file name without its extension.
    public var name: String
    /// The file name as given.
    public var fileName: String
    /// The format it was read as.
    public var format: TranscriptFormat
    /// The encoding it was read in.
    public var encoding: String
    /// SHA-256 of the original bytes.
    package var sha256: String
    /// The size of the original file.
    package var byteCount: Int
    /// The canonical text.
    public var text: String
    /// The text's length in scalars.
    public var length: Int
    /// The segments and speakers found.
    public var segmentation: Segmentation
    /// How its speakers become cases.
    public var cases = CaseMapping()
    /// What the reader noticed but could work around, such as a guessed encoding.
    public var warnings: [Notice] = []

    /// The name a file's source gets (the one given, or the file name without its extension),
    /// and its file name.
    public static func sourceName(of url: URL, name: String? = nil) -> (name: String, fileName: String) {
        (name ?? url.deletingPathExtension().lastPathComponent, url.lastPathComponent)
    }

    /// Reads, decodes and segments a transcript file.
    /// - Parameters:
    ///   - url: the file.
    ///   - format: the format to read it as; nil chooses by extension.
    ///   - name: the source's name; nil takes the file name without its extension.
    ///   - options: how to segment it.
    /// - Throws: `QuillError` naming the file and what is wrong with it.
    public static func read(
        url: URL, format: TranscriptFormat? = nil, name: String? = nil,
        options: SegmentationOptions = SegmentationOptions()
    ) throws -> PreparedSource {
        let path = url.relativePath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw QuillError.fileNotReadable(path: path, reason: "there is no such file")
        }
        guard !isFolder.boolValue else {
            throw QuillError.fileNotReadable(path: path, reason: "it is a folder; give the transcript files, for example \(path)/*.txt")
        }
        let ext = url.pathExtension
        guard let chosen = format ?? TranscriptFormat.forExtension(ext) else {
            if let advice = TranscriptFormat.advice(forExtension: ext) {
                throw QuillError.badInput(path: path, problem: "this is a .\(ext.lowercased()) file", remedy: advice)
            }
            throw QuillError.unsupportedFormat(path: path, format: ext.isEmpty ? "(no extension)" : "." + ext)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw QuillError.fileNotReadable(path: path, reason: (error as NSError).localizedDescription)
        }
        var warnings: [Notice] = []
        let text: String
        let encoding: String
        let segmentation: Segmentation
        switch chosen {
        case .txt, .md:
            (text, encoding) = try TextDecoder.canonicalText(from: data, path: path)
            segmentation = try Segmenter.segment(text, options: options, file: path)
        case .docx, .odt:
            guard !data.isEmpty else {
                throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
            }
            let raw = chosen == .docx ? try OfficeDocument.docxText(data, path: path) : try OfficeDocument.odtText(data, path: path)
            text = TextDecoder.canonicalize(raw)
            encoding = "UTF-8"
            segmentation = try Segmenter.segment(text, options: options, file: path)
        case .vtt, .srt:
            let decoded: String
            (decoded, encoding) = try TextDecoder.canonicalText(from: data, path: path)
            var cues = chosen == .vtt ? try Captions.parseVTT(decoded, path: path) : try Captions.parseSRT(decoded, path: path)
            if !options.findsSpeakers {
                cues = cues.map { cue in
                    var cue = cue
                    cue.speaker = nil
                    return cue
                }
            }
            let transcript = Captions.transcript(from: cues)
            text = transcript.text
            segmentation =
                options.unit.map { Segmenter.split(transcript.segmentation, into: $0, in: ScalarText(text)) }
                ?? transcript.segmentation
        }
        if let warning = TextDecoder.warning(path: path, encoding: encoding) {
            warnings.append(Notice(warning, remedy: .showSource))
        }
        guard !segmentation.segments.isEmpty else {
            throw QuillError.badInput(
                path: path, problem: "no segment of text was found in it",
                remedy: "Check the file; speaker labels with no text after them make no segments.")
        }
        let names = sourceName(of: url, name: name)
        return PreparedSource(
            name: names.name, fileName: names.fileName, format: chosen, encoding: encoding,
            sha256: StableID.sha256(data), byteCount: data.count, text: text,
            length: text.unicodeScalars.count, segmentation: segmentation, warnings: warnings)
    }
}
