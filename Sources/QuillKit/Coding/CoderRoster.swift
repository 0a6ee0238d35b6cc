import Foundation
import GRDB

/// A coder with what they made.
public struct CoderSummary: Equatable, Sendable {
    /// The coder's name.
    public var name: String
    /// Their codings.
    public var codings: Int
    /// Their memos.
    public var memos: Int
}

/// The coders of a project.
public struct CoderRoster: Sendable {
    let project: ProjectDatabase

    /// An operation on a project.
    public init(_ project: ProjectDatabase) { self.project = project }

    /// Every coder with their codings and memos, by name.
    public func coders() throws -> [CoderSummary] {
        try project.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.name, (SELECT count(*) FROM coding c WHERE c.coderId = d.id) AS codings,
                           (SELECT count(*) FROM memo m WHERE m.coderId = d.id) AS memos
                    FROM coder d ORDER BY d.name COLLATE NOCASE, d.name
                    """
            ).map { CoderSummary(name: $0["name"], codings: $0["codings"], memos: $0["memos"]) }
        }
    }
}
