import Foundation
import GRDB

/// The codes of a project as a tree: paths, children, depth-first order, and lookup of a code
/// by what a user types.
public struct CodeTree: Sendable {
    /// Every code in depth-first order, siblings by their sort order.
    public let codes: [Code]
    private let byID: [Int64: Int]
    private let childIDs: [Int64?: [Int64]]
    private let paths: [Int64: [String]]

    /// Builds the tree from codes in any order.
    package init(codes unordered: [Code]) {
        var children: [Int64?: [Code]] = [:]
        let ids = Set(unordered.map(\.id))
        for code in unordered {
            let parent = code.parentID.flatMap { ids.contains($0) ? $0 : nil }
            children[parent, default: []].append(code)
        }
        var ordered: [Code] = []
        var paths: [Int64: [String]] = [:]
        var childIDs: [Int64?: [Int64]] = [:]
        func visit(_ parent: Int64?, _ prefix: [String]) {
            let siblings = (children[parent] ?? []).sorted {
                ($0.sortOrder, $0.name.lowercased(), $0.id) < ($1.sortOrder, $1.name.lowercased(), $1.id)
            }
            childIDs[parent] = siblings.map(\.id)
            for code in siblings {
                let path = prefix + [code.name]
                paths[code.id] = path
                ordered.append(code)
                visit(code.id, path)
            }
        }
        visit(nil, [])
        codes = ordered
        self.paths = paths
        self.childIDs = childIDs
        byID = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.id, $0) })
    }

    /// The codes of a project.
    public static func load(_ project: ProjectDatabase) throws -> CodeTree {
        try project.read { db in try load(db) }
    }

    /// Loads the codes of a project inside a read or a change.
    static func load(_ db: Database) throws -> CodeTree {
        var keywords: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT codeId, keyword FROM codeKeyword ORDER BY codeId, position") {
            keywords[row["codeId"], default: []].append(row["keyword"])
        }
        var examples: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT codeId, example FROM codeExample ORDER BY codeId, position") {
            examples[row["codeId"], default: []].append(row["example"])
        }
        var rules: [Int64: [AutocodeRule]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT codeId, rule FROM codeRule ORDER BY codeId, position") {
            rules[row["codeId"], default: []].append(try AutocodeRule.fromStoredForm(row["rule"]))
        }
        let codes = try Row.fetchAll(db, sql: "SELECT * FROM code").map { row -> Code in
            let id: Int64 = row["id"]
            return Code(
                id: id, guid: row["guid"], parentID: row["parentId"], name: row["name"],
                definition: row["definition"], include: row["include"], exclude: row["exclude"],
                examples: examples[id] ?? [], keywords: keywords[id] ?? [], rules: rules[id] ?? [], color: row["color"],
                isCodable: row["isCodable"], sortOrder: row["sortOrder"])
        }
        return CodeTree(codes: codes)
    }

    /// The code with an id.
    public func code(_ id: Int64) -> Code? {
        byID[id].map { codes[$0] }
    }

    /// The names from the root down to a code.
    public func path(of id: Int64) -> [String] {
        paths[id] ?? []
    }

    /// A code's path written out, as in `LHS capabilities/Knowledge management`.
    public func displayPath(of id: Int64) -> String {
        CodePath.display(path(of: id))
    }

    /// How deep a code is: 0 for a top-level code.
    public func depth(of id: Int64) -> Int {
        max(0, path(of: id).count - 1)
    }

    /// The ids of a code's children, or of the top-level codes for nil.
    public func children(of id: Int64?) -> [Int64] {
        childIDs[id] ?? []
    }

    /// A code and all codes below it.
    public func subtree(of id: Int64) -> [Int64] {
        [id] + children(of: id).flatMap { subtree(of: $0) }
    }

    /// The code a user means by a path or a name, compared case-insensitively.
    ///
    /// A full path (`LHS capabilities/Knowledge management`) always names one code. A name or
    /// the end of a path (`Knowledge management`, `Knowledge management/Evidence search and
    /// synthesis`) names the codes whose paths end with it; it must name exactly one. ` > `
    /// may stand for `/`, unless a code's name holds it.
    /// - Throws: `QuillError.unknownCode` with close matches, or `QuillError.ambiguousCode`
    ///   with the full paths of the candidates.
    public func resolve(_ query: String) throws -> Code {
        func parts(_ separators: Set<Character>) -> [String] {
            query.split(whereSeparator: { separators.contains($0) }).map { CodePath.fold(String($0)) }.filter { !$0.isEmpty }
        }
        // A name may itself hold '>': read the query with '/' alone first, then with '>' too.
        let readings = [parts([Character(CodePath.separator)]), parts([Character(CodePath.separator), ">"])]
        guard let first = readings.first, !first.isEmpty else {
            throw QuillError.invalidArgument("A code name is empty. Give a code's name or path.")
        }
        for reading in readings where !reading.isEmpty {
            let exact = codes.filter { path(of: $0.id).map(CodePath.fold) == reading }
            if exact.count == 1 { return exact[0] }
            let suffix = codes.filter { code in
                let folded = path(of: code.id).map(CodePath.fold)
                return folded.count >= reading.count && Array(folded.suffix(reading.count)) == reading
            }
            if suffix.count == 1 { return suffix[0] }
            if suffix.count > 1 {
                throw QuillError.ambiguousCode(query, matches: suffix.map { displayPath(of: $0.id) })
            }
        }
        throw QuillError.unknownCode(query, suggestions: suggestions(for: first.joined(separator: " ")))
    }

    /// The code a user means by a path or name as `resolve` reads it, or else by the start of
    /// one: `evid` names `Evidence`, `evid search` names `Evidence search and synthesis`, and
    /// `learn/evid` names `Learning cycle/Evidence use` (each typed name the start of a name,
    /// or its words the starts of the name's first words, for the last names of the path).
    ///
    /// When several codes start so, the one codable code among them is chosen; otherwise the
    /// query is ambiguous.
    /// - Throws: `QuillError.unknownCode` with close matches, or `QuillError.ambiguousCode`
    ///   with the full paths of the candidates.
    package func complete(_ query: String) throws -> Code {
        do {
            return try resolve(query)
        } catch QuillError.unknownCode(let name, let suggestions) {
            let typed = query.split(separator: Character(CodePath.separator)).map { CodePath.fold(String($0)) }
            guard !typed.isEmpty, !typed.contains(where: \.isEmpty) else { throw QuillError.unknownCode(name, suggestions: suggestions) }
            let candidates = codes.filter { code in
                let folded = path(of: code.id).map(CodePath.fold)
                return folded.count >= typed.count && zip(folded.suffix(typed.count), typed).allSatisfy(Self.starts)
            }
            let codable = candidates.filter(\.isCodable)
            if candidates.count == 1 { return candidates[0] }
            if codable.count == 1 { return codable[0] }
            if candidates.isEmpty { throw QuillError.unknownCode(name, suggestions: suggestions) }
            throw QuillError.ambiguousCode(query, matches: candidates.map { displayPath(of: $0.id) })
        }
    }

    /// Whether a folded name starts with what was typed, or its first words with the typed words.
    private static func starts(_ name: String, _ typed: String) -> Bool {
        if name.hasPrefix(typed) { return true }
        let words = name.split(separator: " ")
        let typedWords = typed.split(separator: " ")
        return typedWords.count <= words.count && zip(words, typedWords).allSatisfy { $0.hasPrefix($1) }
    }

    /// Up to three code paths that look like what was typed.
    func suggestions(for typed: String) -> [String] {
        let scored = codes.compactMap { code -> (Int, String)? in
            let name = CodePath.fold(code.name)
            let distance = EditDistance.between(name, typed)
            let isClose =
                name.contains(typed) || typed.contains(name) || distance <= max(2, typed.count / 4)
                || name.split(separator: " ").contains { $0.count > 3 && typed.contains($0) }
            return isClose ? (name.contains(typed) ? 0 : distance, displayPath(of: code.id)) : nil
        }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(3).map(\.1)
    }
}

/// Levenshtein distance, for suggestions.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
