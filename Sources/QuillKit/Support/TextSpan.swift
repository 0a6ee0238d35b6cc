/// A half-open range `[start, end)` of Unicode scalar offsets into a source's canonical text.
///
/// Offsets count Unicode scalars (code points), as the REFI-QDA standard does: never
/// `Character`s (a CRLF pair or an emoji sequence is one `Character`) and never UTF-8 bytes.
///
/// ```swift
/// let text = ScalarText("Zoë 👍 ok")
/// text[TextSpan(start: 4, end: 5)]   // "👍"
/// ```
public struct TextSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first scalar in the span.
    public var start: Int
    /// One past the last scalar in the span.
    public var end: Int

    /// Creates a span; `start` must not exceed `end`.
    public init(start: Int, end: Int) {
        precondition(start <= end, "TextSpan start \(start) is after end \(end)")
        self.start = start
        self.end = end
    }

    /// The number of scalars in the span.
    public var length: Int { end - start }

    /// Whether the span contains no scalars.
    public var isEmpty: Bool { start == end }

    /// Whether the two spans share at least one scalar.
    public func overlaps(_ other: TextSpan) -> Bool {
        start < other.end && other.start < end
    }

    /// Whether `other` lies wholly inside this span.
    public func contains(_ other: TextSpan) -> Bool {
        start <= other.start && other.end <= end
    }

    public static func < (lhs: TextSpan, rhs: TextSpan) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "[\(start), \(end))" }
}

/// A text held as Unicode scalars, so that spans can be cut out of it in constant time.
public struct ScalarText: Sendable {
    /// The scalars of the text.
    public let scalars: [Unicode.Scalar]

    /// Creates the scalar view of a string.
    public init(_ string: String) {
        scalars = Array(string.unicodeScalars)
    }

    /// The number of scalars in the text.
    public var count: Int { scalars.count }

    /// The text of a span, clamped to the text's bounds.
    public subscript(span: TextSpan) -> String {
        let lower = max(0, min(span.start, scalars.count))
        let upper = max(lower, min(span.end, scalars.count))
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<upper])
        return String(view)
    }
}
