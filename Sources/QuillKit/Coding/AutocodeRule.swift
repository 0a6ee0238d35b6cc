import Foundation
import Yams

/// A rule for autocoding a code, beyond the code's keywords: its conditions must all hold for
/// a segment to be proposed for the code.
///
/// In YAML, under a code's `rules:` (or with a `code:` in a rules file):
///
/// ```yaml
/// - regex: "\\bwait(ing)? (list|time)s?\\b"       # case-insensitive unless case_sensitive: true
/// - speaker_role: interviewee                     # or interviewer, or a role in brackets
///   keywords_any: [waiting, delay]
/// - speaker: Dr Okafor
/// - where: role=librarian                         # case or source attributes, as --where
/// ```
public struct AutocodeRule: Codable, Equatable, Sendable {
    /// Words and phrases, matched as code keywords are; any one of them satisfies the rule.
    package var keywordsAny: [String]
    /// A regular expression (ICU syntax, as NSRegularExpression reads it).
    public var regex: String?
    /// Whether the regular expression tells capitals from small letters.
    package var isCaseSensitive: Bool
    /// A speaker's name or their case's name.
    public var speaker: String?
    /// `interviewer`, `interviewee` (anyone with a case who is not an interviewer), or a role
    /// written in brackets after a speaker's name (`Speaker B (Project Manager)`).
    package var speakerRole: String?
    /// Attribute conditions as `--where` takes them (`role=librarian`): several values of one
    /// attribute are alternatives, conditions on different attributes must all hold.
    public var conditions: [String]

    /// Creates a rule.
    package init(
        keywordsAny: [String] = [], regex: String? = nil, isCaseSensitive: Bool = false, speaker: String? = nil,
        speakerRole: String? = nil, conditions: [String] = []
    ) {
        self.keywordsAny = keywordsAny
        self.regex = regex
        self.isCaseSensitive = isCaseSensitive
        self.speaker = speaker
        self.speakerRole = speakerRole
        self.conditions = conditions
    }

    /// Whether the rule names whom it is about, so that it also reads what interviewers say.
    var namesSpeaker: Bool { speaker != nil || speakerRole != nil }

    /// The rule in one line, as proposals show which rule fired:
    /// `speaker_role interviewee + keywords_any [waiting, delay]`.
    public var summary: String {
        var parts: [String] = []
        if let regex { parts.append("regex /\(regex)/" + (isCaseSensitive ? "" : "i")) }
        if let speaker { parts.append("speaker \(speaker)") }
        if let speakerRole { parts.append("speaker_role \(speakerRole)") }
        if !conditions.isEmpty { parts.append("where " + conditions.joined(separator: ", ")) }
        if !keywordsAny.isEmpty { parts.append("keywords_any [" + keywordsAny.joined(separator: ", ") + "]") }
        return parts.joined(separator: " + ")
    }

    /// The rule's regular expression, compiled, with the step limit every search of it keeps.
    /// - Throws: `QuillError.badInput` naming `place` (the file and the rule) when it does not compile.
    func compiledRegex(place: String, file: String) throws -> BoundedRegex? {
        guard let regex else { return nil }
        do {
            return BoundedRegex(try NSRegularExpression(pattern: regex, options: isCaseSensitive ? [] : [.caseInsensitive]))
        } catch {
            throw QuillError.badInput(
                path: file, problem: "\(place): the regular expression /\(regex)/ does not compile",
                remedy: "Fix it (ICU syntax; in double quotes write \\\\b for \\b), or quote it in single quotes.")
        }
    }

    /// The rule as JSON, as the project stores it.
    var storedForm: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A rule from its stored form.
    static func fromStoredForm(_ text: String) throws -> AutocodeRule {
        try JSONDecoder().decode(AutocodeRule.self, from: Data(text.utf8))
    }
}

/// A rule of a rules file: a code and a rule for it.
public struct CodeRule: Equatable, Sendable {
    /// The code as written in the file (a path or a unique name).
    public var code: String
    /// The rule.
    public var rule: AutocodeRule
    /// Where it is, for messages: `rule 2 (line 7)`.
    public var place: String
}

/// A rules file for `quill autocode --rules`: `rules:`, a list of rules each with a `code:`.
public struct RulesFile: Equatable, Sendable {
    /// The file's name, for messages.
    public var file: String
    /// The rules in the file's order.
    public var rules: [CodeRule]

    /// Reads and checks a rules file: its layout, keys and regular expressions. Which codes it
    /// names is checked against a project when it is used.
    /// - Throws: `QuillError.badInput` naming the file, the rule and its line.
    public static func parse(_ yaml: String, file: String) throws -> RulesFile {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw QuillError.badInput(
                path: file, problem: "this is not valid YAML (\(Codebook.describe(error)))",
                remedy: "Fix the YAML syntax at that place and try again.")
        }
        let reader = NodeReader(file: file)
        guard let root, case .mapping(let mapping) = root, case .sequence(let list)? = mapping["rules"] else {
            throw reader.error(
                at: root, "a rules file must be a mapping with a 'rules' list",
                "Write 'rules:' and under it items such as '- code: Barriers' with 'regex: ...'.")
        }
        try reader.checkKeys(mapping, allowed: ["rules"], what: "the rules file")
        var rules: [CodeRule] = []
        for (index, item) in list.enumerated() {
            let place = "rule \(index + 1)" + (item.mark.map { " (line \($0.line))" } ?? "")
            guard case .mapping(let ruleMapping) = item else {
                throw reader.error(
                    at: item, "\(place) must be a mapping with 'code' and a condition",
                    "Write '- code: NAME' and then 'regex: ...' or another condition.")
            }
            guard let code = try reader.string(ruleMapping, "code", required: true, in: place) else { continue }
            var conditions = ruleMapping
            conditions["code"] = nil
            let rule = try reader.rule(conditions, place: place)
            rules.append(CodeRule(code: code, rule: rule, place: place))
        }
        return RulesFile(file: file, rules: rules)
    }
}

/// The keys a rule may have.
let ruleKeys: Set<String> = ["keywords_any", "regex", "case_sensitive", "speaker", "speaker_role", "where"]

extension NodeReader {
    /// Reads one rule, checking its keys, its conditions and its regular expression.
    func rule(_ mapping: Yams.Node.Mapping, place: String) throws -> AutocodeRule {
        try checkKeys(mapping, allowed: ruleKeys, what: place)
        var rule = AutocodeRule()
        rule.keywordsAny = try strings(mapping, "keywords_any", in: place)
        rule.regex = try string(mapping, "regex", in: place)
        if let value = mapping["case_sensitive"] {
            guard let flag = value.bool else {
                throw error(at: value, "'case_sensitive' in \(place) must be true or false", "Write 'case_sensitive: true' or leave it out.")
            }
            rule.isCaseSensitive = flag
        }
        rule.speaker = try string(mapping, "speaker", in: place)?.trimmingCharacters(in: .whitespaces)
        rule.speakerRole = try string(mapping, "speaker_role", in: place)?.trimmingCharacters(in: .whitespaces)
        if case .scalar? = mapping["where"] {
            rule.conditions = [try string(mapping, "where", in: place)].compactMap { $0 }
        } else {
            rule.conditions = try strings(mapping, "where", in: place)
        }
        for condition in rule.conditions where Assignment(condition) == nil {
            throw error(at: mapping["where"], "'where: \(condition)' in \(place) is not ATTRIBUTE=VALUE", remedy: .whereSyntax)
        }
        if rule.regex?.isEmpty == true || rule.speaker?.isEmpty == true || rule.speakerRole?.isEmpty == true {
            throw error(at: nil, "\(place) has an empty condition", "Give every condition a value, or remove it.")
        }
        if rule.keywordsAny.isEmpty && rule.regex == nil && rule.speaker == nil && rule.speakerRole == nil && rule.conditions.isEmpty {
            throw error(
                at: nil, "\(place) has no condition",
                "Give it at least one of: \(ruleKeys.subtracting(["case_sensitive"]).sorted().joined(separator: ", ")).")
        }
        if rule.isCaseSensitive && rule.regex == nil {
            throw error(at: mapping["case_sensitive"], "'case_sensitive' in \(place) only applies to a 'regex'", "Remove it, or add a 'regex'.")
        }
        _ = try rule.compiledRegex(place: place, file: file)
        return rule
    }
}

extension AutocodeRule {
    /// The rule as a YAML mapping, keys in a fixed order.
    var yamlNode: Yams.Node {
        var pairs: [(Yams.Node, Yams.Node)] = []
        if let regex { pairs.append((Yams.Node("regex"), yamlScalar(regex))) }
        if isCaseSensitive { pairs.append((Yams.Node("case_sensitive"), Yams.Node("true", .init(.bool), .plain))) }
        if let speaker { pairs.append((Yams.Node("speaker"), yamlScalar(speaker))) }
        if let speakerRole { pairs.append((Yams.Node("speaker_role"), yamlScalar(speakerRole))) }
        if conditions.count == 1 {
            pairs.append((Yams.Node("where"), yamlScalar(conditions[0])))
        } else if !conditions.isEmpty {
            pairs.append((Yams.Node("where"), .sequence(.init(conditions.map(yamlScalar)))))
        }
        if !keywordsAny.isEmpty { pairs.append((Yams.Node("keywords_any"), .sequence(.init(keywordsAny.map(yamlScalar))))) }
        return .mapping(.init(pairs))
    }
}

/// `NAME=VALUE`, as `--where` and rules' `where` take it.
public struct Assignment: Sendable, Equatable {
    /// The name, trimmed.
    public var key: String
    /// The value, trimmed.
    public var value: String

    /// Reads `NAME=VALUE`; nil when there is no `=` or either side is empty.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        key = text[..<equals].trimmingCharacters(in: .whitespaces)
        value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if key.isEmpty || value.isEmpty { return nil }
    }
}
