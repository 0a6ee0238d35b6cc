import Foundation
import Testing

/// Compares text with a golden file in `Tests/QuillKitTests/Snapshots/`, byte for byte.
///
/// The folder is found through `#filePath`, not the read-only bundle. When the file is missing,
/// or when the environment variable `RECORD_SNAPSHOTS` is set, the text is written as the new
/// golden file and the test fails, so that a recording is never mistaken for a pass.
func assertSnapshot(
    _ actual: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while folder.lastPathComponent != "QuillKitTests" && folder.pathComponents.count > 1 {
        folder = folder.deletingLastPathComponent()
    }
    folder.appendPathComponent("Snapshots", isDirectory: true)
    let file = folder.appendingPathComponent(name)
    let actualData = Data(actual.utf8)
    let isRecording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
    guard !isRecording, let expected = FileManager.default.contents(atPath: file.path) else {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actualData.write(to: file)
            Issue.record("Recorded snapshot \(file.path); check it and run the tests again.", sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    if expected != actualData {
        let expectedText = String(decoding: expected, as: UTF8.self)
        Issue.record(
            """
            Snapshot \(name) differs (set RECORD_SNAPSHOTS=1 to record it again).
            --- expected (\(expected.count) bytes)
            \(expectedText.debugDescription)
            +++ actual (\(actualData.count) bytes)
            \(actual.debugDescription)
            """, sourceLocation: sourceLocation)
    }
}
