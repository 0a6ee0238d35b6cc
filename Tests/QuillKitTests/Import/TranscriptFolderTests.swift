import Foundation
import Testing

@testable import QuillKit

@Suite struct TranscriptFolderTests {
    /// A folder `T` with files (a path ending in `/` is an empty folder) in a new temporary
    /// folder, which also holds `outside/secret.txt`.
    private func makeFolder(_ entries: [String]) throws -> (base: URL, folder: URL) {
        let base = try TestSupport.temporaryFolder()
        let folder = base.appendingPathComponent("T")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("outside"), withIntermediateDirectories: true)
        try Data("the secret\n".utf8).write(to: base.appendingPathComponent("outside/secret.txt"))
        for entry in entries {
            let url = folder.appendingPathComponent(entry)
            if entry.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("Interviewer: Why?\nP1: Because \(entry).\n".utf8).write(to: url)
            }
        }
        return (base, folder)
    }

    private func link(_ path: String, to destination: String, in folder: URL) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(path).path, withDestinationPath: destination)
    }

    /// The files found, as paths inside the folder.
    private func files(_ found: TranscriptFolder, in folder: URL) -> [String] {
        found.files.map { String($0.path.dropFirst(folder.path.count + 1)) }
    }

    @Test func readsSubfoldersInSortedOrderAndSkipsTheJunk() throws {
        let (base, folder) = try makeFolder([
            "b.txt", "a.md", "sub/c.txt", "sub/deeper/d.vtt", "Thumbs.db", "desktop.ini", "~$x.docx", ".DS_Store",
            ".notes.txt", ".git/config", "empty/", "sub/empty/", "README.md", "sub/~$budget.xlsx",
        ])
        defer { try? FileManager.default.removeItem(at: base) }
        let found = try TranscriptFolder(folder)
        #expect(files(found, in: folder) == ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.vtt"])
        #expect(
            found.skipped == [
                .init(path: ".DS_Store", reason: .systemFile), .init(path: ".git/", reason: .hidden),
                .init(path: ".notes.txt", reason: .hidden), .init(path: "README.md", reason: .readMe),
                .init(path: "Thumbs.db", reason: .systemFile), .init(path: "desktop.ini", reason: .systemFile),
                .init(path: "empty/", reason: .emptyFolder), .init(path: "sub/empty/", reason: .emptyFolder),
                .init(path: "sub/~$budget.xlsx", reason: .lockFile(program: "Excel")),
                .init(path: "~$x.docx", reason: .lockFile(program: "Word")),
            ])
        #expect(
            found.skippedNote == "Skipped 10 files and folders: .DS_Store (system file), .git/ (hidden), .notes.txt (hidden), "
                + "README.md (read-me), Thumbs.db (system file), desktop.ini (system file), empty/ (empty folder), "
                + "sub/empty/ (empty folder), sub/~$budget.xlsx (Excel lock file), ~$x.docx (Word lock file).")
    }

    @Test func filesAreNamedUnderTheFolderAsGiven() throws {
        let (base, folder) = try makeFolder(["sub/a.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        let relative = URL(fileURLWithPath: "T", relativeTo: base)
        let found = try TranscriptFolder(relative)
        #expect(found.files.map(\.relativePath) == ["T/sub/a.txt"])
        #expect(found.skippedNote == nil)
        #expect(try PreparedSource.read(url: try #require(found.files.first)).name == "a")
        _ = folder
    }

    @Test func linksOutOfTheFolderAreSkipped() throws {
        let (base, folder) = try makeFolder(["a.txt", "sub/b.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        try link("secret.txt", to: "../outside/secret.txt", in: folder)  // a file outside
        try link("absolute.txt", to: base.appendingPathComponent("outside/secret.txt").path, in: folder)
        try link("outdir", to: "../outside", in: folder)  // a folder outside
        try link("sub/climb.txt", to: "../../outside/secret.txt", in: folder)
        try link("via-inside.txt", to: "sub/climb.txt", in: folder)  // inside, then out
        try link("gone.txt", to: "/nonexistent/place/x.txt", in: folder)  // outside, and missing
        let found = try TranscriptFolder(folder)
        #expect(files(found, in: folder) == ["a.txt", "sub/b.txt"])
        #expect(
            found.skipped == [
                .init(path: "absolute.txt", reason: .linkOutside), .init(path: "gone.txt", reason: .linkOutside),
                .init(path: "outdir", reason: .linkOutside), .init(path: "secret.txt", reason: .linkOutside),
                .init(path: "sub/climb.txt", reason: .linkOutside), .init(path: "via-inside.txt", reason: .linkOutside),
            ])
        #expect(
            found.skippedNote == "Skipped 6 files: absolute.txt (a link to outside the folder), gone.txt (a link to outside the folder), "
                + "outdir (a link to outside the folder), secret.txt (a link to outside the folder), "
                + "sub/climb.txt (a link to outside the folder), via-inside.txt (a link to outside the folder).")
    }

    @Test func linksInsideTheFolderAreReadOnce() throws {
        let (base, folder) = try makeFolder(["a.txt", "sub/b.txt", ".store/c.txt", ".store/kept/d.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        try link("c.txt", to: ".store/c.txt", in: folder)  // a file read only through the link
        try link("kept", to: ".store/kept", in: folder)  // a folder read only through the link
        try link("inside.txt", to: "sub/b.txt", in: folder)  // a file read at its own path too
        try link("alias", to: "sub", in: folder)  // a folder read at its own path too
        try link("zzz.txt", to: "c.txt", in: folder)  // a link to a link read already
        let found = try TranscriptFolder(folder)
        #expect(files(found, in: folder) == ["a.txt", "c.txt", "kept/d.txt", "sub/b.txt"])
        #expect(
            found.skipped == [
                .init(path: ".store/", reason: .hidden), .init(path: "alias/", reason: .sameAs("sub/")),
                .init(path: "inside.txt", reason: .sameAs("sub/b.txt")), .init(path: "zzz.txt", reason: .sameAs("c.txt")),
            ])
        #expect(
            found.skippedNote == "Skipped 4 files and folders: .store/ (hidden), alias/ (the same as sub/, read there), "
                + "inside.txt (the same as sub/b.txt, read there), zzz.txt (the same as c.txt, read there).")
        // A file read through a link is named after the link.
        #expect(try PreparedSource.read(url: found.files[1]).name == "c")
    }

    @Test func linksThatLoopAreSkipped() throws {
        let (base, folder) = try makeFolder(["a.txt", "sub/b.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        try link("self", to: "self", in: folder)  // a link to itself
        try link("ping", to: "pong", in: folder)  // two links to each other
        try link("pong", to: "ping", in: folder)
        try link("sub/up", to: "..", in: folder)  // a folder that holds the link
        try link("sub/here", to: ".", in: folder)
        try link("top", to: folder.path, in: folder)
        let found = try TranscriptFolder(folder)
        #expect(files(found, in: folder) == ["a.txt", "sub/b.txt"])
        #expect(
            found.skipped == [
                .init(path: "ping", reason: .linkLoop), .init(path: "pong", reason: .linkLoop), .init(path: "self", reason: .linkLoop),
                .init(path: "sub/here/", reason: .linkLoop), .init(path: "sub/up/", reason: .linkLoop), .init(path: "top/", reason: .linkLoop),
            ])
    }

    @Test func aFolderReachedThroughALinkIsReadInsideTheRealFolder() throws {
        // The folder given is itself a link: inside means inside the folder it points to.
        let (base, folder) = try makeFolder(["a.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("L").path, withDestinationPath: folder.path)
        try link("secret.txt", to: "../outside/secret.txt", in: folder)
        let found = try TranscriptFolder(base.appendingPathComponent("L"))
        #expect(found.files.map(\.lastPathComponent) == ["a.txt"])
        #expect(found.skipped == [.init(path: "secret.txt", reason: .linkOutside)])
    }

    @Test func aFolderOfOnlyJunkHasNoTranscripts() throws {
        let (base, folder) = try makeFolder(["Thumbs.db", "~$x.docx", "empty/"])
        defer { try? FileManager.default.removeItem(at: base) }
        try link("secret.txt", to: "../outside/secret.txt", in: folder)
        #expect(
            throws: QuillError.badInput(
                path: folder.path,
                problem: "the folder has no transcripts (.txt, .md, .docx, .odt, .vtt, .srt); it holds only Thumbs.db (system file), "
                    + "empty/ (empty folder), secret.txt (a link to outside the folder), ~$x.docx (Word lock file)",
                remedy: "Put transcripts in it, or choose another folder.")
        ) {
            try TranscriptFolder(folder)
        }
        let (emptyBase, empty) = try makeFolder([])
        defer { try? FileManager.default.removeItem(at: emptyBase) }
        #expect(
            throws: QuillError.badInput(
                path: empty.path, problem: "the folder has no transcripts (.txt, .md, .docx, .odt, .vtt, .srt)",
                remedy: "Put transcripts in it, or choose another folder.")
        ) {
            try TranscriptFolder(empty)
        }
    }

    @Test func aFileQuillCannotReadIsStillAnError() throws {
        let (base, folder) = try makeFolder(["a.txt", "sub/paper.pdf", "Thumbs.db"])
        defer { try? FileManager.default.removeItem(at: base) }
        // The walk lists it, and reading it gives the usual error naming it.
        let found = try TranscriptFolder(folder)
        #expect(files(found, in: folder) == ["a.txt", "sub/paper.pdf"])
        let pdf = try #require(found.files.last)
        let error = #expect(throws: QuillError.self) { try PreparedSource.read(url: pdf) }
        guard case .badInput(let path, let problem, _)? = error else {
            Issue.record("expected badInput, got \(String(describing: error))")
            return
        }
        #expect(path == pdf.path)
        #expect(problem == "this is a .pdf file")
    }

    @Test func aLinkToAMissingFileInsideIsAnError() throws {
        let (base, folder) = try makeFolder(["a.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        try link("b.txt", to: "nothing.txt", in: folder)
        #expect(throws: QuillError.fileNotReadable(path: folder.path + "/b.txt", reason: "it is a link to nothing.txt, which does not exist")) {
            try TranscriptFolder(folder)
        }
    }

    @Test func aPipeIsAnErrorNotAHang() throws {
        let (base, folder) = try makeFolder(["a.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(mkfifo(folder.appendingPathComponent("b.txt").path, 0o600) == 0)
        #expect(throws: QuillError.fileNotReadable(path: folder.path + "/b.txt", reason: "it is not a file but a pipe, socket or device")) {
            try TranscriptFolder(folder)
        }
    }

    @Test func filesOfOneNameInTwoFoldersClash() throws {
        let (base, folder) = try makeFolder(["one/a.txt", "two/A.md"])
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(
            throws: QuillError.badInput(
                path: folder.path + "/one/a.txt, " + folder.path + "/two/A.md",
                problem: "these files would both be the source 'a'", remedy: "Rename one of them. Nothing was imported.")
        ) {
            try TranscriptFolder(folder)
        }
    }

    @Test func aMissingFolderOrAFileIsRefused() throws {
        let (base, folder) = try makeFolder(["a.txt"])
        defer { try? FileManager.default.removeItem(at: base) }
        let missing = base.appendingPathComponent("missing")
        #expect(throws: QuillError.fileNotReadable(path: missing.path, reason: "there is no such folder")) { try TranscriptFolder(missing) }
        let file = folder.appendingPathComponent("a.txt")
        #expect(throws: QuillError.fileNotReadable(path: file.path, reason: "it is a file, not a folder of transcripts")) {
            try TranscriptFolder(file)
        }
    }

    @Test func manySkippedFilesAreCounted() throws {
        let (base, folder) = try makeFolder(["a.txt"] + (10..<40).map { "._photo\($0).jpg" })
        defer { try? FileManager.default.removeItem(at: base) }
        let note = try #require(try TranscriptFolder(folder).skippedNote)
        #expect(note.hasPrefix("Skipped 30 files: ._photo10.jpg (hidden), "))
        #expect(note.hasSuffix("._photo29.jpg (hidden), and 10 more."))
    }
}
