import Foundation

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
