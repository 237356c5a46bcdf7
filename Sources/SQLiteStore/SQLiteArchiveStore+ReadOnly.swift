import ArchiveStore
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// Opens an existing archive for reading only (`stats`, `export`, `verify`): nothing is created, migrated or
    /// written, so an archive on a read-only mount, or a read-only file, can be read. A WAL archive whose folder
    /// cannot hold the `-shm` index is opened as immutable (SQLite's `immutable=1`).
    /// - Throws: ``ArchiveStoreError`` when the file is missing, not an archive, written by a newer Skald, or
    ///   written by an older one (a writing command such as `skald archive` upgrades it).
    public static func openForReading(path: String, configuration: Configuration = Configuration()) throws
        -> SQLiteArchiveStore
    {
        try openForReading(path: path, configuration: configuration, plainFirst: true)
    }

    /// ``openForReading(path:configuration:)``; without `plainFirst`, straight to what it does when SQLite cannot
    /// create the `-shm` index (tests, which run where every folder is writable).
    static func openForReading(path: String, configuration: Configuration, plainFirst: Bool) throws
        -> SQLiteArchiveStore
    {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ArchiveStoreError.database(
                "no archive at \(path)", underlying: CocoaError(.fileReadNoSuchFile))
        }
        SQLiteProcessSettings.apply()
        var config = GRDB.Configuration()
        config.readonly = true
        config.busyMode = .timeout(configuration.busyTimeout)
        config.label = "skald-archive-readonly"
        func open(_ name: String) throws -> DatabaseQueue {
            let queue = try DatabaseQueue(path: name, configuration: config)
            try queue.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        }
        let queue: DatabaseQueue
        if plainFirst, let plain = try? open(path) {
            queue = plain
        } else {
            // A WAL database needs its -shm index beside it; on a read-only file system nothing can create it.
            // `immutable=1` reads the main file alone: right when the WAL is empty, but with committed pages still in
            // the WAL (a writer ended without folding them in) it would read an older archive, or an empty file, as
            // if it were the whole one.
            if let walSize = try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int,
                walSize > 0
            {
                throw ArchiveStoreError.unsupportedOperation(
                    "cannot read the archive at \(path) here: its latest writes are in \(path)-wal, which SQLite "
                        + "reads only through an index file (\(path)-shm) it cannot create, as the folder is "
                        + "read-only. Make the folder writable, or copy the archive's files (\(path) and "
                        + "\(path)-wal) to a writable folder and read the copy")
            }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            do {
                queue = try open("file:\(encoded)?immutable=1")
            } catch {
                throw ArchiveStoreError.database("cannot read the archive at \(path)", underlying: error)
            }
        }
        return try SQLiteArchiveStore(readOnly: queue, path: path, configuration: configuration)
    }

    private convenience init(readOnly reader: DatabaseQueue, path: String, configuration: Configuration) throws {
        let migrator = ArchiveMigrations.migrator
        let (superseded, completed) = try reader.read {
            (try migrator.hasBeenSuperseded($0), try migrator.hasCompletedMigrations($0))
        }
        if superseded {
            throw ArchiveStoreError.unsupportedSchema(
                "the archive at \(path) was written by a newer Skald (unknown migrations); upgrade Skald to open it")
        }
        if !completed {
            throw ArchiveStoreError.unsupportedSchema(
                "the archive at \(path) is not a Skald archive, or was written by an older Skald: run "
                    + "`skald archive` on it once (it upgrades the file) and read it again")
        }
        self.init(existingWriter: reader, configuration: configuration)
    }
}
