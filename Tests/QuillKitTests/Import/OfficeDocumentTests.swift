import Foundation
import Testing
import ZIPFoundation

@testable import QuillKit

/// Word and OpenDocument transcripts: the fixtures in `Fixtures/office/` were written by
/// LibreOffice from the flat ODT sources in `Fixtures/office/source/` (see the README there);
/// the broken ones are made from them. Edge cases LibreOffice does not write are tested on
/// small documents zipped in memory.
@Suite struct OfficeDocumentTests {
    // MARK: Helpers

    static func fixtureURL(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("office/\(name)")
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtureURL(name))
    }

    static func docx(_ name: String) throws -> String {
        try OfficeDocument.docxText(fixture(name), path: name)
    }

    static func odt(_ name: String) throws -> String {
        try OfficeDocument.odtText(fixture(name), path: name)
    }

    /// The text as an import stores it (NFC), cut into segments.
    static func segmented(_ text: String) -> (text: String, segmentation: Segmentation) {
        let canonical = text.precomposedStringWithCanonicalMapping
        return (canonical, Segmenter.segment(canonical))
    }

    static func zip(_ entries: [(String, String)], compression: CompressionMethod = .deflate) throws -> Data {
        try TestSupport.zip(entries.map { ($0.0, Data($0.1.utf8)) }, compression: compression)
    }

    static func zip(_ entries: [(String, Data)], compression: CompressionMethod = .deflate) throws -> Data {
        try TestSupport.zip(entries, compression: compression)
    }

    static let wordNamespaces = """
        xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        """

    /// A Word document whose body is this XML.
    static func wordDocument(body: String) throws -> Data {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<w:document \(wordNamespaces)><w:body>\(body)</w:body></w:document>"
        return try zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", xml)])
    }

    static let odfNamespaces = """
        xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        """

    /// An OpenDocument text whose `office:text` is this XML.
    static func openDocument(text: String, mimetype: String = "application/vnd.oasis.opendocument.text") throws -> Data {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<office:document-content \(odfNamespaces) office:version=\"1.3\"><office:body><office:text>\(text)</office:text></office:body></office:document-content>"
        return try zip([("mimetype", mimetype), ("content.xml", xml)])
    }

    static func badInput(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation)
        -> (path: String, problem: String, remedy: String)?
    {
        TestSupport.badInput(body, sourceLocation: sourceLocation)
    }

    static let excluded = [
        "HEADER-MARK", "FOOTER-MARK", "FOOTNOTE-SECRET", "COMMENT-SECRET", "DELETED-SECRET", "DELETED-PARAGRAPH",
        "Reviewer", "Editor", "check this quote", "not to be named", "DATE", "https://",
    ]

    // MARK: The interview

    static let interviewText = """
        Interview 3 – clinical librarian, 12\u{A0}May 2025

        Transcribed on 5/13/25 by the study team

        Interviewer: Thank you for joining. Could you describe your role?

        Amélie Dupont: I’m the clinical librarian for the Trust. Most days I run searches for the ward teams 😀 and café-style drop-ins.

        Interviewer: What comes first?

        Amélie Dupont: Two things:\tsearching, and teaching.
        Then we summarise the evidence.

        Interviewer: Where do people find you?

        Amélie Dupont: On the KLS page, or in the NHS Trust library.  Ask for Zoë.

        """

    @Test func readsTheInterviewFromWord() throws {
        let text = try Self.docx("interview.docx")
        #expect(text == Self.interviewText)
        for marker in Self.excluded {
            #expect(!text.contains(marker), "\(marker) should not be in the text")
        }
    }

    @Test func readsTheInterviewFromOpenDocument() throws {
        let text = try Self.odt("interview.odt")
        #expect(text == Self.interviewText)
        for marker in Self.excluded {
            #expect(!text.contains(marker), "\(marker) should not be in the text")
        }
    }

    @Test func theInterviewSegmentsIntoSpeakerTurns() throws {
        for text in [try Self.docx("interview.docx"), try Self.odt("interview.odt")] {
            let (canonical, segmentation) = Self.segmented(text)
            #expect(segmentation.mode == .turn)
            #expect(segmentation.speakers.map(\.name) == ["Interviewer", "Amélie Dupont"])
            #expect(segmentation.speakers.map(\.turns) == [3, 3])
            #expect(segmentation.speakers.first?.isInterviewer == true)
            #expect(segmentation.unattributedLines == [1, 3])
            let turns = TestSupport.segmentTexts(segmentation, in: canonical)
            #expect(
                Array(turns.prefix(4)) == [
                    "Thank you for joining. Could you describe your role?",
                    "I’m the clinical librarian for the Trust. Most days I run searches for the ward teams 😀 and café-style drop-ins.",
                    "What comes first?",
                    "Two things:\tsearching, and teaching.\nThen we summarise the evidence.",
                ])
            #expect(
                segmentation.segments.map(\.speaker) == [
                    "Interviewer", "Amélie Dupont", "Interviewer", "Amélie Dupont",
                    "Interviewer", "Amélie Dupont",
                ])
        }
    }

    // MARK: Tables

    static let tableTranscriptText = """
        Focus group 2, ward managers

        Speaker\tTranscript

        Interviewer: Thanks for coming. How did the project start?

        P03: It started with a request from the ward manager.

        \tWe met every Tuesday in the library.

        Interviewer: And the evidence summaries?

        Søren Ólafsson: They were short.
        One page at most, with the key papers.

        """

    @Test func readsATwoColumnTranscriptTable() throws {
        #expect(try Self.docx("table-transcript.docx") == Self.tableTranscriptText)
        #expect(try Self.odt("table-transcript.odt") == Self.tableTranscriptText)
    }

    @Test func aTwoColumnTableSegmentsIntoSpeakerTurns() throws {
        for text in [try Self.docx("table-transcript.docx"), try Self.odt("table-transcript.odt")] {
            let (canonical, segmentation) = Self.segmented(text)
            #expect(segmentation.mode == .turn)
            #expect(segmentation.speakers.map(\.name) == ["Interviewer", "P03", "Søren Ólafsson"])
            #expect(segmentation.unattributedLines == [1, 3])
            #expect(
                TestSupport.segmentTexts(segmentation, in: canonical) == [
                    "Thanks for coming. How did the project start?",
                    "It started with a request from the ward manager.\n\n\tWe met every Tuesday in the library.",
                    "And the evidence summaries?",
                    "They were short.\nOne page at most, with the key papers.",
                ])
        }
    }

    static let tableTimesText = """
        Time\tSpeaker\tText

        [00:00:05] Facilitator: Welcome, everyone.

        [00:00:12] Dr Priya Shah: Happy to be here.

        [00:01:03] Facilitator: What would help most?

        [00:01:20] Dr Priya Shah: Protected time\tfor reading.

        Data table after the transcript:

        Site\tStaff\tSearches\tNotes

        North\t4\t120\tBy month:
        May\t70
        June\t50

        """

    @Test func readsATranscriptTableWithATimeColumnAndANestedTable() throws {
        #expect(try Self.docx("table-times.docx") == Self.tableTimesText)
        #expect(try Self.odt("table-times.odt") == Self.tableTimesText)
    }

    @Test func aTimedTableSegmentsIntoTimedTurns() throws {
        let (canonical, segmentation) = Self.segmented(try Self.docx("table-times.docx"))
        #expect(segmentation.mode == .turn)
        #expect(segmentation.speakers.map(\.name) == ["Facilitator", "Dr Priya Shah"])
        #expect(segmentation.segments.map(\.startTime) == [5, 12, 63, 80])
        let turns = TestSupport.segmentTexts(segmentation, in: canonical)
        #expect(Array(turns.prefix(3)) == ["Welcome, everyone.", "Happy to be here.", "What would help most?"])
        #expect(turns.last?.hasPrefix("Protected time\tfor reading.") == true)
    }

    // MARK: Tracked changes

    static let trackedChangesText = """
        Interviewer: How useful were the summaries?

        P01: They were useful, especially the one on falls prevention, and quick to read.

        Interviewer: Would you use them again?

        P01: Yes.

        """

    @Test func keepsInsertionsAndDropsDeletions() throws {
        for text in [try Self.docx("tracked-changes.docx"), try Self.odt("tracked-changes.odt")] {
            #expect(text == Self.trackedChangesText)
            #expect(!text.contains("DELETED"))
            #expect(!text.contains("very, very"))
        }
    }

    @Test func theLibreOfficeDocxRecordsTheChanges() throws {
        // The fixture really holds tracked changes, not just the accepted text.
        let archive = try Archive(data: try Self.fixture("tracked-changes.docx"), accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<w:ins "))
        #expect(text.contains("<w:delText xml:space=\"preserve\">DELETED-SECRET"))
        #expect(text.contains("<w:rPr><w:del "))
    }

    // MARK: Broken files

    static let damagedRemedy = "Copy or download the file again, or open it in your word processor and save it again."

    @Test func refusesATextFileNamedDocx() {
        let error = Self.badInput { _ = try Self.docx("not-a-zip.docx") }
        #expect(error?.path == "not-a-zip.docx")
        #expect(error?.problem == "it is not a Word document (it is not a zip archive)")
        #expect(
            error?.remedy == "Check that you chose the right file. A transcript saved as .docx by your word processor imports as it is; "
                + "otherwise save it as plain text (.txt) and import that.")
        let odt = Self.badInput { _ = try OfficeDocument.odtText(Self.fixture("not-a-zip.docx"), path: "x.odt") }
        #expect(odt?.problem == "it is not an OpenDocument text (it is not a zip archive)")
    }

    @Test func refusesAZipWithoutADocument() {
        let error = Self.badInput { _ = try Self.docx("no-document.docx") }
        #expect(error?.problem == "it is a zip archive but not a Word document (it has no word/document.xml)")
        #expect(error?.remedy == "Check that you chose the right file: Quill reads Word documents (.docx), OpenDocument texts (.odt) and plain text.")
        let odt = Self.badInput { _ = try OfficeDocument.odtText(Self.fixture("no-document.docx"), path: "x.odt") }
        #expect(odt?.problem == "it is a zip archive but not an OpenDocument text (it has no content.xml)")
    }

    @Test func refusesATruncatedDocx() {
        let error = Self.badInput { _ = try Self.docx("truncated.docx") }
        #expect(
            error?.problem == "it is a damaged or incomplete zip archive (the end of the archive is missing, as when a copy or download is cut short)"
        )
        #expect(error?.remedy == Self.damagedRemedy)
    }

    @Test func refusesAPasswordProtectedWordDocument() {
        let error = Self.badInput { _ = try Self.docx("password.docx") }
        #expect(error?.problem == "it is a password-protected (encrypted) Office document")
        #expect(
            error?.remedy == "Quill cannot read encrypted documents. Open it in Word, remove the password "
                + "(File > Info > Protect Document > Encrypt with Password, and clear the password), save it, and import it again.")
    }

    @Test func refusesAnOldWordDocumentRenamedDocx() {
        let error = Self.badInput { _ = try Self.docx("old-word.docx") }
        #expect(error?.problem == "it is an old binary Word document (.doc), not a .docx")
        #expect(error?.remedy == "Open it in Word or LibreOffice and save it as a Word document (.docx), then import that.")
    }

    @Test func refusesAnyOtherFileWithTheCompoundFileSignature() {
        let bytes = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        let error = Self.badInput { _ = try OfficeDocument.docxText(bytes, path: "mystery.docx") }
        #expect(
            error?.problem
                == "it is an OLE compound file (a password-protected Office document or an old binary .doc, .xls or .ppt file), not a .docx")
        #expect(error?.remedy == "Remove the password, or save the document from your word processor as .docx, and import it again.")
    }

    @Test func refusesAPasswordProtectedOpenDocument() {
        let error = Self.badInput { _ = try Self.odt("password.odt") }
        #expect(error?.problem == "it is a password-protected (encrypted) OpenDocument text")
        #expect(
            error?.remedy == "Quill cannot read encrypted documents. Open it in LibreOffice, save a copy without a password "
                + "(File > Save As, with 'Save with password' unticked), and import that.")
    }

    @Test func namesTheOtherKindOfDocument() throws {
        let docxAsOdt = Self.badInput { _ = try OfficeDocument.odtText(Self.fixture("interview.docx"), path: "i.odt") }
        #expect(docxAsOdt?.problem == "it is a Word document (.docx), not an OpenDocument text")
        #expect(docxAsOdt?.remedy == "Give it the .docx extension and import it again.")
        let odtAsDocx = Self.badInput { _ = try OfficeDocument.docxText(Self.fixture("interview.odt"), path: "i.docx") }
        #expect(odtAsDocx?.problem == "it is an OpenDocument text (.odt), not a Word document")
        #expect(odtAsDocx?.remedy == "Give it the .odt extension and import it again.")
        let workbook = try Self.zip([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")])
        #expect(
            Self.badInput { _ = try OfficeDocument.docxText(workbook, path: "w.docx") }?.problem
                == "it is an Excel workbook (.xlsx), not a Word document")
        let spreadsheet = try Self.openDocument(text: "", mimetype: "application/vnd.oasis.opendocument.spreadsheet")
        #expect(
            Self.badInput { _ = try OfficeDocument.odtText(spreadsheet, path: "s.odt") }?.problem
                == "it is an OpenDocument spreadsheet (.ods), not an OpenDocument text")
    }

    @Test func refusesEmptyPDFAndRTFFiles() {
        #expect(Self.badInput { _ = try OfficeDocument.docxText(Data(), path: "e.docx") }?.problem == "the file is empty")
        #expect(
            Self.badInput { _ = try OfficeDocument.docxText(Data("%PDF-1.7\n".utf8), path: "p.docx") }?.problem
                == "it is a PDF file, not a Word document")
        #expect(
            Self.badInput { _ = try OfficeDocument.odtText(Data("{\\rtf1\\ansi hello}".utf8), path: "r.odt") }?.problem
                == "it is an RTF file, not an OpenDocument text")
    }

    @Test func reportsMalformedXMLWithItsLine() throws {
        let xml =
            "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\n<w:body><w:p>\n</w:body></w:document>"
        let data = try Self.zip([("word/document.xml", xml)])
        let error = Self.badInput { _ = try OfficeDocument.docxText(data, path: "bad.docx") }
        #expect(error?.path == "bad.docx")
        #expect(error?.problem.hasPrefix("its word/document.xml is not well-formed XML (line 4: ") == true, "\(error?.problem ?? "")")
        #expect(error?.remedy == "The file is damaged or is not the kind of file its name says.")
    }

    @Test func refusesADocumentWithoutText() throws {
        let data = try Self.wordDocument(body: "<w:p/><w:p><w:r><w:t xml:space=\"preserve\">  </w:t></w:r></w:p><w:sectPr/>")
        let error = Self.badInput { _ = try OfficeDocument.docxText(data, path: "blank.docx") }
        #expect(error?.problem == "the document holds no text")
        #expect(
            error?.remedy == "Check that you chose the right file. Quill reads the body text of a document; "
                + "text in text boxes, headers, footers, comments and footnotes is not imported.")
        let odt = try Self.openDocument(text: "<text:p/><text:p>   </text:p>")
        #expect(Self.badInput { _ = try OfficeDocument.odtText(odt, path: "blank.odt") }?.problem == "the document holds no text")
    }

    @Test func refusesAZipBombAndAnOversizedPart() throws {
        let filler = "<w:p><w:r><w:t>" + String(repeating: "a", count: 3 << 20) + "</w:t></w:r></w:p>"
        let bomb = try Self.wordDocument(body: filler)
        let error = Self.badInput { _ = try OfficeDocument.docxText(bomb, path: "bomb.docx") }
        #expect(error?.problem.hasPrefix("its word/document.xml would expand ") == true, "\(error?.problem ?? "")")
        #expect(error?.problem.hasSuffix("as a zip bomb does, so it was not unpacked") == true)
        // The same text, stored without compression, is read; a smaller cap refuses it.
        let stored = try Self.zip(
            [("word/document.xml", "<w:document \(Self.wordNamespaces)><w:body>\(filler)</w:body></w:document>")],
            compression: .none)
        #expect(try OfficeDocument.docxText(stored, path: "big.docx").count == (3 << 20) + 1)
        let limits = OfficeDocument.Limits(entrySize: 1 << 20, compressionRatio: 200, ratioFloor: 1 << 20)
        let large = Self.badInput { _ = try OfficeDocument.docxText(stored, path: "big.docx", limits: limits) }
        #expect(large?.problem == "its word/document.xml is too large to read (3.0 MB uncompressed; the limit is 1.0 MB)")
    }

    @Test func refusesAnEncryptedZipEntry() throws {
        var bytes = [UInt8](try Self.wordDocument(body: "<w:p><w:r><w:t>Secret</w:t></w:r></w:p>"))
        // Set the "encrypted" flag of every entry, in the local headers and the central directory.
        for index in 0..<(bytes.count - 8) where bytes[index] == 0x50 && bytes[index + 1] == 0x4B {
            if bytes[index + 2] == 3 && bytes[index + 3] == 4 { bytes[index + 6] |= 1 }
            if bytes[index + 2] == 1 && bytes[index + 3] == 2 { bytes[index + 8] |= 1 }
        }
        let error = Self.badInput { _ = try OfficeDocument.docxText(Data(bytes), path: "locked.docx") }
        #expect(error?.problem == "its word/document.xml is encrypted (the zip archive is password-protected)")
        #expect(error?.remedy == "Quill cannot read encrypted archives. Remove the password and import the file again.")
    }

    @Test func reportsADamagedPart() throws {
        var bytes = [UInt8](try Self.wordDocument(body: "<w:p><w:r><w:t>" + (0..<300).map { "word\($0) " }.joined() + "</w:t></w:r></w:p>"))
        // Flip bytes inside word/document.xml's compressed data.
        let name = Array("word/document.xml".utf8)
        let start = try #require((0..<bytes.count).first { bytes[$0..<min($0 + name.count, bytes.count)].elementsEqual(name) })
        for offset in stride(from: start + name.count + 10, to: start + name.count + 70, by: 3) { bytes[offset] ^= 0x5A }
        let error = Self.badInput { _ = try OfficeDocument.docxText(Data(bytes), path: "damaged.docx") }
        #expect(error?.problem == "its word/document.xml is damaged and cannot be unpacked")
        #expect(error?.remedy == Self.damagedRemedy)
    }

    /// The offset of the central-directory record of an entry in a zip's bytes.
    static func centralRecord(of name: String, in bytes: [UInt8]) throws -> Int {
        let target = Array(name.utf8)
        let signature: [UInt8] = [0x50, 0x4B, 1, 2]
        var found: Int?
        for index in 0..<(bytes.count - 46 - target.count) where bytes[index..<(index + 4)].elementsEqual(signature) {
            let nameBytes = bytes[(index + 46)..<(index + 46 + target.count)]
            if nameBytes.elementsEqual(target) {
                found = index
                break
            }
        }
        return try #require(found)
    }

    @Test func reportsADeflateStreamCutShort() throws {
        var bytes = [UInt8](try Self.wordDocument(body: "<w:p><w:r><w:t>" + (0..<300).map { "word\($0) " }.joined() + "</w:t></w:r></w:p>"))
        // Halve the compressed size the directory gives: the stream then ends before its end.
        let record = try Self.centralRecord(of: "word/document.xml", in: bytes)
        let size = Int(bytes[record + 20]) | Int(bytes[record + 21]) << 8
        bytes[record + 20] = UInt8((size / 2) & 0xFF)
        bytes[record + 21] = UInt8((size / 2) >> 8)
        let error = Self.badInput { _ = try OfficeDocument.docxText(Data(bytes), path: "short.docx") }
        #expect(error?.problem == "its word/document.xml is damaged and cannot be unpacked")
    }

    @Test func reportsADirectoryThatPointsOutsideTheFile() throws {
        var bytes = [UInt8](try Self.wordDocument(body: "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>"))
        // The end record's offset of the central directory, then a local-header offset, far past the end.
        var outside = bytes
        outside[outside.count - 6] = 0x00
        outside[outside.count - 5] = 0xFF
        outside[outside.count - 4] = 0xFF
        outside[outside.count - 3] = 0x7F
        let error = Self.badInput { _ = try OfficeDocument.docxText(Data(outside), path: "outside.docx") }
        #expect(error?.problem == "it is a damaged zip archive (its list of files cannot be read)")
        #expect(error?.remedy == Self.damagedRemedy)
        let record = try Self.centralRecord(of: "word/document.xml", in: bytes)
        for offset in 42...45 { bytes[record + offset] = 0xF0 }
        let local = Self.badInput { _ = try OfficeDocument.docxText(Data(bytes), path: "local.docx") }
        #expect(local?.problem == "its word/document.xml is damaged and cannot be unpacked")
    }

    @Test func neverFailsWithAnythingButAQuillError() throws {
        // Cut and corrupt the real fixtures in many places: each try either reads or says why not.
        for name in ["interview.docx", "interview.odt", "table-times.docx", "tracked-changes.odt"] {
            let original = [UInt8](try Self.fixture(name))
            var variants: [[UInt8]] = stride(from: 1, to: original.count, by: max(1, original.count / 40)).map { Array(original[..<$0]) }
            var generator = SeededGenerator(seed: UInt64(original.count))
            for _ in 0..<40 {
                var copy = original
                for _ in 0..<8 { copy[Int(generator.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: generator.next()) }
                variants.append(copy)
            }
            for bytes in variants {
                do {
                    _ =
                        name.hasSuffix(".docx")
                        ? try OfficeDocument.docxText(Data(bytes), path: name)
                        : try OfficeDocument.odtText(Data(bytes), path: name)
                } catch is QuillError {
                } catch {
                    Issue.record("\(name), \(bytes.count) bytes: \(error)")
                }
            }
        }
    }

    // MARK: Word details LibreOffice does not write

    @Test func readsWordRunsFieldsContentControlsAndMoves() throws {
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>\
            <w:r><w:t xml:space="preserve">Interviewer: A </w:t></w:r>\
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://x.org" </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>field result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
            <w:r><w:t xml:space="preserve">, a </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>\
            <w:r><w:t xml:space="preserve">, well</w:t><w:noBreakHyphen/><w:t>known</w:t><w:softHyphen/><w:t xml:space="preserve"> name</w:t>\
            <w:sym w:font="Wingdings" w:char="F04A"/><w:footnoteReference w:id="1"/><w:endnoteReference w:id="2"/></w:r>\
            <w:moveFrom w:id="3" w:author="E"><w:r><w:t>MOVED-AWAY</w:t></w:r></w:moveFrom>\
            <w:sdt><w:sdtPr><w:alias w:val="SDT-PROPERTY"/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve"> in a control</w:t></w:r></w:sdtContent></w:sdt>\
            <w:moveTo w:id="4" w:author="E"><w:r><w:t xml:space="preserve"> moved here</w:t></w:r></w:moveTo>\
            <w:smartTag w:uri="u" w:element="place"><w:r><w:t>.</w:t></w:r></w:smartTag>\
            <w:r><w:cr/><w:t>Next line</w:t><w:tab/><w:t>tabbed   </w:t></w:r></w:p>\
            <w:sdt><w:sdtContent><w:p><w:r><w:t>P2: A block content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>\
            <w:p><w:r><w:t>P2: Before the box</w:t></w:r><w:r><w:drawing><wp:anchor><a:graphic><a:graphicData>\
            <wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>TEXTBOX-SECRET</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>\
            </a:graphicData></a:graphic></wp:anchor></w:drawing></w:r><w:r><w:pict><w:p><w:r><w:t>VML-SECRET</w:t></w:r></w:p></w:pict></w:r>\
            <mc:AlternateContent><mc:Choice><w:r><w:t>CHOICE-SECRET</w:t></w:r></mc:Choice></mc:AlternateContent>\
            <w:r><w:t xml:space="preserve"> and after.</w:t></w:r><w:del w:id="5" w:author="E"><w:r><w:delText>GONE</w:delText></w:r></w:del></w:p>\
            <w:p><w:r><w:t>\u{A0}</w:t></w:r></w:p>\
            <w:p><w:r><w:br/><w:t xml:space="preserve">Interviewer: Broken   </w:t><w:br/><w:br/><w:t>twice.</w:t><w:br/></w:r></w:p>\
            <w:sectPr/>
            """
        let text = try OfficeDocument.docxText(try Self.wordDocument(body: body), path: "details.docx")
        #expect(
            text == """
                Interviewer: A field result, a 7, well-known name in a control moved here.
                Next line\ttabbed

                P2: A block content control.

                P2: Before the box and after.

                Interviewer: Broken

                twice.

                """)
    }

    @Test func readsWordTablesRowByRow() throws {
        func cell(_ text: String) -> String { "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p></w:tc>" }
        func row(_ cells: String...) -> String { "<w:tr>" + cells.joined() + "</w:tr>" }
        let body =
            "<w:tbl><w:tblPr/><w:tblGrid/>"
            + row(cell("Speaker"), cell("Text"))
            + row(cell("Interviewer (JS):"), cell("First question?"))
            + row(cell("[00:02:10]"), cell("R2"), cell("An answer."))
            + row(cell("R2"), cell("More,"), cell("and a note"))
            + "<w:tr><w:trPr><w:del w:id=\"1\" w:author=\"E\"/></w:trPr>" + cell("DELETED-ROW") + cell("x") + "</w:tr>"
            + row(cell("a sentence that is not a label"), cell("text"))
            + row(cell("One"), cell("Two"), cell("Three"), cell("Four"))
            + row(cell(""), cell(""))
            + "</w:tbl>"
        let text = try OfficeDocument.docxText(try Self.wordDocument(body: body), path: "table.docx")
        #expect(
            text == """
                Speaker\tText

                Interviewer (JS): First question?

                [00:02:10] R2: An answer.

                R2: More,\tand a note

                a sentence that is not a label\ttext

                One\tTwo\tThree\tFour

                """)
    }

    @Test func readsStrictWordprocessingML() throws {
        let xml =
            "<w:document xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><w:body><w:p><w:r><w:t>Strict.</w:t></w:r></w:p></w:body></w:document>"
        #expect(try OfficeDocument.docxText(try Self.zip([("word/document.xml", xml)]), path: "s.docx") == "Strict.\n")
        let other = "<document xmlns=\"urn:other\"><body/></document>"
        let error = Self.badInput { _ = try OfficeDocument.docxText(try Self.zip([("word/document.xml", other)]), path: "o.docx") }
        #expect(error?.problem == "its word/document.xml is not the body of a Word document (its root element is <document>)")
    }

    @Test func refusesDocumentTypeDeclarationsAndTheirEntities() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY inner "INNER-ENTITY">]>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\
            <w:p><w:r><w:t>before &secret;&inner; &amp; after</w:t></w:r></w:p></w:body></w:document>
            """
        let error = Self.badInput { _ = try OfficeDocument.docxText(try Self.zip([("word/document.xml", xml)]), path: "entities.docx") }
        #expect(error?.problem == "its word/document.xml has a document type declaration (<!DOCTYPE …>), which word processors never write")
        #expect(error?.path == "entities.docx")
    }

    // MARK: OpenDocument details LibreOffice writes differently

    @Test func readsOpenDocumentListsSpacesSectionsAndFrames() throws {
        let text = """
            <text:h text:outline-level="1"><text:number>1.</text:number>Heading   with
               spaces</text:h>
            <text:section text:name="S"><text:list><text:list-item><text:p>P04: first item</text:p>\
            <text:list><text:list-item><text:p>nested<text:s/> <text:s text:c="3"/>item<text:soft-page-break/></text:p></text:list-item></text:list>\
            </text:list-item></text:list></text:section>
            <text:p>P04: a<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body>\
            <text:p>ENDNOTE-SECRET</text:p></text:note-body></text:note> frame<draw:frame><draw:text-box><text:p>FRAME-SECRET</text:p>\
            </draw:text-box></draw:frame><office:annotation><dc:creator>C</dc:creator><text:p>COMMENT-SECRET</text:p></office:annotation>\
            , and<text:change text:change-id="c1"/> <text:span><text:a>a link</text:a></text:span><text:bookmark text:name="b"/>.</text:p>
            <text:p text:style-name="Empty">   </text:p>
            <table:table><table:table-column/><table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Spanning</text:p></table:table-cell>\
            <table:covered-table-cell/></table:table-row><table:table-row-group><table:table-row><table:table-cell><text:p>P04</text:p></table:table-cell>\
            <table:table-cell><text:p>In a row group.</text:p></table:table-cell></table:table-row></table:table-row-group></table:table>
            """
        let result = try OfficeDocument.odtText(try Self.openDocument(text: text), path: "details.odt")
        #expect(
            result == """
                Heading with spaces

                P04: first item

                nested     item

                P04: a frame, and a link.

                Spanning

                P04: In a row group.

                """)
    }
}
