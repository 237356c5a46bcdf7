import Foundation
import GRDB
import GRDBSQLite

extension SQLiteArchiveStore {
    /// What ``emptyWAL()`` did.
    public enum WALOutcome: Sendable, Hashable {
        /// Every frame is in the database file and the WAL is truncated to zero bytes.
        case emptied
        /// A reader of another connection (`skald serve` on the same file) still uses frames of the WAL: what could
        /// be copied was, the WAL keeps its size (the last connection to close folds it in).
        case inUse
        /// Not a WAL file this store writes (in memory, read-only), or SQLite refused the checkpoint.
        case skipped
    }

    /// Copies the WAL into the database file and truncates it to zero bytes (`wal_checkpoint(TRUNCATE)`), so that
    /// a command that ends leaves the archive, not up to 256 MiB of WAL beside it (`wal_autocheckpoint` lets it grow
    /// that far during a run). Called by ``close()``, at the clean end of every writing command and after SIGTERM's
    /// clean stop.
    ///
    /// Crash safety is SQLite's: a checkpoint copies committed frames only, syncs the database file before it
    /// truncates the log, and a kill at any instant leaves either the frames or the copied pages. It never waits for
    /// readers: with the busy handler off for the call, a reader of another process holding an older snapshot makes
    /// SQLite stop at what it could copy (as a passive checkpoint does) and answer `SQLITE_BUSY`; that reader goes on
    /// reading its snapshot, and the WAL stays until the last connection closes.
    @discardableResult
    public func emptyWAL() async -> WALOutcome {
        guard writer is DatabasePool, !writer.configuration.readonly else { return .skipped }
        let outcome = try? await writer.writeWithoutTransaction { db -> WALOutcome in
            let connection = db.sqliteConnection
            var waitMilliseconds: Int32 = 0
            if case .timeout(let seconds) = db.configuration.busyMode { waitMilliseconds = Int32(seconds * 1000) }
            sqlite3_busy_timeout(connection, 0)
            defer { sqlite3_busy_timeout(connection, waitMilliseconds) }
            switch sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil) {
            case SQLITE_OK: return .emptied
            case SQLITE_BUSY: return .inUse
            default: return .skipped
            }
        }
        return outcome ?? .skipped
    }
}
