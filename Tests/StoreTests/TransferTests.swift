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
        // An imported message with an author, found by `from:` once copied.
        try await ImportedBrowsingTests.importFile(
            [ImportedBrowsingTests.dce(7, content: "c", author: "31")], into: store)
    }

    /// Whether `store` finds the imported author of ``fill(_:)`` by name and their message by id (SQLite reads both
    /// from what the copy's writes filled in: ``ImportedMessageAuthors``).
    static func findsImportedAuthor(_ store: any ArchiveStore) async throws -> Bool {
        let found = try await store.searchImported(MessageSearch(authors: ["31"]), before: nil, limit: 5)
        return try await store.importedAuthors(named: "user31") == ["31"] && found.map(\.id) == [Fixture.messageID(7)]
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
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
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
                #expect(try await Self.findsImportedAuthor(back))
                #expect(try await Self.findsImportedAuthor(postgres))
                // New rows after a copy get fresh identity values.
                try await postgres.storeMessagePage(
                    MessagePage(
                        channelId: Fixture.channel, guildId: nil,
                        messages: [try Fixture.message(5, content: "again", edited: "2026-11-21T10:00:00.000000+00:00")]
                    ))
                #expect(try await postgres.stats().revisions == 2)
                // A copy into an archive holding rows the source lacks is refused.
                await #expect(throws: ArchiveStoreError.self) {
                    try await ArchiveCopier.copy(from: source, to: postgres)
                }
            } catch {
                try? await postgres.dropSchema()
                await postgres.shutdown()
                throw error
            }
            try? await postgres.dropSchema()
            await postgres.shutdown()
        }
    }

    /// A copy killed after some of its batches committed (`skald migrate-store` stopped by a signal, the target's server
    /// gone), run again into the same target: it checks the rows there, writes only the rest, and the target ends equal
    /// to the source. Before, the rerun was refused ("the target archive is not empty") and the half copy stayed.
    @Test(arguments: [1, 7, 40]) func aRerunCompletesAnInterruptedCopy(writesBeforeFailure: Int) async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let source = try SQLiteArchiveStore(path: directory.appendingPathComponent("a.sqlite").path)
            try await Self.fill(source)
            let target = try SQLiteArchiveStore(path: directory.appendingPathComponent("b.sqlite").path)
            let failing = FailingTransfer(wrapping: target, writesBeforeFailure: writesBeforeFailure)
            await #expect(throws: FailingTransfer.Interrupted.self) {
                try await ArchiveCopier.copy(from: source, to: failing, batchSize: 16)
            }
            var resumed = 0
            let migration = try await ArchiveCopier.migrate(
                from: source, to: target, batchSize: 16, resuming: { _, rows in resumed += rows })
            #expect(resumed > 0)
            #expect(migration.isExact)
            let original = try await Self.dump(source)
            #expect(migration.rows == original.values.map(\.count).reduce(0, +))
            #expect(try await Self.dump(target) == original)
            #expect(try await target.searchMessages("edited", in: nil, limit: 5).count == 1)
            #expect(try await Self.findsImportedAuthor(target))
        }
    }

    /// SIGINT/SIGTERM cancel `skald migrate-store`'s copy: it stops between two committed batches, and a rerun
    /// completes it.
    @Test func aCancelledCopyStopsBetweenBatchesAndARerunCompletesIt() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let source = try SQLiteArchiveStore(path: directory.appendingPathComponent("a.sqlite").path)
            try await Self.fill(source)
            let target = try SQLiteArchiveStore(path: directory.appendingPathComponent("b.sqlite").path)
            let cancelling = FailingTransfer(wrapping: target, writesBeforeFailure: 5, cancelling: true)
            let copy = Task { try await ArchiveCopier.copy(from: source, to: cancelling, batchSize: 16) }
            await #expect(throws: CancellationError.self) { try await copy.value }
            #expect(cancelling.writesDone == 6)
            let migration = try await ArchiveCopier.migrate(from: source, to: target, batchSize: 16)
            #expect(migration.isExact)
            #expect(try await Self.dump(target) == (try await Self.dump(source)))
        }
    }

    /// A target holding rows of its own (another archive) is refused before anything is written to it.
    @Test func aTargetHoldingOtherRowsIsRefusedUntouched() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let source = try SQLiteArchiveStore(path: directory.appendingPathComponent("a.sqlite").path)
            try await Self.fill(source)
            let target = try SQLiteArchiveStore(path: directory.appendingPathComponent("b.sqlite").path)
            try await target.storeMessagePage(
                MessagePage(channelId: Fixture.channel, guildId: nil, messages: [try Fixture.message(900_000)]))
            let before = try await Self.dump(target)
            await #expect(throws: ArchiveStoreError.self) { try await ArchiveCopier.copy(from: source, to: target) }
            #expect(try await Self.dump(target) == before)
        }
    }
}

/// An ``ArchiveTransfer`` that commits its first writes to the wrapped archive, then fails (a copy interrupted midway),
/// or, `cancelling`, commits one more and then cancels the copy's task (a signal).
private final class FailingTransfer: ArchiveTransfer, @unchecked Sendable {
    // @unchecked: `writes` is only touched by the copy's one task, which awaits each call in turn.
    struct Interrupted: Error {}
    let wrapped: any ArchiveTransfer
    let writesBeforeFailure: Int
    let cancelling: Bool
    private var writes = 0
    /// The writes committed to the wrapped archive.
    var writesDone: Int { writes }

    init(wrapping wrapped: any ArchiveTransfer, writesBeforeFailure: Int, cancelling: Bool = false) {
        self.wrapped = wrapped
        self.writesBeforeFailure = writesBeforeFailure
        self.cancelling = cancelling
    }

    func readRows(of table: ArchiveTable, after: [ArchiveValue]?, limit: Int) async throws -> [[ArchiveValue]] {
        try await wrapped.readRows(of: table, after: after, limit: limit)
    }

    func writeRows(_ rows: [[ArchiveValue]], into table: ArchiveTable) async throws {
        if writes >= writesBeforeFailure && !cancelling { throw Interrupted() }
        writes += 1
        try await wrapped.writeRows(rows, into: table)
        // The signal arrives once this batch committed.
        if writes > writesBeforeFailure { withUnsafeCurrentTask { $0?.cancel() } }
    }

    func finishTransfer() async throws { throw Interrupted() }
}
