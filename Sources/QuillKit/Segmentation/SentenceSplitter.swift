/// Rule-based sentence splitting that holds up on transcribed speech.
///
/// A sentence ends at `.`, `?`, `!` or an ellipsis (with any closing quotes or brackets after
/// it) when white space and then a capital letter, an opening quote or bracket before one, or
/// (after `?` and `!`) a digit follows. A full stop does not end a sentence after a known
/// abbreviation (`Dr.`, `Mr.`, `St.`, `e.g.`, `approx.`), after a single capital letter (an
/// initial), or inside a number (`3.5`).
enum SentenceSplitter {
    private static let abbreviations: Set<String> = [
        "dr", "mr", "mrs", "ms", "mx", "prof", "st", "sr", "jr", "rev", "hon", "gen", "col", "lt", "sgt", "capt",
        "vs", "v", "cf", "al", "approx", "dept", "univ", "corp", "inc", "ltd", "co", "no", "nos", "fig", "figs",
        "vol", "vols", "ed", "eds", "p", "pp", "ch", "sec", "ref", "refs", "mt", "ave", "rd", "tel", "ext", "est",
        "min", "max", "misc", "nr", "e.g", "i.e", "a.m", "p.m", "et al", "n.b", "viz", "ca", "c",
    ]
    private static let closers: Set<Unicode.Scalar> = ["\"", "'", "\u{201D}", "\u{2019}", ")", "]", "\u{BB}"]
    private static let openers: Set<Unicode.Scalar> = ["\"", "'", "\u{201C}", "\u{2018}", "(", "[", "\u{AB}"]

    /// The sentences of a paragraph, as trimmed spans.
    static func sentences(in span: TextSpan, of text: ScalarText) -> [TextSpan] {
        let scalars = text.scalars
        var result: [TextSpan] = []
        var start = span.start
        var index = span.start
        while index < span.end {
            let scalar = scalars[index]
            guard scalar == "." || scalar == "?" || scalar == "!" || scalar == "\u{2026}" else {
                index += 1
                continue
            }
            var end = index + 1
            while end < span.end, [".", "?", "!", "\u{2026}"].contains(scalars[end]) { end += 1 }
            while end < span.end, closers.contains(scalars[end]) { end += 1 }
            let isQuestion = scalars[index..<end].contains { $0 == "?" || $0 == "!" }
            let isSingleStop =
                scalar == "." && end - index == 1
                || (scalar == "." && end > index + 1 && closers.contains(scalars[index + 1]))
            var next = end
            while next < span.end, scalars[next].isWhiteSpace { next += 1 }
            let hasSpace = next > end
            defer { index = end }
            guard hasSpace, next < span.end, startsSentence(at: next, in: scalars, upTo: span.end, allowDigit: isQuestion) else { continue }
            if isSingleStop && endsWithAbbreviation(before: index, from: start, in: scalars) { continue }
            result.append(trimmed(TextSpan(start: start, end: end), in: scalars))
            start = next
        }
        if start < span.end { result.append(trimmed(TextSpan(start: start, end: span.end), in: scalars)) }
        return result.filter { !$0.isEmpty }
    }

    private static func startsSentence(at index: Int, in scalars: [Unicode.Scalar], upTo end: Int, allowDigit: Bool) -> Bool {
        var position = index
        while position < end, openers.contains(scalars[position]) { position += 1 }
        guard position < end else { return false }
        let properties = scalars[position].properties
        return properties.isUppercase || (allowDigit && properties.numericType == .decimal)
    }

    /// Whether the word before a full stop is an abbreviation or an initial.
    private static func endsWithAbbreviation(before stop: Int, from start: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var wordStart = stop
        while wordStart > start, !scalars[wordStart - 1].isWhiteSpace, !openers.contains(scalars[wordStart - 1]) {
            wordStart -= 1
        }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[wordStart..<stop])
        let text = String(word)
        if text.count == 1, text.first?.isUppercase == true { return true }
        let lowered = text.lowercased()
        if abbreviations.contains(lowered) { return true }
        // "et al." spans two words.
        if lowered == "al", wordStart >= 3 {
            var previous = String.UnicodeScalarView()
            previous.append(contentsOf: scalars[max(start, wordStart - 3)..<wordStart])
            if String(previous).lowercased() == "et " { return true }
        }
        return false
    }

    private static func trimmed(_ span: TextSpan, in scalars: [Unicode.Scalar]) -> TextSpan {
        var start = span.start
        var end = span.end
        while start < end, scalars[start].isWhiteSpace { start += 1 }
        while end > start, scalars[end - 1].isWhiteSpace { end -= 1 }
        return TextSpan(start: start, end: end)
    }
}
