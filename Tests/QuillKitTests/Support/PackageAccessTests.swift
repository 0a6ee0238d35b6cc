import Foundation
import Testing

/// The library's public API is what the executable uses; what only the tests use is `package`.
/// The test reads the sources as text: a public member whose name the executable (or the fuzz
/// target) never writes is test-only API. Types are left out, since a public signature may need
/// a type the executable never names, and so are protocol witnesses, which must be public.
@Suite struct PackageAccessTests {
    /// Names a protocol requires, which the executable uses without writing them.
    static let witnesses: Set<String> = ["description", "errorDescription", "hash", "encode", "id", "rawValue", "allCases"]

    @Test func theScannerFindsPublicMembersAndNotTypes() {
        let sample = """
            public struct Report {
                public var rows: [Row]
                package var hidden: Int
                public static func == (lhs: Report, rhs: Report) -> Bool { true }
                public mutating func append(_ row: Row) {}
                // public func commented() {}
                public init() {}
                public static let limit = 3
            }
            """
        #expect(PublicMembers.find(in: sample).map(\.name) == ["rows", "append", "limit"])
        #expect(PublicMembers.find(in: sample).map(\.line) == [2, 5, 8])
    }

    @Test func everyPublicMemberIsUsedByTheExecutable() throws {
        let users = try ["quill", "_QuillFuzzTargets"].map { try TestSupport.swiftSources(in: $0).values.joined(separator: "\n") }.joined(
            separator: "\n")
        let used = Set(PublicMembers.words(in: users))
        let library = try TestSupport.swiftSources(in: "QuillKit")
        var checked = 0
        for (path, text) in library.sorted(by: { $0.key < $1.key }) {
            for member in PublicMembers.find(in: text) where !Self.witnesses.contains(member.name) {
                checked += 1
                let isUsed = used.contains(member.name)
                #expect(
                    isUsed,
                    "QuillKit/\(path):\(member.line): \(member.name) is public but only the tests use it; make it package"
                )
            }
        }
        // The scan is not blind: the library has a public API of some size.
        #expect(checked > 150)
    }
}

/// Public members declared in Swift source: `public` functions, properties and static values,
/// by name and line. Initialisers, subscripts and operators have no name of their own to look for.
enum PublicMembers {
    static func find(in source: String) -> [(line: Int, name: String)] {
        let declaration =
            /^\s*public\s+(?:(?:static|final|mutating|nonisolated|override|required|convenience|class)\s+)*(?:func|var|let)\s+`?([A-Za-z_][A-Za-z0-9_]*)/
        var found: [(line: Int, name: String)] = []
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let match = line.firstMatch(of: declaration) {
                found.append((index + 1, String(match.1)))
            }
        }
        return found
    }

    static func words(in source: String) -> [String] {
        source.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
    }
}
