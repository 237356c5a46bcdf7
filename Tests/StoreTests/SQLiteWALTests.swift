import ArchiveStore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import SQLiteStore

/// A writing command's end leaves the archive, not its WAL: ``SQLiteArchiveStore/close()`` folds the WAL into the
/// file and truncates it, and never fails or waits because another process (`skald serve`) reads the archive.
@Suite struct SQLiteWALTests {
    typealias ManyMessages = SQLiteImportCheckpointTests.ManyMessages

    static func walSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    }

    @Test func closeFoldsTheWALIntoTheFileAndTruncatesIt() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            _ = try await store.importDirectly(ManyMessages(first: 0, count: 1_000))
            #expect(Self.walSize(path) > 0)
            await store.close()
            #expect(Self.walSize(path) == 0)
            // The file alone holds every message.
            let copy = directory.appendingPathComponent("copy.sqlite").path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let alone = try SQLiteArchiveStore(path: copy)
            #expect(try await alone.texts("SELECT COUNT(*) FROM imported_message") == ["1000"])
        }
    }

    /// The last connection to close removes the WAL and its index: a closed store leaves the archive file alone
    /// (before, `archive` and `watch` left an empty `-wal` and a 32 KiB `-shm` beside it at every exit).
    @Test func closeLeavesNoWALNorIndexFileBehind() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            _ = try await store.importDirectly(ManyMessages(first: 0, count: 100))
            #expect(FileManager.default.fileExists(atPath: path + "-shm"))
            await store.close()
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
            // A closed store refuses, it does not reopen.
            await #expect(throws: (any Error).self) { try await store.texts("SELECT COUNT(*) FROM imported_message") }
            #expect(try await SQLiteArchiveStore(path: path).texts("SELECT COUNT(*) FROM imported_message") == ["100"])
        }
    }

    @Test func aReaderHoldingAnOlderSnapshotKeepsReadingAndTheWALWaitsForTheLastConnection() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            _ = try await store.importDirectly(ManyMessages(first: 0, count: 1_000))
            // Another process's reader (as `skald serve` opens it), in a read transaction that keeps its snapshot.
            var configuration = Configuration()
            configuration.readonly = true
            configuration.allowsUnsafeTransactions = true
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            let seen = try reader.inDatabase { db in
                try db.execute(sql: "BEGIN")
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM imported_message")
            }
            #expect(seen == 1_000)
            _ = try await store.importDirectly(ManyMessages(first: 1_000, count: 1_000))
            // The writer's end neither fails nor waits for the reader: the WAL keeps the frames the reader needs.
            #expect(await store.emptyWAL() == .inUse)
            #expect(Self.walSize(path) > 0)
            let still = try reader.inDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM imported_message")
            }
            #expect(still == 1_000)
            try reader.inDatabase { db in try db.execute(sql: "COMMIT") }
            // The reader is done: the next end empties it.
            await store.close()
            #expect(Self.walSize(path) == 0)
            #expect(try await SQLiteArchiveStore(path: path).texts("SELECT COUNT(*) FROM imported_message") == ["2000"])
            let now = try await reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM imported_message") }
            #expect(now == 2_000)
        }
    }
}
