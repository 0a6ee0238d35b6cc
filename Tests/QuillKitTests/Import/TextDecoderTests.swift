import Foundation
import Testing

@testable import QuillKit

@Suite struct TextDecoderTests {
    let path = "/data/study/interview-07.txt"

    func decode(_ bytes: [UInt8]) throws -> (text: String, encoding: String) {
        try TextDecoder.canonicalText(from: Data(bytes), path: path)
    }

    /// The error decoding throws, checked to be `badInput` naming the file.
    func badInputProblem(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let error = TestSupport.quillError(sourceLocation: sourceLocation, { _ = try decode(bytes) }) else { return nil }
        guard case .badInput(let errorPath, let problem, _) = error else {
            Issue.record("expected badInput, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(errorPath == path, sourceLocation: sourceLocation)
        #expect(error.message.contains(path), sourceLocation: sourceLocation)
        return problem
    }

    @Test func plainUTF8IsKept() throws {
        let (text, encoding) = try decode(Array("Aisha: hello\n".utf8))
        #expect(text == "Aisha: hello\n")
        #expect(encoding == "UTF-8")
    }

    @Test func utf8ByteOrderMarkIsStripped() throws {
        let (text, encoding) = try decode([0xEF, 0xBB, 0xBF] + Array("Aisha: hi".utf8))
        #expect(text == "Aisha: hi")
        #expect(text.unicodeScalars.first == "A")
        #expect(encoding == "UTF-8")
    }

    @Test func utf16LittleEndianWithBOM() throws {
        let string = "Zoë: 👍🏽\r\nok"
        let bytes: [UInt8] = [0xFF, 0xFE] + string.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (text, encoding) = try decode(bytes)
        #expect(text == "Zoë: 👍🏽\nok")
        #expect(encoding == "UTF-16LE")
    }

    @Test func utf16BigEndianWithBOM() throws {
        let string = "Café: x\ry"
        let bytes: [UInt8] = [0xFE, 0xFF] + string.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let (text, encoding) = try decode(bytes)
        #expect(text == "Café: x\ny")
        #expect(encoding == "UTF-16BE")
    }

    @Test func lineEndsBecomeLF() throws {
        let (text, _) = try decode(Array("one\r\ntwo\rthree\nfour\r\n\r\nfive".utf8))
        #expect(text == "one\ntwo\nthree\nfour\n\nfive")
    }

    @Test func textIsNormalisedToNFC() throws {
        let (text, _) = try decode(Array("Zoe\u{308} and cafe\u{301}".utf8))
        #expect(text == "Zo\u{EB} and caf\u{E9}")
        #expect(text.unicodeScalars.count == 12)
        #expect(!text.unicodeScalars.contains("\u{301}"))
    }

    @Test func emptyFileIsAnError() {
        let problem = badInputProblem([])
        #expect(problem?.contains("empty") == true)
    }

    @Test func whitespaceOnlyFileIsAnError() {
        let problem = badInputProblem(Array("  \n\t \r\n   ".utf8))
        #expect(problem?.contains("only white space") == true)
    }

    @Test func binaryFileIsAnError() {
        let problem = badInputProblem([0x41, 0x42, 0x43, 0x04, 0x00, 0x00, 0x41])
        #expect(problem?.contains("binary") == true)
        #expect(problem?.contains("NUL byte at byte 4") == true)
    }

    @Test func otherFormatsWithATextNameAreNamed() {
        #expect(
            badInputProblem([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x41])
                == "it is a zip archive (such as a Word document), not text, whatever its name says")
        #expect(badInputProblem(Array("%PDF-1.7\n%\u{E2}".utf8)) == "it is a PDF file, not text, whatever its name says")
        #expect(badInputProblem(Array("{\\rtf1\\ansi Caf\\'e9}".utf8)) == "it is an RTF file, not text, whatever its name says")
        #expect(
            badInputProblem([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00])
                == "it is an old binary Office file (such as a .doc), not text, whatever its name says")
    }

    @Test func invalidUTF8NamesTheLine() {
        // 0x81 is neither UTF-8 here nor a Windows-1252 character, on the third line.
        let bytes = Array("Aisha: one\nBen: two\nAisha: caf".utf8) + [0x81] + Array(" ok\n".utf8)
        let problem = badInputProblem(bytes)
        #expect(problem?.contains("not valid UTF-8") == true)
        #expect(problem?.contains("nor Windows-1252") == true)
        #expect(problem?.contains("line 3") == true)
        #expect(problem?.contains("byte 30") == true)
    }

    @Test func textThatIsNotUTF8IsReadAsWindows1252() throws {
        // 0xE9 is é, 0x93 and 0x94 are curly double quotes, 0x80 is the euro sign.
        let bytes = Array("Aisha: caf".utf8) + [0xE9, 0x20, 0x93, 0x6F, 0x6B, 0x94, 0x20, 0x80, 0x35, 0x0D, 0x0A]
        let (text, encoding) = try TextDecoder.canonicalText(from: Data(bytes), path: "old.txt")
        #expect(encoding == "Windows-1252")
        #expect(text == "Aisha: café “ok” €5\n")
    }

    /// The byte-level shortcut never skips a text that NFC would change: the result is always
    /// Foundation's NFC, byte for byte.
    @Test func canonicalFormIsAlwaysNFC() {
        var random = SeededGenerator(seed: 0x300)
        let pieces = [
            "a", "e", "\u{301}", "\u{300}", "\u{2FF}", "\u{E9}", "\u{212B}", "A\u{30A}", "\u{2014}", "\u{2019}", "\u{2001}",
            "\u{2070}", "\u{1F4DA}", "\u{FB01}", "\u{1100}\u{1161}", "\u{CB}", "\u{2026}", "\r\n", "\r", "\n", " ",
        ]
        for _ in 0..<800 {
            let text = (0..<random.int(0...12)).map { _ in random.pick(pieces) }.joined()
            let canonical = TextDecoder.canonicalize(text)
            let expected = TextDecoder.lineFeeds(text).precomposedStringWithCanonicalMapping
            #expect(Array(canonical.utf8) == Array(expected.utf8), "\(Array(text.unicodeScalars))")
        }
    }
}
