import Foundation
import GRDB

/// Who changes a project, and with which command, for the history.
public struct Actor: Sendable, Equatable {
    /// The coder's name.
    public var coder: String
    /// The command as typed.
    public var command: String

    /// Creates an actor.
    public init(coder: String, command: String) {
        self.coder = coder
        self.command = command
    }
}

/// One entry of a project's history.
public struct HistoryEntry: Sendable, Equatable {
    /// Its place in the history.
    public var id: Int64
    /// When, as an ISO 8601 timestamp.
    public var at: String
    /// Who.
    public var coder: String
    /// The command.
    public var command: String
    /// What changed.
    public var summary: String
}

extension HistoryEntry {
    /// The history's columns as read: a value of another type than its column's (planted in a
    /// file from someone else) reads as nothing rather than stopping Quill, and only rows whose
    /// id is an integer are read.
    static let selection = """
        SELECT id, \(["at", "coder", "command", "summary", "details"].map { "CASE WHEN typeof(\($0)) = 'text' THEN \($0) END AS \($0)" }
        .joined(separator: ", ")) FROM history WHERE typeof(id) = 'integer'
        """

    /// The entry of a row read with `selection`.
    init(row: Row) {
        func text(_ column: String) -> String { row[column] as String? ?? "" }
        self.init(id: row["id"], at: text("at"), coder: text("coder"), command: text("command"), summary: text("summary"))
    }
}
