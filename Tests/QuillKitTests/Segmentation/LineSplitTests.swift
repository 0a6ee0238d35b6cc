import Foundation
import Testing

@testable import QuillKit

/// `Line.split` walks UTF-8 bytes; it must agree with the plain reading by scalars.
@Suite struct LineSplitTests {
    /// The lines as the scalar-by-scalar reading finds them.
    private func reference(_ text: String) -> [String] {
        var lines: [String] = []
        var offset = 0
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let scalars = piece.unicodeScalars
            let count = scalars.count
            let leading = scalars.prefix { $0.properties.isWhitespace }.count
            let trailing = leading == count ? 0 : scalars.reversed().prefix { $0.properties.isWhitespace }.count
            lines.append("\(piece)|\(offset)|\(offset + leading)|\(offset + count - trailing)")
            offset += count + 1
        }
        return lines
    }

    private func described(_ text: String) -> [String] {
        Line.split(text).map { "\($0.text)|\($0.start)|\($0.contentStart)|\($0.contentEnd)" }
    }

    @Test func agreesWithTheScalarReadingOnRandomText() {
        var random = SeededGenerator(seed: 31)
        let pieces = [
            "a", "Zoë", "e\u{301}", "📚", "👩🏽‍⚕️", "漢字", " ", "\t", "\n", "\n\n", "\u{A0}", "\u{2003}", "\u{3000}",
            "\u{85}", "\u{2028}", "\u{B}", "\u{C}", ":", "\u{200B}", "\u{FEFF}",
        ]
        for _ in 0..<500 {
            let text = (0..<random.int(0...30)).map { _ in random.pick(pieces) }.joined()
            #expect(described(text) == reference(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func edgeCases() {
        for text in ["", "\n", "\n\n", " ", "a", "a\n", "\u{A0}x\u{3000}", "  \u{2003}  ", "x\n \n📚 "] {
            #expect(described(text) == reference(text), "\(Array(text.unicodeScalars))")
        }
        #expect(described(" Zoë:\u{A0}hi \n") == [" Zoë:\u{A0}hi |0|1|8", "|10|10|10"])
    }

    /// The section-break test on bytes agrees with the reading through Foundation's trimming.
    @Test func sectionBreaksAgreeWithTheTrimmedReading() {
        // The rules as regular expressions over the line trimmed by Foundation: the trailer, a
        // heading of one to six #, or a rule of three or more of one mark with spaces between.
        let patterns = ["^(?i:transcribed by) ", "^#{1,6}( |$)", "^([-*_])(?:\\1| ){2,}$"].map { try! NSRegularExpression(pattern: $0) }
        func reference(_ text: Substring) -> Bool {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let whole = NSRange(trimmed.startIndex..., in: trimmed)
            return patterns.contains { $0.firstMatch(in: trimmed, range: whole) != nil }
        }
        var random = SeededGenerator(seed: 260)
        let pieces = [
            "Transcribed", "TRANSCRIBED", "transcribed", " by ", " BY ", "  by ", "\u{0} by ", "otter.ai", "#", "##", " ",
            "\t", "\u{A0}", "\u{2003}", "-", "*", "_", "x", "T", "Zoë", "---", "***",
        ]
        for _ in 0..<800 {
            let text = (0..<random.int(0...6)).map { _ in random.pick(pieces) }.joined()
            let line = Line(text: text[...], start: 0, contentStart: 0, contentEnd: 0)
            #expect(line.isSectionBreak == reference(text[...]), "\(text.debugDescription)")
        }
    }

    /// The quick white-space test is Unicode's White_Space for every scalar up to U+3100.
    @Test func quickWhiteSpaceIsUnicodeWhiteSpace() {
        for value in UInt32(0)..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.isWhiteSpace == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
        }
    }
}
