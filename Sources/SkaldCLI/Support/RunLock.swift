import FileSafety
import PostgresStore
import SkaldConfiguration

/// A held run lock of an archive, whichever backend holds it: ``RunLockFile`` beside an SQLite archive,
/// ``PostgresRunLock`` (a session advisory lock, which also excludes runs on other machines) on PostgreSQL.
struct RunLock {
    /// Lets the lock go.
    let release: () -> Void

    /// Takes the lock of `kind` + `subject` (a mirror's target, a watch's shard) on the archive at `location`,
    /// waiting while another process holds it. `waiting` is called once with the holder (`pid N`, or `server pid N`
    /// on PostgreSQL) when the lock is busy, and throws to give up instead of waiting.
    static func acquire(
        _ location: DatabaseLocation, kind: PostgresRunLock.Kind, subject: String,
        waiting: @escaping @Sendable (String) throws -> Void
    ) async throws -> RunLock {
        switch location {
        case .sqlite(let path):
            let lock = try await RunLockFile.acquire(archive: path, subject: "\(kind.rawValue)-\(subject)") {
                try waiting("pid \($0)")
            }
            return RunLock { lock.release() }
        case .postgres(let postgres):
            let lock = try await PostgresRunLock.acquire(
                configuration: StoreFactory.configuration(postgres), kind: kind, target: subject, waiting: waiting)
            return RunLock { Task { await lock.release() } }
        }
    }

    /// The locks of the gateway sessions `sessionKeys` (`0/1`, or a shard's `2/4`) on the archive at `location`, for
    /// `skald watch` and `skald bot`. Two captures of one session would resume it in turn, each resume ending the
    /// other's connection (thousands of resumes a minute): a capture that finds one held refuses at once, naming the
    /// other process. Waiting would never end, as a watch runs until stopped.
    static func liveCapture(_ location: DatabaseLocation, sessionKeys: [String], command: String) async throws
        -> [RunLock]
    {
        var held: [RunLock] = []
        do {
            for key in sessionKeys {
                held.append(
                    try await acquire(location, kind: .watch, subject: key) { holder in
                        throw CommandFailure.Message(
                            "\(command): another skald watch or bot (\(holder)) is capturing gateway session \(key) "
                                + "of the archive \(location): two would take the session from each other in turn. "
                                + "Stop the other one first, or give each process its own shards (--shards N "
                                + "--shard-ids A-B)")
                    })
            }
        } catch {
            for lock in held { lock.release() }
            throw error
        }
        return held
    }
}
