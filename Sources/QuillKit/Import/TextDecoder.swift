public import Foundation

/// Turns the bytes of a text file into Quill's canonical text: UTF-8, LF line ends, no BOM,
/// Unicode NFC. Offsets exist only after this step, so they never depend on how the file was
/// encoded.
public enum TextDecoder {
    /// What a file of text is for, so that a message about it speaks of the right thing.
    public enum Purpose: Sendable {
        /// A transcript to import.
        case transcript
        /// Any other text a user gives: a codebook, rules, a memo, a sheet, a CSV.
        case text
    }

    /// Decodes and canonicalises the bytes of a text file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path, for messages.
    ///   - purpose: what the file is for, for messages.
    /// - Returns: the canonical text and the name of the encoding it was read in.
    /// - Throws: `QuillError.badInput` for an empty, binary or wrongly encoded file.
    public static func canonicalText(from data: Data, path: String, purpose: Purpose = .transcript) throws -> (text: String, encoding: String) {
        if let (line, length) = firstOverlongLine(data) {
            let isTranscript = purpose == .transcript
            throw QuillError.badInput(
                path: path,
                problem: "line \(line) is \(length) bytes long, more than the \(maximumLineLength) Quill reads in one line"
                    + (isTranscript ? ", so this does not look like a transcript" : ""),
                remedy: isTranscript
                    ? "Check that you chose the right file; if it is a transcript, break it into paragraphs, one line or more per speaker turn, and import it again."
                    : "Check that you chose the right file."
            )
        }
        let (decoded, encoding) = try decode(data, path: path, purpose: purpose)
        let text = canonicalize(decoded)
        let controls = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\u{0C}" }
        if controls.count > 0 && controls.count * 20 > text.unicodeScalars.count {
            throw QuillError.badInput(
                path: path, problem: "the file is mostly control characters, not text",
                remedy: purpose == .transcript ? "Import a plain-text (.txt) or Markdown (.md) transcript." : "Check that you chose the right file.")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw QuillError.badInput(
                path: path, problem: "the file holds no text, only white space",
                remedy: "Check that you chose the right file.")
        }
        return (text, encoding)
    }

    /// The warning a text read in an encoding Quill had to guess deserves, without a full
    /// stop; nil for an encoding the file declared or that is certain.
    public static func warning(path: String, encoding: String) -> String? {
        encoding == "Windows-1252" ? "\(path) is not UTF-8; it was read as Windows-1252. Check its accented letters and quotes" : nil
    }

    /// The longest line, in bytes, that a transcript may have: a speaker turn of a hundred
    /// thousand words and more. Text with longer lines is a data dump, or a file with no line
    /// ends at all, and reading it would take minutes for a single segment no one can code.
    package static let maximumLineLength = 1 << 20

    /// The first line longer than `maximumLineLength` bytes, with its number and length. Lines
    /// end with LF, CR LF or CR.
    static func firstOverlongLine(_ data: Data) -> (line: Int, length: Int)? {
        guard data.count > maximumLineLength else { return nil }
        return data.withUnsafeBytes { buffer -> (Int, Int)? in
            guard let base = buffer.baseAddress else { return nil }
            /// The ends of the pieces of start..<end that a byte separates.
            func pieces(_ start: Int, _ end: Int, _ byte: Int32) -> [(Int, Int)] {
                var result: [(Int, Int)] = [], from = start
                while from <= end {
                    let to = memchr(base + from, byte, end - from).map { base.distance(to: UnsafeRawPointer($0)) } ?? end
                    result.append((from, to))
                    from = to + 1
                }
                return result
            }
            var line = 1
            for (start, end) in pieces(0, buffer.count, 0x0A) {
                if end - start > maximumLineLength {
                    // Old Mac files end lines with CR alone.
                    for (from, to) in pieces(start, end, 0x0D) {
                        if to - from > maximumLineLength { return (line, to - from) }
                        line += 1
                    }
                    line -= 1
                }
                line += 1
            }
            return nil
        }
    }

    /// Decodes the bytes of a text file as they are, without its BOM but with its line ends
    /// and Unicode form unchanged (positions other tools give count in this text).
    /// - Throws: `QuillError.badInput` for an empty, binary or wrongly encoded file.
    static func decode(_ data: Data, path: String, purpose: Purpose = .transcript) throws -> (text: String, encoding: String) {
        guard !data.isEmpty else {
            throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
        }
        let bytes = [UInt8](data)
        if let (kind, ext) = otherFormat(bytes) {
            throw QuillError.badInput(
                path: path, problem: "it is \(kind), not text, whatever its name says",
                remedy: purpose == .text
                    ? "Save it as plain text (UTF-8) and give that file."
                    : TranscriptFormat.advice(forExtension: ext)
                        ?? "If it is a Word document, give it the .docx extension (.odt for an OpenDocument text) and import it again; otherwise save it as plain text (.txt)."
            )
        }
        var decoded: String
        var encoding: String
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let isLittle = bytes[0] == 0xFF
            guard let text = String(data: data.dropFirst(2), encoding: isLittle ? .utf16LittleEndian : .utf16BigEndian) else {
                throw QuillError.badInput(
                    path: path, problem: "the file starts like UTF-16 text but is not valid UTF-16",
                    remedy: "Open it in a text editor and save it as UTF-8.")
            }
            decoded = text
            encoding = isLittle ? "UTF-16LE" : "UTF-16BE"
        } else {
            if let nul = bytes.firstIndex(of: 0) {
                if looksLikeUTF16WithoutBOM(bytes) {
                    throw QuillError.badInput(
                        path: path, problem: "the file looks like UTF-16 text without a byte-order mark, so its byte order is unknown",
                        remedy: "Open it in a text editor and save it as UTF-8 (or as UTF-16 with a BOM).")
                }
                throw QuillError.badInput(
                    path: path, problem: "the file holds binary data (a NUL byte at byte \(nul)), not text",
                    remedy: "Check that you chose the right file, and that it was saved as text.")
            }
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if let text = String(validating: body, as: UTF8.self) {
                decoded = text
                encoding = "UTF-8"
            } else if let text = windows1252(body) {
                // Not UTF-8: older Windows software wrote Windows-1252, in which every byte but
                // five is a character. The caller warns that the encoding was guessed.
                decoded = text
                encoding = "Windows-1252"
            } else {
                let (line, byte) = firstInvalidUTF8(body)
                throw QuillError.badInput(
                    path: path, problem: "the file is not valid UTF-8 text (line \(line), byte \(byte)), nor Windows-1252",
                    remedy: "Open it in a text editor and save it with the UTF-8 encoding.")
            }
        }
        if decoded.unicodeScalars.first == "\u{FEFF}" { decoded.unicodeScalars.removeFirst() }
        return (decoded, encoding)
    }

    /// What a file is when it starts as a PDF, RTF, zip (Word, OpenDocument) or old Office file
    /// does, with the extension it would have; nil for anything else.
    static func otherFormat(_ bytes: [UInt8]) -> (kind: String, ext: String)? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return ("a PDF file", "pdf") }
        if bytes.starts(with: Array("{\\rtf".utf8)) { return ("an RTF file", "rtf") }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return ("an old binary Office file (such as a .doc)", "doc") }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return ("a zip archive (such as a Word document)", "zip") }
        return nil
    }

    /// Text in Quill's canonical form: LF line ends and Unicode NFC.
    public static func canonicalize(_ text: String) -> String {
        nfc(lineFeeds(text))
    }

    /// The text with every CR LF and every lone CR made an LF. Done scalar by scalar:
    /// Foundation's `replacingOccurrences(of: "\r", …)` leaves a CR that a combining mark
    /// follows (found by fuzzing).
    package static func lineFeeds(_ text: String) -> String {
        var contiguous = text
        guard contiguous.withUTF8({ $0.contains(13) }) else { return text }
        var result = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                afterCR = true
            } else {
                if !(afterCR && scalar == "\n") { result.append(scalar) }
                afterCR = false
            }
        }
        return String(result)
    }

    /// A text in Unicode NFC; a text that is certainly NFC already is returned as it is,
    /// without the cost of normalizing it.
    static func nfc(_ text: String) -> String {
        var contiguous = text
        // Decided on the UTF-8: a lead byte below 0xCC starts a scalar below U+0300, and
        // general punctuation is E2 80..81 xx.
        let isStable = contiguous.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0xCC {
                    index += 1
                } else if byte == 0xE2, index + 2 < bytes.count,
                    isNFCStable(Unicode.Scalar(UInt32(byte & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F))!)
                {
                    index += 3
                } else {
                    return false
                }
            }
            return true
        }
        return isStable ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Whether a scalar is the same in NFC whatever surrounds it: one below the combining marks
    /// (U+0300), or general punctuation (U+2002-U+206F: dashes, curly quotes, ellipsis). None
    /// of these decomposes or composes with a neighbour, so a text of them is its own NFC.
    static func isNFCStable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x300 || (0x2002...0x206F).contains(scalar.value)
    }

    /// The bytes read as Windows-1252, or nil if they hold one of its five undefined bytes.
    static func windows1252(_ bytes: [UInt8]) -> String? {
        let high: [UInt32] = [
            0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
            0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
        ]
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            guard value != 0 || byte == 0, let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Whether NUL bytes fall mostly on every other byte, as ASCII text in UTF-16 has them.
    private static func looksLikeUTF16WithoutBOM(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(4096)
        guard sample.count >= 4 else { return false }
        var evenNULs = 0
        var oddNULs = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { evenNULs += 1 } else { oddNULs += 1 }
        }
        let pairs = sample.count / 2
        return max(evenNULs, oddNULs) * 10 >= pairs * 6 && min(evenNULs, oddNULs) * 10 <= pairs
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, byte: Int) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var line = 1
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += String(scalar).utf8.count
                if scalar == "\n" { line += 1 }
                offset = consumed
            case .emptyInput:
                return (line, offset)
            case .error:
                return (line, offset)
            }
        }
    }
}
