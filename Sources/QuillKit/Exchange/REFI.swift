import Foundation

/// The names and conventions of the REFI-QDA exchange standard that Quill's export and import
/// share.
public enum REFI {
    /// The project namespace Quill writes.
    static let projectNamespace = "urn:QDA-XML:project:1.0"
    /// The codebook namespace Quill writes.
    static let codebookNamespace = "urn:QDA-XML:codebook:1.0"
    /// The prefix every project namespace version shares.
    static let projectNamespacePrefix = "urn:QDA-XML:project:"
    /// The prefix every codebook namespace version shares.
    static let codebookNamespacePrefix = "urn:QDA-XML:codebook:"
    /// The canonical schema locations, from the specification.
    static let projectSchemaLocation = "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
    static let codebookSchemaLocation = "urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"

    /// The `typeOfVariable` of an attribute type.
    static func variableType(_ type: AttributeType) -> String {
        switch type {
        case .text: return "Text"
        case .boolean: return "Boolean"
        case .integer: return "Integer"
        case .float: return "Float"
        case .date: return "Date"
        case .datetime: return "DateTime"
        }
    }

    /// The attribute type of a `typeOfVariable`, read without regard to case.
    static func attributeType(_ variableType: String) -> AttributeType? {
        AttributeType.allCases.first { self.variableType($0).lowercased() == variableType.lowercased() }
    }

    /// The element that holds a value of a type inside `VariableValue`.
    static func valueElement(_ type: AttributeType) -> String {
        variableType(type) + "Value"
    }

    /// A stored value as the schema's type for it wants it: decimals without an exponent.
    static func schemaValue(_ value: String, type: AttributeType) -> String {
        guard type == .float, value.contains(where: { $0 == "e" || $0 == "E" }),
            let decimal = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX"))
        else { return value }
        return decimal.description
    }

    /// The GUID of the selection that covers a range of a source.
    static func selectionGUID(sourceGUID: String, start: Int, end: Int) -> String {
        StableID.make("selection", "\(sourceGUID):\(start)-\(end)")
    }

    /// The GUID of the note that carries a coding's own memo (the `memo` of a batch row).
    static func codingMemoGUID(codingGUID: String) -> String {
        StableID.make("coding memo", codingGUID)
    }

    /// The GUID of the link that attaches a case's memo to the case.
    static func memoLinkGUID(memoGUID: String) -> String {
        StableID.make("memo link", memoGUID)
    }

    /// The file name of a source's text inside a `.qdpx`.
    static func internalFileName(sourceGUID: String) -> String {
        "\(sourceGUID).txt"
    }
}

// MARK: - Code descriptions

/// A code's definition, inclusion and exclusion criteria, examples and keywords, written into
/// the one `Description` REFI-QDA gives a code, in a layout people can read and Quill can read
/// back:
///
///     The definition, in as many lines as it has.
///
///     Inclusion criteria: when to apply it.
///
///     Exclusion criteria: when not to.
///
///     Examples:
///     - a passage
///
///     Keywords:
///     - a keyword
///
///     Autocode rules:
///     - {"regex":"wait(ing)? list"}
///
/// A description written by another tool, without these headings, is read as the definition.
public struct CodeDescription: Equatable, Sendable {
    public var definition: String?
    public var include: String?
    package var exclude: String?
    package var examples: [String]
    public var keywords: [String]
    /// Autocoding rules, each written as the JSON the project stores.
    public var rules: [AutocodeRule]

    package init(
        definition: String? = nil, include: String? = nil, exclude: String? = nil,
        examples: [String] = [], keywords: [String] = [], rules: [AutocodeRule] = []
    ) {
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.examples = examples
        self.keywords = keywords
        self.rules = rules
    }

    private static let includeHeading = "Inclusion criteria:"
    private static let excludeHeading = "Exclusion criteria:"
    private static let examplesHeading = "Examples:"
    private static let keywordsHeading = "Keywords:"
    private static let rulesHeading = "Autocode rules:"

    private static var headings: [String] { [includeHeading, excludeHeading, examplesHeading, keywordsHeading, rulesHeading] }

    /// Free text with every line that could be read as a heading, or that starts with the
    /// escape, marked with a backslash.
    private static func escaped(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("\\") || headings.contains(where: { line.hasPrefix($0) }) ? "\\" + line : String(line)
        }.joined(separator: "\n")
    }

    /// The description's text, or nil when there is nothing to say.
    public var text: String? {
        var blocks: [String] = []
        if let definition = Self.present(definition) { blocks.append(Self.escaped(definition)) }
        if let include = Self.present(include) { blocks.append("\(Self.includeHeading) \(Self.escaped(include))") }
        if let exclude = Self.present(exclude) { blocks.append("\(Self.excludeHeading) \(Self.escaped(exclude))") }
        for (heading, items) in [
            (Self.examplesHeading, examples), (Self.keywordsHeading, keywords),
            (Self.rulesHeading, rules.map(\.storedForm)),
        ] where !items.isEmpty {
            blocks.append(([heading] + items.map { "- " + $0.replacingOccurrences(of: "\n", with: "\n  ") }).joined(separator: "\n"))
        }
        return blocks.isEmpty ? nil : blocks.joined(separator: "\n\n")
    }

    /// Reads a description back into its parts.
    package init(parsing text: String?) {
        self.init()
        guard let text else { return }
        enum Part { case definition, include, exclude, examples, keywords, rules }
        var part = Part.definition
        var lines: [Part: [String]] = [:]
        for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let headings: [(String, Part)] = [
                (Self.includeHeading, .include), (Self.excludeHeading, .exclude),
                (Self.examplesHeading, .examples), (Self.keywordsHeading, .keywords),
                (Self.rulesHeading, .rules),
            ]
            if line.hasPrefix("\\") {
                lines[part, default: []].append(String(line.dropFirst()))
            } else if let (heading, next) = headings.first(where: { line.hasPrefix($0.0) }) {
                part = next
                var rest = line.dropFirst(heading.count).trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("\\") { rest.removeFirst() }
                lines[part, default: []].append(contentsOf: rest.isEmpty ? [] : [rest])
            } else {
                lines[part, default: []].append(line)
            }
        }
        func block(_ part: Part) -> String? {
            Self.present(lines[part]?.joined(separator: "\n"))
        }
        func list(_ part: Part) -> [String] {
            var items: [String] = []
            for line in lines[part] ?? [] {
                if line.hasPrefix("- ") {
                    items.append(String(line.dropFirst(2)))
                } else if line.hasPrefix("  "), !items.isEmpty {
                    items[items.count - 1] += "\n" + line.dropFirst(2)
                } else if let item = Self.present(line) {
                    items.append(item)
                }
            }
            return items
        }
        definition = block(.definition)
        include = block(.include)
        exclude = block(.exclude)
        examples = list(.examples)
        keywords = list(.keywords)
        rules = list(.rules).compactMap { try? AutocodeRule.fromStoredForm($0) }
    }

    private static func present(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
