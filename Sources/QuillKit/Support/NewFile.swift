import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a new file that appears whole or not at all, and never over a file that is there.
///
/// On Linux the bytes go into a file without a name in the destination's folder (`O_TMPFILE`),
/// which is given its name only once it is complete and on disk: a command killed before then
/// (even by SIGKILL or a power cut) leaves nothing behind, since the system frees a file that
/// has no name. Where that is not to be had, a hidden file readable by its owner only is
/// written beside the destination and linked into place, and removed on every other way out.
enum NewFile {
    /// Creates `url` with `bytes` and the permissions `mode`.
    /// - Throws: `QuillError.fileNotWritable` when a file is there already or the folder cannot
    ///   be written; then nothing is left behind.
    static func create(at url: URL, bytes: UnsafeRawBufferPointer, mode: mode_t) throws {
        let folder = url.deletingLastPathComponent().path
        func failure(_ reason: String) -> QuillError { QuillError.fileNotWritable(path: url.path, reason: reason) }
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw failure("a file is already there; choose a new name, so that no file is overwritten")
        }
        #if os(Linux)
            // O_TMPFILE, which Glibc's module does not bring in: __O_TMPFILE with O_DIRECTORY.
            let unnamed = open(folder, 0o20000000 | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
            if unnamed >= 0 {
                defer { close(unnamed) }
                try write(bytes, to: unnamed, mode: mode, failure: failure)
                guard linkat(AT_FDCWD, "/proc/self/fd/\(unnamed)", AT_FDCWD, url.path, AT_SYMLINK_FOLLOW) == 0 else {
                    throw failure(errno == EEXIST ? "a file is already there; choose a new name, so that no file is overwritten" : describe(errno))
                }
                syncFolder(folder)
                return
            }
            // A file system without unnamed files falls through to the hidden file.
            guard [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) else { throw failure(describe(errno)) }
        #endif
        let hiddenURL = URL(fileURLWithPath: folder).appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        let hidden = hiddenURL.path
        // Registered before it exists, so that a signal removes it (`TemporaryFiles`).
        let registration = TemporaryFiles.register([hiddenURL])
        defer { registration.remove() }
        let descriptor = open(hidden, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(describe(errno)) }
        do {
            defer { close(descriptor) }
            try write(bytes, to: descriptor, mode: mode, failure: failure)
        }
        // link, unlike rename, refuses to replace a file that appeared in the meantime.
        guard link(hidden, url.path) == 0 else {
            throw failure(errno == EEXIST ? "a file is already there; choose a new name, so that no file is overwritten" : describe(errno))
        }
        syncFolder(folder)
    }

    private static func write(
        _ bytes: UnsafeRawBufferPointer, to descriptor: Int32, mode: mode_t,
        failure: (String) -> QuillError
    ) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, min(bytes.count - offset, 1 << 24))
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(describe(errno))
            }
            offset += written
        }
        guard fsync(descriptor) == 0, fchmod(descriptor, mode) == 0 else { throw failure(describe(errno)) }
    }

    /// Makes the new name itself durable.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
