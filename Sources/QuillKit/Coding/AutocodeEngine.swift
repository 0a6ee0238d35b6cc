import Foundation
import GRDB

/// The codebook's keywords and rules, and rules files' rules, compiled once for a run: every
/// keyword of every rule goes into one `KeywordMatcher`, so a segment's text is read once for
/// all of them; regular expressions are compiled once; attribute conditions are normalised once.
struct AutocodeEngine {
    /// A segment as the rules see it.
    struct Segment {
        var sourceID: Int64
        var speaker: String?
        var caseID: Int64?
        var caseName: String?
        var role: String?
        var isInterviewer: Bool
        /// False for an interviewer's segment when interviewers are left out: then only rules
        /// that name a speaker or a role read it.
        var readsInterviewers: Bool
    }

    /// A code whose rules fired on a segment.
    struct Hit {
        var codeID: Int64
        /// The rules that fired, in order, in one line each.
        var rules: [String]
        /// What they matched, in order, without repeats.
        var matched: [String]
    }

    /// A rule's regular expression that took more steps than the limit on a segment.
    struct RegexStopped: Error {
        /// The rules file, or `the codebook`.
        var file: String
        /// The rule: `rule 2 (line 7)`, or `rule 1 of code 'Access'`.
        var place: String
        /// The expression as written.
        var pattern: String
        /// The limit it went past.
        var limit: BoundedRegex.LimitExceeded

        /// The error for the user, naming the segment: `segment 3 of interview-03`.
        func error(segment: String) -> QuillError {
            limit.error(file: file, place: place, pattern: pattern, segment: segment)
        }
    }

    private struct Rule {
        var codeID: Int64
        var label: String
        var hasKeywords: Bool
        var regex: BoundedRegex?
        /// The file and the place of the rule, for messages.
        var file = ""
        var place = ""
        var speaker: String?
        var role: String?
        var conditions: AttributeConditions?
        var conditionText: String
        var namesSpeaker: Bool
    }

    private var rules: [Rule] = []
    private var matcher: KeywordMatcher
    /// Attributes per case and per source, loaded only when a rule has a `where`.
    private var caseAttributes: [Int64: [String: String]] = [:]
    private var sourceAttributes: [Int64: [String: String]] = [:]

    /// Whether some rule names a speaker or a role, and so reads interviewers' segments.
    let namesSpeakers: Bool
    /// Whether there are rules beyond the codes' keywords.
    let hasRules: Bool
    /// Codebook rules that cannot match yet, in words.
    let notes: [Notice]

    /// Compiles the keywords and rules of the codable codes, then the rules of the files.
    /// - Throws: `QuillError.badInput` naming the file (or the codebook) and the rule.
    init(_ db: Database, tree: CodeTree, files: [RulesFile]) throws {
        var keywords: [(codeID: Int64, keyword: String)] = []
        var compiled: [Rule] = []
        let attributeNames = Set(try String.fetchAll(db, sql: "SELECT name FROM attribute").map { $0.lowercased() })
        var notes: [Notice] = []
        func add(_ rule: AutocodeRule, codeID: Int64, place: String, file: String?) throws {
            for condition in rule.conditions.compactMap(Assignment.init) where !attributeNames.contains(condition.key.lowercased()) {
                // A rules file is given for this run: a name it gets wrong is an error. The
                // codebook's rules may come before the cases have their attributes (as in
                // `quill run`): such a rule matches nothing yet, and the run says so.
                guard let file else {
                    notes.append(
                        Notice(
                            "The codebook's \(place) asks for the attribute '\(condition.key)', which no case has yet, so it matches nothing",
                            remedy: .addAttributes))
                    return
                }
                throw QuillError.badInputRemedied(
                    path: file, problem: "\(place): there is no attribute '\(condition.key)' for 'where: \(condition.key)=\(condition.value)'",
                    remedy: .giveCasesAttribute)
            }
            let index = compiled.count
            keywords += rule.keywordsAny.map { (Int64(index), $0) }
            let assignments = rule.conditions.compactMap(Assignment.init).map { (name: $0.key, value: $0.value) }
            let file = file ?? "the codebook"
            compiled.append(
                Rule(
                    codeID: codeID, label: rule.summary, hasKeywords: !rule.keywordsAny.isEmpty,
                    regex: try rule.compiledRegex(place: place, file: file), file: file, place: place,
                    speaker: rule.speaker.map(CodePath.fold), role: rule.speakerRole.map(CodePath.fold),
                    conditions: assignments.isEmpty ? nil : try AttributeConditions(db, assignments),
                    conditionText: rule.conditions.joined(separator: ", "), namesSpeaker: rule.namesSpeaker))
        }
        for code in tree.codes where code.isCodable {
            if !code.keywords.isEmpty {
                keywords += code.keywords.map { (Int64(compiled.count), $0) }
                compiled.append(Rule(codeID: code.id, label: "keywords", hasKeywords: true, conditionText: "", namesSpeaker: false))
            }
            for (index, rule) in code.rules.enumerated() {
                try add(rule, codeID: code.id, place: "rule \(index + 1) of code '\(tree.displayPath(of: code.id))'", file: nil)
            }
        }
        for file in files {
            for entry in file.rules {
                let code: Code
                do {
                    code = try tree.resolve(entry.code)
                } catch let error as QuillError {
                    throw QuillError.badInputRemedied(
                        path: file.file, problem: "\(entry.place) names the code '\(entry.code)', which the project does not have as one code",
                        remedy: .lookUpCode(after: error))
                }
                guard code.isCodable else {
                    throw QuillError.badInput(
                        path: file.file, problem: "\(entry.place) is for '\(tree.displayPath(of: code.id))', which only groups other codes",
                        remedy: "Give the rule to one of the codes below it.")
                }
                try add(entry.rule, codeID: code.id, place: entry.place, file: file.file)
            }
        }
        rules = compiled
        self.notes = notes
        matcher = KeywordMatcher(keywords: keywords)
        namesSpeakers = compiled.contains(where: \.namesSpeaker)
        hasRules = compiled.contains { $0.label != "keywords" }
        if compiled.contains(where: { $0.conditions != nil }) {
            for row in try Row.fetchAll(db, sql: "SELECT v.caseId, a.name, v.value FROM caseAttribute v JOIN attribute a ON a.id = v.attributeId") {
                caseAttributes[row["caseId"], default: [:]][row["name"]] = row["value"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT v.sourceId, a.name, v.value FROM sourceAttribute v JOIN attribute a ON a.id = v.attributeId")
            {
                sourceAttributes[row["sourceId"], default: [:]][row["name"]] = row["value"]
            }
        }
    }

    /// The codes whose rules fire on a segment, each once, with the rules and what matched.
    /// - Throws: `RegexStopped` for the first rule whose regular expression takes more than
    ///   `BoundedRegex.stepLimit` steps on the segment.
    func fire(_ segment: Segment, text: String) throws(RegexStopped) -> [Hit] {
        var keywordHits: [Int: [String]] = [:]
        for match in matcher.matches(in: text) {
            let index = Int(match.codeID)
            if !(keywordHits[index]?.contains(match.keyword) ?? false) { keywordHits[index, default: []].append(match.keyword) }
        }
        var hits: [Hit] = []
        var byCode: [Int64: Int] = [:]
        // The segment's length in UTF-16 units, which regular expressions count in; found once.
        var whole: NSRange?
        for (index, rule) in rules.enumerated() {
            if !segment.readsInterviewers && !rule.namesSpeaker { continue }
            var matched: [String] = []
            if rule.hasKeywords {
                guard let found = keywordHits[index] else { continue }
                matched += found
            }
            if let regex = rule.regex {
                let range = whole ?? NSRange(text.startIndex..., in: text)
                whole = range
                let before = matched.count
                do {
                    try regex.forEachMatch(in: text, range: range) { match in
                        if let found = Range(match.range, in: text) { matched.append(String(text[found])) }
                        return true
                    }
                } catch {
                    throw RegexStopped(file: rule.file, place: rule.place, pattern: regex.pattern, limit: error)
                }
                guard matched.count > before else { continue }
            }
            if let speaker = rule.speaker {
                guard segment.speaker.map(CodePath.fold) == speaker || segment.caseName.map(CodePath.fold) == speaker else { continue }
            }
            if let role = rule.role {
                let fits: Bool
                switch role {
                case "interviewer": fits = segment.isInterviewer
                case "interviewee": fits = segment.caseID != nil && !segment.isInterviewer
                default: fits = segment.role.map(CodePath.fold) == role
                }
                guard fits else { continue }
            }
            if let conditions = rule.conditions {
                var attributes = sourceAttributes[segment.sourceID] ?? [:]
                if let caseID = segment.caseID {
                    attributes.merge(caseAttributes[caseID] ?? [:]) { _, fromCase in fromCase }
                }
                guard conditions.matches(attributes) else { continue }
            }
            if rule.namesSpeaker, let speaker = segment.speaker { matched.insert("speaker " + speaker, at: 0) }
            if rule.conditions != nil { matched.append("where " + rule.conditionText) }
            if let at = byCode[rule.codeID] {
                hits[at].rules.append(rule.label)
                for item in matched where !hits[at].matched.contains(item) { hits[at].matched.append(item) }
            } else {
                byCode[rule.codeID] = hits.count
                var unique: [String] = []
                for item in matched where !unique.contains(item) { unique.append(item) }
                hits.append(Hit(codeID: rule.codeID, rules: [rule.label], matched: unique))
            }
        }
        return hits
    }
}
