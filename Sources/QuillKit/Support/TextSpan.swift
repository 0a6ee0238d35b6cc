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
    package init(start: Int, end: Int) {
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
        return String(scalars: scalars[lower..<upper])
    }
}

/// A text to cut pieces out of by scalar offsets, as SQLite's `substr` does: the UTF-8 offset of
/// every scalar is found in one walk, and a piece is copied from the UTF-8 as it is (cheaper
/// than `ScalarText` when the scalars themselves are not needed).
struct UTF8Cutter {
    private let utf8: [UInt8]
    /// The UTF-8 offset of each scalar, and of the end.
    private let offsets: [Int32]

    init(_ text: String) {
        utf8 = Array(text.utf8)
        var offsets: [Int32] = []
        offsets.reserveCapacity(utf8.count + 1)
        for (offset, byte) in utf8.enumerated() where byte & 0xC0 != 0x80 {
            offsets.append(Int32(offset))
        }
        offsets.append(Int32(utf8.count))
        self.offsets = offsets
    }

    /// The text of a span, clamped to the text's bounds.
    subscript(span: TextSpan) -> String {
        let scalars = offsets.count - 1
        let lower = max(0, min(span.start, scalars))
        let upper = max(lower, min(span.end, scalars))
        return String(decoding: utf8[Int(offsets[lower])..<Int(offsets[upper])], as: UTF8.self)
    }
}

extension StringProtocol {
    /// The string without the scalars at either end for which `isTrimmed` holds; Foundation's
    /// `trimmingCharacters(in:)` without its bridging, for text read in bulk.
    func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) })
        else { return "" }
        return String(scalars: scalars[first...last])
    }
}

extension String {
    /// A string of scalars, encoded straight into UTF-8 (the standard library's generic
    /// `UnicodeScalarView.append(contentsOf:)` costs hundreds of instructions a scalar).
    init<Scalars: Sequence<Unicode.Scalar>>(scalars: Scalars) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.underestimatedCount)
        for scalar in scalars { UTF8.encode(scalar) { utf8.append($0) } }
        self = String(decoding: utf8, as: UTF8.self)
    }
}

extension Unicode.Scalar {
    /// Unicode's White_Space, decided without a property look-up for ASCII.
    var isWhiteSpace: Bool {
        value < 0x80 ? UInt8(value).isASCIIWhiteSpace : properties.isWhitespace
    }

    /// A tab or a space separator (Unicode's Zs): Foundation's `CharacterSet.whitespaces`.
    var isSpaceOrTab: Bool { self == "\t" || properties.generalCategory == .spaceSeparator }
}

extension UInt8 {
    /// Whether the byte is an ASCII character with Unicode's White_Space: tab, line feed,
    /// vertical tab, form feed, carriage return or space.
    var isASCIIWhiteSpace: Bool { self == 0x20 || (0x09...0x0D).contains(self) }
}
