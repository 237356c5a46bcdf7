import Foundation
import Synchronization

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
///
/// The file is removed when the lock is let go, so a clean end leaves nothing beside the archive (a killed run leaves
/// it, and the next run reuses it). Removing a lock file has a classic race: a second process that opened the file
/// before it was removed waits on, then locks, a file no path names any more, while a third creates a new one at
/// the path and locks that. So the file is removed only while the lock is held, and a process that takes the lock
/// checks that the path still names the file it locked (device and inode), and opens the path again if not.
public final class RunLockFile: Sendable {
    private let handle: FileHandle
    /// The lock file.
    public let path: String
    /// Whether the lock was let go (and the file removed).
    private let released = Mutex(false)

    private init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
    }

    /// The lock file of `archive` for `subject` (`mirror-fluxer-1`, `watch-0-1`): beside the archive, its name made
    /// of letters, digits and dashes.
    public static func path(archive: String, subject: String) -> String {
        archive + "." + String(subject.map { $0.isLetter || $0.isNumber ? $0 : "-" }) + ".lock"
    }

    /// Takes the lock of `archive` + `subject`, waiting while another process holds it; `waiting` is called once
    /// with the holder's pid (as written in the file) when the lock is busy, and throws to give up instead.
    public static func acquire(
        archive: String, subject: String, waiting: (String) throws -> Void,
        sleep: () async throws -> Void = { try await ContinuousClock().sleep(for: .milliseconds(250)) }
    ) async throws -> RunLockFile {
        let path = path(archive: archive, subject: subject)
        var announced = false
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
            guard descriptor >= 0 else {
                throw FileSafetyError.cannotCreate(path, cause: FileProblem.describe(errno: errno))
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if !announced {
                    announced = true
                    let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    try waiting(holder.map { $0.isEmpty ? "unknown" : $0 } ?? "unknown")
                }
                try await sleep()
            }
            // The holder removed the file while this process waited on it: the lock is the file at the path now.
            guard let locked = FileIdentity(descriptor: descriptor), FileIdentity(path: path) == locked else {
                continue
            }
            _ = ftruncate(descriptor, 0)
            let pid = Data("\(getpid())\n".utf8)
            _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            return RunLockFile(handle: handle, path: path)
        }
    }

    /// Removes the lock file and releases the lock (in this order: a process waiting on the file then finds it
    /// removed and opens the path again). Closing the file also releases it, without removing it.
    public func release() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        guard first else { return }
        _ = unlink(path)
        _ = flock(handle.fileDescriptor, LOCK_UN)
    }

    deinit { release() }
}
