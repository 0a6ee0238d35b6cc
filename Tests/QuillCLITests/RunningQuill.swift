import Foundation
import GRDB
import QuillKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `quill` started in the background, which a test can wait for with a time limit, or kill.
final class RunningQuill {
    let process = Process()
    private let outURL: URL
    private let errURL: URL

    /// Starts `quill` with arguments in the runner's folder.
    init(_ quill: QuillRunner, _ arguments: [String], in subfolder: String? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = QuillRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = subfolder.map { quill.folder.appendingPathComponent($0) } ?? quill.folder
        var env = ProcessInfo.processInfo.environment
        env["QUILL_CODER"] = "tester"
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let id = UUID().uuidString
        outURL = quill.folder.appendingPathComponent(".out-\(id)")
        errURL = quill.folder.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }

    /// Waits until it ends, or kills it after `seconds` and returns nil: a hang.
    func wait(seconds: Double) -> QuillResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return result()
    }

    /// Kills it with SIGKILL, as a power cut or the OOM killer would, and waits for it to go.
    /// - Returns: whether it was still running when the signal was sent.
    @discardableResult
    func killHard() -> Bool {
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return wasRunning
    }

    /// What it wrote and how it ended.
    func result() -> QuillResult {
        QuillResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

/// SplitMix64: a small random number generator that gives the same numbers for the same seed,
/// so that a failing run of a randomised test can be repeated.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What a project holds, as text that does not depend on when or by which run it was made:
/// every row of every table but the search index's own, without timestamps and GUIDs (new
/// ones are random), and the number of undo log entries. Two projects that went through the
/// same commands from the same start have the same fingerprint.
enum ProjectFingerprint {
    static func of(_ url: URL) throws -> String {
        let queue = try DatabaseQueue(path: url.path)
        defer { try? queue.close() }
        return try queue.read { db in
            var lines: [String] = []
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name NOT LIKE 'segmentSearch%' AND name NOT IN ('undoLog', 'grdb_migrations') ORDER BY name
                    """)
            for table in tables {
                var rows: [String] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                    rows.append(row.columnNames.filter { !isVolatile($0) }.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: "|"))
                }
                lines.append("table \(table): \(rows.count) rows")
                lines += rows.sorted()
            }
            lines.append("undo log: \(try Int.fetchOne(db, sql: "SELECT count(*) FROM undoLog") ?? 0)")
            lines.append("search index: \(try Int.fetchOne(db, sql: "SELECT count(*) FROM segmentSearch") ?? 0)")
            return lines.joined(separator: "\n")
        }
    }

    /// Columns that differ between two runs of the same command: times, and random GUIDs.
    private static func isVolatile(_ column: String) -> Bool {
        column == "guid" || column == "at" || column.hasSuffix("At")
    }

    /// The first line where two fingerprints differ, for a message.
    static func firstDifference(_ one: String, _ other: String) -> String {
        let a = one.split(separator: "\n"), b = other.split(separator: "\n")
        for (x, y) in zip(a, b) where x != y { return "'\(x.prefix(300))' instead of '\(y.prefix(300))'" }
        return "\(a.count) lines instead of \(b.count)"
    }

    /// The number of segments of each source, by name.
    static func segmentsPerSource(_ url: URL) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: url.path)
        defer { try? queue.close() }
        return try queue.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.name, (SELECT count(*) FROM segment g WHERE g.sourceId = s.id) AS n FROM source s
                        """
                ).map { ($0["name"] as String, $0["n"] as Int) })
        }
    }
}
