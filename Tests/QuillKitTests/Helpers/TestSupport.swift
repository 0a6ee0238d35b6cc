import Foundation
import Testing
import ZIPFoundation

@testable import QuillKit

/// Shared pieces for QuillKit's tests: fixtures, temporary folders and prepared sources.
enum TestSupport {
    /// The actor used for changes made by tests.
    static func actor(_ coder: String = "tester", command: String = "test") -> Actor {
        Actor(coder: coder, command: command)
    }

    /// The URL of a file in the test bundle's Fixtures folder.
    static func fixture(_ name: String, _ ext: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try #require(
            Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
            "fixture \(name).\(ext) is missing", sourceLocation: sourceLocation)
    }

    /// The text of a fixture file.
    static func fixtureText(_ name: String, _ ext: String) throws -> String {
        try String(contentsOf: try fixture(name, ext), encoding: .utf8)
    }

    /// The root of the package, found from this file's path.
    static func packageRoot(filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()  // Helpers
            .deletingLastPathComponent()  // QuillKitTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package
    }

    /// The text of every `.swift` file below a folder of `Sources` (such as `QuillKit`), by
    /// its path below that folder.
    static func swiftSources(in folder: String) throws -> [String: String] {
        let root = packageRoot().appendingPathComponent("Sources").appendingPathComponent(folder).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { throw CocoaError(.fileReadNoSuchFile) }
        var files: [String: String] = [:]
        for case let path as String in enumerator where path.hasSuffix(".swift") {
            files[path] = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
        }
        return files
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quillkit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A source made from text as `PreparedSource.read` would make it from a file with these bytes.
    static func prepared(
        _ name: String, _ text: String, fileExtension: String = "txt",
        mode: SegmentationMode? = nil
    ) throws -> PreparedSource {
        let data = Data(text.utf8)
        let (canonical, encoding) = try TextDecoder.canonicalText(from: data, path: "\(name).\(fileExtension)")
        return PreparedSource(
            name: name, fileName: "\(name).\(fileExtension)",
            format: TranscriptFormat.forExtension(fileExtension) ?? .txt, encoding: encoding,
            sha256: StableID.sha256(data), byteCount: data.count, text: canonical,
            length: canonical.unicodeScalars.count,
            segmentation: Segmenter.segment(canonical, mode: mode))
    }

    /// The texts of a segmentation's segments, cut from the text by their spans.
    static func segmentTexts(_ segmentation: Segmentation, in text: String) -> [String] {
        let scalars = ScalarText(text)
        return segmentation.segments.map { scalars[$0.span] }
    }

    /// The error a throwing call throws, as a `QuillError`.
    static func quillError(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) -> QuillError? {
        do {
            try body()
            Issue.record("expected a QuillError, but nothing was thrown", sourceLocation: sourceLocation)
            return nil
        } catch let error as QuillError {
            return error
        } catch {
            Issue.record("expected a QuillError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

extension TestSupport {
    /// A zip made in memory from (path, bytes) entries, in the order given.
    static func zip(_ entries: [(String, Data)], compression: CompressionMethod = .deflate) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in entries {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count),
                modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                compressionMethod: compression
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// The parts of the `badInput` error a call throws.
    static func badInput(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation)
        -> (path: String, problem: String, remedy: String)?
    {
        let error = quillError(sourceLocation: sourceLocation, body)
        guard case .badInput(let path, let problem, let remedy)? = error else {
            Issue.record("expected badInput, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        return (path, problem, remedy)
    }
}

extension QuillError {
    /// The message a user sees.
    var message: String { errorDescription ?? "" }

    /// The remedy the error carries as data, which the executable words with its commands.
    var remedy: Remedy? {
        switch self {
        case .refused(_, let remedy), .badInputRemedied(_, _, let remedy): return remedy
        default: return nil
        }
    }
}

/// SplitMix64: a small deterministic random number generator, so that every run of a
/// property test tries the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A number in a range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// A number from 0 up to, not including, `bound`.
    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// One of some items.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}
