import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// `sqlite-v10-message-source-once`: each imported file's name is stored once (`import_file`), each message's
/// sources by that file's id; `message_source` reads (and takes inserts) as the table it was.
@Suite struct SQLiteMessageSourceTests {
    /// An archive written before the migration keeps every source row, read the same through the view.
    @Test func anArchiveFromBeforeTheMigrationKeepsItsSources() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let first = Fixture.messageID(1)
            let second = Fixture.messageID(2)
            do {
                // The archive as an earlier Skald left it: the table with the file's name on every row.
                let store = try SQLiteArchiveStore(path: path)
                try await store.execute(
                    "DELETE FROM grdb_migrations WHERE identifier = '\(MessageSources.migration)'")
                try await store.execute("DROP TRIGGER message_source_insert")
                try await store.execute("DROP VIEW message_source")
                try await store.execute("DROP TABLE message_source_file")
                try await store.execute("DROP TABLE import_file")
                try await store.execute(
                    """
                    CREATE TABLE message_source (channel_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
                        source TEXT NOT NULL, imported_at TEXT NOT NULL,
                        PRIMARY KEY (channel_id, message_id, source)) WITHOUT ROWID
                    """)
                let channel = Fixture.channel.columnID
                try await store.execute(
                    """
                    INSERT INTO message_source VALUES
                        (\(channel), \(first.columnID), '/exports/a.json', '2026-11-20T10:00:00.000000+00:00'),
                        (\(channel), \(first.columnID), '/exports/b.json', '2026-11-21T10:00:00.000000+00:00'),
                        (\(channel), \(second.columnID), '/exports/a.json', '2026-11-20T10:00:00.000000+00:00')
                    """)
            }
            let store = try SQLiteArchiveStore(path: path)
            #expect(try await store.appliedMigrations().contains(MessageSources.migration))
            #expect(try await store.messageSources(of: first) == ["/exports/a.json", "/exports/b.json"])
            #expect(try await store.messageSources(of: second, in: Fixture.channel) == ["/exports/a.json"])
            #expect(try await store.texts("SELECT COUNT(*) FROM message_source") == ["3"])
            #expect(
                try await store.texts("SELECT source FROM import_file ORDER BY id") == [
                    "/exports/a.json", "/exports/b.json",
                ])
            // Inserts into the view (migrate-store's) land in the two tables, a repeated row once.
            try await store.execute(
                """
                INSERT INTO message_source VALUES
                    (\(Fixture.channel.columnID), \(second.columnID), '/exports/b.json', '2026-11-22T10:00:00.000000+00:00'),
                    (\(Fixture.channel.columnID), \(second.columnID), '/exports/b.json', '2026-11-22T10:00:00.000000+00:00')
                """)
            #expect(try await store.messageSources(of: second) == ["/exports/a.json", "/exports/b.json"])
            #expect(try await store.texts("SELECT COUNT(*) FROM import_file") == ["2"])
        }
    }

    /// A direct import names its file once however many messages it has; importing it again adds no row.
    @Test func aFileIsNamedOnce() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let store = try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
            _ = try await store.importDirectly(SQLiteImportCheckpointTests.ManyMessages(first: 0, count: 250))
            _ = try await store.importDirectly(SQLiteImportCheckpointTests.ManyMessages(first: 0, count: 250))
            _ = try await store.importDirectly(SQLiteImportCheckpointTests.ManyMessages(first: 100, count: 250))
            #expect(
                try await store.texts("SELECT source FROM import_file ORDER BY id") == [
                    "export-0.json", "export-100.json",
                ])
            #expect(try await store.texts("SELECT COUNT(*) FROM message_source_file") == ["500"])
            #expect(
                try await store.messageSources(of: Fixture.messageID(150), in: Fixture.channel) == [
                    "export-0.json", "export-100.json",
                ])
            await store.close()
        }
    }
}
