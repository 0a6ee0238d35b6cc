import Foundation
import Testing

@testable import QuillKit

/// `--speaker-pattern`: a house style of speaker labels, matched at the start of each line,
/// each line's search bounded.
@Suite struct SpeakerPatternTests {
    /// A pattern that cuts a run of words in every way before `$` fails.
    let runaway = #"(\w+\s?)*$"#
    /// A transcript whose third line starts with a long run of words.
    let transcript = "Interviewer: How is it going?\nP01: It grows.\nWell I think the library service is great for us all, honestly.\n"

    @Test func readsAHouseStyle() throws {
        let text = "JS> How did it go?\nAB> Well, 🙂 fine.\r\nmore of it\nJS> Thanks."
        let options = SegmentationOptions(speakerPattern: try SpeakerPattern(#"^(?<speaker>[A-Z]{2,})>\s*"#))
        let segmentation = try Segmenter.segment(text, options: options, file: "house.txt")
        #expect(segmentation.segments.map(\.speaker) == ["JS", "AB", "JS"])
        #expect(TestSupport.segmentTexts(segmentation, in: text) == ["How did it go?", "Well, 🙂 fine.\r\nmore of it", "Thanks."])
    }

    @Test func aPatternThatBacktracksTooLongStopsWithTheFileAndTheLine() throws {
        // Line 3 starts with words the pattern can cut in exponentially many ways before `$` fails.
        let text = "Date: 1 May\n\nWell I think the library service is great for us all, honestly.\nP1: yes"
        let options = SegmentationOptions(speakerPattern: try SpeakerPattern(runaway))
        #expect(
            throws: QuillError.regexTooComplex(
                file: "interview-09.txt", place: QuillError.speakerPatternPlace, pattern: runaway,
                segment: "line 3", limit: 10_000_000)
        ) {
            try Segmenter.segment(text, options: options, file: "interview-09.txt")
        }
        let message = try #require(
            TestSupport.quillError { _ = try Segmenter.segment(text, options: options, file: "interview-09.txt") }?.errorDescription)
        #expect(
            message.hasPrefix(
                "interview-09.txt: the speaker pattern: the regular expression /(\\w+\\s?)*$/ took more than 10,000,000 steps on line 3 and was stopped"
            ))
        #expect(message.contains("Simplify it: nested quantifiers such as (\\w+\\s?)*"))
        // The same pattern on lines it settles quickly is no error: it finds no speaker there.
        #expect(try Segmenter.segment("P1: yes\nP2: no", options: options).mode == .paragraph)
    }

    @Test func importAndResegmentStopOnItWithNothingChanged() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("interview-09.txt")
        try Data(transcript.utf8).write(to: file)
        let options = SegmentationOptions(speakerPattern: try SpeakerPattern(runaway))
        let importError = TestSupport.quillError { _ = try PreparedSource.read(url: file, options: options) }
        #expect(
            importError
                == .regexTooComplex(
                    file: file.relativePath, place: QuillError.speakerPatternPlace, pattern: runaway,
                    segment: "line 3", limit: 10_000_000))
        let store = try ProjectDatabase.inMemory()
        _ = try SourceImporter(store).importSources([try TestSupport.prepared("alpha", transcript)], actor: TestSupport.actor())
        let digest = try ContentDigest(store).contentDigest()
        let alpha = try SourceCatalog(store).resolveSource("alpha").id
        #expect(
            throws: QuillError.regexTooComplex(
                file: "alpha", place: QuillError.speakerPatternPlace, pattern: runaway,
                segment: "line 3", limit: 10_000_000)
        ) {
            try Resegmenter(store).resegment(sourceID: alpha, options: options, actor: TestSupport.actor())
        }
        #expect(try ContentDigest(store).contentDigest() == digest)
    }
}
