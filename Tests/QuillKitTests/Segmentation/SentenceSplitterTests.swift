import Testing

@testable import QuillKit

/// Sentences as transcribed speech has them.
@Suite struct SentenceSplitterTests {
    private func sentences(_ text: String) -> [String] {
        let scalars = ScalarText(text)
        return SentenceSplitter.sentences(in: TextSpan(start: 0, end: scalars.count), of: scalars).map { scalars[$0] }
    }

    @Test func endsAtStopsQuestionsAndExclamations() {
        #expect(sentences("We searched. Did it help? Yes! It did.") == ["We searched.", "Did it help?", "Yes!", "It did."])
    }

    @Test func abbreviationsAndInitialsDoNotEndASentence() {
        #expect(
            sentences("Dr. Okafor asked Mr. Jones at St. Mary's NHS Trust. Then we met.")
                == ["Dr. Okafor asked Mr. Jones at St. Mary's NHS Trust.", "Then we met."])
        #expect(sentences("Use a database, e.g. Medline. Or CINAHL, i.e. nursing.") == ["Use a database, e.g. Medline.", "Or CINAHL, i.e. nursing."])
        #expect(sentences("As Greenhalgh et al. Found, it varies.") == ["As Greenhalgh et al. Found, it varies."])
        #expect(sentences("J. K. Smith wrote it. We read it.") == ["J. K. Smith wrote it.", "We read it."])
    }

    @Test func numbersAndLowercaseStartsDoNotSplit() {
        #expect(sentences("It rose by 3.5 per cent. That was a lot.") == ["It rose by 3.5 per cent.", "That was a lot."])
        #expect(sentences("We met at 10 a.m. on Monday. It went well.") == ["We met at 10 a.m. on Monday.", "It went well."])
        #expect(sentences("It was fine. and then it wasn't.") == ["It was fine. and then it wasn't."])
    }

    @Test func ellipsesAndQuotes() {
        #expect(sentences("Well... I think so. Maybe… yes.") == ["Well...", "I think so.", "Maybe… yes."])
        #expect(sentences("She said, “Stop.” Then she left.") == ["She said, “Stop.”", "Then she left."])
        #expect(sentences("He asked \"why?\" And I said (quietly) \"because\".") == ["He asked \"why?\"", "And I said (quietly) \"because\"."])
        #expect(sentences("Is it 2? 3 maybe.") == ["Is it 2?", "3 maybe."])
    }

    @Test func sentencesStayInsideTheSpanAndAreTrimmed() {
        let text = "Aisha: First one.  Second one.\n\nNext paragraph."
        let scalars = ScalarText(text)
        let found = SentenceSplitter.sentences(in: TextSpan(start: 7, end: 30), of: scalars)
        #expect(found.map { scalars[$0] } == ["First one.", "Second one."])
        #expect(found.allSatisfy { $0.start >= 7 && $0.end <= 30 })
    }

    @Test func aTranscribersTrailerIsNotPartOfTheLastTurn() {
        let text = "Speaker 1  0:03\nHello.\n\nSpeaker 2  0:07\nHi there.\n\nTranscribed by https://otter.ai\n"
        let segmentation = Segmenter.segment(text)
        #expect(TestSupport.segmentTexts(segmentation, in: text) == ["Hello.", "Hi there."])
        #expect(segmentation.unattributedLines == [7])
    }
}
