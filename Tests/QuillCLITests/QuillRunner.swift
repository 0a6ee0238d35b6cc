import Foundation
import QuillKit
import Testing

/// The result of running the built `quill` binary.
struct QuillResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `quill` binary in a temporary folder of its own, as a user would.
struct QuillRunner {
    let folder: URL

    /// A runner in a new, empty temporary folder.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The `quill` executable that `swift build` put beside the test bundle.
    static let executable: URL = {
        var folder = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("quill")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("quill")
    }()

    /// The repository's root, for the shipped codebook and transcripts.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fixture file of this test target.
    static func fixture(_ name: String) throws -> URL {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent(name)
        return try #require(url.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }, "missing fixture \(name)")
    }

    /// Copies fixtures into the folder.
    func copy(_ names: String...) throws {
        for name in names {
            try FileManager.default.copyItem(at: try Self.fixture(name), to: folder.appendingPathComponent(name))
        }
    }

    /// Writes a file into the folder.
    func write(_ name: String, _ data: Data) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Reads a file of the folder as text.
    func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Runs `quill` with arguments in the folder (or a subfolder of it), with no terminal;
    /// `stdin` (text, as UTF-8) or `input` (bytes) is piped to its standard input (else it
    /// reads nothing).
    @discardableResult
    func run(
        _ arguments: [String], in subfolder: String? = nil, environment: [String: String] = [:],
        stdin: String? = nil, input: Data? = nil
    ) throws -> QuillResult {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = subfolder.map { folder.appendingPathComponent($0) } ?? folder
        var env = ProcessInfo.processInfo.environment
        env["QUILL_CODER"] = "tester"
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outURL = folder.appendingPathComponent(".out-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let inURL = folder.appendingPathComponent(".in-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: inURL) }
        if let bytes = input ?? stdin.map({ Data($0.utf8) }) {
            try bytes.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return QuillResult(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// The content digest of the project in the folder.
    func digest(_ name: String = "project.quill") throws -> String {
        try ContentDigest(ProjectDatabase.open(at: folder.appendingPathComponent(name))).contentDigest()
    }

    /// A runner whose folder has a project, the test codebook and both fixture transcripts imported.
    static func preparedProject() throws -> QuillRunner {
        let quill = try QuillRunner()
        try quill.copy("codebook.yaml", "interview-a.txt", "interview-b.md")
        for arguments in [["init"], ["codebook", "import", "codebook.yaml"], ["import", "interview-a.txt", "interview-b.md"]] {
            let result = try quill.run(arguments)
            #expect(result.status == 0, "quill \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return quill
    }

    /// Removes the folder.
    func cleanUp() {
        try? FileManager.default.removeItem(at: folder)
    }
}
