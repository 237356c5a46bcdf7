import ArchiveStore
import FileSafety
import Foundation
import GRDB
import GRDBSQLite

/// A database failure on a connection, with the `errno` of the last system call that failed there: SQLite reports
/// `SQLITE_FULL` for `ENOSPC` and `SQLITE_IOERR_WRITE` for the other refused writes (`EFBIG`, `EDQUOT`), and only
/// the connection knows which one it saw.
struct SQLiteFailure: Error {
    /// GRDB's error.
    let error: DatabaseError
    /// `sqlite3_system_errno` right after the failure (0 when SQLite kept none).
    let systemErrno: Int32

    /// Runs `body` on `db`; a ``DatabaseError`` leaves as a ``SQLiteFailure`` carrying the connection's `errno`.
    static func capturingErrno<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw SQLiteFailure(error: error, systemErrno: sqlite3_system_errno(db.sqliteConnection))
        }
    }

    /// The store's error for a failure of `what` on the archive at `path`: a refused write for want of room in
    /// ``StorageFull``'s words (``ArchiveStoreError/full(_:storage:underlying:)``), anything else as a database error.
    static func storeError(_ what: String, _ error: any Error, path: String) -> ArchiveStoreError {
        if let error = error as? ArchiveStoreError { return error }
        let failure = error as? SQLiteFailure
        guard let database = failure?.error ?? error as? DatabaseError else {
            return .database("could not \(what)", underlying: error)
        }
        if let limit = limit(of: database, systemErrno: failure?.systemErrno ?? 0, path: path) {
            return .full("could not \(what) in \(path)", storage: StorageFull(limit, path: path), underlying: database)
        }
        return .database("could not \(what)", underlying: database)
    }

    /// `error` as a full-storage ``ArchiveStoreError`` when it is one (opening or migrating an archive on a full
    /// disk), else `error` itself.
    static func fullOrSame(_ what: String, _ error: any Error, path: String) -> any Error {
        guard let database = (error as? SQLiteFailure)?.error ?? error as? DatabaseError,
            let limit = limit(of: database, systemErrno: (error as? SQLiteFailure)?.systemErrno ?? 0, path: path)
        else { return error }
        return ArchiveStoreError.full(
            "could not \(what) \(path)", storage: StorageFull(limit, path: path), underlying: database)
    }

    /// The limit a failed write reached, or nil when the failure is not one of room.
    static func limit(of error: DatabaseError, systemErrno: Int32, path: String) -> StorageFull.Limit? {
        if let limit = StorageFull.limit(errno: systemErrno),
            error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR
        {
            return limit
        }
        // A refused write with no errno kept (`SQLITE_IOERR` while opening): only a file-size limit can be told.
        if error.resultCode == .SQLITE_IOERR { return reachedFileSizeLimit(path) ? .fileSize : nil }
        guard error.resultCode == .SQLITE_FULL else { return nil }
        // A write cut short (the first one past a file-size limit writes up to it) is `SQLITE_FULL` with no errno
        // kept: tell the limit from a full disk by the files' sizes.
        return reachedFileSizeLimit(path) ? .fileSize : .noSpace
    }

    /// Whether the archive's file, WAL or journal is within a page of the process's file-size limit (`ulimit -f`).
    static func reachedFileSizeLimit(_ path: String) -> Bool {
        var limit = rlimit()
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        #else
            let resource = RLIMIT_FSIZE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return false }
        return [path, path + "-wal", path + "-journal"].contains { file in
            var status = stat()
            return stat(file, &status) == 0 && UInt64(status.st_size) + 65_536 >= UInt64(limit.rlim_cur)
        }
    }
}
