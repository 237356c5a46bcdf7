import Archive
import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordSimulator
import Foundation
import Logging
import NIOCore
import SQLiteStore
import TestSupport
import Testing

/// Shared set-up for archive tests: a simulator on loopback, a fresh SQLite archive in a temporary folder.
enum ArchiveHarness {
    static let logger = QuietLogger.make("skald.tests.archive")

    /// A temporary folder removed after `body`.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        try await TemporaryDirectory.with(prefix: "archive-tests", body)
    }

    /// Runs a simulator for the duration of `body`.
    static func withSimulator<T>(_ configuration: SimulatorConfiguration, _ body: (SimulatorServer) async throws -> T)
        async throws -> T
    {
        try await SimulatorServer.withRunning(configuration, body)
    }

    /// A simulator world with rate limits off (the archive tests check behaviour, not pacing) and a fresh SQLite
    /// archive, for the duration of `body`.
    static func withArchive(
        seed: UInt64, guilds: Int, channels: Int, messages: Int, threads: Int, faultRate: Double = 0,
        _ body: (SimulatorServer, SQLiteArchiveStore) async throws -> Void
    ) async throws {
        var config = SimulatorConfiguration.testWorld(
            seed: seed, guilds: guilds, channels: channels, messages: messages, threads: threads)
        config.faultRate = faultRate
        try await withSimulator(config) { sim in
            try await withTemporaryDirectory { dir in
                try await body(sim, try SQLiteArchiveStore(path: dir + "/archive.sqlite"))
            }
        }
    }

    /// An archive configuration for the simulator's first token.
    static func configuration(for sim: SimulatorServer, token: String? = nil) -> ArchiveConfiguration {
        var configuration = ArchiveConfiguration(accounts: [.init(name: "test", token: token ?? sim.tokens[0])])
        configuration.apiBase = sim.apiBase
        return configuration
    }

    /// Runs the engine in-process; it waits on `clock` (lease heartbeats, waiting for another worker's lease).
    static func archive(
        _ configuration: ArchiveConfiguration, into store: any ArchiveStore,
        observer: any ArchiveObserver = SilentArchiveObserver(), clock: any Clock<Duration> = ContinuousClock()
    ) async throws -> ArchiveSummary {
        let io = ArchiveIO(
            clients: .forTests(apiBase: configuration.apiBase, logger: logger), clock: clock)
        return try await ArchiveEngine(
            configuration: configuration, store: store, observer: observer, logger: logger, io: io
        ).run()
    }

    /// Every channel and thread of the simulated guilds, per the simulator's ground truth.
    static func truthChannels(_ sim: SimulatorServer) async -> [TruthChannel] {
        var result: [TruthChannel] = []
        for guild in sim.guildIDs {
            for id in sim.channelIDs(guild: guild) + sim.threadIDs(guild: guild) {
                if let truth = await sim.truthChannel(id) { result.append(truth) }
            }
        }
        return result
    }

    /// Expects the archive to hold exactly the simulator's live messages for every readable channel and none for
    /// unreadable ones.
    static func expectArchiveMatchesTruth(_ sim: SimulatorServer, _ store: any ArchiveStore) async throws {
        var expectedTotal = 0
        for truth in await truthChannels(sim) {
            let archived = try await store.messageIDs(in: truth.id, includeDeleted: false)
            if truth.readable && truth.type.holdsMessages {
                let expected = await sim.truthMessageIDs(channel: truth.id)
                expectedTotal += expected.count
                if archived != expected {
                    let missing: [Snowflake<Message>] = Array(Set(expected).subtracting(archived).sorted().prefix(5))
                    let extra: [Snowflake<Message>] = Array(Set(archived).subtracting(expected).sorted().prefix(5))
                    let header =
                        "channel \(truth.id) (\(truth.name)): archived \(archived.count), truth \(expected.count)"
                    Issue.record("\(header); missing \(missing), extra \(extra)")
                }
            } else {
                #expect(archived.isEmpty, "unreadable channel \(truth.id) (\(truth.name)) has archived messages")
            }
        }
        let stats = try await store.stats()
        #expect(stats.liveMessages == expectedTotal)
    }

    /// `POST /__sim/mutate`; returns the affected message id.
    @discardableResult
    static func mutate(_ sim: SimulatorServer, _ body: [String: String]) async throws -> Snowflake<Message> {
        let object = try await SimulatorAdmin.postForObject(sim, "/__sim/mutate", body)
        let id = try #require(
            (object["id"] as? String).flatMap { Snowflake<Message>($0) }, "mutate answered \(object)")
        return id
    }

    /// The `skald` executable built beside the tests (`SKALD_BINARY` overrides).
    static func skaldBinary() throws -> String {
        try SkaldBinary.path()
    }
}
