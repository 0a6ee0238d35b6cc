import Foundation
import Testing

@testable import QuillKit

@Suite struct KeywordMatcherTests {
    /// The texts a single keyword matches in a text.
    func found(_ keyword: String, in text: String) -> [String] {
        let matcher = KeywordMatcher(keywords: [(codeID: 1, keyword: keyword)])
        let scalars = ScalarText(text)
        return matcher.matches(in: text).map { scalars[$0.span] }
    }

    @Test func wholeWordsOnly() {
        #expect(found("aim", in: "We claim nothing; our aim is simple.") == ["aim"])
        #expect(found("aim", in: "Our aims and claims.") == [])
        #expect(found("data", in: "database, metadata, big-data, data.") == ["data", "data"])
    }

    @Test func caseInsensitive() {
        #expect(found("Library", in: "LIBRARY library Library") == ["LIBRARY", "library", "Library"])
        #expect(found("evidence", in: "Evidence first.") == ["Evidence"])
    }

    @Test func phrasesAcrossAnyWhitespace() {
        #expect(found("literature search", in: "a literature search") == ["literature search"])
        #expect(found("literature search", in: "a literature   search") == ["literature   search"])
        #expect(found("literature search", in: "a literature\nsearch") == ["literature\nsearch"])
        #expect(found("literature search", in: "a literature\t search") == ["literature\t search"])
        #expect(found("literature search", in: "a search of literature") == [])
        #expect(found("literature  search", in: "literature search") == ["literature search"])
    }

    @Test func hyphensSeparateWords() {
        #expect(found("evidence-based", in: "evidence based practice") == ["evidence based"])
        #expect(found("evidence based", in: "evidence-based practice") == ["evidence-based"])
        #expect(found("evidence-based", in: "Evidence-Based Medicine") == ["Evidence-Based"])
    }

    @Test func apostrophesInsideWords() {
        #expect(found("can't", in: "I can't say.") == ["can't"])
        #expect(found("can't", in: "I can\u{2019}t say.") == ["can\u{2019}t"])
        #expect(found("can\u{2019}t", in: "I can't say.") == ["can't"])
        #expect(found("can", in: "I can't say.") == [])
        #expect(found("patients", in: "the 'patients' voice") == ["patients"])
    }

    @Test func accentInsensitive() {
        #expect(found("knowledge cafe", in: "We held a knowledge caf\u{E9}.") == ["knowledge caf\u{E9}"])
        #expect(found("caf\u{E9}", in: "the cafe") == ["cafe"])
        #expect(found("naive", in: "a na\u{EF}ve question") == ["na\u{EF}ve"])
    }

    @Test func capitalisedAcronymsMatchOnlyInCapitals() {
        #expect(found("WHO", in: "who said the WHO guidance?") == ["WHO"])
        #expect(found("WHO", in: "who knows") == [])
        #expect(found("AI", in: "ai tools and AI tools") == ["AI"])
        #expect(found("AI", in: "Ai") == [])
        #expect(found("NHS", in: "nhs and NHS and Nhs") == ["NHS"])
        // Only a keyword written wholly in capitals is an acronym; a mixed-case phrase is not.
        #expect(found("NHS England", in: "nhs england, NHS England") == ["nhs england", "NHS England"])
        // A lower-case keyword still matches capitals.
        #expect(found("ai", in: "AI tools") == ["AI"])
    }

    @Test func prefixKeywords() {
        #expect(found("librar*", in: "The library, librarians and libraries; not liberal.") == ["library", "librarians", "libraries"])
        #expect(found("librar*", in: "LIBRARY") == ["LIBRARY"])
        #expect(found("clinical librar*", in: "a clinical librarian, a clinical library") == ["clinical librarian", "clinical library"])
        #expect(found("clinical librar*", in: "clinical liberal") == [])
    }

    @Test func spansAreScalarOffsetsAfterEmoji() {
        let text = "👍🏽 The 🇬🇧 library, caf\u{E9} \u{1F469}\u{200D}\u{1F52C} evidence"
        let matcher = KeywordMatcher(keywords: [
            (codeID: 1, keyword: "library"), (codeID: 2, keyword: "evidence"),
            (codeID: 3, keyword: "cafe"),
        ])
        let matches = matcher.matches(in: text)
        // 👍🏽 is 2 scalars, then " The " 5, 🇬🇧 2, " " 1: library starts at 10.
        // "library, " is 9 → café at 19; "café " 5 → 👩‍🔬 (3 scalars) at 24, " " → evidence at 28.
        #expect(
            matches == [
                KeywordMatcher.Match(codeID: 1, keyword: "library", span: TextSpan(start: 10, end: 17)),
                KeywordMatcher.Match(codeID: 3, keyword: "cafe", span: TextSpan(start: 19, end: 23)),
                KeywordMatcher.Match(codeID: 2, keyword: "evidence", span: TextSpan(start: 28, end: 36)),
            ])
        let scalars = ScalarText(text)
        #expect(matches.map { scalars[$0.span] } == ["library", "caf\u{E9}", "evidence"])
    }

    @Test func severalKeywordsAndCodesInReadingOrder() {
        let matcher = KeywordMatcher(keywords: [
            (codeID: 1, keyword: "data"), (codeID: 2, keyword: "data quality"),
            (codeID: 1, keyword: "dashboard"), (codeID: 3, keyword: "   "),
        ])
        let found = matcher.matches(in: "A dashboard of data quality and data.").map { "\($0.codeID):\($0.keyword)" }
        #expect(found == ["1:dashboard", "1:data", "2:data quality", "1:data"])
    }

    @Test func wordsKeepApostrophesAndNumbers() {
        let words = KeywordMatcher.words(in: "It's 2025 \u{2014} Zo\u{EB}'s 'quote'").map(\.text)
        #expect(words == ["It's", "2025", "Zo\u{EB}'s", "quote"])
    }

    /// The matcher as it was before the automaton: every keyword tried at every word, in the
    /// same order. The automaton must find exactly what this finds.
    static func reference(_ keywords: [(codeID: Int64, keyword: String)], in text: String) -> [KeywordMatcher.Match] {
        func fold(_ word: String) -> String { word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        func foldAccents(_ word: String) -> String { word.folding(options: [.diacriticInsensitive], locale: nil) }
        struct Entry { var codeID: Int64; var keyword: String; var words: [String]; var isExact: Bool; var isPrefix: Bool }
        let entries = keywords.compactMap { codeID, keyword -> Entry? in
            var trimmed = keyword.trimmingCharacters(in: .whitespaces)
            let isPrefix = trimmed.hasSuffix("*")
            if isPrefix { trimmed.removeLast() }
            let words = KeywordMatcher.words(in: trimmed).map(\.text)
            guard !words.isEmpty else { return nil }
            let letters = trimmed.unicodeScalars.filter { $0.properties.isAlphabetic }
            let isExact = letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            return Entry(
                codeID: codeID, keyword: keyword, words: words.map { isExact ? foldAccents($0) : fold($0) }, isExact: isExact, isPrefix: isPrefix)
        }
        let words = KeywordMatcher.words(in: text)
        var result: [KeywordMatcher.Match] = []
        for index in words.indices {
            let ordered = entries.filter { !($0.isPrefix && $0.words.count == 1) } + entries.filter { $0.isPrefix && $0.words.count == 1 }
            for entry in ordered where index + entry.words.count <= words.count {
                let fits = entry.words.indices.allSatisfy { offset in
                    let word = entry.isExact ? foldAccents(words[index + offset].text) : fold(words[index + offset].text)
                    return word == entry.words[offset] || (offset == entry.words.count - 1 && entry.isPrefix && word.hasPrefix(entry.words[offset]))
                }
                if fits {
                    result.append(
                        KeywordMatcher.Match(
                            codeID: entry.codeID, keyword: entry.keyword,
                            span: TextSpan(start: words[index].span.start, end: words[index + entry.words.count - 1].span.end)))
                }
            }
        }
        return result
    }

    @Test func theAutomatonFindsWhatTryingEveryKeywordFinds() {
        var generator = SeededGenerator(seed: 0x5155_494C)
        let pieces = [
            "library", "Library", "LIBRARY", "librarian", "libraries", "caf\u{E9}", "cafe", "CAFE", "CAF\u{C9}",
            "na\u{EF}ve", "WHO", "who", "Who", "AI", "ai", "data", "Data", "quality", "qualities", "evidence", "based",
            "evidence-based", "can't", "can\u{2019}t", "can", "\u{1F469}\u{200D}\u{2695}\u{FE0F}", "\u{1F389}", "\u{1F44D}\u{1F3FD}",
            "\r\n", "\n", " ", "  ", ",", ".", "search", "literature", "r\u{E9}sum\u{E9}", "resume", "e\u{301}tude",
            "\u{E9}tude", "NHS", "nhs", "England", "\u{D1}and\u{FA}", "data-quality", "2025", "x",
        ]
        let pool = [
            "library", "librar*", "LIBRAR*", "caf\u{E9}", "cafe", "WHO", "AI", "data quality", "evidence-based",
            "evidence based*", "literature search", "can't", "\u{E9}tude", "NHS England", "nhs", "data", "qual*",
            "r\u{E9}sum\u{E9}", "who", "ai", "data data", "data qual*", "x", "x x x", "nandu", "2025",
        ]
        for _ in 0..<300 {
            let count = generator.next(below: pool.count) + 1
            let keywords = (0..<count).map { _ in (codeID: Int64(generator.next(below: 4)), keyword: pool[generator.next(below: pool.count)]) }
            var text = ""
            for _ in 0..<generator.next(below: 40) {
                text += pieces[generator.next(below: pieces.count)]
                if generator.next(below: 3) > 0 { text += [" ", "\r\n", " \u{1F600} ", ", "][generator.next(below: 4)] }
            }
            let matcher = KeywordMatcher(keywords: keywords)
            #expect(
                matcher.matches(in: text) == Self.reference(keywords, in: text), "keywords \(keywords.map(\.keyword)) in \(text.debugDescription)")
        }
    }

    @Test func oneMatcherForManyKeywordsFindsEachOccurrence() {
        // Overlapping phrases that share words, as the failure links must handle.
        let keywords: [(codeID: Int64, keyword: String)] = [
            (1, "data quality dashboard"), (2, "quality dashboard"), (3, "quality"),
            (4, "data quality report"), (5, "dash*"), (6, "quality dash*"),
        ]
        let found = KeywordMatcher(keywords: keywords).matches(in: "The data quality dashboard and data quality report.")
            .map { "\($0.codeID):\($0.span.start)-\($0.span.end)" }
        #expect(found == ["1:4-26", "2:9-26", "3:9-16", "6:9-26", "5:17-26", "4:31-50", "3:36-43"])
    }

    /// The words as the scalar-by-scalar reading finds them: runs of letters, digits and
    /// non-spacing marks, with ' or ’ inside a word kept as '.
    static func referenceWords(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark
        }
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var start = 0
        for (index, scalar) in scalars.enumerated() {
            if isWord(scalar) {
                if current.isEmpty { start = index }
                current.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}", !current.isEmpty, index + 1 < scalars.count, isWord(scalars[index + 1]) {
                current.append("'")
            } else if !current.isEmpty {
                words.append("\(String(current))@\(start)-\(index)")
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append("\(String(current))@\(start)-\(scalars.count)") }
        return words
    }

    @Test func theByteTokenizerAgreesWithTheScalarReading() {
        var generator = SeededGenerator(seed: 95)
        let pieces = [
            "a", "Zo\u{EB}", "e\u{301}", "'", "\u{2019}", "''", "\u{1F4DA}", "\u{1F469}\u{1F3FD}\u{200D}\u{2695}\u{FE0F}", "\u{6F22}",
            "\u{663}", "\u{2167}", "7", " ", "-", "\u{2014}", "\n", "\u{A0}", "\u{300}", "can", "t", "\u{5D0}\u{5B8}",
        ]
        for _ in 0..<600 {
            let text = (0..<generator.int(0...25)).map { _ in generator.pick(pieces) }.joined()
            let found = KeywordMatcher.words(in: text).map { "\($0.text)@\($0.span.start)-\($0.span.end)" }
            #expect(found == Self.referenceWords(text), "\(Array(text.unicodeScalars))")
        }
    }
}
