import Foundation
import QuillKit
import Testing
import ZIPFoundation

/// The bad-input corpus (Fixtures/bad-input, listed with the message each must give in
/// expected.tsv), run through the built `quill` as a user would run it.
@Suite struct CLIBadInputTests {
    /// One line of expected.tsv.
    struct Case: CustomStringConvertible {
        var file: String
        var command: [String]
        var refused: Bool
        var fragment: String
        var description: String { "quill \(command.joined(separator: " ")) \(file)" }
    }

    static func cases() throws -> [Case] {
        let manifest = try String(contentsOf: try QuillRunner.fixture("bad-input/expected.tsv"), encoding: .utf8)
        return try manifest.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(cells.count == 4 && ["refused", "warned"].contains(cells[2]), "expected.tsv: '\(line)'")
            return Case(file: cells[0], command: cells[1].split(separator: " ").map(String.init), refused: cells[2] == "refused", fragment: cells[3])
        }
    }

    /// The cases too large to keep in the repository, made when the test runs.
    static let generated: [String: @Sendable (URL) throws -> Void] = [
        // A 50 MB transcript on one line, with no line break anywhere.
        "huge-line.txt": { url in
            let sentence = Data("P1: the library helped us find evidence quickly, café 😀 and all. ".utf8)
            var data = Data(capacity: 50 << 20)
            while data.count < 50 << 20 { data.append(sentence) }
            try data.write(to: url)
        },
        // A Word document whose text is 64 MB of zeros, deflated to 64 kB.
        "zip-bomb.docx": { url in
            let archive = try Archive(url: url, accessMode: .create)
            let types = Data(#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8)
            try archive.addEntry(
                with: "[Content_Types].xml", type: .file, uncompressedSize: Int64(types.count),
                compressionMethod: .deflate
            ) { position, size in types.subdata(in: Int(position)..<Int(position) + size) }
            let chunk = Data(count: 1 << 20)
            try archive.addEntry(
                with: "word/document.xml", type: .file, uncompressedSize: Int64(64 << 20),
                compressionMethod: .deflate
            ) { _, size in chunk.prefix(size) }
        },
    ]

    @Test func everyBadInputGetsOneClearMessageAndLeavesTheProjectAsItWas() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let corpus = try QuillRunner.fixture("bad-input")
        let cases = try Self.cases()
        #expect(cases.count >= 25)
        let prepared = quill.folder.appendingPathComponent("project.quill")
        for item in cases {
            let input = quill.folder.appendingPathComponent(item.file)
            if let make = Self.generated[item.file] {
                try make(input)
            } else {
                try FileManager.default.copyItem(at: corpus.appendingPathComponent(item.file), to: input)
            }
            // Each case on a copy of the prepared project of its own.
            let project = "case-\(item.file).quill"
            try FileManager.default.copyItem(at: prepared, to: quill.folder.appendingPathComponent(project))
            let before = try quill.digest(project)
            let started = Date()
            let running = try RunningQuill(quill, item.command + [item.file, "--project", project])
            let outcome = try #require(running.wait(seconds: 60), "\(item) did not finish within a minute")
            let seconds = Date().timeIntervalSince(started)
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"), "\(item) crashed: \(outcome.stderr)")
            #expect(outcome.stderr.contains(item.fragment), "\(item): \(outcome.stderr)")
            if item.refused {
                #expect(outcome.status != 0, "\(item) was not refused: \(outcome.stdout)")
                #expect(outcome.stderr.contains(item.file), "\(item): the message does not name the file: \(outcome.stderr)")
                let lines = outcome.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                #expect(lines.count == 1, "\(item) gave \(lines.count) lines, not one message: \(outcome.stderr)")
                #expect(try quill.digest(project) == before, "\(item) changed the project")
            } else {
                #expect(outcome.status == 0, "\(item): \(outcome.stderr)")
                let check = try quill.run(["check", "--project", project])
                #expect(check.status == 0, "\(item) left a project that does not check out: \(check.stdout)")
            }
            #expect(seconds < 30, "\(item) took \(Int(seconds)) s")
            try? FileManager.default.removeItem(at: input)
        }
    }
}
