import Foundation
import Testing

@testable import QuillKit

/// `quill run` reads only what is inside its folder of transcripts.
@Suite struct CLIRunFolderTests {
    @Test func runSkipsLinksOutOfTheFolderAndJunkAndSaysSo() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        // A file that would import as a transcript if it were followed.
        let secret = "SECRET-\(UUID().uuidString)"
        try quill.write("private/credentials.txt", Data("Interviewer: The key?\nP09: It is \(secret).\n".utf8))
        try quill.write("tr/a.txt", Data(contentsOf: try QuillRunner.fixture("interview-a.txt")))
        try quill.write("tr/site-b/b.md", Data(contentsOf: try QuillRunner.fixture("interview-b.md")))
        try quill.write("tr/Thumbs.db", Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]))
        try quill.write("tr/~$x.docx", Data([0x06, 0x74, 0x65, 0x73, 0x74, 0, 0]))
        try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("tr/empty"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: quill.folder.appendingPathComponent("tr/credentials.txt").path,
            withDestinationPath: "../private/credentials.txt")
        try FileManager.default.createSymbolicLink(
            atPath: quill.folder.appendingPathComponent("tr/private").path,
            withDestinationPath: quill.folder.appendingPathComponent("private").path)

        let result = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml", "--out", "E"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix(
                "Skipped 5 files and folders: Thumbs.db (system file), credentials.txt (a link to outside the folder), "
                    + "empty/ (empty folder), private (a link to outside the folder), ~$x.docx (Word lock file).\n"),
            "\(result.stderr)")
        #expect(result.stderr.contains("Imported a: "), "\(result.stderr)")
        #expect(result.stderr.contains("Imported b: "), "\(result.stderr)")
        let sources = try SourceCatalog(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).sources()
        #expect(sources.map(\.name) == ["a", "b"])

        // The secret is in no file Quill wrote: not the project, the report, the tables or the export.
        let needle = Data(secret.utf8)
        let written = try #require(
            FileManager.default.enumerator(at: quill.folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]))
        var checked: [String] = []
        for case let url as URL in written where !url.path.contains("/private") {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            #expect(try Data(contentsOf: url).range(of: needle) == nil, "the secret is in \(url.path)")
            checked.append(url.lastPathComponent)
        }
        #expect(Set(["project.quill", "report.html", "report.md", "project.qdpx", "excerpts.csv"]).isSubset(of: Set(checked)), "\(checked)")
        // The export is compressed: its texts are read back.
        let exchange = try REFIPackage.read(quill.folder.appendingPathComponent("E/project.qdpx"))
        #expect(exchange.texts.count == 2)
        #expect(!exchange.texts.values.contains { $0.contains(secret) })
    }

    @Test func aFolderOfOnlyJunkHasNoTranscripts() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("tr/Thumbs.db", Data([0]))
        try quill.write("tr/.DS_Store", Data([0]))
        let result = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml"])
        #expect(result.status == 1)
        #expect(
            result.stderr == "Error: tr: the folder has no transcripts (.txt, .md, .docx, .odt, .vtt, .srt); it holds only "
                + ".DS_Store (system file), Thumbs.db (system file). Put transcripts in it, or choose another folder.\n")
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))
    }

    @Test func aPDFAmongTheTranscriptsStillFailsTheRun() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try quill.copy("codebook.yaml")
        try quill.write("tr/a.txt", Data(contentsOf: try QuillRunner.fixture("interview-a.txt")))
        try quill.write("tr/notes/paper.pdf", Data("%PDF-1.4\n".utf8))
        try quill.write("tr/Thumbs.db", Data([0]))
        let result = try quill.run(["run", "--transcripts", "tr", "--codebook", "codebook.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Error: tr/notes/paper.pdf: this is a .pdf file."), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("project.quill").path))
    }
}
