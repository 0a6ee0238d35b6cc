import Foundation
import Testing

@testable import QuillKit

@Suite struct CodingSessionTests {
    func session(_ fixture: CodingSheetTests.Fixture, coder: String = "alice", from: Int? = nil) throws -> CodingSession {
        try CodingSession(
            store: fixture.store, source: fixture.source, actor: TestSupport.actor(coder, command: "quill code -i interview-03"), from: from)
    }

    @Test func completesUniqueStartsOfNamesAndPaths() throws {
        let tree = try CodeTree.load(CodingSheetTests.fixture().store)
        #expect(tree.displayPath(of: try tree.complete("evid").id) == "Learning cycle/Evidence use")
        #expect(tree.displayPath(of: try tree.complete("learn/evid").id) == "Learning cycle/Evidence use")
        #expect(tree.displayPath(of: try tree.complete("barriers").id) == "Barriers")
        #expect(tree.displayPath(of: try tree.complete("st/en").id) == "Stance/Enabler")
        #expect(tree.displayPath(of: try tree.complete("evid u").id) == "Learning cycle/Evidence use")
        #expect(tree.displayPath(of: try tree.complete("l c/ev U").id) == "Learning cycle/Evidence use")
        let ambiguous = TestSupport.quillError { _ = try tree.complete("barr") }
        #expect(ambiguous == .ambiguousCode("barr", matches: ["Learning cycle/Barrier", "Barriers", "Stance/Barrier"]))
        let unknown = TestSupport.quillError { _ = try tree.complete("Enablr") }
        #expect(unknown == .unknownCode("Enablr", suggestions: ["Stance/Enabler"]))
    }

    @Test func codesRemovesAndMovesOnOneLineAtATime() throws {
        let fixture = try CodingSheetTests.fixture()
        var session = try session(fixture)
        #expect(session.current.number == 1)
        #expect(session.render() == "[1/4] Interviewer · interviewer\n    How do you use evidence?\n  codes: (none)\n")
        #expect(try session.handle("evid; barriers") == .show("Segment 1: + Learning cycle/Evidence use, + Barriers."))
        #expect(session.current.number == 2)
        #expect(try session.handle("b") == .show(""))
        #expect(session.render().contains("  codes: Barriers; Learning cycle/Evidence use\n"))
        #expect(try session.handle("-barriers, st/en") == .show("Segment 1: + Stance/Enabler, - Barriers."))
        #expect(try session.handle("g 4") == .show(""))
        #expect(try session.handle("") == .stay("That was the last segment of interview-03. b: back · g N: go to a segment · q: quit"))
        #expect(try session.handle("q") == .quit)
        let applied = try SourceCatalog(fixture.store).segments(ofSource: fixture.source.id).flatMap { segment in
            segment.codes.map { "\(segment.number):\($0.path)" }
        }
        #expect(applied == ["1:Learning cycle/Evidence use", "1:Stance/Enabler"])
        // Each accepted line is its own change, and undo takes back the last one.
        #expect(
            try fixture.store.history().suffix(2).map(\.summary) == [
                "coded segment 1 of interview-03: +Learning cycle/Evidence use, +Barriers",
                "coded segment 1 of interview-03: +Stance/Enabler, -Barriers",
            ])
        _ = try UndoLog(fixture.store).undo(actor: TestSupport.actor())
        let undone = try SourceCatalog(fixture.store).segments(ofSource: fixture.source.id).flatMap { segment in
            segment.codes.map { "\(segment.number):\($0.path)" }
        }
        #expect(undone == ["1:Barriers", "1:Learning cycle/Evidence use"])
    }

    @Test func aLineWithAProblemChangesNothing() throws {
        let fixture = try CodingSheetTests.fixture()
        var session = try session(fixture)
        let before = try ContentDigest(fixture.store).contentDigest()
        for line in ["evid; barr", "evid; nonsense", "Stance", "g 9", "g"] {
            guard case .stay(let message) = try session.handle(line) else {
                Issue.record("'\(line)' was accepted")
                continue
            }
            #expect(!message.isEmpty)
        }
        #expect(session.current.number == 1)
        #expect(try ContentDigest(fixture.store).contentDigest() == before)
        guard case .stay(let list) = try session.handle("?") else { Issue.record("? did not list the codes"); return }
        #expect(list == "Learning cycle\n  Evidence use\n  Barrier\nBarriers\nStance  (group)\n  Barrier\n  Enabler")
    }

    @Test func resumesWhereTheCoderStopped() throws {
        let fixture = try CodingSheetTests.fixture()
        var first = try session(fixture)
        _ = try first.handle("g 3")
        let history = try fixture.store.history()
        try first.savePosition()
        // Where a coder is is not research work: it leaves no history entry.
        #expect(try fixture.store.history() == history)
        #expect(try session(fixture).current.number == 3)
        #expect(try session(fixture, coder: "bob").current.number == 1)
        #expect(try session(fixture, from: 2).current.number == 2)
        let error = TestSupport.quillError { _ = try session(fixture, from: 7) }
        #expect(error?.message.contains("the source 'interview-03' has segments 1 to 4") == true)
    }
}
