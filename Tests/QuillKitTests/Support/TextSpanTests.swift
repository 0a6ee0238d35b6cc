import Foundation
import Testing

@testable import QuillKit

@Suite struct TextSpanTests {
    @Test func spanBasics() {
        let span = TextSpan(start: 3, end: 7)
        #expect(span.length == 4)
        #expect(!span.isEmpty)
        #expect(TextSpan(start: 5, end: 5).isEmpty)
        #expect(span.overlaps(TextSpan(start: 6, end: 9)))
        #expect(!span.overlaps(TextSpan(start: 7, end: 9)))
        #expect(span.contains(TextSpan(start: 3, end: 7)))
        #expect(!span.contains(TextSpan(start: 2, end: 5)))
        #expect(TextSpan(start: 1, end: 9) < TextSpan(start: 2, end: 3))
        #expect(TextSpan(start: 1, end: 2) < TextSpan(start: 1, end: 3))
        #expect(span.description == "[3, 7)")
    }

    @Test func slicesCountScalarsNotCharacters() {
        // "Zoë " is 4 scalars (ë precomposed); 👍 is one scalar.
        let text = ScalarText("Zoë 👍 ok")
        #expect(text.count == 8)
        #expect(text[TextSpan(start: 4, end: 5)] == "👍")
        #expect(text[TextSpan(start: 6, end: 8)] == "ok")
    }

    @Test func multiScalarEmojiAreSeveralScalars() {
        // 👍🏽 is U+1F44D U+1F3FD: one Character, two scalars. 🇬🇧 is two regional indicators.
        let string = "a👍🏽b🇬🇧c"
        let text = ScalarText(string)
        #expect(string.count == 5)
        #expect(text.count == 7)
        #expect(text[TextSpan(start: 1, end: 3)] == "👍🏽")
        #expect(text[TextSpan(start: 3, end: 4)] == "b")
        #expect(text[TextSpan(start: 4, end: 6)] == "🇬🇧")
        #expect(text[TextSpan(start: 6, end: 7)] == "c")
        // Half of the emoji is just the thumb, without its skin tone.
        #expect(text[TextSpan(start: 1, end: 2)] == "👍")
    }

    @Test func spansAreClampedToTheText() {
        let text = ScalarText("abc")
        #expect(text[TextSpan(start: 1, end: 99)] == "bc")
        #expect(text[TextSpan(start: 50, end: 99)] == "")
    }

    @Test func decomposedAccentsBecomeOneScalarAfterDecoding() throws {
        // C a f e U+0301 space o k: 8 scalars before, 7 after (é is U+00E9).
        let decomposed = "Caf" + "e\u{301}" + " ok"
        #expect(ScalarText(decomposed).count == 8)
        let (text, _) = try TextDecoder.canonicalText(from: Data(decomposed.utf8), path: "t.txt")
        let scalars = ScalarText(text)
        #expect(scalars.count == 7)
        #expect(scalars[TextSpan(start: 3, end: 4)] == "\u{E9}")
        #expect(scalars[TextSpan(start: 3, end: 4)].unicodeScalars.count == 1)
        #expect(scalars[TextSpan(start: 5, end: 7)] == "ok")
    }

    @Test func precomposedAccentsStayOneScalar() throws {
        let (text, _) = try TextDecoder.canonicalText(from: Data("na\u{EF}ve caf\u{E9}".utf8), path: "t.txt")
        let scalars = ScalarText(text)
        #expect(scalars.count == 10)
        #expect(scalars[TextSpan(start: 6, end: 10)] == "caf\u{E9}")
    }

    @Test func segmentSpansGiveTheTurnTextWithEmojiAccentsAndCRLF() throws {
        // Decomposed é in "Zoe\u{301}" and "cafe\u{301}" become precomposed; CRLF becomes LF.
        let raw =
            "Interviewer: How was the cafe\u{301}? 👍🏽\r\n"
            + "Zoe\u{301}: Great 🇬🇧 fun,\r\nreally.\r\n"
            + "\r\n"
            + "Interviewer: Thanks.\r\n"
        let (text, _) = try TextDecoder.canonicalText(from: Data(raw.utf8), path: "t.txt")
        #expect(!text.contains("\r"))
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.mode == .turn)
        #expect(
            TestSupport.segmentTexts(segmentation, in: text) == [
                "How was the caf\u{E9}? 👍🏽",
                "Great 🇬🇧 fun,\nreally.",
                "Thanks.",
            ])
        #expect(segmentation.segments.map(\.speaker) == ["Interviewer", "Zo\u{E9}", "Interviewer"])
        // Offsets by hand: "Interviewer: " is 13 scalars; "How was the café? " 18; 👍🏽 2; LF 1.
        #expect(segmentation.segments[0].span == TextSpan(start: 13, end: 33))
        // "Zoé: " is 5 scalars from 34; "Great 🇬🇧 fun," is 13, LF 1, "really." 7 → ends at 39 + 21.
        #expect(segmentation.segments[1].span == TextSpan(start: 39, end: 60))
    }
}

/// Generated transcripts: every segment lies inside the text, segments are in order and do not
/// overlap, each is exactly the turn's text, and none contains its speaker's label.
@Suite struct SegmentSpanPropertyTests {
    typealias Generator = SeededGenerator

    struct Turn {
        var speaker: String
        var body: String
    }

    static let speakers = ["Interviewer", "Aisha", "Ben Okafor", "P03", "Researcher 1", "Zoe\u{301}", "Speaker B"]
    static let words = [
        "the", "library", "caf\u{E9}", "cafe\u{301}", "na\u{EF}ve", "👍🏽", "🇬🇧", "evidence", "data",
        "we", "search", "it's", "ward", "learning", "system", "and", "then", "she", "said", "so,",
    ]

    static func body(_ random: inout Generator) -> String {
        (0..<random.int(1...3)).map { _ in
            (0..<random.int(1...2)).map { _ in
                (0..<random.int(1...9)).map { _ in random.pick(words) }.joined(separator: " ")
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func label(_ speaker: String, _ style: Int, _ random: inout Generator) -> (prefix: String, alone: Bool) {
        let minutes = random.int(0...59), seconds = random.int(0...59)
        let time = String(format: "00:%02d:%02d", minutes, seconds)
        switch style {
        case 0: return ("\(speaker): ", false)
        case 1: return ("[\(time)] \(speaker): ", false)
        case 2: return ("\(time) \(speaker): ", false)
        case 3: return ("\(speaker) (\(time)): ", false)
        case 4: return ("**\(speaker):** ", false)
        case 5: return ("\(speaker):", true)
        case 6: return ("\(speaker)  \(String(format: "%02d:%02d", minutes, seconds))", true)
        default: return ("\(speaker):\t  ", false)
        }
    }

    static func transcript(seed: UInt64) -> (text: String, turns: [Turn]) {
        var random = Generator(seed: seed)
        let cast = Array(speakers.shuffled(using: &random).prefix(random.int(2...4)))
        var turns: [Turn] = []
        var lines: [String] = []
        if random.int(0...1) == 1 { lines += ["Date: 3 May 2025", "Duration: 45 min", ""] }
        // Every speaker speaks at least twice, as in a real interview; a name that occurs once
        // before the first recognised turn would be taken for a header line.
        for index in 0..<random.int((2 * cast.count)...12) {
            let speaker = cast[index % cast.count]
            let body = body(&random)
            let (prefix, alone) = label(speaker, random.int(0...7), &random)
            lines.append(alone ? prefix + "\n" + body : prefix + body)
            if random.int(0...2) == 0 { lines.append("") }
            turns.append(Turn(speaker: speaker, body: body))
        }
        let lineEnd = random.int(0...1) == 0 ? "\n" : "\r\n"
        let text = lines.joined(separator: "\n").replacingOccurrences(of: "\n", with: lineEnd) + lineEnd
        return (text, turns)
    }

    @Test(arguments: 1...40)
    func generatedTranscripts(seed: Int) throws {
        let (raw, turns) = Self.transcript(seed: UInt64(seed))
        let (text, _) = try TextDecoder.canonicalText(from: Data(raw.utf8), path: "gen.txt")
        let segmentation = Segmenter.segment(text)
        let count = text.unicodeScalars.count
        #expect(segmentation.mode == .turn)
        #expect(segmentation.segments.count == turns.count)
        var previousEnd = 0
        for segment in segmentation.segments {
            #expect(segment.span.start >= previousEnd, "segments overlap or are out of order in seed \(seed)")
            #expect(segment.span.start < segment.span.end)
            #expect(segment.span.end <= count)
            previousEnd = segment.span.end
        }
        let texts = TestSupport.segmentTexts(segmentation, in: text)
        for (index, turn) in turns.enumerated() where index < texts.count {
            let name = turn.speaker.precomposedStringWithCanonicalMapping
            #expect(texts[index] == turn.body.precomposedStringWithCanonicalMapping, "seed \(seed), turn \(index + 1)")
            #expect(segmentation.segments[index].speaker == name, "seed \(seed), turn \(index + 1)")
            #expect(!texts[index].contains(name), "seed \(seed), turn \(index + 1) holds its label")
        }
    }
}
