import Foundation
import QuillKit
import Testing

/// `quill codebook add|rename|move|merge|split|delete|lint` end to end.
@Suite struct CLICodebookEditingTests {
    /// Runs a command that must succeed and returns what it wrote to standard error.
    @discardableResult
    private func ok(_ quill: QuillRunner, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> QuillResult {
        let result = try quill.run(arguments)
        #expect(result.status == 0, "quill \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs a command that must fail without changing the project, and returns its message.
    private func refused(_ quill: QuillRunner, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let before = try quill.digest()
        let result = try quill.run(arguments)
        #expect(result.status != 0, "quill \(arguments.joined(separator: " ")) should fail", sourceLocation: sourceLocation)
        #expect(try quill.digest() == before, "a refused command changed the project", sourceLocation: sourceLocation)
        return result.stderr
    }

    @Test func editsTheCodebookWithoutLosingCodings() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml", "interview-a.txt")
        try ok(quill, ["init"])
        try ok(quill, ["codebook", "import", "codebook.yaml"])
        try ok(quill, ["import", "interview-a.txt"])
        try ok(quill, ["code", "interview-a", "2,4", "Barriers"])
        try ok(quill, ["code", "interview-a", "3,4", "Evidence/Search"])

        // add
        let added = try ok(quill, ["codebook", "add", "Barriers/Time", "--definition", "Not enough time.", "--keyword", "time", "--color", "#c33"])
        #expect(added.stderr.contains("Added code 'Barriers/Time'."))
        #expect(try refused(quill, ["codebook", "add", "barriers/TIME"]).contains("already a code 'Barriers/Time'"))
        #expect(try refused(quill, ["codebook", "add", "Nowhere/Time"]).contains("no code 'Nowhere'"))

        // rename
        let renamed = try ok(quill, ["codebook", "rename", "Barriers/Time", "Time pressure"])
        #expect(renamed.stderr.contains("Renamed 'Barriers/Time' to 'Time pressure'."))
        #expect(try refused(quill, ["codebook", "rename", "Time pressure", "a/b"]).contains("cannot hold '/'"))

        // move
        let moved = try ok(quill, ["codebook", "move", "Time pressure", "Evidence"])
        #expect(moved.stderr.contains("Moved 'Barriers/Time pressure' to 'Evidence/Time pressure'."))
        #expect(try refused(quill, ["codebook", "move", "Evidence", "Evidence/Search"]).contains("below it"))

        // merge: segment 4 was coded with both codes by the same coder, so it is one coding.
        let merged = try ok(quill, ["codebook", "merge", "Evidence/Search", "Barriers"])
        #expect(merged.stderr.contains("Merged 'Evidence/Search' into 'Barriers': 1 coding moved, 1 duplicate collapsed."))
        let tree = try ok(quill, ["codebook", "tree", "--format", "csv"])
        #expect(tree.stdout.contains("Barriers,3,3,true"))
        #expect(!tree.stdout.contains("Evidence/Search"))

        // delete: refused while there are codings, then forced.
        let message = try refused(quill, ["codebook", "delete", "Barriers"])
        #expect(message.contains("'Barriers'") && message.contains("3 coding(s)") && message.contains("--force"))
        let deleted = try ok(quill, ["codebook", "delete", "Barriers", "--force"])
        #expect(deleted.stderr.contains("Deleted 'Barriers', with 3 codings."))
        let log = try ok(quill, ["log", "--format", "csv"])
        #expect(log.stdout.contains("deleted code 'Barriers' with 3 coding(s)"))

        // lint, as CSV.
        let lint = try ok(quill, ["codebook", "lint", "--format", "csv"])
        #expect(
            lint.stdout == """
                finding,code,detail\r
                duplicate_name,Evidence/Barrier; Stance/Barrier,"the name 'Barrier' is used at 2 paths; rename one if they mean different things, or merge them"\r
                no_definition,Evidence,has no definition\r
                no_definition,Evidence/Synthesis,has no definition\r
                no_definition,Evidence/Barrier,has no definition\r
                no_definition,Stance,has no definition\r
                no_definition,Stance/Barrier,has no definition\r
                no_definition,Stance/Enabler,has no definition\r
                unused,Evidence,is codable but has no codings\r
                unused,Evidence/Synthesis,is codable but has no codings\r
                unused,Evidence/Barrier,is codable but has no codings\r
                unused,Evidence/Time pressure,is codable but has no codings\r
                unused,Stance/Barrier,is codable but has no codings\r
                unused,Stance/Enabler,is codable but has no codings\r

                """)
    }

    @Test func mergeWithChildrenAndSplit() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml", "interview-a.txt")
        try ok(quill, ["init"])
        try ok(quill, ["codebook", "import", "codebook.yaml"])
        try ok(quill, ["import", "interview-a.txt"])
        try ok(quill, ["code", "interview-a", "2,4", "Barriers"])
        let split = try ok(quill, ["codebook", "split", "Barriers", "Time", "--segments", "interview-a:4"])
        #expect(split.stderr.contains("Split 1 coding into the new code 'Time'."))
        try ok(quill, ["code", "interview-a", "2", "Evidence/Synthesis"])
        let message = try refused(quill, ["codebook", "merge", "Evidence", "Barriers"])
        #expect(message.contains("--with-children"))
        let merged = try ok(quill, ["codebook", "merge", "Evidence", "Barriers", "--with-children"])
        #expect(merged.stderr.contains("Merged 'Evidence' and the 3 codes below it into 'Barriers': 0 codings moved, 1 duplicate collapsed."))
    }
}
