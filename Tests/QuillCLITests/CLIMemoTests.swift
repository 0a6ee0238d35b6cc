import Foundation
import QuillKit
import Testing

/// `quill memo` and `quill coders`, end to end.
@Suite struct CLIMemoTests {
    private func project() throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt")
        #expect(try quill.run(["init"]).status == 0)
        #expect(try quill.run(["codebook", "import", "codebook.yaml"]).status == 0)
        #expect(try quill.run(["import", "interview-a.txt"]).status == 0)
        return quill
    }

    /// Output with its ISO 8601 timestamps replaced by TIME.
    private func timeless(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)"#, with: "TIME", options: .regularExpression)
    }

    @Test func addListShowEditDelete() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        let first = try quill.run(["memo", "add", "source:interview-a", "--title", "First look", "--text", "Zoë talks about time.\nA lot."])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr == "Added memo 1 on source:interview-a.\n")
        try quill.write("note.md", Data("Evidence means searching, here.\n\nMore thoughts.\n".utf8))
        let second = try quill.run(["memo", "add", "code:evidence", "--file", "note.md", "--coder", "alice"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr == "Added memo 2 on code:Evidence.\n")
        #expect(try quill.run(["memo", "add", "project", "--text", "Overall plan"]).status == 0)
        #expect(try quill.run(["memo", "add", "segment:interview-a#2", "--text", "A key turn"]).status == 0)
        #expect(try quill.run(["memo", "add", "case:zoë", "--text", "Librarian"]).status == 0)

        let list = try quill.run(["memo", "list", "--format", "csv"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            timeless(list.stdout) == """
                id,target,title,text,coder,updated\r
                1,source:interview-a,First look,Zoë talks about time.,tester,TIME\r
                2,code:Evidence,,"Evidence means searching, here.",alice,TIME\r
                3,project,,Overall plan,tester,TIME\r
                4,segment:interview-a#2,,A key turn,tester,TIME\r
                5,case:Zoë,,Librarian,tester,TIME\r

                """)
        let onCode = try quill.run(["memo", "list", "code:Evidence", "--format", "csv"])
        #expect(
            timeless(onCode.stdout) == "id,target,title,text,coder,updated\r\n2,code:Evidence,,\"Evidence means searching, here.\",alice,TIME\r\n")

        let shown = try quill.run(["memo", "show", "2"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("Memo 2 on code:Evidence\nCoder: alice\n"))
        #expect(shown.stdout.hasSuffix("\n\nEvidence means searching, here.\n\nMore thoughts.\n"))

        let edited = try quill.run(["memo", "edit", "#1", "--text", "Zoë says time is the barrier."])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stderr == "Edited memo 1 on source:interview-a.\n")
        #expect(try quill.run(["memo", "show", "1"]).stdout.hasSuffix("\n\nZoë says time is the barrier.\n"))
        let same = try quill.run(["memo", "edit", "1", "--text", "Zoë says time is the barrier."])
        #expect(same.status == 0)
        #expect(same.stderr.contains("Memo 1 is unchanged"))

        let deleted = try quill.run(["memo", "delete", "3"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stderr == "Deleted memo 3 on project.\n")
        #expect(
            timeless(try quill.run(["memo", "list", "--format", "csv"]).stdout).components(separatedBy: "\r\n").map { $0.prefix(2) }
                == ["id", "1,", "2,", "4,", "5,", ""])
        let log = try quill.run(["log"])
        #expect(log.stdout.contains("deleted memo 3 on project"))
    }

    @Test func failuresSayWhatToDoAndChangeNothing() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        #expect(try quill.run(["memo", "add", "project", "--text", "Plan"]).status == 0)
        let digest = try quill.digest()
        let cases: [([String], String)] = [
            (["memo", "add", "source:nowhere", "--text", "x"], "No source is called 'nowhere'"),
            (["memo", "add", "code:Evidenc", "--text", "x"], "Did you mean"),
            (["memo", "add", "segment:interview-a#99", "--text", "x"], "interview-a has no segment 99"),
            (["memo", "add", "person:Zoë", "--text", "x"], "source:NAME"),
            (["memo", "add", "project"], "The memo's text is empty"),
            (["memo", "add", "project", "--file", "missing.md"], "Cannot read missing.md"),
            (["memo", "edit", "9", "--text", "x"], "No memo has the number 9"),
            (["memo", "edit", "1"], "Say what to change in memo 1"),
            (["memo", "delete", "9"], "'quill memo list' lists the memos"),
            (["memo", "show", "x"], "is not a memo number"),
        ]
        for (arguments, expected) in cases {
            let result = try quill.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
        #expect(try quill.digest() == digest)
    }

    @Test func codersListsEveryCoderByName() throws {
        let quill = try project()
        defer { quill.cleanUp() }
        #expect(try quill.run(["code", "interview-a", "2", "Evidence"]).status == 0)
        #expect(try quill.run(["code", "interview-a", "2", "Barriers", "--coder", "Bea"]).status == 0)
        #expect(try quill.run(["memo", "add", "project", "--text", "Plan", "--coder", "bea"]).status == 0)
        #expect(try quill.run(["memo", "add", "project", "--text", "Plan", "--coder", "alice"]).status == 0)
        let coders = try quill.run(["coders", "--format", "csv"])
        #expect(coders.status == 0, "\(coders.stderr)")
        #expect(coders.stdout == "coder,codings,memos\r\nalice,0,1\r\nBea,1,1\r\ntester,1,0\r\n")
    }
}
