import Foundation
import GRDB

/// The codebook's tables: `code` and a code's lists, `codeKeyword`, `codeExample` and
/// `codeRule`. The only writer of them.
struct CodeTable {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// Writes a new code's keywords, examples and autocoding rules, in order.
    func insertLists(id: Int64, keywords: [String], examples: [String], rules: [AutocodeRule]) throws {
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
}
