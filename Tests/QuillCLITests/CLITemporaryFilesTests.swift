import Foundation
import QuillKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Temporary files are private, and a signal does not leave them (or a half-made project) behind.
@Suite struct CLITemporaryFilesTests {
    /// Waits, as a guard against a hang rather than a measure, until a file exists.
    private func waitForFile(_ url: URL, while running: RunningQuill) -> Bool {
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: url.path) {
            guard running.process.isRunning, Date() < deadline else { return false }
            usleep(2_000)
        }
        return true
    }

    private func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aSignalWhileTheSheetIsInTheEditorRemovesIt(signal: Int32) throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let temporary = quill.folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        // The editor says it has the sheet open (with its process number), then waits.
        let marker = quill.folder.appendingPathComponent("editing")
        let editor = quill.folder.appendingPathComponent("editor.sh")
        try quill.write(
            "editor.sh",
            Data(
                """
                #!/bin/sh
                echo $$ > "\(marker.path).new" && mv "\(marker.path).new" "\(marker.path)"
                exec sleep 300
                """.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        let before = try quill.digest()

        let running = try RunningQuill(
            quill, ["sheet", "edit", "interview-a"],
            environment: ["EDITOR": editor.path, "VISUAL": "", "TMPDIR": temporary.path])
        #expect(waitForFile(marker, while: running), "the editor never started: \(running.result().stderr)")
        defer {
            if let pid = Int32((try? String(contentsOf: marker, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
                kill(pid, SIGKILL)
            }
        }
        // While the editor has it: a private folder with a private file.
        let folders = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        #expect(folders.count == 1)
        let folder = temporary.appendingPathComponent(try #require(folders.first))
        #expect(folder.lastPathComponent.hasPrefix("quill-sheet-"))
        #expect(try mode(folder) == 0o700)
        #expect(try mode(folder.appendingPathComponent("interview-a.md")) == 0o600)

        kill(running.process.processIdentifier, signal)
        let result = try #require(running.wait(seconds: 120), "quill did not end after signal \(signal)")
        #expect(running.process.terminationReason == .exit)
        #expect(result.status == 128 + signal, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
        #expect(try quill.digest() == before)
    }

    @Test func aSignalDuringAFirstRunLeavesNoProject() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        // Enough text that the import and autocoding take a while after the project is made.
        let turn = "P01: We search the evidence, synthesise it and share the findings with the clinical teams every week.\n"
        for index in 0..<150 {
            try quill.write("T/interview-\(index).txt", Data((0..<200).map { "Interviewer: Question \($0) for \(index)?\n" + turn }.joined().utf8))
        }
        try quill.copy("codebook.yaml")
        let project = quill.folder.appendingPathComponent("project.quill")
        let running = try RunningQuill(quill, ["run", "--transcripts", "T", "--codebook", "codebook.yaml", "--out", "E"])
        #expect(waitForFile(project, while: running), "quill run never made the project: \(running.result().stderr)")
        kill(running.process.processIdentifier, SIGINT)
        let result = try #require(running.wait(seconds: 300), "quill run did not end after SIGINT")
        let left = try FileManager.default.contentsOfDirectory(atPath: quill.folder.path).filter { $0.hasPrefix("project.quill") }
        if result.status == 0 {
            // The run finished before the signal came: the project is whole.
            #expect(try SourceCatalog(ProjectDatabase.open(at: project)).sources().count == 150)
        } else {
            #expect(result.status == 128 + SIGINT, "\(result.stderr)")
            #expect(left.isEmpty, "left behind: \(left)")
        }
        let exports = (try? FileManager.default.contentsOfDirectory(atPath: quill.folder.appendingPathComponent("E").path)) ?? []
        #expect(!exports.contains { $0.hasPrefix(".quill-") }, "\(exports)")
    }
}
