import Foundation
import QuillKit
import Testing

/// Word, OpenDocument and caption files through the built binary.
@Suite struct CLIFormatsTests {
    /// A fixture of the library's tests or a shipped transcript, by its path in the repository.
    private func copy(_ paths: [String], into quill: QuillRunner) throws {
        for path in paths {
            let source = QuillRunner.repository.appendingPathComponent(path)
            try FileManager.default.copyItem(at: source, to: quill.folder.appendingPathComponent(source.lastPathComponent))
        }
    }

    @Test func everyFormatImportsWithSpeakersAndTimes() throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try copy(
            [
                "Transcripts/interview-07-qi-lead.docx", "Transcripts/interview-08-digital-lead.vtt",
                "Tests/QuillKitTests/Fixtures/office/interview.odt", "Tests/QuillKitTests/Fixtures/captions/kls-interview.srt",
            ],
            into: quill)
        #expect(try quill.run(["init"]).status == 0)
        let imported = try quill.run(["import", "interview-07-qi-lead.docx", "interview-08-digital-lead.vtt", "interview.odt", "kls-interview.srt"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stderr.contains(
                "Imported interview-07-qi-lead: 24 turns by 2 speakers (Interviewer (interviewer), Marcus); 2 lines not attributed to a speaker"))
        #expect(imported.stderr.contains("Imported interview-08-digital-lead: 34 turns by 2 speakers (Interviewer (interviewer), Priya Raman)."))
        #expect(imported.stderr.contains("Imported interview: 6 turns by 2 speakers (Interviewer (interviewer), Amélie Dupont)"))
        #expect(imported.stderr.contains("Imported kls-interview: 8 turns by 2 speakers (INTERVIEWER (interviewer), Bridget)."))

        let sources = try quill.run(["sources", "--format", "csv"]).stdout
        #expect(sources.contains(",interview-07-qi-lead,docx,turn,24,2,"))
        #expect(sources.contains(",interview-08-digital-lead,vtt,turn,34,2,"))

        let word = try quill.run(["show", "interview-07"]).stdout
        #expect(word.contains("[2] Marcus\n"))
        #expect(!word.contains("confidential"), "the page header is not transcript text")
        #expect(!word.contains("QSIR stands for"), "the footnote is not transcript text")

        let zoom = try quill.run(["show", "interview-08", "--format", "json"]).stdout
        #expect(zoom.contains("\"segment\": 2, \"speaker\": \"Priya Raman\", \"interviewer\": false, \"time\": \"00:00:08\""))
        let zoomText = try quill.run(["show", "interview-08"]).stdout
        #expect(
            zoomText.contains("[2] Priya Raman · 00:00:08–00:00:17\n    Yes, fine. Sorry, one second, I'm closing the door. Right. Sorry, go ahead."))

        // Caption sources keep their cue times when cut into sentences and back.
        #expect(try quill.run(["resegment", "interview-08", "--segment", "sentence"]).status == 0)
        #expect(try quill.run(["resegment", "interview-08", "--segment", "turn"]).stderr.contains("became 34 turns"))
        #expect(try quill.run(["show", "interview-08"]).stdout.contains("[2] Priya Raman · 00:00:08–00:00:17\n"))
    }

    @Test(arguments: [
        ("Tests/QuillKitTests/Fixtures/office/not-a-zip.docx", "not-a-zip.docx: it is not a Word document (it is not a zip archive)"),
        (
            "Tests/QuillKitTests/Fixtures/office/no-document.docx",
            "no-document.docx: it is a zip archive but not a Word document (it has no word/document.xml)"
        ),
        ("Tests/QuillKitTests/Fixtures/office/truncated.docx", "truncated.docx: it is a damaged or incomplete zip archive"),
        ("Tests/QuillKitTests/Fixtures/office/password.docx", "password.docx: it is a password-protected (encrypted) Office document"),
        ("Tests/QuillKitTests/Fixtures/captions/truncated.vtt", "truncated.vtt: line 16 is not a valid cue timing line"),
        ("Tests/QuillKitTests/Fixtures/captions/no-header.vtt", "no-header.vtt: the file is not WebVTT"),
    ])
    func brokenFilesAreOneErrorAndChangeNothing(path: String, message: String) throws {
        let quill = try QuillRunner()
        defer { quill.cleanUp() }
        try copy([path, "Transcripts/interview-08-digital-lead.vtt"], into: quill)
        #expect(try quill.run(["init"]).status == 0)
        let digest = try quill.digest()
        let name = URL(fileURLWithPath: path).lastPathComponent
        let result = try quill.run(["import", "interview-08-digital-lead.vtt", name])
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try quill.digest() == digest, "all or nothing: the good file is not imported either")
    }
}
