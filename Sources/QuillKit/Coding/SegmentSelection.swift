import Foundation

/// Segment numbers as a user writes them: `3-7,12`, `all`.
public enum SegmentSelection {
    /// The segment numbers a selection names, sorted, each at most once.
    /// - Parameters:
    ///   - text: the selection.
    ///   - count: how many segments the source has.
    /// - Throws: `QuillError.badSegments` when the text is malformed or names a segment the
    ///   source does not have.
    public static func parse(_ text: String, count: Int) throws -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "all" { return Array(1...max(1, count)).filter { $0 <= count } }
        var numbers = Set<Int>()
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = part.trimmingCharacters(in: .whitespaces)
            guard !piece.isEmpty else { throw QuillError.badSegments(text, reason: "there is an empty item between commas") }
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds.last ?? "") else {
                throw QuillError.badSegments(text, reason: "'\(piece)' is not a number or a range")
            }
            guard low >= 1, high >= 1 else { throw QuillError.badSegments(text, reason: "segments are numbered from 1") }
            guard low <= high else { throw QuillError.badSegments(text, reason: "the range '\(piece)' runs backwards") }
            guard high <= count else {
                throw QuillError.badSegments(text, reason: "the source has \(count) segment\(count == 1 ? "" : "s"), so there is no segment \(high)")
            }
            numbers.formUnion(low...high)
        }
        return numbers.sorted()
    }
}
