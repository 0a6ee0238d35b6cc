import Foundation

/// A speaker label found at the start of a line, as real transcripts write them:
/// `Name:`, `Researcher 1:`, `P03:`, `Speaker B (Project Manager):`, `[00:01:23] Name:`,
/// `00:01:23 Name:`, `**Name:**` in Markdown, a label alone on its line (`INTERVIEWER:`), and
/// the `Name  00:01:23` header line of automatic transcribers.
struct SpeakerLabel: Equatable {
    /// The speaker's name without a role in brackets, as written: `Speaker B`.
    var name: String
    /// The role in brackets after the name, if any: `Project Manager`.
    var role: String?
    /// The time given before or after the label, in seconds.
    var time: Double?
    /// Where the turn's text starts in the line, in scalars; nil when the label is alone on its line.
    var textStart: Int?

    /// The name folded for comparison, so that `INTERVIEWER` and `Interviewer` are one speaker.
    var key: String { CodePath.fold(name) }

    /// Whether the name or role says this is the interviewer's side of the conversation.
    var isInterviewer: Bool {
        Self.isInterviewerName(key) || role.map { Self.isInterviewerName(CodePath.fold($0)) } == true
    }

    /// Whether the name looks like a speaker label on its own, without needing to recur:
    /// interviewer words, participant codes and numbered speakers.
    var isSpeakerLike: Bool {
        let words = key.split(separator: " ")
        guard let first = words.first else { return false }
        // A bare participant word ("Participant: P07 (ward manager)", "Interviewee: Nurse, band 6")
        // is how transcript headers name the person interviewed; only with a number or letter
        // ("Participant 3", "Speaker B") does it mark a turn on its own.
        let roleWords = ["participant", "respondent", "interviewee", "speaker", "patient", "clinician", "librarian", "member"]
        if words.count == 1 && roleWords.contains(String(first)) && role == nil { return false }
        if isInterviewer || role != nil { return true }
        if roleWords.contains(String(first)) { return true }
        // Participant codes such as P03, R2, PT-12.
        let letters = first.prefix { $0.isLetter }
        let rest = first.dropFirst(letters.count).drop { $0 == "-" }
        return words.count == 1 && (1...3).contains(letters.count) && !rest.isEmpty && rest.allSatisfy(\.isNumber)
    }

    static func isInterviewerName(_ folded: String) -> Bool {
        var words = folded.split(separator: " ").map(String.init)
        // "Researcher 1", "Facilitator A", "Interviewer (JS)".
        if words.count == 2, let last = words.last, last.count <= 2, last.allSatisfy({ $0.isNumber || $0.isLetter }) {
            words.removeLast()
        }
        guard words.count == 1, let word = words.first else {
            return ["lead researcher", "lead facilitator", "co facilitator", "note taker"].contains(folded)
        }
        let base = word.filter { $0.isLetter }
        return ["interviewer", "researcher", "facilitator", "cofacilitator", "moderator", "comoderator", "int", "i", "q"]
            .contains(base)
    }

    /// Words that end in a colon at the start of a line but name no speaker: header fields of
    /// a transcript and words that open a sentence.
    static let nonSpeakers: Set<String> = [
        "date", "time", "duration", "length", "location", "venue", "place", "setting", "site", "interview",
        "interview date", "interview number", "transcript", "transcription", "transcribed by", "recording",
        "recorded", "recorded by", "audio", "file", "filename", "title", "project", "study", "participants",
        "attendees", "present", "apologies", "absent", "notes", "note", "nb", "ps", "re", "subject", "topic",
        "format", "id", "version", "key", "summary", "agenda", "start", "end", "total", "source", "url", "http",
        "https", "email", "e-mail", "tel", "phone", "mobile", "example", "examples", "question", "questions",
        "answer", "yes", "no", "ok", "okay", "so", "well", "and", "but", "or", "right", "sure", "um", "erm",
        "also", "because", "however", "first", "firstly", "second", "secondly", "third", "finally", "then",
        "now", "quote", "warning", "important", "update", "action", "actions", "outcome", "outcomes",
        "result", "results", "aim", "aims", "purpose", "background", "context", "comment", "comments",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
        "yesterday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "morning", "afternoon", "evening", "step", "stage", "phase", "part",
        "section", "chapter", "page", "tip", "hint", "fact", "problem", "solution", "reason", "lesson", "lessons",
    ]

    private static let connectors: Set<String> = [
        "de", "van", "von", "der", "den", "da", "di", "du", "del", "la", "le", "bin", "al", "of", "the", "and",
    ]

    /// How many scalars of a line `parse` reads first. A label's colon and the start of its
    /// text lie within them on nearly every line, so the rest of a long line is not copied.
    private static let headLength = 160

    /// What reading the head of a line found.
    enum Outcome: Equatable {
        case label(SpeakerLabel)
        case none
        /// The head is too short to tell; read the whole line.
        case undecided
    }

    /// The label at the start of a line, or nil when the line does not start with one.
    static func parse(_ line: Substring) -> SpeakerLabel? {
        var head: [Unicode.Scalar] = []
        head.reserveCapacity(headLength)
        var rest = line.unicodeScalars.makeIterator()
        while head.count < headLength, let scalar = rest.next() { head.append(scalar) }
        var outcome = parse(head, line: line, isWhole: rest.next() == nil)
        if case .undecided = outcome { outcome = parse(Array(line.unicodeScalars), line: line, isWhole: true) }
        guard case .label(let label) = outcome else { return nil }
        return label
    }

    /// Reads a label from the first scalars of a line (all of them when `isWhole`). A head that
    /// is not the whole line gives an answer only when everything it read lies well inside it.
    static func parse(_ scalars: [Unicode.Scalar], line: Substring, isWhole: Bool) -> Outcome {
        var index = 0
        func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 } }
        skipSpaces()
        guard index < scalars.count else { return isWhole ? .none : .undecided }
        guard scalars[index] != "#" else { return .none }

        // Markdown emphasis around the label: **Name:** or __Name__:
        var emphasis = 0
        while index < scalars.count, scalars[index] == "*" || scalars[index] == "_", emphasis < 3 {
            index += 1
            emphasis += 1
        }
        // A time is read from digits, brackets and separators: they must end inside the head.
        if !isWhole {
            var reach = index
            while reach < scalars.count, scalars[reach].properties.numericType == .decimal || "[]():.,".unicodeScalars.contains(scalars[reach]) {
                reach += 1
            }
            if reach >= scalars.count { return .undecided }
        }
        var time: Double?
        if let (seconds, next) = timestamp(scalars, from: index) {
            time = seconds
            index = next
            skipSpaces()
            if index < scalars.count, ["-", "–", "—", "|"].contains(scalars[index]) {
                index += 1
                skipSpaces()
            }
        }
        let labelStart = index
        // The colon is looked for within 61 scalars.
        if !isWhole && labelStart + 70 >= scalars.count { return .undecided }
        // The label runs to the first colon; it is short and on one line.
        var colon: Int?
        var scan = index
        while scan < scalars.count, scan - labelStart <= 60 {
            // A colon followed by a digit is part of a time, as in "Name (00:01:23):".
            if scalars[scan] == ":", scan + 1 >= scalars.count || scalars[scan + 1].properties.numericType != .decimal {
                colon = scan
                break
            }
            scan += 1
        }
        var rawLabel: String
        var textStart: Int?
        if let colon {
            rawLabel = String(scalars: scalars[labelStart..<colon])
            var after = colon + 1
            // Closing emphasis after the colon: **Name:**
            var closing = 0
            while after < scalars.count, (scalars[after] == "*" || scalars[after] == "_"), closing < emphasis {
                after += 1
                closing += 1
            }
            while after < scalars.count, scalars[after] == " " || scalars[after] == "\t" || scalars[after] == "\u{A0}" { after += 1 }
            if !isWhole && after >= scalars.count { return .undecided }
            textStart = after < scalars.count ? after : nil
        } else {
            // "Name  00:01:23" alone on its line, as automatic transcribers write it: only a
            // line that ends in a digit or a bracket can be one.
            guard time == nil, let end = line.unicodeScalars.reversed().first(where: { $0 != " " }),
                end.properties.numericType == .decimal || end == "]" || end == ")"
            else { return .none }
            guard isWhole else { return .undecided }
            let text = String(scalars: scalars[labelStart...])
            let parts = text.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let last = parts.last,
                let (seconds, end) = timestamp(Array(last.unicodeScalars), from: 0), end == last.unicodeScalars.count
            else { return .none }
            time = seconds
            rawLabel = parts.dropLast().joined(separator: " ")
            textStart = nil
        }
        // Emphasis closed before the colon: **Name**:
        rawLabel = rawLabel.trimmingScalars { $0 == "*" || $0 == "_" || $0 == " " || $0 == "\t" }
        guard var label = cleanLabel(rawLabel) else { return .none }
        // A time after the name: Name (00:01:23): or Name [00:01:23]:
        if let role = label.role, let (seconds, end) = timestamp(Array(role.unicodeScalars), from: 0), end == role.unicodeScalars.count {
            label.role = nil
            label.time = seconds
        }
        if label.time == nil { label.time = time }
        label.textStart = textStart
        return .label(label)
    }

    /// Splits `Name (Role)` and checks that the name looks like a name.
    private static func cleanLabel(_ raw: String) -> SpeakerLabel? {
        var name = raw
        var role: String?
        if raw.hasSuffix(")") || raw.hasSuffix("]"), let open = raw.lastIndex(where: { $0 == "(" || $0 == "[" }) {
            role = String(raw[raw.index(after: open)..<raw.index(before: raw.endIndex)]).trimmingScalars(where: \.isSpaceOrTab)
            name = String(raw[..<open])
        }
        name = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard !name.isEmpty, name.count <= 40, role.map({ !$0.isEmpty && $0.count <= 40 }) ?? true else { return nil }
        let words = name.split(separator: " ")
        guard words.count <= 5, let first = words.first, first.first?.isLetter == true else { return nil }
        for word in words {
            let startsName: Bool
            if let initial = word.utf8.first, word.utf8.allSatisfy({ $0 < 0x80 }) {
                // ASCII words, nearly all of them, are checked on their bytes.
                func isLetterOrDigit(_ byte: UInt8) -> Bool {
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                }
                guard word.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "-") })
                else { return nil }
                startsName = (0x41...0x5A).contains(initial) || (0x30...0x39).contains(initial)
            } else {
                guard word.allSatisfy({ $0.isLetter || $0.isNumber || ".'’-".contains($0) }) else { return nil }
                startsName = word.first?.isUppercase == true || word.first?.isNumber == true
            }
            if startsName || connectors.contains(word.lowercased()) && word != first {
                continue
            }
            return nil
        }
        guard !nonSpeakers.contains(CodePath.fold(name)) else { return nil }
        return SpeakerLabel(name: name, role: role, time: nil, textStart: nil)
    }

    /// A time such as `00:01:23`, `1:23`, `01:23.5` or `[00:01:23]` at a place in a line.
    static func timestamp(_ scalars: [Unicode.Scalar], from start: Int) -> (seconds: Double, end: Int)? {
        var index = start
        var bracket: Unicode.Scalar?
        if index < scalars.count, scalars[index] == "[" || scalars[index] == "(" {
            bracket = scalars[index] == "[" ? "]" : ")"
            index += 1
        }
        var fields: [Int] = []
        var fraction = 0.0
        while fields.count < 3 {
            var digits = 0
            var value = 0
            while index < scalars.count, let digit = scalars[index].properties.numericType == .decimal ? Int(String(scalars[index])) : nil, digits < 3
            {
                value = value * 10 + digit
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            fields.append(value)
            if index < scalars.count, scalars[index] == ":", fields.count < 3 {
                index += 1
                continue
            }
            break
        }
        guard fields.count >= 2, fields.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
        if index < scalars.count, scalars[index] == "." || scalars[index] == "," {
            var probe = index + 1
            var text = "0."
            while probe < scalars.count, scalars[probe].properties.numericType == .decimal {
                text.unicodeScalars.append(scalars[probe])
                probe += 1
            }
            if probe > index + 1 {
                fraction = Double(text) ?? 0
                index = probe
            }
        }
        if let bracket {
            guard index < scalars.count, scalars[index] == bracket else { return nil }
            index += 1
        }
        // A time is a word of its own.
        if index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index].properties.numericType != nil {
            return nil
        }
        let seconds = fields.reduce(0) { $0 * 60 + $1 }
        return (Double(seconds) + fraction, index)
    }
}
