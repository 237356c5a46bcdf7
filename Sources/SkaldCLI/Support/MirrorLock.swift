import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `skald mirror` at a time per archive and target: an exclusive `flock` on a file beside the SQLite archive,
/// held for the run and released by the kernel when the process ends, even by SIGKILL.
///
/// Two runs on the same webhooks would share buckets neither knows about (429s), and a resend check could not
/// tell the other run's messages from a killed run's. A second run waits for the first to finish, then plans
/// again from what the first recorded.
final class MirrorLock {
    private let handle: FileHandle
    /// The lock file.
    let path: String

    private init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
    }

    /// Takes the lock of `archive` + `target`, waiting while another process holds it; `waiting` is called once
    /// with the holder's pid (as written in the file) when the lock is busy.
    static func acquire(
        archive: String, target: String, waiting: (String) -> Void,
        sleep: () async throws -> Void = { try await ContinuousClock().sleep(for: .milliseconds(250)) }
    ) async throws -> MirrorLock {
        let safeTarget = target.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let path = archive + ".mirror-\(String(safeTarget)).lock"
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure.Message("mirror: cannot open the lock file \(path): check that its folder is writable")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if !announced {
                announced = true
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                waiting(holder.map { $0.isEmpty ? "unknown" : $0 } ?? "unknown")
            }
            try await sleep()
        }
        _ = ftruncate(descriptor, 0)
        let pid = Data("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return MirrorLock(handle: handle, path: path)
    }

    /// Releases the lock (closing the file also does).
    func release() {
        _ = flock(handle.fileDescriptor, LOCK_UN)
    }

    deinit { _ = flock(handle.fileDescriptor, LOCK_UN) }
}
