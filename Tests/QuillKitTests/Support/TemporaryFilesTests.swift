import Foundation
import Testing

@testable import QuillKit

@Suite struct TemporaryFilesTests {
    /// The permission bits of a path.
    private func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    @Test func aFolderInTheTemporaryFolderIsPrivateAndRegisteredUntilRemoved() throws {
        let folder = try TemporaryFiles.makeFolder(prefix: "quill-test")
        #expect(
            folder.url.deletingLastPathComponent().standardizedFileURL.path
                == FileManager.default.temporaryDirectory.standardizedFileURL.path)
        #expect(folder.url.lastPathComponent.hasPrefix("quill-test-"))
        #expect(try mode(folder.url) == 0o700)
        #expect(TemporaryFiles.registeredPaths.contains(folder.url.path))

        let file = try folder.createFile(named: "memo.md", contents: Data("private words\n".utf8))
        #expect(try mode(file) == 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8) == "private words\n")
        // A file is never written through an existing one.
        #expect(throws: QuillError.self) { try folder.createFile(named: "memo.md", contents: Data()) }

        folder.remove()
        #expect(!FileManager.default.fileExists(atPath: folder.url.path))
        #expect(!TemporaryFiles.registeredPaths.contains(folder.url.path))
        folder.remove()
    }

    @Test func namesAreNotPredictable() throws {
        let folders = try (0..<8).map { _ in try TemporaryFiles.makeFolder(prefix: "quill-test") }
        defer { folders.forEach { $0.remove() } }
        #expect(Set(folders.map(\.url.lastPathComponent)).count == 8)
        // Random letters after the prefix, not a counter or a process number.
        for folder in folders {
            #expect(folder.url.lastPathComponent.dropFirst("quill-test-".count).count >= 12)
        }
    }

    @Test func aFolderBesideADestinationIsHiddenPrivateAndCanBeKept() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = try TemporaryFiles.makeFolder(beside: parent.appendingPathComponent("project.qdpx"), prefix: "quill-export")
        #expect(folder.url.deletingLastPathComponent().path == parent.path)
        #expect(folder.url.lastPathComponent.hasPrefix(".quill-export-"))
        #expect(try mode(folder.url) == 0o700)

        folder.keep()
        #expect(FileManager.default.fileExists(atPath: folder.url.path))
        #expect(!TemporaryFiles.registeredPaths.contains(folder.url.path))
    }

    @Test func aFolderBesideADestinationInAMissingFolderIsRefusedByName() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/out.yaml")
        #expect(
            throws: QuillError.fileNotWritable(path: missing.path, reason: "the folder \(missing.deletingLastPathComponent().path) does not exist")
        ) {
            try TemporaryFiles.makeFolder(beside: missing, prefix: "quill-write")
        }
    }

    @Test func withFolderRemovesTheFolderWhenTheWorkFails() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        struct Failure: Error {}
        var inside: URL?
        #expect(throws: Failure.self) {
            try TemporaryFiles.withFolder(beside: parent.appendingPathComponent("x.qdpx"), prefix: "quill-export") { folder in
                inside = folder
                try Data("half".utf8).write(to: folder.appendingPathComponent("archive.qdpx"))
                throw Failure()
            }
        }
        #expect(inside != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
    }

    @Test func writeLeavesOnlyTheFileWithTheUsualPermissions() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        // What any new file gets here (0666 less the umask).
        let plain = parent.appendingPathComponent("plain")
        #expect(FileManager.default.createFile(atPath: plain.path, contents: nil))
        let usual = try mode(plain)
        try FileManager.default.removeItem(at: plain)

        let file = parent.appendingPathComponent("report.md")
        try TemporaryFiles.write(Data("one\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "one\n")
        #expect(try mode(file) == usual)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["report.md"])

        // A file that is replaced keeps its own permissions.
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try TemporaryFiles.write(Data("two\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "two\n")
        #expect(try mode(file) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["report.md"])
    }

    @Test func writeRefusesAFolderAndLeavesItAlone() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(throws: QuillError.fileNotWritable(path: folder.path, reason: "it is a folder")) {
            try TemporaryFiles.write(Data("x".utf8), to: folder)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test func registeredPathsAreRemovedOrKept() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let files = ["project.quill", "project.quill-wal", "project.quill-shm"].map { parent.appendingPathComponent($0) }
        for file in files.prefix(2) { try Data("x".utf8).write(to: file) }
        let registration = TemporaryFiles.register(files)
        #expect(files.allSatisfy { TemporaryFiles.registeredPaths.contains($0.path) })
        registration.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        #expect(!files.contains { TemporaryFiles.registeredPaths.contains($0.path) })

        try Data("x".utf8).write(to: files[0])
        let kept = TemporaryFiles.register(files)
        kept.keep()
        #expect(FileManager.default.fileExists(atPath: files[0].path))
        #expect(!TemporaryFiles.registeredPaths.contains(files[0].path))
    }

    @Test func removingAFolderDoesNotFollowLinksOutOfIt() throws {
        let parent = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let outside = parent.appendingPathComponent("keep.txt")
        try Data("mine".utf8).write(to: outside)
        let folder = try TemporaryFiles.makeFolder(beside: outside, prefix: "quill-test")
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("link").path, withDestinationPath: parent.path)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try Data("x".utf8).write(to: folder.url.appendingPathComponent("sub/file"))
        folder.remove()
        #expect(!FileManager.default.fileExists(atPath: folder.url.path))
        #expect(try String(contentsOf: outside, encoding: .utf8) == "mine")
    }
}
