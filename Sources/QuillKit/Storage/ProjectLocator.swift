public import Foundation

/// Finds a project file the way git finds `.git`: in the working folder or the nearest folder
/// above it.
public enum ProjectLocator {
    /// The name of a project file.
    public static let fileName = "project.quill"

    /// The project to use: the explicit path if given, else the nearest `project.quill` at or
    /// above `folder`.
    /// - Throws: `QuillError.projectNotFound` when there is none.
    public static func locate(explicit: String?, from folder: URL) throws -> URL {
        if let explicit {
            return URL(fileURLWithPath: explicit, relativeTo: folder).standardizedFileURL
        }
        var current = folder.standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        throw QuillError.projectNotFound(searchedFrom: folder.path)
    }
}
