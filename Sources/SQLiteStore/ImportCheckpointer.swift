import Foundation
import GRDBSQLite

/// Copies an archive's WAL back into its file on a thread of its own after a direct import committed a file, so
/// the copy (a file's whole size, once more) and its two `fdatasync`s leave the import's path: the next file is
/// read and inserted meanwhile. A checkpoint runs `PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own: it
/// copies what was committed before it started and never waits for, nor blocks, the writer or a reader.
///
/// A checkpoint that cannot run (another one in progress, in this or another process) copies nothing: a later one,
/// the writer's own (``SQLiteArchiveStore``'s `wal_autocheckpoint`, restored after each import) or the one SQLite
/// runs when the last connection closes, copies it. Nothing here changes what a commit makes durable.
final class ImportCheckpointer: @unchecked Sendable {
    /// The archive's file.
    let path: String
    /// The WAL bytes past which a direct import waits for the checkpoint behind it and finishes it before it
    /// begins, so its transaction starts the WAL again (1 GiB; tests set less).
    var walLimit: Int {
        get {
            condition.lock()
            defer { condition.unlock() }
            return limit
        }
        set {
            condition.lock()
            limit = newValue
            condition.unlock()
        }
    }
    private let condition = NSCondition()
    /// See ``walLimit`` (guarded by ``condition``).
    private var limit = 1 << 30
    /// Whether the thread is running (guarded by ``condition``).
    private var running = false
    /// Tasks waiting in ``idle()`` until no checkpoint runs (guarded by ``condition``).
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Whether a checkpoint was asked for while one ran: the thread runs one more (guarded by ``condition``).
    private var requested = false

    /// A checkpointer for the archive at `path` (in WAL mode).
    init(path: String) { self.path = path }

    /// Starts a checkpoint of everything committed so far (or, while one runs, one more after it).
    func request() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else {
            requested = true
            return
        }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = "skald-import-checkpoint"
        thread.start()
    }

    /// Blocks the calling thread until no checkpoint runs (its connection closed): for the writer's own
    /// connection, which must not start an import's transaction under a running copy, and the store's `deinit`.
    func wait() {
        condition.lock()
        while running { condition.wait() }
        condition.unlock()
    }

    /// Suspends, without blocking a thread, until no checkpoint runs (its connection closed): the store waits so
    /// before it closes, so the process never ends in the middle of one (harmless, but the WAL would be left for
    /// the next opening).
    func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if running {
                waiters.append(continuation)
                condition.unlock()
            } else {
                condition.unlock()
                continuation.resume()
            }
        }
    }

    private func run() {
        while true {
            checkpoint()
            condition.lock()
            if requested {
                requested = false
                condition.unlock()
                continue
            }
            running = false
            let resumed = waiters
            waiters.removeAll()
            condition.broadcast()
            condition.unlock()
            for waiter in resumed { waiter.resume() }
            return
        }
    }

    /// One passive checkpoint on a connection opened for it (synced as the store's writer syncs).
    private func checkpoint() {
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK
        else { return }
        sqlite3_exec(connection, "PRAGMA synchronous = NORMAL", nil, nil, nil)
        sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
