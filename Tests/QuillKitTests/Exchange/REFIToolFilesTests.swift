import Foundation
import GRDB
import Testing
import ZIPFoundation

@testable import QuillKit

/// Files in the shapes NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and qc write (as
/// `shared/refi-qda/NOTES.md` describes them), and hostile files. Every import must code the
/// very text the other tool coded, and what Quill then exports must validate.
@Suite struct REFIToolFilesTests {
    // MARK: Helpers

    /// A `.qdpx` written to a new folder from a `.qde` and other entries.
    static func qdpx(
        _ qde: String, qdeName: String = "project.qde", files: [(String, Data)] = [],
        compression: CompressionMethod = .deflate
    ) throws -> URL {
        let folder = try TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("export.qdpx")
        try TestSupport.zip([(qdeName, Data(qde.utf8))] + files, compression: compression).write(to: url)
        return url
    }

    static func project(_ qde: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <Project xmlns="urn:QDA-XML:project:1.0" \(qde)
        """
    }

    /// Positions of a piece of a text, counted in UTF-16 units or code points, with CR LF as
    /// one or two.
    static func positions(of piece: String, in text: String, utf16: Bool, crlfIsTwo: Bool = true) -> (Int, Int) {
        let range = text.range(of: piece)!
        func count(_ part: Substring) -> Int {
            var total = utf16 ? part.utf16.count : part.unicodeScalars.count
            if !crlfIsTwo { total -= part.components(separatedBy: "\r\n").count - 1 }
            return total
        }
        let start = count(text[..<range.lowerBound])
        return (start, start + count(text[range]))
    }

    /// A new project with the file imported.
    static func imported(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> (ProjectDatabase, REFIImportReport) {
        let store = try ProjectDatabase.create(at: url.deletingLastPathComponent().appendingPathComponent("p.quill"), name: "Imported")
        let report = try REFIImporter(store).importREFI(url, isNewProject: true, actor: TestSupport.actor())
        // Whatever came in exports again, valid.
        _ = try REFIExporter(store).exportQDPX(to: url.deletingLastPathComponent().appendingPathComponent("round.qdpx"))
        return (store, report)
    }

    /// The coded texts, as "code: text" lines, sorted.
    static func codedTexts(_ store: ProjectDatabase) throws -> [String] {
        try store.read { db in
            let tree = try CodeTree.load(db)
            return try Row.fetchAll(db, sql: "SELECT c.codeId, c.start, c.\"end\", s.text FROM coding c JOIN source s ON s.id = c.sourceId").map {
                row in
                let text = ScalarText(row["text"] as String)[TextSpan(start: row["start"], end: row["end"])]
                return "\(tree.displayPath(of: row["codeId"])): \(text)"
            }.sorted()
        }
    }

    // MARK: NVivo

    @Test func nvivoForWindowsCountsUTF16UnitsAfterEmoji() throws {
        let text = "Interviewer: How was it? 😀😀\r\nP1: The library 📚 helped us find evidence quickly 👍.\r\n"
        let evidence = Self.positions(of: "evidence", in: text, utf16: true)
        let passage = Self.positions(of: "find evidence quickly 👍", in: text, utf16: true)
        let qde = Self.project(
            """
            name="oltas" origin="NVivo for Windows 12.6">
              <Users><User guid="a1b2c3d4-0000-4000-8000-000000000001" name="Kati"/></Users>
              <CodeBook><Codes>
                <Code guid="c0de0000-0000-4000-8000-000000000001" name="Evidence" isCodable="true" color="#ff0000"/>
                <Code guid="c0de0000-0000-4000-8000-000000000002" name="Speed" isCodable="true"/>
              </Codes></CodeBook>
              <Sources>
                <TextSource guid="50c0e000-0000-4000-8000-000000000001" name="Interview 1" plainTextPath="internal://50c0e000-0000-4000-8000-000000000001.txt">
                  <PlainTextSelection guid="5e100000-0000-4000-8000-000000000001" name="evidence" startPosition="\(evidence.0)" endPosition="\(evidence.1)" creatingUser="a1b2c3d4-0000-4000-8000-000000000001">
                    <Coding guid="c0d10000-0000-4000-8000-000000000001" creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5e100000-0000-4000-8000-000000000002" name="find evidence quickly" startPosition="\(passage.0)" endPosition="\(passage.1)">
                    <Coding guid="c0d10000-0000-4000-8000-000000000002" creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000002"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5e100000-0000-4000-8000-000000000003" name="find evidence quickly" startPosition="\(passage.0)" endPosition="\(passage.1)">
                    <Coding guid="c0d10000-0000-4000-8000-000000000003" creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000001"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
              <Notes>
                <Note guid="40e00000-0000-4000-8000-000000000001" name="Annotation" creatingUser="a1b2c3d4-0000-4000-8000-000000000001"><PlainTextContent>Ask about the emoji.</PlainTextContent></Note>
              </Notes>
              <Links>
                <Link guid="11e00000-0000-4000-8000-000000000001" direction="OneWay" originGUID="5e100000-0000-4000-8000-000000000001" targetGUID="40e00000-0000-4000-8000-000000000001"/>
              </Links>
            </Project>
            """)
        // NVivo for Windows: a capitalised Sources folder, a BOM, CR LF.
        let url = try Self.qdpx(qde, files: [("Sources/50c0e000-0000-4000-8000-000000000001.txt", Data(("\u{FEFF}" + text).utf8))])
        let (store, report) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["Evidence: evidence", "Evidence: find evidence quickly 👍", "Speed: find evidence quickly 👍"])
        #expect(report.convertedPositions.count == 1)
        #expect(report.warnings.isEmpty)
        let memos = try MemoBook(store).memos()
        #expect(memos.map(\.text) == ["Ask about the emoji."])
        #expect(memos.first?.target.hasPrefix("segment") == true)
        // One coder, by name; lowercase GUIDs kept, in upper case.
        #expect(try CoderRoster(store).coders().map(\.name).contains("Kati"))
        #expect(
            try store.read { db in try String.fetchOne(db, sql: "SELECT guid FROM code WHERE name = 'Evidence'") }
                == "C0DE0000-0000-4000-8000-000000000001")
    }

    @Test func nvivoForMacStoresEntriesAndAddsADotFile() throws {
        let text = "Interviewer: Hello 🌍\nP2: Our knowledge service 📚 runs journal clubs.\n"
        let club = Self.positions(of: "journal clubs", in: text, utf16: true)
        let qde = Self.project(
            """
            name="Mac" origin="NVivo 12.7 for Mac">
              <CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-00000000000a" name="Learning" isCodable="true"/></Codes></CodeBook>
              <Sources>
                <TextSource guid="50c0e000-0000-4000-8000-00000000000a" name="Mac interview" plainTextPath="internal://50c0e000-0000-4000-8000-00000000000a.txt">
                  <PlainTextSelection guid="5e100000-0000-4000-8000-00000000000a" startPosition="\(club.0)" endPosition="\(club.1)">
                    <Coding guid="c0d10000-0000-4000-8000-00000000000a"><CodeRef targetGUID="c0de0000-0000-4000-8000-00000000000a"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(
            qde, files: [("sources/.root", Data()), ("sources/50c0e000-0000-4000-8000-00000000000a.txt", Data(text.utf8))],
            compression: .none)
        let (store, _) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["Learning: journal clubs"])
    }

    // MARK: ATLAS.ti

    @Test func atlasTiNamesItsDocumentAndCountsCRLFOnce() throws {
        let text = "Interviewer: What helps?\r\nP3: Clinical librarians help.\r\nP3: And protected time for reading.\r\n"
        let librarians = Self.positions(of: "Clinical librarians help.", in: text, utf16: false, crlfIsTwo: false)
        let time = Self.positions(of: "protected time", in: text, utf16: false, crlfIsTwo: false)
        let memo = Self.positions(of: "for reading", in: text, utf16: false, crlfIsTwo: false)
        let qde = Self.project(
            """
            name="Trial" origin="ATLAS.ti 23.4.0 (Windows)">
              <Users><User guid="{A0000000-0000-4000-8000-000000000001}" name="Rosa"/></Users>
              <CodeBook><Codes>
                <Code guid="{C0DE0000-0000-4000-8000-000000000011}" name="Enablers" isCodable="true" color="#1B7F5F">
                  <Code guid="{C0DE0000-0000-4000-8000-000000000012}" name="People" isCodable="true"/>
                  <Code guid="{C0DE0000-0000-4000-8000-000000000013}" name="Time" isCodable="true"/>
                </Code>
              </Codes></CodeBook>
              <Sources>
                <TextSource guid="{50C0E000-0000-4000-8000-000000000011}" name="Rosa" plainTextPath="internal://50C0E000-0000-4000-8000-000000000011.txt">
                  <PlainTextSelection guid="{5E100000-0000-4000-8000-000000000011}" name="Clinical librarians help." startPosition="\(librarians.0)" endPosition="\(librarians.1)" creatingUser="{A0000000-0000-4000-8000-000000000001}">
                    <Coding guid="{C0D10000-0000-4000-8000-000000000011}"><CodeRef targetGUID="{C0DE0000-0000-4000-8000-000000000011}"/></Coding>
                    <Coding guid="{C0D10000-0000-4000-8000-000000000012}"><CodeRef targetGUID="{C0DE0000-0000-4000-8000-000000000012}"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="{5E100000-0000-4000-8000-000000000012}" name="protected time" startPosition="\(time.0)" endPosition="\(time.1)">
                    <Coding guid="{C0D10000-0000-4000-8000-000000000013}"><CodeRef targetGUID="{C0DE0000-0000-4000-8000-000000000013}"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="{5E100000-0000-4000-8000-000000000013}" name="for reading" startPosition="\(memo.0)" endPosition="\(memo.1)">
                    <Description>A comment: reading time is rare.</Description>
                  </PlainTextSelection>
                </TextSource>
                <PDFSource guid="{50C0E000-0000-4000-8000-000000000012}" name="Policy" path="internal://50C0E000-0000-4000-8000-000000000012.pdf">
                  <PDFSelection guid="{5E100000-0000-4000-8000-000000000014}" page="0" firstX="1" firstY="1" secondX="2" secondY="2"/>
                </PDFSource>
              </Sources>
              <Graphs><Graph guid="{6E000000-0000-4000-8000-000000000001}" name="Network"/></Graphs>
            </Project>
            """)
        let url = try Self.qdpx(qde, qdeName: "Trial.qde", files: [("sources/50C0E000-0000-4000-8000-000000000011.txt", Data(text.utf8))])
        let (store, report) = try Self.imported(url)
        #expect(
            try Self.codedTexts(store)
                == [
                    "Enablers/People: Clinical librarians help.", "Enablers: Clinical librarians help.",
                    "Enablers/Time: protected time",
                ].sorted())
        #expect(try MemoBook(store).memos().map(\.text) == ["A comment: reading time is rare."])
        #expect(report.notImported.contains("1 PDF source"))
        #expect(report.notImported.contains("1 graph"))
    }

    // MARK: MAXQDA

    @Test func maxqdaFileVariablesAndLowercaseColours() throws {
        let text = "Interviewer: Tell me more.\nP4: The outreach librarian joins ward rounds.\n"
        let rounds = Self.positions(of: "joins ward rounds", in: text, utf16: false)
        let qde = Self.project(
            """
            name="MAXQDA project" origin="MAXQDA 2022 (Release 22.7.0)">
              <CodeBook><Codes>
                <Code guid="C0DE0000-0000-4000-8000-000000000021" name="Outreach" isCodable="true" color="#ef8256"/>
                <Code guid="C0DE0000-0000-4000-8000-000000000022" name="Odd colour" isCodable="true" color="#abc"/>
              </Codes></CodeBook>
              <Variables><Variable guid="7A000000-0000-4000-8000-000000000021" name="Site" typeOfVariable="Text"/>
                <Variable guid="7A000000-0000-4000-8000-000000000022" name="Age" typeOfVariable="Integer"/></Variables>
              <Cases>
                <Case guid="CA000000-0000-4000-8000-000000000021">
                  <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-000000000021"/><TextValue>Northfield</TextValue></VariableValue>
                  <SourceRef targetGUID="50C0E000-0000-4000-8000-000000000021"/>
                </Case>
                <Case guid="CA000000-0000-4000-8000-000000000022" name="P4">
                  <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-000000000022"/><IntegerValue>41</IntegerValue></VariableValue>
                </Case>
              </Cases>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-000000000021" name="Ward interview" plainTextPath="internal://50C0E000-0000-4000-8000-000000000021.txt">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000021" startPosition="\(rounds.0)" endPosition="\(rounds.1)">
                    <Coding guid="C0D10000-0000-4000-8000-000000000021"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000021"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(qde, files: [("sources/50C0E000-0000-4000-8000-000000000021.txt", Data(text.utf8))])
        let (store, _) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["Outreach: joins ward rounds"])
        let colours = try store.read { db in try String.fetchAll(db, sql: "SELECT color FROM code ORDER BY name") }
        #expect(colours == ["#AABBCC", "#EF8256"])
        let values = try store.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT a.name || '=' || v.value FROM sourceAttribute v JOIN attribute a ON a.id = v.attributeId
                    UNION ALL SELECT k.name || ':' || a.name || '=' || v.value FROM caseAttribute v JOIN attribute a ON a.id = v.attributeId
                    JOIN studyCase k ON k.id = v.caseId WHERE a.name <> 'role' ORDER BY 1
                    """)
        }
        #expect(values == ["P4:Age=41", "Site=Northfield"])
    }

    // MARK: QualCoder

    @Test func qualCoderWritesABOMAndCountsCodePoints() throws {
        let text = "Interviewer: Anything else? 🙂\nP5: Evidence summaries 🙂 save me hours.\n"
        let hours = Self.positions(of: "save me hours", in: text, utf16: false)
        let qde = Self.project(
            """
            name="QualCoder project" origin="QualCoder 3.5">
              <CodeBook><Codes>
                <Code guid="C0DE0000-0000-4000-8000-000000000031" name="Value" isCodable="false">
                  <Code guid="C0DE0000-0000-4000-8000-000000000032" name="Time saved" isCodable="true"><Description>Hours given back.</Description></Code>
                </Code>
              </Codes></CodeBook>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-000000000031" name="QC interview" plainTextPath="internal://50C0E000-0000-4000-8000-000000000031.txt">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000031" startPosition="\(hours.0)" endPosition="\(hours.1)">
                    <Coding guid="C0D10000-0000-4000-8000-000000000031"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000032"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx("\u{FEFF}" + qde, files: [("sources/50C0E000-0000-4000-8000-000000000031.txt", Data(("\u{FEFF}" + text).utf8))])
        let (store, report) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["Value/Time saved: save me hours"])
        #expect(report.convertedPositions.isEmpty)
        let grouping = try store.read { db in try Bool.fetchOne(db, sql: "SELECT isCodable FROM code WHERE name = 'Value'") }
        #expect(grouping == false)
        #expect(try CodebookImporter(store).exportCodebook().codes.first?.children.first?.definition == "Hours given back.")
    }

    // MARK: qc, Taguette

    @Test func qcWritesBareFileNamesAndPseudoGUIDs() throws {
        let text = "Notes from the board, 2017.\n\nThe library must show its value.\n"
        let value = Self.positions(of: "show its value", in: text, utf16: false)
        let qde = Self.project(
            """
            name="demo" origin="qc 1.3.2">
              <CodeBook><Codes><Code guid="626f6172-642d-7661-6c75-652020202020" name="value" isCodable="true"/></Codes></CodeBook>
              <Sources>
                <TextSource guid="626f6172-645f-3230-3137-2e7478742020" name="board_2017.txt" plainTextPath="board_2017.txt">
                  <PlainTextSelection guid="73656c65-6374-696f-6e31-202020202020" startPosition="\(value.0)" endPosition="\(value.1)">
                    <Coding guid="636f6469-6e67-3120-2020-202020202020"><CodeRef targetGUID="626f6172-642d-7661-6c75-652020202020"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(qde, files: [("sources/board_2017.txt", Data(text.utf8))])
        let (store, _) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["value: show its value"])
    }

    @Test func taguetteCodebooksWithAnEmptySetsWrapperAndOldNamespaces() throws {
        for namespace in ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4"] {
            let folder = try TestSupport.temporaryFolder()
            let url = folder.appendingPathComponent("codebook.qdc")
            try Data(
                """
                <?xml version="1.0" encoding="utf-8"?>
                <CodeBook xmlns="\(namespace)" origin="Taguette 1.4.1">
                  <Codes>
                    <Code guid="51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2" name="interesting" isCodable="true" color="#3366CC"><Description>Worth a second look.</Description></Code>
                    <Code guid="51B2B2B7-27EB-4ECB-9D56-E75B0A0496C3" name="people.librarians" isCodable="true"/>
                  </Codes>
                  <Sets/>
                </CodeBook>
                """.utf8
            ).write(to: url)
            let store = try ProjectDatabase.create(at: folder.appendingPathComponent("p.quill"), name: "T")
            let report = try REFIImporter(store).importREFI(url, actor: TestSupport.actor())
            #expect(report.codebook.added == 2, "\(namespace)")
            #expect(try CodebookImporter(store).exportCodebook().codes.map(\.name) == ["interesting", "people.librarians"])
        }
    }

    // MARK: Damaged and hostile files

    static func refusal(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let store = try ProjectDatabase.create(
            at: url.deletingLastPathComponent().appendingPathComponent("target-\(UUID().uuidString).quill"), name: "Target")
        _ = try CodebookImporter(store).importCodebook(Codebook(name: "Mine", codes: [.init(name: "Kept")]), actor: TestSupport.actor())
        let before = try ContentDigest(store).contentDigest()
        let error = TestSupport.quillError(sourceLocation: sourceLocation) { _ = try REFIImporter(store).importREFI(url, actor: TestSupport.actor()) }
        #expect(try ContentDigest(store).contentDigest() == before, "the project changed", sourceLocation: sourceLocation)
        return error?.message ?? ""
    }

    static let minimal = project(
        """
        name="x" origin="Test"><Sources><TextSource guid="50C0E000-0000-4000-8000-000000000041" name="S" plainTextPath="internal://s.txt"/></Sources></Project>
        """)

    @Test func refusesEntriesThatClimbOutOfTheArchive() throws {
        for name in ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:\\evil.txt"] {
            let url = try Self.qdpx(Self.minimal, files: [(name, Data("x".utf8))])
            #expect(try Self.refusal(url).contains("points outside the archive"), "\(name)")
        }
    }

    @Test func refusesDTDsExternalEntitiesAndEntityBombs() throws {
        let external = """
            <?xml version="1.0"?>
            <!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>
            """
        let fetch = """
            <?xml version="1.0"?>
            <!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd">
            <Project xmlns="urn:QDA-XML:project:1.0" name="x"/>
            """
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
            <Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&e;&e;&e;&e;&e;&e;&e;&e;</Description></Project>
            """
        for document in [external, fetch, bomb] {
            let message = try Self.refusal(try Self.qdpx(document))
            #expect(message.contains("document type declaration"), "\(message)")
        }
    }

    @Test func refusesAZipBombAndOversizedArchives() throws {
        let url = try Self.qdpx(Self.minimal, files: [("sources/s.txt", Data(count: 4 << 20))])
        var limits = REFIPackage.Limits()
        limits.zip.entrySize = 64 << 20
        let bomb = TestSupport.quillError { _ = try REFIPackage.read(url, limits: limits) }
        #expect(bomb?.message.contains("as a zip bomb does") == true)
        limits.total = 1 << 20
        let large = TestSupport.quillError { _ = try REFIPackage.read(url, limits: limits) }
        #expect(large?.message.contains("would unpack to") == true)
    }

    @Test func refusesFilesThatAreNotProjects() throws {
        let folder = try TestSupport.temporaryFolder()
        let text = folder.appendingPathComponent("notes.qdpx")
        try Data("just text".utf8).write(to: text)
        #expect(try Self.refusal(text).contains("not a REFI-QDA project"))
        let valid = try Data(contentsOf: try Self.qdpx(Self.minimal, files: [("sources/s.txt", Data("Some text here.".utf8))]))
        let truncated = folder.appendingPathComponent("cut.qdpx")
        try valid.prefix(valid.count - 30).write(to: truncated)
        #expect(try Self.refusal(truncated).contains("damaged or incomplete zip"))
        let none = try Self.qdpx(Self.minimal, qdeName: "readme.txt")
        #expect(try Self.refusal(none).contains("no project document"))
        let two = try Self.qdpx(Self.minimal, files: [("other.qde", Data(Self.minimal.utf8))])
        #expect(try Self.refusal(two).contains("2 project documents"))
        let codebook = try Self.qdpx(
            #"<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="C0DE0000-0000-4000-8000-000000000051" name="a" isCodable="true"/></Codes></CodeBook>"#
        )
        #expect(try Self.refusal(codebook).contains("holds a REFI-QDA codebook, not a project"))
        let foreign = try Self.qdpx(#"<?xml version="1.0"?><html><body/></html>"#)
        #expect(try Self.refusal(foreign).contains("root element is <html>"))
        let broken = try Self.qdpx(#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>"#)
        #expect(try Self.refusal(broken).contains("not well-formed"))
    }

    @Test func refusesDuplicateGUIDs() throws {
        let qde = Self.project(
            """
            name="dup" origin="Test"><CodeBook><Codes>
              <Code guid="C0DE0000-0000-4000-8000-000000000061" name="One" isCodable="true"/>
              <Code guid="{c0de0000-0000-4000-8000-000000000061}" name="Two" isCodable="true"/>
            </Codes></CodeBook></Project>
            """)
        #expect(try Self.refusal(try Self.qdpx(qde)).contains("gives the GUID C0DE0000-0000-4000-8000-000000000061 to two codes 'One' and 'Two'"))
    }

    @Test func selectionsOutsideTheTextAndDanglingReferencesAreLeftOutWithAWarning() throws {
        let text = "P6: Short text.\n"
        let qde = Self.project(
            """
            name="partial" origin="Test">
              <CodeBook><Codes><Code guid="C0DE0000-0000-4000-8000-000000000071" name="Ok" isCodable="true"/></Codes></CodeBook>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-000000000071" name="S" plainTextPath="internal://s.txt">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000071" startPosition="4" endPosition="9">
                    <Coding guid="C0D10000-0000-4000-8000-000000000071"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000071"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000072" startPosition="4" endPosition="400">
                    <Coding guid="C0D10000-0000-4000-8000-000000000072"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000071"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000073" startPosition="9" endPosition="4"/>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-000000000074" startPosition="0" endPosition="3">
                    <Coding guid="C0D10000-0000-4000-8000-000000000074"><CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000FF"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(qde, files: [("sources/s.txt", Data(text.utf8))])
        let (store, report) = try Self.imported(url)
        #expect(try Self.codedTexts(store) == ["Ok: Short"])
        #expect(
            report.warnings.contains {
                $0.text.contains("2 selection(s) of 'S' lie outside its text") && $0.text.contains("5E100000-0000-4000-8000-000000000072 (4-400)")
            })
        #expect(
            report.warnings.contains {
                $0.text.contains("C0D10000-0000-4000-8000-000000000074") && $0.text.contains("C0DE0000-0000-4000-8000-0000000000FF")
            })
    }

    @Test func sourcesWithoutTextAreListedNotDropped() throws {
        let qde = Self.project(
            """
            name="media" origin="Test">
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-000000000081" name="External" plainTextPath="relative:///x.txt"/>
                <TextSource guid="50C0E000-0000-4000-8000-000000000082" name="Missing" plainTextPath="internal://gone.txt"/>
                <AudioSource guid="50C0E000-0000-4000-8000-000000000083" name="Recording" path="internal://a.mp3"/>
              </Sources>
            </Project>
            """)
        let (_, report) = try Self.imported(try Self.qdpx(qde))
        #expect(report.notImported.contains { $0.contains("'External'") && $0.contains("outside the archive") })
        #expect(report.notImported.contains { $0.contains("'Missing'") && $0.contains("no file gone.txt") })
        #expect(report.notImported.contains("1 audio source"))
    }

    // MARK: What an import must never do

    @Test func anImportNeverWritesOverTheProjectsCodes() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try ProjectDatabase.create(at: folder.appendingPathComponent("p.quill"), name: "P")
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Mine",
                codes: [
                    .init(name: "Barriers", definition: "Ours.", keywords: ["no time"], color: "#112233", children: [.init(name: "Time")])
                ]), actor: TestSupport.actor())
        let before = try CodebookImporter(store).exportCodebook()
        let qde = Self.project(
            """
            name="other" origin="MAXQDA 24">
              <CodeBook><Codes>
                <Code guid="C0DE0000-0000-4000-8000-000000000091" name="Barriers" isCodable="true"><Description>Theirs.</Description>
                  <Code guid="C0DE0000-0000-4000-8000-000000000092" name="Money" isCodable="true"/>
                </Code>
              </Codes></CodeBook>
            </Project>
            """)
        let url = try Self.qdpx(qde)
        let report = try REFIImporter(store).importREFI(url, actor: TestSupport.actor())
        #expect(report.codebook.added == 1 && report.codebook.unchanged == 1)
        let after = try CodebookImporter(store).exportCodebook()
        #expect(after.codes[0].definition == "Ours." && after.codes[0].keywords == ["no time"] && after.codes[0].color == "#112233")
        #expect(after.codes[0].children.map(\.name) == ["Time", "Money"])
        #expect(before.codes[0].children.count == 1)
    }

    @Test func codeNamesWithSlashesAndGUIDsSharedAcrossKindsAreMadeSafe() throws {
        let text = "P7: Alpha and beta.\n"
        let alpha = Self.positions(of: "Alpha", in: text, utf16: false)
        let qde = Self.project(
            """
            name="odd" origin="Test">
              <CodeBook><Codes>
                <Code guid="C0DE0000-0000-4000-8000-0000000000A1" name="A/B" isCodable="true"/>
                <Code guid="C0DE0000-0000-4000-8000-0000000000A2" name="A" isCodable="true">
                  <Code guid="C0DE0000-0000-4000-8000-0000000000A3" name="B" isCodable="true"/>
                </Code>
              </Codes></CodeBook>
              <Variables><Variable guid="C0DE0000-0000-4000-8000-0000000000A1" name="Shares a code's GUID" typeOfVariable="Text"/></Variables>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000A1" name="S" plainTextPath="internal://s.txt">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-0000000000A1" startPosition="\(alpha.0)" endPosition="\(alpha.1)">
                    <Coding guid="C0D10000-0000-4000-8000-0000000000A1"><CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000A1"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let (store, report) = try Self.imported(try Self.qdpx(qde, files: [("sources/s.txt", Data(text.utf8))]))
        #expect(try Self.codedTexts(store) == ["A\u{2215}B: Alpha"])
        #expect(report.warnings.contains { $0.text.contains("has '/' in its name") })
        // The variable got a GUID of its own, so the project still exports (imported() exports it).
        let guids = try store.read { db in try String.fetchAll(db, sql: "SELECT guid FROM code UNION ALL SELECT guid FROM attribute") }
        #expect(Set(guids).count == guids.count)
    }

    @Test func guidsOfObjectsTheImportAddsOnItsWayAreNotGivenAgain() throws {
        // The coder 'Dana' and the speaker P7's case are made during the import, with
        // name-based GUIDs that two of the file's codings also carry; a third coding repeats
        // the first.
        let coderGUID = StableID.make("coder", CodePath.fold("Dana"))
        let caseGUID = StableID.make("case", CodePath.fold("P7"))
        let text = "P7: Alpha and beta.\n"
        let alpha = Self.positions(of: "Alpha", in: text, utf16: false)
        let beta = Self.positions(of: "beta", in: text, utf16: false)
        let qde = Self.project(
            """
            name="taken" origin="Test">
              <Users><User guid="A1B2C3D4-0000-4000-8000-0000000000C1" name="Dana"/></Users>
              <CodeBook><Codes><Code guid="C0DE0000-0000-4000-8000-0000000000C1" name="A" isCodable="true"/></Codes></CodeBook>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000C1" name="S" plainTextPath="internal://s.txt">
                  <PlainTextSelection guid="5E100000-0000-4000-8000-0000000000C1" startPosition="\(alpha.0)" endPosition="\(alpha.1)">
                    <Coding guid="\(coderGUID)" creatingUser="A1B2C3D4-0000-4000-8000-0000000000C1"><CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000C1"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-0000000000C2" startPosition="\(beta.0)" endPosition="\(beta.1)">
                    <Coding guid="\(caseGUID)"><CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000C1"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="5E100000-0000-4000-8000-0000000000C3" startPosition="\(alpha.0)" endPosition="\(alpha.1)">
                    <Coding guid="C0D10000-0000-4000-8000-0000000000C3" creatingUser="A1B2C3D4-0000-4000-8000-0000000000C1"><CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000C1"/></Coding>
                  </PlainTextSelection>
                </TextSource>
              </Sources>
            </Project>
            """)
        let (store, report) = try Self.imported(try Self.qdpx(qde, files: [("sources/s.txt", Data(text.utf8))]))
        // The third coding is the first again: it is there once.
        #expect(report.codingsAdded == 2 && report.codingsPresent == 1)
        try store.read { db in
            #expect(try String.fetchOne(db, sql: "SELECT guid FROM coder WHERE name = 'Dana'") == coderGUID)
            #expect(try String.fetchOne(db, sql: "SELECT guid FROM studyCase WHERE name = 'P7'") == caseGUID)
            let guids = try String.fetchAll(
                db,
                sql: ["code", "source", "studyCase", "attribute", "memo", "coding", "coder"]
                    .map { "SELECT guid FROM \($0)" }.joined(separator: " UNION ALL "))
            #expect(Set(guids).count == guids.count)
        }
    }

    @Test func twoSourcesWithTheSameTextStayTwo() throws {
        let text = "Yes, every week.\n"
        let qde = Self.project(
            """
            name="survey" origin="MAXQDA 2022">
              <Variables><Variable guid="7A000000-0000-4000-8000-0000000000B1" name="Group" typeOfVariable="Text"/></Variables>
              <Cases>
                <Case guid="CA000000-0000-4000-8000-0000000000B1"><VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-0000000000B1"/><TextValue>A</TextValue></VariableValue><SourceRef targetGUID="50C0E000-0000-4000-8000-0000000000B1"/></Case>
                <Case guid="CA000000-0000-4000-8000-0000000000B2"><VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-0000000000B1"/><TextValue>B</TextValue></VariableValue><SourceRef targetGUID="50C0E000-0000-4000-8000-0000000000B2"/></Case>
              </Cases>
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000B1" name="Respondent 1" plainTextPath="internal://r1.txt"/>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000B2" name="Respondent 2" plainTextPath="internal://r2.txt"/>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(qde, files: [("sources/r1.txt", Data(text.utf8)), ("sources/r2.txt", Data(text.utf8))])
        let (store, report) = try Self.imported(url)
        #expect(report.sourcesAdded == 2 && report.sourcesMatched == 0)
        let groups = try store.read { db in
            try String.fetchAll(db, sql: "SELECT s.name || '=' || v.value FROM sourceAttribute v JOIN source s ON s.id = v.sourceId ORDER BY 1")
        }
        #expect(groups == ["Respondent 1=A", "Respondent 2=B"])
        // And importing it again matches both, adding nothing.
        #expect(try !REFIImporter(store).importREFI(url, actor: TestSupport.actor()).changed)
    }

    @Test func datesKeepTheirZoneAndLoseOnlyFractions() throws {
        let qde = Self.project(
            """
            name="dates" origin="Test">
              <Variables>
                <Variable guid="7A000000-0000-4000-8000-0000000000C1" name="When" typeOfVariable="DateTime"/>
                <Variable guid="7A000000-0000-4000-8000-0000000000C2" name="Day" typeOfVariable="Date"/>
              </Variables>
              <Cases><Case guid="CA000000-0000-4000-8000-0000000000C1" name="P9">
                <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-0000000000C1"/><DateTimeValue>2025-05-01T10:00:00.123+02:00</DateTimeValue></VariableValue>
                <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-0000000000C2"/><DateValue>2025-05-01Z</DateValue></VariableValue>
              </Case></Cases>
            </Project>
            """)
        let (store, report) = try Self.imported(try Self.qdpx(qde))
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        let values = try store.read { db in try String.fetchAll(db, sql: "SELECT value FROM caseAttribute ORDER BY value") }
        #expect(values == ["2025-05-01", "2025-05-01T10:00:00+02:00"])
    }

    @Test func anUnreadableTextIsListedAndARezippedProjectIsRead() throws {
        let qde = Self.project(
            """
            name="mixed" origin="Test">
              <Sources>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000D1" name="Binary" plainTextPath="internal://b.txt"/>
                <TextSource guid="50C0E000-0000-4000-8000-0000000000D2" name="Fine" plainTextPath="internal://f.txt"/>
              </Sources>
            </Project>
            """)
        let url = try Self.qdpx(
            qde, qdeName: "study/project.qde",
            files: [("study/sources/b.txt", Data([0x00, 0x01, 0x02, 0xFF])), ("study/sources/f.txt", Data("P1: Fine text.\n".utf8))])
        let (store, report) = try Self.imported(url)
        #expect(report.sourcesAdded == 1)
        #expect(report.notImported.contains { $0.contains("'Binary'") && $0.contains("cannot be read") })
        #expect(try SourceCatalog(store).sources().map(\.name) == ["Fine"])
    }

    @Test func aMemoSentAgainUnderANewGUIDIsNotDoubled() throws {
        func file(_ suffix: String) -> String {
            Self.project(
                """
                name="memo" origin="ATLAS.ti 26">
                  <Sources><TextSource guid="50C0E000-0000-4000-8000-0000000000E1" name="S" plainTextPath="internal://s.txt">
                    <PlainTextSelection guid="5E100000-0000-4000-8000-0000000000E\(suffix)" startPosition="4" endPosition="9"><Description>Same comment.</Description></PlainTextSelection>
                  </TextSource></Sources>
                </Project>
                """)
        }
        let first = try Self.qdpx(file("1"), files: [("sources/s.txt", Data("P1: Short text.\n".utf8))])
        let (store, _) = try Self.imported(first)
        let second = try Self.qdpx(file("2"), files: [("sources/s.txt", Data("P1: Short text.\n".utf8))])
        _ = try REFIImporter(store).importREFI(second, actor: TestSupport.actor())
        #expect(try MemoBook(store).memos().map(\.text) == ["Same comment."])
    }
}
