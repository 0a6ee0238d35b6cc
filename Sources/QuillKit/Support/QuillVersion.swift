/// The version of Quill, as `quill --version` prints it and exports record it.
public enum QuillVersion {
    public static let current = "0.1.0"
}
