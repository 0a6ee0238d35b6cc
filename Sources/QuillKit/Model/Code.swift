/// A code as stored in a project.
public struct Code: Equatable, Sendable, Identifiable {
    /// The row id.
    public var id: Int64
    /// The stable GUID.
    public var guid: String
    /// The parent code's id; nil for a top-level code.
    package var parentID: Int64?
    /// The name, unique among its siblings.
    public var name: String
    /// What the code means.
    public var definition: String?
    /// When to apply it.
    public var include: String?
    /// When not to apply it.
    package var exclude: String?
    /// Passages that show it in use.
    package var examples: [String]
    /// Words and phrases that suggest it, for autocoding.
    public var keywords: [String]
    /// Autocoding rules beyond the keywords.
    public var rules: [AutocodeRule] = []
    /// A colour as `#RRGGBB`.
    public var color: String?
    /// Whether it can be applied, or only groups its children.
    public var isCodable: Bool
    /// Its place among its siblings.
    package var sortOrder: Int
}
