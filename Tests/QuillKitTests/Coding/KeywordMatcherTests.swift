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
        let matcher = KeywordMatcher(keywords: [(codeID: 1, keyword: "library"), (codeID: 2, keyword: "evidence"),
                                                (codeID: 3, keyword: "cafe")])
        let matches = matcher.matches(in: text)
        // 👍🏽 is 2 scalars, then " The " 5, 🇬🇧 2, " " 1: library starts at 10.
        // "library, " is 9 → café at 19; "café " 5 → 👩‍🔬 (3 scalars) at 24, " " → evidence at 28.
        #expect(matches == [
            KeywordMatcher.Match(codeID: 1, keyword: "library", span: TextSpan(start: 10, end: 17)),
            KeywordMatcher.Match(codeID: 3, keyword: "cafe", span: TextSpan(start: 19, end: 23)),
            KeywordMatcher.Match(codeID: 2, keyword: "evidence", span: TextSpan(start: 28, end: 36)),
        ])
        let scalars = ScalarText(text)
        #expect(matches.map { scalars[$0.span] } == ["library", "caf\u{E9}", "evidence"])
    }

    @Test func severalKeywordsAndCodesInReadingOrder() {
        let matcher = KeywordMatcher(keywords: [(codeID: 1, keyword: "data"), (codeID: 2, keyword: "data quality"),
                                                (codeID: 1, keyword: "dashboard"), (codeID: 3, keyword: "   ")])
        let found = matcher.matches(in: "A dashboard of data quality and data.").map { "\($0.codeID):\($0.keyword)" }
        #expect(found == ["1:dashboard", "1:data", "2:data quality", "1:data"])
    }

    @Test func wordsKeepApostrophesAndNumbers() {
        let words = KeywordMatcher.words(in: "It's 2025 \u{2014} Zo\u{EB}'s 'quote'").map(\.text)
        #expect(words == ["It's", "2025", "Zo\u{EB}'s", "quote"])
    }
}
