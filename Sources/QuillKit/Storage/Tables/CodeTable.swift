import Foundation
import GRDB

/// The codebook's tables: `code` and a code's lists, `codeKeyword`, `codeExample` and
/// `codeRule`. The only writer of them.
struct CodeTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Stores a new code with its keywords, examples and rules; its `id` is ignored and the
    /// new row's is returned.
    func insert(_ code: Code) throws -> Int64 {
        try db.execute(
            literal: """
                INSERT INTO code(guid, parentId, name, definition, include, exclude, color, isCodable, sortOrder)
                VALUES (\(code.guid), \(code.parentID), \(code.name), \(code.definition), \(code.include),
                        \(code.exclude), \(code.color), \(code.isCodable), \(code.sortOrder))
                """)
        let id = db.lastInsertedRowID
        try insertLists(id: id, keywords: code.keywords, examples: code.examples, rules: code.rules)
        return id
    }

    /// Writes every value of a code (found by its `id`) but its GUID, lists included.
    func update(_ code: Code) throws {
        try db.execute(
            literal: """
                UPDATE code SET parentId = \(code.parentID), name = \(code.name), definition = \(code.definition),
                    include = \(code.include), exclude = \(code.exclude), color = \(code.color),
                    isCodable = \(code.isCodable), sortOrder = \(code.sortOrder)
                WHERE id = \(code.id)
                """)
        try db.execute(literal: "DELETE FROM codeKeyword WHERE codeId = \(code.id)")
        try db.execute(literal: "DELETE FROM codeExample WHERE codeId = \(code.id)")
        try db.execute(literal: "DELETE FROM codeRule WHERE codeId = \(code.id)")
        try insertLists(id: code.id, keywords: code.keywords, examples: code.examples, rules: code.rules)
    }

    /// Renames a code.
    func rename(_ id: Int64, to name: String) throws {
        try db.execute(literal: "UPDATE code SET name = \(name) WHERE id = \(id)")
    }

    /// Puts a code under another (nil: at the top level) at a place among its siblings.
    func move(_ id: Int64, under parentID: Int64?, sortOrder: Int) throws {
        try db.execute(literal: "UPDATE code SET parentId = \(parentID), sortOrder = \(sortOrder) WHERE id = \(id)")
    }

    /// Gives a code another name and parent, keeping its place number.
    func rename(_ id: Int64, to name: String, under parentID: Int64?) throws {
        try db.execute(sql: "UPDATE code SET name = ?, parentId = ? WHERE id = ?", arguments: [name, parentID, id])
    }

    /// Adds keywords after a code's own.
    func appendKeywords(_ keywords: [String], to id: Int64) throws {
        var position = try nextPosition(in: "codeKeyword", of: id)
        for keyword in keywords {
            try db.execute(sql: "INSERT INTO codeKeyword(codeId, position, keyword) VALUES (?, ?, ?)", arguments: [id, position, keyword])
            position += 1
        }
    }

    /// Adds autocoding rules after a code's own.
    func appendRules(_ rules: [AutocodeRule], to id: Int64) throws {
        var position = try nextPosition(in: "codeRule", of: id)
        for rule in rules {
            try db.execute(sql: "INSERT INTO codeRule(codeId, position, rule) VALUES (?, ?, ?)", arguments: [id, position, rule.storedForm])
            position += 1
        }
    }

    /// Removes codes, the lowest in the tree first; their lists go with them.
    func delete(_ ids: [Int64]) throws {
        for id in ids.reversed() {
            try db.execute(sql: "DELETE FROM code WHERE id = ?", arguments: [id])
        }
    }

    /// Writes a new code's keywords, examples and autocoding rules, in order.
    private func insertLists(id: Int64, keywords: [String], examples: [String], rules: [AutocodeRule]) throws {
        for (position, keyword) in keywords.enumerated() {
            try db.execute(literal: "INSERT INTO codeKeyword(codeId, position, keyword) VALUES (\(id), \(position), \(keyword))")
        }
        for (position, example) in examples.enumerated() {
            try db.execute(literal: "INSERT INTO codeExample(codeId, position, example) VALUES (\(id), \(position), \(example))")
        }
        for (position, rule) in rules.enumerated() {
            try db.execute(literal: "INSERT INTO codeRule(codeId, position, rule) VALUES (\(id), \(position), \(rule.storedForm))")
        }
    }

    /// The position after a code's last entry in one of its lists.
    private func nextPosition(in table: String, of id: Int64) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT max(position) FROM \(table) WHERE codeId = ?", arguments: [id]) ?? -1) + 1
    }
}
