import Foundation

/// Finds codebook keywords in text: whole words, multi-word phrases, all keywords together in
/// one pass over the words.
///
/// Matching ignores case and accents (`cafe` finds `café`), except for keywords written in
/// capitals, which are acronyms and match only in capitals (`WHO` does not find `who`). A
/// keyword ending in `*` matches any word that starts with it (`librar*`). Words are runs of
/// letters and digits, with apostrophes inside them (`can't`); a hyphen or any other mark
/// separates words, so `evidence-based` finds `evidence based` too.
///
/// The keywords are compiled once into an Aho–Corasick automaton whose alphabet is words
/// (one automaton for case-folded keywords, one for acronyms), so a text is read once however
/// many keywords there are. A keyword's trailing `*` word hangs off its automaton state as a
/// trie of characters, walked once per word.
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
        /// Its place among the keywords, which orders matches that start at the same word.
        fileprivate var order: Int
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

    private var entries: [Entry] = []
    /// Keywords compared case- and accent-insensitively.
    private var folded = WordAutomaton()
    /// Acronyms, compared accent-insensitively but in capitals.
    private var exact = WordAutomaton()

    /// Builds a matcher for the keywords of some codes.
    package init(keywords: [(codeID: Int64, keyword: String)]) {
        for (codeID, keyword) in keywords {
            var text = keyword.trimmingCharacters(in: .whitespaces)
            let isPrefix = text.hasSuffix("*")
            if isPrefix { text.removeLast() }
            let words = Self.words(in: text).map(\.text)
            guard !words.isEmpty else { continue }
            let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
            let isExactCase = letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            let entry = Entry(
                codeID: codeID, keyword: keyword, words: words.map { isExactCase ? Self.foldAccents($0) : Self.fold($0) },
                isExactCase: isExactCase, isPrefix: isPrefix, order: entries.count)
            if isExactCase {
                exact.insert(entry.words, isPrefix: isPrefix, entry: entries.count)
            } else {
                folded.insert(entry.words, isPrefix: isPrefix, entry: entries.count)
            }
            entries.append(entry)
        }
        folded.link()
        exact.link()
    }

    /// Every keyword occurrence in a text, in reading order (by the word it starts at; at one
    /// word, whole-word keywords before `*` ones of one word, each in the codebook's order).
    public func matches(in text: String) -> [Match] {
        let words = Self.words(in: text)
        guard !words.isEmpty, !entries.isEmpty else { return [] }
        var found: [(first: Int, last: Int, entry: Int)] = []
        if !folded.isEmpty {
            folded.scan(words.map { Self.fold($0.text) }) { found.append(($0, $1, $2)) }
        }
        if !exact.isEmpty {
            exact.scan(words.map { Self.foldAccents($0.text) }) { found.append(($0, $1, $2)) }
        }
        func key(_ hit: (first: Int, last: Int, entry: Int)) -> (Int, Int, Int) {
            let entry = entries[hit.entry]
            return (hit.first, entry.isPrefix && entry.words.count == 1 ? 1 : 0, entry.order)
        }
        return found.sorted { key($0) < key($1) }.map { hit in
            let entry = entries[hit.entry]
            return Match(
                codeID: entry.codeID, keyword: entry.keyword,
                span: TextSpan(start: words[hit.first].span.start, end: words[hit.last].span.end))
        }
    }

    private static func fold(_ word: String) -> String {
        // ASCII words, nearly all of them, are folded by lowering their letters.
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            guard word.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return word }
            return String(unsafeUninitializedCapacity: word.utf8.count) { buffer in
                for (index, byte) in word.utf8.enumerated() {
                    buffer[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                }
                return word.utf8.count
            }
        }
        return word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    private static func foldAccents(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word }
        return word.folding(options: [.diacriticInsensitive], locale: nil)
    }

    /// The words of a text with their spans in scalars, found in one walk over its UTF-8:
    /// ASCII letters and digits are decided on the byte, other scalars by their Unicode
    /// properties. A word made of ASCII bytes is cut straight from the text.
    static func words(in text: String) -> [(text: String, span: TextSpan)] {
        var result: [(text: String, span: TextSpan)] = []
        var contiguous = text
        contiguous.withUTF8 { bytes in
            var index = 0
            var scalar = 0
            var wordStart = -1  // byte where the current word starts, or -1
            var wordScalarStart = 0
            var needsScalars = false  // the word has non-ASCII scalars or a typographic apostrophe
            /// The scalar at a byte and its length, decoded only off the ASCII path.
            func decode(_ at: Int) -> (Unicode.Scalar, Int) {
                var length = 1
                while at + length < bytes.count, bytes[at + length] & 0xC0 == 0x80 { length += 1 }
                var iterator = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<(at + length)]), as: UTF8.self)
                    .unicodeScalars.makeIterator()
                return (iterator.next() ?? "\u{FFFD}", length)
            }
            func isWordScalar(_ at: Int) -> Bool {
                guard at < bytes.count else { return false }
                let byte = bytes[at]
                if byte < 0x80 { return Self.isASCIIWordByte(byte) }
                return Self.isWordScalar(decode(at).0)
            }
            func finish(at end: Int, scalarEnd: Int) {
                guard wordStart >= 0 else { return }
                let piece = UnsafeBufferPointer(rebasing: bytes[wordStart..<end])
                let word: String
                if needsScalars {
                    var view = String.UnicodeScalarView()
                    for scalar in String(decoding: piece, as: UTF8.self).unicodeScalars {
                        view.append(scalar == "\u{2019}" ? "'" : scalar)
                    }
                    word = String(view)
                } else {
                    word = String(decoding: piece, as: UTF8.self)
                }
                result.append((word, TextSpan(start: wordScalarStart, end: scalarEnd)))
                wordStart = -1
                needsScalars = false
            }
            while index < bytes.count {
                let byte = bytes[index]
                var length = 1
                var isWord: Bool
                var isApostrophe = false
                if byte < 0x80 {
                    isWord = Self.isASCIIWordByte(byte)
                    isApostrophe = byte == UInt8(ascii: "'")
                } else {
                    let (decoded, decodedLength) = decode(index)
                    length = decodedLength
                    isWord = Self.isWordScalar(decoded)
                    isApostrophe = decoded == "\u{2019}"
                    if isWord || isApostrophe { needsScalars = true }
                }
                if isWord {
                    if wordStart < 0 {
                        wordStart = index
                        wordScalarStart = scalar
                    }
                } else if isApostrophe, wordStart >= 0, isWordScalar(index + length) {
                    // An apostrophe inside a word (can't) belongs to it, written as '.
                } else {
                    finish(at: index, scalarEnd: scalar)
                    if byte >= 0x80 { needsScalars = false }
                }
                index += length
                scalar += 1
            }
            finish(at: bytes.count, scalarEnd: scalar)
        }
        return result
    }

    private static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }
}

/// An Aho–Corasick automaton over words: states are keyword prefixes (in words), and a text's
/// words are fed through it once.
private struct WordAutomaton: Sendable {
    private var next: [[String: Int]] = [[:]]
    private var fail: [Int] = [0]
    private var depth: [Int] = [0]
    /// Entries that end, whole, at a state.
    private var output: [[Int]] = [[]]
    /// The nearest state down the failure chain that has output, or -1.
    private var outputLink: [Int] = [-1]
    /// Entries whose last word is a `*` prefix that follows a state's words.
    private var prefixes: [Int: CharacterTrie] = [:]
    /// The nearest state down the failure chain that has prefixes, or -1.
    private var prefixLink: [Int] = [-1]

    var isEmpty: Bool { next[0].isEmpty && prefixes.isEmpty }

    /// Adds a keyword; a `*` keyword's last word goes into the trie of the state before it.
    mutating func insert(_ words: [String], isPrefix: Bool, entry: Int) {
        var state = 0
        for word in isPrefix ? words.dropLast() : words[...] {
            if let known = next[state][word] {
                state = known
            } else {
                next.append([:])
                fail.append(0)
                depth.append(depth[state] + 1)
                output.append([])
                outputLink.append(-1)
                prefixLink.append(-1)
                next[state][word] = next.count - 1
                state = next.count - 1
            }
        }
        if isPrefix, let last = words.last {
            prefixes[state, default: CharacterTrie()].insert(last, entry: entry)
        } else {
            output[state].append(entry)
        }
    }

    /// Computes the failure links, breadth first.
    mutating func link() {
        var queue: [Int] = []
        for child in next[0].values {
            fail[child] = 0
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let target = fail[state]
            outputLink[state] = output[target].isEmpty ? outputLink[target] : target
            prefixLink[state] = state == 0 ? -1 : (prefixes[target] != nil ? target : prefixLink[target])
            for (word, child) in next[state] {
                var candidate = fail[state]
                while candidate != 0 && next[candidate][word] == nil { candidate = fail[candidate] }
                fail[child] = next[candidate][word] ?? 0
                queue.append(child)
            }
        }
    }

    /// Feeds the words through the automaton and reports every match as its first and last
    /// word and its entry.
    func scan(_ words: [String], _ report: (Int, Int, Int) -> Void) {
        var state = 0
        for (index, word) in words.enumerated() {
            // Keywords ending in a `*` word: every suffix of the words so far that is a state
            // with prefixes, tried against this word.
            var holder = prefixes[state] != nil ? state : prefixLink[state]
            while holder >= 0 {
                prefixes[holder]?.forEachPrefix(of: word) { report(index - depth[holder], index, $0) }
                holder = holder == 0 ? -1 : prefixLink[holder]
            }
            while state != 0 && next[state][word] == nil { state = fail[state] }
            state = next[state][word] ?? 0
            var holding = output[state].isEmpty ? outputLink[state] : state
            while holding > 0 {
                for entry in output[holding] { report(index - depth[holding] + 1, index, entry) }
                holding = outputLink[holding]
            }
        }
    }
}

/// A trie of words' characters, to find which of many prefixes a word starts with in one walk.
private struct CharacterTrie: Sendable {
    private var next: [[Character: Int]] = [[:]]
    private var entries: [[Int]] = [[]]

    mutating func insert(_ prefix: String, entry: Int) {
        var node = 0
        for character in prefix {
            if let known = next[node][character] {
                node = known
            } else {
                next.append([:])
                entries.append([])
                next[node][character] = next.count - 1
                node = next.count - 1
            }
        }
        entries[node].append(entry)
    }

    /// Calls `body` with every entry whose prefix the word starts with.
    func forEachPrefix(of word: String, _ body: (Int) -> Void) {
        var node = 0
        for entry in entries[0] { body(entry) }
        for character in word {
            guard let child = next[node][character] else { return }
            node = child
            for entry in entries[node] { body(entry) }
        }
    }
}
