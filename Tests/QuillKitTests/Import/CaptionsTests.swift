import Foundation
import Testing

@testable import QuillKit

@Suite struct CaptionsTests {
    /// A turn as a test expects it: who, what, and when.
    struct Turn: Equatable, CustomStringConvertible {
        var speaker: String?
        var text: String
        var start: Double?
        var end: Double?

        init(_ speaker: String?, _ text: String, _ start: Double?, _ end: Double?) {
            self.speaker = speaker
            self.text = text
            self.start = start
            self.end = end
        }

        var description: String { "\(speaker ?? "-") [\(start ?? -1)–\(end ?? -1)] \(text)" }
    }

    // MARK: - Helpers

    /// The canonical text of a caption fixture, decoded as an import decodes it.
    func fixture(_ name: String) throws -> (text: String, path: String) {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: folder.appendingPathComponent("captions/\(name)"))
        let path = "captions/\(name)"
        return (try TextDecoder.canonicalText(from: data, path: path).text, path)
    }

    func vttFixture(_ name: String) throws -> [CaptionCue] {
        let (text, path) = try fixture(name)
        return try Captions.parseVTT(text, path: path)
    }

    func srtFixture(_ name: String) throws -> [CaptionCue] {
        let (text, path) = try fixture(name)
        return try Captions.parseSRT(text, path: path)
    }

    /// The segments of a transcript as turns, their texts cut from the text by their spans.
    func turns(_ transcript: (text: String, segmentation: Segmentation)) -> [Turn] {
        let texts = TestSupport.segmentTexts(transcript.segmentation, in: transcript.text)
        return zip(transcript.segmentation.segments, texts).map { Turn($0.speaker, $1, $0.startTime, $0.endTime) }
    }

    /// Checks that every segment's span holds exactly its text, and that the text before a
    /// labelled span is its paragraph's `Label: ` and nothing of the label is inside the span.
    func expectSpansHoldTurns(
        _ transcript: (text: String, segmentation: Segmentation),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let scalars = ScalarText(transcript.text)
        var previousEnd = 0
        for segment in transcript.segmentation.segments {
            #expect(segment.span.start >= previousEnd, "spans overlap or go back", sourceLocation: sourceLocation)
            #expect(segment.span.end <= scalars.count, sourceLocation: sourceLocation)
            #expect(!segment.span.isEmpty, sourceLocation: sourceLocation)
            previousEnd = segment.span.end
            let paragraphStart = scalars.scalars[..<segment.span.start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let prefix = scalars[TextSpan(start: paragraphStart, end: segment.span.start)]
            if let speaker = segment.speaker {
                #expect(prefix.hasSuffix(": "), "no label before \(speaker)'s span", sourceLocation: sourceLocation)
                // The label is written as the turn's first cue spells it; the speaker as first met.
                #expect(CodePath.fold(prefix).hasPrefix(CodePath.fold(speaker)), sourceLocation: sourceLocation)
            } else {
                #expect(prefix.isEmpty, sourceLocation: sourceLocation)
            }
        }
    }

    /// The badInput error a call throws, checked to name the path.
    func badInput(
        _ path: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) -> (problem: String, message: String)? {
        guard let error = TestSupport.quillError(sourceLocation: sourceLocation, body) else { return nil }
        guard case .badInput(let errorPath, let problem, _) = error else {
            Issue.record("expected badInput, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(errorPath == path, sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        return (problem, error.message)
    }

    func vttProblem(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        badInput("talk.vtt", sourceLocation: sourceLocation) { _ = try Captions.parseVTT(text, path: "talk.vtt") }?.problem
    }

    func srtProblem(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        badInput("talk.srt", sourceLocation: sourceLocation) { _ = try Captions.parseSRT(text, path: "talk.srt") }?.problem
    }

    // MARK: - Zoom

    @Test func zoomCues() throws {
        let cues = try vttFixture("zoom-kls-interview.vtt")
        let interviewer = "Interviewer", chidi = "Chidi Okafor", priya = "Priya Shah (KLS Manager)"
        #expect(cues.count == 18)
        #expect(
            cues.map(\.speaker) == [
                interviewer, interviewer, chidi, chidi, chidi, interviewer, chidi, chidi, chidi,
                interviewer, chidi, chidi, priya, interviewer, priya, priya, chidi, interviewer,
            ])
        #expect(
            cues.map(\.start) == [
                1.89, 6.9, 13.02, 15.78, 22.86, 30.01, 34.4, 41.12, 48.3, 55.61, 58.9, 66.37, 74.5,
                76.58, 80.44, 87.61, 91.95, 97.02,
            ])
        #expect(
            cues.map(\.end) == [
                6.42, 12.15, 15.78, 22.34, 29.47, 33.25, 40.96, 47.83, 55.02, 58.14, 66.37, 73.88, 76.02,
                79.93, 87.61, 91.2, 96.48, 100.3,
            ])
        #expect(
            cues[0]
                == CaptionCue(
                    start: 1.89, end: 6.42, speaker: "Interviewer",
                    text: "Okay, I think it's recording now. Thanks for making time for this, Chidi."))
        #expect(
            cues[12]
                == CaptionCue(
                    start: 74.5, end: 76.02, speaker: "Priya Shah (KLS Manager)",
                    text: "Sorry, sorry, I'm here now. Traffic."))
    }

    @Test func zoomTurnsMergeConsecutiveCues() throws {
        let transcript = Captions.transcript(from: try vttFixture("zoom-kls-interview.vtt"))
        #expect(transcript.segmentation.mode == .turn)
        #expect(
            turns(transcript) == [
                Turn(
                    "Interviewer",
                    "Okay, I think it's recording now. Thanks for making time for this, Chidi. Could you start by "
                        + "telling me a bit about your role and how long you've been in the library service?", 1.89, 12.15),
                Turn(
                    "Chidi Okafor",
                    "Yeah, of course. So I'm the clinical librarian for the acute trust. I've been here about six "
                        + "years now, and before that I was in a university library for a long time. Most of my week is evidence "
                        + "searches for the wards, and I go to the morning huddle on the stroke unit twice a week.", 13.02, 29.47),
                Turn("Interviewer", "And how does that connect to the trust's work on becoming a learning health system?", 30.01, 33.25),
                Turn(
                    "Chidi Okafor",
                    "Honestly, it's only in the last year or so that anyone has used that phrase with us. But the "
                        + "idea, that you learn from your own data and feed it back into practice, that's what we've always tried "
                        + "to do. The difference now is that the quality improvement team ask us in at the start instead of at the "
                        + "end.", 34.4, 55.02),
                Turn("Interviewer", "Can you give me an example of that?", 55.61, 58.14),
                Turn(
                    "Chidi Okafor",
                    "Sure. Last spring the falls group wanted to change how they did lying and standing blood "
                        + "pressure checks. I did a rapid evidence summary in about ten days, and they used it to pick which of the "
                        + "three options to test first.", 58.9, 73.88),
                Turn("Priya Shah", "Sorry, sorry, I'm here now. Traffic.", 74.5, 76.02),
                Turn("Interviewer", "No problem at all, Priya. Chidi was just telling me about the falls work.", 76.58, 79.93),
                Turn(
                    "Priya Shah",
                    "Oh, that's a good one. The bit I'd add is that we now get a line in the QI project template "
                        + "for the library. So nobody has to remember to ask us.", 80.44, 91.2),
                Turn(
                    "Chidi Okafor",
                    "Which makes a big difference, because the barrier was never the searching, it was knowing "
                        + "the project existed.", 91.95, 96.48),
                Turn("Interviewer", "That's really helpful. What gets in the way, would you say?", 97.02, 100.3),
            ])
        #expect(transcript.segmentation.segments.map(\.role) == [nil, nil, nil, nil, nil, nil, "KLS Manager", nil, "KLS Manager", nil, nil])
        #expect(transcript.segmentation.segments.map(\.turn) == Array(1...11).map { Optional($0) })
        #expect(
            transcript.segmentation.speakers == [
                DetectedSpeaker(name: "Interviewer", isInterviewer: true, role: nil, turns: 5),
                DetectedSpeaker(name: "Chidi Okafor", isInterviewer: false, role: nil, turns: 4),
                DetectedSpeaker(name: "Priya Shah", isInterviewer: false, role: "KLS Manager", turns: 2),
            ])
        #expect(transcript.segmentation.unattributedLines.isEmpty)
        #expect(transcript.text.hasPrefix("Interviewer: Okay, I think it's recording now."))
        #expect(transcript.text.contains("\n\nPriya Shah (KLS Manager): Sorry, sorry, I'm here now. Traffic.\n\nInterviewer: No problem"))
        #expect(transcript.text.hasSuffix("would you say?\n") && !transcript.text.hasSuffix("\n\n"))
        #expect(transcript.text.components(separatedBy: "\n\n").count == 11)
        expectSpansHoldTurns(transcript)
    }

    // MARK: - Teams

    @Test func teamsCues() throws {
        let cues = try vttFixture("teams-lhs-workshop.vtt")
        let chidi = "OKAFOR, Chidi (NORTHBROOK HOSPITALS NHS FOUNDATION TRUST)"
        let siobhan = "BRENNAN, Siobhan (NORTHBROOK HOSPITALS NHS FOUNDATION TRUST)"
        #expect(
            cues == [
                CaptionCue(
                    start: 4.125, end: 8.61, speaker: "Facilitator",
                    text: "Right, I think that's everyone. Thanks all for coming back for the second session."),
                CaptionCue(
                    start: 8.61, end: 14.902, speaker: "Facilitator",
                    text: "Last time we mapped where evidence comes into the ward. Today it's about how learning gets back out."),
                CaptionCue(start: 16.3, end: 21.045, speaker: chidi, text: "Can I start with the Q&A we did after the sepsis audit?"),
                CaptionCue(
                    start: 21.045, end: 26.77, speaker: chidi,
                    text: "Everyone said it was useful, but six months later nobody could find the slides."),
                CaptionCue(
                    start: 27.48, end: 32.115, speaker: siobhan,
                    text: "That's the problem on our ward too. The learning lives in people's heads."),
                CaptionCue(
                    start: 33.02, end: 38.4, speaker: "Co-facilitator",
                    text: "So what would it take for that learning to be written down somewhere people actually look?"),
                CaptionCue(
                    start: 39.21, end: 43.87, speaker: siobhan,
                    text: "Honestly? A named person. If it's everyone's job, it's nobody's job."),
                CaptionCue(start: 43.87, end: 47.255, speaker: siobhan, text: "And time in the rota for it, not squeezed into a lunch break."),
                CaptionCue(
                    start: 48.6, end: 55.93, speaker: chidi,
                    text: "The library could hold it. We already run the evidence bulletin, so adding local learning isn't a big step."),
                CaptionCue(start: 56.7, end: 60.48, speaker: "Facilitator", text: "I'm writing that down: library as the home for local learning."),
                CaptionCue(start: 60.48, end: 64.015, speaker: "Facilitator", text: "Let's take five minutes and then come back to who owns it."),
            ])
    }

    @Test func teamsTurnsAndSpeakers() throws {
        let transcript = Captions.transcript(from: try vttFixture("teams-lhs-workshop.vtt"))
        let trust = "NORTHBROOK HOSPITALS NHS FOUNDATION TRUST"
        #expect(transcript.segmentation.mode == .turn)
        #expect(
            turns(transcript) == [
                Turn(
                    "Facilitator",
                    "Right, I think that's everyone. Thanks all for coming back for the second session. Last time "
                        + "we mapped where evidence comes into the ward. Today it's about how learning gets back out.", 4.125, 14.902),
                Turn(
                    "OKAFOR, Chidi",
                    "Can I start with the Q&A we did after the sepsis audit? Everyone said it was useful, but six "
                        + "months later nobody could find the slides.", 16.3, 26.77),
                Turn("BRENNAN, Siobhan", "That's the problem on our ward too. The learning lives in people's heads.", 27.48, 32.115),
                Turn(
                    "Co-facilitator", "So what would it take for that learning to be written down somewhere people actually look?",
                    33.02, 38.4),
                Turn(
                    "BRENNAN, Siobhan",
                    "Honestly? A named person. If it's everyone's job, it's nobody's job. And time in the rota "
                        + "for it, not squeezed into a lunch break.", 39.21, 47.255),
                Turn(
                    "OKAFOR, Chidi",
                    "The library could hold it. We already run the evidence bulletin, so adding local learning "
                        + "isn't a big step.", 48.6, 55.93),
                Turn(
                    "Facilitator",
                    "I'm writing that down: library as the home for local learning. Let's take five minutes and "
                        + "then come back to who owns it.", 56.7, 64.015),
            ])
        #expect(transcript.segmentation.segments.map(\.role) == [nil, trust, trust, nil, trust, trust, nil])
        #expect(
            transcript.segmentation.speakers == [
                DetectedSpeaker(name: "Facilitator", isInterviewer: true, role: nil, turns: 2),
                DetectedSpeaker(name: "OKAFOR, Chidi", isInterviewer: false, role: trust, turns: 2),
                DetectedSpeaker(name: "BRENNAN, Siobhan", isInterviewer: false, role: trust, turns: 2),
                DetectedSpeaker(name: "Co-facilitator", isInterviewer: true, role: nil, turns: 1),
            ])
        // The label keeps the role as Teams wrote it; the span starts after it.
        #expect(transcript.text.contains("\n\nOKAFOR, Chidi (\(trust)): Can I start with the Q&A"))
        #expect(!transcript.text.contains("NOTE") && !transcript.text.contains("0b7e6c2f") && !transcript.text.contains("<"))
        expectSpansHoldTurns(transcript)
    }

    // MARK: - BOM, CRLF, settings, styles

    @Test func byteOrderMarkAndCRLF() throws {
        let cues = try vttFixture("bom-crlf.vtt")
        #expect(
            cues == [
                CaptionCue(start: 0.5, end: 4, speaker: "Interviewer", text: "Bore da. Shall we start with the caf\u{E9} session?"),
                CaptionCue(
                    start: 4.2, end: 9.75, speaker: "Bridget",
                    text: "Yes. The knowledge caf\u{E9} is where we share what we\u{2019}ve learned from audits."),
                CaptionCue(start: 9.75, end: 12, speaker: "Bridget", text: "It\u{2019}s monthly now \u{1F44D}"),
            ])
        let transcript = Captions.transcript(from: cues)
        #expect(
            transcript.text == "Interviewer: Bore da. Shall we start with the caf\u{E9} session?\n\n"
                + "Bridget: Yes. The knowledge caf\u{E9} is where we share what we\u{2019}ve learned from audits. "
                + "It\u{2019}s monthly now \u{1F44D}\n")
        #expect(transcript.segmentation.segments.map(\.span) == [TextSpan(start: 13, end: 59), TextSpan(start: 70, end: 162)])
        expectSpansHoldTurns(transcript)
    }

    @Test func settingsStylesRegionsAndNoSpeakers() throws {
        let cues = try vttFixture("settings-styles.vtt")
        #expect(
            cues == [
                CaptionCue(start: 1, end: 4.5, text: "Welcome to the Northbrook Healthcare Library."),
                CaptionCue(start: 4.5, end: 9.25, text: "We buy books, journals & databases for everyone who works in the trust."),
                CaptionCue(start: 9.25, end: 14, text: "Ask us for an evidence search: we reply within three working days."),
                CaptionCue(start: 15, end: 19.75, text: "Croeso - that's <welcome> in Welsh."),
            ])
        let transcript = Captions.transcript(from: cues)
        #expect(
            transcript.text == """
                Welcome to the Northbrook Healthcare Library.
                We buy books, journals & databases for everyone who works in the trust.
                Ask us for an evidence search: we reply within three working days.
                Croeso - that's <welcome> in Welsh.

                """)
        #expect(transcript.segmentation.mode == .line)
        #expect(transcript.segmentation.speakers.isEmpty)
        #expect(turns(transcript) == cues.map { Turn(nil, $0.text, $0.start, $0.end) })
        #expect(transcript.segmentation.segments.allSatisfy { $0.turn == nil && $0.role == nil })
        expectSpansHoldTurns(transcript)
    }

    // MARK: - SubRip

    @Test func subRipCues() throws {
        let cues = try srtFixture("kls-interview.srt")
        #expect(
            cues == [
                CaptionCue(start: 0.8, end: 4.2, speaker: "INTERVIEWER", text: "How did the knowledge caf\u{E9} first come about?"),
                CaptionCue(start: 4.9, end: 9.35, speaker: "Bridget", text: "It started as a lunchtime journal club, really."),
                CaptionCue(start: 9.35, end: 13.1, speaker: "Bridget", text: "We moved it online in 2020 and it just... grew."),
                CaptionCue(start: 13.6, end: 16, speaker: "INTERVIEWER", text: "Who comes to it now?"),
                CaptionCue(start: 16.4, end: 19.9, speaker: "Bridget", text: "Mostly ward nurses, some AHPs, the odd consultant."),
                CaptionCue(start: 20.3, end: 22, text: "[LAUGHS]"),
                CaptionCue(start: 22, end: 25.5, text: "[laughs] The consultants come for the biscuits."),
                CaptionCue(start: 26.1, end: 29.8, speaker: "INTERVIEWER", text: "And do they change anything?"),
                CaptionCue(start: 26.1, end: 29.8, speaker: "Bridget", text: "Sometimes. The falls checklist did."),
                CaptionCue(start: 30.2, end: 34.65, speaker: "Bridget", text: "We wrote it up for the trust's learning bulletin afterwards."),
            ])
    }

    @Test func subRipTurns() throws {
        let transcript = Captions.transcript(from: try srtFixture("kls-interview.srt"))
        #expect(transcript.segmentation.mode == .turn)
        #expect(
            turns(transcript) == [
                Turn("INTERVIEWER", "How did the knowledge caf\u{E9} first come about?", 0.8, 4.2),
                Turn("Bridget", "It started as a lunchtime journal club, really. We moved it online in 2020 and it just... grew.", 4.9, 13.1),
                Turn("INTERVIEWER", "Who comes to it now?", 13.6, 16),
                Turn("Bridget", "Mostly ward nurses, some AHPs, the odd consultant.", 16.4, 19.9),
                Turn(nil, "[LAUGHS]", 20.3, 22),
                Turn(nil, "[laughs] The consultants come for the biscuits.", 22, 25.5),
                Turn("INTERVIEWER", "And do they change anything?", 26.1, 29.8),
                Turn("Bridget", "Sometimes. The falls checklist did. We wrote it up for the trust's learning bulletin afterwards.", 26.1, 34.65),
            ])
        #expect(
            transcript.segmentation.speakers == [
                DetectedSpeaker(name: "INTERVIEWER", isInterviewer: true, role: nil, turns: 3),
                DetectedSpeaker(name: "Bridget", isInterviewer: false, role: nil, turns: 3),
            ])
        #expect(transcript.text.contains("grew.\n\nINTERVIEWER: Who comes to it now?\n\nBridget: Mostly"))
        #expect(transcript.text.contains("consultant.\n\n[LAUGHS]\n\n[laughs] The consultants come for the biscuits.\n\nINTERVIEWER: And"))
        expectSpansHoldTurns(transcript)
    }

    @Test func subRipVariants() throws {
        let text = """
            00:00:01.000 --> 00:00:02.500
            {\\an8}<font face="Arial" color="#ffffff">On screen:</font> ward 7 board

            2
            00:00:03,000 --> 00:00:05,000 X1:100 X2:600 Y1:50 Y2:80
            Matron: Every <u>shift</u>, we
               check it.
            3
            00:00:05,000 --> 00:00:06,000
            [MUSIC]
            [Dr Okafor (Consultant)]: Morning all.
            """
        #expect(
            try Captions.parseSRT(text, path: "talk.srt") == [
                CaptionCue(start: 1, end: 2.5, text: "On screen: ward 7 board"),
                CaptionCue(start: 3, end: 5, speaker: "Matron", text: "Every shift, we check it."),
                CaptionCue(start: 5, end: 6, text: "[MUSIC] [Dr Okafor (Consultant)]: Morning all."),
            ])
        #expect(
            try Captions.parseSRT("1\n00:00:01,000 --> 00:00:02,000\n[Dr Okafor (Consultant)]: Morning all.\n", path: "t.srt")
                == [CaptionCue(start: 1, end: 2, speaker: "Dr Okafor (Consultant)", text: "Morning all.")])
        #expect(
            try Captions.parseSRT("1\n00:00:01,000 --> 00:00:02,000\n- Yes.\n- No.\n", path: "t.srt")
                == [CaptionCue(start: 1, end: 2, text: "- Yes. - No.")])
    }

    // MARK: - WebVTT details

    @Test func webVTTHeaders() throws {
        let cue = "\n\n00:01.000 --> 00:02.000\nHello.\n"
        let expected = [CaptionCue(start: 1, end: 2, text: "Hello.")]
        #expect(try Captions.parseVTT("WEBVTT" + cue, path: "a.vtt") == expected)
        #expect(try Captions.parseVTT("WEBVTT - Library induction" + cue, path: "a.vtt") == expected)
        #expect(try Captions.parseVTT("WEBVTT\tLibrary induction   " + cue, path: "a.vtt") == expected)
        #expect(try Captions.parseVTT("WEBVTT\nKind: captions\nLanguage: en" + cue, path: "a.vtt") == expected)
        #expect(vttProblem("WEBVTTX" + cue)?.contains("line 1 is 'WEBVTTX', not the 'WEBVTT' header") == true)
        #expect(vttProblem("webvtt" + cue)?.contains("not WebVTT") == true)
    }

    @Test func voiceTags() throws {
        let text = """
            WEBVTT

            00:00:01.000 --> 00:00:02.000
            <v.loud.angry Aisha   Khan>Stop the <i>trial</i>!</v>

            00:00:02.000 --> 00:00:03.000
            <v Ben>Why?

            00:00:03.000 --> 00:00:04.000
            <i><v Ben Jones (Matron)>Because</v></i>
            we said so.

            00:00:04.000 --> 00:00:05.000
            <v>Nobody.</v>

            00:00:05.000 --> 00:00:06.000
            <v Aisha Khan>Aisha Khan: not a second label.</v>
            """
        #expect(
            try Captions.parseVTT(text, path: "a.vtt") == [
                CaptionCue(start: 1, end: 2, speaker: "Aisha Khan", text: "Stop the trial!"),
                CaptionCue(start: 2, end: 3, speaker: "Ben", text: "Why?"),
                CaptionCue(start: 3, end: 4, speaker: "Ben Jones (Matron)", text: "Because we said so."),
                CaptionCue(start: 4, end: 5, text: "Nobody."),
                CaptionCue(start: 5, end: 6, speaker: "Aisha Khan", text: "Aisha Khan: not a second label."),
            ])
    }

    @Test func zoomLabelsOnlyOnTheFirstLine() throws {
        let text = """
            WEBVTT

            1
            00:00:01.000 --> 00:00:04.000
            Well: that was the plan
            Bridget: anyway.

            2
            00:00:04.000 --> 00:00:06.000
            Dr Okafor:
            The second line holds the text.

            3
            00:00:06.000 --> 00:00:07.000
            Dr Okafor:
            """
        #expect(
            try Captions.parseVTT(text, path: "a.vtt") == [
                CaptionCue(start: 1, end: 4, text: "Well: that was the plan Bridget: anyway."),
                CaptionCue(start: 4, end: 6, speaker: "Dr Okafor", text: "The second line holds the text."),
            ])
    }

    @Test func tagsAndEntities() throws {
        let text = """
            WEBVTT

            00:00:01.000 --> 00:00:02.000
            <c.yellow.bg_blue>Evidence</c> &amp; <00:00:01.500><b>audit</b>&nbsp;&nbsp;&lt;3 &#39;now&#x27; &quot;ok&quot;

            00:00:02.000 --> 00:00:03.000
            <lang cy>Llyfrgell</lang> &lrm;AT&T &unknown; &#0; &#xD800; &; a < b > c <ruby>NHS<rt>en</rt></ruby>
            """
        #expect(
            try Captions.parseVTT(text, path: "a.vtt") == [
                CaptionCue(start: 1, end: 2, text: "Evidence & audit <3 'now' \"ok\""),
                CaptionCue(start: 2, end: 3, text: "Llyfrgell \u{200E}AT&T &unknown; &#0; &#xD800; &; a < b > c NHSen"),
            ])
        #expect(
            try Captions.parseVTT("WEBVTT\n\n00:01.000 --> 00:02.000\nx&rlm;y e&#769;\n", path: "a.vtt")
                == [CaptionCue(start: 1, end: 2, text: "x\u{200F}y \u{E9}")])
    }

    @Test func timingForms() throws {
        let text = """
            WEBVTT

            00:01.000 --> 00:02.250
            Short form.

            01:00:00.001-->01:00:01.999   align:end   size:50%
            No spaces round the arrow.

            NOTE
            This note has two lines
            and sits between cues.

            00:05.000 --> 00:05.000
            Zero length.

            00:06.000 --> 00:07.000

            00:08.000 --> 00:09.000
            <i> </i>

            100:00:00.000 --> 100:00:01.000
            Long hours.
            """
        #expect(
            try Captions.parseVTT(text, path: "a.vtt") == [
                CaptionCue(start: 1, end: 2.25, text: "Short form."),
                CaptionCue(start: 3600.001, end: 3601.999, text: "No spaces round the arrow."),
                CaptionCue(start: 5, end: 5, text: "Zero length."),
                CaptionCue(start: 360_000, end: 360_001, text: "Long hours."),
            ])
    }

    @Test func cuesWithoutBlankLinesBetweenThem() throws {
        let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nOne.\n00:02.000 --> 00:03.000\nTwo.\n"
        #expect(
            try Captions.parseVTT(vtt, path: "a.vtt") == [
                CaptionCue(start: 1, end: 2, text: "One."),
                CaptionCue(start: 2, end: 3, text: "Two."),
            ])
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nOne.\n2\n00:00:02,000 --> 00:00:03,000\nTwo.\n"
        #expect(
            try Captions.parseSRT(srt, path: "a.srt") == [
                CaptionCue(start: 1, end: 2, text: "One."),
                CaptionCue(start: 2, end: 3, text: "Two."),
            ])
    }

    // MARK: - Errors

    @Test func truncatedFile() throws {
        let (text, path) = try fixture("truncated.vtt")
        let error = try #require(badInput(path) { _ = try Captions.parseVTT(text, path: path) })
        #expect(
            error.problem == "line 16 is not a valid cue timing line ('00:00:15.780 --> 00:00:2'): "
                + "the end time '00:00:2' is incomplete or not a time")
        #expect(error.message.contains("If the file was cut short, export the captions again."))
    }

    @Test func fileWithoutHeader() throws {
        let (text, path) = try fixture("no-header.vtt")
        let error = try #require(badInput(path) { _ = try Captions.parseVTT(text, path: path) })
        #expect(error.problem == "the file is not WebVTT: line 1 is '1', not the 'WEBVTT' header")
        #expect(error.message.contains("add 'WEBVTT' and a blank line at its top"))
    }

    @Test func endBeforeStart() throws {
        let (text, path) = try fixture("end-before-start.srt")
        let error = try #require(badInput(path) { _ = try Captions.parseSRT(text, path: path) })
        #expect(error.problem == "line 10: the cue ends at 00:00:09,100, before it starts at 00:00:12,400")
        #expect(
            vttProblem("WEBVTT\n\n00:01:05.000 --> 00:01:04.999\nx\n")
                == "line 3: the cue ends at 00:01:04.999, before it starts at 00:01:05.000")
    }

    @Test func malformedTimings() {
        func problem(_ timing: String) -> String? { vttProblem("WEBVTT\n\n1\n\(timing)\nText.\n") }
        #expect(
            problem("00:00:01,000 --> 00:00:02,000")
                == "line 4 is not a valid cue timing line ('00:00:01,000 --> 00:00:02,000'): the start time '00:00:01,000' is incomplete or not a time"
        )
        #expect(problem("00:00:01.000 -->")?.hasSuffix("it has no end time") == true)
        #expect(problem("--> 00:00:01.000")?.hasSuffix("it has no start time") == true)
        #expect(problem("00:00:01.000 --> 00:00:02.000align:start")?.contains("the end time '00:00:02.000align:start'") == true)
        #expect(problem("00:00:61.000 --> 00:01:02.000")?.contains("the start time '00:00:61.000'") == true)
        #expect(problem("00:00:01.50 --> 00:00:02.000")?.contains("the start time '00:00:01.50'") == true)
        #expect(problem("0:1:02.000 --> 00:00:03.000")?.contains("the start time '0:1:02.000'") == true)
        #expect(problem("00:00:01.000 --> 00:00:0２.000")?.contains("the end time") == true)
        #expect(srtProblem("1\n00:00:01:000 --> 00:00:02,000\nx\n")?.hasPrefix("line 2 is not a valid cue timing line") == true)
    }

    @Test func blocksWithoutTimingLines() {
        #expect(
            vttProblem("WEBVTT\n\nintro\nHello there.\n")
                == "line 4 should be the timing line of the cue identifier on line 3, but is 'Hello there.'")
        #expect(
            vttProblem("WEBVTT\n\n1\n00:01.000 --> 00:02.000\nHi.\n\n2")
                == "line 7 ('2') has no timing line after it: the file ends there")
        #expect(
            vttProblem("WEBVTT\n\n1\n00:01.000 --> 00:02.000\nHi.\n\nStray line\n\n")
                == "line 7 ('Stray line') has no timing line after it: nothing follows it")
        #expect(
            srtProblem("1\n00:00:01,000 --> 00:00:02,000\nHi.\n\nStray line\n")
                == "line 5 should be a subtitle number or a timing line, but is 'Stray line'")
        #expect(
            srtProblem("1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n2\nHello\n")
                == "line 6 should be the timing line of the subtitle number on line 5, but is 'Hello'")
    }

    @Test func filesWithoutCues() {
        #expect(vttProblem("WEBVTT\n") == "the file has a WEBVTT header (line 1) but no caption cue with text after it")
        #expect(vttProblem("WEBVTT\n\nNOTE nothing yet\n\nSTYLE\n::cue { color: red }\n")?.contains("(line 1) but no caption cue") == true)
        #expect(vttProblem("WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n")?.contains("no caption cue") == true)
        #expect(srtProblem("1\n00:00:01,000 --> 00:00:02,000\n\n") == "the file has no subtitle with text in its 4 lines")
        #expect(srtProblem("WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n") == "the file is WebVTT, not SubRip (line 1 is 'WEBVTT')")
        let subRipAsVTT = badInput("a.vtt") { _ = try Captions.parseVTT("1\n00:00:01,000 --> 00:00:02,000\nHi.\n", path: "a.vtt") }
        #expect(subRipAsVTT?.message.contains("give it the .srt extension") == true)
    }

    /// A file cut short anywhere gives cues or one clear error, never a crash or another error.
    @Test func everyTruncationIsHandled() throws {
        for (name, isVTT) in [
            ("zoom-kls-interview.vtt", true), ("teams-lhs-workshop.vtt", true),
            ("settings-styles.vtt", true), ("kls-interview.srt", false),
        ] {
            let (text, path) = try fixture(name)
            let scalars = Array(text.unicodeScalars)
            let full = isVTT ? try Captions.parseVTT(text, path: path) : try Captions.parseSRT(text, path: path)
            for length in stride(from: 0, through: scalars.count, by: 3) {
                let prefix = String(String.UnicodeScalarView(scalars[..<length]))
                do {
                    let cues = isVTT ? try Captions.parseVTT(prefix, path: path) : try Captions.parseSRT(prefix, path: path)
                    #expect(!cues.isEmpty && cues.count <= full.count + 1)
                    #expect(cues.dropLast().elementsEqual(full.prefix(cues.count - 1)), "\(name) cut at \(length)")
                } catch let error as QuillError {
                    guard case .badInput(let errorPath, _, _) = error else {
                        Issue.record("\(name) cut at \(length): \(error)")
                        continue
                    }
                    #expect(errorPath == path)
                } catch {
                    Issue.record("\(name) cut at \(length): \(error)")
                }
            }
        }
    }

    // MARK: - Transcript

    @Test func speakersMatchIgnoringCaseAndSpace() {
        let cues = [
            CaptionCue(start: 0, end: 1, speaker: "Aisha Khan", text: "One."),
            CaptionCue(start: 1, end: 2, speaker: "AISHA  KHAN", text: "  Two,\n  three. "),
            CaptionCue(start: 2, end: 3, speaker: "aisha khan\t", text: "Four."),
            CaptionCue(start: 3, end: 4, speaker: "Ben", text: "Five."),
            CaptionCue(start: 4, end: 5, speaker: "aisha   Khan", text: "Six."),
        ]
        let transcript = Captions.transcript(from: cues)
        #expect(transcript.text == "Aisha Khan: One. Two, three. Four.\n\nBen: Five.\n\naisha Khan: Six.\n")
        #expect(
            turns(transcript) == [
                Turn("Aisha Khan", "One. Two, three. Four.", 0, 3), Turn("Ben", "Five.", 3, 4),
                Turn("Aisha Khan", "Six.", 4, 5),
            ])
        #expect(transcript.segmentation.speakers.map(\.name) == ["Aisha Khan", "Ben"])
        #expect(transcript.segmentation.speakers.map(\.turns) == [2, 1])
    }

    @Test func rolesAndInterviewers() {
        let cues = [
            CaptionCue(start: 0, end: 1, speaker: "Researcher 1", text: "Shall we start?"),
            CaptionCue(start: 1, end: 2, speaker: "Speaker B (Project Manager)", text: "Yes."),
            CaptionCue(start: 2, end: 3, speaker: "Speaker B", text: "Go on."),
            CaptionCue(start: 3, end: 4, speaker: "Jo Hart (Interviewer)", text: "Thanks."),
            CaptionCue(start: 4, end: 5, speaker: "MODERATOR", text: "Time."),
            CaptionCue(start: 5, end: 6, speaker: "(Guest)", text: "Hello."),
        ]
        let transcript = Captions.transcript(from: cues)
        #expect(
            transcript.segmentation.speakers == [
                DetectedSpeaker(name: "Researcher 1", isInterviewer: true, role: nil, turns: 1),
                DetectedSpeaker(name: "Speaker B", isInterviewer: false, role: "Project Manager", turns: 1),
                DetectedSpeaker(name: "Jo Hart", isInterviewer: true, role: "Interviewer", turns: 1),
                DetectedSpeaker(name: "MODERATOR", isInterviewer: true, role: nil, turns: 1),
                DetectedSpeaker(name: "(Guest)", isInterviewer: false, role: nil, turns: 1),
            ])
        #expect(
            turns(transcript) == [
                Turn("Researcher 1", "Shall we start?", 0, 1), Turn("Speaker B", "Yes. Go on.", 1, 3),
                Turn("Jo Hart", "Thanks.", 3, 4), Turn("MODERATOR", "Time.", 4, 5),
                Turn("(Guest)", "Hello.", 5, 6),
            ])
        #expect(transcript.segmentation.segments.map(\.role) == [nil, "Project Manager", "Interviewer", nil, nil])
        #expect(transcript.text.contains("\n\nSpeaker B (Project Manager): Yes. Go on.\n\n"))
        expectSpansHoldTurns(transcript)
    }

    @Test func cuesWithoutSpeakerAmongTurns() {
        let cues = [
            CaptionCue(start: 0, end: 1, text: "[Music]"),
            CaptionCue(start: 1, end: 2, text: "Welcome."),
            CaptionCue(start: 2, end: 3, speaker: "Host", text: "Hi all."),
            CaptionCue(start: 3, end: 4, speaker: "Host", text: "   "),
            CaptionCue(start: 4, end: 5, speaker: "Host", text: "Let's go."),
            CaptionCue(start: 5, end: 6, text: "(applause)"),
            CaptionCue(start: 6, end: 7, speaker: "Host", text: "Thanks."),
        ]
        let transcript = Captions.transcript(from: cues)
        #expect(transcript.text == "[Music]\n\nWelcome.\n\nHost: Hi all. Let's go.\n\n(applause)\n\nHost: Thanks.\n")
        #expect(
            turns(transcript) == [
                Turn(nil, "[Music]", 0, 1), Turn(nil, "Welcome.", 1, 2), Turn("Host", "Hi all. Let's go.", 2, 5),
                Turn(nil, "(applause)", 5, 6), Turn("Host", "Thanks.", 6, 7),
            ])
        #expect(transcript.segmentation.speakers == [DetectedSpeaker(name: "Host", isInterviewer: false, role: nil, turns: 2)])
        #expect(transcript.segmentation.unattributedLines.isEmpty)
        expectSpansHoldTurns(transcript)
    }

    @Test func linesWithoutSpeakers() {
        let cues = [
            CaptionCue(start: 0, end: 1.5, speaker: " ", text: "Zoë 👍🏽 says"), CaptionCue(start: 1.5, end: 2, text: "\n"),
            CaptionCue(start: 2, end: 3, text: "e\u{301}  ok"),
        ]
        let transcript = Captions.transcript(from: cues)
        #expect(transcript.text == "Zoë 👍🏽 says\n\u{E9} ok\n")
        #expect(transcript.segmentation.mode == .line)
        #expect(
            transcript.segmentation.segments == [
                DetectedSegment(span: TextSpan(start: 0, end: 11), startTime: 0, endTime: 1.5),
                DetectedSegment(span: TextSpan(start: 12, end: 16), startTime: 2, endTime: 3),
            ])
        #expect(Captions.transcript(from: []) == ("", Segmentation(mode: .line, segments: [], speakers: [], unattributedLines: [])))
    }

    @Test func spansCountScalars() {
        let cues = [CaptionCue(start: 0, end: 1, speaker: "Zoë", text: "👍🏽 e\u{301}"), CaptionCue(start: 1, end: 2, speaker: "Ana", text: "🇬🇧 ok")]
        let transcript = Captions.transcript(from: cues)
        #expect(transcript.text == "Zoë: 👍🏽 \u{E9}\n\nAna: 🇬🇧 ok\n")
        #expect(transcript.segmentation.segments.map(\.span) == [TextSpan(start: 5, end: 9), TextSpan(start: 16, end: 21)])
        expectSpansHoldTurns(transcript)
    }

    /// For many generated cue lists: spans lie inside the text, increase, never hold a label,
    /// hold exactly the merged texts; and the same cues always give the same transcript.
    @Test func generatedCueListsKeepTheirInvariants() {
        var random = SeededGenerator(seed: 20_250_314)
        let names: [String?] = [nil, "Aisha", "AISHA", " aisha ", "Ben Ode", "Speaker B (Project Manager)", "Interviewer", "Zoë"]
        let words = ["library", "evidence", "café", "👍🏽", "e\u{301}", "NHS", "Q&A", "learning", "  ", "\n", "x:", "[Bridget]"]
        for _ in 0..<200 {
            var cues: [CaptionCue] = []
            var time = 0.0
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in words.randomElement(using: &random) ?? "" }
                    .joined(separator: " ")
                let length = Double(Int.random(in: 0...4000, using: &random)) / 1000
                cues.append(CaptionCue(start: time, end: time + length, speaker: names.randomElement(using: &random) ?? nil, text: text))
                time += length
            }
            let transcript = Captions.transcript(from: cues)
            #expect(Captions.transcript(from: cues) == transcript)
            let scalars = ScalarText(transcript.text)
            let kept = cues.filter { !$0.text.allSatisfy(\.isWhitespace) }
            #expect(transcript.text.isEmpty == kept.isEmpty)
            if !kept.isEmpty {
                #expect(transcript.text.hasSuffix("\n") && !transcript.text.hasSuffix("\n\n") && !transcript.text.hasPrefix("\n"))
            }
            #expect(transcript.text == transcript.text.precomposedStringWithCanonicalMapping)
            #expect(transcript.segmentation.mode == (kept.contains { $0.speaker?.contains { !$0.isWhitespace } == true } ? .turn : .line))
            expectSpansHoldTurns(transcript)
            var previous = 0
            for segment in transcript.segmentation.segments {
                #expect(segment.span.start >= previous && segment.span.end <= scalars.count)
                previous = segment.span.end
                let body = scalars[segment.span]
                #expect(body == body.trimmingCharacters(in: .whitespacesAndNewlines) && !body.contains("\n"))
                if let speaker = segment.speaker {
                    #expect(!body.hasPrefix(speaker + ": "))
                }
            }
            // The merged texts, in order, are the kept cues' folded texts.
            let folded = kept.map { $0.text.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping }
            let segmentTexts = TestSupport.segmentTexts(transcript.segmentation, in: transcript.text)
            #expect(segmentTexts.joined(separator: " ") == folded.joined(separator: " "))
            #expect(transcript.segmentation.segments.first?.startTime == kept.first?.start)
            #expect(transcript.segmentation.segments.last?.endTime == kept.last?.end)
        }
    }
}
