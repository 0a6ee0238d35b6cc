import Foundation
import GRDB
import Testing

@testable import QuillKit

/// A project written by an older Quill: opening it keeps a copy first, then brings it up to date.
@Suite struct CLISchemaUpgradeTests {
    /// A project file with the schema as it was at `step`, holding a codebook.
    static func oldProject(at url: URL, upTo step: String) throws {
        let queue = try DatabaseQueue(path: url.path)
        try Schema.migrator.migrate(queue, upTo: step)
        try queue.write { db in
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            for (key, value) in [("name", "Old study"), ("guid", StableID.make("project", "old")), ("createdAt", "2024-01-01T00:00:00Z")] {
                try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES (?, ?)", arguments: [key, value])
            }
            for (order, name) in ["Évidence 😀", "Barriers"].enumerated() {
                try db.execute(
                    sql: "INSERT INTO code(guid, name, sortOrder) VALUES (?, ?, ?)",
                    arguments: [StableID.make("code", name), name, order])
            }
        }
        try queue.close()
    }

    static func migrations(_ url: URL) throws -> [String] {
        let queue = try DatabaseQueue(path: url.path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    @Test func anOlderProjectIsCopiedThenUpgradedAndWorks() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("interview-a.txt")
        let project = quill.folder.appendingPathComponent("project.quill")
        try Self.oldProject(at: project, upTo: "v3 undo log")
        let oldContent = try ProjectFingerprint.of(project)
        let oldSteps = try Self.migrations(project)
        #expect(oldSteps == ["v1 data model", "v2 search and review", "v3 undo log"])

        let tree = try quill.run(["codebook", "tree"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(tree.stdout.contains("Évidence 😀"))
        let backup = quill.folder.appendingPathComponent("project.quill.bak-v3-undo-log")
        let steps = Array(Schema.migrator.migrations.dropFirst(oldSteps.count))
        #expect(steps.first == "v4 autocode rules and proposals")
        // (The folder is left out: macOS may name the temporary folder by another path.)
        #expect(
            tree.stderr.hasPrefix(
                "Updated the project to the current format (\(steps.count) steps: \(steps.joined(separator: ", "))). "
                    + "The project as it was is kept in /"), "\(tree.stderr)")
        #expect(tree.stderr.hasSuffix("/project.quill.bak-v3-undo-log; delete that copy once you are happy.\n"), "\(tree.stderr)")
        #expect(tree.stderr.split(separator: "\n").count == 1)

        // The copy is the project exactly as it was, old schema and all.
        #expect(try Self.migrations(backup) == oldSteps)
        #expect(try ProjectFingerprint.of(backup) == oldContent)
        #expect(try Self.migrations(project) == Schema.migrator.migrations)

        // The upgraded project works, and opening it again neither upgrades nor copies.
        let imported = try quill.run(["import", "interview-a.txt"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("Updated the project"), "\(imported.stderr)")
        #expect(try quill.run(["code", "interview-a", "2", "Barriers"]).status == 0)
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try quill.run(["check"]).status == 0)
        let copies = try FileManager.default.contentsOfDirectory(atPath: quill.folder.path).filter { $0.contains(".bak-") }
        #expect(copies == [backup.lastPathComponent])
    }

    @Test func aSecondUpgradeOfTheSameStepKeepsTheFirstCopy() throws {
        let folder = try QuillRunner()
        defer { folder.cleanUp() }
        let project = folder.folder.appendingPathComponent("p.quill")
        for _ in 1...2 {
            try? FileManager.default.removeItem(at: project)
            try Self.oldProject(at: project, upTo: "v2 search and review")
            let store = try ProjectDatabase.open(at: project)
            #expect(store.upgrade?.steps.first == "v3 undo log")
            #expect(store.upgrade?.from == "v2 search and review")
        }
        let copies = try FileManager.default.contentsOfDirectory(atPath: folder.folder.path).filter { $0.contains(".bak-") }.sorted()
        #expect(copies == ["p.quill.bak-v2-search-and-review", "p.quill.bak-v2-search-and-review-2"])
    }
}
