import ArchiveStore
import DiscordModels
import Foundation
import SQLiteStore
import TestSupport
import Testing

@testable import PostgresStore

/// The author-once layout on PostgreSQL (`pg-v2-message-author-once`): rows share their author objects and every
/// reader gets the bytes Discord sent (every reader on every backend: `StoreConformance.authorObjectsReadBackExactly`).
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresMessageAuthorsTests {
    @Test func authorObjectsAreStoredOnce() async throws {
        let store = try await TestPostgres.makeStore()
        _ = try await store.storeMessagePages(try StoreConformance.authorOncePages().pages)
        #expect(try await store.texts("SELECT json FROM author_json ORDER BY id").count == 3)
        #expect(try await store.texts("SELECT json::text FROM message").allSatisfy { $0.contains("\"author\":null") })
        try await store.dropSchema()
        await store.shutdown()
    }

    /// An archive written before `pg-v2-message-author-once` keeps its rows whole and reads them as before; the
    /// messages stored after the migration share their author objects.
    @Test func rowsFromBeforeTheAuthorMigrationReadTheSame() async throws {
        let configuration = try TestPostgres.configuration()
        let old = Fixture.messageJSON(1, content: "an amber lantern", authorName: "åsa")
        do {
            // The archive as an earlier Skald left it: no author table, no author columns.
            let store = try await PostgresArchiveStore.connect(configuration)
            try await store.execute(
                "DELETE FROM skald_migrations WHERE identifier = 'pg-v2-message-author-once'")
            try await store.execute("DROP TABLE author_json")
            try await store.execute("ALTER TABLE message DROP COLUMN author_ref, DROP COLUMN author_at")
            func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
            let id = Fixture.messageID(1)
            try await store.execute(
                """
                INSERT INTO message (id, channel_id, timestamp, type, flags, content, pinned, json, archived_at,
                    updated_at)
                VALUES (\(id.columnID), \(Fixture.channel.columnID), \(literal(Fixture.timestamp(id))),
                    0, 0, 'an amber lantern', false, \(literal(old)),
                    '2026-11-20T10:00:00.000000+00:00', '2026-11-20T10:00:00.000000+00:00')
                """)
            await store.shutdown()
        }
        let store = try await PostgresArchiveStore.connect(configuration)
        #expect(try await store.appliedMigrations().contains("pg-v2-message-author-once"))
        let new = Fixture.messageJSON(2, content: "an amber harbour", authorName: "åsa")
        let stored = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [try IndexedMessage(json: Data(old.utf8)), try IndexedMessage(json: Data(new.utf8))]))
        #expect(stored.unchanged == 1)
        #expect(stored.inserted == 1)
        #expect(
            try await store.messageJSON(in: Fixture.channel, after: nil, limit: 10).map {
                String(decoding: $0.json, as: UTF8.self)
            } == [old, new])
        #expect(try await store.texts("SELECT json FROM author_json").count == 1)
        #expect(try await store.texts("SELECT count(*)::text FROM message WHERE author_ref IS NULL") == ["1"])
        try await store.dropSchema()
        await store.shutdown()
    }

    /// Writers storing the same new author at once (parallel segments, several workers) all get its one row.
    @Test func concurrentWritersShareOneAuthorRow() async throws {
        let store = try await TestPostgres.makeStore(poolSize: 6)
        let pages = (0..<6).map { page in
            (0..<20).map { Fixture.messageJSON(page * 20 + $0, authorName: "åsa") }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for page in pages {
                group.addTask {
                    _ = try await store.storeMessagePage(
                        MessagePage(
                            channelId: Fixture.channel, guildId: nil,
                            messages: try page.map { try IndexedMessage(json: Data($0.utf8)) }))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.texts("SELECT json FROM author_json").count == 1)
        let expected = pages.flatMap { $0 }
        #expect(
            try await store.messageJSON(in: Fixture.channel, after: nil, limit: 200).map {
                String(decoding: $0.json, as: UTF8.self)
            } == expected)
        try await store.dropSchema()
        await store.shutdown()
    }

    /// `migrate-store` both ways: rows sharing their author objects (on either backend) arrive whole, byte-exact.
    @Test func migrateStoreBothWaysKeepsTheBytes() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let page = (0..<40).map {
                Fixture.messageJSON($0, content: "ünï \($0)", author: 5001 + UInt64($0 % 4), authorName: "åsa\($0 % 4)")
            }
            let messages = try page.map { try IndexedMessage(json: Data($0.utf8)) }
            let postgres = try await TestPostgres.makeStore()
            let sqlite = try SQLiteArchiveStore(path: directory.appendingPathComponent("a.sqlite").path)
            let back = try await TestPostgres.makeStore()
            do {
                _ = try await postgres.storeMessagePage(
                    MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: messages))
                #expect(try await ArchiveCopier.migrate(from: postgres, to: sqlite, batchSize: 7).isExact)
                #expect(
                    try await sqlite.messageJSON(in: Fixture.channel, after: nil, limit: 100).map {
                        String(decoding: $0.json, as: UTF8.self)
                    } == page)
                #expect(try await ArchiveCopier.migrate(from: sqlite, to: back, batchSize: 9).isExact)
                #expect(
                    try await back.messageJSON(in: Fixture.channel, after: nil, limit: 100).map {
                        String(decoding: $0.json, as: UTF8.self)
                    } == page)
                // Copied rows are whole; messages archived afterwards share their authors again.
                #expect(try await back.texts("SELECT count(*)::text FROM message WHERE author_ref IS NULL") == ["40"])
            } catch {
                for store in [postgres, back] {
                    try? await store.dropSchema()
                    await store.shutdown()
                }
                throw error
            }
            for store in [postgres, back] {
                try? await store.dropSchema()
                await store.shutdown()
            }
        }
    }
}
