import Foundation
import QuillKit
import Testing

/// `quill autocode` proposing, `quill review` deciding, and `quill undo` taking either back.
@Suite struct CLIReviewTests {
    static let rules = """
        rules:
        - code: Barriers
          regex: \\bfind (time|it)\\b
        - code: Evidence/Synthesis
          speaker: P03
          keywords_any: [ward]
        - code: Stance/Barrier
          speaker_role: interviewer

        """

    /// What the researcher made, without the history (which an undo adds to).
    static func researchDigest(_ quill: QuillRunner) throws -> String {
        try ContentDigest(ProjectDatabase.open(at: quill.folder.appendingPathComponent("project.quill"))).contentDigest(researchOnly: true)
    }

    @Test func autocodeProposesAndReviewListsByCode() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        let before = try quill.digest()
        let research = try Self.researchDigest(quill)
        let dry = try quill.run(["autocode", "--dry-run", "--format", "csv"])
        #expect(dry.status == 0)
        #expect(dry.stderr.contains("Dry run: 6 proposals would be made; nothing was changed."))
        #expect(try quill.digest() == before)
        let proposed = try quill.run(["autocode"])
        #expect(proposed.status == 0)
        #expect(proposed.stderr.contains("Proposed 6 codings for review, 0 already coded or proposed"))
        #expect(try quill.run(["codings", "export", "--format", "csv"]).stdout.split(separator: "\n").count <= 1)
        let list = try quill.run(["review", "--format", "csv"])
        #expect(
            list.stdout == """
                id,code,source,segment,excerpt,rule,matched\r
                1,Evidence,interview-a,2,"I run a literature search 👍 every week. It’s hard, I can’t always find time.",keywords,literature search\r
                2,Evidence/Search,interview-a,2,"I run a literature search 👍 every week. It’s hard, I can’t always find time.",keywords,search\r
                5,Evidence/Search,interview-b,2,I write a summary for the ward and we discuss it. The search takes a day.,keywords,search\r
                6,Evidence/Synthesis,interview-b,2,I write a summary for the ward and we discuss it. The search takes a day.,keywords,summary\r
                3,Barriers,interview-a,2,"I run a literature search 👍 every week. It’s hard, I can’t always find time.",keywords,can't\r
                4,Barriers,interview-a,4,The barrier is time.,keywords,barrier\r

                """)
        let table = try quill.run(["review"])
        #expect(table.stdout.hasPrefix("Evidence (1)\n#  Source"))
        #expect(table.stdout.contains("\nEvidence/Search (2)\n"))
        #expect(table.stdout.contains("\nBarriers (2)\n"))
        // Running again proposes nothing and changes nothing.
        let digest = try quill.digest()
        #expect(try quill.run(["autocode"]).stderr.contains("Proposed 0 codings for review, 6 already coded or proposed"))
        #expect(try quill.digest() == digest)
        // Undo takes the proposals back.
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try Self.researchDigest(quill) == research)
    }

    @Test func acceptAndRejectByNumberAndCodeThenUndo() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode"]).status == 0)
        let proposed = try Self.researchDigest(quill)
        let accepted = try quill.run(["review", "--accept", "#1", "6", "--reject", "Evidence/Search"], environment: ["QUILL_CODER": "zoë"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stderr == "Accepted 2 proposals as zoë, rejected 2. 2 still pending.\n")
        let codings = try quill.run(["codings", "export", "--format", "csv"]).stdout
        #expect(codings.contains("zoë"))
        #expect(codings.contains("autocode: summary (rule: keywords)"))
        #expect(try quill.run(["review", "--format", "csv"]).stdout.components(separatedBy: "\r\n").map { $0.prefix(2) } == ["id", "3,", "4,", ""])
        // Rejected proposals are not proposed again.
        #expect(try quill.run(["autocode"]).stderr.contains("Proposed 0 codings"))
        // A code takes the codes below it; a number that is not pending changes nothing.
        let reviewed = try quill.digest()
        let reviewedResearch = try Self.researchDigest(quill)
        let unknown = try quill.run(["review", "--accept", "99"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("No proposal 99 is waiting for review."))
        let unknownCode = try quill.run(["review", "--reject", "Nowhere"])
        #expect(unknownCode.status != 0)
        #expect(try quill.digest() == reviewed)
        #expect(try quill.run(["review", "--reject-all"]).stderr == "Accepted 0 proposals as tester, rejected 2. 0 still pending.\n")
        // Each review is one change: undo twice, and the proposals are as autocode left them.
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try Self.researchDigest(quill) == reviewedResearch)
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try Self.researchDigest(quill) == proposed)
    }

    @Test func interactiveReviewReadsAnswersFromPipedInput() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode"]).status == 0)
        let proposed = try Self.researchDigest(quill)
        // y accepts #1, "maybe" is asked again, n rejects #2, s skips #5, then the input ends.
        let result = try quill.run(["review", "-i"], stdin: "y\nmaybe\nn\ns\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("[1/6] #1 Evidence: interview-a, segment 2\n  I run a literature search 👍 every week."))
        #expect(result.stderr.contains("Accept? y(es), n(o), s(kip), q(uit): maybe\nAnswer y, n, s or q.\n[2/6] #2 Evidence/Search"))
        #expect(result.stderr.hasSuffix("Accepted 1 proposal as tester, rejected 1. Skipped 1; 4 still pending.\n"))
        #expect(
            try quill.run(["review", "--format", "csv"]).stdout.components(separatedBy: "\r\n").map { $0.prefix(2) } == [
                "id", "5,", "6,", "3,", "4,", "",
            ])
        // q stops at once; every answer was saved as its own change.
        #expect(
            try quill.run(["review", "-i"], stdin: "q\ny\n").stderr.hasSuffix(
                "Accepted 0 proposals as tester, rejected 0. Skipped 0; 4 still pending.\n"))
        #expect(try quill.run(["log"]).stdout.components(separatedBy: "quill review -i").count == 3)
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try quill.run(["undo"]).status == 0)
        #expect(try Self.researchDigest(quill) == proposed)
        // Nothing to review: says so.
        #expect(try quill.run(["review", "--reject-all"]).status == 0)
        #expect(try quill.run(["review", "-i"], stdin: "y\n").stderr.contains("No proposals are waiting for review"))
    }

    @Test func rulesFileAddsRulesAndABadOneStopsWithNothingChanged() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        try quill.write("rules.yaml", Data(Self.rules.utf8))
        let dry = try quill.run(["autocode", "--rules", "rules.yaml", "--dry-run", "--format", "csv"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(
            dry.stdout == """
                source,segment,code,rule,matched,exists\r
                interview-a,1,Stance/Barrier,speaker_role interviewer,speaker Interviewer,false\r
                interview-a,2,Evidence,keywords,literature search,false\r
                interview-a,2,Evidence/Search,keywords,search,false\r
                interview-a,2,Barriers,keywords; regex /\\bfind (time|it)\\b/i,"can't, find time",false\r
                interview-a,3,Stance/Barrier,speaker_role interviewer,speaker Interviewer,false\r
                interview-a,4,Barriers,keywords,barrier,false\r
                interview-b,1,Stance/Barrier,speaker_role interviewer,speaker Interviewer,false\r
                interview-b,2,Evidence/Search,keywords,search,false\r
                interview-b,2,Evidence/Synthesis,keywords; speaker P03 + keywords_any [ward],"summary, speaker P03, ward",false\r
                interview-b,3,Stance/Barrier,speaker_role interviewer,speaker Interviewer,false\r

                """)
        let before = try quill.digest()
        for (name, text, message) in [
            (
                "bad-regex.yaml", "rules:\n- code: Barriers\n  regex: ok\n- code: Evidence\n  regex: '(unclosed'\n",
                "bad-regex.yaml: rule 2 (line 4): the regular expression /(unclosed/ does not compile"
            ),
            (
                "unknown-code.yaml", "rules:\n- code: Barriers\n  regex: ok\n- code: Evidense\n  regex: ok\n",
                "unknown-code.yaml: rule 2 (line 4) names the code 'Evidense', which the project does not have as one code"
            ),
            ("typo.yaml", "rules:\n- code: Barriers\n  regexp: ok\n", "typo.yaml: line 3: unknown key 'regexp' in rule 1 (line 2)"),
            ("broken.yaml", "rules:\n- code: 'Barriers\n", "broken.yaml: this is not valid YAML (line "),
            ("empty.yaml", "", "empty.yaml: the file is empty"),
            ("comment.yaml", "# no rules yet\n", "comment.yaml: a rules file must be a mapping with a 'rules' list"),
        ] {
            try quill.write(name, Data(text.utf8))
            let result = try quill.run(["autocode", "--rules", name])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        let missing = try quill.run(["autocode", "--rules", "nowhere.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nowhere.yaml"))
        #expect(try quill.digest() == before)
    }

    @Test func applyAfterAcceptingEveryProposalAddsNoCoding() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode"]).status == 0)
        let accepted = try quill.run(["review", "--accept-all"], environment: ["QUILL_CODER": "alice"])
        #expect(accepted.stderr == "Accepted 6 proposals as alice, rejected 0. 0 still pending.\n", "\(accepted.stderr)")
        let research = try Self.researchDigest(quill)
        let applied = try quill.run(["autocode", "--apply"])
        #expect(applied.status == 0)
        #expect(applied.stderr.contains("Autocoded: 0 codings added, 6 already there"), "\(applied.stderr)")
        #expect(try Self.researchDigest(quill) == research)
        // Nor does a passage a person coded by hand get the same code again from autocoding.
        let direct = try QuillRunner.preparedProject()
        defer { direct.cleanUp() }
        #expect(try direct.run(["code", "interview-b", "2", "Evidence/Synthesis"]).status == 0)
        let second = try direct.run(["autocode", "--apply"])
        #expect(second.stderr.contains("Autocoded: 5 codings added, 1 already there"), "\(second.stderr)")
        #expect(!(try direct.run(["show", "interview-b"]).stdout.contains("Evidence/Synthesis (autocode)")))
    }

    @Test func applyKeepsTheOldDirectCoding() throws {
        let quill = try QuillRunner.preparedProject()
        defer { quill.cleanUp() }
        #expect(try quill.run(["autocode"]).status == 0)
        let applied = try quill.run(["autocode", "--apply"])
        #expect(applied.stderr.contains("Autocoded: 6 codings added, 0 already there"))
        // What was coded is no longer waiting for review.
        #expect(try quill.run(["review"]).stderr.contains("No proposals are waiting for review"))
        #expect(try quill.run(["show", "interview-b"]).stdout.contains("Evidence/Synthesis (autocode)"))
    }
}
