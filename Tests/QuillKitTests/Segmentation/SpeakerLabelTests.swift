import Testing

@testable import QuillKit

@Suite struct SpeakerLabelTests {
    func parse(_ line: String) -> SpeakerLabel? {
        SpeakerLabel.parse(Substring(line))
    }

    /// The text of the turn after the label, cut at the label's `textStart`.
    func turnText(_ line: String) -> String? {
        guard let start = parse(line)?.textStart else { return nil }
        return String(String.UnicodeScalarView(Array(line.unicodeScalars)[start...]))
    }

    @Test func plainName() throws {
        let label = try #require(parse("Aisha: We run the search service."))
        #expect(label.name == "Aisha")
        #expect(label.role == nil)
        #expect(label.time == nil)
        #expect(label.textStart == 7)
        #expect(turnText("Aisha: We run the search service.") == "We run the search service.")
    }

    @Test func fullNameWithConnector() throws {
        let label = try #require(parse("Maria de Souza: Yes."))
        #expect(label.name == "Maria de Souza")
        #expect(turnText("Maria de Souza: Yes.") == "Yes.")
    }

    @Test func numberedResearcher() throws {
        let label = try #require(parse("Researcher 1: Could you say more?"))
        #expect(label.name == "Researcher 1")
        #expect(label.isInterviewer)
        #expect(turnText("Researcher 1: Could you say more?") == "Could you say more?")
    }

    @Test func participantCode() throws {
        let label = try #require(parse("P03: I work on the wards."))
        #expect(label.name == "P03")
        #expect(!label.isInterviewer)
        #expect(label.isSpeakerLike)
        #expect(turnText("P03: I work on the wards.") == "I work on the wards.")
    }

    @Test func nameWithRoleInBrackets() throws {
        let label = try #require(parse("Speaker B (Project Manager): Can I come in there?"))
        #expect(label.name == "Speaker B")
        #expect(label.role == "Project Manager")
        #expect(label.time == nil)
        #expect(label.key == "speaker b")
        #expect(turnText("Speaker B (Project Manager): Can I come in there?") == "Can I come in there?")
    }

    @Test func bracketedTimeBeforeName() throws {
        let label = try #require(parse("[00:01:23] Aisha: So we started."))
        #expect(label.name == "Aisha")
        #expect(label.time == 83)
        #expect(turnText("[00:01:23] Aisha: So we started.") == "So we started.")
    }

    @Test func bareTimeBeforeName() throws {
        let label = try #require(parse("00:01:23 Aisha: So we started."))
        #expect(label.name == "Aisha")
        #expect(label.time == 83)
        #expect(turnText("00:01:23 Aisha: So we started.") == "So we started.")
    }

    @Test func timeBeforeNameWithDash() throws {
        let label = try #require(parse("01:02:03 - Ben: Right."))
        #expect(label.name == "Ben")
        #expect(label.time == 3723)
    }

    @Test func timeAfterNameInBrackets() throws {
        let label = try #require(parse("Aisha (00:01:23): So we started."))
        #expect(label.name == "Aisha")
        #expect(label.role == nil)
        #expect(label.time == 83)
        #expect(turnText("Aisha (00:01:23): So we started.") == "So we started.")
    }

    @Test func markdownBoldAroundNameAndColon() throws {
        let label = try #require(parse("**Aisha:** We search for evidence."))
        #expect(label.name == "Aisha")
        #expect(turnText("**Aisha:** We search for evidence.") == "We search for evidence.")
    }

    @Test func markdownBoldAroundNameOnly() throws {
        let label = try #require(parse("**Aisha**: We search for evidence."))
        #expect(label.name == "Aisha")
        #expect(turnText("**Aisha**: We search for evidence.") == "We search for evidence.")
    }

    @Test func labelAloneOnItsLine() throws {
        let label = try #require(parse("INTERVIEWER:"))
        #expect(label.name == "INTERVIEWER")
        #expect(label.textStart == nil)
        #expect(label.isInterviewer)
        let spaced = try #require(parse("Aisha:   "))
        #expect(spaced.textStart == nil)
    }

    @Test func otterStyleNameAndTimeAloneOnALine() throws {
        let label = try #require(parse("Aisha Khan  00:03"))
        #expect(label.name == "Aisha Khan")
        #expect(label.time == 3)
        #expect(label.textStart == nil)
        let long = try #require(parse("Ben  1:02:03"))
        #expect(long.name == "Ben")
        #expect(long.time == 3723)
    }

    @Test func irregularSpacesAndTabAfterTheColon() throws {
        #expect(turnText("P03:     Lots of room.") == "Lots of room.")
        #expect(turnText("P03:\tA tab.") == "A tab.")
        #expect(turnText("P03: \t \u{A0}Mixed.") == "Mixed.")
        #expect(turnText("  Aisha :  Spaces before the colon.") == "Spaces before the colon.")
        #expect(parse("  Aisha :  Spaces before the colon.")?.name == "Aisha")
    }

    @Test(arguments: [
        "Date: 3 May 2025", "Duration: 45 min", "Location: Leeds", "Transcribed by: Otter",
        "Note: the recorder stopped", "Time: 10:30",
    ])
    func headerFieldsAreNotLabels(line: String) {
        #expect(parse(line) == nil)
    }

    @Test(arguments: [
        "And then she said: fine", "so the thing is: nobody reads it", "We had three aims: first, speed",
        "# Heading: not a speaker", "http://example.org/x", "The 2025 plan: draft",
        "This label is far far far too long to be any speaker's name at all: text",
    ])
    func proseIsNotALabel(line: String) {
        #expect(parse(line) == nil)
    }

    @Test(arguments: [
        "Interviewer", "INTERVIEWER", "Researcher 1", "Researcher", "Facilitator", "Moderator",
        "Co-facilitator", "I", "Lead Researcher", "Interviewer (JS)",
    ])
    func interviewerLabels(name: String) throws {
        let label = try #require(parse("\(name): text"))
        #expect(label.isInterviewer, "\(name) should be an interviewer")
    }

    @Test func roleInBracketsCanMakeAnInterviewer() throws {
        let label = try #require(parse("Aisha (Interviewer): text"))
        #expect(label.name == "Aisha")
        #expect(label.role == "Interviewer")
        #expect(label.isInterviewer)
    }

    @Test(arguments: ["P03", "Aisha", "Speaker A", "Participant 2", "Speaker D (Matron)", "Ben Okafor"])
    func participantLabels(name: String) throws {
        let label = try #require(parse("\(name): text"))
        #expect(!label.isInterviewer, "\(name) should not be an interviewer")
    }

    @Test func speakerLikeNamesNeedNoRepeat() throws {
        #expect(try #require(parse("P03: x")).isSpeakerLike)
        #expect(try #require(parse("Participant 4: x")).isSpeakerLike)
        #expect(try #require(parse("Facilitator: x")).isSpeakerLike)
        #expect(try #require(parse("Speaker C (Patient Partner): x")).isSpeakerLike)
        #expect(try #require(parse("Aisha: x")).isSpeakerLike == false)
        #expect(try #require(parse("Ben Okafor: x")).isSpeakerLike == false)
    }

    @Test func timestamps() {
        let scalars = { (text: String) in Array(text.unicodeScalars) }
        #expect(SpeakerLabel.timestamp(scalars("00:01:23"), from: 0)?.seconds == 83)
        #expect(SpeakerLabel.timestamp(scalars("[01:23]"), from: 0)?.seconds == 83)
        #expect(SpeakerLabel.timestamp(scalars("01:23.5 x"), from: 0)?.seconds == 83.5)
        #expect(SpeakerLabel.timestamp(scalars("(1:00:00)"), from: 0)?.end == 9)
        #expect(SpeakerLabel.timestamp(scalars("12:75"), from: 0) == nil)
        #expect(SpeakerLabel.timestamp(scalars("1234"), from: 0) == nil)
        #expect(SpeakerLabel.timestamp(scalars("[00:01"), from: 0) == nil)
        #expect(SpeakerLabel.timestamp(scalars("10:30am"), from: 0) == nil)
    }

    /// Reading the head of a long line finds what reading the whole line finds.
    @Test func theHeadOfALongLineSettlesWhatTheWholeLineWould() {
        var random = SeededGenerator(seed: 160)
        let starts = [
            "", "  ", "**", "__", "[00:01:23] ", "00:01:23.123456789 - ", "Interviewer", "Dr Zo\u{EB} Okafor", " (Librarian)",
            "(00:02:03)", ":", ": ", "\t", "\u{A0}", "Speaker B", "P03", "#", "Date", "well", "x",
        ]
        let tail = ["word", " ", "  ", ":", "1", "00:01:23", "[00:04:05]", "\u{1F4DA}", "e\u{301}", "\t", ")", "]"]
        for _ in 0..<1500 {
            var line = (0..<random.int(0...5)).map { _ in random.pick(starts) }.joined()
            if random.int(0...3) == 0 { line += String(repeating: " ", count: random.int(100...200)) }
            line += (0..<random.int(0...90)).map { _ in random.pick(tail) }.joined()
            let whole = SpeakerLabel.parse(Array(line.unicodeScalars), line: line[...], isWhole: true)
            let expected: SpeakerLabel? = if case .label(let label) = whole { label } else { nil }
            #expect(SpeakerLabel.parse(line[...]) == expected, "\(line.debugDescription)")
        }
    }

    /// A time keeps all its fraction digits, also where they run past the head of a long line.
    @Test func timesWithLongFractions() {
        let short = SpeakerLabel.parse("00:01:23.1234567890 Speaker B: hello"[...])
        #expect(short?.name == "Speaker B")
        #expect(short.flatMap { $0.time.map { abs($0 - 83.123456789) < 0.000001 } } == true)
        let long = String(repeating: " ", count: 140) + "00:01:23." + String(repeating: "1", count: 40) + " Speaker B: hello"
        #expect(SpeakerLabel.parse(long[...])?.name == "Speaker B")
    }
}
