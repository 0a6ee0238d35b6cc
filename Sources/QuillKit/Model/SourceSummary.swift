/// A source as listed by `quill sources`.
public struct SourceSummary: Equatable, Sendable {
    /// The source's number in the project.
    public var id: Int64
    /// Its name.
    public var name: String
    /// The file it came from.
    public var fileName: String
    /// The format it was read as.
    public var format: String
    /// How it was segmented.
    public var segmentation: String
    /// Its length in Unicode scalars.
    public var length: Int
    /// How many segments it has.
    public var segments: Int
    /// How many speakers it has.
    public var speakers: Int
    /// How many codings are on it.
    public var codings: Int
    /// SHA-256 of the original bytes.
    package var sha256: String
}

/// A segment as `quill show` prints it.
public struct SegmentView: Equatable, Sendable {
    /// Its number within the source, from 1.
    public var number: Int
    /// Its span in the source's text.
    public var span: TextSpan
    /// The speaker's name as the transcript writes it.
    public var speaker: String?
    /// The case the speaker belongs to.
    public var caseName: String?
    /// The role in brackets after the speaker's name.
    public var role: String?
    /// Whether the speaker is an interviewer.
    public var isInterviewer: Bool
    /// The time the turn starts, in seconds.
    public var startTime: Double?
    /// The time it ends, in seconds (from captions).
    public var endTime: Double?
    /// Its text.
    public var text: String
    /// The paths of the codes on it, with the coders who applied each.
    public var codes: [AppliedCode]
}

extension SegmentView {
    /// How a segment's speaker is shown: the name, the role in brackets, and whether the
    /// speaker interviews, as in `Dr Okafor (consultant)` or `Interviewer · interviewer`.
    public static func speakerLabel(_ speaker: String?, role: String?, isInterviewer: Bool) -> String? {
        speaker.map { $0 + (role.map { " (\($0))" } ?? "") + (isInterviewer ? " · interviewer" : "") }
    }
}

/// A code on a segment.
public struct AppliedCode: Equatable, Sendable {
    /// The code's path.
    public var path: String
    /// The coders who applied it, sorted.
    public var coders: [String]
}
