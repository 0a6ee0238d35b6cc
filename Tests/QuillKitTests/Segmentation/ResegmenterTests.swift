import Testing

@testable import QuillKit

@Suite struct ResegmenterTests {
    static let segments: [(id: Int64, span: TextSpan)] = [
        (1, TextSpan(start: 0, end: 10)), (2, TextSpan(start: 12, end: 20)), (3, TextSpan(start: 30, end: 40)),
    ]

    @Test func aMemoGoesToTheSegmentThatHoldsMostOfItsPassage() {
        #expect(Resegmenter.home(of: TextSpan(start: 5, end: 20), among: Self.segments) == 2)
        #expect(Resegmenter.home(of: TextSpan(start: 0, end: 10), among: Self.segments) == 1)
        // As much in each: the first.
        #expect(Resegmenter.home(of: TextSpan(start: 6, end: 16), among: Self.segments) == 1)
    }

    @Test func aPassageNoSegmentHoldsGoesToTheNearest() {
        #expect(Resegmenter.home(of: TextSpan(start: 21, end: 23), among: Self.segments) == 2)
        #expect(Resegmenter.home(of: TextSpan(start: 27, end: 29), among: Self.segments) == 3)
        // As near to both: the earlier.
        #expect(Resegmenter.home(of: TextSpan(start: 24, end: 26), among: Self.segments) == 2)
        #expect(Resegmenter.home(of: TextSpan(start: 50, end: 55), among: Self.segments) == 3)
        #expect(Resegmenter.home(of: TextSpan(start: 1, end: 2), among: []) == nil)
    }
}
