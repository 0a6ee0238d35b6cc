import Foundation
import Testing

@testable import QuillKit

@Suite struct CodingSheetTests {
    struct Fixture {
        let store: ProjectDatabase
        let source: SourceSummary
    }

    /// A project with one interview of four turns (accents and an emoji in the text) and a
    /// codebook with a nested code, a name used twice, and a grouping code.
    static func fixture() throws -> Fixture {
        let store = try ProjectDatabase.inMemory()
        _ = try CodebookImporter(store).importCodebook(
            Codebook(
                name: "Book",
                codes: [
                    .init(name: "Learning cycle", children: [.init(name: "Evidence use"), .init(name: "Barrier")]),
                    .init(name: "Barriers"),
                    .init(name: "Stance", isCodable: false, children: [.init(name: "Barrier"), .init(name: "Enabler")]),
                ]), actor: TestSupport.actor())
        let text = """
            Interviewer: How do you use evidence?
            Zoë: I run a literature search 👍 every week.

            It’s hard, I can’t always find time.
            Interviewer: Any barriers?
            Zoë: The café Wi-Fi, and time.
            """
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("interview-03", text)], actor: TestSupport.actor())
        return Fixture(store: store, source: try #require(try SourceCatalog(store).sources().first))
    }

    /// The codes each segment carries, as "number:path:coders".
    func applied(_ fixture: Fixture) throws -> [String] {
        try SourceCatalog(fixture.store).segments(ofSource: fixture.source.id).flatMap { segment in
            segment.codes.map { "\(segment.number):\($0.path):\($0.coders.joined(separator: "+"))" }
        }
    }

    func sheetText(_ fixture: Fixture, coder: String = "alice") throws -> String {
        try SheetApplier(fixture.store).codingSheet(sourceID: fixture.source.id, coder: coder).render()
    }

    /// Replaces the `codes:` line of a segment's block in a rendered sheet.
    func setCodes(_ text: String, segment: Int, to codes: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        let marker = try #require(lines.firstIndex { $0.contains("<!-- seg:\(segment) ") })
        let line = try #require(lines[marker...].firstIndex { $0.hasPrefix("codes:") })
        lines[line] = "codes: " + codes
        return lines.joined(separator: "\n")
    }

    func apply(_ fixture: Fixture, _ text: String, dryRun: Bool = false) throws -> SheetReport {
        try SheetApplier(fixture.store).applySheet(
            try ParsedSheet.parse(text, path: "sheet.md"), isDryRun: dryRun, command: "quill sheet apply sheet.md")
    }

    @Test func rendersEachSegmentWithMarkerTextAndTheCodersCodes() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [2], codeIDs: [try CodeTree.load(fixture.store).resolve("Evidence use").id],
            actor: TestSupport.actor("alice"))
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [4], codeIDs: [try CodeTree.load(fixture.store).resolve("Barriers").id],
            actor: TestSupport.actor("bob"))
        let sheet = try SheetApplier(fixture.store).codingSheet(sourceID: fixture.source.id, coder: "alice")
        #expect(sheet.entries.map(\.codes) == [[], ["Learning cycle/Evidence use"], [], []])
        let text = sheet.render()
        #expect(text.contains("- Coder: alice\n"))
        #expect(text.contains("- Source GUID: \(sheet.sourceGUID)\n"))
        #expect(text.contains("## 2 · Zoë  <!-- seg:2 "))
        #expect(
            text.contains(
                "> I run a literature search 👍 every week.\n>\n> It’s hard, I can’t always find time.\n\ncodes: Learning cycle/Evidence use\n"))
        let parsed = try ParsedSheet.parse(text, path: "sheet.md")
        #expect(parsed.coder == "alice" && parsed.sourceGUID == sheet.sourceGUID && parsed.digest == sheet.digest)
        #expect(parsed.blocks.map(\.number) == [1, 2, 3, 4])
        #expect(parsed.blocks.map { $0.codes?.names ?? ["missing"] } == [[], ["Learning cycle/Evidence use"], [], []])
        // Applying the sheet as written changes nothing.
        #expect(try apply(fixture, text).changes.isEmpty)
    }

    @Test func appliesExactlyTheDifferences() throws {
        let fixture = try Self.fixture()
        let tree = try CodeTree.load(fixture.store)
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [2], codeIDs: [try tree.resolve("Evidence use").id],
            actor: TestSupport.actor("alice"))
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [2], codeIDs: [try tree.resolve("Barriers").id],
            actor: TestSupport.actor("bob"))
        var text = try sheetText(fixture)
        text = try setCodes(text, segment: 2, to: "Barriers; learning cycle/barrier")
        text = try setCodes(text, segment: 4, to: "Barriers;Barriers")
        let report = try apply(fixture, text)
        #expect(report.summary == "added 3, removed 1 coding on 2 segments")
        #expect(
            report.changes == [
                SheetChange(segment: 2, code: "Barriers", isAdded: true), SheetChange(segment: 2, code: "Learning cycle/Barrier", isAdded: true),
                SheetChange(segment: 2, code: "Learning cycle/Evidence use", isAdded: false),
                SheetChange(segment: 4, code: "Barriers", isAdded: true),
            ])
        #expect(try applied(fixture) == ["2:Barriers:alice+bob", "2:Learning cycle/Barrier:alice", "4:Barriers:alice"])
        // The second time there is nothing left to do, and no history entry is written.
        let history = try fixture.store.history().count
        #expect(try apply(fixture, text).changes.isEmpty)
        #expect(try fixture.store.history().count == history)
    }

    @Test func otherCodersAndPartialCodingsAreNeverTouched() throws {
        let fixture = try Self.fixture()
        let segment = try #require(try SourceCatalog(fixture.store).segments(ofSource: fixture.source.id).first { $0.number == 2 })
        _ = try BatchCoding(fixture.store).code(
            rows: [
                CodingFileRow(
                    line: 2, source: "interview-03", start: segment.span.start, end: segment.span.start + 5, code: "Barriers", coder: "alice"),
                CodingFileRow(line: 3, source: "interview-03", segments: "2", code: "Evidence use", coder: "bob"),
            ], file: "codings.csv", actor: TestSupport.actor())
        let sheet = try SheetApplier(fixture.store).codingSheet(sourceID: fixture.source.id, coder: "alice")
        #expect(sheet.entries[1].codes.isEmpty)
        #expect(sheet.entries[1].otherCodes == ["Barriers"])
        #expect(sheet.render().contains("not changed by this sheet): Barriers_"))
        let before = try applied(fixture)
        // An empty codes line removes only alice's whole-segment codings: she has none.
        #expect(try apply(fixture, sheet.render()).changes.isEmpty)
        #expect(try applied(fixture) == before)
        // Listing the code adds a whole-segment coding beside the partial one.
        _ = try apply(fixture, try setCodes(sheet.render(), segment: 2, to: "Barriers"))
        #expect(try SheetApplier(fixture.store).codingSheet(sourceID: fixture.source.id, coder: "alice").entries[1].codes == ["Barriers"])
        _ = try apply(fixture, try setCodes(sheet.render(), segment: 2, to: ""))
        #expect(try applied(fixture) == before)
    }

    @Test func editedTextReorderedBlocksBlankLinesAndCRLFDoNotMisplaceCodes() throws {
        let fixture = try Self.fixture()
        var text = try sheetText(fixture)
        text = try setCodes(text, segment: 2, to: "Evidence use")
        text = try setCodes(text, segment: 4, to: "Barriers")
        // Cut the sheet into header and blocks, reverse the blocks, edit the quoted text, add blank lines.
        let parts = text.components(separatedBy: "\n## ")
        var blocks = parts.dropFirst().map { "## " + $0 }
        blocks.reverse()
        var edited = ([parts[0]] + blocks).joined(separator: "\n\n\n")
        edited = edited.replacingOccurrences(of: "> I run a literature search 👍 every week.", with: "> (edited) I run searches ✏️")
        edited = edited.replacingOccurrences(of: "> Any barriers?\n", with: "")
        edited = edited.replacingOccurrences(of: "\n", with: "\r\n")
        let report = try apply(fixture, edited)
        #expect(report.changes.map(\.segment) == [2, 4])
        #expect(try applied(fixture) == ["2:Learning cycle/Evidence use:alice", "4:Barriers:alice"])
    }

    @Test func aBlockWithoutACodesLineIsLeftAlone() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [4], codeIDs: [try CodeTree.load(fixture.store).resolve("Barriers").id],
            actor: TestSupport.actor("alice"))
        let text = try sheetText(fixture).replacingOccurrences(of: "codes: Barriers\n", with: "")
        #expect(try apply(fixture, text).changes.isEmpty)
        #expect(try applied(fixture) == ["4:Barriers:alice"])
    }

    @Test func anUnknownCodeStopsWithItsLineAndChangesNothing() throws {
        let fixture = try Self.fixture()
        var text = try sheetText(fixture)
        text = try setCodes(text, segment: 2, to: "Evidence use")
        text = try setCodes(text, segment: 4, to: "Barirers")
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0 == "codes: Barirers" }) + 1
        let before = try ContentDigest(fixture.store).contentDigest()
        let error = TestSupport.quillError { _ = try apply(fixture, text) }
        #expect(error?.message.hasPrefix("sheet.md: line \(line): No code is called 'Barirers'. Did you mean 'Barriers'?") == true)
        #expect(error?.message.hasSuffix("Nothing was applied.") == true)
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
    }

    @Test(arguments: [
        ("Barrier", "'Barrier' names 2 codes"),
        ("Stance", "'Stance' only groups other codes"),
    ])
    func ambiguousAndGroupingCodesStopWithTheirLine(typed: String, message: String) throws {
        let fixture = try Self.fixture()
        let text = try setCodes(try sheetText(fixture), segment: 3, to: "Barriers; \(typed)")
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.hasSuffix(typed) && $0.hasPrefix("codes:") }) + 1
        let before = try ContentDigest(fixture.store).contentDigest()
        let error = TestSupport.quillError { _ = try apply(fixture, text) }
        #expect(error?.message.hasPrefix("sheet.md: line \(line): \(message)") == true, "\(error?.message ?? "")")
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
    }

    @Test(arguments: [
        ("<!-- seg:2 ", "<!-- seg:2 x", "the segment marker is damaged"),
        ("<!-- seg:2 ", "<!-- seg:9 ", "the source 'interview-03' has no segment 9"),
        ("<!-- seg:2 ", "<!-- seg:3 ", "segment 3 appears a second time"),
        ("\n\n## 1 ", "\ncodes: Barriers\n\n## 1 ", "a 'codes:' line comes before the first segment heading"),
        ("\n\n## 3 ", "\ncodes: Barriers\n\n## 3 ", "segment 2 has a second 'codes:' line"),
        ("\n\n## 3 ", "\ncode: Barriers\n\n## 3 ", "this looks like a 'codes:' line but is not written as one"),
        ("\n\n## 3 ", "\nCodes = Barriers\n\n## 3 ", "this looks like a 'codes:' line but is not written as one"),
    ])
    func malformedSheetsStopWithTheLine(find: String, replace: String, problem: String) throws {
        let fixture = try Self.fixture()
        let original = try sheetText(fixture)
        let range = try #require(original.range(of: find))
        let text = original.replacingCharacters(in: range, with: replace)
        let before = try ContentDigest(fixture.store).contentDigest()
        let error = TestSupport.quillError { _ = try apply(fixture, text) }
        #expect(error?.message.hasPrefix("sheet.md: line ") == true)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
    }

    @Test func anEditedMarkerHashIsRefused() throws {
        let fixture = try Self.fixture()
        let text = try sheetText(fixture)
        let marker = try #require(text.components(separatedBy: "\n").first { $0.contains("<!-- seg:4 ") })
        let hash = String(try #require(marker.split(separator: " ").dropLast().last))
        let error = TestSupport.quillError { _ = try apply(fixture, text.replacingOccurrences(of: hash, with: "00000000")) }
        #expect(error?.message.contains("the marker of segment 4 does not match that segment of 'interview-03'") == true)
    }

    @Test func aSheetOfAResegmentedSourceIsRefused() throws {
        let fixture = try Self.fixture()
        let text = try setCodes(try sheetText(fixture), segment: 2, to: "Barriers")
        _ = try Resegmenter(fixture.store).resegment(
            sourceID: fixture.source.id, options: SegmentationOptions(unit: .sentence), actor: TestSupport.actor())
        let before = try ContentDigest(fixture.store).contentDigest()
        let error = TestSupport.quillError { _ = try apply(fixture, text) }
        #expect(
            error?.message.contains("it was written for an earlier version of 'interview-03', which has been resegmented or changed since") == true)
        #expect(error?.remedy == .writeNewSheet(source: "interview-03"))
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
    }

    @Test func aSheetWithoutItsHeaderIsRefused() throws {
        let fixture = try Self.fixture()
        let text = try sheetText(fixture).replacingOccurrences(of: "- Coder: alice\n", with: "")
        let error = TestSupport.quillError { _ = try apply(fixture, text) }
        #expect(error?.message.hasPrefix("sheet.md: the header has no 'Coder:' line") == true)
        let otherProject = try sheetText(fixture).replacingOccurrences(
            of: SheetApplier(fixture.store).codingSheet(sourceID: fixture.source.id, coder: "alice").sourceGUID,
            with: "00000000-0000-5000-8000-000000000000")
        let missing = TestSupport.quillError { _ = try apply(fixture, otherProject) }
        #expect(missing?.message.contains("which is not in this project") == true)
    }

    @Test func aDryRunReportsAndChangesNothing() throws {
        let fixture = try Self.fixture()
        let text = try setCodes(try sheetText(fixture), segment: 1, to: "Evidence use")
        let before = try ContentDigest(fixture.store).contentDigest()
        let report = try apply(fixture, text, dryRun: true)
        #expect(report.changes == [SheetChange(segment: 1, code: "Learning cycle/Evidence use", isAdded: true)])
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
    }

    @Test func undoRestoresTheProjectAsItWas() throws {
        let fixture = try Self.fixture()
        _ = try CodingEditor(fixture.store).code(
            sourceID: fixture.source.id, segments: [2], codeIDs: [try CodeTree.load(fixture.store).resolve("Evidence use").id],
            actor: TestSupport.actor("alice"))
        let before = try ContentDigest(fixture.store).contentDigest(researchOnly: true)
        var text = try sheetText(fixture)
        text = try setCodes(text, segment: 2, to: "")
        text = try setCodes(text, segment: 3, to: "Barriers")
        _ = try SheetApplier(fixture.store).applySheet(try ParsedSheet.parse(text, path: "s.md"), command: "test")
        #expect(try applied(fixture) == ["3:Barriers:alice"])
        #expect(try fixture.store.history().last?.coder == "alice")
        _ = try UndoLog(fixture.store).undo(actor: TestSupport.actor())
        #expect(try ContentDigest(fixture.store).contentDigest(researchOnly: true) == before)
        #expect(try applied(fixture) == ["2:Learning cycle/Evidence use:alice"])
    }

    @Test func aNewCoderIsCreatedOnFirstApply() throws {
        let fixture = try Self.fixture()
        let text = try setCodes(try sheetText(fixture, coder: "Zoë B"), segment: 4, to: "Barriers")
        _ = try apply(fixture, text)
        #expect(try applied(fixture) == ["4:Barriers:Zoë B"])
    }
}
