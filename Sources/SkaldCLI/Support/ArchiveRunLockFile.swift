import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run at a time per SQLite archive and subject (`skald mirror` per target, `skald watch` per gateway shard): an
/// exclusive `flock` on a file beside the archive, held for the run and released by the kernel when the process ends,
/// even by SIGKILL. The file holds the holder's pid.
///
/// Two mirrors on the same webhooks would share buckets neither knows about (429s), and a resend check could not
/// tell the other run's messages from a killed run's: a second mirror waits for the first to finish, then plans
/// again from what the first recorded. Two watches would resume the same stored gateway session in turn, each one's
/// resume ending the other's connection, thousands of times a minute: a second watch gives up at once (its
/// `waiting` throws).
final class ArchiveRunLockFile {
    private let handle: FileHandle
    /// The lock file.
    let path: String

    private init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
    }

    /// The lock file of `archive` for `subject` (`mirror-fluxer-1`, `watch-0-1`): beside the archive, its name made
    /// of letters, digits and dashes.
    static func path(archive: String, subject: String) -> String {
        archive + "." + String(subject.map { $0.isLetter || $0.isNumber ? $0 : "-" }) + ".lock"
    }

    /// Takes the lock of `archive` + `subject`, waiting while another process holds it; `waiting` is called once
    /// with the holder's pid (as written in the file) when the lock is busy, and throws to give up instead.
    static func acquire(
        archive: String, subject: String, waiting: (String) throws -> Void,
        sleep: () async throws -> Void = { try await ContinuousClock().sleep(for: .milliseconds(250)) }
    ) async throws -> ArchiveRunLockFile {
        let path = path(archive: archive, subject: subject)
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure.Message("cannot open the lock file \(path): check that its folder is writable")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if !announced {
                announced = true
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                try waiting(holder.map { $0.isEmpty ? "unknown" : $0 } ?? "unknown")
            }
            try await sleep()
        }
        _ = ftruncate(descriptor, 0)
        let pid = Data("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return ArchiveRunLockFile(handle: handle, path: path)
    }

    /// Releases the lock (closing the file also does).
    func release() {
        _ = flock(handle.fileDescriptor, LOCK_UN)
    }

    deinit { _ = flock(handle.fileDescriptor, LOCK_UN) }
}
