import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct AutocodeRulesTests {
    static let book = """
        name: Rules book
        codes:
        - name: Access
          keywords:
          - waiting list
          rules:
          - regex: \\bwait(ing)? (list|time)s?\\b
        - name: Voice
          codable: false
          children:
          - name: Patient voice
            rules:
            - speaker_role: interviewee
              keywords_any:
              - patients
              - patient
          - name: Questions
            rules:
            - speaker_role: interviewer
        - name: Managers
          rules:
          - speaker: speaker b
        - name: Librarians
          rules:
          - where: role=librarian
        - name: Café
          rules:
          - regex: CAFÉ
            case_sensitive: true

        """

    static let transcript = """
        Interviewer: What about waiting times? 🙂
        P01: The wait time for patients is long; the waiting list grows.\r
        Interviewer: And the café?
        Speaker B (Manager): Our patients like the CAFÉ 👩‍⚕️. Waiting lists too.
        P02: Nothing to add, Café.

        """

    static func project() throws -> ProjectDatabase {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(book, file: "book.yaml"), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", transcript)], actor: TestSupport.actor())
        _ = try CaseBook(store).importCaseAttributes(csv: "case,role\nP01,librarian\nP02,nurse\n", path: "people.csv", actor: TestSupport.actor())
        return store
    }

    /// Proposals as "segment:code:rules:matched".
    func lines(_ report: AutocodeReport) -> [String] {
        report.proposals.map { "\($0.segment):\($0.code):\($0.rules.joined(separator: "; ")):\($0.keywords.joined(separator: ", "))" }
    }

    @Test func codebookRulesReadWriteAndReadBackToTheSameBytes() throws {
        let codebook = try Codebook.parseYAML(Self.book, file: "book.yaml")
        #expect(codebook.codes[0].rules == [AutocodeRule(regex: "\\bwait(ing)? (list|time)s?\\b")])
        #expect(codebook.codes[1].children[0].rules == [AutocodeRule(keywordsAny: ["patients", "patient"], speakerRole: "interviewee")])
        #expect(codebook.codes[3].rules == [AutocodeRule(conditions: ["role=librarian"])])
        #expect(codebook.codes[4].rules == [AutocodeRule(regex: "CAFÉ", isCaseSensitive: true)])
        #expect(codebook.yaml() == Self.book)
        #expect(try Codebook.parseYAML(codebook.yaml(), file: "again.yaml") == codebook)
        // Through a project and back: the rules are stored and exported as they were.
        let store = try Self.project()
        let exported = try CodebookImporter(store).exportCodebook()
        #expect(exported.flattened().map(\.node.rules) == codebook.flattened().map(\.node.rules))
        // Importing the same file again changes nothing; changing a rule updates the code.
        let digest = try ContentDigest(store).contentDigest()
        #expect(try CodebookImporter(store).importCodebook(codebook, actor: TestSupport.actor()).updated == 0)
        #expect(try ContentDigest(store).contentDigest() == digest)
        var changed = codebook
        changed.codes[0].rules[0].regex = "\\bqueue\\b"
        #expect(try CodebookImporter(store).importCodebook(changed, actor: TestSupport.actor()).updated == 1)
        #expect(try CodeTree.load(store).resolve("Access").rules == [AutocodeRule(regex: "\\bqueue\\b")])
    }

    @Test func aBadRuleNamesTheFileTheRuleAndTheLine() throws {
        let badRegex = Self.book.replacingOccurrences(of: "- regex: CAFÉ", with: "- regex: 'caf(é'")
        let error = TestSupport.quillError { _ = try Codebook.parseYAML(badRegex, file: "book.yaml") }
        #expect(
            error?.message.hasPrefix("book.yaml: rule 1 of code 'Café' (line 28): the regular expression /caf(é/ does not compile") == true,
            "\(error?.message ?? "")")
        let noCondition = TestSupport.quillError {
            _ = try Codebook.parseYAML(
                Self.book.replacingOccurrences(of: "- where: role=librarian", with: "- case_sensitive: false"), file: "book.yaml")
        }
        #expect(
            noCondition?.message.hasPrefix(
                "book.yaml: rule 1 of code 'Librarians' (line 25) has no condition. Give it at least one of: keywords_any, regex, speaker, speaker_role, where."
            ) == true, "\(noCondition?.message ?? "")")
        let typo = TestSupport.quillError {
            _ = try Codebook.parseYAML(Self.book.replacingOccurrences(of: "- where:", with: "- wher:"), file: "book.yaml")
        }
        #expect(typo?.message.contains("unknown key 'wher' in rule 1 of code 'Librarians'") == true, "\(typo?.message ?? "")")
        let file = TestSupport.quillError {
            _ = try RulesFile.parse("rules:\n- code: Access\n  regex: ok\n- code: Managers\n  regex: '[unclosed'\n", file: "rules.yaml")
        }
        #expect(error != nil)
        #expect(
            file?.message.hasPrefix("rules.yaml: rule 2 (line 4): the regular expression /[unclosed/ does not compile") == true,
            "\(file?.message ?? "")")
    }

    @Test func aRulesFileNamingAnUnknownCodeStopsWithNothingChanged() throws {
        let store = try Self.project()
        let digest = try ContentDigest(store).contentDigest()
        let rules = try RulesFile.parse("rules:\n- code: Access\n  regex: grows\n- code: Acess\n  speaker: P02\n", file: "rules.yaml")
        let error = TestSupport.quillError {
            _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, rules: [rules], actor: TestSupport.actor())
        }
        #expect(
            error?.message.hasPrefix("rules.yaml: rule 2 (line 4) names the code 'Acess', which the project does not have as one code") == true,
            "\(error?.message ?? "")")
        let grouping = try RulesFile.parse("rules:\n- code: Voice\n  speaker: P02\n", file: "more.yaml")
        let groupError = TestSupport.quillError {
            _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, rules: [grouping], actor: TestSupport.actor())
        }
        #expect(
            groupError?.message.hasPrefix("more.yaml: rule 1 (line 2) is for 'Voice', which only groups other codes") == true,
            "\(groupError?.message ?? "")")
        let attribute = try RulesFile.parse("rules:\n- code: Access\n  where: [grade=7]\n", file: "attr.yaml")
        let attributeError = TestSupport.quillError {
            _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, rules: [attribute], actor: TestSupport.actor())
        }
        #expect(
            attributeError?.message.hasPrefix("attr.yaml: rule 1 (line 2): there is no attribute 'grade'") == true, "\(attributeError?.message ?? "")"
        )
        #expect(try ContentDigest(store).contentDigest() == digest)
    }

    @Test func aCodebookRuleOnAnAttributeNoCaseHasYetMatchesNothingAndSaysSo() throws {
        let store = try ProjectDatabase.inMemory()
        let book = Self.book.replacingOccurrences(of: "role=librarian", with: "grade=senior")
        _ = try CodebookImporter(store).importCodebook(try Codebook.parseYAML(book, file: "book.yaml"), actor: TestSupport.actor())
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", Self.transcript)], actor: TestSupport.actor())
        let report = try Autocoder(store).autocode(mode: .apply, isDryRun: false, actor: TestSupport.actor())
        #expect(
            report.notes == [
                Notice(
                    "The codebook's rule 1 of code 'Librarians' asks for the attribute 'grade', which no case has yet, so it matches nothing",
                    remedy: .addAttributes)
            ])
        #expect(report.added == 8)
        #expect(!report.proposals.contains { $0.code == "Librarians" })
    }

    @Test func everyKindOfRuleFires() throws {
        let store = try Self.project()
        let report = try Autocoder(store).autocode(mode: .propose, isDryRun: true, actor: TestSupport.actor())
        #expect(
            lines(report) == [
                "1:Voice/Questions:speaker_role interviewer:speaker Interviewer",
                "2:Access:keywords; regex /\\bwait(ing)? (list|time)s?\\b/i:waiting list, wait time",
                "2:Voice/Patient voice:speaker_role interviewee + keywords_any [patients, patient]:speaker P01, patients",
                "2:Librarians:where role=librarian:where role=librarian",
                "3:Voice/Questions:speaker_role interviewer:speaker Interviewer",
                "4:Access:regex /\\bwait(ing)? (list|time)s?\\b/i:Waiting lists",
                "4:Voice/Patient voice:speaker_role interviewee + keywords_any [patients, patient]:speaker Speaker B, patients",
                "4:Managers:speaker speaker b:speaker Speaker B",
                "4:Café:regex /CAFÉ/:CAFÉ",
            ])
        #expect(report.skippedInterviewerSegments == 2)
        // A role in brackets is a role too; a rules file adds rules to the codebook's.
        let rules = try RulesFile.parse(
            "rules:\n- code: Managers\n  speaker_role: manager\n- code: Access\n  regex: nothing\\b\n  case_sensitive: true\n", file: "rules.yaml")
        let more = try Autocoder(store).autocode(mode: .propose, isDryRun: true, rules: [rules], actor: TestSupport.actor())
        #expect(lines(more).filter { $0.hasPrefix("4:Managers") } == ["4:Managers:speaker speaker b; speaker_role manager:speaker Speaker B"])
        #expect(!lines(more).contains { $0.hasPrefix("5:Access") }, "case-sensitive: 'Nothing' is not 'nothing'")
    }

    @Test func proposalsAreWrittenOnceAndNeverAgainAfterARejection() throws {
        let store = try Self.project()
        let first = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor("alice", command: "quill autocode"))
        #expect(first.proposed == 9)
        #expect(first.added == 0)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM coding") } == 0)
        #expect(try store.history().last?.summary == "proposed 9 segment coding(s) for review")
        let pending = try ReviewQueue(store).pendingProposals()
        #expect(
            pending.map(\.code) == [
                "Access", "Access", "Voice/Patient voice", "Voice/Patient voice", "Voice/Questions",
                "Voice/Questions", "Managers", "Librarians", "Café",
            ])
        #expect(pending.allSatisfy { $0.proposedBy == "autocode" })
        #expect(pending[0].excerpt == "The wait time for patients is long; the waiting list grows.")
        #expect(pending[1].span == TextSpan(start: 154, end: 205))
        // A second run proposes nothing and changes nothing.
        let digest = try ContentDigest(store).contentDigest()
        let again = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor())
        #expect(again.proposed == 0)
        #expect(again.proposals.count == 9 && again.proposals.allSatisfy(\.exists))
        #expect(try ContentDigest(store).contentDigest() == digest)
        // Rejected proposals are not proposed again, not even by a dry run.
        let rejected = try ReviewQueue(store).review(
            accept: ProposalSelection(), reject: ProposalSelection(codes: ["Voice"]), actor: TestSupport.actor())
        #expect(rejected == ReviewReport(accepted: 0, alreadyCoded: 0, rejected: 4))
        #expect(try Autocoder(store).autocode(mode: .propose, isDryRun: true, actor: TestSupport.actor()).proposals.count == 5)
        #expect(try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor()).proposed == 0)
        #expect(try ReviewQueue(store).pendingProposals().count == 5)
    }

    @Test func whatAnyCoderCodedIsNotProposed() throws {
        let store = try Self.project()
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        _ = try CodingEditor(store).code(
            sourceID: alpha, segments: [4], codeIDs: [try CodeTree.load(store).resolve("Managers").id], actor: TestSupport.actor("bob"))
        let report = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor())
        #expect(report.proposed == 8)
        #expect(report.proposals.filter(\.exists).map(\.code) == ["Managers"])
    }

    @Test func aDryRunChangesNothing() throws {
        let store = try Self.project()
        let digest = try ContentDigest(store).contentDigest()
        let history = try store.history().count
        #expect(try Autocoder(store).autocode(mode: .propose, isDryRun: true, actor: TestSupport.actor()).proposals.count == 9)
        #expect(try Autocoder(store).autocode(mode: .apply, isDryRun: true, actor: TestSupport.actor()).proposals.count == 9)
        #expect(try ContentDigest(store).contentDigest() == digest)
        #expect(try store.history().count == history)
    }

    @Test func acceptingAndRejectingByAllCodeAndNumber() throws {
        let store = try Self.project()
        _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor())
        let pending = try ReviewQueue(store).pendingProposals()
        let cafe = try #require(pending.first { $0.code == "Café" })
        let managers = try #require(pending.first { $0.code == "Managers" })
        // By number and by code (with the codes below it), in one change.
        let report = try ReviewQueue(store).review(
            accept: ProposalSelection(codes: ["voice"], ids: [cafe.id]),
            reject: ProposalSelection(ids: [managers.id]), actor: TestSupport.actor("carol", command: "quill review"))
        #expect(report == ReviewReport(accepted: 5, alreadyCoded: 0, rejected: 1))
        #expect(try store.history().last?.summary == "review: accepted 5 proposal(s), rejected 1 proposal(s)")
        let codings = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT d.name AS coder, c.memo FROM coding c JOIN coder d ON d.id = c.coderId ORDER BY c.id")
        }
        #expect(codings.count == 5)
        #expect(codings.allSatisfy { $0["coder"] == "carol" })
        #expect(codings.map { $0["memo"] as String }.contains("autocode: CAFÉ (rule: regex /CAFÉ/)"))
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rejectedSuggestion") } == 1)
        // Unknown numbers, unknown codes and contradictions change nothing.
        let digest = try ContentDigest(store).contentDigest()
        let unknown = TestSupport.quillError {
            _ = try ReviewQueue(store).review(accept: ProposalSelection(ids: [999]), reject: ProposalSelection(), actor: TestSupport.actor())
        }
        #expect(unknown == .refused("No proposal 999 is waiting for review.", remedy: .listProposals))
        let both = TestSupport.quillError {
            _ = try ReviewQueue(store).review(
                accept: ProposalSelection(all: true), reject: ProposalSelection(codes: ["Access"]), actor: TestSupport.actor())
        }
        #expect(both?.message.contains("would be both accepted and rejected") == true)
        #expect(
            TestSupport.quillError {
                _ = try ReviewQueue(store).review(
                    accept: ProposalSelection(codes: ["Nowhere"]), reject: ProposalSelection(), actor: TestSupport.actor())
            } != nil)
        #expect(try ContentDigest(store).contentDigest() == digest)
        // All the rest.
        #expect(
            try ReviewQueue(store).review(accept: ProposalSelection(), reject: ProposalSelection(all: true), actor: TestSupport.actor()).rejected == 3
        )
        #expect(try ReviewQueue(store).pendingProposals().isEmpty)
        #expect(try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor()).proposed == 0)
    }

    @Test func undoRestoresTheStateBeforeProposingAndBeforeEachReview() throws {
        let store = try Self.project()
        let actor = TestSupport.actor()
        var digests = [try ContentDigest(store).contentDigest(researchOnly: true)]
        _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: actor)
        digests.append(try ContentDigest(store).contentDigest(researchOnly: true))
        _ = try ReviewQueue(store).review(accept: ProposalSelection(codes: ["Access"]), reject: ProposalSelection(), actor: actor)
        digests.append(try ContentDigest(store).contentDigest(researchOnly: true))
        _ = try ReviewQueue(store).review(accept: ProposalSelection(), reject: ProposalSelection(all: true), actor: actor)
        digests.append(try ContentDigest(store).contentDigest(researchOnly: true))
        #expect(Set(digests).count == 4)
        for expected in digests.dropLast().reversed() {
            _ = try #require(try UndoLog(store).undo(actor: actor))
            #expect(try ContentDigest(store).contentDigest(researchOnly: true) == expected)
        }
        #expect(try ReviewQueue(store).pendingProposals().isEmpty)
    }

    @Test func applyingCodesAtOnceAndClearsWhatWasProposed() throws {
        let store = try Self.project()
        _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor())
        let report = try Autocoder(store).autocode(mode: .apply, isDryRun: false, actor: TestSupport.actor())
        #expect(report.added == 9)
        #expect(try ReviewQueue(store).pendingProposals().isEmpty)
        #expect(try store.history().last?.summary == "autocoded 9 segment coding(s) from codebook keywords and rules")
        let memos = try store.read { db in try String.fetchAll(db, sql: "SELECT memo FROM coding ORDER BY id") }
        #expect(memos.contains("autocode: waiting list, wait time"))
    }

    @Test func mergingACodeMovesItsRulesAndProposals() throws {
        let store = try Self.project()
        _ = try Autocoder(store).autocode(mode: .propose, isDryRun: false, actor: TestSupport.actor())
        _ = try CodebookEditor(store).mergeCode("Managers", into: "Librarians", actor: TestSupport.actor())
        let tree = try CodeTree.load(store)
        #expect(try tree.resolve("Librarians").rules == [AutocodeRule(conditions: ["role=librarian"]), AutocodeRule(speaker: "speaker b")])
        #expect(try ReviewQueue(store).pendingProposals().filter { $0.code == "Librarians" }.count == 2)
    }
}
