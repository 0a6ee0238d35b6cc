import Foundation
/// How a source is cut into segments.
public enum SegmentationMode: String, Sendable, CaseIterable {
    /// One segment per speaker turn.
    case turn
    /// One segment per paragraph (lines separated by a blank line).
    case paragraph
}

/// A segment found in a text, before it is stored.
public struct DetectedSegment: Equatable, Sendable {
    /// Its span in the canonical text.
    public var span: TextSpan
    /// The speaker's name, for a turn.
    public var speaker: String?
    /// The role given in brackets after the speaker's name.
    public var role: String?
    /// The time given with the speaker label, in seconds.
    public var startTime: Double?
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
}

/// Cuts a canonical text into speaker turns when it has speaker labels, and into paragraphs
/// otherwise.
///
/// A label that appears before the first turn counts only if it recurs or looks like a speaker
/// (an interviewer word, a participant code, a role in brackets, a time); header lines such as
/// `Date: 3 May` therefore stay out. After the first turn, any label-shaped line that is not
/// a known header word starts a turn. A turn runs to the next label, across blank lines.
public enum Segmenter {
    /// Segments a text.
    /// - Parameters:
    ///   - text: canonical text (LF line ends).
    ///   - mode: the mode to use; nil chooses turns when speakers are found, else paragraphs.
    public static func segment(_ text: String, mode: SegmentationMode? = nil) -> Segmentation {
        let lines = Line.split(text)
        if mode != .paragraph, let turns = turns(lines) {
            return turns
        }
        return Segmentation(mode: .paragraph, segments: paragraphs(lines), speakers: [], unattributedLines: [])
    }

    private static func paragraphs(_ lines: [Line]) -> [DetectedSegment] {
        var segments: [DetectedSegment] = []
        var start: Line?
        var last: Line?
        func flush() {
            if let first = start, let end = last {
                segments.append(DetectedSegment(span: TextSpan(start: first.contentStart, end: end.contentEnd)))
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
        return segments
    }

    private static func turns(_ lines: [Line]) -> Segmentation? {
        let labels = lines.map { $0.isBlank ? nil : SpeakerLabel.parse($0.text) }
        var counts: [String: Int] = [:]
        for label in labels.compactMap({ $0 }) { counts[label.key, default: 0] += 1 }

        var accepted: [(line: Int, label: SpeakerLabel)] = []
        for (index, label) in labels.enumerated() {
            guard let label else { continue }
            // A time with the label ([00:01:23] Name:) marks a turn: header lines carry none.
            if accepted.isEmpty && !(label.isSpeakerLike || label.time != nil || counts[label.key, default: 0] >= 2) { continue }
            accepted.append((index, label))
        }
        guard !accepted.isEmpty else { return nil }

        var segments: [DetectedSegment] = []
        var speakers: [String: Int] = [:]
        var speakerList: [DetectedSpeaker] = []
        for (turnIndex, turn) in accepted.enumerated() {
            let endLine = turnIndex + 1 < accepted.count ? accepted[turnIndex + 1].line : lines.count
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
            if let index = speakers[turn.label.key] {
                speakerList[index].turns += 1
                if speakerList[index].role == nil { speakerList[index].role = turn.label.role }
            } else {
                speakers[turn.label.key] = speakerList.count
                speakerList.append(DetectedSpeaker(name: turn.label.name, isInterviewer: turn.label.isInterviewer,
                                                   role: turn.label.role, turns: 1))
            }
            guard let start, let end, end > start else { continue }
            segments.append(DetectedSegment(span: TextSpan(start: start, end: end),
                                            speaker: speakerList[speakers[turn.label.key] ?? 0].name,
                                            role: turn.label.role, startTime: turn.label.time))
        }
        let preamble = lines[..<accepted[0].line].enumerated().filter { !$0.element.isBlank }.map { $0.offset + 1 }
        return Segmentation(mode: .turn, segments: segments, speakers: speakerList, unattributedLines: preamble)
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

    static func split(_ text: String) -> [Line] {
        var lines: [Line] = []
        var offset = 0
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let scalars = piece.unicodeScalars
            let count = scalars.count
            let leading = scalars.prefix { $0.properties.isWhitespace }.count
            let trailing = leading == count ? 0 : scalars.reversed().prefix { $0.properties.isWhitespace }.count
            lines.append(Line(text: piece, start: offset, contentStart: offset + leading, contentEnd: offset + count - trailing))
            offset += count + 1
        }
        return lines
    }
}
