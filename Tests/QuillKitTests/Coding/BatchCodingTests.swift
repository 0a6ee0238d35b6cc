import Foundation
import Testing

@testable import QuillKit

@Suite struct BatchCodingTests {
    static let interview = """
        Aisha: I run the clinical librarian service.

        Ben: How do you find evidence?

        Aisha: We search "the databases", mostly, and summarise.

        Ben: And data?

        Aisha: Data comes later, if ever.
        """

    /// A project with two sources and a codebook with a group and two codes called Evidence.
    static func project() throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Topics", isCodable: false, children: [.init(name: "Evidence"), .init(name: "Data")]),
                    .init(name: "Other", children: [.init(name: "Evidence")]),
                ]), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources(
            [
                try TestSupport.prepared("interview-1", interview),
                try TestSupport.prepared("notes", "First note.\n\nSecond note, longer.\n\nThird."),
            ],
            actor: TestSupport.actor())
        return store
    }

    /// A project coded by hand: whole segments by two coders, and a span with an awkward memo.
    static func coded() throws -> ProjectDatabase {
        let store = try project()
        let tree = try CodeTree.load(store)
        let sources = try SourceCatalog(store).sources()
        _ = try CodingEditor(store).code(
            sourceID: sources[0].id, segments: [1, 3], codeIDs: [try tree.resolve("Topics/Evidence").id],
            actor: TestSupport.actor("alice"))
        _ = try CodingEditor(store).code(
            sourceID: sources[0].id, segments: [3, 5], codeIDs: [try tree.resolve("Data").id],
            memo: "a \"quoted\", note\nover two lines", actor: TestSupport.actor("bob"))
        _ = try CodingEditor(store).code(
            sourceID: sources[1].id, segments: [2], codeIDs: [try tree.resolve("Other").id], actor: TestSupport.actor("alice"))
        _ = try BatchCoding(store).code(
            rows: [
                CodingFileRow(
                    line: 2, source: "interview-1", start: 0, end: 20, code: "Other/Evidence",
                    coder: "bob", memo: "spans part of a turn"),
                CodingFileRow(line: 3, source: "interview-1", start: 7, end: 25, code: "Other/Evidence"),
            ],
            file: "hand.csv", actor: TestSupport.actor("alice"))
        return store
    }

    @Test func exportsOneTidyRowPerCodingInReadingOrder() throws {
        let store = try Self.coded()
        let csv = CodingFile.csv(try BatchCoding(store).codingRecords())
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "source,segment,start,end,code,coder,memo,speaker,text")
        // The label "Aisha: " is not part of the turn, so a coding that includes it lies in no segment.
        #expect(lines[1] == "interview-1,,0,20,Other/Evidence,bob,spans part of a turn,,Aisha: I run the cli")
        #expect(lines[2] == "interview-1,1,7,25,Other/Evidence,alice,,Aisha,I run the clinical")
        #expect(lines[3] == "interview-1,1,7,44,Topics/Evidence,alice,,Aisha,I run the clinical librarian service.")
        #expect(csv.contains("Data,bob,\"a \"\"quoted\"\", note\nover two lines\",Aisha,"))
        #expect(lines.last == "")
        let records = try BatchCoding(store).codingRecords()
        #expect(records.count == 7)
        #expect(records.last?.source == "notes")
        #expect(try BatchCoding(store).codingRecords(coders: ["bob"]).allSatisfy { $0.coder == "bob" })
        #expect(try BatchCoding(store).codingRecords(sourceIDs: [try SourceCatalog(store).sources()[1].id]).count == 1)

        let jsonl = CodingFile.jsonl(records)
        #expect(jsonl.split(separator: "\n").count == 7)
        #expect(
            jsonl.hasPrefix(
                #"{"source": "interview-1", "segment": null, "start": 0, "end": 20, "code": "Other/Evidence", "coder": "bob", "memo": "spans part of a turn", "speaker": null, "text": "Aisha: I run the cli"}"#
            ))
        #expect(jsonl.contains(#""code": "Topics/Evidence", "coder": "alice", "memo": null,"#))
    }

    @Test func csvAndJSONLinesRoundTrip() throws {
        let original = try Self.coded()
        let records = try BatchCoding(original).codingRecords()
        let csv = CodingFile.csv(records), jsonl = CodingFile.jsonl(records)
        for (text, name) in [(csv, "codings.csv"), (jsonl, "codings.jsonl")] {
            let fresh = try Self.project()
            let report = try BatchCoding(fresh).code(rows: try CodingFile.parse(text, path: name), file: name, actor: TestSupport.actor("carol"))
            #expect(report == CodingReport(changed: 7, unchanged: 0))
            #expect(CodingFile.csv(try BatchCoding(fresh).codingRecords()) == csv)
            #expect(CodingFile.jsonl(try BatchCoding(fresh).codingRecords()) == jsonl)
            #expect(try fresh.history().last?.summary == "added 7 coding(s) from \(name)")
            // A second time, every row is there already, and nothing is recorded.
            let digest = try ContentDigest(fresh).contentDigest()
            let again = try BatchCoding(fresh).code(rows: try CodingFile.parse(text, path: name), file: name, actor: TestSupport.actor("carol"))
            #expect(again == CodingReport(changed: 0, unchanged: 7))
            #expect(try ContentDigest(fresh).contentDigest() == digest)
        }
    }

    @Test func rowsBySegmentRangeWithTheDefaultCoder() throws {
        let store = try Self.project()
        let text = "source,segment,code\ninterview-1,\"1,3-4\",Data\nnotes,2,other/evidence\n"
        let report = try BatchCoding(store).code(
            rows: try CodingFile.parse(text, path: "batch.csv"), file: "batch.csv", actor: TestSupport.actor("dana"))
        #expect(report == CodingReport(changed: 4, unchanged: 0))
        let records = try BatchCoding(store).codingRecords()
        #expect(
            records.map { "\($0.source):\($0.segment ?? 0):\($0.code):\($0.coder)" }
                == [
                    "interview-1:1:Topics/Data:dana", "interview-1:3:Topics/Data:dana", "interview-1:4:Topics/Data:dana",
                    "notes:2:Other/Evidence:dana",
                ])
    }

    static let badFiles: [(name: String, text: String, expected: String)] = [
        ("a.csv", "source,segment,code\ninterview-1,1,Data\nnobody,1,Data\n", "a.csv: line 3: there is no source called 'nobody'"),
        ("b.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,2,Nothing\n", "b.csv: line 3: No code is called 'Nothing'"),
        ("c.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,2,Evidence\n", "c.csv: line 3: 'Evidence' names 2 codes"),
        ("d.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,2,Topics\n", "d.csv: line 3: 'Topics' only groups other codes"),
        ("e.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,9,Data\n", "e.csv: line 3: Segments '9': the source has 5 segments"),
        ("f.csv", "source,start,end,code\ninterview-1,0,5,Data\nnotes,0,999,Data\n", "f.csv: line 3: the end (999) lies beyond the text of notes"),
        ("g.csv", "source,start,end,code\ninterview-1,0,5,Data\nnotes,4,4,Data\n", "g.csv: line 3: the start (4) must come before the end (4)"),
        ("h.csv", "source,segment\ninterview-1,1\n", "h.csv: there is no 'code' column"),
        ("i.csv", "source,code\ninterview-1,Data\n", "i.csv: there is neither a 'segment' column nor 'start' and 'end' columns"),
        ("j.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,2,Data,extra\n", "j.csv: row 3 has 4 cells but the header has 3"),
        (
            "k.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,2,\"Data\n",
            "k.csv: a quoted value is not closed (the first odd quote is on line 3)"
        ),
        ("l.csv", "source,segment,code\ninterview-1,1,Data\ninterview-1,x,Data\n", "l.csv: line 3: Segments 'x': 'x' is not a number or a range"),
        ("m.csv", "source,start,end,code\ninterview-1,0,5,Data\nnotes,-1,4,Data\n", "m.csv: line 3: '-1' is not an offset for 'start'"),
        (
            "n.jsonl", "{\"source\": \"notes\", \"segment\": 1, \"code\": \"Data\"}\n{\"source\": \"notes\", \"segment\": 1, \n",
            "n.jsonl: line 2 is not a JSON object"
        ),
        (
            "o.jsonl", "{\"source\": \"notes\", \"segment\": 1, \"code\": \"Data\"}\n{\"source\": \"notes\", \"segment\": 7, \"code\": \"Data\"}\n",
            "o.jsonl: line 2: Segments '7': the source has 3 segments"
        ),
    ]

    @Test(arguments: badFiles.indices) func aBadRowNamesItsLineAndChangesNothing(index: Int) throws {
        let (name, text, expected) = Self.badFiles[index]
        let store = try Self.coded()
        let digest = try ContentDigest(store).contentDigest()
        let entries = try store.history().count
        let error = TestSupport.quillError {
            _ = try BatchCoding(store).code(rows: try CodingFile.parse(text, path: name), file: name, actor: TestSupport.actor())
        }
        let message = error?.errorDescription ?? "no error"
        #expect(message.hasPrefix(expected), "\(message)")
        #expect(try ContentDigest(store).contentDigest() == digest)
        #expect(try store.history().count == entries)
    }
}
