import Foundation
import QuillKit

/// The one reader of text a user gives Quill: codebooks, rules files, memos, coding sheets,
/// coding and case CSVs, from a file or from standard input. Each is decoded as transcripts
/// are (`TextDecoder`): UTF-8 with or without a BOM, UTF-16 with a BOM, Windows-1252 with a
/// warning; then LF line ends and Unicode NFC.
enum InputFile {
    /// What messages call standard input in place of a file's path.
    static let standardInputName = "standard input"

    /// A file's text, decoded and canonical.
    /// - Parameter allowingBlank: whether a file of white space alone is read as the empty
    ///   text (a memo's, whose command then says what is missing) rather than refused.
    /// - Throws: `QuillError.fileNotReadable` for a missing or unreadable file, and
    ///   `QuillError.badInput` for one that is empty, binary or in no encoding Quill reads.
    static func text(_ path: String, allowingBlank: Bool = false) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw QuillError.fileNotReadable(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "there is no such file")
        }
        return try decode(data, path: path, allowingBlank: allowingBlank)
    }

    /// Whether standard input is a terminal, where nothing is piped.
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// All of standard input, decoded as a file is; white space alone is the empty text.
    static func standardInput() throws -> String {
        try decode(FileHandle.standardInput.readDataToEndOfFile(), path: standardInputName, allowingBlank: true)
    }

    private static func decode(_ data: Data, path: String, allowingBlank: Bool) throws -> String {
        if allowingBlank && data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return "" }
        let (text, encoding) = try TextDecoder.canonicalText(from: data, path: path, purpose: .text)
        if let warning = TextDecoder.warning(path: path, encoding: encoding) {
            Console.note("Warning: \(warning).")
        }
        return text
    }
}
