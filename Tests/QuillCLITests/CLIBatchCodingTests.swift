import Foundation
import Testing

/// `quill codings export` and `quill code --from`, end to end.
@Suite struct CLIBatchCodingTests {
    private func preparedProject() throws -> QuillRunner {
        try QuillRunner.preparedProject()
    }

    static let expected =
        [
            "source,segment,start,end,code,coder,memo,speaker,text",
            "interview-a,2,61,138,Barriers,tester,,Zoë,\"I run a literature search 👍 every week.\n\nIt’s hard, I can’t always find time.\"",
            "interview-a,2,61,138,Evidence/Search,tester,,Zoë,\"I run a literature search 👍 every week.\n\nIt’s hard, I can’t always find time.\"",
            "interview-a,4,171,191,Barriers,tester,,Zoë,The barrier is time.",
            "interview-a,4,171,191,Evidence/Search,tester,,Zoë,The barrier is time.",
            "interview-b,1,32,65,Evidence/Synthesis,ann,\"said \"\"twice\"\", maybe\",Interviewer,What do you do with the evidence?",
            "interview-b,2,76,149,Evidence/Synthesis,ann,\"said \"\"twice\"\", maybe\",P03,I write a summary for the ward and we discuss it. The search takes a day.",
        ].joined(separator: "\r\n") + "\r\n"

    @Test func exportsCodingsAndCodesThemBackIntoAFreshProject() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["code", "interview-a", "2,4", "search", "Barriers"]).status == 0)
        #expect(try quill.run(["code", "interview-b", "1-2", "Synthesis", "--memo", "said \"twice\", maybe", "--coder", "ann"]).status == 0)
        let exported = try quill.run(["codings", "export"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout == Self.expected)
        let jsonl = try quill.run(["codings", "export", "--format", "jsonl", "--coder", "ann", "--source", "interview-b"])
        #expect(jsonl.stdout.split(separator: "\n").count == 2)
        #expect(
            jsonl.stdout.hasPrefix(
                #"{"source": "interview-b", "segment": 1, "start": 32, "end": 65, "code": "Evidence/Synthesis", "coder": "ann", "memo": "said \"twice\", maybe", "speaker": "Interviewer", "text": "What do you do with the evidence?"}"#
            ))

        let fresh = try preparedProject()
        defer { fresh.cleanUp() }
        try fresh.write("codings.csv", Data(exported.stdout.utf8))
        try fresh.write("codings.jsonl", Data(try quill.run(["codings", "export", "--format", "jsonl"]).stdout.utf8))
        let coded = try fresh.run(["code", "--from", "codings.csv"])
        #expect(coded.status == 0, "\(coded.stderr)")
        #expect(coded.stderr.contains("Coded 6, 0 already there"))
        #expect(try fresh.run(["codings", "export"]).stdout == Self.expected)
        #expect(try fresh.run(["log"]).stdout.contains("added 6 coding(s) from codings.csv"))
        let again = try fresh.run(["code", "--from", "codings.jsonl"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("Coded 0, 6 already there"))
    }

    @Test func aBadRowNamesItsLineAndChangesNothing() throws {
        let quill = try preparedProject()
        defer { quill.cleanUp() }
        try quill.write("bad.csv", Data("source,segment,code\ninterview-a,2,Search\ninterview-a,99,Search\n".utf8))
        let before = try quill.run(["codings", "export"]).stdout
        let result = try quill.run(["code", "--from", "bad.csv"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.csv: line 3: Segments '99'"), "\(result.stderr)")
        #expect(try quill.run(["codings", "export"]).stdout == before)
        #expect(try !quill.run(["log"]).stdout.contains("bad.csv"))

        let neither = try quill.run(["code"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("or a file with --from codings.csv"))
    }
}
