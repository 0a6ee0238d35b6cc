import Testing

@testable import QuillKit

@Suite struct SegmentSelectionTests {
    @Test func rangesAndNumbers() throws {
        #expect(try SegmentSelection.parse("3-7,12", count: 20) == [3, 4, 5, 6, 7, 12])
        #expect(try SegmentSelection.parse("12, 3 - 4 ,3", count: 20) == [3, 4, 12])
        #expect(try SegmentSelection.parse("5", count: 5) == [5])
        #expect(try SegmentSelection.parse("2-2", count: 5) == [2])
    }

    @Test func all() throws {
        #expect(try SegmentSelection.parse("all", count: 4) == [1, 2, 3, 4])
        #expect(try SegmentSelection.parse(" ALL ", count: 2) == [1, 2])
        #expect(try SegmentSelection.parse("all", count: 0) == [])
    }

    /// The reason given for a bad selection.
    func reason(_ text: String, count: Int = 20, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let error = TestSupport.quillError(sourceLocation: sourceLocation) { _ = try SegmentSelection.parse(text, count: count) }
        guard case .badSegments(let quoted, let reason)? = error else {
            Issue.record("expected badSegments, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(quoted == text, sourceLocation: sourceLocation)
        #expect(error?.message.contains("3-7,12") == true, sourceLocation: sourceLocation)
        return reason
    }

    @Test func zeroIsRefused() {
        #expect(reason("0") == "segments are numbered from 1")
        #expect(reason("0-3") == "segments are numbered from 1")
    }

    @Test func backwardsRangeIsRefused() {
        #expect(reason("5-3") == "the range '5-3' runs backwards")
    }

    @Test func aSegmentPastTheEndIsRefused() {
        #expect(reason("99") == "the source has 20 segments, so there is no segment 99")
        #expect(reason("1-3", count: 1) == "the source has 1 segment, so there is no segment 3")
    }

    @Test func textIsRefused() {
        #expect(reason("a") == "'a' is not a number or a range")
        #expect(reason("1-2-3") == "'1-2-3' is not a number or a range")
        #expect(reason("-3") == "'-3' is not a number or a range")
        #expect(reason("3-") == "'3-' is not a number or a range")
    }

    @Test func emptyItemsAreRefused() {
        #expect(reason("1,,2") == "there is an empty item between commas")
        #expect(reason("1,") == "there is an empty item between commas")
        #expect(reason("") == "there is an empty item between commas")
    }
}
