import Foundation
import Testing

@testable import QuillKit

@Suite struct ProjectLocatorTests {
    @Test func findsTheProjectInAFolderAbove() throws {
        let root = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent(ProjectLocator.fileName)
        _ = try ProjectDatabase.create(at: project, name: "Study")
        let deep = root.appendingPathComponent("Transcripts/2025/May", isDirectory: true)
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let found = try ProjectLocator.locate(explicit: nil, from: deep)
        #expect(found.standardizedFileURL.resolvingSymlinksInPath().path == project.resolvingSymlinksInPath().path)
    }

    @Test func anExplicitPathWinsAndIsResolvedFromTheFolder() throws {
        let root = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let found = try ProjectLocator.locate(explicit: "other/study.quill", from: root)
        #expect(found.path == root.appendingPathComponent("other/study.quill").standardizedFileURL.path)
        #expect(try ProjectLocator.locate(explicit: "/tmp/x.quill", from: root).path == "/tmp/x.quill")
    }

    /// Whether some folder at or above the temporary folder holds a project, which would be found.
    static var projectAboveTemporaryFolder: Bool {
        var folder = FileManager.default.temporaryDirectory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(ProjectLocator.fileName).path) { return true }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return false }
            folder = parent
        }
    }

    @Test(.disabled(if: projectAboveTemporaryFolder, "a project.quill lies above the temporary folder"))
    func noProjectAnywhereIsAnError() throws {
        let root = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let error = TestSupport.quillError { _ = try ProjectLocator.locate(explicit: nil, from: root) }
        guard case .projectNotFound(let folder)? = error else {
            Issue.record("expected projectNotFound, got \(String(describing: error))")
            return
        }
        #expect(folder == root.path)
        #expect(error?.message.contains("Create one here") == true)
    }
}
