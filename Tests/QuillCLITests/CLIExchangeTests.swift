import Foundation
import Testing

/// `quill export qdpx|qdc`, `quill import-qdpx` and `quill codebook import FILE.qdc`, end to end.
@Suite struct CLIExchangeTests {
    @Test func exportsAndImportsAProjectIntoANewOne() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["code", "interview-a", "2,4", "search", "Barriers"]).status == 0)
        #expect(try quill.run(["memo", "add", "source:interview-b", "--text", "Recorded on Teams 🙂"]).status == 0)
        let exported = try quill.run(["export", "qdpx", "study.qdpx"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("checked against the REFI-QDA project schema"))
        let again = try quill.run(["export", "qdpx", "again.qdpx"])
        #expect(again.status == 0)
        #expect(
            try Data(contentsOf: quill.folder.appendingPathComponent("study.qdpx"))
                == Data(contentsOf: quill.folder.appendingPathComponent("again.qdpx")))
        // Writing over an earlier export replaces it.
        #expect(try quill.run(["export", "qdpx", "again.qdpx"]).status == 0)
        #expect(
            try Data(contentsOf: quill.folder.appendingPathComponent("study.qdpx"))
                == Data(contentsOf: quill.folder.appendingPathComponent("again.qdpx")))
        let folder = try quill.run(["export", "qdpx", "."])
        #expect(folder.status != 0)

        try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("colleague"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: quill.folder.appendingPathComponent("study.qdpx"),
            to: quill.folder.appendingPathComponent("colleague/study.qdpx"))
        // --new: there is a project in the folder above, but the colleague wants their own.
        let imported = try quill.run(["import-qdpx", "study.qdpx", "--new"], in: "colleague")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Created"))
        #expect(imported.stderr.contains("4 coding(s) added"))
        #expect(FileManager.default.fileExists(atPath: quill.folder.appendingPathComponent("colleague/project.quill").path))
        let original = try quill.run(["codings", "export"]).stdout
        #expect(try quill.run(["codings", "export"], in: "colleague").stdout == original)
        #expect(try quill.run(["memo", "list"], in: "colleague").stdout.contains("Recorded on Teams 🙂"))
        // Importing it again changes nothing.
        let twice = try quill.run(["import-qdpx", "study.qdpx"], in: "colleague")
        #expect(twice.status == 0)
        #expect(twice.stderr.contains("Nothing new"))
        // And the import can be undone.
        #expect(try quill.run(["log"], in: "colleague").stdout.contains("imported REFI-QDA project study.qdpx"))
    }

    @Test func aColleaguesQDPXMergesIntoTheProject() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try FileManager.default.copyItem(
            at: quill.folder.appendingPathComponent("project.quill"), to: quill.folder.appendingPathComponent("bob.quill"))
        #expect(try quill.run(["code", "--project", "bob.quill", "--coder", "bob", "interview-a", "2,4", "Barriers"]).status == 0)
        #expect(try quill.run(["export", "qdpx", "--project", "bob.quill", "bob.qdpx"]).status == 0)
        let merged = try quill.run(["merge", "bob.qdpx"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stderr.contains("Merged bob.qdpx: 2 codings, 1 coder"), "\(merged.stderr)")
        #expect(
            try quill.run(["codings", "export", "--coder", "bob"]).stdout
                == quill.run(["codings", "export", "--coder", "bob", "--project", "bob.quill"]).stdout)
        #expect(try quill.run(["sources"]).stdout == quill.run(["sources", "--project", "bob.quill"]).stdout)
        let again = try quill.run(["merge", "bob.qdpx"])
        #expect(again.stderr.contains("Nothing to merge"))
    }

    @Test func theCodebookTravelsAsQDC() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let exported = try quill.run(["export", "qdc", "codes.qdc"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let fresh = try QuillRunner()
        defer { fresh.cleanUp() }
        #expect(try fresh.run(["init"]).status == 0)
        try FileManager.default.copyItem(at: quill.folder.appendingPathComponent("codes.qdc"), to: fresh.folder.appendingPathComponent("codes.qdc"))
        let imported = try fresh.run(["codebook", "import", "codes.qdc"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("8 code(s) added"))
        // A .qdc carries the codes, not the codebook's name and description.
        func codes(_ yaml: String) -> Substring { yaml[yaml.range(of: "codes:")!.lowerBound...] }
        #expect(codes(try fresh.run(["codebook", "export"]).stdout) == codes(try quill.run(["codebook", "export"]).stdout))
    }

    @Test func badFilesAndNamesFailCleanly() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try Data(contentsOf: quill.folder.appendingPathComponent("project.quill"))
        try quill.write("broken.qdpx", Data("PK\u{3}\u{4} not really".utf8))
        let broken = try quill.run(["import-qdpx", "broken.qdpx"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("broken.qdpx: it is a damaged or incomplete zip archive"), "\(broken.stderr)")
        #expect(try Data(contentsOf: quill.folder.appendingPathComponent("project.quill")) == before)
        let missing = try quill.run(["import-qdpx", "nothing.qdpx", "--new"], in: nil)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nothing.qdpx"))
        let wrongName = try quill.run(["export", "qdpx", "study.zip"])
        #expect(wrongName.status != 0)
        #expect(wrongName.stderr.contains("does not end in .qdpx"))
        let noFolder = try quill.run(["export", "qdpx", "missing/study.qdpx"])
        #expect(noFolder.status != 0)
        #expect(noFolder.stderr.contains("does not exist"))
        // A file refused after the new project was made leaves no project behind.
        try FileManager.default.createDirectory(at: quill.folder.appendingPathComponent("fresh"), withIntermediateDirectories: true)
        try quill.write(
            "fresh/dup.qde",
            Data(
                """
                <?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="dup"><CodeBook><Codes>
                <Code guid="C0DE0000-0000-4000-8000-000000000061" name="One" isCodable="true"/>
                <Code guid="C0DE0000-0000-4000-8000-000000000061" name="Two" isCodable="true"/>
                </Codes></CodeBook></Project>
                """.utf8))
        let duplicate = try quill.run(["import-qdpx", "dup.qde", "--new"], in: "fresh")
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("dup.qde: it gives the GUID C0DE0000-0000-4000-8000-000000000061 to two codes"), "\(duplicate.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: quill.folder.appendingPathComponent("fresh").path) == ["dup.qde"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: quill.folder.path).filter {
            $0.hasPrefix(".quill-export") || $0.hasSuffix(".qdpx") && $0 != "broken.qdpx"
        }
        #expect(leftovers == [])
    }
}
