import Foundation

/// The unit a source is cut into.
public enum SegmentationMode: String, Sendable, CaseIterable {
    /// One segment per speaker turn.
    case turn
    /// One segment per paragraph (lines separated by a blank line), within turns.
    case paragraph
    /// One segment per sentence, within paragraphs and turns.
    case sentence
    /// One segment per line, within turns (for caption cues without speakers, one line per cue).
    case line
}

/// Whether a text is cut at speaker labels.
public enum SpeakerDetection: Sendable, Equatable {
    /// At labels only when they read as a transcript's (the default): a colon in a title
    /// or a list of hypotheses (`H1:`, `RQ2:`) is not a speaker.
    case automatic
    /// At every line that starts with a label, whether or not the text reads as a transcript.
    case always
    /// Never: the text is cut into paragraphs (or the unit asked for) only.
    case never
}

/// How to segment a text.
public struct SegmentationOptions: Sendable, Equatable {
    /// The unit; nil chooses turns when speakers are found, else paragraphs.
    public var unit: SegmentationMode?
    /// Whether to cut at speaker labels.
    public var speakers: SpeakerDetection
    /// A house style of speaker labels that Quill does not know; with one, every line it
    /// matches starts a turn.
    public var speakerPattern: SpeakerPattern?

    /// Whether speaker labels are looked for at all.
    var findsSpeakers: Bool { speakers != .never }

    /// Creates options.
    public init(unit: SegmentationMode? = nil, speakers: SpeakerDetection = .automatic, speakerPattern: SpeakerPattern? = nil) {
        self.unit = unit
        self.speakers = speakers
        self.speakerPattern = speakerPattern
    }
}

/// A segment found in a text, before it is stored.
public struct DetectedSegment: Equatable, Sendable {
    /// Its span in the canonical text.
    public var span: TextSpan
    /// The speaker's name, for a turn.
    public var speaker: String?
    /// The role given in brackets after the speaker's name.
    public var role: String?
    /// The time given with the speaker label, or the start of a caption cue, in seconds.
    public var startTime: Double?
    /// The end of the last caption cue of the segment, in seconds.
    public var endTime: Double?
    /// The number of the speaker turn the segment belongs to, from 1; nil without speakers.
    public var turn: Int?

    /// Creates a segment.
    package init(
        span: TextSpan, speaker: String? = nil, role: String? = nil, startTime: Double? = nil,
        endTime: Double? = nil, turn: Int? = nil
    ) {
        self.span = span
        self.speaker = speaker
        self.role = role
        self.startTime = startTime
        self.endTime = endTime
        self.turn = turn
    }
}

/// A speaker found in a text.
public struct DetectedSpeaker: Equatable, Sendable {
    /// The name as first written.
    public var name: String
    /// Whether the label says interviewer, researcher, facilitator or moderator.
    public var isInterviewer: Bool
    /// The role given in brackets, if any.
    public var role: String?
    /// How many turns the speaker has.
    public var turns: Int
}

/// What segmentation found in a text.
public struct Segmentation: Equatable, Sendable {
    /// The mode used.
    public var mode: SegmentationMode
    /// The segments in reading order.
    public var segments: [DetectedSegment]
    /// The speakers in order of first appearance.
    public var speakers: [DetectedSpeaker]
    /// Non-blank lines before the first speaker turn (a title, a date, a duration), which no
    /// segment holds.
    public var unattributedLines: [Int]
    /// The names of label-shaped lines (`Pfizer:`, `H1:`) that were not taken as speakers
    /// because the text does not read as a transcript, in order of first appearance.
    public var declinedLabels: [String] = []
}

/// Cuts a canonical text into speaker turns when it has speaker labels, and into paragraphs
/// otherwise; or into paragraphs, sentences or lines within the turns.
///
/// A label that appears before the first turn counts only if it recurs or looks like a speaker
/// (an interviewer word, a participant code, a role in brackets, a time); header lines such as
/// `Date: 3 May` therefore stay out. After the first turn, any label-shaped line that is not
/// a known header word starts a turn. A turn runs to the next label, across blank lines.
///
/// By default the turns found so are kept only when the text reads as a transcript
/// (`readsAsTranscript`); otherwise it is cut as a text without speakers, and the labels it
/// declined are named in `Segmentation.declinedLabels`.
public enum Segmenter {
    /// Segments a text.
    /// - Parameters:
    ///   - text: canonical text (LF line ends).
    ///   - mode: the unit; nil chooses turns when speakers are found, else paragraphs.
    public static func segment(_ text: String, mode: SegmentationMode? = nil) -> Segmentation {
        let lines = Line.split(text)
        let (found, declined) = automaticTurns(lines)
        var segmentation = segment(text, lines: lines, turns: found, unit: mode)
        segmentation.declinedLabels = declined
        return segmentation
    }

    /// Segments a text with options.
    /// - Parameters:
    ///   - text: canonical text (LF line ends).
    ///   - options: the unit and how to find speakers.
    ///   - file: the text's file or source, for messages.
    /// - Throws: `QuillError.regexTooComplex` naming the file and the line when the speaker
    ///   pattern takes more than `BoundedRegex.stepLimit` steps on a line.
    public static func segment(_ text: String, options: SegmentationOptions, file: String = "the text") throws -> Segmentation {
        let lines = Line.split(text)
        var found: Segmentation?
        var declined: [String] = []
        if let pattern = options.speakerPattern {
            found = turns(lines, labels: try labels(lines, pattern: pattern, file: file))
        } else if options.speakers == .always {
            found = turns(lines, labels: lines.indices.compactMap { index in lines[index].label.map { (index, $0) } })
        } else if options.speakers == .automatic {
            (found, declined) = automaticTurns(lines)
        }
        var segmentation = segment(text, lines: lines, turns: found, unit: options.unit)
        segmentation.declinedLabels = declined
        return segmentation
    }

    /// The turns of a text by the label styles Quill knows, when it reads as a transcript; else
    /// nil and the names of the labels declined.
    private static func automaticTurns(_ lines: [Line]) -> (turns: Segmentation?, declined: [String]) {
        let starts = labels(lines)
        guard let found = turns(lines, labels: starts) else { return (nil, []) }
        guard readsAsTranscript(found, labels: starts, lines: lines) else {
            var seen: Set<String> = []
            return (nil, starts.compactMap { seen.insert($0.label.key).inserted ? $0.label.name : nil })
        }
        return (found, [])
    }

    /// How many scalars of text outside the turns a transcript may have whatever its length.
    static let headerAllowance = 500

    /// Whether the turns found at labels are a transcript's, not a document's with colons in
    /// its titles or lists:
    /// - at least two thirds of the turns have a label that recurs, carries a time, or looks
    ///   like a speaker's (`SpeakerLabel.isSpeakerLike`: `Interviewer`, `Participant 3`, `P03`);
    ///   half of them when an interviewer speaks (a focus group's members may speak once);
    /// - a text of one voice has a speaker-like label or a time (a title repeated over a list
    ///   is not a speaker);
    /// - from four turns without times, no more than half of the turns follow one of the same
    ///   name that does not look like a speaker's (the turns of a conversation alternate; the
    ///   items of a list under one title word do not);
    /// - no more than a quarter of the text lies outside the turns, headings and rules apart,
    ///   unless that is no more than a header's `headerAllowance` scalars (a title, a date, a
    ///   place): no segmentation hides most of a text, and a paper whose `H1:` comes after
    ///   its introduction is not cut at it.
    static func readsAsTranscript(_ found: Segmentation, labels starts: [(line: Int, label: SpeakerLabel)], lines: [Line]) -> Bool {
        var counts: [String: Int] = [:]
        for start in starts { counts[start.label.key, default: 0] += 1 }
        let supported = starts.filter { counts[$0.label.key, default: 0] >= 2 || $0.label.time != nil || $0.label.isSpeakerLike }
        let hasInterviewer = starts.contains { $0.label.isInterviewer }
        guard supported.count * 3 >= starts.count * 2 || hasInterviewer && supported.count * 2 >= starts.count else { return false }
        if counts.count == 1, let only = starts.first?.label, !(only.isSpeakerLike || only.time != nil) { return false }
        if starts.count >= 4 && starts.allSatisfy({ $0.label.time == nil }) {
            let repeats = zip(starts, starts.dropFirst()).filter { $0.0.label.key == $0.1.label.key && !$0.1.label.isSpeakerLike }.count
            guard repeats * 2 <= starts.count - 1 else { return false }
        }
        let text = lines.reduce(0) { $0 + ($1.contentEnd - $1.contentStart) }
        let outside = found.unattributedLines.lazy.map { lines[$0 - 1] }.filter { !$0.isSectionBreak }
            .reduce(0) { $0 + $1.contentEnd - $1.contentStart }
        return outside <= Self.headerAllowance || outside * 4 <= text
    }

    /// The segments of a text in the unit asked for, from its turns (nil when it has none).
    private static func segment(_ text: String, lines: [Line], turns found: Segmentation?, unit: SegmentationMode?) -> Segmentation {
        let scalars = ScalarText(text)
        guard let found else {
            let unit = unit == nil || unit == .turn ? SegmentationMode.paragraph : unit ?? .paragraph
            let whole = TextSpan(start: 0, end: scalars.count)
            let segments = units(of: whole, in: scalars, unit: unit).map { DetectedSegment(span: $0) }
            return Segmentation(mode: unit, segments: segments, speakers: [], unattributedLines: [])
        }
        return split(found, into: unit ?? .turn, in: scalars)
    }

    /// Cuts existing turns into smaller units, each keeping its turn's speaker; the first unit
    /// of a turn keeps the turn's start time and the last its end time.
    public static func split(_ turns: Segmentation, into unit: SegmentationMode, in text: ScalarText) -> Segmentation {
        guard unit != .turn else { return turns }
        var segments: [DetectedSegment] = []
        for (index, turn) in turns.segments.enumerated() {
            let pieces = units(of: turn.span, in: text, unit: unit)
            for (position, piece) in pieces.enumerated() {
                segments.append(
                    DetectedSegment(
                        span: piece, speaker: turn.speaker, role: turn.role,
                        startTime: position == 0 ? turn.startTime : nil,
                        endTime: position == pieces.count - 1 ? turn.endTime : nil,
                        turn: turn.turn ?? index + 1))
            }
        }
        var result = turns
        result.mode = unit
        result.segments = segments
        return result
    }

    /// The spans of the units of one unit kind inside a span.
    static func units(of span: TextSpan, in text: ScalarText, unit: SegmentationMode) -> [TextSpan] {
        let lines = Line.split(text[span]).map { line -> Line in
            var line = line
            line.start += span.start
            line.contentStart += span.start
            line.contentEnd += span.start
            return line
        }
        switch unit {
        case .turn, .paragraph:
            return paragraphs(lines)
        case .line:
            return lines.filter { !$0.isBlank }.map { TextSpan(start: $0.contentStart, end: $0.contentEnd) }
        case .sentence:
            return paragraphs(lines).flatMap { SentenceSplitter.sentences(in: $0, of: text) }
        }
    }

    private static func paragraphs(_ lines: [Line]) -> [TextSpan] {
        var spans: [TextSpan] = []
        var start: Line?
        var last: Line?
        func flush() {
            if let first = start, let end = last {
                spans.append(TextSpan(start: first.contentStart, end: end.contentEnd))
            }
            start = nil
            last = nil
        }
        for line in lines {
            if line.isBlank {
                flush()
            } else {
                if start == nil { start = line }
                last = line
            }
        }
        flush()
        return spans
    }

    /// The lines that start a turn, by a user's speaker pattern.
    /// - Throws: `QuillError.regexTooComplex` naming the file and the line.
    private static func labels(_ lines: [Line], pattern: SpeakerPattern, file: String) throws -> [(line: Int, label: SpeakerLabel)] {
        var accepted: [(line: Int, label: SpeakerLabel)] = []
        for (index, line) in lines.enumerated() where !line.isBlank {
            let found: SpeakerLabel?
            do {
                found = try pattern.label(in: line.text)
            } catch {
                throw error.error(file: file, place: QuillError.speakerPatternPlace, pattern: pattern.source, segment: "line \(index + 1)")
            }
            if let label = found { accepted.append((index, label)) }
        }
        return accepted
    }

    /// The lines that start a turn, by the label styles Quill knows.
    private static func labels(_ lines: [Line]) -> [(line: Int, label: SpeakerLabel)] {
        var accepted: [(line: Int, label: SpeakerLabel)] = []
        let labels = lines.map(\.label)
        let keys = labels.map { $0?.key }
        var counts: [String: Int] = [:]
        for key in keys.compactMap({ $0 }) { counts[key, default: 0] += 1 }
        for (index, label) in labels.enumerated() {
            guard let label, let key = keys[index] else { continue }
            // A time with the label ([00:01:23] Name:) marks a turn: header lines carry none.
            if accepted.isEmpty && !(label.isSpeakerLike || label.time != nil || counts[key, default: 0] >= 2) { continue }
            accepted.append((index, label))
        }
        return accepted
    }

    /// The turns that start at the accepted label lines; nil when there are none.
    private static func turns(_ lines: [Line], labels accepted: [(line: Int, label: SpeakerLabel)]) -> Segmentation? {
        guard !accepted.isEmpty else { return nil }

        // A Markdown heading or a rule ends a turn: what follows it is not the speaker's until
        // the next label.
        let breaks = lines.indices.filter { lines[$0].isSectionBreak }
        var unattributed = Set(lines[..<accepted[0].line].indices.filter { !lines[$0].isBlank })
        var segments: [DetectedSegment] = []
        var speakers: [String: Int] = [:]
        var speakerList: [DetectedSpeaker] = []
        for (turnIndex, turn) in accepted.enumerated() {
            let nextLabel = turnIndex + 1 < accepted.count ? accepted[turnIndex + 1].line : lines.count
            let endLine = breaks.first { $0 > turn.line && $0 < nextLabel } ?? nextLabel
            for index in endLine..<nextLabel where !lines[index].isBlank { unattributed.insert(index) }
            let labelLine = lines[turn.line]
            var start: Int?
            if let offset = turn.label.textStart {
                start = labelLine.start + offset
            }
            var end: Int?
            if start != nil { end = labelLine.contentEnd }
            for line in lines[(turn.line + 1)..<endLine] where !line.isBlank {
                if start == nil { start = line.contentStart }
                end = line.contentEnd
            }
            let key = turn.label.key
            if let index = speakers[key] {
                speakerList[index].turns += 1
                if speakerList[index].role == nil { speakerList[index].role = turn.label.role }
            } else {
                speakers[key] = speakerList.count
                speakerList.append(
                    DetectedSpeaker(
                        name: turn.label.name, isInterviewer: turn.label.isInterviewer,
                        role: turn.label.role, turns: 1))
            }
            guard let start, let end, end > start else { continue }
            segments.append(
                DetectedSegment(
                    span: TextSpan(start: start, end: end),
                    speaker: speakerList[speakers[key] ?? 0].name,
                    role: turn.label.role, startTime: turn.label.time,
                    turn: segments.count + 1))
        }
        return Segmentation(mode: .turn, segments: segments, speakers: speakerList, unattributedLines: unattributed.sorted().map { $0 + 1 })
    }
}

/// A line of a canonical text, with scalar offsets.
struct Line {
    /// The line's text without its line end.
    var text: Substring
    /// The offset of its first scalar.
    var start: Int
    /// The offset of its first non-blank scalar.
    var contentStart: Int
    /// One past its last non-blank scalar.
    var contentEnd: Int

    var isBlank: Bool { contentStart >= contentEnd }

    /// The speaker label the line starts with, if any.
    var label: SpeakerLabel? { isBlank ? nil : SpeakerLabel.parse(text) }

    /// Whether the line is a Markdown heading (`# Part 2`), a rule (`---`, `***`, `___`), or
    /// the trailer automatic transcribers add (`Transcribed by https://otter.ai`).
    var isSectionBreak: Bool {
        // Most lines start with an ASCII letter, which can begin only the trailer: decided on bytes.
        if let first = text.utf8.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }), text.utf8[first] < 0x80,
            !"#-*_".utf8.contains(text.utf8[first])
        {
            let marker = "transcribed by ".utf8
            let mayBeTrailer =
                text.utf8[first...].count >= marker.count
                && zip(text.utf8[first...], marker).allSatisfy { byte, expected in expected == 0x20 ? byte == 0x20 : byte | 0x20 == expected }
            if !mayBeTrailer { return false }
        }
        let trimmed = text.trimmingScalars(where: \.isSpaceOrTab)
        if trimmed.lowercased().hasPrefix("transcribed by ") { return true }
        if trimmed.hasPrefix("#") {
            let hashes = trimmed.prefix { $0 == "#" }
            return hashes.count <= 6 && (trimmed.count == hashes.count || trimmed.dropFirst(hashes.count).first == " ")
        }
        guard trimmed.count >= 3, let first = trimmed.first, "-*_".contains(first) else { return false }
        return trimmed.allSatisfy { $0 == first || $0 == " " }
    }

    /// The lines of a text, found in one walk over its UTF-8: a line ends at each LF, and its
    /// content lies between its leading and trailing white space (Unicode's White_Space, decided
    /// on the byte for ASCII).
    static func split(_ text: String) -> [Line] {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            var lines: [Line] = []
            var offset = 0
            var lineStart = 0
            let utf8 = text.utf8
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                var count = 0
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A {
                    if bytes[lineEnd] & 0xC0 != 0x80 { count += 1 }
                    lineEnd += 1
                }
                var leading = 0
                var first = lineStart
                while first < lineEnd, let (isSpace, length) = whiteSpace(bytes, at: first), isSpace {
                    leading += 1
                    first += length
                }
                var trailing = 0
                if first < lineEnd {
                    var last = lineEnd
                    while last > first {
                        var scalarStart = last - 1
                        while bytes[scalarStart] & 0xC0 == 0x80 { scalarStart -= 1 }
                        guard whiteSpace(bytes, at: scalarStart)?.isSpace == true else { break }
                        trailing += 1
                        last = scalarStart
                    }
                }
                let piece = text[utf8.index(utf8.startIndex, offsetBy: lineStart)..<utf8.index(utf8.startIndex, offsetBy: lineEnd)]
                lines.append(
                    Line(
                        text: piece, start: offset, contentStart: offset + leading,
                        contentEnd: leading == count ? offset + leading : offset + count - trailing))
                offset += count + 1
                lineStart = lineEnd + 1
            }
            return lines
        }
    }

    /// Whether the scalar starting at a byte is white space, and its length in bytes.
    private static func whiteSpace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (isSpace: Bool, length: Int)? {
        let byte = bytes[index]
        if byte < 0x80 { return (byte.isASCIIWhiteSpace, 1) }
        var length = 1
        while index + length < bytes.count, bytes[index + length] & 0xC0 == 0x80 { length += 1 }
        var scalars = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]), as: UTF8.self).unicodeScalars.makeIterator()
        return (scalars.next()?.isWhiteSpace == true, length)
    }
}
