import Foundation

/// Turns the bytes of a text file into Quill's canonical text: UTF-8, LF line ends, no BOM,
/// Unicode NFC. Offsets exist only after this step, so they never depend on how the file was
/// encoded.
public enum TextDecoder {
    /// Decodes and canonicalises the bytes of a text file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path, for messages.
    /// - Returns: the canonical text and the name of the encoding it was read in.
    /// - Throws: `QuillError.badInput` for an empty, binary or wrongly encoded file.
    public static func canonicalText(from data: Data, path: String) throws -> (text: String, encoding: String) {
        guard !data.isEmpty else {
            throw QuillError.badInput(path: path, problem: "the file is empty", remedy: "Check that you chose the right file.")
        }
        let bytes = [UInt8](data)
        var decoded: String
        var encoding: String
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let isLittle = bytes[0] == 0xFF
            guard let text = String(data: data.dropFirst(2), encoding: isLittle ? .utf16LittleEndian : .utf16BigEndian) else {
                throw QuillError.badInput(path: path, problem: "the file starts like UTF-16 text but is not valid UTF-16",
                                          remedy: "Open it in a text editor and save it as UTF-8.")
            }
            decoded = text
            encoding = isLittle ? "UTF-16LE" : "UTF-16BE"
        } else {
            if let nul = bytes.firstIndex(of: 0) {
                throw QuillError.badInput(path: path, problem: "the file holds binary data (a NUL byte at byte \(nul)), not text",
                                          remedy: "Import a plain-text (.txt) or Markdown (.md) transcript; export it from your word processor as plain text.")
            }
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard let text = String(validating: body, as: UTF8.self) else {
                let (line, byte) = firstInvalidUTF8(body)
                throw QuillError.badInput(path: path, problem: "the file is not valid UTF-8 text (line \(line), byte \(byte))",
                                          remedy: "Open it in a text editor and save it with the UTF-8 encoding.")
            }
            decoded = text
            encoding = "UTF-8"
        }
        if decoded.hasPrefix("\u{FEFF}") { decoded.removeFirst() }
        var text = decoded.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        text = text.precomposedStringWithCanonicalMapping
        let controls = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\u{0C}" }
        if controls.count > 0 && controls.count * 20 > text.unicodeScalars.count {
            throw QuillError.badInput(path: path, problem: "the file is mostly control characters, not text",
                                      remedy: "Import a plain-text (.txt) or Markdown (.md) transcript.")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw QuillError.badInput(path: path, problem: "the file holds no text, only white space",
                                      remedy: "Check that you chose the right file.")
        }
        return (text, encoding)
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
