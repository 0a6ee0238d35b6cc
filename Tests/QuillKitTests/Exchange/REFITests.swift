import Foundation
import GRDB
import Testing

@testable import QuillKit

/// REFI-QDA export and import: schema-valid, deterministic exports; round trips that keep
/// every field REFI-QDA can carry; files in the shapes other tools write; hostile files.
@Suite struct REFITests {
    // MARK: A project with something of everything

    static let codebook = Codebook(
        name: "Study codebook",
        codes: [
            .init(
                name: "Barriers", definition: "What stands in the way.\nIn two lines.", include: "Time, money, access.",
                exclude: "Wishes for the future.", examples: ["We never have time.", "Two\nlines"], keywords: ["barrier", "no time"],
                rules: [AutocodeRule(regex: "\\bwait(ing)? lists?\\b"), AutocodeRule(keywordsAny: ["time"], speakerRole: "interviewee")],
                color: "#AA3300", isCodable: false,
                children: [
                    .init(name: "Time", definition: "Lack of time.", keywords: ["busy"], color: "#123ABC"),
                    .init(name: "Café culture ☕", definition: "Informal talk."),
                ]),
            .init(name: "Evidence use", definition: "Using research in practice."),
        ])

    static let interviewA =
        "\u{FEFF}Interviewer: Tell me about 🙂 your week?\r\nP01: It was busy — café meetings, no time.\r\nInterviewer: And évidence?\r\nP01: We use 👩🏽‍⚕️ summaries daily.\r\n"
    static let interviewB = "Interviewer: Any barriers?\n\nP02: Money, mostly. And the naïve idea that search is easy.\n"

    /// A project with codes, two sources, two coders, memos on every kind of target, case and
    /// source attributes, a group, and codings at turn and sub-turn spans.
    static func richProject(in folder: URL) throws -> ProjectDatabase {
        let store = try ProjectDatabase.create(at: folder.appendingPathComponent("rich.quill"), name: "Rich ✨ project")
        _ = try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor())
        var a = try TestSupport.prepared("Interview A", interviewA)
        a.cases.groups = ["Workshop 1"]
        _ = try SourceImporter(store).importSources([a, try TestSupport.prepared("Interview B", interviewB)], actor: TestSupport.actor())
        try store.change(TestSupport.actor()) { db -> (Void, summary: String?) in
            let tree = try CodeTree.load(db)
            let time = try tree.resolve("Barriers/Time").id
            let cafe = try tree.resolve("Café culture ☕").id
            let evidence = try tree.resolve("Evidence use").id
            let ana = try CoderTable(db).id(named: "Ana")
            let ben = try CoderTable(db).id(named: "Ben")
            let sources = try Row.fetchAll(db, sql: "SELECT id, text FROM source ORDER BY name")
            let (idA, textA): (Int64, String) = (sources[0]["id"], sources[0]["text"])
            let idB: Int64 = sources[1]["id"]
            func span(_ text: String, _ piece: String) -> (Int, Int) {
                let scalars = Array(text.unicodeScalars)
                let needle = Array(piece.unicodeScalars)
                let start = (0...(scalars.count - needle.count)).first { Array(scalars[$0..<$0 + needle.count]) == needle }!
                return (start, start + needle.count)
            }
            let insert = { (guid: String, code: Int64, source: Int64, range: (Int, Int), coder: Int64, memo: String?) in
                try db.execute(
                    sql: """
                        INSERT INTO coding(guid, codeId, sourceId, start, "end", coderId, createdAt, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [guid, code, source, range.0, range.1, coder, "2025-05-01T10:00:00Z", memo])
            }
            let busy = span(textA, "busy — café meetings, no time")
            try insert(StableID.make("t", "1"), time, idA, busy, ana, "Clear time pressure")
            try insert(StableID.make("t", "2"), time, idA, busy, ben, nil)
            try insert(StableID.make("t", "3"), cafe, idA, span(textA, "café meetings"), ana, nil)
            try insert(StableID.make("t", "4"), evidence, idA, span(textA, "We use 👩🏽‍⚕️ summaries daily."), ben, nil)
            try insert(
                StableID.make("t", "5"), evidence, idB,
                span(try String.fetchOne(db, sql: "SELECT text FROM source WHERE id = ?", arguments: [idB])!, "naïve idea"), ana, nil)
            let segment = try Int64.fetchOne(db, sql: "SELECT id FROM segment WHERE sourceId = ? AND number = 2", arguments: [idA])!
            let p01 = try Int64.fetchOne(db, sql: "SELECT id FROM studyCase WHERE name = 'P01'")!
            let coding = try Int64.fetchOne(db, sql: "SELECT id FROM coding WHERE guid = ?", arguments: [StableID.make("t", "3")])!
            let memos: [(String, Int64?, String?, String)] = [
                ("project", nil, "Aims", "What the study is for."), ("source", idA, nil, "Recorded on Teams."),
                ("segment", segment, "Turn note", "Says 'busy' twice."), ("code", time, nil, "Merge with Workload?"),
                ("case", p01, "About P01", "Librarian, 12 years."), ("coding", coding, nil, "Only partly about cafés."),
            ]
            for (index, memo) in memos.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO memo(guid, targetKind, targetId, title, text, coderId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        StableID.make("memo", "\(index)"), memo.0, memo.1, memo.2, memo.3, ana,
                        "2025-05-0\(index + 1)T09:00:00Z", "2025-06-0\(index + 1)T09:00:00Z",
                    ])
            }
            let role = try CaseTable(db).attributeID(named: "years", type: .integer, description: "Years in post")
            let band = try CaseTable(db).attributeID(named: "score", type: .float)
            let site = try CaseTable(db).attributeID(named: "site", type: .text)
            let recorded = try CaseTable(db).attributeID(named: "recorded", type: .date)
            try db.execute(
                sql: "INSERT INTO caseAttribute(caseId, attributeId, value) VALUES (?, ?, '12'), (?, ?, '1.2e-05'), (?, ?, 'Northfield & Co <main>')",
                arguments: [p01, role, p01, band, p01, site])
            try db.execute(sql: "INSERT INTO sourceAttribute(sourceId, attributeId, value) VALUES (?, ?, '2025-05-12')", arguments: [idA, recorded])
            try db.execute(sql: "UPDATE studyCase SET description = 'A participant.' WHERE id = ?", arguments: [p01])
            try db.execute(sql: "INSERT INTO projectInfo(key, value) VALUES ('description', 'A study of 🙂 things.')")
            return ((), "test data")
        }
        return store
    }

    /// Everything of a project that REFI-QDA carries, as text, so two projects can be compared.
    static func carried(_ store: ProjectDatabase) throws -> String {
        try store.read { db in
            var lines: [String] = []
            func dump(_ title: String, _ sql: String) throws {
                lines.append("# \(title)")
                for row in try Row.fetchAll(db, sql: sql) {
                    lines.append(row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " | "))
                }
            }
            try dump("info", "SELECT key, value FROM projectInfo WHERE key IN ('name', 'description', 'createdAt') ORDER BY key")
            try dump(
                "codes",
                """
                SELECT c.guid, c.name, p.guid AS parent, c.definition, c.include, c.exclude, c.color, c.isCodable, c.sortOrder,
                       (SELECT group_concat(keyword, ';') FROM (SELECT keyword FROM codeKeyword WHERE codeId = c.id ORDER BY position)) AS keywords,
                       (SELECT group_concat(example, ';') FROM (SELECT example FROM codeExample WHERE codeId = c.id ORDER BY position)) AS examples,
                       (SELECT group_concat(rule, ';') FROM (SELECT rule FROM codeRule WHERE codeId = c.id ORDER BY position)) AS rules
                FROM code c LEFT JOIN code p ON p.id = c.parentId ORDER BY c.guid
                """)
            try dump("coders", "SELECT guid, name FROM coder ORDER BY guid")
            try dump("sources", "SELECT guid, name, text, length, importedAt FROM source ORDER BY guid")
            try dump(
                "segments",
                """
                SELECT s.guid, g.number, g.start, g."end", g.turn, g.speaker, k.name AS caseName
                FROM segment g JOIN source s ON s.id = g.sourceId LEFT JOIN studyCase k ON k.id = g.caseId ORDER BY s.guid, g.number
                """)
            try dump(
                "codings",
                """
                SELECT c.guid, s.guid AS source, c.start, c."end", k.guid AS code, d.name AS coder, c.createdAt, c.memo
                FROM coding c JOIN source s ON s.id = c.sourceId JOIN code k ON k.id = c.codeId JOIN coder d ON d.id = c.coderId ORDER BY c.guid
                """)
            try dump("cases", "SELECT guid, name, description FROM studyCase ORDER BY guid")
            try dump("attributes", "SELECT guid, name, type, description FROM attribute ORDER BY guid")
            try dump(
                "case values",
                """
                SELECT k.guid, a.name, v.value FROM caseAttribute v JOIN studyCase k ON k.id = v.caseId JOIN attribute a ON a.id = v.attributeId ORDER BY k.guid, a.name
                """)
            try dump(
                "source values",
                """
                SELECT s.guid, a.name, v.value FROM sourceAttribute v JOIN source s ON s.id = v.sourceId JOIN attribute a ON a.id = v.attributeId ORDER BY s.guid, a.name
                """)
            try dump(
                "groups",
                "SELECT k.guid, s.guid FROM caseSource x JOIN studyCase k ON k.id = x.caseId JOIN source s ON s.id = x.sourceId ORDER BY 1, 2")
            try dump(
                "memos",
                """
                SELECT m.guid, m.targetKind,
                       CASE m.targetKind WHEN 'source' THEN (SELECT guid FROM source WHERE id = m.targetId)
                                         WHEN 'code' THEN (SELECT guid FROM code WHERE id = m.targetId)
                                         WHEN 'case' THEN (SELECT guid FROM studyCase WHERE id = m.targetId)
                                         WHEN 'coding' THEN (SELECT guid FROM coding WHERE id = m.targetId)
                                         WHEN 'segment' THEN (SELECT s.guid || '#' || g.number FROM segment g JOIN source s ON s.id = g.sourceId WHERE g.id = m.targetId)
                       END AS target, m.title, m.text, d.name AS coder, m.createdAt, m.updatedAt
                FROM memo m LEFT JOIN coder d ON d.id = m.coderId ORDER BY m.guid
                """)
            return lines.joined(separator: "\n")
        }
    }

    static func unzip(_ url: URL) throws -> [String: Data] {
        let data = try Data(contentsOf: url)
        guard
            case .success(let zip) = SafeZip.open(
                data, path: url.path, limits: .standard,
                advice: .init(copyAgain: "", saveAgain: "", tooLarge: "", bomb: ""))
        else {
            Issue.record("not a zip")
            return [:]
        }
        var result: [String: Data] = [:]
        for entry in zip.entries { result[entry.name] = try zip.read(entry) }
        return result
    }

    // MARK: Export

    @Test func theExportIsTheCanonicalFormAndValid() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let url = folder.appendingPathComponent("rich.qdpx")
        let report = try REFIExporter(store).exportQDPX(to: url)
        #expect(report.sources == 2 && report.codes == 4 && report.codings == 5 && report.users >= 2)
        let entries = try Self.unzip(url)
        let sources = try store.read { db in try Row.fetchAll(db, sql: "SELECT guid, text FROM source") }
        #expect(Set(entries.keys) == Set(["project.qde"] + sources.map { "sources/\($0["guid"] as String).txt" }))
        for source in sources {
            // UTF-8 without a BOM, LF line ends, exactly the text the positions count in.
            let bytes = try #require(entries["sources/\(source["guid"] as String).txt"])
            #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]) && !bytes.contains(0x0D))
            #expect(String(decoding: bytes, as: UTF8.self) == source["text"] as String)
        }
        let qdeFile = folder.appendingPathComponent("check.qde")
        try #require(entries["project.qde"]).write(to: qdeFile)
        #expect(try SchemaValidator.errors(in: qdeFile, against: .project).total == 0)
        let qde = String(decoding: try #require(entries["project.qde"]), as: UTF8.self)
        #expect(qde.contains(#"<Project xmlns="urn:QDA-XML:project:1.0""#))
        #expect(qde.contains(#"isCodable="false""#))
        #expect(qde.contains(#"plainTextPath="internal://"#))
        #expect(!qde.contains("richTextPath"))
        #expect(qde.contains("<FloatValue>0.000012</FloatValue>"))
        #expect(qde.contains("Northfield &amp; Co &lt;main&gt;"))
        // No empty wrappers: every wrapper that opens has a child.
        for wrapper in ["Users", "Codes", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs"] {
            #expect(!qde.contains("<\(wrapper)/>") && !qde.contains("<\(wrapper)></\(wrapper)>"))
        }
    }

    @Test func exportingTwiceGivesTheSameBytes() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let first = folder.appendingPathComponent("one.qdpx")
        let second = folder.appendingPathComponent("two.qdpx")
        _ = try REFIExporter(store).exportQDPX(to: first)
        _ = try REFIExporter(store).exportQDPX(to: second)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        _ = try REFIExporter(store).exportQDC(to: folder.appendingPathComponent("one.qdc"))
        _ = try REFIExporter(store).exportQDC(to: folder.appendingPathComponent("two.qdc"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("one.qdc")) == Data(contentsOf: folder.appendingPathComponent("two.qdc")))
    }

    @Test func theCodebookExportIsValidAndReadsBack() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let url = folder.appendingPathComponent("codes.qdc")
        #expect(try REFIExporter(store).exportQDC(to: url).codes == 4)
        #expect(try SchemaValidator.errors(in: url, against: .codebook).total == 0)
        let fresh = try ProjectDatabase.create(at: folder.appendingPathComponent("fresh.quill"), name: "Fresh")
        let report = try REFIImporter(fresh).importREFI(url, actor: TestSupport.actor())
        #expect(report.codebook.added == 4)
        #expect(try CodebookImporter(fresh).exportCodebook().codes == CodebookImporter(store).exportCodebook().codes)
    }

    @Test func aFailedExportLeavesNoFile() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try ProjectDatabase.create(at: folder.appendingPathComponent("empty.quill"), name: "Empty")
        let url = folder.appendingPathComponent("codes.qdc")
        let error = TestSupport.quillError { _ = try REFIExporter(store).exportQDC(to: url) }
        #expect(error?.message.contains("no codes") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix("empty.quill") } == [])
        let missing = TestSupport.quillError { _ = try REFIExporter(store).exportQDPX(to: folder.appendingPathComponent("nowhere/out.qdpx")) }
        #expect(missing?.message.contains("does not exist") == true)
    }

    @Test func anInvalidDocumentIsCaughtByTheSchemaCheck() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder.appendingPathComponent("bad.qde")
        try Data(#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"><Users/></Project>"#.utf8).write(to: file)
        let (messages, total) = try SchemaValidator.errors(in: file, against: .project)
        #expect(total >= 1)
        #expect(messages.first?.contains("line 1") == true)
    }

    // MARK: Round trips

    @Test func importOfAnExportIsTheSameProject() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let url = folder.appendingPathComponent("rich.qdpx")
        _ = try REFIExporter(store).exportQDPX(to: url)
        let copy = try ProjectDatabase.create(at: folder.appendingPathComponent("copy.quill"), name: "Rich ✨ project")
        let report = try REFIImporter(copy).importREFI(url, isNewProject: true, actor: TestSupport.actor())
        #expect(report.warnings == [])
        #expect(report.notImported == [])
        #expect(report.codingsAdded == 5)
        let (original, copied) = (try Self.carried(store), try Self.carried(copy))
        let difference = copied.split(separator: "\n").difference(from: original.split(separator: "\n"))
        #expect(difference.isEmpty, "\(difference.map { "\($0)" }.joined(separator: "\n"))")
        // And the copy exports the same document.
        let again = folder.appendingPathComponent("again.qdpx")
        _ = try REFIExporter(copy).exportQDPX(to: again)
        let first = try Self.unzip(url)
        let second = try Self.unzip(again)
        #expect(first.keys.sorted() == second.keys.sorted())
        for key in first.keys.sorted() where key.hasPrefix("sources/") { #expect(first[key] == second[key]) }
        // The project-level times come from each project's own history.
        func withoutHistoryTimes(_ data: Data?) -> String {
            String(decoding: data ?? Data(), as: UTF8.self)
                .replacingOccurrences(of: #"(creatingUserGUID|modifyingUserGUID|modifiedDateTime)="[^"]*""#, with: "", options: .regularExpression)
        }
        #expect(withoutHistoryTimes(first["project.qde"]) == withoutHistoryTimes(second["project.qde"]))
    }

    @Test func importingTheSameFileTwiceChangesNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let url = folder.appendingPathComponent("rich.qdpx")
        _ = try REFIExporter(store).exportQDPX(to: url)
        let before = try ContentDigest(store).contentDigest(researchOnly: true)
        let report = try REFIImporter(store).importREFI(url, actor: TestSupport.actor())
        #expect(!report.changed)
        #expect(report.sourcesMatched == 2 && report.codingsPresent == 5)
        #expect(try ContentDigest(store).contentDigest(researchOnly: true) == before)
        #expect(try store.history().count == 3)
    }

    @Test func anImportIsUndoneByUndo() throws {
        let folder = try TestSupport.temporaryFolder()
        let store = try Self.richProject(in: folder)
        let url = folder.appendingPathComponent("rich.qdpx")
        _ = try REFIExporter(store).exportQDPX(to: url)
        let other = try ProjectDatabase.create(at: folder.appendingPathComponent("other.quill"), name: "Other")
        _ = try CodebookImporter(other).importCodebook(Codebook(name: "Mine", codes: [.init(name: "Evidence use")]), actor: TestSupport.actor())
        let before = try ContentDigest(other).contentDigest(researchOnly: true)
        let report = try REFIImporter(other).importREFI(url, actor: TestSupport.actor())
        #expect(report.codebook.added == 3 && report.codebook.unchanged == 1)
        // The project's own 'Evidence use' is kept as it is, and the difference is said.
        #expect(report.warnings.contains { $0.text.contains("the project's were kept: Evidence use") && $0.remedy == .takeTheirs })
        #expect(try CodebookImporter(other).exportCodebook().codes.first { $0.name == "Evidence use" }?.definition == nil)
        #expect(try ContentDigest(other).contentDigest(researchOnly: true) != before)
        _ = try UndoLog(other).undo(actor: TestSupport.actor())
        #expect(try ContentDigest(other).contentDigest(researchOnly: true) == before)
    }

    @Test func codeDescriptionsReadBackWhateverTheyHold() {
        let samples: [CodeDescription] = [
            CodeDescription(),
            CodeDescription(definition: "One line."),
            CodeDescription(definition: "Two\nlines", include: "a: b", exclude: "x\ny", examples: ["e1", "multi\nline"], keywords: ["k1", "k 2"]),
            CodeDescription(include: "Only inclusion."),
            CodeDescription(keywords: ["- dash", "Keywords: odd"]),
            CodeDescription(definition: "With rules.", rules: [AutocodeRule(regex: "a\\s+b", isCaseSensitive: true, speaker: "P01")]),
            CodeDescription(
                definition: "Use for money.\nKeywords: are not used here.\n- a dash line\n\\ a backslash",
                include: "Examples: none\nInclusion criteria: twice", keywords: ["cash"]),
        ]
        for sample in samples {
            #expect(CodeDescription(parsing: sample.text) == sample)
        }
        // Another tool's free text is the definition.
        #expect(CodeDescription(parsing: "  Anything a tool wrote.\n").definition == "Anything a tool wrote.")
    }

    // MARK: Positions

    @Test func positionsAreConvertedFromUTF16AndCRLF() throws {
        let original = "a🙂b\r\ncafe\u{301} x"
        // Canonical: "a🙂b\ncafé x" — 🙂 is one scalar, two UTF-16 units; CRLF is one LF; e+◌́ is é.
        let standard = PositionMap(original: original, units: .standard)
        #expect(standard.text == "a🙂b\ncafé x")
        #expect(standard.span(start: 2, end: 3) == TextSpan(start: 2, end: 3))  // "b"
        #expect(standard.span(start: 5, end: 10) == TextSpan(start: 4, end: 8))  // "café"
        let nvivo = PositionMap(original: original, units: PositionUnits(utf16: true, crlfIsTwo: true))
        #expect(nvivo.span(start: 3, end: 4) == TextSpan(start: 2, end: 3))  // "b"
        #expect(nvivo.span(start: 6, end: 11) == TextSpan(start: 4, end: 8))
        let atlas = PositionMap(original: original, units: PositionUnits(utf16: false, crlfIsTwo: false))
        #expect(atlas.span(start: 4, end: 9) == TextSpan(start: 4, end: 8))
        #expect(standard.span(start: 3, end: 40) == nil)
        #expect(standard.span(start: 5, end: 4) == nil)
    }

    /// The law behind every conversion: the mapped text is the text Quill's own import makes
    /// of the same file, and a selection of whole characters maps onto the same characters.
    @Test func theMapAgreesWithQuillsCanonicalTextOnRandomTexts() {
        let pieces = ["a", "é", "e\u{301}", "\r\n", "\r", "\n", " ", "🙂", "👩🏽‍⚕️", "\u{1100}\u{1161}", "Å", "\u{212B}", "ﬁ", "z", "\t"]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            let parts = (0..<Int.random(in: 1...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            let original = parts.joined()
            for units in [PositionUnits.standard, PositionUnits(utf16: true, crlfIsTwo: true), PositionUnits(utf16: false, crlfIsTwo: false)] {
                let map = PositionMap(original: original, units: units)
                #expect(map.text == TextDecoder.canonicalize(original), "\(parts)")
                #expect(map.span(start: 0, end: map.originalLength).map { $0.end } == map.text.unicodeScalars.count || map.text.isEmpty)
            }
        }
    }

    /// Plain ASCII (no CR) takes a short cut; it must map exactly as the character-by-character
    /// walk does, in every unit, while any other text still takes the walk.
    @Test func thePlainASCIIShortCutAgreesWithTheCharacterWalk() {
        let pieces = ["a", "Z", " ", "\n", "\t", "~", "0", "word ", "\u{7F}"]
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let original = (0..<Int.random(in: 0...25, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(PositionMap.isPlainASCII(original))
            for units in [PositionUnits.standard, PositionUnits(utf16: true, crlfIsTwo: true), PositionUnits(utf16: false, crlfIsTwo: false)] {
                let fast = PositionMap(original: original, units: units)
                let walk = PositionMap(characterByCharacter: original, units: units)
                #expect(fast.text == walk.text && fast.originalLength == walk.originalLength && fast.units == walk.units)
                for start in 0...fast.originalLength + 1 {
                    for end in start - 1...fast.originalLength + 1 {
                        #expect(fast.span(start: start, end: end) == walk.span(start: start, end: end))
                    }
                }
            }
        }
        for other in ["a\r\nb", "a\rb", "café", "e\u{301}", "🙂"] {
            #expect(!PositionMap.isPlainASCII(other))
        }
    }

    @Test func theUnitsAreFoundFromTheSelectionNamesWhenTheOriginIsSilent() {
        let original = "🙂🙂🙂 Evidence is here.\n"
        // The selection was written in UTF-16 units by a tool that does not say it is NVivo.
        let map = PositionMap.best(original: original, origin: "Some tool", selections: [(7, 15, "Evidence")])
        #expect(map.units.utf16)
        #expect(map.span(start: 7, end: 15) == TextSpan(start: 4, end: 12))
    }
}
