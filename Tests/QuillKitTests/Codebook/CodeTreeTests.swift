import Foundation
import Testing

@testable import QuillKit

@Suite struct CodeTreeTests {
    /// A project holding the shipped LHS codebook.
    static func lhsTree() throws -> CodeTree {
        let yaml = try String(contentsOf: CodebookYAMLTests.lhsURL, encoding: .utf8)
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(yaml, file: "lhs-framework.yaml"), actor: TestSupport.actor())
        return try CodeTree.load(store)
    }

    /// Two codes called Digital under different parents, and a deeper level.
    static func smallTree() -> CodeTree {
        func code(_ id: Int64, _ name: String, parent: Int64?, order: Int) -> Code {
            Code(
                id: id, guid: StableID.make("code", "\(id)"), parentID: parent, name: name, examples: [], keywords: [],
                isCodable: true, sortOrder: order)
        }
        // Given in scrambled order: the tree orders them by parent, then sort order.
        return CodeTree(codes: [
            code(5, "Digital", parent: 4, order: 0),
            code(1, "Capabilities", parent: nil, order: 0),
            code(2, "Digital", parent: 1, order: 1),
            code(3, "Data literacy", parent: 2, order: 0),
            code(4, "Barriers", parent: nil, order: 1),
            code(6, "Knowledge", parent: 1, order: 0),
        ])
    }

    @Test func ordersCodesDepthFirst() {
        let tree = Self.smallTree()
        #expect(tree.codes.map(\.id) == [1, 6, 2, 3, 4, 5])
        #expect(tree.displayPath(of: 3) == "Capabilities/Digital/Data literacy")
        #expect(tree.depth(of: 3) == 2)
        #expect(tree.depth(of: 4) == 0)
        #expect(tree.children(of: nil) == [1, 4])
        #expect(tree.children(of: 1) == [6, 2])
        #expect(tree.subtree(of: 1) == [1, 6, 2, 3])
    }

    @Test func resolvesAFullPath() throws {
        let tree = Self.smallTree()
        #expect(try tree.resolve("Capabilities/Digital").id == 2)
        #expect(try tree.resolve("Barriers/Digital").id == 5)
        #expect(try tree.resolve("Capabilities/Digital/Data literacy").id == 3)
    }

    @Test func resolvesAUniqueName() throws {
        #expect(try Self.smallTree().resolve("Data literacy").id == 3)
        #expect(try Self.lhsTree().resolve("Knowledge management").name == "Knowledge management")
    }

    @Test func resolvesCaseInsensitivelyWithLooseSpaces() throws {
        let tree = Self.smallTree()
        #expect(try tree.resolve("DATA LITERACY").id == 3)
        #expect(try tree.resolve("  data   literacy ").id == 3)
        #expect(try tree.resolve("capabilities/DIGITAL").id == 2)
    }

    @Test func acceptsTheAngleBracketSeparator() throws {
        let tree = Self.smallTree()
        #expect(try tree.resolve("Capabilities > Digital").id == 2)
        #expect(try tree.resolve("Barriers > Digital").id == 5)
        let lhs = try Self.lhsTree()
        let code = try lhs.resolve("LHS capabilities > Knowledge management > Evidence search and synthesis")
        #expect(lhs.displayPath(of: code.id) == "LHS capabilities/Knowledge management/Evidence search and synthesis")
    }

    @Test func resolvesTheEndOfAPath() throws {
        let tree = Self.smallTree()
        #expect(try tree.resolve("Digital/Data literacy").id == 3)
        let lhs = try Self.lhsTree()
        let code = try lhs.resolve("knowledge management/evidence search and synthesis")
        #expect(lhs.displayPath(of: code.id) == "LHS capabilities/Knowledge management/Evidence search and synthesis")
    }

    @Test func anAmbiguousNameListsEveryPath() {
        let tree = Self.smallTree()
        let error = TestSupport.quillError { _ = try tree.resolve("digital") }
        #expect(error == .ambiguousCode("digital", matches: ["Capabilities/Digital", "Barriers/Digital"]))
        #expect(error?.message.contains("'Capabilities/Digital', 'Barriers/Digital'") == true)
    }

    @Test func anUnknownNameSuggestsCloseCodes() throws {
        let lhs = try Self.lhsTree()
        let error = TestSupport.quillError { _ = try lhs.resolve("Knowlege management") }
        guard case .unknownCode(let name, let suggestions)? = error else {
            Issue.record("expected unknownCode, got \(String(describing: error))")
            return
        }
        #expect(name == "Knowlege management")
        #expect(suggestions.first == "LHS capabilities/Knowledge management")
        #expect(suggestions.count <= 3)
        #expect(error?.message.contains("Did you mean 'LHS capabilities/Knowledge management'") == true)
    }

    @Test func anUnknownNameWithNothingCloseSuggestsNothing() {
        let error = TestSupport.quillError { _ = try Self.smallTree().resolve("Zebra crossings") }
        #expect(error == .unknownCode("Zebra crossings", suggestions: []))
    }

    @Test func anEmptyNameIsAnError() {
        let error = TestSupport.quillError { _ = try Self.smallTree().resolve(" / ") }
        guard case .invalidArgument? = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
    }

    @Test func aWrongParentIsUnknown() {
        let error = TestSupport.quillError { _ = try Self.smallTree().resolve("Barriers/Data literacy") }
        guard case .unknownCode? = error else {
            Issue.record("expected unknownCode, got \(String(describing: error))")
            return
        }
    }

    /// Folding a name on its bytes (ASCII) gives what the Character reading gives.
    @Test func foldingASCIINamesAgreesWithTheCharacterReading() {
        var random = SeededGenerator(seed: 118)
        let pieces = ["a", "B", "Zz", " ", "  ", "\t", "\n", "\r\n", "\u{B}", "\u{C}", "\u{1C}", "-", "_", "9", "/", "Q"]
        for _ in 0..<500 {
            let name = (0..<random.int(0...12)).map { _ in random.pick(pieces) }.joined()
            #expect(
                CodePath.fold(name) == name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased(),
                "\(name.debugDescription)")
        }
        #expect(CodePath.fold("  Zoë   Smith ") == "zoë smith")
    }
}
