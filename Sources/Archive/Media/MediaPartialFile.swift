import FileSafety
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A download in progress: `media/.partial-<attachment>-<unique>`, created exclusively and locked (`flock`) while
/// it is written, so several `skald archive --media` processes on one archive never share or delete each other's
/// partial files, and a partial file nobody holds (left by a killed run) can be recognised and removed.
struct MediaPartialFile {
    static let prefix = ".partial-"

    let path: String
    let handle: FileHandle

    /// Creates and locks a new partial file for `attachment` in `directory`.
    static func create(in directory: String, attachment: some CustomStringConvertible) throws -> MediaPartialFile {
        try FileDestination.createFolder(directory)
        while true {
            let unique = UUID().uuidString.lowercased()
            let temporary = try FileDestination.createExclusively("\(directory)/\(prefix)\(attachment)-\(unique)")
            _ = flock(temporary.handle.fileDescriptor, LOCK_EX)
            // Between the creation and the lock the file is held by nobody, so another run's `removeAbandoned` may
            // have unlinked it: keep it only if its name still leads to it, else make another.
            if stillNamed(temporary.path, descriptor: temporary.handle.fileDescriptor) {
                return MediaPartialFile(path: temporary.path, handle: temporary.handle)
            }
            try? temporary.handle.close()
        }
    }

    private static func stillNamed(_ path: String, descriptor: Int32) -> Bool {
        var named = stat()
        var open = stat()
        guard stat(path, &named) == 0, fstat(descriptor, &open) == 0 else { return false }
        return named.st_dev == open.st_dev && named.st_ino == open.st_ino
    }

    /// Closes (and so unlocks) the file after it was renamed into place.
    func close() { try? handle.close() }

    /// Removes the file and closes it.
    func discard() {
        unlink(path)
        try? handle.close()
    }

    /// Removes the partial files in `directory` that no running process holds (left by an interrupted or killed
    /// run). Returns how many were removed.
    @discardableResult
    static func removeAbandoned(in directory: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let path = "\(directory)/\(name)"
            guard FileDestination.kind(at: path) == .regularFile else { continue }
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            // Held by a process that is writing it: leave it.
            guard flock(handle.fileDescriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
