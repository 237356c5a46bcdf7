import Archive
import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// Ids at and above 2^63, as the spec allows them (unsigned 64-bit): the stores keep an id's bit pattern, so such an
/// id is a negative column. Before, a channel running across 2^63 lost every message above it (the tail segment
/// ended at Int64.max) and the stores' pages, read from -1 on, skipped them too.
@Suite("Ids at and above 2^63")
struct HighSnowflakeArchiveTests {
    /// The simulator's world with every channel's messages running from below 2^63 to above it.
    static func straddlingWorld() -> SimulatorConfiguration {
        var config = SimulatorConfiguration.testWorld(seed: 3, channels: 4, messages: 300, threads: 6)
        config.historyEndMilliseconds = SimulatorConfiguration.historyEndStraddling2To63
        return config
    }

    static let twoTo63 = UInt64(1) << 63

    /// The backends the archive tests run on.
    enum Backend: String, CaseIterable, Sendable {
        case sqlite, postgresql
    }

    /// A fresh store of `backend` for `body` (a PostgreSQL schema dropped after it).
    static func withStore(
        _ backend: Backend, in directory: String, _ body: (any ArchiveStore) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            try await body(try SQLiteArchiveStore(path: directory + "/archive.sqlite"))
        case .postgresql:
            let store = try await TestPostgres.makeStore()
            do { try await body(store) } catch {
                try? await store.dropSchema()
                await store.shutdown()
                throw error
            }
            try? await store.dropSchema()
            await store.shutdown()
        }
    }

    /// Every message of a straddling world archived once, in Discord's order, on both backends; a rerun adds
    /// nothing; the store's pages (oldest first and newest first, small pages) cross 2^63 without a gap.
    @Test(arguments: Backend.allCases)
    func aChannelAcross2To63IsArchivedOnceInOrder(_ backend: Backend) async throws {
        if backend == .postgresql, !TestPostgres.isWanted { return }
        try await SimulatorServer.withRunning(Self.straddlingWorld()) { sim in
            try await ArchiveHarness.withTemporaryDirectory { directory in
                try await Self.withStore(backend, in: directory) { store in
                    let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
                    let truth = await sim.truthMessageIDs(channel: channel)
                    #expect(truth.contains { $0.rawValue >= Self.twoTo63 })
                    #expect(truth.contains { $0.rawValue < Self.twoTo63 })

                    let first = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
                    #expect(!first.isPartial)
                    // Every readable channel's ids equal the truth's, in order (ascending unsigned).
                    try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

                    let again = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
                    #expect(!again.isPartial)
                    #expect(again.guilds.reduce(0) { $0 + $1.messagesInserted } == 0)
                    try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

                    var oldestFirst: [Snowflake<Message>] = []
                    var cursor: Snowflake<Message>?
                    while case let page = try await store.messages(in: channel, after: cursor, limit: 7),
                        let last = page.last
                    {
                        oldestFirst += page.map(\.id)
                        cursor = last.id
                    }
                    #expect(oldestFirst == truth)
                    var newestFirst: [Snowflake<Message>] = []
                    var before: Snowflake<Message>?
                    while case let page = try await store.messages(
                        in: channel, before: before, limit: 7, includeDeleted: true),
                        let last = page.last
                    {
                        newestFirst += page.map(\.id)
                        before = last.id
                    }
                    #expect(newestFirst == truth.reversed())
                    let boundary = try #require(truth.firstIndex { $0.rawValue >= Self.twoTo63 })
                    let across = try await store.messages(in: channel, ids: truth[boundary - 2]...truth[boundary + 2])
                    #expect(across.map(\.id) == Array(truth[boundary - 2...boundary + 2]))
                }
            }
        }
    }

    /// `migrate-store`'s copy, SQLite → PostgreSQL → SQLite, of a straddling archive keeps every id and its order.
    @Test(.enabled(if: TestPostgres.isWanted))
    func migrateStoreKeepsIdsAbove2To63BothWays() async throws {
        try await SimulatorServer.withRunning(Self.straddlingWorld()) { sim in
            try await ArchiveHarness.withTemporaryDirectory { directory in
                let source = try SQLiteArchiveStore(path: directory + "/source.sqlite")
                _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: source)
                try await Self.withStore(.postgresql, in: directory) { postgres in
                    _ = try await ArchiveCopier.copy(from: source, to: postgres, batchSize: 7)
                    let back = try SQLiteArchiveStore(path: directory + "/back.sqlite")
                    let migration = try await ArchiveCopier.migrate(from: postgres, to: back, batchSize: 7)
                    #expect(migration.isExact)
                    try await ArchiveHarness.expectArchiveMatchesTruth(sim, postgres)
                    try await ArchiveHarness.expectArchiveMatchesTruth(sim, back)
                    #expect(try await back.stats() == (try await source.stats()))
                }
            }
        }
    }
}
