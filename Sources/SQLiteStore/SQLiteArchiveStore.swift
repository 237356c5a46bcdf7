import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// The SQLite archive backend, through GRDB: one file in WAL mode, migrations by identifier, one transaction
/// per page.
///
/// ```swift
/// let store = try SQLiteArchiveStore(path: "skald-archive/archive.sqlite")   // creates the directory
/// try await store.storeMessagePage(page)
/// ```
public final class SQLiteArchiveStore: ArchiveStore {
    /// Settings of a SQLite store.
    public struct Configuration: Sendable {
        /// How long a connection waits for another process's lock before failing.
        public var busyTimeout: TimeInterval = 10
        /// The clock for the times the store records on its own (first seen, updated, history).
        public var now: @Sendable () -> Date = { Date() }

        /// Default settings.
        public init() {}
    }

    let writer: any DatabaseWriter
    let now: @Sendable () -> Date
    /// Channel leases within this process: one process writes a SQLite archive (see ``LocalChannelLeases``).
    let leases = LocalChannelLeases<ContinuousClock>()
    /// Checkpoints after each file a direct import committed, off the import's path (a file archive only).
    let importCheckpoints: ImportCheckpointer?

    /// Opens (creating it and its parent directories if needed) the archive at `path`, in WAL mode with
    /// `synchronous=NORMAL`, foreign keys on and a busy timeout, and migrates it to the current schema.
    /// - Throws: ``ArchiveStoreError/unsupportedSchema(_:)`` when a newer Skald wrote the file.
    public convenience init(path: String, configuration: Configuration = Configuration()) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let pool = try Self.openPool(path: url.path, configuration: Self.grdbConfiguration(configuration))
        try self.init(writer: pool, configuration: configuration)
    }

    /// Opens the pool, once more after an immediate `SQLITE_BUSY`. Processes creating the same new archive at once
    /// (`skald archive --media` three times) each switch it to WAL; when two of them hold a shared lock and both
    /// want the exclusive one, SQLite answers one "database is locked" at once instead of calling its busy handler
    /// (waiting could never end). That process let go of its lock by failing, so on the next try its busy handler
    /// waits for the other one, which then finishes.
    private static func openPool(path: String, configuration: GRDB.Configuration) throws -> DatabasePool {
        do {
            return try racingOtherProcesses(onlyWhenBusy: true) {
                try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            throw SQLiteFailure.fullOrSame("open the archive", error, path: path)
        }
    }

    /// Runs `body` up to four times while it fails with a `DatabaseError` (`SQLITE_BUSY` only when `onlyWhenBusy`):
    /// a race between processes opening one new archive, which the loser wins on its next try (see
    /// ``openPool(path:configuration:)`` and the migrations in ``init(writer:configuration:)``).
    private static func racingOtherProcesses<T>(onlyWhenBusy: Bool, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where attempt < 4 {
                guard !onlyWhenBusy || error.resultCode == .SQLITE_BUSY else { throw error }
                attempt += 1
            }
        }
    }

    /// An archive in memory, gone when the store is released (tests, dry runs).
    public static func inMemory(configuration: Configuration = Configuration()) throws -> SQLiteArchiveStore {
        try SQLiteArchiveStore(
            writer: DatabaseQueue(configuration: grdbConfiguration(configuration)), configuration: configuration)
    }

    /// A store over a database that is already migrated (or read-only): nothing is run.
    init(existingWriter writer: any DatabaseWriter, configuration: Configuration) {
        self.writer = writer
        self.now = configuration.now
        self.importCheckpoints = nil
    }

    init(writer: any DatabaseWriter, configuration: Configuration) throws {
        self.writer = writer
        self.now = configuration.now
        self.importCheckpoints = writer is DatabasePool ? ImportCheckpointer(path: writer.path) : nil
        let migrator = ArchiveMigrations.migrator
        if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
            throw ArchiveStoreError.unsupportedSchema(
                "the archive was written by a newer Skald (unknown migrations); upgrade Skald to open it")
        }
        // Several processes opening a new archive at once (`skald archive --media` three times) race: GRDB reads
        // the applied migrations before taking the write lock, so a slower process may run a migration another
        // one just committed ("table guild already exists"). Each migration commits alone or not at all, so the
        // slower process reruns the migrator, which then sees what was applied.
        do {
            try Self.racingOtherProcesses(onlyWhenBusy: false) { try migrator.migrate(writer) }
        } catch {
            throw SQLiteFailure.fullOrSame("migrate the archive", error, path: writer.path)
        }
    }

    static func grdbConfiguration(_ configuration: Configuration) -> GRDB.Configuration {
        SQLiteProcessSettings.apply()
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(configuration.busyTimeout)
        config.label = "skald-archive"
        config.prepareDatabase { db in
            // A new file only (an existing one keeps its page size): rows of about 1.3 KB fill 16 KiB pages
            // better than 4 KiB ones (12% smaller at 100,000 simulator messages), and a group of pages touches
            // fewer pages. Before the journal mode is set, which fixes it.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Statement journals (an upsert or a trigger inside a group's transaction) in memory, not in temporary
            // files: they spill to disk after 64 KiB, four pages of 16 KiB, which cost a million `pwrite`s per
            // 100,000 archived messages.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // The writer's page cache: 32 MiB instead of 2 MiB (125 pages of 16 KiB), so the pages an archive run
            // keeps touching (the ends of the message table and its indexes, the full-text index's segments) stay
            // in memory instead of being read again from the file (a tenth of the archive's CPU went to `pread`).
            // 64 MiB since the groups reach 256 pages: a group of ≈ 18,500 messages dirties ≈ 20 MB of new rows
            // besides the index leaves it inserts into (`message_author` alone is 28 MB at 1M messages), so with
            // 32 MiB the writer read ≈ 2 GB of evicted pages back per 1M messages archived (issue 16, part I).
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -65536") }
            // The WAL is copied back into the file when it holds 4,096 pages (64 MiB of 16 KiB pages) instead of
            // SQLite's 1,000: a checkpoint writes each page it holds once, however many commits rewrote it, and
            // every commit of an archive run rewrites the leaves of the indexes it inserts into (`message_author`
            // most: one insertion point per author and channel). Checkpoint writes fell from 1.85× to 1.28×
            // the database's size; the commits stay as atomic and durable as before (a checkpoint only moves
            // committed pages). Every 16,384 pages (256 MiB) since the page groups reach 64 pages: the WAL frames per
            // message fell, so the checkpoints' copies became the larger share of the bytes written (see the README,
            // issue 16, part F).
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384") }
            // Debian's libsqlite3 is built with SQLITE_SECURE_DELETE: every byte a B-tree frees (the cells a page
            // split moves, the pages a full-text merge frees) is overwritten with zeros first. Skald deletes no
            // archived data (an edit adds a revision, a deletion marks a tombstone), so this only cost CPU: in the
            // write replay, 3.7% of SQLite's instructions, half of them `memset` (README, issue 16, part S).
            // Upstream SQLite's default, and macOS's build's, is OFF.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA secure_delete = OFF") }
        }
        return config
    }

    /// The SQLite journal mode in effect (`wal` for an on-disk archive).
    public func journalMode() async throws -> String {
        try await writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Does nothing: the initializer opened and migrated the archive (see ``StoreLifecycle/open()``).
    public func open() async throws {}

    /// The migration identifiers applied to the database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { try ArchiveMigrations.migrator.appliedMigrations($0) }
    }

    /// Waits for an import's checkpoint still running, folds the WAL into the file and empties it (``emptyWAL()``),
    /// then closes the connections: the last one to close removes the `-wal` and `-shm` files when no other process
    /// has the archive open. The store cannot be used afterwards (``StoreLifecycle/close()``); a use throws.
    ///
    /// Closing only when the store was released left both files beside the archive after every `archive` and
    /// `watch`: a command returns from `main` with its store still referenced, and the process exits without
    /// releasing it.
    public func close() async {
        await importCheckpoints?.idle()
        await emptyWAL()
        let path = writer.path
        guard (try? writer.close()) != nil, writer is DatabasePool, !writer.configuration.readonly else { return }
        // GRDB closes the writer first and the read-only readers last, and a read-only connection cannot remove the
        // WAL (all 3 connections closed, both files stayed): one writable connection, opened and closed alone, does.
        // Never where the archive is gone (deleted under the run): opening would create an empty one there.
        guard FileManager.default.fileExists(atPath: path), FileManager.default.fileExists(atPath: path + "-wal")
        else { return }
        _ = try? DatabaseQueue(path: path)
    }

    deinit { importCheckpoints?.wait() }

    /// Runs raw SQL outside a transaction (tests and maintenance only).
    func execute(_ sql: String) async throws {
        try await writer.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    /// The first column of each row of a raw query, as text (tests and maintenance only).
    func texts(_ sql: String) async throws -> [String] {
        try await writer.read { try String.fetchAll($0, sql: sql) }
    }

    /// The steps of the plan SQLite makes for a query (`EXPLAIN QUERY PLAN`: tests only, which index it uses).
    func queryPlan(_ sql: String) async throws -> [String] {
        try await writer.read { try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] } }
    }

    /// The first column of each row of a raw query on the writer's connection, as text (tests and maintenance only:
    /// the writer's own settings, such as `PRAGMA wal_autocheckpoint`).
    func writerTexts(_ sql: String) async throws -> [String] {
        try await writer.writeWithoutTransaction { try String.fetchAll($0, sql: sql) }
    }

    /// Runs `body` in one write transaction, mapping database failures to ``ArchiveStoreError``.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.writeWithoutTransaction { db in try Self.committed(db, body) }
        } catch {
            throw SQLiteFailure.storeError(what, error, path: writer.path)
        }
    }

    /// Runs `body` in one write transaction like ``write(_:_:)``, with SQLite's foreign-key checks off for that
    /// transaction only: for the message writer, whose child rows (attachments, reactions, revisions) name a message
    /// it wrote or read earlier in the same transaction (``MessagePagePlanner`` plans them only for those), and no
    /// message row is ever deleted, so the per-row probe of `message`'s primary key (a b-tree descent for each child
    /// row: 3,300 instructions, 2.6% of SQLite's write work on the quick `cpu` world) can never fail. The keys stay in
    /// the schema and every other write checks them. `PRAGMA foreign_keys` is a no-op inside a transaction, so it is
    /// switched around it, and back on even when `body` throws.
    func writeMessages<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                return try Self.committed(db, body)
            }
        } catch {
            throw SQLiteFailure.storeError(what, error, path: writer.path)
        }
    }

    /// Runs `body` in one transaction on `db` and commits it: GRDB's `write`, with the connection's errno kept on a
    /// failure (a full disk or a file-size limit: ``SQLiteFailure``).
    private static func committed<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try SQLiteFailure.capturingErrno(db) {
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            // Set: `inTransaction` returned without throwing, so `body` ran to its end.
            return result!
        }
    }

    /// Runs `body` in a read transaction, mapping database failures to ``ArchiveStoreError``.
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as ArchiveStoreError {
            throw error
        } catch {
            throw ArchiveStoreError.database("could not \(what)", underlying: error)
        }
    }
}
