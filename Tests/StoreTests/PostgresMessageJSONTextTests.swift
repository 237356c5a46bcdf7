import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import PostgresStore

/// A message's JSON kept as `text` on PostgreSQL (`pg-v4-message-json-text`): an archive whose column is still `json`
/// migrates with its bytes unchanged, and the filters that look inside the JSON answer as before.
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresMessageJSONTextTests {
    @Test func anArchiveWithAJSONColumnMigratesByteExact() async throws {
        let configuration = try TestPostgres.configuration()
        // Non-ASCII before and inside the author object, attachments, a webhook: every reader and filter is exercised.
        let jsons = [
            Fixture.messageJSON(1, content: "ångström  lantern", authorName: "åsa", attachments: 2),
            Fixture.messageJSON(2, content: "a webhook's lantern", authorName: "bård", webhook: true),
            Fixture.messageJSON(3, content: "plain lantern", reactions: 2),
        ]
        let columnType = """
            SELECT data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'message' AND column_name = 'json'
            """
        do {
            // The archive as an earlier Skald left it: the rows written, then the column back to `json`.
            let store = try await PostgresArchiveStore.connect(configuration)
            _ = try await store.storeMessagePage(
                MessagePage(
                    channelId: Fixture.channel, guildId: Fixture.guild,
                    messages: try jsons.map { try IndexedMessage(json: Data($0.utf8)) }))
            try await store.execute("DELETE FROM skald_migrations WHERE identifier = 'pg-v4-message-json-text'")
            try await store.execute("ALTER TABLE message ALTER COLUMN json TYPE json USING json::json")
            #expect(try await store.texts(columnType) == ["json"])
            await store.shutdown()
        }
        let store = try await PostgresArchiveStore.connect(configuration)
        #expect(try await store.appliedMigrations().last == "pg-v4-message-json-text")
        #expect(try await store.texts(columnType) == ["text"])
        #expect(
            try await store.messageJSON(in: Fixture.channel, after: nil, limit: 10).map {
                String(decoding: $0.json, as: UTF8.self)
            } == jsons)
        func found(_ search: MessageSearch) async throws -> [Snowflake<Message>] {
            try await store.search(search, before: nil, limit: 10).map(\.id)
        }
        var files = MessageSearch(words: ["lantern"])
        files.has = [.file]
        #expect(try await found(files) == [Fixture.messageID(1)])
        var webhooks = MessageSearch()
        webhooks.authorTypes = [.webhook]
        #expect(try await found(webhooks) == [Fixture.messageID(2)])
        var users = MessageSearch()
        users.authorTypes = [.user]
        #expect(try await found(users) == [Fixture.messageID(3), Fixture.messageID(1)])
        // Rows written after the migration read the same way.
        let later = Fixture.messageJSON(4, content: "a later lantern", authorName: "åsa", attachments: 1)
        _ = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [try IndexedMessage(json: Data(later.utf8))]
            ))
        #expect(
            try await store.messageJSON(in: Fixture.channel, after: Fixture.messageID(3), limit: 10).map {
                String(decoding: $0.json, as: UTF8.self)
            } == [later])
        #expect(try await found(files) == [Fixture.messageID(4), Fixture.messageID(1)])
        try await store.dropSchema()
        await store.shutdown()
    }
}
