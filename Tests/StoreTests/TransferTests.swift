import ArchiveStore
import DiscordModels
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// `skald migrate-store`'s table copy: SQLite → PostgreSQL → SQLite keeps every row of every table.
@Suite struct TransferTests {
    /// Fills a store with every kind of row: structure with history and tombstones, messages with revisions,
    /// attachments with a download, reactions and reaction users, checkpoints, segments, runs with issues,
    /// `skald store` catalogue entries, mirror mappings, an imported message with a revision.
    static func fill(_ store: any ArchiveStore & ObjectCatalogue) async throws {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        try await store.storeGuild(
            GuildSnapshot(
                guild: try Fixture.guild(), channels: [try Fixture.channel(Fixture.channel, name: "general")],
                roles: [try Fixture.role(800, name: "mods")], emojis: [try Fixture.emoji(700, name: "fox")]))
        try await store.storeGuild(GuildSnapshot(guild: try Fixture.guild(name: "Renamed"), roles: []))
        let messages = try (0..<250).map {
            try Fixture.message($0, content: "words \($0) ünï 🦊", mentions: [6001], attachments: $0 % 3, reactions: 2)
        }
        try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: Fixture.guild, messages: messages,
                checkpoint: ChannelCheckpoint(channelId: Fixture.channel, newestArchivedId: messages.last?.value.id),
                segment: ChannelSegment(channelId: Fixture.channel, low: "1", high: "2")))
        try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.channel, guildId: nil,
                messages: [try Fixture.message(3, content: "edited", edited: "2026-11-20T10:00:00.000000+00:00")]))
        try await store.markMessagesDeleted([Fixture.messageID(4)], in: Fixture.channel, at: at, checkpoint: nil)
        let attachment = try #require(messages[1].value.attachments.first)
        try await store.recordDownload(of: attachment.id, sha256: "ab", localPath: "m/a", at: at)
        try await store.storeReactionUsers(
            [try Fixture.user(9001, name: "yan")], message: messages[0].value.id, in: Fixture.channel,
            emojiKey: "👍", burst: false, observedAt: at)
        let run = UUID()
        try await store.startRun(RunRecord(id: run, command: "archive", startedAt: at))
        try await store.recordRunIssue(
            RunIssue(kind: .skipped, guildId: nil, channelId: Fixture.channel, reason: "x", at: at), run: run)
        try await store.finishRun(run, status: .partial, counts: ["a": 1], at: at)
        for entry in StoreConformance.catalogueEntries { try await store.saveCatalogueObject(entry) }
        if let mirror = store as? any MirrorStore {
            try await mirror.recordMirrorMapping(
                MirrorMapping(target: "fluxer:1", kind: "webhook", sourceId: 7, targetId: 70, extra: "token"))
            try await mirror.recordMirrorMapping(
                MirrorMapping(target: "fluxer:1", kind: "message:7", sourceId: 3, part: 1, targetId: 71))
        }
        // An imported message in two versions: one imported row, one imported revision.
        try await ImportMergeTests.importFile(ImportMergeTests.version("old", edited: nil), exportedAt: at, into: store)
        try await ImportMergeTests.importFile(
            ImportMergeTests.version("new", edited: "2026-11-20T10:00:00.000+00:00"), into: store)
    }

    /// Every row of every table, in key order, as the transfer API reads it.
    static func dump(_ store: any ArchiveTransfer) async throws -> [String: [[ArchiveValue]]] {
        var tables: [String: [[ArchiveValue]]] = [:]
        for table in ArchiveTables.all {
            tables[table.name] = try await store.readRows(of: table, after: nil, limit: 1_000_000)
        }
        return tables
    }

    @Test(.enabled(if: TestPostgres.isWanted)) func sqliteToPostgresAndBackKeepsEveryRow() async throws {
        try await TemporaryDirectory.with { directory in
            let source = try SQLiteArchiveStore(path: directory.appendingPathComponent("a.sqlite").path)
            try await Self.fill(source)
            let postgres = try await TestPostgres.makeStore()
            do {
                let copied = try await ArchiveCopier.copy(from: source, to: postgres, batchSize: 64)
                let back = try SQLiteArchiveStore(path: directory.appendingPathComponent("b.sqlite").path)
                let migration = try await ArchiveCopier.migrate(from: postgres, to: back, batchSize: 100)
                #expect(migration.isExact)
                #expect(migration.rows == copied)
                let original = try await Self.dump(source)
                #expect(copied == original.values.map(\.count).reduce(0, +))
                #expect(try await Self.dump(postgres) == original)
                #expect(try await Self.dump(back) == original)
                #expect(try await postgres.stats() == (try await source.stats()))
                #expect(try await back.revisions(of: Fixture.messageID(3), in: Fixture.channel).count == 1)
                #expect(try await postgres.searchMessages("edited", in: nil, limit: 5).count == 1)
                #expect(try await postgres.catalogueObjects() == (try await source.catalogueObjects()))
                #expect(try await back.catalogueObjects() == StoreConformance.catalogueEntries)
                // A copy into a non-empty archive is refused.
                await #expect(throws: ArchiveStoreError.self) { try await ArchiveCopier.copy(from: source, to: back) }
                // New rows after a copy get fresh identity values.
                try await postgres.storeMessagePage(
                    MessagePage(
                        channelId: Fixture.channel, guildId: nil,
                        messages: [try Fixture.message(5, content: "again", edited: "2026-11-21T10:00:00.000000+00:00")]
                    ))
                #expect(try await postgres.stats().revisions == 2)
            } catch {
                try? await postgres.dropSchema()
                await postgres.shutdown()
                throw error
            }
            try? await postgres.dropSchema()
            await postgres.shutdown()
        }
    }
}
