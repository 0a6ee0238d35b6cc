import Foundation
import Yams

extension Codebook {
    /// Reads a codebook from YAML text.
    ///
    /// Every mistake is reported with the file, the line and what to do: unknown keys (a typo
    /// such as `keywrds` would otherwise be ignored), missing names, siblings with the same
    /// name, repeated or malformed GUIDs, colours that are not `#RRGGBB`.
    /// - Parameters:
    ///   - yaml: the text of the file.
    ///   - file: the file's name, for messages.
    /// - Throws: `QuillError.badInput`.
    public static func parseYAML(_ yaml: String, file: String) throws -> Codebook {
        // `color: #1B7F5F` unquoted is a YAML comment: the colour would vanish in silence.
        for (number, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            if trimmed.hasPrefix("color:"), trimmed.dropFirst("color:".count).drop(while: { $0 == " " }).hasPrefix("#") {
                throw QuillError.badInput(
                    path: file, problem: "line \(number + 1): the colour is not quoted, so YAML reads it as a comment",
                    remedy: "Write it in quotes: color: '\(trimmed.dropFirst("color:".count).trimmingCharacters(in: .whitespaces))'.")
            }
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw QuillError.badInput(
                path: file, problem: "this is not valid YAML (\(Self.describe(error)))",
                remedy: "Fix the YAML syntax at that place and import again.")
        }
        guard let root, case .mapping(let mapping) = root else {
            let place = root?.mark.map { "line \($0.line): " } ?? ""
            throw QuillError.badInput(
                path: file, problem: place + "a codebook must be a YAML mapping with 'name' and 'codes'",
                remedy: "See Codebooks/lhs-framework.yaml for the layout.")
        }
        var reader = NodeReader(file: file)
        try reader.checkKeys(mapping, allowed: codebookKeys, what: "the codebook")
        let name = try reader.string(mapping, "name", required: true) ?? ""
        guard case .sequence(let codesNode)? = mapping["codes"] else {
            throw reader.error(at: root, "the codebook has no 'codes' list", "Add 'codes:' with a list of codes.")
        }
        let codes = try reader.codes(codesNode, parentPath: [])
        return Codebook(
            name: name,
            description: try reader.string(mapping, "description"),
            source: try reader.string(mapping, "source"),
            codes: codes)
    }

    /// The codebook as YAML, in the layout `parseYAML` reads: the same codebook gives the same
    /// bytes, and reading them back gives the same codebook.
    public func yaml() -> String {
        var top: [(Yams.Node, Yams.Node)] = [(key("name"), yamlScalar(name))]
        if let description { top.append((key("description"), yamlScalar(description))) }
        if let source { top.append((key("source"), yamlScalar(source))) }
        top.append((key("codes"), .sequence(.init(codes.map(Self.node(for:))))))
        let document = Yams.Node.mapping(.init(top))
        do {
            return try Yams.serialize(node: document, indent: 2, width: 100, allowUnicode: true)
        } catch {
            preconditionFailure("A codebook built from strings always serialises: \(error)")
        }
    }

    private static func node(for code: Node) -> Yams.Node {
        var pairs: [(Yams.Node, Yams.Node)] = [(key("name"), yamlScalar(code.name))]
        if let guid = code.guid { pairs.append((key("guid"), yamlScalar(guid))) }
        if !code.isCodable { pairs.append((key("codable"), Yams.Node("false", .init(.bool), .plain))) }
        if let definition = code.definition { pairs.append((key("definition"), yamlScalar(definition))) }
        if let include = code.include { pairs.append((key("include"), yamlScalar(include))) }
        if let exclude = code.exclude { pairs.append((key("exclude"), yamlScalar(exclude))) }
        if !code.examples.isEmpty {
            pairs.append((key("examples"), .sequence(.init(code.examples.map(yamlScalar)))))
        }
        if !code.keywords.isEmpty {
            pairs.append((key("keywords"), .sequence(.init(code.keywords.map(yamlScalar)))))
        }
        if !code.rules.isEmpty {
            pairs.append((key("rules"), .sequence(.init(code.rules.map(\.yamlNode)))))
        }
        if let color = code.color { pairs.append((key("color"), yamlScalar(color))) }
        if !code.children.isEmpty {
            pairs.append((key("children"), .sequence(.init(code.children.map(node(for:))))))
        }
        return .mapping(.init(pairs))
    }

    /// A YAML error in words, with its line and column.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        default:
            return "\(error)"
        }
    }
}

private let codebookKeys: Set<String> = ["name", "description", "source", "codes"]
private let codeKeys: Set<String> = [
    "name", "guid", "definition", "include", "exclude", "examples", "keywords", "rules", "color", "codable", "children",
]

private func key(_ text: String) -> Yams.Node { Yams.Node(text) }

/// A string scalar that reads back as a string: multi-line text as a literal block, and
/// anything YAML would read as another type (`yes`, `1.0`, `null`) quoted.
func yamlScalar(_ text: String) -> Yams.Node {
    if text.contains("\n") && !text.hasSuffix("\n") && !text.hasPrefix(" ")
        && !text.contains(where: { $0 == "\r" || $0 == "\t" })
    {
        return Yams.Node(text, .init(.str), .literal)
    }
    // The emitter writes any scalar plain when it can, whatever its tag; quote what a reader
    // would otherwise take for a boolean, a number or null.
    if Yams.Resolver.default.resolveTag(of: Yams.Node(text)) != .str {
        return Yams.Node(text, .init(.str), .singleQuoted)
    }
    return Yams.Node(text, .init(.str), .any)
}

/// Reads the parts of a composed YAML document, turning each mistake into a message with a line.
struct NodeReader {
    let file: String
    var seenGUIDs: [String: Int] = [:]

    init(file: String) {
        self.file = file
    }

    func error(at node: Yams.Node?, _ problem: String, _ remedy: String) -> QuillError {
        let place = node?.mark.map { "line \($0.line): " } ?? ""
        return .badInput(path: file, problem: place + problem, remedy: remedy)
    }

    func error(at node: Yams.Node?, _ problem: String, remedy: Remedy) -> QuillError {
        let place = node?.mark.map { "line \($0.line): " } ?? ""
        return .badInputRemedied(path: file, problem: place + problem, remedy: remedy)
    }

    func checkKeys(_ mapping: Yams.Node.Mapping, allowed: Set<String>, what: String) throws {
        for (keyNode, _) in mapping {
            guard let name = keyNode.string, allowed.contains(name) else {
                let shown = keyNode.string ?? "(not a string)"
                throw error(
                    at: keyNode, "unknown key '\(shown)' in \(what)",
                    "Allowed keys: \(allowed.sorted().joined(separator: ", ")).")
            }
        }
    }

    func string(_ mapping: Yams.Node.Mapping, _ name: String, required: Bool = false, in what: String = "the codebook") throws -> String? {
        guard let value = mapping[name] else {
            if required {
                throw error(at: Yams.Node.mapping(mapping), "\(what) has no '\(name)'", "Add '\(name): ...'.")
            }
            return nil
        }
        guard case .scalar(let scalar) = value else {
            throw error(at: value, "'\(name)' in \(what) must be text, not a list or mapping", "Write it as one line or a '|' block.")
        }
        if scalar.isNull {
            if required { throw error(at: value, "'\(name)' in \(what) is empty", "Give it a value.") }
            return nil
        }
        let text = scalar.string
        if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw error(at: value, "'\(name)' in \(what) is empty", "Give it a value.")
        }
        return text
    }

    func strings(_ mapping: Yams.Node.Mapping, _ name: String, in what: String) throws -> [String] {
        guard let value = mapping[name] else { return [] }
        if case .scalar(let scalar) = value, scalar.isNull {
            return []
        }
        guard case .sequence(let sequence) = value else {
            throw error(at: value, "'\(name)' in \(what) must be a list", "Write one item per line, each starting with '- '.")
        }
        return try sequence.map { item in
            guard case .scalar(let scalar) = item,
                !scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                throw error(at: item, "an item of '\(name)' in \(what) is empty or not text", "Remove it or write it as text.")
            }
            return scalar.string
        }
    }

    mutating func codes(_ sequence: Yams.Node.Sequence, parentPath: [String]) throws -> [Codebook.Node] {
        var siblings: [String: String] = [:]
        var result: [Codebook.Node] = []
        for item in sequence {
            guard case .mapping(let mapping) = item else {
                throw error(at: item, "a code must be a mapping with at least 'name'", "Write '- name: ...' for each code.")
            }
            let place = parentPath.isEmpty ? "a top-level code" : "a child of '\(CodePath.display(parentPath))'"
            try checkKeys(mapping, allowed: codeKeys, what: place)
            guard
                let name = try string(mapping, "name", required: true, in: place)?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            else { continue }
            if name.contains(CodePath.separator) {
                throw error(
                    at: mapping["name"], "the code name '\(name)' contains '\(CodePath.separator)', which separates names in code paths",
                    "Rename it, for example with ' or ' or '-' instead.")
            }
            let path = parentPath + [name]
            let what = "code '\(CodePath.display(path))'"
            if let earlier = siblings[CodePath.fold(name)] {
                throw error(
                    at: mapping["name"], "two codes under the same parent are both called '\(name)' (the first: '\(earlier)')",
                    "Rename one of them or merge their definitions.")
            }
            siblings[CodePath.fold(name)] = name

            var guid: String?
            if let text = try string(mapping, "guid", in: what) {
                guard let normalized = StableID.normalized(text) else {
                    throw error(
                        at: mapping["guid"], "'\(text)' in \(what) is not a GUID",
                        "Write it as 8-4-4-4-12 hexadecimal digits, or remove it and Quill derives one.")
                }
                if let line = seenGUIDs[normalized] {
                    throw error(
                        at: mapping["guid"], "\(what) repeats the GUID \(normalized) of the code on line \(line)",
                        "Every code needs its own GUID; remove this one and Quill derives one.")
                }
                seenGUIDs[normalized] = mapping["guid"]?.mark?.line ?? 0
                guid = normalized
            }

            var color: String?
            if let text = try string(mapping, "color", in: what) {
                guard let normalized = CodeColor.normalized(text) else {
                    throw error(
                        at: mapping["color"], "the colour '\(text)' of \(what) is not #RRGGBB",
                        "Write it as '#1B7F5F' (quoted, since # starts a comment).")
                }
                color = normalized
            }

            var isCodable = true
            if let value = mapping["codable"] {
                guard let flag = value.bool else {
                    throw error(at: value, "'codable' in \(what) must be true or false", "Write 'codable: false' for a code that only groups others.")
                }
                isCodable = flag
            }

            var children: [Codebook.Node] = []
            if let value = mapping["children"] {
                switch value {
                case .sequence(let childSequence):
                    children = try codes(childSequence, parentPath: path)
                case .scalar(let scalar) where scalar.isNull:
                    children = []
                default:
                    throw error(at: value, "'children' of \(what) must be a list of codes", "Write 'children:' followed by '- name: ...' items.")
                }
            }

            var rules: [AutocodeRule] = []
            if let value = mapping["rules"] {
                switch value {
                case .sequence(let ruleSequence):
                    for (index, item) in ruleSequence.enumerated() {
                        let place = "rule \(index + 1) of \(what)" + (item.mark.map { " (line \($0.line))" } ?? "")
                        guard case .mapping(let ruleMapping) = item else {
                            throw error(at: item, "\(place) must be a mapping", "Write '- regex: ...', '- speaker_role: ...' or another condition.")
                        }
                        rules.append(try rule(ruleMapping, place: place))
                    }
                case .scalar(let scalar) where scalar.isNull:
                    rules = []
                default:
                    throw error(at: value, "'rules' of \(what) must be a list of rules", "Write 'rules:' followed by '- regex: ...' items.")
                }
            }

            result.append(
                Codebook.Node(
                    name: name, guid: guid,
                    definition: try string(mapping, "definition", in: what),
                    include: try string(mapping, "include", in: what),
                    exclude: try string(mapping, "exclude", in: what),
                    examples: try strings(mapping, "examples", in: what),
                    keywords: try strings(mapping, "keywords", in: what), rules: rules,
                    color: color, isCodable: isCodable, children: children))
        }
        return result
    }
}

/// Code colours.
public enum CodeColor {
    /// A colour as upper-case `#RRGGBB`, from `#RRGGBB` or `#RGB`; nil when it is neither.
    package static func normalized(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#") else { return nil }
        let hex = trimmed.dropFirst()
        guard hex.allSatisfy(\.isHexDigit) else { return nil }
        switch hex.count {
        case 6: return "#" + hex.uppercased()
        case 3: return "#" + hex.map { "\($0)\($0)" }.joined().uppercased()
        default: return nil
        }
    }
}

extension Yams.Node.Scalar {
    /// Whether YAML reads the scalar as null: nothing, `~` or `null`, unquoted.
    var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(string)
    }
}
