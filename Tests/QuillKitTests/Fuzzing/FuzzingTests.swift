import Foundation
import Testing
import _QuillFuzzTargets

@testable import QuillKit

/// The fuzz targets on their seed corpora, and the inputs the fuzzers found that once crashed a
/// reader: each must now get a `QuillError` or be read, never a crash or a broken result.
@Suite struct FuzzingTests {
    /// The seed corpus of a target, in FuzzTesting/Corpus/<target>.
    static func seeds(_ target: String) throws -> [URL] {
        let folder = TestSupport.packageRoot().appendingPathComponent("FuzzTesting/Corpus/\(target)")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func target(_ name: String) throws -> @Sendable (Data) throws -> Void {
        try #require(Fuzzing.targets.first { $0.name == name }?.run)
    }

    @Test(arguments: Fuzzing.targets.map(\.name))
    func everySeedIsReadOrRefusedWithAQuillError(_ name: String) throws {
        let seeds = try Self.seeds(name)
        #expect(!seeds.isEmpty, "the target \(name) has no seeds")
        for seed in seeds {
            do {
                try Fuzzing.run(Self.target(name), Data(contentsOf: seed))
            } catch {
                Issue.record("\(name) on \(seed.lastPathComponent): \(error)")
            }
        }
    }

    @Test func eachSeedFolderIsATarget() throws {
        // run.sh runs one target per seed folder.
        let corpus = TestSupport.packageRoot().appendingPathComponent("FuzzTesting/Corpus")
        let folders = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == Set(Fuzzing.targets.map(\.name)))
    }

    @Test func theSeedsOfEachKindAreMostlyRead() throws {
        // Seeds that every reader refuses teach the fuzzer little: most must be read.
        for name in Fuzzing.targets.map(\.name) {
            let seeds = try Self.seeds(name)
            let read = try seeds.filter { try Fuzzing.run(Self.target(name), Data(contentsOf: $0)) == nil }
            #expect(read.count * 2 >= seeds.count, "\(name): only \(read.count) of \(seeds.count) seeds are read")
        }
    }
}

/// Inputs the fuzzers found.
@Suite struct FuzzingRegressionTests {
    @Test func aCarriageReturnBeforeACombiningMarkBecomesALineFeed() throws {
        // Foundation's replacingOccurrences left a CR that a combining mark follows, so the
        // canonical text kept a CR (found by the transcript fuzzer in a UTF-16 file).
        let data = try Data(contentsOf: try TestSupport.fixture("fuzz/transcript-cr-before-combining-mark", "txt"))
        #expect(try Fuzzing.run(Fuzzing.transcript, data) == nil)

        let text = TextDecoder.canonicalize("Interviewer: Hi\r\u{0D00} there\r\n\u{301}P01: ok\r")
        #expect(text == "Interviewer: Hi\n\u{0D00} there\n\u{301}P01: ok\n")
        #expect(TextDecoder.lineFeeds("a\r\r\nb\n\rc") == "a\n\nb\n\nc")
        let memo = MemoBook.normalizedMemoText("One\r\u{0301}two\r\n")
        #expect(!memo.unicodeScalars.contains("\r"))
    }
}
