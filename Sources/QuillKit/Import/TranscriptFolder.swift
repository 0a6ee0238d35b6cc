public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The transcripts in a folder, as `quill run` reads them: everything inside the folder and
/// its subfolders, and nothing outside it.
///
/// The folder is walked in a stable order (the names sorted, each subfolder's files where the
/// subfolder sorts), and each file is read once. Every file found is a transcript, so one Quill cannot read (a `.pdf`, say)
/// gives its usual error when it is read. What is left out is listed in ``skipped`` with the
/// reason:
///
/// - a link whose target, once every link on the way is followed, is outside the folder
///   (a file or a folder), or that loops;
/// - hidden files and folders (names that start with `.`), system files (`Thumbs.db`,
///   `desktop.ini`, `.DS_Store`), Office lock files (`~$name.docx`) and read-mes (`README…`);
/// - empty subfolders.
///
/// A link whose target is inside the folder is read as the file or folder it points to, unless
/// that is read at a path without a link (or through a link that sorts first): then it is
/// listed as the same.
///
/// ```swift
/// let folder = try TranscriptFolder(URL(fileURLWithPath: "Transcripts"))
/// let sources = try folder.files.map { try PreparedSource.read(url: $0) }
/// if let note = folder.skippedNote { print(note) }
/// ```
public struct TranscriptFolder: Sendable {
    /// Why an entry of the folder is not read.
    public enum Reason: Equatable, Sendable {
        /// A file or folder whose name starts with a dot.
        case hidden
        /// A file the system writes: `Thumbs.db`, `desktop.ini`, `.DS_Store`.
        case systemFile
        /// A lock file an office program keeps beside an open document; the program's name.
        case lockFile(program: String)
        /// A read-me about the transcripts.
        case readMe
        /// A link whose target is outside the folder.
        case linkOutside
        /// A link that leads back to itself or to a folder it is in.
        case linkLoop
        /// A subfolder with nothing in it.
        case emptyFolder
        /// A link to a file or folder that is read at another path (given).
        case sameAs(String)

        /// The reason in a few words.
        public var description: String {
            switch self {
            case .hidden: return "hidden"
            case .systemFile: return "system file"
            case .lockFile(let program): return "\(program) lock file"
            case .readMe: return "read-me"
            case .linkOutside: return "a link to outside the folder"
            case .linkLoop: return "a link that loops"
            case .emptyFolder: return "empty folder"
            case .sameAs(let path): return "the same as \(path), read there"
            }
        }
    }

    /// An entry of the folder that is not read.
    public struct Skipped: Equatable, Sendable {
        /// Its path inside the folder, ending in `/` for a folder.
        public var path: String
        public var reason: Reason
    }

    /// The transcripts, as paths under the folder as it was given (links not followed), so
    /// that messages name them as the user sees them.
    public let files: [URL]
    /// What was left out, in the order of its path.
    public let skipped: [Skipped]

    /// Walks a folder of transcripts.
    /// - Throws: `QuillError.fileNotReadable` when the folder (or a subfolder) is missing or
    ///   cannot be read, or an entry is neither a file nor a folder (a pipe, a device);
    ///   `QuillError.badInput` when it has no transcripts, or two files in it would give the
    ///   same source.
    package init(_ folder: URL) throws {
        let path = folder.relativePath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw QuillError.fileNotReadable(
                path: path,
                reason: FileManager.default.fileExists(atPath: folder.path)
                    ? "it is a file, not a folder of transcripts" : "there is no such folder")
        }
        guard case .success(let root) = Self.resolve(folder.path) else {
            throw QuillError.fileNotReadable(path: path, reason: "the folder cannot be read")
        }
        var walk = Walk(root: root, folder: folder)
        try walk.run()
        guard !walk.files.isEmpty else {
            let only = walk.skipped.isEmpty ? "" : "; it holds only " + Self.list(walk.skipped)
            throw QuillError.badInput(
                path: path, problem: "the folder has no transcripts (.txt, .md, .docx, .odt, .vtt, .srt)" + only,
                remedy: "Put transcripts in it, or choose another folder.")
        }
        // Files of the same name in two subfolders would be one source; the usual clash error
        // names both, with their folders.
        try SourceImporter.refuseNameClashes(walk.files.map { (name: PreparedSource.sourceName(of: $0).name, fileName: $0.relativePath) })
        files = walk.files
        skipped = walk.skipped
    }

    /// One line saying what was left out, or nil when nothing was: `Skipped 2 files:
    /// Thumbs.db (system file), notes.txt (a link to outside the folder).`
    public var skippedNote: String? {
        guard !skipped.isEmpty else { return nil }
        let hasFolders = skipped.contains { $0.path.hasSuffix("/") }
        let what = skipped.count == 1 ? (hasFolders ? "folder" : "file") : (hasFolders ? "files and folders" : "files")
        return "Skipped \(skipped.count) \(what): " + Self.list(skipped) + "."
    }

    /// The entries with their reasons, the first twenty of them.
    private static func list(_ skipped: [Skipped]) -> String {
        let shown = skipped.prefix(20).map { "\($0.path) (\($0.reason.description))" }
        let more = skipped.count > shown.count ? ", and \(skipped.count - shown.count) more" : ""
        return shown.joined(separator: ", ") + more
    }

    /// The path with every link followed, or the `errno` of the reason it cannot be.
    static func resolve(_ path: String) -> Result<String, POSIXError> {
        guard let resolved = realpath(path, nil) else {
            return .failure(POSIXError(POSIXErrorCode(rawValue: errno) ?? .ENOENT))
        }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    /// Whether `path` is `root` or inside it; both are real paths.
    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// Why a name is left out whatever it is, or nil.
    static func reason(forName name: String) -> Reason? {
        let lowered = name.lowercased()
        if lowered == ".ds_store" || lowered == "thumbs.db" || lowered == "ehthumbs.db" || lowered == "desktop.ini" {
            return .systemFile
        }
        if name.hasPrefix(".~lock.") { return .lockFile(program: "LibreOffice") }
        if name.hasPrefix(".") { return .hidden }
        if name.hasPrefix("~$") {
            switch URL(fileURLWithPath: name).pathExtension.lowercased() {
            case "doc", "docx", "docm", "dot", "dotx", "rtf": return .lockFile(program: "Word")
            case "xls", "xlsx", "xlsm", "csv": return .lockFile(program: "Excel")
            case "ppt", "pptx": return .lockFile(program: "PowerPoint")
            default: return .lockFile(program: "Office")
            }
        }
        if lowered.hasPrefix("readme") { return .readMe }
        return nil
    }
}

/// The state of one walk of a folder.
///
/// The folder is walked first without following links, then each link is followed in the
/// order of its path, so that a file or folder that can be reached without a link is read
/// there, and one reached again through a link is listed as the same.
private struct Walk {
    /// A link found in a folder, followed once the folders without links have been read.
    struct PendingLink {
        var entry: String
        var path: String
        var parent: String
        var ancestors: [String]
    }

    /// The folder's real path.
    let root: String
    /// The folder as the user gave it.
    let folder: URL
    /// The files found, by their paths inside the folder.
    private var found: [String] = []
    private(set) var skipped: [TranscriptFolder.Skipped] = []
    /// Where each real file and folder read was found.
    private var seen: [String: String] = [:]
    private var pending: [PendingLink] = []

    init(root: String, folder: URL) {
        self.root = root
        self.folder = folder
    }

    /// The files, under the folder as given, in the order of their paths.
    var files: [URL] {
        found.sorted(by: Self.precedes).map { entry in
            entry.split(separator: "/").reduce(folder) { $0.appendingPathComponent(String($1)) }
        }
    }

    /// Walks everything, then puts what was skipped in the order of its path.
    mutating func run() throws {
        try read(realPath: root, relative: "", ancestors: [root])
        while !pending.isEmpty {
            pending.sort { Self.precedes($0.entry, $1.entry) }
            try follow(pending.removeFirst())
        }
        skipped.sort { Self.precedes($0.path, $1.path) }
    }

    /// Whether one path inside the folder comes before another: folder by folder, by name.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let (left, right) = (a.split(separator: "/"), b.split(separator: "/"))
        for (x, y) in zip(left, right) where x != y { return x < y }
        return left.count < right.count
    }

    /// Reads a folder whose real path is `realPath`, found at `relative` (empty for the
    /// folder itself, else ending in `/`); `ancestors` are the real paths of the folders
    /// it is in, itself included. Links are kept for later.
    private mutating func read(realPath: String, relative: String, ancestors: [String]) throws {
        seen[realPath] = relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: realPath).sorted()
        } catch {
            throw QuillError.fileNotReadable(path: display(relative), reason: "the folder cannot be read")
        }
        if names.isEmpty && !relative.isEmpty {
            skipped.append(.init(path: relative, reason: .emptyFolder))
            return
        }
        for name in names {
            let entry = relative + name
            let path = realPath + "/" + name
            if let reason = TranscriptFolder.reason(forName: name) {
                skipped.append(.init(path: entry + (isFolder(path) ? "/" : ""), reason: reason))
                continue
            }
            let entryKind = try kind(of: path, entry: entry)
            if entryKind == .link {
                pending.append(PendingLink(entry: entry, path: path, parent: realPath, ancestors: ancestors))
            } else {
                try take(entry, realPath: path, kind: entryKind, ancestors: ancestors)
            }
        }
    }

    /// Follows a link: skipped when its target is outside the folder, loops or was read
    /// already; otherwise read like the file or folder it points to.
    private mutating func follow(_ link: PendingLink) throws {
        let target: String
        switch TranscriptFolder.resolve(link.path) {
        case .success(let path):
            target = path
        case .failure(let error):
            try skipUnresolvedLink(at: link.path, entry: link.entry, error: error.code, in: link.parent)
            return
        }
        guard TranscriptFolder.isInside(target, root) else {
            skipped.append(.init(path: link.entry, reason: .linkOutside))
            return
        }
        // A real path has no link in it, so this is what the link points to.
        let targetKind = try kind(of: target, entry: link.entry)
        let isFolder = targetKind == .folder
        let entry = link.entry + (isFolder ? "/" : "")
        if isFolder && link.ancestors.contains(where: { TranscriptFolder.isInside($0, target) }) {
            skipped.append(.init(path: entry, reason: .linkLoop))
        } else if let first = seen[target] {
            skipped.append(.init(path: entry, reason: .sameAs(first)))
        } else {
            try take(link.entry, realPath: target, kind: targetKind, ancestors: link.ancestors)
        }
    }

    /// Reads a folder or takes a file found at `entry`, with its real path.
    private mutating func take(_ entry: String, realPath: String, kind: FileKind, ancestors: [String]) throws {
        switch kind {
        case .folder:
            try read(realPath: realPath, relative: entry + "/", ancestors: ancestors + [realPath])
        case .file:
            seen[realPath] = entry
            found.append(entry)
        default:
            throw QuillError.fileNotReadable(path: display(entry), reason: "it is not a file but a pipe, socket or device")
        }
    }

    /// Leaves out a link that cannot be followed when it loops or points out of the folder;
    /// a link to a file in the folder that does not exist is an error.
    private mutating func skipUnresolvedLink(at path: String, entry: String, error: POSIXErrorCode, in realFolder: String) throws {
        if error == .ELOOP {
            skipped.append(.init(path: entry, reason: .linkLoop))
            return
        }
        let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
        let target = destination.hasPrefix("/") ? destination : realFolder + "/" + destination
        if !TranscriptFolder.isInside(URL(fileURLWithPath: target).standardized.path, root) {
            skipped.append(.init(path: entry, reason: .linkOutside))
            return
        }
        let problem = error == .ENOENT || error == .ENOTDIR ? "does not exist" : "cannot be read (" + String(cString: strerror(error.rawValue)) + ")"
        throw QuillError.fileNotReadable(path: display(entry), reason: "it is a link to \(destination), which \(problem)")
    }

    /// Whether a path is a folder, not following a link.
    private func isFolder(_ path: String) -> Bool {
        (try? FileKind(atPath: path)) == .folder
    }

    /// What an entry is, not following a link.
    private func kind(of path: String, entry: String) throws -> FileKind {
        do {
            return try FileKind(atPath: path)
        } catch {
            throw QuillError.fileNotReadable(path: display(entry), reason: "it cannot be looked at (\((error as NSError).localizedDescription))")
        }
    }

    /// An entry's path as the user would write it: under the folder as given.
    private func display(_ entry: String) -> String {
        let trimmed = entry.hasSuffix("/") ? String(entry.dropLast()) : entry
        return trimmed.isEmpty ? folder.relativePath : folder.relativePath + "/" + trimmed
    }
}
