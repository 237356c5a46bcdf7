import Archive
import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Live
import NIOCore
import SQLiteStore
import Synchronization
import TestSupport
import Testing

/// `LiveCapture` in-process against the simulator's gateway over a real WebSocket, into a real SQLite file.
@Suite("Live capture", .serialized, .timeLimit(.minutes(10)))
struct LiveCaptureTests {
    typealias H = LiveHarness

    /// Runs a watch for the duration of `body`, then stops it and returns its progress (a stop that does not end the
    /// watch fails the test: ``LiveHarness/stop(_:_:)``).
    static func watching(
        _ sim: SimulatorServer, store: any ArchiveStore & LiveCaptureStore, signal: CommitSignal,
        _ body: () async throws -> Void
    ) async throws -> LiveProgress {
        let live = LiveCapture(
            configuration: H.liveConfiguration(sim), store: store, observer: signal, logger: H.logger)
        let run = Task { try await live.run() }
        do {
            try await body()
        } catch {
            _ = try? await H.stop(live, run)
            throw error
        }
        return try await H.stop(live, run)
    }

    /// A stop while a shard waits for its turn to identify ends the watch at once, before it connects. Before, the
    /// wait (5.5 s per shard before it) was not interrupted: `skald watch --shards 50` took minutes to exit on
    /// SIGTERM, and `--shards 5000` never did.
    @Test func aStopWhileAShardWaitsForItsTurnEndsTheWatchAtOnce() async throws {
        try await H.withSimulator { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                var configuration = H.liveConfiguration(sim)
                configuration.shard = (1, 2)
                configuration.startDelay = .seconds(86_400)
                let live = LiveCapture(
                    configuration: configuration, store: store, observer: CommitSignal(), logger: H.logger)
                let run = Task { try await live.run() }
                let progress = try await H.stop(live, run)
                #expect(progress.identifies == 0)
                #expect(try await store.gatewaySession(configuration.sessionKey) == nil)
            }
        }
    }

    @Test func catchesUpThenStoresCreatesEditsDeletesAndBulkDeletes() async throws {
        try await H.withSimulator { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                let progress = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    let existing = await sim.truthMessageIDs(channel: channel)
                    let created = try await H.create(sim, channel: channel, content: "live one")
                    try await H.post(
                        sim, "/__sim/mutate",
                        ["op": "edit", "channelId": "\(channel)", "messageId": "\(existing[3])", "content": "edited"])
                    try await H.post(
                        sim, "/__sim/mutate",
                        ["op": "delete", "channelId": "\(channel)", "messageId": "\(existing[5])"])
                    try await H.post(
                        sim, "/__sim/mutate",
                        [
                            "op": "bulkDelete", "channelId": "\(channel)",
                            "messageIds": ["\(existing[6])", "\(existing[7])"],
                        ])
                    try await signal.waitUntil {
                        let bulkGone = try await store.deletionSource(of: existing[7], in: channel) == .live
                        let stored = try await store.message(created, in: channel)
                        return bulkGone && stored != nil
                    }
                    #expect(try await store.message(created, in: channel)?.content == "live one")
                    #expect(try await store.message(existing[3], in: channel)?.content == "edited")
                    #expect(try await store.revisions(of: existing[3], in: channel).count == 1)
                    #expect(try await store.deletionSource(of: existing[5], in: channel) == .live)
                    #expect(try await store.deletionSource(of: existing[6], in: channel) == .live)
                    #expect(try await store.deletionSource(of: existing[4], in: channel) == nil)
                    #expect(try await H.archiveMatchesTruth(sim, store))
                    // The session is committed with the events: its sequence is the last event's.
                    let session = try #require(try await store.gatewaySession("0/1"))
                    #expect(session.sequence >= 5)
                }
                #expect(progress.identifies == 1)
                #expect(progress.deletions == 3)
                #expect(progress.edits == 1)
                // Stopping closed with a resumable code: the simulator keeps the session.
                #expect(await sim.gatewayStats().sessions == 1)
            }
        }
    }

    @Test func forcedDisconnectResumesAndAnInvalidatedSessionIsFilledThroughREST() async throws {
        try await H.withSimulator { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[1]
                let progress = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    try await H.post(sim, "/__sim/gateway/disconnect")
                    for index in 0..<4 { _ = try await H.create(sim, channel: channel, content: "away \(index)") }
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    #expect(await sim.gatewayStats().resumes >= 1)
                    let before = try #require(try await store.gatewaySession("0/1"))

                    try await H.post(sim, "/__sim/gateway/invalidate")
                    // Sent while no session exists: only a REST gap fill can find these.
                    for index in 0..<3 { _ = try await H.create(sim, channel: channel, content: "gap \(index)") }
                    try await signal.waitUntil {
                        let session = try await store.gatewaySession("0/1")
                        return session?.sessionId != before.sessionId
                    }
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    #expect(await sim.gatewayStats().identifies == 2)
                }
                #expect(progress.identifies == 2)
                #expect(progress.resumes >= 1)
            }
        }
    }

    @Test func aStoredSessionIsResumedByTheNextWatchWithWhatHappenedMeanwhile() async throws {
        try await H.withSimulator { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                }
                let existing = await sim.truthMessageIDs(channel: channel)
                let missed = try await H.create(sim, channel: channel, content: "while stopped")
                try await H.post(
                    sim, "/__sim/mutate", ["op": "delete", "channelId": "\(channel)", "messageId": "\(existing[0])"])
                let second = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil {
                        let deleted = try await store.deletionSource(of: existing[0], in: channel) == .live
                        let stored = try await store.message(missed, in: channel)
                        return deleted && stored != nil
                    }
                }
                #expect(second.resumes == 1)
                #expect(second.identifies == 0)
                #expect(await sim.gatewayStats().identifies == 1)
                #expect(try await H.archiveMatchesTruth(sim, store))
            }
        }
    }

    @Test func aGuildJoinedWhileWatchingIsBackfilledAndALeftGuildIsMarkedLeft() async throws {
        try await H.withSimulator(messages: 30, guilds: 2) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let (kept, joined) = (sim.guildIDs[0], sim.guildIDs[1])
                try await H.post(sim, "/__sim/mutate", ["op": "leaveGuild", "guildId": "\(joined)"])
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil {
                        try await store.messageIDs(in: sim.messageChannelIDs(guild: kept)[0], includeDeleted: false)
                            == (await sim.truthMessageIDs(channel: sim.messageChannelIDs(guild: kept)[0]))
                    }
                    #expect(try await store.channels(in: joined).isEmpty)
                    try await H.post(sim, "/__sim/mutate", ["op": "joinGuild", "guildId": "\(joined)"])
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    #expect(try await !store.channels(in: joined).isEmpty)
                    try await H.post(sim, "/__sim/mutate", ["op": "leaveGuild", "guildId": "\(kept)"])
                    try await signal.waitUntil { try await store.leftGuilds()[kept] != nil }
                    // Marked left; nothing archived is deleted.
                    #expect(try await H.archiveMatchesTruth(sim, store))
                    #expect(try await store.leftGuilds()[joined] == nil)
                }
            }
        }
    }

    @Test func aWatchStartedDuringAnEdgeBanWaitsItOutThenCatchesUp() async throws {
        // The simulator's ban (earned by another program) and the edge gate run on virtual time, advanced together.
        try await H.withBanningSimulator(seed: 37, channels: 2, messages: 25) { sim, dir, time, clock in
            try await SimulatorAdmin.earnBan(sim, invalidAnswers: 3)
            let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
            let signal = CommitSignal()
            let changes = Mutex<[String]>([])
            let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: clock) { change in
                changes.withLock { $0.append(EdgeRefusalGate.describe(change)) }
            }
            let live = H.capture(sim, store: store, observer: signal, gate: gate)
            let run = Task { try await live.run() }
            // Refused once, then waiting for the probe: the watch neither exits nor sends.
            await clock.waitForSleepers(1)
            #expect(await sim.stats().bannedResponses == 1)
            #expect(changes.withLock { $0 }.first?.contains("refusing requests from this IP") == true)
            time.advance(by: .seconds(3601))
            clock.advance(by: .seconds(3601))
            try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
            // One probe got through; nothing else was refused.
            #expect(await sim.stats().bannedResponses == 1)
            #expect(changes.withLock { $0 }.last?.contains("accepts requests again") == true)
            let progress = try await H.stop(live, run)
            #expect(progress.identifies == 1)
        }
    }

    @Test func aWatchCancelledWhileItLooksUpTheGatewayThrowsCancellationNotAGatewayFailure() async throws {
        // Waiting for the gateway's description (an edge ban at the start) when its task is cancelled, as a service
        // group cancels its services when another one fails.
        try await H.withBanningSimulator(seed: 39, channels: 1, messages: 5) { sim, dir, _, clock in
            try await SimulatorAdmin.earnBan(sim, invalidAnswers: 3)
            let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
            let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: clock)
            let live = H.capture(sim, store: store, observer: CommitSignal(), gate: gate)
            let run = Task { try await live.run() }
            await clock.waitForSleepers(1)
            run.cancel()
            let outcome = await run.result
            #expect(throws: CancellationError.self) { try outcome.get() }
        }
    }

    @Test func duringAnEdgeBanEventsAreStoredAsTheyArriveAndTheRESTWorkIsDoneWhenItEnds() async throws {
        // The simulator's ban and the edge gate run on virtual time, advanced together; the gateway is not behind it.
        try await H.withBanningSimulator(seed: 38, channels: 2, messages: 25) { sim, dir, time, clock in
            let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
            let signal = CommitSignal()
            let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: clock)
            let live = H.capture(sim, store: store, observer: signal, gate: gate)
            let run = Task { try await live.run() }
            do {
                // Caught up: the gap fill is stored, then the session with it.
                try await signal.waitUntil {
                    let session = try await store.gatewaySession("0/1")
                    return try await H.archiveMatchesTruth(sim, store) && session != nil
                }
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                let before = try #require(try await store.gatewaySession("0/1"))
                try await SimulatorAdmin.earnBan(sim, invalidAnswers: 3)
                // A reaction's count refresh is the first request refused: the ban begins, the refresh is owed.
                let target = await sim.truthMessageIDs(channel: channel)[4]
                try await H.post(
                    sim, "/__sim/mutate",
                    ["op": "react", "channelId": "\(channel)", "messageId": "\(target)", "emoji": "🦉"])
                var created: [Snowflake<Message>] = []
                for index in 0..<3 {
                    created.append(try await H.create(sim, channel: channel, content: "ban \(index)"))
                }
                let during = created
                let storedDuringBan = await finishes(within: TestDeadline.shutdown) {
                    try? await signal.waitUntil {
                        for id in during where try await store.message(id, in: channel) == nil { return false }
                        let users = try await store.reactionUserIDs(
                            of: target, in: channel, emojiKey: "🦉", burst: false)
                        return !users.isEmpty
                    }
                }
                try #require(storedDuringBan, "events received during the ban waited for REST")
                #expect(gate.ban != nil)
                #expect(try await !store.reactions(of: target, in: channel).contains { $0.emojiKey == "🦉" })

                // A new session during the ban: its gap fill waits, its events are stored, the session is not.
                try await H.post(sim, "/__sim/gateway/invalidate")
                // Whether these come live or only through the gap fill depends on when the new session is ready.
                for index in 0..<2 { _ = try await H.create(sim, channel: channel, content: "gap \(index)") }
                try await signal.waitUntil { signal.notes.contains { $0.contains("gap fill waits") } }
                let after = try await H.create(sim, channel: channel, content: "after the new session")
                try await signal.waitUntil { try await store.message(after, in: channel) != nil }
                #expect(try await store.gatewaySession("0/1")?.sessionId == before.sessionId)
                #expect(await sim.stats().bannedResponses == 1)

                // The ban ends: the owed probe gets through, the gap is filled, the counts read, the session kept.
                await clock.waitForSleepers(1)
                time.advance(by: .seconds(3601))
                clock.advance(by: .seconds(3601))
                try await signal.waitUntil {
                    let counted = try await store.reactions(of: target, in: channel).contains { $0.emojiKey == "🦉" }
                    let session = try await store.gatewaySession("0/1")
                    // The note follows the session's commit: it says the catch-up, not an inline gap fill, did it.
                    let caughtUp = signal.notes.contains { $0.contains("caught up after the edge ban") }
                    return try await H.archiveMatchesTruth(sim, store) && counted
                        && session?.sessionId != before.sessionId && caughtUp
                }
                #expect(gate.ban == nil)
                #expect(await sim.stats().bannedResponses == 1)
                #expect(try await store.revisions(of: target, in: channel).isEmpty)
                #expect(try await store.gatewaySession("0/1")?.sequence ?? 0 > 0)
            } catch {
                _ = try? await H.stop(live, run)
                throw error
            }
            let progress = try await H.stop(live, run)
            #expect(progress.identifies == 2)
        }
    }

    @Test func twoShardsOnOneArchiveSplitTheGuildsAndKeepASessionEach() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 33, guilds: 4, channels: 2, messages: 15, threads: 1)
        config.gateway.maxConcurrency = 16
        try await SimulatorServer.withRunningWithinDeadline(config) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let captures = (0..<2).map { id in
                    var configuration = H.liveConfiguration(sim)
                    configuration.shard = (id, 2)
                    return LiveCapture(configuration: configuration, store: store, observer: signal, logger: H.logger)
                }
                let runs = captures.map { live in Task { try await live.run() } }
                try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                // Each guild's events reach the one shard that owns it.
                let guild = sim.guildIDs[3]
                let channel = sim.messageChannelIDs(guild: guild)[0]
                let created = try await H.create(sim, channel: channel, content: "sharded")
                try await signal.waitUntil { try await store.message(created, in: channel) != nil }
                var identifies = 0
                for (live, run) in zip(captures, runs) { identifies += try await H.stop(live, run).identifies }
                #expect(identifies == 2)
                #expect(try await store.gatewaySession("0/2") != nil)
                #expect(try await store.gatewaySession("1/2") != nil)
                #expect(await sim.gatewayStats().identifies == 2)
            }
        }
    }

    @Test func channelsCreatedAndDeletedWhileWatchingAreStoredAndTombstoned() async throws {
        try await H.withSimulator(messages: 20) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let guild = sim.guildIDs[0]
                let doomed = sim.messageChannelIDs(guild: guild)[1]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    let created = try await H.post(
                        sim, "/__sim/mutate", ["op": "createChannel", "guildId": "\(guild)", "name": "fresh"])
                    let id = Snowflake<DiscordModels.Channel>(UInt64(created["id"] as? String ?? "") ?? 0)
                    let first = try await H.create(sim, channel: id, content: "first in a new channel")
                    try await H.post(sim, "/__sim/mutate", ["op": "deleteChannel", "channelId": "\(doomed)"])
                    try await signal.waitUntil {
                        let channels = try await store.channels(in: guild)
                        let deleted = channels.first { $0.id == doomed }?.deletedAt != nil
                        let stored = try await store.message(first, in: id)
                        return deleted && stored != nil && channels.contains { $0.id == id && $0.name == "fresh" }
                    }
                    // Nothing archived is deleted: the channel's messages stay.
                    #expect(try await !store.messageIDs(in: doomed, includeDeleted: false).isEmpty)
                }
            }
        }
    }

    @Test func aReactionRefreshesTheMessagesCountsAndStoresWhoReacted() async throws {
        try await H.withSimulator(messages: 20) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    let target = await sim.truthMessageIDs(channel: channel)[4]
                    try await H.post(
                        sim, "/__sim/mutate",
                        ["op": "react", "channelId": "\(channel)", "messageId": "\(target)", "emoji": "🦉"])
                    try await signal.waitUntil {
                        let users = try await store.reactionUserIDs(
                            of: target, in: channel, emojiKey: "🦉", burst: false)
                        let counted = try await store.reactions(of: target, in: channel).contains { $0.emojiKey == "🦉" }
                        return !users.isEmpty && counted
                    }
                    // Counts refresh the message in place: no revision.
                    #expect(try await store.revisions(of: target, in: channel).isEmpty)
                }
            }
        }
    }

    @Test func aRoleCreatedThroughRESTIsStoredLive() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let guild = sim.guildIDs[0]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    var request = HTTPClientRequest(url: sim.apiBase + "/guilds/\(guild)/roles")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bot \(sim.tokens[0])")
                    request.headers.add(name: "User-Agent", value: "DiscordBot (skald tests, 1)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: "{\"name\":\"Keeper of Sagas\"}"))
                    let response = try await HTTPClient.shared.execute(request, timeout: TestDeadline.request)
                    #expect(response.status == .ok)
                    try await signal.waitUntil {
                        try await store.objects(.role, in: guild).contains {
                            String(decoding: $0.json, as: UTF8.self).contains("Keeper of Sagas")
                        }
                    }
                }
            }
        }
    }

    /// Events that name an object without carrying it whole, injected as Discord documents them: a partial
    /// MESSAGE_UPDATE and a reaction removal read the message again, GUILD_ROLE_DELETE tombstones the role the guild no
    /// longer lists, THREAD_LIST_SYNC stores its threads. All four were ignored.
    @Test func eventsThatOnlyNameAnObjectAreReadAgainThroughREST() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let guild = sim.guildIDs[0]
                let channel = sim.messageChannelIDs(guild: guild)[0]
                let messageRoute = "GET /channels/{channel.id}/messages/{message.id}"
                func inject(_ name: String, _ payload: [String: Any]) async throws {
                    _ = try await H.post(sim, "/__sim/gateway/dispatch", ["t": name, "d": payload])
                }
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    let target = await sim.truthMessageIDs(channel: channel)[2]
                    let reads = await sim.stats().byRoute[messageRoute] ?? 0
                    try await inject(
                        "MESSAGE_UPDATE", ["id": "\(target)", "channel_id": "\(channel)", "guild_id": "\(guild)"])
                    try await inject(
                        "MESSAGE_REACTION_REMOVE_ALL",
                        ["message_id": "\(target)", "channel_id": "\(channel)", "guild_id": "\(guild)"])
                    try await signal.waitUntil { await sim.stats().byRoute[messageRoute] ?? 0 >= reads + 2 }

                    let role: [String: Any] = [
                        "id": "4242", "name": "Fleeting", "color": 0, "hoist": false, "position": 1,
                        "permissions": "0", "managed": false, "mentionable": false,
                    ]
                    try await inject("GUILD_ROLE_CREATE", ["guild_id": "\(guild)", "role": role])
                    func fleeting() async throws -> StoredObject? {
                        try await store.objects(.role, in: guild).first { $0.id.rawValue == 4242 }
                    }
                    try await signal.waitUntil { try await fleeting() != nil }
                    try await inject("GUILD_ROLE_DELETE", ["guild_id": "\(guild)", "role_id": "4242"])
                    try await signal.waitUntil { try await fleeting()?.deletedAt != nil }

                    let thread: [String: Any] = [
                        "id": "4343", "type": 11, "guild_id": "\(guild)", "parent_id": "\(channel)", "name": "synced",
                        "thread_metadata": [
                            "archived": false, "auto_archive_duration": 60,
                            "archive_timestamp": "2024-01-01T00:00:00+00:00", "locked": false,
                        ],
                    ]
                    try await inject(
                        "THREAD_LIST_SYNC",
                        ["guild_id": "\(guild)", "channel_ids": ["\(channel)"], "threads": [thread], "members": []])
                    try await signal.waitUntil { try await store.object(.channel, id: AnySnowflake(4343)) != nil }
                }
            }
        }
    }

    @Test func aDeletionFoundByARecheckIsInferredNotSeenLive() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
                var configuration = H.liveConfiguration(sim).archive
                let engine = { (configuration: ArchiveConfiguration) in
                    try await ArchiveEngine(
                        configuration: configuration, store: store, observer: SilentArchiveObserver(),
                        logger: H.logger
                    ).run()
                }
                let created = try await H.create(sim, channel: channel, content: "soon gone")
                _ = try await engine(configuration)
                try await H.post(
                    sim, "/__sim/mutate", ["op": "delete", "channelId": "\(channel)", "messageId": "\(created)"])
                configuration.recheckDays = 1
                _ = try await engine(configuration)
                #expect(try await store.deletionSource(of: created, in: channel) == .inferred)
            }
        }
    }

    /// Runs `body` on an empty archive with a simulator whose gap fill takes many pages of 40 ms each (time for a
    /// stop or a cancellation to come in the middle of it).
    static func withSlowGapFill(
        _ body: (SimulatorServer, SQLiteArchiveStore, CommitSignal) async throws -> Void
    ) async throws {
        var config = SimulatorConfiguration.testWorld(seed: 5, channels: 3, messages: 4000)
        config.latency = .milliseconds(40)
        try await SimulatorServer.withRunningWithinDeadline(config) { sim in
            try await H.withTemporaryDirectory { dir in
                try await body(sim, try SQLiteArchiveStore(path: dir + "/archive.sqlite"), CommitSignal())
            }
        }
    }

    @Test func aWatchCancelledDuringTheGapFillCancelsTheFill() async throws {
        try await Self.withSlowGapFill { sim, store, signal in
            let live = LiveCapture(
                configuration: H.liveConfiguration(sim), store: store, observer: signal, logger: H.logger)
            let run = Task { try await live.run() }
            try await signal.waitUntil { signal.notes.contains { $0.hasPrefix("new gateway session") } }
            run.cancel()
            // The fill runs in a task of its own: the watch's cancellation reaches it, so the run ends without
            // filling the gap to its end (before, it waited for the whole fill and then committed the session).
            guard await finishes(within: TestDeadline.shutdown, { _ = try? await run.value }) else {
                throw HangDetected("the cancelled watch did not end within \(TestDeadline.shutdown)")
            }
            await #expect(throws: CancellationError.self) { try await run.value }
            #expect(try await store.gatewaySession("0/1") == nil)
        }
    }

    @Test func aStopDuringTheGapFillReturnsWithoutCommittingTheNewSession() async throws {
        try await Self.withSlowGapFill { sim, store, signal in
            let first = try await Self.watching(sim, store: store, signal: signal) {
                try await signal.waitUntil { signal.notes.contains { $0.hasPrefix("new gateway session") } }
            }
            // Stopped mid-fill: nothing says the gap is filled, so the next watch identifies and fills again.
            #expect(first.identifies == 1)
            #expect(try await store.gatewaySession("0/1") == nil)
            _ = try await Self.watching(sim, store: store, signal: signal) {
                try await signal.waitUntil { try await store.gatewaySession("0/1") != nil }
            }
            #expect(try await H.archiveMatchesTruth(sim, store))
            // A third identify when the second came within max_concurrency's window of the first (op 9, retried).
            #expect(await sim.gatewayStats().identifies >= 2)
        }
    }
}
