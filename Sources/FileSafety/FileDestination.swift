import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way Skald puts a finished file in place: written under a unique temporary name beside its destination,
/// then renamed over it, and only ever over a regular file. A folder, a symbolic link or a special file at the
/// destination is refused with nothing touched (a file written by Skald must never delete a user's folder).
///
/// ```swift
/// let temporary = try FileDestination.createTemporary(for: "out/chat.json")
/// try temporary.handle.write(contentsOf: bytes)
/// try temporary.handle.close()
/// try FileDestination.replace("out/chat.json", with: temporary.path)
/// ```
public enum FileDestination {
    /// What a path names, without following a final symbolic link.
    public enum Kind: Sendable, Equatable {
        /// Nothing.
        case missing
        /// A regular file: the only thing Skald replaces.
        case regularFile
        /// A folder.
        case folder
        /// A symbolic link (to a folder when `toFolder`).
        case symbolicLink(toFolder: Bool)
        /// A device, socket or pipe.
        case special

        /// A folder, or a symbolic link to one: somewhere files can be read from.
        public var isFolder: Bool {
            switch self {
            case .folder, .symbolicLink(toFolder: true): true
            default: false
            }
        }

        /// "a folder", "a symbolic link to a folder", … for messages.
        public var phrase: String {
            switch self {
            case .missing: "missing"
            case .regularFile: "a regular file"
            case .folder: "a folder"
            case .symbolicLink(let toFolder): toFolder ? "a symbolic link to a folder" : "a symbolic link"
            case .special: "a special file (device, socket or pipe)"
            }
        }
    }

    /// What is at `path`.
    public static func kind(at path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .folder
        case S_IFLNK:
            var target = stat()
            let toFolder = stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFDIR
            return .symbolicLink(toFolder: toFolder)
        default: return .special
        }
    }

    /// Throws unless `path` is free or a regular file Skald may replace.
    /// - Throws: ``FileSafetyError/notARegularFile(_:kind:)``.
    public static func checkReplaceable(_ path: String) throws {
        let kind = kind(at: path)
        guard kind == .missing || kind == .regularFile else {
            throw FileSafetyError.notARegularFile(path, kind: kind.phrase)
        }
    }

    /// A temporary file being written, and its open handle.
    public struct Temporary {
        /// Where it is.
        public let path: String
        /// Open for writing.
        public let handle: FileHandle
    }

    /// The hidden temporary name for `destination`'s file name: `.NAME.XXXXXXXX.tmp`, shortened to fit a name.
    static func temporaryName(for name: String, unique: String) -> String {
        ".\(FileName.truncated(name, toBytes: FileName.maxBytes - 14)).\(unique).tmp"
    }

    /// The prefix every temporary of `name` starts with (see ``removeLeftoverTemporaries(for:)``).
    static func temporaryPrefix(for name: String) -> String {
        ".\(FileName.truncated(name, toBytes: FileName.maxBytes - 14))."
    }

    /// Creates the destination's folder if needed, checks the destination may be replaced, and creates a new
    /// uniquely named, empty temporary file beside it (exclusively: two processes never share one), locked
    /// (`flock`) until its handle is closed, so ``removeLeftoverTemporaries(for:)`` in another process leaves it
    /// alone. Rename it with ``replace(_:with:)`` before closing the handle.
    /// - Throws: ``FileSafetyError`` with the cause in words.
    public static func createTemporary(for destination: String) throws -> Temporary {
        try checkReplaceable(destination)
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        try createFolder(folder)
        let unique = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
        let path = (folder as NSString).appendingPathComponent(
            temporaryName(for: url.lastPathComponent, unique: unique))
        let temporary = try createExclusively(path, reportedAs: destination)
        _ = flock(temporary.handle.fileDescriptor, LOCK_EX)
        return temporary
    }

    /// Creates a new file that must not exist yet, open for writing.
    /// - Throws: ``FileSafetyError/cannotCreate(_:cause:)`` naming `reportedAs` (the file the user asked for).
    public static func createExclusively(_ path: String, reportedAs shown: String? = nil) throws -> Temporary {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileSafetyError.cannotCreate(shown ?? path, cause: FileProblem.describe(errno: errno, at: path))
        }
        return Temporary(path: path, handle: FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    /// Creates a folder and its parents.
    /// - Throws: ``FileSafetyError/cannotCreate(_:cause:)``.
    public static func createFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw FileSafetyError.cannotCreate(folder, cause: "a file of that name is in the way")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileSafetyError.cannotCreate(
                folder, cause: whyFolderCannotBeCreated(folder) ?? FileProblem.describe(error, at: folder))
        }
    }

    /// Why `folder` cannot be created, found by looking at its nearest existing ancestor (Foundation's error often
    /// says only "error 512").
    public static func whyFolderCannotBeCreated(_ folder: String) -> String? {
        var ancestor = URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent()
        while ancestor.path != "/", kind(at: ancestor.path) == .missing {
            ancestor = ancestor.deletingLastPathComponent()
        }
        let path = ancestor.path
        switch kind(at: path) {
        case .folder, .symbolicLink(toFolder: true):
            return access(path, W_OK) == 0 ? nil : "\(path): \(FileProblem.describe(errno: errno))"
        case .missing: return nil
        case let other: return "\(path) is \(other.phrase), not a folder"
        }
    }

    /// Renames a finished temporary file over `destination`, atomically; the destination must be free or a regular
    /// file (checked again: it may have changed while the temporary was written). The temporary is removed when
    /// the rename is refused or fails.
    /// - Throws: ``FileSafetyError``.
    public static func replace(_ destination: String, with temporary: String) throws {
        do {
            try checkReplaceable(destination)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, destination) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileSafetyError.cannotReplace(destination, cause: FileProblem.describe(errno: code, at: destination))
        }
    }

    /// Writes `data` to `destination` through a temporary file and ``replace(_:with:)``.
    public static func write(_ data: Data, to destination: String) throws {
        let temporary = try createTemporary(for: destination)
        defer { try? temporary.handle.close() }
        do {
            try temporary.handle.write(contentsOf: data)
            try temporary.handle.synchronize()
        } catch {
            unlink(temporary.path)
            throw FileSafetyError.cannotReplace(destination, cause: FileProblem.describe(error, at: destination))
        }
        try replace(destination, with: temporary.path)
    }

    /// Removes the temporaries an interrupted earlier write of `destination` left beside it; one another process
    /// is still writing (it holds its lock) is left alone.
    /// - Returns: how many were removed.
    @discardableResult
    public static func removeLeftoverTemporaries(for destination: String) -> Int {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let prefix = temporaryPrefix(for: url.lastPathComponent)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") && name.count == prefix.count + 12 {
            let path = (folder as NSString).appendingPathComponent(name)
            guard kind(at: path) == .regularFile, let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            guard flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // being written
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
