import Foundation
import GRDB
import QuillKit
import Testing

/// Several `quill` processes changing one project at the same time.
@Suite struct CLIConcurrencyTests {
    @Test func sixCodersAtOnceLoseNoCoding() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        // Six coders, each coding every segment of both sources with a code of their own,
        // and then some segments with a shared one, three rounds each: 36 commands at once.
        let codes = ["Evidence/Search", "Evidence/Synthesis", "Evidence/Barrier", "Barriers", "Stance/Barrier", "Stance/Enabler"]
        var running: [(String, RunningQuill)] = []
        for (number, code) in codes.enumerated() {
            let coder = "coder-\(number + 1)"
            for arguments in [
                ["code", "interview-a", "all", code], ["code", "interview-b", "all", code], ["code", "interview-a", "\(number % 3 + 1)", "Evidence"],
            ] {
                running.append((coder, try RunningQuill(quill, arguments + ["--coder", coder])))
            }
        }
        for (coder, process) in running {
            let result = try #require(process.wait(seconds: 60), "\(coder) hung")
            #expect(result.status == 0, "\(coder): \(result.stderr)")
            #expect(!result.stderr.contains("database is locked"), "\(coder): \(result.stderr)")
        }
        let segments = try ProjectFingerprint.segmentsPerSource(quill.folder.appendingPathComponent("project.quill"))
        let queue = try DatabaseQueue(path: quill.folder.appendingPathComponent("project.quill").path)
        let perCoder = try queue.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.name, count(*) AS n FROM coding c JOIN coder d ON d.id = c.coderId GROUP BY d.name
                        """
                ).map { ($0["name"] as String, $0["n"] as Int) })
        }
        try queue.close()
        let expected = segments.values.reduce(0, +) + 1
        for number in 1...codes.count {
            #expect(perCoder["coder-\(number)"] == expected, "coder-\(number): \(perCoder)")
        }
        #expect(try quill.run(["check"]).status == 0)
        #expect(try quill.run(["log"]).stdout.split(separator: "\n").count >= running.count)
    }

    @Test func aProjectLockedForTooLongGetsAClearMessageAndNothingChanges() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try quill.digest()
        // Another program holds the write lock and does not let go.
        let queue = try DatabaseQueue(path: quill.folder.appendingPathComponent("project.quill").path)
        let started = Date()
        let refused = try queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try quill.run(["code", "interview-a", "2", "Search"], environment: ["QUILL_BUSY_TIMEOUT": "1"])
        }
        let waited = Date().timeIntervalSince(started)
        try queue.close()
        #expect(refused.status != 0)
        #expect(refused.stderr.hasPrefix("Error: Another quill is changing the project /"), "\(refused.stderr)")
        #expect(
            refused.stderr.hasSuffix(
                "/project.quill, and it is still busy. Nothing was changed; "
                    + "try again in a moment (set QUILL_BUSY_TIMEOUT to wait longer than 1 second).\n"), "\(refused.stderr)")
        #expect(waited >= 1 && waited < 10, "waited \(waited) s")
        #expect(try quill.digest() == before)
        // Once the lock is gone, the same command goes through.
        #expect(try quill.run(["code", "interview-a", "2", "Search"]).status == 0)
    }
}
