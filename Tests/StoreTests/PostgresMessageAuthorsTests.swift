import ArchiveStore
import DiscordModels
import Foundation
import SQLiteStore
import TestSupport
import Testing

@testable import PostgresStore

/// The author-once layout on PostgreSQL (`pg-v2-message-author-once`): rows share their author objects and every
/// reader gets the bytes Discord sent, as SQLite's `authorObjectsAreStoredOnceAndReadBackExactly` checks there.
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresMessageAuthorsTests {
    @Test func authorObjectsAreStoredOnceAndReadBackExactly() async throws {
        let store = try await TestPostgres.makeStore()
        // Non-ASCII before and inside the author object: the stored offsets are characters, the scanned range bytes.
        let page = (0..<30).map { index in
            Fixture.messageJSON(
                index, content: "🛡️ é \(index) \"quoted\"", author: 5001 + UInt64(index % 3),
                authorName: index % 3 == 0 ? "åsa" : "user\(index % 3)", mentions: index % 5 == 0 ? [5002] : [])
        }
        let body = Data(("[" + page.joined(separator: ",") + "]").utf8)
        let indexed = try IndexedMessage.page(body)
        #expect(indexed.allSatisfy { $0.authorRange != nil })
        _ = try await store.storeMessagePages([
            MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: Array(indexed[0..<20])),
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: try (20..<30).map { IndexedMessage(try Decoded<Message>(decoding: Data(page[$0].utf8))) }),
        ])
        let expected = Dictionary(uniqueKeysWithValues: page.enumerated().map { (Fixture.messageID($0), $1) })

        #expect(try await store.texts("SELECT json FROM author_json ORDER BY id").count == 3)
        #expect(try await store.texts("SELECT json::text FROM message").allSatisfy { $0.contains("\"author\":null") })
        for row in try await store.messageJSON(in: Fixture.channel, after: nil, limit: 100) {
            #expect(String(decoding: row.json, as: UTF8.self) == expected[row.id])
        }
        for message in try await store.messages(in: Fixture.channel, after: nil, limit: 100) {
            #expect(String(decoding: message.json, as: UTF8.self) == expected[message.id])
        }
        let one = try #require(try await store.message(Fixture.messageID(7)))
        #expect(String(decoding: one.json, as: UTF8.self) == page[7])
        let found = try await store.searchMessages("quoted", in: Fixture.channel, limit: 100)
        #expect(found.count == 30)
        #expect(found.allSatisfy { String(decoding: $0.json, as: UTF8.self) == expected[$0.id] })
        let searched = try await store.search(MessageSearch(words: ["quoted"]), before: nil, limit: 100)
        #expect(searched.count == 30)
        #expect(searched.allSatisfy { String(decoding: $0.json, as: UTF8.self) == expected[$0.id] })
        // The author's `bot` is read from the shared object: every fixture author is a user.
        var users = MessageSearch()
        users.authorTypes = [.user]
        #expect(try await store.search(users, before: nil, limit: 100).count == 30)
        let table = try #require(ArchiveTables.all.first { $0.name == "message" })
        let json = try #require(table.columns.firstIndex { $0.name == "json" })
        let rows = try await store.readRows(of: table, after: nil, limit: 100)
        #expect(rows.count == 30)
        #expect(
            rows.allSatisfy { row in
                if case .text(let text) = row[json] { return expected.values.contains(text) }
                return false
            })
        // Stored again unchanged: nothing is written; edited: the row keeps its new JSON whole.
        let again = try await store.storeMessagePage(
            MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: Array(indexed[0..<20])))
        #expect(again.unchanged == 20)
        let edited = Fixture.messageJSON(
            3, content: "edited", edited: "2026-11-21T10:00:00.000000+00:00", author: 5001, authorName: "åsa")
        let result = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [try IndexedMessage(json: Data(edited.utf8))]))
        #expect(result.edited == 1)
        let three = try #require(try await store.message(Fixture.messageID(3), in: Fixture.channel))
        #expect(String(decoding: three.json, as: UTF8.self) == edited)
        #expect(
            try await store.revisions(of: Fixture.messageID(3), in: Fixture.channel).map {
                String(decoding: $0.json, as: UTF8.self)
            } == [page[3]])
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
        #expect(try await store.appliedMigrations().last == "pg-v2-message-author-once")
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
