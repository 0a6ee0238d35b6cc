import Foundation
import GRDB

/// Conditions on attribute values, as `--where role=librarian` and rules' `where` give them:
/// several values of one attribute are alternatives, conditions on different attributes must
/// all hold. Values are compared in their attribute's canonical form (so `clinical=yes` finds
/// the stored `true`), ignoring case.
struct AttributeConditions: Sendable {
    /// Lower-cased attribute name → the lower-cased values that pass.
    private var wanted: [String: Set<String>] = [:]

    /// Whether there is no condition at all.
    var isEmpty: Bool { wanted.isEmpty }

    /// Reads conditions, normalising each value by its attribute's type in the project.
    init(_ db: Database, _ conditions: [(name: String, value: String)]) throws {
        guard !conditions.isEmpty else { return }
        let types = Dictionary(
            try Row.fetchAll(db, sql: "SELECT name, type FROM attribute").map {
                (($0["name"] as String).lowercased(), AttributeType(rawValue: $0["type"]) ?? .text)
            }, uniquingKeysWith: { first, _ in first })
        for condition in conditions {
            let name = condition.name.lowercased()
            let value = types[name]?.normalize(condition.value) ?? condition.value
            wanted[name, default: []].insert(value.lowercased())
        }
    }

    /// Whether attributes (name → stored value) pass every condition.
    func matches(_ attributes: [String: String]) -> Bool {
        for (name, values) in wanted {
            let value = attributes.first { $0.key.lowercased() == name }?.value.lowercased()
            guard let value, values.contains(value) else { return false }
        }
        return true
    }
}
