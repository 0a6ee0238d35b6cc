import Foundation

/// A coding sheet: one coder's whole-segment codes on one source, as a Markdown file to edit.
///
/// The sheet names its source by GUID and by a digest of the source's text and segment
/// spans, and each segment by a marker with its number, offsets and a hash of its text:
///
/// ```
/// ## 3 · Zoë  <!-- seg:3 38-81 5be1c2d0 -->
///
/// > I run a literature search every week.
///
/// codes: Evidence/Search; Barriers
/// ```
///
/// Only the header lines, the markers and the `codes:` lines are read back; the quoted text,
/// headings and blank lines may be edited, moved or lost without effect.
public struct CodingSheet: Equatable, Sendable {
    /// One segment of the sheet.
    public struct Entry: Equatable, Sendable {
        /// The segment's number.
        public var number: Int
        /// Its span in the source's text.
        public var span: TextSpan
        /// Its speaker, role and whether the speaker interviews, for the heading.
        public var speaker: String?
        public var role: String?
        public var isInterviewer: Bool
        /// Its text.
        public var text: String
        /// The paths of the coder's codes on exactly this segment.
        public var codes: [String]
        /// The paths of the coder's other codings that touch the segment (on part of it, or
        /// reaching beyond it), which the sheet shows but does not change.
        package var otherCodes: [String]
    }

    /// The source's name.
    public var sourceName: String
    /// The source's file name.
    public var fileName: String
    /// The source's GUID.
    package var sourceGUID: String
    /// The digest of the source's text and segmentation (`SourceDigest`).
    package var digest: String
    /// The coder whose codes the sheet holds.
    public var coder: String
    /// The segments in order.
    public var entries: [Entry]

    /// The first line of every sheet.
    static let signature = "<!-- quill coding sheet v1: edit the 'codes:' lines, then run 'quill sheet apply' on this file -->"

    /// The sheet as Markdown, with LF line ends.
    public func render() -> String {
        var lines = [Self.signature, "", "# Coding sheet: \(sourceName)", ""]
        lines += [
            "- Source: \(sourceName) (\(fileName))",
            "- Source GUID: \(sourceGUID)",
            "- Digest: \(digest)",
            "- Coder: \(coder)",
            "",
            "Each segment's `codes:` line lists \(coder)'s codes on the whole segment, by path or unique name, "
                + "separated by `;`. Add a code to code the segment, delete one to remove that coding. "
                + "Codings of other coders and codings of part of a segment are not changed.",
            "",
        ]
        for entry in entries {
            var heading = "## \(entry.number)"
            if let speaker = SegmentView.speakerLabel(entry.speaker, role: entry.role, isInterviewer: entry.isInterviewer) {
                heading += " · " + speaker
            }
            lines.append(heading + "  " + Self.marker(for: entry))
            lines.append("")
            lines += entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }
            lines.append("")
            if !entry.otherCodes.isEmpty {
                lines.append(
                    "_Also yours here, on part of the segment or beyond it (not changed by this sheet): "
                        + entry.otherCodes.joined(separator: "; ") + "_")
                lines.append("")
            }
            lines.append(("codes: " + entry.codes.joined(separator: "; ")).trimmingCharacters(in: .whitespaces))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// The marker that identifies a segment: its number, offsets and text hash.
    static func marker(for entry: Entry) -> String {
        "<!-- seg:\(entry.number) \(entry.span.start)-\(entry.span.end) \(textHash(entry.text)) -->"
    }

    /// A short hash of a segment's text.
    static func textHash(_ text: String) -> String {
        String(StableID.sha256(Data(text.utf8)).prefix(8))
    }
}

/// The digest of a source's text and segmentation, which tells whether a sheet still fits it.
public enum SourceDigest {
    /// The first 16 hexadecimal digits of a SHA-256 over the text and every segment's number and span.
    public static func make(text: String, segments: [(number: Int, span: TextSpan)]) -> String {
        var data = Data(text.utf8)
        for segment in segments {
            data.append(Data("\n\(segment.number):\(segment.span.start)-\(segment.span.end)".utf8))
        }
        return String(StableID.sha256(data).prefix(16))
    }
}

/// A coding sheet as read back from a file: what it identifies and the `codes:` lines.
public struct ParsedSheet: Equatable, Sendable {
    /// One segment's block.
    public struct Block: Equatable, Sendable {
        /// The segment number in the marker.
        public var number: Int
        /// The span in the marker.
        public var span: TextSpan
        /// The text hash in the marker.
        package var hash: String
        /// The line of the marker.
        public var line: Int
        /// The `codes:` line: its line number and the code names on it; nil when the block has none.
        public var codes: (line: Int, names: [String])?

        public static func == (lhs: Block, rhs: Block) -> Bool {
            (lhs.number, lhs.span, lhs.hash, lhs.line) == (rhs.number, rhs.span, rhs.hash, rhs.line)
                && lhs.codes?.line == rhs.codes?.line && lhs.codes?.names == rhs.codes?.names
        }
    }

    /// The file the sheet was read from, for messages.
    public var path: String
    /// The source GUID, digest and coder of the header.
    package var sourceGUID: String
    package var digest: String
    public var coder: String
    /// The segment blocks in the order of the file.
    public var blocks: [Block]

    /// Reads a sheet. CRLF and CR line ends and a byte order mark are accepted.
    /// - Throws: `QuillError.badInput` naming the file and the line of the first problem.
    public static func parse(_ text: String, path: String) throws -> ParsedSheet {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let normalized = TextDecoder.lineFeeds(text)
        var header: [String: String] = [:]
        var blocks: [Block] = []
        var seen: [Int: Int] = [:]
        func fail(_ line: Int, _ problem: String, _ remedy: String) -> QuillError {
            lineError(path, line, problem, remedy)
        }
        for (offset, raw) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(">") { continue }
            if line.contains("<!-- seg:") || line.contains("<!--seg:") {
                guard let marker = Marker(line) else {
                    throw QuillError.badInputRemedied(
                        path: path, problem: "line \(number): the segment marker is damaged", remedy: .restoreDamagedMarker)
                }
                if let earlier = seen[marker.number] {
                    throw fail(
                        number, "segment \(marker.number) appears a second time (first on line \(earlier))",
                        "Keep one block for each segment.")
                }
                seen[marker.number] = number
                blocks.append(Block(number: marker.number, span: marker.span, hash: marker.hash, line: number, codes: nil))
                continue
            }
            if let names = codesLine(line) {
                guard let last = blocks.indices.last else {
                    throw fail(
                        number, "a 'codes:' line comes before the first segment heading",
                        "Write each 'codes:' line below the heading of its segment.")
                }
                if let earlier = blocks[last].codes?.line {
                    throw fail(
                        number, "segment \(blocks[last].number) has a second 'codes:' line (the first is on line \(earlier))",
                        "Write all of a segment's codes on one line, separated by ';'.")
                }
                blocks[last].codes = (number, names)
                continue
            }
            if isMistypedCodesLine(line) {
                throw fail(
                    number, "this looks like a 'codes:' line but is not written as one",
                    "Write it as 'codes: ' followed by the codes, separated by ';'.")
            }
            if blocks.isEmpty, let (key, value) = headerLine(line) {
                header[key] = value
            }
        }
        var values: [String] = []
        for (key, label) in [("source guid", "Source GUID"), ("digest", "Digest"), ("coder", "Coder")] {
            guard let value = header[key], !value.isEmpty else {
                throw QuillError.badInputRemedied(
                    path: path, problem: "the header has no '\(label):' line, so the sheet does not say what it is for",
                    remedy: .writeNewSheet(source: nil))
            }
            values.append(value)
        }
        return ParsedSheet(path: path, sourceGUID: values[0], digest: values[1], coder: values[2], blocks: blocks)
    }

    /// The error for a problem on a line of a sheet, which says that nothing was applied.
    static func lineError(_ path: String, _ line: Int, _ problem: String, _ remedy: String) -> QuillError {
        .badInput(path: path, problem: "line \(line): \(problem)", remedy: remedy + " Nothing was applied.")
    }

    /// The code names of a `codes:` line (which may be a list item), or nil for another line.
    static func codesLine(_ line: String) -> [String]? {
        var rest = Substring(line)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { rest = rest.dropFirst(2).drop { $0 == " " } }
        guard rest.lowercased().hasPrefix("codes"), let colon = rest.firstIndex(of: ":"),
            rest[rest.index(rest.startIndex, offsetBy: 5)..<colon].allSatisfy({ $0 == " " })
        else { return nil }
        return splitCodes(String(rest[rest.index(after: colon)...]), separators: [";"])
    }

    /// Whether a line that is not a `codes:` line starts like one (`code: X`, `codes = X`), so
    /// that a slip of the keyboard does not silently drop its codes.
    static func isMistypedCodesLine(_ line: String) -> Bool {
        var rest = Substring(line.lowercased())
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { rest = rest.dropFirst(2).drop { $0 == " " } }
        let word = rest.prefix { $0.isLetter }
        guard word == "code" || word == "codes" else { return false }
        let after = rest.dropFirst(word.count).drop { $0 == " " }
        return after.isEmpty || after.first == ":" || after.first == "="
    }

    /// Code names separated by any of some characters, trimmed, without empty ones.
    static func splitCodes(_ text: String, separators: Set<Character>) -> [String] {
        text.split(whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A header line such as `- Coder: alice`, as a lowercased key and its value.
    private static func headerLine(_ line: String) -> (String, String)? {
        var rest = Substring(line)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { rest = rest.dropFirst(2) }
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let key = rest[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        guard ["source guid", "digest", "coder"].contains(key) else { return nil }
        return (key, rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// A segment marker: `<!-- seg:12 1234-1290 9f3a2b1c -->`.
    private struct Marker {
        var number: Int
        var span: TextSpan
        var hash: String

        init?(_ line: String) {
            guard let open = line.range(of: "<!--"), let close = line.range(of: "-->", range: open.upperBound..<line.endIndex) else { return nil }
            let body = line[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix("seg:") else { return nil }
            let parts = body.dropFirst(4).split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3, let number = Int(parts[0]), number >= 1 else { return nil }
            let bounds = parts[1].split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] >= 0, bounds[0] < bounds[1],
                parts[2].count == 8, parts[2].allSatisfy(\.isHexDigit)
            else { return nil }
            self.number = number
            span = TextSpan(start: bounds[0], end: bounds[1])
            hash = parts[2].lowercased()
        }
    }
}
