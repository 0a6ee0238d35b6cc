import Foundation

/// A codebook as a value: its description and its tree of codes.
///
/// This is the form a codebook has in a YAML file, before it is stored in a project and after
/// it is read back out of one.
public struct Codebook: Equatable, Sendable {
    /// The codebook's title.
    public var name: String
    /// What the codebook is for and how to use it.
    public var description: String?
    /// The works the codebook draws on.
    public var source: String?
    /// The top-level codes, in order.
    public var codes: [Node]

    /// Creates a codebook.
    package init(name: String, description: String? = nil, source: String? = nil, codes: [Node]) {
        self.name = name
        self.description = description
        self.source = source
        self.codes = codes
    }

    /// One code of a codebook, with its children.
    public struct Node: Equatable, Sendable {
        /// The code's name, unique among its siblings.
        public var name: String
        /// The code's stable GUID; nil until one is given or derived.
        public var guid: String?
        /// What the code means.
        public var definition: String?
        /// When to apply it.
        public var include: String?
        /// When not to apply it.
        package var exclude: String?
        /// Passages that show the code in use.
        package var examples: [String]
        /// Words and phrases that suggest the code, for autocoding.
        public var keywords: [String]
        /// Autocoding rules beyond the keywords: regular expressions, speakers, attributes.
        public var rules: [AutocodeRule]
        /// A colour as `#RRGGBB`.
        public var color: String?
        /// Whether the code can be applied, or only groups its children.
        public var isCodable: Bool
        /// The child codes, in order.
        public var children: [Node]

        /// Creates a code.
        package init(
            name: String, guid: String? = nil, definition: String? = nil, include: String? = nil,
            exclude: String? = nil, examples: [String] = [], keywords: [String] = [], rules: [AutocodeRule] = [], color: String? = nil,
            isCodable: Bool = true, children: [Node] = []
        ) {
            self.name = name
            self.guid = guid
            self.definition = definition
            self.include = include
            self.exclude = exclude
            self.examples = examples
            self.keywords = keywords
            self.rules = rules
            self.color = color
            self.isCodable = isCodable
            self.children = children
        }
    }

    /// Every code with its path, depth first, in order.
    package func flattened() -> [(path: [String], node: Node)] {
        var result: [(path: [String], node: Node)] = []
        func visit(_ nodes: [Node], _ prefix: [String]) {
            for node in nodes {
                let path = prefix + [node.name]
                result.append((path, node))
                visit(node.children, path)
            }
        }
        visit(codes, [])
        return result
    }

    /// The same codebook with a GUID on every code: the given one, or one derived from the path.
    package func withStableGUIDs() -> Codebook {
        func assign(_ nodes: [Node], _ prefix: [String]) -> [Node] {
            nodes.map { node in
                var node = node
                let path = prefix + [node.name]
                if node.guid == nil {
                    node.guid = StableID.make("code", CodePath.key(path))
                }
                node.children = assign(node.children, path)
                return node
            }
        }
        var copy = self
        copy.codes = assign(codes, [])
        return copy
    }
}

/// How code paths are written and compared.
public enum CodePath {
    /// The separator between the names of a path, as in `LHS capabilities/Knowledge management`.
    public static let separator = "/"

    /// A path written out for people.
    public static func display(_ path: [String]) -> String {
        path.joined(separator: separator)
    }

    /// A path in the form used to compare paths: case-folded, each name trimmed.
    public static func key(_ path: [String]) -> String {
        path.map { fold($0) }.joined(separator: separator)
    }

    /// A name in the form used to compare names: trimmed, case-folded, runs of spaces made one.
    public static func fold(_ name: String) -> String {
        // ASCII names, nearly all of them, are folded on their bytes.
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: name.utf8.count) { buffer in
                var count = 0
                var pendingSpace = false
                for byte in name.utf8 {
                    if byte.isASCIIWhiteSpace {
                        pendingSpace = count > 0
                        continue
                    }
                    if pendingSpace {
                        buffer[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    buffer[count] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                    count += 1
                }
                return count
            }
        }
        return name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
