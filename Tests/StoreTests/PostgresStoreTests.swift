import ArchiveStore
import DiscordModels
import Foundation
import PostgresStore
import TestSupport
import Testing

/// PostgreSQL-specific behaviour: migrations, concurrent writers, many pages in a row. (Throughput is the benchmark
/// program's: `scripts/bench`.)
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresStoreTests {
    /// PostgresNIO names these failures by a code (`sslUnsupported`, `authMechanismRequiresPassword`); the store
    /// words them with what to change in the database URL. (A test server with TLS accepts the first: then only
    /// the second is checked.)
    @Test func connectionRefusalsSayWhatToChange() async throws {
        var requireTLS = try TestPostgres.configuration()
        requireTLS.tls = .require
        do {
            _ = try await PostgresArchiveStore.connect(requireTLS)
        } catch {
            #expect("\(error)".contains("the server does not offer TLS, which sslmode=require asks for"), "\(error)")
        }
        var noPassword = try TestPostgres.configuration()
        noPassword.password = nil
        await #expect {
            _ = try await PostgresArchiveStore.connect(noPassword)
        } throws: { error in
            "\(error)".contains("the server asks for a password and the database URL gives none")
        }
    }

    /// The reading commands open with `mustExist`: a schema without Skald's tables is refused and not created (a
    /// mistyped `?schema=` answered `stats` with zeros and left an empty archive behind); an archive opens as before.
    @Test func aReadingOpenRefusesASchemaWithoutAnArchive() async throws {
        var configuration = try TestPostgres.configuration(schemaPrefix: "test_absent_")
        configuration.mustExist = true
        await #expect {
            _ = try await PostgresArchiveStore.connect(configuration)
        } throws: { error in
            (error as? ArchiveStoreError)?.isAbsent == true && "\(error)".contains("no Skald archive in schema")
        }
        var plain = configuration
        plain.mustExist = false
        let created = try await PostgresArchiveStore.connect(plain)
        await created.shutdown()
        let existing = try await PostgresArchiveStore.connect(configuration)
        #expect(try await existing.stats().messages == 0)
        try await existing.dropSchema()
        await existing.shutdown()
    }

    @Test func appliesTheSameMigrationIdentifiersAsSQLite() async throws {
        let store = try await TestPostgres.makeStore()
        let applied = try await store.appliedMigrations()
        try await store.dropSchema()
        await store.shutdown()
        // Every migration of the shared schema, in order (SQLite applies the same), then PostgreSQL's own.
        #expect(
            applied == ArchiveSchema.migrations.map(\.identifier) + [
                "pg-v1-search-expression-index", "pg-v2-message-author-once", "pg-v3-message-children-unchecked",
                "pg-v4-message-json-text", "pg-v5-imported-message-search", "pg-v6-imported-message-authors",
            ])
        #expect(
            applied == [
                "v1-guild-structure", "v1-users", "v1-messages", "v1-message-search", "v1-checkpoints", "v1-runs",
                "v2-dce-imports", "v3-live-capture", "v3-object-store", "v4-mirror-map", "v5-import-revisions",
                "v5-clips", "v5-bot-state", "v6-message-author-newest", "v7-message-search-fed-by-writer",
                "v8-clip-pending", "v9-message-pinned-at", "v10-member-left-at",
                "pg-v1-search-expression-index", "pg-v2-message-author-once",
                "pg-v3-message-children-unchecked", "pg-v4-message-json-text", "pg-v5-imported-message-search",
                "pg-v6-imported-message-authors",
            ])
    }

    /// Pages of one channel written at once by several tasks (parallel segments) all land, none twice.
    @Test func concurrentPagesOfOneChannel() async throws {
        let store = try await TestPostgres.makeStore(poolSize: 6)
        let messages = try Fixture.messages(0..<600)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for start in stride(from: 0, to: 600, by: 50) {
                // Overlapping pages: each shares 10 messages with the next.
                let page = Array(messages[start..<min(600, start + 60)])
                group.addTask {
                    try await store.storeMessagePage(
                        MessagePage(channelId: Fixture.channel, guildId: nil, messages: page))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.messageIDs(in: Fixture.channel).count == 600)
        #expect(try await store.stats().users == 7)
        try await store.dropSchema()
        await store.shutdown()
    }

    @Test func manyPagesStoreAndRestoreUnchanged() async throws {
        let store = try await TestPostgres.makeStore()
        let pages = 50
        var prepared: [[Decoded<Message>]] = []
        for page in 0..<pages {
            prepared.append(
                try (page * 100..<page * 100 + 100).map {
                    try Fixture.message(
                        $0, author: 5001 + UInt64($0 % 40), authorName: "user\($0 % 40)",
                        mentions: $0 % 5 == 0 ? [6001] : [], attachments: $0 % 10 == 0 ? 1 : 0,
                        reactions: $0 % 3 == 0 ? 2 : nil)
                })
        }
        for (index, page) in prepared.enumerated() {
            _ = try await store.storeMessagePage(
                MessagePage(
                    channelId: Fixture.channel, guildId: Fixture.guild, messages: page,
                    checkpoint: ChannelCheckpoint(
                        channelId: Fixture.channel, newestArchivedId: Fixture.messageID(index * 100 + 99))))
        }
        // Storing every page again changes nothing.
        for page in prepared {
            let result = try await store.storeMessagePage(
                MessagePage(channelId: Fixture.channel, guildId: nil, messages: page))
            #expect(result.unchanged == page.count)
        }
        #expect(try await store.stats().messages == pages * 100)
        try await store.dropSchema()
        await store.shutdown()
    }
}
