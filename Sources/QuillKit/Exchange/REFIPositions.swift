import Foundation

/// How another tool counted the positions of its selections in a text.
struct PositionUnits: Equatable, CustomStringConvertible {
    /// Unicode code points, as the standard says, or UTF-16 code units, as NVivo counts.
    var utf16: Bool
    /// Whether a CR LF line end counts as two positions (it does, except in ATLAS.ti's files).
    var crlfIsTwo: Bool

    static let standard = PositionUnits(utf16: false, crlfIsTwo: true)

    var description: String {
        (utf16 ? "UTF-16 code units" : "code points") + (crlfIsTwo ? "" : ", CR LF counted once")
    }
}

/// Maps positions in a text as another tool wrote it (with its BOM removed, its line ends and
/// its Unicode form as they were) to positions in Quill's canonical text (LF, NFC, counted in
/// Unicode scalars).
package struct PositionMap {
    /// The canonical text.
    package let text: String
    /// For every position of the original, the canonical position of the character it is in
    /// (`lower`) and of the end of that character (`upper`); equal at character boundaries.
    private let lower: [Int32]
    private let upper: [Int32]
    let units: PositionUnits

    /// The original length, in the units counted.
    var originalLength: Int { lower.count - 1 }

    init(original: String, units: PositionUnits) {
        guard Self.isPlainASCII(original) else {
            self.init(characterByCharacter: original, units: units)
            return
        }
        // Every character is one position in every unit and stays as it is.
        let positions = Array(0...Int32(original.utf8.count))
        self.init(text: original, lower: positions, upper: positions, units: units)
    }

    private init(text: String, lower: [Int32], upper: [Int32], units: PositionUnits) {
        self.text = text
        self.lower = lower
        self.upper = upper
        self.units = units
    }

    /// The map made character by character, as any text needs.
    init(characterByCharacter original: String, units: PositionUnits) {
        self.units = units
        var text: [Unicode.Scalar] = []
        text.reserveCapacity(original.unicodeScalars.count)
        var lower: [Int32] = []
        var upper: [Int32] = []
        lower.reserveCapacity(original.utf16.count + 1)
        upper.reserveCapacity(original.utf16.count + 1)
        var position: Int32 = 0
        for character in original {
            let isCRLF = character == "\r\n"
            // Most characters are one scalar that NFC leaves as it is: no normalizing for them.
            let scalars = character.unicodeScalars
            let canonical: String.UnicodeScalarView =
                isCRLF || character == "\r"
                ? "\n".unicodeScalars
                : scalars.count == 1 && TextDecoder.isNFCStable(scalars[scalars.startIndex])
                    ? scalars
                    : String(character).precomposedStringWithCanonicalMapping.unicodeScalars
            var width = units.utf16 ? character.utf16.count : character.unicodeScalars.count
            if isCRLF && !units.crlfIsTwo { width = 1 }
            let next = position + Int32(canonical.count)
            lower.append(position)
            upper.append(position)
            for _ in 1..<max(width, 1) {
                lower.append(position)
                upper.append(next)
            }
            text.append(contentsOf: canonical)
            position = next
        }
        lower.append(position)
        upper.append(position)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        self.text = String(view)
        self.lower = lower
        self.upper = upper
    }

    /// Whether a text is ASCII without carriage returns, which every way of counting counts alike.
    static func isPlainASCII(_ text: String) -> Bool {
        !text.utf8.contains { $0 >= 0x80 || $0 == 0x0D }
    }

    /// The canonical span of a selection, or nil when it lies outside the text or is empty
    /// once mapped.
    package func span(start: Int, end: Int) -> TextSpan? {
        guard start >= 0, end >= start, end <= originalLength else { return nil }
        let from = Int(lower[start])
        let to = Int(upper[end])
        guard to > from else { return nil }
        return TextSpan(start: from, end: to)
    }

    /// How well a set of selections fits this reading: the number whose text begins as the
    /// selection's name says (tools write the coded text, or its start, as the name).
    func fit(_ selections: [(start: Int, end: Int, name: String)]) -> Int {
        let scalars = Array(text.unicodeScalars)
        var score = 0
        for selection in selections {
            guard let span = span(start: selection.start, end: selection.end) else { continue }
            let expected = Self.letters(selection.name.unicodeScalars.prefix(40))
            guard expected.count >= 3 else { continue }
            let found = Self.letters(scalars[span.start..<min(span.end, span.start + 80)])
            if found.starts(with: expected.prefix(min(expected.count, found.count))) && found.count >= min(expected.count, 3) {
                score += 1
            }
        }
        return score
    }

    private static func letters<S: Sequence>(_ scalars: S) -> [Unicode.Scalar] where S.Element == Unicode.Scalar {
        scalars.filter { !$0.properties.isWhitespace && $0 != "…" }
    }

    /// The reading of positions that fits a tool's text best: the one its name says (NVivo
    /// counts UTF-16 units, ATLAS.ti counts CR LF once), unless another fits the selections'
    /// names clearly better.
    package static func best(original: String, origin: String?, selections: [(start: Int, end: Int, name: String)]) -> PositionMap {
        let origin = origin?.lowercased() ?? ""
        let expected = PositionUnits(utf16: origin.hasPrefix("nvivo"), crlfIsTwo: !origin.contains("atlas"))
        let first = PositionMap(original: original, units: expected)
        guard !isPlainASCII(original) else { return first }
        let hasAstral = original.unicodeScalars.contains { $0.value > 0xFFFF }
        let hasCRLF = original.utf8.contains(0x0D) && original.contains("\r\n")
        guard hasAstral || hasCRLF, !selections.isEmpty else { return first }
        var best = first
        var bestScore = first.fit(selections)
        for utf16 in hasAstral ? [false, true] : [expected.utf16] {
            for crlfIsTwo in hasCRLF ? [true, false] : [expected.crlfIsTwo] {
                let units = PositionUnits(utf16: utf16, crlfIsTwo: crlfIsTwo)
                guard units != expected else { continue }
                let candidate = PositionMap(original: original, units: units)
                let score = candidate.fit(selections)
                if score > bestScore {
                    best = candidate
                    bestScore = score
                }
            }
        }
        return best
    }
}
