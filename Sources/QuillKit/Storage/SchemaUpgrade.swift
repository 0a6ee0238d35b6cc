public import Foundation

/// What opening a project made by an older Quill did: the schema steps it applied and where the
/// copy of the file as it was is kept.
public struct SchemaUpgrade: Sendable, Equatable {
    /// The last schema step the file had.
    public var from: String
    /// The steps applied, in order.
    package var steps: [String]
    /// The copy of the project as it was, beside it; nil for an in-memory project.
    public var backup: URL?

    /// A note for the user.
    public var note: String {
        let copy = backup.map { " The project as it was is kept in \($0.path); delete that copy once you are happy." } ?? ""
        return "Updated the project to the current format (\(steps.count) step\(steps.count == 1 ? "" : "s"): \(steps.joined(separator: ", ")))."
            + copy
    }
}
