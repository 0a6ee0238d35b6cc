import Foundation
import Testing

@testable import QuillKit

@Suite struct BoundedRegexTests {
    /// The pattern of the report: a repeated group whose words may be cut anywhere.
    static let runaway = #"(\w+\s?)*$"#
    /// Thirty words and a character that is neither a word nor a space, so `$` never matches.
    static let almostMatching = String(repeating: "word ", count: 30) + "!"

    static func bounded(_ pattern: String, _ options: NSRegularExpression.Options = [], progressLimit: Int = BoundedRegex.progressLimit) throws
        -> BoundedRegex
    {
        BoundedRegex(try NSRegularExpression(pattern: pattern, options: options), progressLimit: progressLimit)
    }

    @Test func aRunawayPatternIsStoppedAtTheLimit() throws {
        let regex = try Self.bounded(Self.runaway)
        #expect(throws: BoundedRegex.LimitExceeded(steps: 10_000_000)) { try regex.matches(in: Self.almostMatching) }
        #expect(throws: BoundedRegex.LimitExceeded(steps: 10_000_000)) { try regex.firstMatch(in: Self.almostMatching, options: [.anchored]) }
        #expect(BoundedRegex.stepLimit == 10_000_000)
        // A lower limit stops it sooner, and says so.
        let low = try Self.bounded(Self.runaway, progressLimit: 3)
        #expect(throws: BoundedRegex.LimitExceeded(steps: 30_000)) { try low.matches(in: Self.almostMatching) }
    }

    /// A pattern that stays under the step limit on every search but is slow on each, as
    /// `(?:\w*){1,8}QQ` is on prose, is stopped by the time it may spend on all its searches.
    @Test func aPatternSlowOnEverySearchIsStoppedByItsAllowance() throws {
        let regex = BoundedRegex(try NSRegularExpression(pattern: #"(?:\w*){1,8}QQ"#), allowance: .zero)
        let text = String(repeating: "the library team searches for evidence ", count: 25)
        var stopped: BoundedRegex.LimitExceeded?
        for _ in 0..<50 where stopped == nil {
            do { _ = try regex.matches(in: text) } catch { stopped = error }
        }
        let error = try #require(stopped)
        #expect(error.seconds != nil)
        let message = error.error(file: "rules.yaml", place: "rule 1 (line 2)", pattern: regex.pattern, segment: "segment 3 of alpha")
            .errorDescription
        #expect(message?.contains("took more than") == true && message?.contains("second") == true && message?.contains("segment 3 of alpha") == true)
    }

    @Test func theRewritesTheMessageSuggestsFinish() throws {
        for pattern in [#"(\w+\s)*$"#, #"(?>\w+\s?)*$"#, #"(\w+\s?)*+$"#] {
            let regex = try Self.bounded(pattern)
            let plain = try NSRegularExpression(pattern: pattern)
            let text = Self.almostMatching
            #expect(
                try regex.matches(in: text).map(\.range)
                    == plain.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)).map(\.range), "\(pattern)")
        }
    }

    @Test func aLongTextIsNotMistakenForBacktracking() throws {
        // The search reports each step of its start through the text as progress too: 200,000
        // of them here, far more than the limit, and none is backtracking.
        let text = String(repeating: "The library helped us wait for the data, café 🙂.\n", count: 4_000)
        let plain = try NSRegularExpression(pattern: #"\bzebra\b|\bdata\b"#)
        let expected = plain.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)).map(\.range)
        #expect(expected.count == 4_000)
        #expect(try Self.bounded(#"\bzebra\b|\bdata\b"#).matches(in: text).map(\.range) == expected)
        // Even with no room for backtracking at all, the steps of the search are allowed for.
        #expect(try Self.bounded(#"\bzebra\b"#, progressLimit: 0).matches(in: text).isEmpty)
    }

    @Test func stoppingEarlyIsNotAnError() throws {
        let regex = try Self.bounded(#"\w+"#)
        var seen: [NSRange] = []
        try regex.forEachMatch(in: "one two three") { match in
            seen.append(match.range)
            return seen.count < 2
        }
        #expect(seen == [NSRange(location: 0, length: 3), NSRange(location: 4, length: 3)])
        // A range searches part of the text only.
        var inRange: [NSRange] = []
        try regex.forEachMatch(in: "one two three", range: NSRange(location: 4, length: 9)) { match in
            inRange.append(match.range)
            return true
        }
        #expect(inRange == [NSRange(location: 4, length: 3), NSRange(location: 8, length: 5)])
    }

    /// Patterns an honest rule or speaker pattern might have, with zero-length matches, anchors,
    /// look-behind, grapheme clusters and line ends among them.
    static let patterns: [(String, NSRegularExpression.Options)] = [
        (#"\bwait(ing)? (list|time)s?\b"#, [.caseInsensitive]),
        (#"\w+"#, []),
        (#"\b"#, []),
        ("x*", []),
        ("café", [.caseInsensitive]),
        ("caf(e\u{301}|é)", []),
        ("CAFÉ", []),
        (".", []),
        (#"\X"#, []),
        (#"\R"#, []),
        (#"\r\n|\n"#, []),
        (#"^\w+"#, []),
        (#"^\w+$"#, [.anchorsMatchLines]),
        (#"\s+$"#, []),
        (#"(?<=\s)\w{2,}"#, []),
        (#"\p{Emoji_Presentation}+"#, []),
        ("👩‍⚕️|🇬🇧", []),
        (#"^(?<speaker>[A-Z]{2,})>\s*"#, []),
        (#"^(?<speaker>[^:\n]{1,40}):\s*"#, []),
        ("strasse", [.caseInsensitive]),
        (#"\d+([.,]\d+)?"#, []),
        ("$", []),
        (#"(?m)$"#, []),
        (#"[^\p{L}\s]+"#, []),
        (#"(\w+\s)*\w+[.!?]"#, []),
        (".+", [.dotMatchesLineSeparators]),
    ]

    /// Pieces of text to build texts from: words, accents (composed and not), emoji with joiners
    /// and flags, CRLF and LF, tabs, punctuation, letters that change length when folded.
    static let pieces = [
        "word", "waiting list", "Wait Time", "café", "cafe\u{301}", "CAFÉ", "naïve", "Straße", "İstanbul", "日本語",
        "🙂", "👩‍⚕️", "🇬🇧", "\r\n", "\n", "\n\n", " ", "  ", "\t", ".", ",", "!", "’", "JS> ", "Dr Okafor: ",
        "P01:", "x", "xx", "12,5", "2025", "a", "b",
    ]

    @Test func givesTheSameMatchesAsPlainMatchingOnVariedTexts() throws {
        var random = SeededGenerator(seed: 0x5245_4745_58)
        for (pattern, options) in Self.patterns {
            let plain = try NSRegularExpression(pattern: pattern, options: options)
            let bounded = BoundedRegex(plain)
            for _ in 0..<60 {
                let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in Self.pieces.randomElement(using: &random) ?? "" }.joined()
                let whole = NSRange(location: 0, length: text.utf16.count)
                for matching in [NSRegularExpression.MatchingOptions(), .anchored] {
                    let expected = plain.matches(in: text, options: matching, range: whole).map { ranges($0) }
                    let found = try bounded.matches(in: text, options: matching).map { ranges($0) }
                    #expect(found == expected, "/\(pattern)/ \(matching) on \(text.debugDescription)")
                    let first = try bounded.firstMatch(in: text, options: matching).map { ranges($0) }
                    #expect(first == plain.firstMatch(in: text, options: matching, range: whole).map { ranges($0) })
                }
            }
        }
    }

    /// Every range of a match: the whole match and each group.
    private func ranges(_ match: NSTextCheckingResult) -> [NSRange] {
        (0..<match.numberOfRanges).map { match.range(at: $0) }
    }
}
