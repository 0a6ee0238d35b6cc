import Foundation

/// A user's regular expression for speaker labels of a house style Quill does not know.
///
/// The expression is matched at the start of each line. Its group named `speaker` (or, if it
/// has no such group, its first group) is the speaker's name; the turn's text starts after the
/// match. For example `^(?<speaker>[A-Z]{2,})>\s*` reads `JS> text`. Each line's search is
/// bounded by `BoundedRegex.stepLimit` steps.
public struct SpeakerPattern: Sendable, Equatable {
    /// The expression as written.
    public let source: String
    private let expression: BoundedRegex

    /// Compiles a pattern.
    /// - Throws: `QuillError.invalidSpeakerPattern` when it is not a valid regular expression or has
    ///   no group for the speaker's name.
    public init(_ source: String) throws {
        try self.init(source, progressLimit: BoundedRegex.progressLimit)
    }

    /// Compiles a pattern whose searches stop after `progressLimit` progress reports (for tests).
    init(_ source: String, progressLimit: Int) throws {
        do {
            expression = BoundedRegex(try NSRegularExpression(pattern: source, options: []), progressLimit: progressLimit)
        } catch {
            throw QuillError.invalidSpeakerPattern(pattern: source, reason: "is not a valid regular expression. Check its brackets and escapes.")
        }
        guard expression.expression.numberOfCaptureGroups >= 1 else {
            throw QuillError.invalidSpeakerPattern(
                pattern: source, reason: "has no group for the speaker's name. Put the name in (?<speaker>...), as in '^(?<speaker>[A-Z]+)>\\\\s*'.")
        }
        self.source = source
    }

    public static func == (lhs: SpeakerPattern, rhs: SpeakerPattern) -> Bool {
        lhs.source == rhs.source
    }

    /// The label at the start of a line, if the pattern matches there.
    /// - Throws: `BoundedRegex.LimitExceeded` when the search takes more than the limit of steps.
    func label(in line: Substring) throws(BoundedRegex.LimitExceeded) -> SpeakerLabel? {
        let text = String(line)
        guard let match = try expression.firstMatch(in: text, options: [.anchored]) else { return nil }
        var nameRange = match.range(withName: "speaker")
        if nameRange.location == NSNotFound { nameRange = match.range(at: 1) }
        guard nameRange.location != NSNotFound, let range = Range(nameRange, in: text),
            let end = Range(match.range, in: text)?.upperBound
        else { return nil }
        var name = String(text[range]).trimmingCharacters(in: .whitespaces)
        var role: String?
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            role = String(name[name.index(after: open)..<name.index(before: name.endIndex)]).trimmingCharacters(in: .whitespaces)
            name = String(name[..<open]).trimmingCharacters(in: .whitespaces)
        }
        guard !name.isEmpty else { return nil }
        var textStart = text[..<end].unicodeScalars.count
        let scalars = Array(text.unicodeScalars)
        while textStart < scalars.count, scalars[textStart] == " " || scalars[textStart] == "\t" { textStart += 1 }
        return SpeakerLabel(
            name: name, role: role?.isEmpty == true ? nil : role, time: nil,
            textStart: textStart < scalars.count ? textStart : nil)
    }
}
