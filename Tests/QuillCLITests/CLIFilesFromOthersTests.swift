import Foundation
import GRDB
import QuillKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A project file from someone else, run through the built `quill` as a user would: a planted
/// undo record writes nothing, a planted trigger stops `merge` and every other command, and a
/// killed `merge` or `backup` leaves nothing behind.
@Suite struct CLIFilesFromOthersTests {
    /// Changes a project file as its sender could, outside Quill.
    private func tamper(_ url: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    private func listing(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") }.sorted()
    }

    @Test func undoOfAReceivedProjectWithAPlantedRecordWritesNothing() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode", "--apply"]).status == 0)
        let ssh = quill.folder.appendingPathComponent("home/.ssh")
        try FileManager.default.createDirectory(at: ssh, withIntermediateDirectories: true)
        let keys = ssh.appendingPathComponent("authorized_keys").path
        let project = quill.folder.appendingPathComponent("project.quill")
        try tamper(
            project,
            """
            INSERT INTO undoLog(statement) VALUES ('ATTACH DATABASE ''\(keys)'' AS x; CREATE TABLE x.t(a); INSERT INTO x.t VALUES (''ssh-ed25519 AAAA'')');
            INSERT INTO history(at, coder, command, summary, details) SELECT '2026-01-01T00:00:00Z', 'sender', 'quill code', 'coded 1 segment',
                'undo ' || max(seq) || '-' || max(seq) FROM undoLog;
            """)
        let before = try quill.digest()
        let undo = try quill.run(["undo"])
        #expect(undo.status != 0)
        #expect(undo.stderr.contains("cannot be undone") && undo.stderr.contains("is not one Quill writes"), "\(undo.stderr)")
        #expect(try listing(ssh).isEmpty)
        #expect(try quill.digest() == before)
        let check = try quill.run(["check"])
        #expect(check.status == 1 && check.stdout.contains("undo record"), "\(check.stdout)")
    }

    @Test func aPlantedTriggerStopsEveryCommandAndMerge() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try FileManager.default.copyItem(
            at: quill.folder.appendingPathComponent("project.quill"),
            to: quill.folder.appendingPathComponent("colleague.quill"))
        let colleague = quill.folder.appendingPathComponent("colleague.quill")
        try tamper(colleague, "CREATE TRIGGER planted AFTER INSERT ON coding BEGIN DELETE FROM memo; END")
        let bytes = try Data(contentsOf: colleague)
        let before = try quill.digest()
        let merge = try quill.run(["merge", "colleague.quill"])
        #expect(merge.status != 0)
        #expect(merge.stderr.contains("colleague.quill is not a project Quill will use: it has a trigger 'planted' on 'coding'"), "\(merge.stderr)")
        #expect(try quill.digest() == before)
        #expect(try Data(contentsOf: colleague) == bytes)
        for arguments in [["stats", "frequency"], ["check"], ["code", "interview-a", "2", "Barriers"]] {
            let result = try quill.run(arguments + ["--project", "colleague.quill"])
            #expect(result.status != 0 && result.stderr.contains("trigger 'planted'"), "quill \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        #expect(try Data(contentsOf: colleague) == bytes)
    }

    @Test func aDamagedProjectIsNotMerged() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode", "--apply"]).status == 0)
        try FileManager.default.copyItem(
            at: quill.folder.appendingPathComponent("project.quill"),
            to: quill.folder.appendingPathComponent("damaged.quill"))
        try tamper(
            quill.folder.appendingPathComponent("damaged.quill"),
            """
            UPDATE coding SET "end" = 999999 WHERE id = (SELECT min(id) FROM coding);
            """)
        #expect(try quill.run(["undo"]).status == 0)
        let before = try quill.digest()
        let merge = try quill.run(["merge", "damaged.quill"])
        #expect(merge.status != 0 && merge.stderr.contains("damaged.quill is damaged, so nothing of it was taken in"), "\(merge.stderr)")
        #expect(try quill.digest() == before)
    }

    /// SIGKILL at random moments of `merge` and `backup`: no copy of the other project in the
    /// temporary folder or beside it, and no backup but a whole one.
    @Test func killedMergeAndBackupLeaveNothingBehind() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let files = (1...3).map { "long-\($0).txt" }
        for (number, file) in files.enumerated() {
            try quill.write(file, Data(CLICrashConsistencyTests.transcript(number + 1, turns: 150).utf8))
        }
        try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("colleague"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: quill.folder.appendingPathComponent("project.quill"),
            to: quill.folder.appendingPathComponent("colleague/project.quill"))
        #expect(try quill.run(["import"] + files.map { "../" + $0 }, in: "colleague").status == 0)
        #expect(try quill.run(["autocode", "--apply"], in: "colleague").status == 0)
        let colleague = quill.folder.appendingPathComponent("colleague")
        let colleagueBytes = try Data(contentsOf: colleague.appendingPathComponent("project.quill"))
        let colleagueListing = try listing(colleague)
        let ours = quill.folder.appendingPathComponent("project.quill")
        try FileManager.default.copyItem(at: ours, to: quill.folder.appendingPathComponent("start.quill"))

        var generator = SeededGenerator(seed: 20_261_203)
        var killedWhileRunning = 0
        for (name, arguments) in [("merge", ["merge", "colleague/project.quill"]), ("backup", ["backup", "backups/copy.quill"])] {
            let temporary = quill.folder.appendingPathComponent("tmp-\(name)")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("backups"), withIntermediateDirectories: true)
            let started = Date()
            let reference = try quill.run(arguments, environment: ["TMPDIR": temporary.path])
            let duration = Date().timeIntervalSince(started)
            try #require(reference.status == 0, "quill \(name): \(reference.stderr)")
            for run in 0..<8 {
                try? FileManager.default.removeItem(at: ours)
                try FileManager.default.copyItem(at: quill.folder.appendingPathComponent("start.quill"), to: ours)
                try? FileManager.default.removeItem(at: quill.folder.appendingPathComponent("backups"))
                try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("backups"), withIntermediateDirectories: true)
                let delay = Double.random(in: 0...(duration * 1.1), using: &generator)
                let running = try RunningQuill(quill, arguments, environment: ["TMPDIR": temporary.path])
                usleep(useconds_t(delay * 1_000_000))
                if running.killHard() { killedWhileRunning += 1 }
                let label = "quill \(name) killed after \(Int(delay * 1000)) of \(Int(duration * 1000)) ms (run \(run))"
                let leftInTemporary = try listing(temporary), besideColleague = try listing(colleague)
                #expect(leftInTemporary.isEmpty, "\(label): left \(leftInTemporary) in the temporary folder")
                #expect(besideColleague == colleagueListing, "\(label): left \(besideColleague) beside the other project")
                #expect(try Data(contentsOf: colleague.appendingPathComponent("project.quill")) == colleagueBytes, "\(label)")
                let backups = try listing(quill.folder.appendingPathComponent("backups"))
                #expect(backups.isEmpty || backups == ["copy.quill"], "\(label): \(backups)")
                if backups == ["copy.quill"] {
                    let check = try quill.run(["check", "--project", "backups/copy.quill"])
                    #expect(check.status == 0, "\(label): the backup does not check out: \(check.stdout) \(check.stderr)")
                }
                #expect(try quill.run(["check"]).status == 0, "\(label)")
            }
        }
        #expect(killedWhileRunning >= 4, "killed while running: \(killedWhileRunning)")
    }
}
