import Foundation

/// Finds codebook keywords in text: whole words, multi-word phrases, in one pass over the words.
///
/// Matching ignores case and accents (`cafe` finds `café`), except for keywords written in
/// capitals, which are acronyms and match only in capitals (`WHO` does not find `who`). A
/// keyword ending in `*` matches any word that starts with it (`librar*`). Words are runs of
/// letters and digits, with apostrophes inside them (`can't`); a hyphen or any other mark
/// separates words, so `evidence-based` finds `evidence based` too.
public struct KeywordMatcher: Sendable {
    /// A keyword of a code.
    public struct Entry: Sendable, Equatable {
        /// The code.
        public var codeID: Int64
        /// The keyword as written in the codebook.
        public var keyword: String
        fileprivate var words: [String]
        fileprivate var isExactCase: Bool
        fileprivate var isPrefix: Bool
    }

    /// A keyword found in a text.
    public struct Match: Sendable, Equatable {
        /// The code.
        public var codeID: Int64
        /// The keyword as written in the codebook.
        public var keyword: String
        /// Where it was found, in scalars of the text.
        public var span: TextSpan
    }

    private var byFirstWord: [String: [Entry]] = [:]
    private var prefixEntries: [Entry] = []

    /// Builds a matcher for the keywords of some codes.
    public init(keywords: [(codeID: Int64, keyword: String)]) {
        for (codeID, keyword) in keywords {
            var text = keyword.trimmingCharacters(in: .whitespaces)
            let isPrefix = text.hasSuffix("*")
            if isPrefix { text.removeLast() }
            let words = Self.words(in: text).map(\.text)
            guard !words.isEmpty else { continue }
            let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
            let isExactCase = letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            let entry = Entry(codeID: codeID, keyword: keyword, words: words.map { isExactCase ? Self.foldAccents($0) : Self.fold($0) },
                              isExactCase: isExactCase, isPrefix: isPrefix)
            if isPrefix && words.count == 1 {
                prefixEntries.append(entry)
            } else {
                byFirstWord[Self.fold(words[0]), default: []].append(entry)
            }
        }
    }

    /// Every keyword occurrence in a text, in reading order.
    public func matches(in text: String) -> [Match] {
        let words = Self.words(in: text)
        let folded = words.map { Self.fold($0.text) }
        let accentFolded = words.map { Self.foldAccents($0.text) }
        var result: [Match] = []
        for index in words.indices {
            for entry in byFirstWord[folded[index]] ?? [] {
                let count = entry.words.count
                guard index + count <= words.count else { continue }
                var isMatch = true
                for offset in 0..<count {
                    let word = entry.isExactCase ? accentFolded[index + offset] : folded[index + offset]
                    let wanted = entry.words[offset]
                    let isLast = offset == count - 1
                    if !(word == wanted || (isLast && entry.isPrefix && word.hasPrefix(wanted))) {
                        isMatch = false
                        break
                    }
                }
                if isMatch {
                    result.append(Match(codeID: entry.codeID, keyword: entry.keyword,
                                        span: TextSpan(start: words[index].span.start, end: words[index + count - 1].span.end)))
                }
            }
            for entry in prefixEntries {
                let word = entry.isExactCase ? accentFolded[index] : folded[index]
                if word.hasPrefix(entry.words[0]) {
                    result.append(Match(codeID: entry.codeID, keyword: entry.keyword, span: words[index].span))
                }
            }
        }
        return result
    }

    private static func fold(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    private static func foldAccents(_ word: String) -> String {
        word.folding(options: [.diacriticInsensitive], locale: nil)
    }

    /// The words of a text with their spans in scalars.
    static func words(in text: String) -> [(text: String, span: TextSpan)] {
        var result: [(text: String, span: TextSpan)] = []
        var current = String.UnicodeScalarView()
        var start = 0
        var offset = 0
        let scalars = Array(text.unicodeScalars)
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
        }
        for (index, scalar) in scalars.enumerated() {
            if isWordScalar(scalar) {
                if current.isEmpty { start = index }
                current.append(scalar)
            } else if (scalar == "'" || scalar == "\u{2019}"), !current.isEmpty,
                      index + 1 < scalars.count, isWordScalar(scalars[index + 1]) {
                current.append("'")
            } else if !current.isEmpty {
                result.append((String(current), TextSpan(start: start, end: index)))
                current = String.UnicodeScalarView()
            }
            offset = index + 1
        }
        if !current.isEmpty { result.append((String(current), TextSpan(start: start, end: offset))) }
        return result
    }
}
