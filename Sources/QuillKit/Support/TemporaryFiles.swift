public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files and folders that live only while a command runs: private while they exist, and gone
/// when the command ends, however it ends.
///
/// A temporary folder has mode 0700 and an unpredictable name. It is made beside the file it
/// prepares (so that the finished file is put in place with one rename) or in the system's
/// temporary folder (`TMPDIR`); files made with ``TemporaryFolder/createFile(named:contents:)``
/// have mode 0600. Every folder is registered from before it exists until it is removed or
/// kept, and other paths (a project a command is making) can be registered too. Once
/// ``removeOnSignals()`` has been called, SIGINT, SIGTERM and SIGHUP remove every registered
/// path, then end the process with the status 128 + the signal's number.
///
/// ```swift
/// let folder = try TemporaryFiles.makeFolder(prefix: "quill-memo")
/// defer { folder.remove() }
/// let file = try folder.createFile(named: "memo.md", contents: Data(text.utf8))
/// ```
public enum TemporaryFiles {
    /// Makes a private folder in the system's temporary folder (`TMPDIR`, else `/tmp`), named
    /// `prefix-` and random letters, registered for removal.
    /// - Throws: `QuillError.fileNotWritable` when the folder cannot be made.
    public static func makeFolder(prefix: String) throws -> TemporaryFolder {
        let parent = FileManager.default.temporaryDirectory
        return try makeFolder(in: parent, name: prefix) { reason in
            QuillError.fileNotWritable(
                path: parent.path,
                reason: "Quill cannot make a private folder for its temporary files there ("
                    + reason + "); set TMPDIR to a folder you can write to")
        }
    }

    /// Makes a private folder beside `destination`, hidden (`.prefix-` and random letters) and
    /// registered for removal, in which the file is prepared before it is renamed onto
    /// `destination`.
    /// - Throws: `QuillError.fileNotWritable` naming the destination when its folder does not
    ///   exist or cannot be written.
    public static func makeFolder(beside destination: URL, prefix: String) throws -> TemporaryFolder {
        let parent = destination.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw QuillError.fileNotWritable(path: destination.relativePath, reason: "the folder \(parent.relativePath) does not exist")
        }
        return try makeFolder(in: parent, name: "." + prefix) { _ in
            QuillError.fileNotWritable(path: destination.relativePath, reason: "the folder \(parent.relativePath) is not writable")
        }
    }

    /// Runs `body` with a private folder beside `destination`, removed afterwards whatever
    /// happens.
    package static func withFolder<T>(beside destination: URL, prefix: String, _ body: (URL) throws -> T) throws -> T {
        let folder = try makeFolder(beside: destination, prefix: prefix)
        defer { folder.remove() }
        return try body(folder.url)
    }

    /// Writes a file whole or not at all: the bytes go to a private folder beside it and are
    /// then renamed onto it, so a reader never sees half a file and nothing is left behind.
    ///
    /// A new file gets the permissions any new file gets (0666 less the umask); a file that is
    /// replaced keeps its own. This is what `Data.write(to:options: .atomic)` does, except
    /// that Foundation's temporary file is readable beside the destination while it is
    /// written and outlives a signal.
    /// - Throws: `QuillError.fileNotWritable` naming `destination`.
    public static func write(_ data: Data, to destination: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isFolder), isFolder.boolValue {
            throw QuillError.fileNotWritable(path: destination.relativePath, reason: "it is a folder")
        }
        // The file's own mode (a link is replaced, not followed, so not its target's), and only
        // the read and write bits: never set-user-ID or the like.
        let existing = try? FileManager.default.attributesOfItem(atPath: destination.path)
        let isLink = (existing?[.type] as? FileAttributeType) == .typeSymbolicLink
        let mode = isLink ? nil : (existing?[.posixPermissions] as? Int).map { mode_t($0 & 0o666) }
        try withFolder(beside: destination, prefix: "quill-write") { folder in
            let file = folder.appendingPathComponent(destination.lastPathComponent)
            do {
                try Self.createFile(at: file, contents: data, mode: mode ?? 0o666, exactMode: mode != nil)
            } catch let error as POSIXError {
                throw QuillError.fileNotWritable(path: destination.relativePath, reason: String(cString: strerror(error.code.rawValue)))
            }
            guard rename(file.path, destination.path) == 0 else {
                throw QuillError.fileNotWritable(path: destination.relativePath, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Registers paths that a signal should remove (a project a command is making, say) until
    /// the returned registration is kept or removed. Register only what this command made,
    /// once it has made it.
    public static func register(_ urls: [URL]) -> Registration {
        Registration(id: registry.add(urls.map(\.path)))
    }

    /// Makes SIGINT, SIGTERM and SIGHUP remove every registered path, then end the process with
    /// the status 128 + the signal's number. The executable calls it once, first thing.
    ///
    /// The signals are ignored and watched by dispatch sources on a queue of their own; the
    /// editors and other programs Quill starts get the usual handling back. A signal that was
    /// ignored when the process started (as `nohup` ignores SIGHUP) stays ignored.
    public static func removeOnSignals() {
        registry.installSignalSources()
    }

    /// Every path registered now, for tests.
    package static var registeredPaths: [String] { registry.all() }

    /// A way to stop registered paths from being removed by a signal.
    public struct Registration: Sendable, Hashable {
        let id: Int

        /// Removes the registered paths now (whatever is there) and forgets them.
        public func remove() {
            for path in registry.paths(of: id) { TemporaryFiles.removeItem(atPath: path) }
            registry.forget(id)
        }

        /// Forgets the registered paths and leaves them where they are.
        public func keep() {
            registry.forget(id)
        }
    }

    /// Makes and registers a folder named `name-` and random letters in `parent`, with mode 0700.
    private static func makeFolder(in parent: URL, name: String, error: (String) -> QuillError) throws -> TemporaryFolder {
        var lastError: Int32 = EEXIST
        for _ in 0..<16 {
            let letters = String(UInt64.random(in: .min ... .max), radix: 36) + String(UInt32.random(in: .min ... .max), radix: 36)
            let url = parent.appendingPathComponent("\(name)-\(letters)", isDirectory: true)
            // Registered before it exists, so that no moment is left in which a signal would leave
            // it behind; a name already taken is forgotten, not removed.
            let registration = register([url])
            guard mkdir(url.path, 0o700) == 0 else {
                lastError = errno
                registration.keep()
                if lastError == EEXIST { continue }
                break
            }
            // The umask can only take permissions away; 0700 is set whatever it is.
            guard chmod(url.path, 0o700) == 0 else {
                lastError = errno
                registration.remove()
                break
            }
            return TemporaryFolder(url: url, registration: registration)
        }
        throw error(String(cString: strerror(lastError)))
    }

    /// Creates a new file (never an existing one, never through a link) with the bytes.
    /// - Parameter exactMode: whether `mode` is set as it is, rather than less the umask.
    /// - Throws: `POSIXError`.
    static func createFile(at url: URL, contents: Data, mode: mode_t, exactMode: Bool) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32 = 0
        contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = writeBytes(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0 && exactMode && fchmod(descriptor, mode) != 0 { failure = errno }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(url.path)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
    }

    /// Removes a file or a folder with everything in it, never following a link out of it.
    static func removeItem(atPath path: String) {
        guard let kind = try? FileKind(atPath: path) else { return }
        if kind == .folder {
            // The folder is ours: make sure it can be listed and emptied even if a program
            // made it read-only.
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                removeItem(atPath: path + "/" + name)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    private static let registry = Registry()
}

/// What a path is, the link itself when it is a link (as `lstat(2)` says).
enum FileKind: Equatable {
    case file, folder, link, other

    /// - Throws: Foundation's error when nothing is there or it cannot be looked at.
    init(atPath path: String) throws {
        switch try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType {
        case .typeRegular?: self = .file
        case .typeDirectory?: self = .folder
        case .typeSymbolicLink?: self = .link
        default: self = .other
        }
    }
}

/// `write(2)`, which the name of ``TemporaryFiles/write(_:to:)`` hides inside the type.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// A private folder made by ``TemporaryFiles``: mode 0700, removed by a signal until it is
/// removed or kept.
public struct TemporaryFolder: Sendable {
    /// Where the folder is.
    public let url: URL
    let registration: TemporaryFiles.Registration

    /// Creates a new file in the folder with the bytes and mode 0600.
    /// - Returns: the file's URL.
    /// - Throws: `QuillError.fileNotWritable` naming the file.
    @discardableResult
    public func createFile(named name: String, contents: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        do {
            try TemporaryFiles.createFile(at: file, contents: contents, mode: 0o600, exactMode: true)
        } catch let error as POSIXError {
            throw QuillError.fileNotWritable(path: file.path, reason: String(cString: strerror(error.code.rawValue)))
        }
        return file
    }

    /// Removes the folder and everything in it.
    public func remove() {
        registration.remove()
    }

    /// Leaves the folder and what is in it after the command, as a kept sheet is left.
    public func keep() {
        registration.keep()
    }
}

/// The registered paths and the signal sources, shared by every thread.
private final class Registry: @unchecked Sendable {
    private let lock = NSLock()
    private var registered: [Int: [String]] = [:]
    private var nextID = 0
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "quill.signals")

    func add(_ paths: [String]) -> Int {
        lock.withLock {
            nextID += 1
            registered[nextID] = paths
            return nextID
        }
    }

    func paths(of id: Int) -> [String] {
        lock.withLock { registered[id] ?? [] }
    }

    func forget(_ id: Int) {
        _ = lock.withLock { registered.removeValue(forKey: id) }
    }

    func all() -> [String] {
        lock.withLock { registered.keys.sorted().flatMap { registered[$0] ?? [] } }
    }

    func installSignalSources() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM, SIGHUP] {
                let previous = signal(number, SIG_IGN)
                if let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [unowned self] in self.end(by: number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Removes every registered path and ends the process, without running anything else:
    /// another thread may be in the middle of a write.
    private func end(by number: Int32) -> Never {
        // The lock is kept, so nothing can be registered between the removal and the end.
        lock.lock()
        for id in registered.keys.sorted() {
            for path in registered[id] ?? [] { TemporaryFiles.removeItem(atPath: path) }
        }
        _exit(128 + number)
    }
}
