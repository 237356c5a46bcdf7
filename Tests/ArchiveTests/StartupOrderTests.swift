import Archive
import DiscordModels
import DiscordSimulator
import Logging
import PostgresNIO
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// Start-up streams: a guild's channels are fetched as soon as its first round of look-ups is in, while its
/// archived threads are still being listed (a round trip per listing, two listings per parent channel).
@Suite struct StartupOrderTests {
    /// Every readable channel starts before the guild's discovery ends (`guildPlanned` is reported once its archived
    /// threads are listed). Before start-up streamed, no channel started before `guildPlanned`.
    @Test func everyChannelStartsBeforeThreadDiscoveryEnds() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 31, channels: 12, messages: 50, threads: 6)
        // Listing a parent's archived threads takes two round trips (public, then private); starting a channel
        // takes none.
        config.latency = .milliseconds(150)
        try await ArchiveHarness.withSimulator(config) { sim in
            let store = try SQLiteArchiveStore.inMemory()
            let events = ArchiveEvents()
            let summary = try await ArchiveHarness.archive(
                ArchiveHarness.configuration(for: sim), into: store, observer: events)
            events.finish()
            #expect(!summary.isPartial)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

            var order: [ArchiveEvent] = []
            for await event in events.stream { order.append(event) }
            let planned = try #require(
                order.firstIndex {
                    if case .guildPlanned = $0 { return true }
                    return false
                })
            let threads = Set(sim.guildIDs.flatMap { sim.threadIDs(guild: $0) })
            let startedBefore = Set(
                order[..<planned].compactMap { event -> Snowflake<DiscordModels.Channel>? in
                    if case .channelStarted(_, let channel, _) = event { return channel }
                    return nil
                })
            let channels = try #require(summary.guilds.first).channels
            #expect(channels > 0)
            #expect(
                startedBefore.subtracting(threads).count == channels,
                "\(startedBefore.count) channels started before the guild's discovery ended, of \(channels)")
        }
    }

    /// The first message page goes out after two round trips: the user and the guild list at once, then the guild's
    /// look-ups with the bot's member (it needs the user's id; the channels' permissions need its roles), then the
    /// page. Nothing depends on the guild's emojis, stickers or events, and the channel's newest message comes with
    /// the channel list. The simulator holds every answer and the test lets them out a round trip at a time, once
    /// the requests that round trip is waited for have arrived (events, not timers: the machine's speed decides
    /// nothing); the first message request must then arrive while every later answer is still held. The simulator
    /// numbers each request's round trip from the answers that went out before it arrived. Were the page to wait
    /// for a later answer, the run would hang until the time limit (the suites' hang deadline).
    @Test(.timeLimit(.minutes(5))) func firstMessagePageGoesOutAfterTwoRoundTrips() async throws {
        let config = SimulatorConfiguration.testWorld(seed: 37, channels: 3, messages: 20, rateLimits: .discord)
        try await ArchiveHarness.withSimulator(config) { sim in
            await sim.holdAnswers()
            let run = Task {
                try await ArchiveHarness.archive(
                    ArchiveHarness.configuration(for: sim), into: try SQLiteArchiveStore.inMemory())
            }
            await sim.waitUntilArrived("GET /users/@me")
            await sim.waitUntilArrived("GET /users/@me/guilds")
            await sim.releaseHeldAnswers()
            await sim.waitUntilArrived("GET /guilds/{guild.id}/members/{user.id}")
            await sim.waitUntilArrived("GET /guilds/{guild.id}/channels")
            await sim.releaseHeldAnswers()
            await sim.waitUntilArrived("GET /channels/{channel.id}/messages")
            await sim.releaseHeldAnswers(stopHolding: true)
            let summary = try await run.value
            #expect(!summary.isPartial)
            let trips = await sim.stats().firstRoundTrip
            #expect(trips["GET /users/@me"] == 1)
            #expect(trips["GET /users/@me/guilds"] == 1)
            #expect(trips["GET /guilds/{guild.id}/members/{user.id}"] == 2)
            #expect(trips["GET /guilds/{guild.id}/channels"] == 2)
            #expect(trips["GET /channels/{channel.id}/messages"] == 3, "round trips: \(trips)")
        }
    }

    /// The guild's structure is written while the channels' first pages are requested, and no page, segment or
    /// checkpoint of a channel commits before the channel's row, so a crash at any instant leaves no page of a channel
    /// the archive does not list. The test holds PostgreSQL's `guild` table from a connection of its own (the
    /// structure's write waits for it) until the simulator has received message requests, then lets it go; a
    /// trigger refuses any message, segment or checkpoint row whose channel is not stored.
    @Test(.enabled(if: TestPostgres.isWanted)) func structureIsWrittenBesideTheFirstPages() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 53, channels: 4, messages: 450)
        config.latency = .milliseconds(50)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await Self.withPostgresArchive { store, connection in
                try await connection.query(Self.refuseBeforeChannel, logger: Self.logger)
                for table in ["message", "channel_segment", "channel_checkpoint"] {
                    try await connection.query(Self.refuseRowsBeforeTheirChannel(on: table), logger: Self.logger)
                }
                try await connection.query("BEGIN", logger: Self.logger)
                try await connection.query("LOCK TABLE guild IN SHARE ROW EXCLUSIVE MODE", logger: Self.logger)
                let run = Task { try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store) }
                // Pages requested while the structure cannot be stored: its write is off their path.
                await Self.waitUntilSimulatorReceives(sim, messageRequests: 3)
                #expect(try await store.stats().messages == 0)
                try await connection.query("COMMIT", logger: Self.logger)
                let summary = try await run.value
                #expect(!summary.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
            }
        }
    }

    /// The guild's look-ups do not wait for the archive: which channels are complete (the one read start-up makes
    /// before queueing channels) is read while the guilds are looked up, so a PostgreSQL archive still connecting
    /// and checking its migrations costs the first page no extra round trip. The test holds the checkpoint table
    /// from a connection of its own (the read waits for it) until the simulator has received the guild's channel
    /// list; before, the run waited for the read before looking anything up (a hang: the time limit, the suites' hang
    /// deadline, ends such a run).
    @Test(.enabled(if: TestPostgres.isWanted), .timeLimit(.minutes(5)))
    func guildLookUpsDoNotWaitForTheArchive() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 59, channels: 3, messages: 120)
        config.latency = .milliseconds(20)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await Self.withPostgresArchive { store, connection in
                try await connection.query("BEGIN", logger: Self.logger)
                try await connection.query(
                    "LOCK TABLE channel_checkpoint IN ACCESS EXCLUSIVE MODE", logger: Self.logger)
                let run = Task { try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store) }
                await Self.waitUntilSimulatorReceives(sim, "GET /guilds/{guild.id}/channels", count: 1)
                try await connection.query("COMMIT", logger: Self.logger)
                let summary = try await run.value
                #expect(!summary.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
            }
        }
    }

    static let logger = QuietLogger.make("skald.tests.startup")

    /// A connection of the test's own to the schema of a store made with `configuration`.
    /// Runs `body` with a fresh PostgreSQL archive and a connection of the test's own beside it (to hold locks and
    /// add triggers), then closes both and drops the archive's schema, whether `body` threw or not.
    static func withPostgresArchive(
        _ body: (PostgresArchiveStore, PostgresConnection) async throws -> Void
    ) async throws {
        let configuration = try TestPostgres.configuration()
        let store = try await PostgresArchiveStore.connect(configuration)
        let connection = try await Self.connect(configuration)
        do {
            try await body(store, connection)
        } catch {
            try? await connection.close()
            try? await store.dropSchema()
            await store.shutdown()
            throw error
        }
        try await connection.close()
        try await store.dropSchema()
        await store.shutdown()
    }

    static func connect(_ configuration: PostgresArchiveStore.Configuration) async throws -> PostgresConnection {
        var options = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        options.options.additionalStartupParameters = [("search_path", configuration.schema ?? "public")]
        return try await PostgresConnection.connect(configuration: options, id: 1, logger: logger)
    }

    /// A function that refuses a row whose channel the archive does not list yet, for the triggers of
    /// ``refuseRowsBeforeTheirChannel(on:)``.
    static let refuseBeforeChannel = PostgresQuery(
        unsafeSQL: """
            CREATE FUNCTION refuse_before_channel() RETURNS trigger AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM channel WHERE id = NEW.channel_id) THEN
                    RAISE EXCEPTION 'a % row of channel % before the channel', TG_TABLE_NAME, NEW.channel_id;
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """)

    /// A trigger on `table` that refuses a row whose channel the archive does not list yet.
    static func refuseRowsBeforeTheirChannel(on table: String) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: """
                CREATE TRIGGER \(table)_after_channel BEFORE INSERT ON \(table)
                    FOR EACH ROW EXECUTE FUNCTION refuse_before_channel()
                """)
    }

    /// Waits for an event of the simulator in this process: its `messageRequests`-th message request. It has no
    /// stream of requests, so this asks for its counters until they show it (yielding between looks, never sleeping).
    static func waitUntilSimulatorReceives(_ sim: SimulatorServer, messageRequests: Int) async {
        await waitUntilSimulatorReceives(sim, "GET /channels/{channel.id}/messages", count: messageRequests)
    }

    /// Waits for an event of the simulator in this process: its `count`-th request of `route` (or the test's
    /// cancellation, when its time limit ends it).
    static func waitUntilSimulatorReceives(_ sim: SimulatorServer, _ route: String, count: Int) async {
        while !Task.isCancelled, await (sim.stats().byRoute[route] ?? 0) < count {
            await Task.yield()
        }
    }
}
