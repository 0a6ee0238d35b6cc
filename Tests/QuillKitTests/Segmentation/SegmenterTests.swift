import Testing

@testable import QuillKit

@Suite struct SegmenterTests {
    /// The segments of a text as (speaker, text) pairs.
    func turns(_ text: String) -> [(speaker: String?, text: String)] {
        let segmentation = Segmenter.segment(text)
        return zip(segmentation.segments, TestSupport.segmentTexts(segmentation, in: text)).map { ($0.speaker, $1) }
    }

    func expectTurns(_ text: String, _ expected: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) {
        let found = turns(text)
        #expect(found.map(\.speaker) == expected.map(\.0), sourceLocation: sourceLocation)
        #expect(found.map(\.text) == expected.map(\.1), sourceLocation: sourceLocation)
    }

    @Test func plainNames() {
        let text = """
            Aisha: We run the search service.
            Ben: How long does it take?
            Aisha: About a week.
            """
        expectTurns(
            text,
            [
                ("Aisha", "We run the search service."), ("Ben", "How long does it take?"),
                ("Aisha", "About a week."),
            ])
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.mode == .turn)
        #expect(
            segmentation.speakers == [
                DetectedSpeaker(name: "Aisha", isInterviewer: false, role: nil, turns: 2),
                DetectedSpeaker(name: "Ben", isInterviewer: false, role: nil, turns: 1),
            ])
        #expect(segmentation.unattributedLines.isEmpty)
    }

    @Test func researcherAndParticipantCodes() {
        let text = """
            Researcher 1: Tell me about your role.
            P03: I'm a clinical librarian.
            """
        expectTurns(text, [("Researcher 1", "Tell me about your role."), ("P03", "I'm a clinical librarian.")])
        let speakers = Segmenter.segment(text).speakers
        #expect(speakers.map(\.isInterviewer) == [true, false])
    }

    @Test func rolesInBrackets() {
        let text = """
            Facilitator: Who should it be for?
            Speaker B (Project Manager): The ward manager.
            Speaker D (Matron): And the staff.
            Speaker B (Project Manager): Agreed.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(
            text,
            [
                ("Facilitator", "Who should it be for?"), ("Speaker B", "The ward manager."),
                ("Speaker D", "And the staff."), ("Speaker B", "Agreed."),
            ])
        #expect(segmentation.segments.map(\.role) == [nil, "Project Manager", "Matron", "Project Manager"])
        #expect(segmentation.speakers.map(\.name) == ["Facilitator", "Speaker B", "Speaker D"])
        #expect(segmentation.speakers.map(\.role) == [nil, "Project Manager", "Matron"])
        #expect(segmentation.speakers.map(\.turns) == [1, 2, 1])
    }

    @Test func bracketedTimesBeforeNames() {
        let text = """
            [00:00:05] Interviewer: Shall we start?
            [00:01:23] Aisha: Yes, go ahead.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(text, [("Interviewer", "Shall we start?"), ("Aisha", "Yes, go ahead.")])
        #expect(segmentation.segments.map(\.startTime) == [5, 83])
    }

    @Test func bareTimesBeforeNames() {
        let text = """
            00:00:05 Aisha: Shall we start?
            00:01:23 Ben: Yes, go ahead.
            00:02:00 Aisha: Good.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(text, [("Aisha", "Shall we start?"), ("Ben", "Yes, go ahead."), ("Aisha", "Good.")])
        #expect(segmentation.segments.map(\.startTime) == [5, 83, 120])
    }

    @Test func timesAfterNames() {
        let text = """
            Aisha (00:00:05): Shall we start?
            Ben (00:01:23): Yes, go ahead.
            Aisha (00:02:00): Good.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(text, [("Aisha", "Shall we start?"), ("Ben", "Yes, go ahead."), ("Aisha", "Good.")])
        #expect(segmentation.segments.map(\.startTime) == [5, 83, 120])
        #expect(segmentation.segments.map(\.role) == [nil, nil, nil])
    }

    @Test func markdownBoldLabels() {
        let colonInside = """
            # Interview 4

            **Interviewer:** What data do you use?

            **Aisha:** Mostly the *dashboard* data.
            """
        expectTurns(colonInside, [("Interviewer", "What data do you use?"), ("Aisha", "Mostly the *dashboard* data.")])
        let colonOutside = """
            **Interviewer**: What data do you use?
            **Aisha**: Mostly the dashboard.
            """
        expectTurns(colonOutside, [("Interviewer", "What data do you use?"), ("Aisha", "Mostly the dashboard.")])
        #expect(Segmenter.segment(colonInside).unattributedLines == [1])
    }

    @Test func labelAloneOnItsLine() {
        let text = """
            INTERVIEWER:
            So what do you do?

            P03:
            I run the library.
            Mostly on my own.
            """
        expectTurns(text, [("INTERVIEWER", "So what do you do?"), ("P03", "I run the library.\nMostly on my own.")])
        let segmentation = Segmenter.segment(text)
        // The turn starts on the line after the label: "INTERVIEWER:\n" is 13 scalars.
        #expect(segmentation.segments[0].span.start == 13)
        #expect(segmentation.speakers.map(\.isInterviewer) == [true, false])
    }

    @Test func otterStyleNameAndTimeLines() {
        let text = """
            Aisha Khan  00:03
            Thanks for having me.

            Ben Okafor  00:09
            You're welcome.

            Aisha Khan  01:15
            So, the search service.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(
            text,
            [
                ("Aisha Khan", "Thanks for having me."), ("Ben Okafor", "You're welcome."),
                ("Aisha Khan", "So, the search service."),
            ])
        #expect(segmentation.segments.map(\.startTime) == [3, 9, 75])
    }

    @Test func irregularSpacesAndTabsAfterTheColon() {
        let text = "Interviewer:    Lots of room.\nP03:\tA tab.\nInterviewer: \t Both."
        expectTurns(text, [("Interviewer", "Lots of room."), ("P03", "A tab."), ("Interviewer", "Both.")])
    }

    @Test func headerLinesBeforeTheFirstTurnAreNotSpeakers() {
        let text = """
            Interview with a clinical librarian
            Date: 3 May 2025
            Duration: 45 min
            Organisation: Northshire Trust

            Interviewer: Thanks for joining.
            Aisha: Happy to.
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(text, [("Interviewer", "Thanks for joining."), ("Aisha", "Happy to.")])
        #expect(segmentation.speakers.map(\.name) == ["Interviewer", "Aisha"])
        #expect(segmentation.unattributedLines == [1, 2, 3, 4])
    }

    @Test func aBlankLineInsideATurnKeepsOneSegment() {
        let text = """
            Interviewer: Tell me more.

            P03: First paragraph.

            Second paragraph, same turn.

            Third.
            Interviewer: Thanks.
            """
        expectTurns(
            text,
            [
                ("Interviewer", "Tell me more."),
                ("P03", "First paragraph.\n\nSecond paragraph, same turn.\n\nThird."),
                ("Interviewer", "Thanks."),
            ])
    }

    @Test func proseWithColonsStaysInTheTurn() {
        let text = """
            Interviewer: What happened next?
            P03: We went to the board.
            And then she said: fine
            Three things: speed, trust, money.
            Interviewer: Right.
            """
        expectTurns(
            text,
            [
                ("Interviewer", "What happened next?"),
                ("P03", "We went to the board.\nAnd then she said: fine\nThree things: speed, trust, money."),
                ("Interviewer", "Right."),
            ])
    }

    @Test func textWithoutLabelsFallsBackToParagraphs() {
        let text = """
            The library service began in 2019.
            It grew quickly.

            And then she said: fine.

              Indented last paragraph.
            """
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.mode == .paragraph)
        #expect(segmentation.speakers.isEmpty)
        #expect(segmentation.segments.allSatisfy { $0.speaker == nil })
        #expect(
            TestSupport.segmentTexts(segmentation, in: text) == [
                "The library service began in 2019.\nIt grew quickly.", "And then she said: fine.", "Indented last paragraph.",
            ])
    }

    @Test func aTimedLabelIsATurnEvenIfTheSpeakerSpeaksOnce() {
        // Ben speaks once, before anyone else; the time marks his line as a turn, not a header.
        let text = """
            [00:00:05] Ben Okafor: Welcome, everyone.
            [00:00:09] Aisha: Thanks.
            [00:00:12] Chidi: Hello.
            [00:00:15] Aisha: Shall we start?
            """
        let segmentation = Segmenter.segment(text)
        expectTurns(
            text,
            [
                ("Ben Okafor", "Welcome, everyone."), ("Aisha", "Thanks."), ("Chidi", "Hello."),
                ("Aisha", "Shall we start?"),
            ])
        #expect(segmentation.unattributedLines.isEmpty)
    }

    @Test func aSingleHeaderLikeLabelIsNotATurn() {
        // A name that occurs once and does not look like a speaker is not enough for turns.
        let text = "Organisation: Northshire Trust\n\nThe service began in 2019."
        #expect(Segmenter.segment(text).mode == .paragraph)
    }

    @Test func paragraphModeCutsTurnsIntoParagraphsThatKeepTheirSpeaker() {
        let text = "Interviewer: One.\nP03: Two.\n\nStill two.\nInterviewer: Three."
        let segmentation = Segmenter.segment(text, mode: .paragraph)
        #expect(segmentation.mode == .paragraph)
        #expect(TestSupport.segmentTexts(segmentation, in: text) == ["One.", "Two.", "Still two.", "Three."])
        #expect(segmentation.segments.map(\.speaker) == ["Interviewer", "P03", "P03", "Interviewer"])
        #expect(segmentation.segments.map(\.turn) == [1, 2, 2, 3])
    }

    @Test func withoutSpeakersParagraphsKeepTheLabelsAsText() throws {
        let text = "Interviewer: One.\nP03: Two.\n\nInterviewer: Three."
        let segmentation = try Segmenter.segment(text, options: SegmentationOptions(speakers: .never))
        #expect(segmentation.mode == .paragraph)
        #expect(segmentation.speakers.isEmpty)
        #expect(TestSupport.segmentTexts(segmentation, in: text) == ["Interviewer: One.\nP03: Two.", "Interviewer: Three."])
    }

    @Test func interviewerDetectionAcrossLabels() {
        let text = """
            Interviewer: a
            Researcher 1: b
            Facilitator: c
            Moderator: d
            Co-facilitator: e
            I: f
            Aisha (Interviewer): g
            P03: h
            Aisha Khan: i
            Speaker A: j
            Speaker D (Matron): k
            """
        let speakers = Segmenter.segment(text).speakers
        #expect(
            speakers.map(\.name) == [
                "Interviewer", "Researcher 1", "Facilitator", "Moderator", "Co-facilitator", "I",
                "Aisha", "P03", "Aisha Khan", "Speaker A", "Speaker D",
            ])
        #expect(speakers.map(\.isInterviewer) == [true, true, true, true, true, true, true, false, false, false, false])
    }

    @Test func sameSpeakerInDifferentCaseIsOneSpeaker() {
        let text = "INTERVIEWER: One?\nP03: Yes.\nInterviewer: Two?"
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.speakers.map(\.name) == ["INTERVIEWER", "P03"])
        #expect(segmentation.segments.map(\.speaker) == ["INTERVIEWER", "P03", "INTERVIEWER"])
    }

    @Test func aLabelWithNoTextMakesNoSegment() {
        let text = "Interviewer: One?\nP03:\nInterviewer: Two?"
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.segments.map(\.speaker) == ["Interviewer", "Interviewer"])
        #expect(segmentation.speakers.map(\.turns) == [2, 1])
    }

    @Test func aPapersHypothesesAfterItsIntroductionAreNotSpeakers() throws {
        let introduction = String(repeating: "Knowledge services support evidence-based practice in the NHS. ", count: 12)
            .dropLast()
        let text = """
            Learning from evidence: a study of NHS library services

            \(introduction)

            H1: Librarians shorten the time to evidence.
            H2: Outreach raises use of the service.
            RQ1: What do clinicians ask for?

            Results follow.
            """
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.mode == .paragraph)
        #expect(segmentation.speakers.isEmpty)
        #expect(segmentation.declinedLabels == ["H1", "H2", "RQ1"])
        // No text is hidden: the paragraphs, put together again, are the text.
        #expect(TestSupport.segmentTexts(segmentation, in: text).joined(separator: "\n\n") == text)
        // Asked for, every label starts a turn.
        let always = try Segmenter.segment(text, options: SegmentationOptions(speakers: .always))
        #expect(always.speakers.map(\.name) == ["H1", "H2", "RQ1"])
        #expect(always.declinedLabels.isEmpty)
    }

    @Test func aTitleRepeatedOverAListIsNotASpeaker() {
        let text = "Pfizer: the first video\nGood.\nPfizer: the second video\nBad.\nPfizer: the third video\nFine.\n"
        let segmentation = Segmenter.segment(text)
        #expect(segmentation.speakers.isEmpty)
        #expect(segmentation.declinedLabels == ["Pfizer"])
        // A participant who speaks alone, label after label, is a speaker.
        let diary = "P07: Monday was busy.\nP07: Tuesday was quiet.\nP07: Wednesday I searched.\nP07: Thursday I read.\n"
        #expect(Segmenter.segment(diary).speakers.map(\.turns) == [4])
    }

    @Test func aFocusGroupWhoseMembersSpeakOnceIsStillATranscript() {
        let text = "Facilitator: Who uses the library?\nAmira: I do.\nFacilitator: Anyone else?\nJon: Sometimes.\nFacilitator: Why?\nKeeley: Time.\n"
        #expect(Segmenter.segment(text).speakers.map(\.name) == ["Facilitator", "Amira", "Jon", "Keeley"])
    }
}
