import Foundation
import GRDB
import Testing

@testable import QuillKit

@Suite struct PreparedSourceTests {
    static let expectedText =
        "Interview with a clinical librarian\n"
        + "Date: 3 May 2025\n"
        + "Duration: 45 min\n"
        + "\n"
        + "Interviewer: Thanks for joining. How did the caf\u{E9} session go? 👍🏽\n"
        + "\n"
        + "Aisha (Clinical Librarian): It went well.\n"
        + "We ran a literature search for the ward.\n"
        + "\n"
        + "Interviewer: And the evidence summary?\n"
        + "Aisha: Zo\u{EB} wrote it \u{2014} it\u{2019}s on the intranet.\n"

    func expectSegmentation(_ source: PreparedSource, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(source.text == Self.expectedText, sourceLocation: sourceLocation)
        #expect(source.length == Self.expectedText.unicodeScalars.count, sourceLocation: sourceLocation)
        #expect(source.segmentation.mode == .turn, sourceLocation: sourceLocation)
        #expect(
            TestSupport.segmentTexts(source.segmentation, in: source.text) == [
                "Thanks for joining. How did the caf\u{E9} session go? 👍🏽",
                "It went well.\nWe ran a literature search for the ward.",
                "And the evidence summary?",
                "Zo\u{EB} wrote it \u{2014} it\u{2019}s on the intranet.",
            ], sourceLocation: sourceLocation)
        #expect(
            source.segmentation.speakers == [
                DetectedSpeaker(name: "Interviewer", isInterviewer: true, role: nil, turns: 2),
                DetectedSpeaker(name: "Aisha", isInterviewer: false, role: "Clinical Librarian", turns: 2),
            ], sourceLocation: sourceLocation)
        #expect(source.segmentation.unattributedLines == [1, 2, 3], sourceLocation: sourceLocation)
    }

    @Test func readsAUTF8FileWithBOMAndCRLF() throws {
        let url = try TestSupport.fixture("bom-crlf", "txt")
        let source = try PreparedSource.read(url: url)
        #expect(source.name == "bom-crlf")
        #expect(source.fileName == "bom-crlf.txt")
        #expect(source.format == .txt)
        #expect(source.encoding == "UTF-8")
        let bytes = try Data(contentsOf: url)
        #expect(source.byteCount == bytes.count)
        #expect(source.sha256 == StableID.sha256(bytes))
        #expect(source.sha256.count == 64)
        expectSegmentation(source)
    }

    @Test func readsAUTF16File() throws {
        let source = try PreparedSource.read(url: try TestSupport.fixture("utf16le", "txt"), name: "interview-16")
        #expect(source.name == "interview-16")
        #expect(source.encoding == "UTF-16LE")
        expectSegmentation(source)
    }

    @Test func sha256IsOfTheOriginalBytes() {
        #expect(StableID.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func markdownIsReadByExtension() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("interview.md")
        try Data("**Interviewer:** Hello?\n\n**P01:** Hi.\n".utf8).write(to: url)
        let source = try PreparedSource.read(url: url)
        #expect(source.format == .md)
        #expect(source.segmentation.segments.map(\.speaker) == ["Interviewer", "P01"])
    }

    func readError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> QuillError? {
        TestSupport.quillError(sourceLocation: sourceLocation) { _ = try PreparedSource.read(url: url) }
    }

    @Test func badFilesAreClearErrors() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.txt")
        #expect(readError(missing) == .fileNotReadable(path: missing.path, reason: "there is no such file"))

        guard case .fileNotReadable(_, let reason)? = readError(folder) else {
            Issue.record("a folder should be fileNotReadable")
            return
        }
        #expect(reason.contains("it is a folder"))

        let pdf = folder.appendingPathComponent("interview.pdf")
        try Data("%PDF-1.7".utf8).write(to: pdf)
        guard case .badInput(_, _, let remedy)? = readError(pdf) else {
            Issue.record("a PDF should be badInput")
            return
        }
        #expect(remedy.contains("plain text (.txt)"))

        let odd = folder.appendingPathComponent("interview.xyz")
        try Data("text".utf8).write(to: odd)
        #expect(readError(odd) == .unsupportedFormat(path: odd.path, format: ".xyz"))

        let empty = try TestSupport.fixture("empty", "txt")
        guard case .badInput(let emptyPath, let emptyProblem, _)? = readError(empty) else {
            Issue.record("an empty file should be badInput")
            return
        }
        #expect(emptyPath == empty.path)
        #expect(emptyProblem == "the file is empty")

        let binary = try TestSupport.fixture("binary", "txt")
        guard case .badInput(_, let binaryProblem, _)? = readError(binary) else {
            Issue.record("a binary file should be badInput")
            return
        }
        #expect(binaryProblem == "it is a zip archive (such as a Word document), not text, whatever its name says")

        let labelsOnly = folder.appendingPathComponent("labels.txt")
        try Data("Interviewer:\nP01:\n".utf8).write(to: labelsOnly)
        guard case .badInput(_, let labelsProblem, _)? = readError(labelsOnly) else {
            Issue.record("a file of labels only should be badInput")
            return
        }
        #expect(labelsProblem.contains("no segment"))
    }
}

@Suite struct ProjectStoreImportTests {
    struct Counts: Equatable {
        var sources: Int
        var segments: Int
        var speakers: Int
        var cases: Int
        var history: Int
    }

    func counts(_ store: ProjectDatabase) throws -> Counts {
        try store.read { db in
            Counts(
                sources: try Int.fetchOne(db, sql: "SELECT count(*) FROM source") ?? -1,
                segments: try Int.fetchOne(db, sql: "SELECT count(*) FROM segment") ?? -1,
                speakers: try Int.fetchOne(db, sql: "SELECT count(DISTINCT lower(speaker)) FROM segment") ?? -1,
                cases: try Int.fetchOne(db, sql: "SELECT count(*) FROM studyCase") ?? -1,
                history: try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? -1)
        }
    }

    static let alphaText = "Interviewer: How do you search?\nP01 (Clinical Librarian): We use the databases.\n"

    @Test func importStoresSourceSegmentsAndSpeakers() throws {
        let store = try ProjectDatabase.inMemory()
        let alpha = try TestSupport.prepared("alpha", Self.alphaText)
        let outcomes = try SourceImporter(store).importSources([alpha], actor: TestSupport.actor())
        #expect(outcomes == [.imported(name: "alpha", segments: 2, speakers: 2, unattributedLines: 0, mode: .turn)])
        let summary = try #require(try SourceCatalog(store).sources().first)
        #expect(summary.name == "alpha")
        #expect(summary.fileName == "alpha.txt")
        #expect(summary.segments == 2)
        #expect(summary.speakers == 2)
        #expect(summary.codings == 0)
        #expect(summary.sha256 == alpha.sha256)
        #expect(try SourceCatalog(store).text(ofSource: summary.id) == Self.alphaText)
        let segments = try SourceCatalog(store).segments(ofSource: summary.id)
        #expect(segments.map(\.number) == [1, 2])
        #expect(segments.map(\.text) == ["How do you search?", "We use the databases."])
        #expect(segments.map(\.speaker) == ["Interviewer", "P01"])
        #expect(segments.map(\.isInterviewer) == [true, false])
        #expect(segments.map(\.role) == [nil, "Clinical Librarian"])
        #expect(try counts(store) == Counts(sources: 1, segments: 2, speakers: 2, cases: 2, history: 1))
    }

    @Test func importingTheSameSourceTwiceIsANoOp() throws {
        let store = try ProjectDatabase.inMemory()
        let alpha = try TestSupport.prepared("alpha", Self.alphaText)
        _ = try SourceImporter(store).importSources([alpha], actor: TestSupport.actor())
        let before = try counts(store)
        let again = try SourceImporter(store).importSources([alpha], actor: TestSupport.actor())
        #expect(again == [.alreadyImported(file: "alpha.txt", existing: "alpha")])
        #expect(try counts(store) == before)
        // The same bytes under another name are still the same source.
        var renamed = alpha
        renamed.name = "alpha-copy"
        renamed.fileName = "alpha-copy.txt"
        #expect(
            try SourceImporter(store).importSources([renamed], actor: TestSupport.actor())
                == [.alreadyImported(file: "alpha-copy.txt", existing: "alpha")])
        #expect(try counts(store) == before)
    }

    @Test func aDifferentFileWithAnExistingNameIsRefusedAndChangesNothing() throws {
        let store = try ProjectDatabase.inMemory()
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", Self.alphaText)], actor: TestSupport.actor())
        let before = try counts(store)
        let digest = try ContentDigest(store).contentDigest()
        let sourcesBefore = try SourceCatalog(store).sources()
        let other = try TestSupport.prepared("beta", "Interviewer: Another?\nP02: Another source.\n")
        let clash = try TestSupport.prepared("ALPHA", "Interviewer: Different?\nP09: Different bytes.\n")
        let error = TestSupport.quillError { _ = try SourceImporter(store).importSources([other, clash], actor: TestSupport.actor()) }
        #expect(error == .sourceNameTaken(file: "ALPHA.txt", name: "alpha", existingFile: "alpha.txt"))
        #expect(error?.message.contains("Nothing was imported") == true)
        // All or nothing: beta, which came first, was not kept either.
        #expect(try counts(store) == before)
        #expect(try SourceCatalog(store).sources() == sourcesBefore)
        #expect(try ContentDigest(store).contentDigest() == digest)
    }

    @Test func theSameSpeakerInTwoSourcesIsOneCase() throws {
        let store = try ProjectDatabase.inMemory()
        let alpha = try TestSupport.prepared("alpha", Self.alphaText)
        let beta = try TestSupport.prepared("beta", "INTERVIEWER: Anything else?\nP02: No.\nP01: One thing.\n")
        let outcomes = try SourceImporter(store).importSources([alpha, beta], actor: TestSupport.actor())
        #expect(outcomes.count == 2)
        // Interviewer (also as INTERVIEWER), P01 and P02: three speakers, three cases.
        #expect(try counts(store) == Counts(sources: 2, segments: 5, speakers: 3, cases: 3, history: 1))
        let cases = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM studyCase ORDER BY id") }
        #expect(cases == ["Interviewer", "P01", "P02"])
        let betaSegments = try SourceCatalog(store).segments(ofSource: try SourceCatalog(store).resolveSource("beta").id)
        // Each segment keeps the label as its transcript writes it; the case is shared.
        #expect(betaSegments.map(\.speaker) == ["INTERVIEWER", "P02", "P01"])
        #expect(betaSegments.map(\.caseName) == ["Interviewer", "P02", "P01"])
        #expect(betaSegments.map(\.isInterviewer) == [true, false, false])
    }

    @Test func aRoleInBracketsBecomesTheCaseAttributeRole() throws {
        let store = try ProjectDatabase.inMemory()
        let workshop = try TestSupport.prepared(
            "workshop",
            """
            Facilitator: Who is it for?
            Speaker B (Project Manager): The ward manager.
            Speaker D (Matron): And the staff.
            Speaker B: Agreed.
            """)
        _ = try SourceImporter(store).importSources([workshop], actor: TestSupport.actor())
        let roles = try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.name, v.value FROM caseAttribute v JOIN studyCase c ON c.id = v.caseId
                    JOIN attribute a ON a.id = v.attributeId WHERE a.name = 'role' ORDER BY c.name
                    """
            ).map { "\($0["name"] as String)=\($0["value"] as String)" }
        }
        #expect(roles == ["Speaker B=Project Manager", "Speaker D=Matron"])
        let type = try store.read { db in try String.fetchOne(db, sql: "SELECT type FROM attribute WHERE name = 'role'") }
        #expect(type == "text")
    }
}
