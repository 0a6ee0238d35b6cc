import Foundation

/// One caption cue: when it is shown, who speaks it when the caption says, and its text with
/// the markup removed.
public struct CaptionCue: Equatable, Sendable {
    /// When the cue starts, in seconds.
    public var start: Double
    /// When the cue ends, in seconds.
    public var end: Double
    /// The speaker as the caption names them (`Name`, or `Name (Role)`), if it does.
    public var speaker: String?
    /// The cue's text on one line: tags removed, entities decoded, lines joined by single spaces.
    public var text: String

    /// Creates a cue.
    package init(start: Double, end: Double, speaker: String? = nil, text: String) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.text = text
    }
}

/// Reads caption files, WebVTT (`.vtt`, as Zoom and Microsoft Teams write them) and SubRip
/// (`.srt`), and turns their cues into Quill's canonical text with one segment per speaker
/// turn, or per cue when no cue names a speaker.
///
/// A file is read whole or not at all: a malformed or truncated timing line, a cue that ends
/// before it starts, or a file without a single cue is one `QuillError.badInput` that names
/// the file and the line.
public enum Captions {
    /// Parses WebVTT text.
    ///
    /// The `WEBVTT` header is required. Cue identifiers, cue settings, `NOTE`, `STYLE` and
    /// `REGION` blocks are skipped; multi-line payloads are joined with single spaces. The
    /// speaker comes from a voice tag (`<v Name>`, `<v.loud Name>`) or from a `Name:` label
    /// at the start of the cue's first line. Other tags are removed and the entities `&amp;`,
    /// `&lt;`, `&gt;`, `&nbsp;` (a space), `&lrm;`, `&rlm;`, `&quot;`, `&apos;` and `&#…;`
    /// are decoded. Cues with no text are left out.
    /// - Parameters:
    ///   - text: canonical text as `TextDecoder` makes it (UTF-8, LF, no BOM, NFC).
    ///   - path: the file's path, for messages.
    /// - Returns: the cues with text, in file order.
    /// - Throws: `QuillError.badInput` naming the path and the line.
    public static func parseVTT(_ text: String, path: String) throws -> [CaptionCue] {
        let lines = CaptionLine.split(text)
        let format = CaptionFormat.webVTT
        guard let headerIndex = lines.firstIndex(where: { !$0.isBlank }), lines[headerIndex].isWebVTTHeader else {
            let first = lines.first { !$0.isBlank }
            let problem =
                first.map { "the file is not WebVTT: line \($0.number) is '\(excerpt($0.text))', not the 'WEBVTT' header" }
                ?? "the file is not WebVTT: it holds no text"
            let looksLikeSubRip = lines.contains { $0.arrow != nil && $0.text.contains(",") }
            let remedy =
                looksLikeSubRip
                ? "Its times look like SubRip ('00:00:01,000'): give it the .srt extension and import it again."
                : "A WebVTT caption file starts with the line 'WEBVTT'. If this caption file lost its header, "
                    + "add 'WEBVTT' and a blank line at its top; otherwise check that you chose the right file."
            throw QuillError.badInput(path: path, problem: problem, remedy: remedy)
        }
        // Header lines such as "Kind: captions" run to the first blank line.
        var index = headerIndex + 1
        while index < lines.count, !lines[index].isBlank, lines[index].arrow == nil { index += 1 }
        var cues: [CaptionCue] = []
        while index < lines.count {
            let line = lines[index]
            if line.isBlank {
                index += 1
                continue
            }
            if ["NOTE", "STYLE", "REGION"].contains(where: { line.startsBlock($0) }) {
                while index < lines.count, !lines[index].isBlank { index += 1 }
                continue
            }
            let timingIndex = try timingLineIndex(lines, at: index, format: format, path: path)
            let timing = try Timing.parse(lines[timingIndex], format: format, path: path)
            let (payload, next) = payloadLines(lines, after: timingIndex, format: format)
            if let cue = Payload.webVTTCue(timing, payload) { cues.append(cue) }
            index = next
        }
        guard !cues.isEmpty else {
            throw QuillError.badInput(
                path: path,
                problem: "the file has a WEBVTT header (line \(lines[headerIndex].number)) but no caption cue with text after it",
                remedy: "Check that you chose the right file and that the captions were saved with their text; a cue is a "
                    + "timing line such as '\(format.timingExample)' followed by its text.")
        }
        return cues
    }

    /// Parses SubRip text.
    ///
    /// Blocks are a cue number (which may be missing), a timing line
    /// (`hh:mm:ss,ttt --> hh:mm:ss,ttt`, a full stop is accepted for the comma) and the text.
    /// `<i>`, `<b>`, `<u>`, `<font …>` and `{\an8}`-style tags are removed. The speaker comes
    /// from `Name: text`, `- Name: text` or `[Name] text` at the start of the cue; a later line
    /// `- Name: text` (a dialogue dash) starts a cue of its own with the same times.
    /// - Parameters:
    ///   - text: canonical text as `TextDecoder` makes it (UTF-8, LF, no BOM, NFC).
    ///   - path: the file's path, for messages.
    /// - Returns: the cues with text, in file order.
    /// - Throws: `QuillError.badInput` naming the path and the line.
    public static func parseSRT(_ text: String, path: String) throws -> [CaptionCue] {
        let lines = CaptionLine.split(text)
        let format = CaptionFormat.subRip
        if let first = lines.first(where: { !$0.isBlank }), first.isWebVTTHeader {
            throw QuillError.badInput(
                path: path, problem: "the file is WebVTT, not SubRip (line \(first.number) is '\(excerpt(first.text))')",
                remedy: "Give it the .vtt extension and import it again.")
        }
        var index = 0
        var cues: [CaptionCue] = []
        while index < lines.count {
            if lines[index].isBlank {
                index += 1
                continue
            }
            let timingIndex = try timingLineIndex(lines, at: index, format: format, path: path)
            let timing = try Timing.parse(lines[timingIndex], format: format, path: path)
            let (payload, next) = payloadLines(lines, after: timingIndex, format: format)
            cues += Payload.subRipCues(timing, payload)
            index = next
        }
        guard !cues.isEmpty else {
            throw QuillError.badInput(
                path: path, problem: "the file has no subtitle with text in its \(lines.count) lines",
                remedy: "Check that you chose the right file; a SubRip subtitle is a number, a timing line such as "
                    + "'\(format.timingExample)' and its text.")
        }
        return cues
    }

    /// Builds Quill's canonical text and segmentation from cues.
    ///
    /// Consecutive cues of one speaker (names compared ignoring case and runs of white space)
    /// merge into one turn, written as the paragraph `Name: text` with the cues' texts joined
    /// by single spaces; paragraphs are separated by a blank line and each segment's span
    /// covers the text after `Name: `. A cue without a speaker among cues with speakers is a
    /// paragraph and a segment of its own. When no cue names a speaker, each cue is one line
    /// and one segment. Segments keep the start of their first cue and the end of their last.
    /// Cues whose text is only white space are left out.
    /// - Parameter cues: the cues, in order.
    /// - Returns: the canonical text (ending in a single line end, or empty without cues) and
    ///   its segmentation.
    public static func transcript(from cues: [CaptionCue]) -> (text: String, segmentation: Segmentation) {
        let entries = cues.compactMap(Entry.init)
        guard entries.contains(where: { $0.voice != nil }) else {
            return lines(entries)
        }
        var turns: [Turn] = []
        for entry in entries {
            if let voice = entry.voice, let last = turns.last, last.voice?.key == voice.key {
                turns[turns.count - 1].add(entry)
            } else {
                turns.append(Turn(entry))
            }
        }

        var text = ""
        var offset = 0
        var segments: [DetectedSegment] = []
        var speakerIndex: [String: Int] = [:]
        var speakers: [DetectedSpeaker] = []
        for turn in turns {
            if !text.isEmpty {
                text += "\n\n"
                offset += 2
            }
            var name: String?
            if let voice = turn.voice {
                let prefix = voice.label + ": "
                text += prefix
                offset += prefix.unicodeScalars.count
                if let index = speakerIndex[voice.key] {
                    speakers[index].turns += 1
                    if speakers[index].role == nil, let role = turn.role {
                        speakers[index].role = role
                        speakers[index].isInterviewer = speakers[index].isInterviewer || isInterviewer(role)
                    }
                    name = speakers[index].name
                } else {
                    speakerIndex[voice.key] = speakers.count
                    speakers.append(
                        DetectedSpeaker(
                            name: voice.name,
                            isInterviewer: isInterviewer(voice.name) || turn.role.map(isInterviewer) == true,
                            role: turn.role, turns: 1))
                    name = voice.name
                }
            }
            let body = turn.texts.joined(separator: " ")
            let length = body.unicodeScalars.count
            segments.append(
                DetectedSegment(
                    span: TextSpan(start: offset, end: offset + length), speaker: name,
                    role: turn.role, startTime: turn.start, endTime: turn.end,
                    turn: segments.count + 1))
            text += body
            offset += length
        }
        text += "\n"
        return (text, Segmentation(mode: .turn, segments: segments, speakers: speakers, unattributedLines: []))
    }

    // MARK: - Transcript helpers

    /// One cue for the transcript, its text folded and its speaker split into name and role.
    private struct Entry {
        var voice: Voice?
        var text: String
        var start: Double
        var end: Double

        init?(_ cue: CaptionCue) {
            text = TextDecoder.nfc(Markup.fold(cue.text))
            guard !text.isEmpty else { return nil }
            voice = cue.speaker.flatMap(Voice.init)
            start = cue.start
            end = cue.end
        }
    }

    /// A speaker as a cue names them.
    private struct Voice {
        /// The speaker as written, white space folded: `Speaker B (Project Manager)`.
        var label: String
        /// The name without the role: `Speaker B`.
        var name: String
        /// The role in brackets, if any.
        var role: String?
        /// The name folded for comparison.
        var key: String

        init?(_ speaker: String) {
            label = TextDecoder.nfc(Markup.fold(speaker))
            guard !label.isEmpty else { return nil }
            name = label
            if label.hasSuffix(")") || label.hasSuffix("]"), let open = label.lastIndex(where: { $0 == "(" || $0 == "[" }) {
                let inner = label[label.index(after: open)..<label.index(before: label.endIndex)]
                    .trimmingCharacters(in: .whitespaces)
                let before = label[..<open].trimmingCharacters(in: .whitespaces)
                if !inner.isEmpty, !before.isEmpty {
                    role = inner
                    name = before
                }
            }
            key = CodePath.fold(name)
        }
    }

    /// Consecutive cues of one speaker, or a single cue without one.
    private struct Turn {
        var voice: Voice?
        var role: String?
        var texts: [String]
        var start: Double
        var end: Double

        init(_ entry: Entry) {
            voice = entry.voice
            role = entry.voice?.role
            texts = [entry.text]
            start = entry.start
            end = entry.end
        }

        mutating func add(_ entry: Entry) {
            texts.append(entry.text)
            end = entry.end
            if role == nil { role = entry.voice?.role }
        }
    }

    private static func isInterviewer(_ name: String) -> Bool {
        SpeakerLabel.isInterviewerName(CodePath.fold(name))
    }

    /// One line and one segment per cue, for captions that name no speaker.
    private static func lines(_ entries: [Entry]) -> (text: String, segmentation: Segmentation) {
        var text = ""
        var offset = 0
        var segments: [DetectedSegment] = []
        for entry in entries {
            let length = entry.text.unicodeScalars.count
            segments.append(
                DetectedSegment(
                    span: TextSpan(start: offset, end: offset + length),
                    startTime: entry.start, endTime: entry.end))
            text += entry.text + "\n"
            offset += length + 1
        }
        return (text, Segmentation(mode: .line, segments: segments, speakers: [], unattributedLines: []))
    }

    // MARK: - Parsing helpers

    /// The index of the timing line of the cue that starts at `index`: the line itself, or the
    /// line after a cue identifier (WebVTT) or a cue number (SubRip).
    private static func timingLineIndex(_ lines: [CaptionLine], at index: Int, format: CaptionFormat, path: String) throws -> Int {
        let line = lines[index]
        if line.arrow != nil { return index }
        if format == .subRip, !line.isNumber {
            throw QuillError.badInput(
                path: path,
                problem: "line \(line.number) should be a subtitle number or a timing line, but is '\(excerpt(line.text))'",
                remedy: "Each SubRip subtitle is a number, a timing line such as '\(format.timingExample)' and its text, "
                    + "with a blank line after it; correct the file or export the subtitles again.")
        }
        let what = format == .subRip ? "subtitle number" : "cue identifier"
        let next = index + 1
        guard next < lines.count, !lines[next].isBlank else {
            let ending = next < lines.count ? "nothing follows it" : "the file ends there"
            throw QuillError.badInput(
                path: path,
                problem: "line \(line.number) ('\(excerpt(line.text))') has no timing line after it: \(ending)",
                remedy: "A cue is a timing line such as '\(format.timingExample)' and its text. "
                    + "If the file was cut short, export the captions again.")
        }
        guard lines[next].arrow != nil else {
            throw QuillError.badInput(
                path: path,
                problem: "line \(lines[next].number) should be the timing line of the \(what) on line \(line.number), "
                    + "but is '\(excerpt(lines[next].text))'",
                remedy: "Write the timing as '\(format.timingExample)'. If the file was cut short, export the captions again.")
        }
        return next
    }

    /// The text lines of a cue, which run to a blank line or a timing line, and the index after them.
    private static func payloadLines(
        _ lines: [CaptionLine], after timingIndex: Int,
        format: CaptionFormat
    ) -> (payload: [String], next: Int) {
        var next = timingIndex + 1
        while next < lines.count, !lines[next].isBlank, lines[next].arrow == nil { next += 1 }
        var end = next
        // A SubRip file that forgot a blank line: the number before the next timing line is its number.
        if format == .subRip, next < lines.count, lines[next].arrow != nil, end > timingIndex + 1, lines[end - 1].isNumber {
            end -= 1
            next -= 1
        }
        return (lines[(timingIndex + 1)..<end].map(\.text), next)
    }

    /// A line shortened for a message.
    fileprivate static func excerpt(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 60 else { return text }
        return String(scalars: scalars.prefix(57)) + "…"
    }
}

/// The two caption formats, for what differs between them.
private enum CaptionFormat {
    case webVTT
    case subRip

    /// A timing line as the format writes it, for messages.
    var timingExample: String {
        switch self {
        case .webVTT: return "00:01:02.000 --> 00:01:05.000"
        case .subRip: return "00:01:02,000 --> 00:01:05,000"
        }
    }

    /// The separators of seconds and milliseconds it accepts.
    var fractionSeparators: Set<Unicode.Scalar> {
        switch self {
        case .webVTT: return ["."]
        case .subRip: return [",", "."]
        }
    }
}

/// A line of a caption file, trimmed of white space at both ends.
private struct CaptionLine {
    /// The line number, from 1.
    var number: Int
    /// The trimmed line.
    var scalars: [Unicode.Scalar]

    var text: String { String(scalars: scalars) }
    var isBlank: Bool { scalars.isEmpty }
    /// Whether the line is a number only, as SubRip numbers its subtitles.
    var isNumber: Bool { !scalars.isEmpty && scalars.allSatisfy { $0.isASCII && $0.properties.numericType == .decimal } }

    /// Where `-->` starts in the line, if it has one.
    var arrow: Int? {
        guard scalars.count >= 3 else { return nil }
        return (0...(scalars.count - 3)).first { scalars[$0] == "-" && scalars[$0 + 1] == "-" && scalars[$0 + 2] == ">" }
    }

    /// Whether the line is `WEBVTT`, alone or followed by a space or tab and more text.
    var isWebVTTHeader: Bool { startsBlock("WEBVTT") }

    /// Whether the line is the word, alone or followed by a space or tab.
    func startsBlock(_ word: String) -> Bool {
        let keyword = Array(word.unicodeScalars)
        guard scalars.starts(with: keyword) else { return false }
        return scalars.count == keyword.count || scalars[keyword.count] == " " || scalars[keyword.count] == "\t"
    }

    static func split(_ text: String) -> [CaptionLine] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        return scalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { offset, line in
            CaptionLine(number: offset + 1, scalars: Array(line).trimmedScalars)
        }
    }
}

/// The start and end of a cue.
private struct Timing {
    var start: Double
    var end: Double

    /// Reads a timing line: a start time, `-->`, an end time, and cue settings that are ignored.
    static func parse(_ line: CaptionLine, format: CaptionFormat, path: String) throws -> Timing {
        let scalars = line.scalars
        let arrow = line.arrow ?? scalars.count
        let startText = Array(scalars[..<arrow]).trimmedScalars
        let after = scalars[min(arrow + 3, scalars.count)...].drop { $0.isWhiteSpace }
        let endText = Array(after.prefix { !$0.isWhiteSpace })
        func malformed(_ reason: String) -> QuillError {
            QuillError.badInput(
                path: path, problem: "line \(line.number) is not a valid cue timing line ('\(Captions.excerpt(line.text))'): \(reason)",
                remedy: "Write each timing as '\(format.timingExample)' (the hours may be left out). "
                    + "If the file was cut short, export the captions again.")
        }
        guard let start = milliseconds(startText, format: format) else {
            let text = String(scalars: startText)
            throw malformed(text.isEmpty ? "it has no start time" : "the start time '\(text)' is incomplete or not a time")
        }
        guard let end = milliseconds(endText, format: format) else {
            let text = String(scalars: endText)
            throw malformed(text.isEmpty ? "it has no end time" : "the end time '\(text)' is incomplete or not a time")
        }
        guard end >= start else {
            throw QuillError.badInput(
                path: path,
                problem: "line \(line.number): the cue ends at \(format.display(end)), before it starts at \(format.display(start))",
                remedy: "Correct the cue's times so that it ends after it starts, or export the captions again.")
        }
        return Timing(start: Double(start) / 1000, end: Double(end) / 1000)
    }

    /// A time `hh:mm:ss.ttt` or `mm:ss.ttt` (SubRip: also `,ttt`) in milliseconds.
    static func milliseconds(_ scalars: [Unicode.Scalar], format: CaptionFormat) -> Int? {
        guard let separator = scalars.lastIndex(where: { format.fractionSeparators.contains($0) }) else { return nil }
        let fields = scalars[..<separator].split(separator: ":", omittingEmptySubsequences: false)
        let fraction = scalars[(separator + 1)...]
        guard (2...3).contains(fields.count), fraction.count == 3, let milliseconds = number(fraction) else { return nil }
        var values: [Int] = []
        for (index, field) in fields.enumerated() {
            let isHours = fields.count == 3 && index == 0
            guard isHours ? (1...6).contains(field.count) : field.count == 2, let value = number(field) else { return nil }
            values.append(value)
        }
        guard values.dropFirst(values.count - 2).allSatisfy({ $0 < 60 }) else { return nil }
        return values.reduce(0) { $0 * 60 + $1 } * 1000 + milliseconds
    }

    private static func number(_ scalars: some Collection<Unicode.Scalar>) -> Int? {
        guard !scalars.isEmpty, scalars.allSatisfy({ $0.isASCII && $0.properties.numericType == .decimal }) else { return nil }
        return Int(String(scalars: scalars))
    }
}

extension CaptionFormat {
    /// Milliseconds written as the format writes times, for messages.
    func display(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        let clock = [seconds / 3600, seconds / 60 % 60, seconds % 60].map { Self.padded($0, 2) }.joined(separator: ":")
        return clock + (self == .subRip ? "," : ".") + Self.padded(milliseconds % 1000, 3)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Turns the text lines of a cue into cues: the speaker found, the markup removed.
private enum Payload {
    static func webVTTCue(_ timing: Timing, _ payload: [String]) -> CaptionCue? {
        var speaker = Markup.voice(in: payload.joined(separator: "\n"))
        var lines = payload.map(Markup.clean)
        if speaker == nil, let first = lines.first, let label = nameLabel(first) {
            speaker = label.speaker
            lines[0] = label.rest
        }
        return cue(timing, speaker, lines)
    }

    static func subRipCues(_ timing: Timing, _ payload: [String]) -> [CaptionCue] {
        var parts: [(speaker: String?, lines: [String])] = []
        for line in payload.map(Markup.clean) where !line.isEmpty {
            if parts.isEmpty {
                if let label = dashLabel(line) ?? bracketLabel(line) ?? nameLabel(line) {
                    parts.append((label.speaker, [label.rest]))
                } else {
                    parts.append((nil, [line]))
                }
            } else if let label = dashLabel(line) {
                // A dialogue dash with a name starts another speaker's cue.
                parts.append((label.speaker, [label.rest]))
            } else {
                parts[parts.count - 1].lines.append(line)
            }
        }
        return parts.compactMap { cue(timing, $0.speaker, $0.lines) }
    }

    private static func cue(_ timing: Timing, _ speaker: String?, _ lines: [String]) -> CaptionCue? {
        let text = TextDecoder.nfc(Markup.fold(lines.joined(separator: " ")))
        guard !text.isEmpty else { return nil }
        return CaptionCue(start: timing.start, end: timing.end, speaker: speaker.map(TextDecoder.nfc), text: text)
    }

    /// `Name: text` at the start of a line, as `SpeakerLabel` reads labels.
    static func nameLabel(_ line: String) -> (speaker: String, rest: String)? {
        guard let label = SpeakerLabel.parse(Substring(line)), label.time == nil else { return nil }
        let scalars = Array(line.unicodeScalars)
        let rest = label.textStart.map { String(scalars: scalars[min($0, scalars.count)...]) } ?? ""
        return (label.role.map { "\(label.name) (\($0))" } ?? label.name, rest)
    }

    /// `- Name: text`, a dialogue dash before a label.
    private static func dashLabel(_ line: String) -> (speaker: String, rest: String)? {
        let scalars = Array(line.unicodeScalars)
        guard let first = scalars.first, ["-", "–", "—"].contains(first), scalars.count > 1, scalars[1] != "-" else { return nil }
        return nameLabel(String(scalars: scalars.dropFirst()))
    }

    /// `[Name] text`, a name in square brackets that is not a sound such as `[MUSIC]`.
    private static func bracketLabel(_ line: String) -> (speaker: String, rest: String)? {
        let scalars = Array(line.unicodeScalars)
        guard scalars.first == "[", let close = scalars.firstIndex(of: "]") else { return nil }
        let inner = String(scalars: scalars[1..<close])
        guard !sounds.contains(CodePath.fold(inner)), let label = nameLabel(inner + ":"),
            CodePath.fold(label.speaker) == CodePath.fold(inner)
        else { return nil }
        var rest = scalars[(close + 1)...]
        if rest.first == ":" { rest = rest.dropFirst() }
        return (label.speaker, String(scalars: rest))
    }

    /// Descriptions of sounds that subtitles put in square brackets.
    private static let sounds: Set<String> = [
        "music", "music playing", "applause", "laughter", "laughs", "laughing", "chuckles", "inaudible", "crosstalk",
        "cross talk", "overlapping", "overlapping speech", "silence", "pause", "noise", "background noise", "static",
        "sighs", "coughs", "cough", "unintelligible", "indistinct", "cheering", "cheers", "beep", "no audio",
        "blank audio", "phone rings", "phone ringing", "door closes", "foreign language",
    ]
}

/// Caption markup: tags, entities and white space.
private enum Markup {
    /// A line with tags removed, entities decoded and white space folded.
    static func clean(_ line: String) -> String {
        fold(decodeEntities(stripTags(line)))
    }

    /// Runs of white space made one space, none at the ends.
    static func fold(_ text: String) -> String {
        text.unicodeScalars.split(whereSeparator: { $0.isWhiteSpace })
            .map { String(scalars: $0) }
            .joined(separator: " ")
    }

    /// The speaker of the first voice tag (`<v Name>`, `<v.loud Name>`) in a payload.
    static func voice(in payload: String) -> String? {
        let scalars = Array(payload.unicodeScalars)
        var index = 0
        while index + 2 < scalars.count {
            defer { index += 1 }
            guard scalars[index] == "<", scalars[index + 1] == "v",
                [".", " ", "\t", ">"].contains(scalars[index + 2]),
                let close = scalars[index...].firstIndex(of: ">")
            else { continue }
            let tag = scalars[(index + 2)..<close]
            guard let space = tag.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
            let name = fold(decodeEntities(String(scalars: tag[space...])))
            return name.isEmpty ? nil : name
        }
        return nil
    }

    /// Text without tags: `<i>`, `</i>`, `<c.colour>`, `<v Name>`, `<00:00:01.000>`, `<font …>`, and
    /// SubStation overrides such as `{\an8}`. A `<` that starts no tag is kept.
    static func stripTags(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if index + 1 < scalars.count {
                let next = scalars[index + 1]
                if scalar == "<", next == "/" || (next.isASCII && (next.properties.isAlphabetic || next.properties.numericType != nil)),
                    let close = tagEnd(scalars, from: index + 1, closing: ">", opening: "<")
                {
                    index = close + 1
                    continue
                }
                if scalar == "{", next == "\\", let close = tagEnd(scalars, from: index + 1, closing: "}", opening: "{") {
                    index = close + 1
                    continue
                }
            }
            result.append(scalar)
            index += 1
        }
        return String(result)
    }

    /// Where a tag closes, if it closes before another opens.
    private static func tagEnd(_ scalars: [Unicode.Scalar], from start: Int, closing: Unicode.Scalar, opening: Unicode.Scalar) -> Int? {
        for index in start..<scalars.count {
            if scalars[index] == closing { return index }
            if scalars[index] == opening { return nil }
        }
        return nil
    }

    private static let entities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "nbsp": " ", "lrm": "\u{200E}", "rlm": "\u{200F}", "quot": "\"", "apos": "'",
    ]

    /// Text with character references decoded; an `&` that starts none is kept.
    static func decodeEntities(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&",
                let semicolon = scalars[(index + 1)...].prefix(12).firstIndex(of: ";"),
                let decoded = reference(String(scalars: scalars[(index + 1)..<semicolon]))
            {
                result.append(decoded)
                index = semicolon + 1
                continue
            }
            result.append(scalars[index])
            index += 1
        }
        return String(result)
    }

    /// The character of a reference such as `amp`, `#39` or `#x27`.
    private static func reference(_ name: String) -> Unicode.Scalar? {
        if let scalar = entities[name] { return scalar }
        guard name.hasPrefix("#") else { return nil }
        var digits = name.dropFirst()
        var radix = 10
        if digits.first == "x" || digits.first == "X" {
            digits = digits.dropFirst()
            radix = 16
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
            let value = UInt32(digits, radix: radix), value != 0
        else { return nil }
        return Unicode.Scalar(value)
    }
}

extension Array where Element == Unicode.Scalar {
    /// The scalars without white space at either end.
    fileprivate var trimmedScalars: [Unicode.Scalar] {
        Array(drop { $0.isWhiteSpace }.reversed().drop { $0.isWhiteSpace }.reversed())
    }
}
