import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import PostgresStore

/// The rows that belong to a message (attachments, reactions, reaction users, revisions) on PostgreSQL since
/// `pg-v3-message-children-unchecked`: no foreign key checks them, the writers keep them with their message.
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresMessageChildrenTests {
    /// An archive from before `pg-v3-message-children-unchecked` loses the foreign keys from attachments, reactions,
    /// reaction users and revisions to their message; messages, their attachments, reactions and revisions are stored
    /// and read as before (each with its message: the writer adds them after it in the same transaction).
    @Test func messageChildrenKeysGoWithTheirMigration() async throws {
        let configuration = try TestPostgres.configuration()
        let keys = """
            SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND confrelid = 'message'::regclass
            AND connamespace = current_schema()::regnamespace ORDER BY 1
            """
        do {
            // The archive as an earlier Skald left it: the four keys of `v1-messages`.
            let store = try await PostgresArchiveStore.connect(configuration)
            #expect(try await store.texts(keys).isEmpty)
            try await store.execute(
                "DELETE FROM skald_migrations WHERE identifier = 'pg-v3-message-children-unchecked'")
            for table in ["attachment", "reaction", "reaction_user", "message_revision"] {
                try await store.execute(
                    "ALTER TABLE \(table) ADD FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)")
            }
            #expect(try await store.texts(keys) == ["attachment", "message_revision", "reaction", "reaction_user"])
            await store.shutdown()
        }
        let store = try await PostgresArchiveStore.connect(configuration)
        #expect(try await store.appliedMigrations().contains("pg-v3-message-children-unchecked"))
        #expect(try await store.texts(keys).isEmpty)
        _ = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [try IndexedMessage(json: Data(Fixture.messageJSON(1, attachments: 2, reactions: 3).utf8))]))
        let edited = try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild,
                messages: [
                    try IndexedMessage(
                        json: Data(
                            Fixture.messageJSON(
                                1, content: "edited", edited: "2026-11-20T10:00:00.000000+00:00", attachments: 2,
                                reactions: 4
                            ).utf8))
                ]))
        #expect(edited.edited == 1)
        let orphans = """
            SELECT count(*)::text FROM (SELECT channel_id, message_id FROM attachment UNION ALL
                SELECT channel_id, message_id FROM reaction UNION ALL
                SELECT channel_id, message_id FROM message_revision) AS c
            WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.channel_id = c.channel_id AND m.id = c.message_id)
            """
        #expect(try await store.texts("SELECT count(*)::text FROM attachment") == ["2"])
        #expect(try await store.texts("SELECT count(*)::text FROM message_revision") == ["1"])
        #expect(try await store.texts("SELECT string_agg(count::text, ',') FROM reaction") == ["4"])
        #expect(try await store.texts(orphans) == ["0"])
        try await store.dropSchema()
        await store.shutdown()
    }
}
