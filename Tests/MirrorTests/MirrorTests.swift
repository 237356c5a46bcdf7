import Archive
import ArchiveStore
import DiscordModels
import DiscordREST
import DiscordSimulator
import FluxerSimulator
import Foundation
import Logging
import Mirror
import SQLiteStore
import TestSupport
import Testing

@Suite("Mirror into fluxer-sim")
struct MirrorTests {
    static let logger = Logger(label: "skald.mirror-tests")
    /// The Discord simulator's CDN while a ``withMirror`` body runs (emoji and sticker images come from it).
    @TaskLocal static var sourceCDN: String?

    /// An archive of a small generated guild, a fresh fake Fluxer, and a Fluxer target for its token.
    static func withMirror(
        flavour: FluxerSimulatorConfiguration.Flavour = .newer, mediaDirectory: String? = nil,
        configure: (inout FluxerSimulatorConfiguration) -> Void = { _ in },
        _ body: (SQLiteArchiveStore, UInt64, FluxerSimulatorServer, FluxerTarget) async throws -> Void
    ) async throws {
        let config = SimulatorConfiguration.testWorld(seed: 23, channels: 3, messages: 40, threads: 1)
        try await SimulatorServer.withRunning(config) { sim in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skald-mirror-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            var fluxerConfig = FluxerSimulatorConfiguration()
            fluxerConfig.flavour = flavour
            configure(&fluxerConfig)
            try await FluxerSimulatorServer.withRunning(fluxerConfig) { fluxer in
                let clients = DiscordClientFactory.forTests(apiBase: fluxer.baseURL + "/v1", logger: logger)
                try await clients.withClient(token: fluxer.token) { client in
                    let store = try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
                    var archive = ArchiveConfiguration(accounts: [.init(name: "test", token: sim.tokens[0])])
                    archive.apiBase = sim.apiBase
                    if let mediaDirectory {
                        archive.media = true
                        archive.mediaDirectory = mediaDirectory
                    }
                    _ = try await ArchiveEngine(
                        configuration: archive, store: store, observer: SilentArchiveObserver(), logger: logger
                    ).run()
                    try await $sourceCDN.withValue(sim.cdnBase) {
                        try await body(
                            store, sim.guildIDs[0].rawValue, fluxer, FluxerTarget(client: client, guild: fluxer.guildID)
                        )
                    }
                }
            }
        }
    }

    /// Live archived message counts per source channel.
    static func liveCounts(_ store: SQLiteArchiveStore, guild: UInt64) async throws -> Int {
        var total = 0
        for channel in try await store.channels(in: Snowflake(guild)) {
            total += try await store.messageIDs(in: channel.id, includeDeleted: false).count
        }
        return total
    }

    static func writes(_ fluxer: FluxerSimulatorServer) async -> Int {
        await fluxer.requestsByRoute().filter { !$0.key.hasPrefix("GET") }.values.reduce(0, +)
    }

    @Test func mirrorEqualsTheArchive() async throws {
        try await Self.withMirror { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let plan = try await planner.plan(sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
            #expect(plan.pendingMessages > 0)
            #expect(await Self.writes(fluxer) == 0, "planning sent a write")
            let result = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(plan)
            let live = try await Self.liveCounts(store, guild: guild)
            let contents = await fluxer.messageContents()
            let total = contents.values.reduce(0) { $0 + $1.count }
            #expect(total >= live)
            #expect(result.messages == total)
            #expect(contents.values.allSatisfy { $0.allSatisfy { $0.count <= 2000 && $0.contains("\n-# ") } })
            #expect(await fluxer.rateLimited().global == 0)
            // A rerun sends nothing.
            let again = try await planner.plan(sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
            #expect(again.pendingMessages == 0)
            let second = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(again)
            #expect(second.roles == 0 && second.channels == 0 && second.messages == 0)
            #expect(await fluxer.messageContents().values.reduce(0) { $0 + $1.count } == total)
            // mirror verify: every channel matches; a message the archive did not record is found.
            let reports = try await MirrorVerifier(store: store, target: target).verify(again)
            #expect(!reports.isEmpty && reports.allSatisfy(\.isComplete), "\(reports.map(\.line))")
            #expect(reports.reduce(0) { $0 + $1.sampled } > 0)
            let webhook = try #require(
                try await store.mirrorMappings(target: again.target).first { $0.kind == "webhook" })
            _ = try await target.execute(
                webhook: webhook.targetId, token: webhook.extra ?? "", content: "stray", username: "x", avatarURL: nil,
                nonce: nil)
            let after = try await MirrorVerifier(store: store, target: target).verify(again)
            #expect(after.filter { !$0.isComplete }.map(\.unrecorded) == [1])
        }
    }

    /// Interrupted after its first channel, the rerun completes without a duplicate.
    @Test func interruptedRunResumesWithoutDuplicates() async throws {
        try await Self.withMirror { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            var engine = MirrorEngine(store: store, target: target, logger: Self.logger)
            engine.parallelChannels = 1
            let first = try await planner.plan(sourceGuild: guild, target: key)
            let (stream, continuation) = AsyncStream.makeStream(of: String.self)
            let runner = engine
            let run = Task { try await runner.run(first) { continuation.yield($0) } }
            for await line in stream where line.contains("messages sent") {
                run.cancel()
                break
            }
            _ = try? await run.value
            let resumed = try await planner.plan(sourceGuild: guild, target: key)
            #expect(resumed.pendingMessages < first.pendingMessages)
            #expect(resumed.pendingMessages > 0)
            _ = try await engine.run(resumed)
            let contents = await fluxer.messageContents()
            let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
            #expect(all.count == Set(all).count, "duplicates after the rerun")
            let live = try await Self.liveCounts(store, guild: guild)
            let unsent = try await planner.plan(sourceGuild: guild, target: key).pendingMessages
            #expect(all.count >= live, "target \(all.count), archive \(live), unsent \(unsent)")
            // No channel made twice: the community's four starting channels plus one per planned channel.
            #expect(await fluxer.channels().count == 4 + first.channels.count)
        }
    }

    /// A bad target token stops after one request with 401.
    @Test func badTokenStopsAfterOneRequest() async throws {
        try await Self.withMirror { _, _, fluxer, _ in
            let clients = DiscordClientFactory.forTests(apiBase: fluxer.baseURL, logger: Self.logger)
            try await clients.withClient(token: "not-the-token-123") { client in
                let target = FluxerTarget(client: client, guild: fluxer.guildID)
                await #expect(throws: DiscordRESTError.self) { _ = try await target.checkGuild() }
            }
            #expect(await fluxer.requestsByRoute().values.reduce(0, +) == 1)
        }
    }

    /// Replies: kept as replies where the target's webhooks keep them ([N]), quoted where not ([B]); pinned
    /// messages pinned on the target.
    @Test(arguments: FluxerSimulatorConfiguration.Flavour.allCases)
    func repliesAndPins(flavour: FluxerSimulatorConfiguration.Flavour) async throws {
        try await Self.withMirror(flavour: flavour) { store, guild, fluxer, target in
            var pinned = 0
            var sameChannelReplies = 0
            for channel in try await store.channels(in: Snowflake(guild)) {
                let messages = try await store.messages(in: channel.id, after: nil, limit: 10_000)
                let ids = Set(messages.map(\.id.rawValue))
                for stored in messages where stored.deletedAt == nil {
                    let message = MirrorSourceMessage(
                        id: stored.id.rawValue, timestamp: Date(), content: stored.content, json: stored.json)
                    if message.pinned { pinned += 1 }
                    if let reply = message.replyToId, ids.contains(reply) { sameChannelReplies += 1 }
                }
            }
            #expect(pinned > 0 && sameChannelReplies > 0, "the generated guild has pins and replies")
            let plan = try await MirrorPlanner(store: store).plan(
                sourceGuild: guild, target: "fluxer:\(fluxer.guildID)")
            _ = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(plan)
            let truth = await fluxer.pinsAndReplies()
            #expect(truth.pinned == pinned)
            let quoted = await fluxer.messageContents().values.joined().filter { $0.hasPrefix("> ↪ **") }.count
            if flavour == .newer {
                #expect(truth.replies >= sameChannelReplies)
            } else {
                #expect(truth.replies == 0)
                #expect(quoted >= sameChannelReplies)
            }
        }
    }

    /// `--channel` / `--exclude-channel`: only the chosen channels (with their category) are made and filled.
    @Test func selectionKeepsOnlyTheChosenChannels() async throws {
        try await Self.withMirror { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            let everything = try await planner.plan(sourceGuild: guild, target: key)
            let texts = everything.channels.filter { $0.type == 0 && $0.messageCount > 0 && $0.sourceType == 0 }
            let chosen = try #require(texts.first)
            let plan = try await planner.plan(sourceGuild: guild, target: key, only: [chosen.sourceId])
            #expect(plan.channels.filter { $0.type != 4 }.map(\.sourceId).first == chosen.sourceId)
            #expect(plan.channels.allSatisfy { $0.type == 4 || $0.sourceId == chosen.sourceId || $0.sourceType >= 10 })
            #expect(plan.channels.filter { $0.type == 4 }.count <= 1)
            let excluded = try await planner.plan(sourceGuild: guild, target: key, excluding: [chosen.sourceId])
            #expect(!excluded.channels.contains { $0.sourceId == chosen.sourceId })
            _ = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(plan)
            let contents = await fluxer.messageContents()
            #expect(
                contents.filter { !$0.value.isEmpty }.count == plan.channels.filter { $0.pendingMessages > 0 }.count)
            #expect(await fluxer.channels().count == 4 + plan.channels.count)
        }
    }

    /// `--after`: only messages at or after the bound are planned and sent.
    @Test func afterBoundSendsOnlyLaterMessages() async throws {
        try await Self.withMirror { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            let everything = try await planner.plan(sourceGuild: guild, target: key)
            let channel = try #require(everything.channels.first { $0.type == 0 && $0.messageCount > 10 })
            let ids = try await store.messageIDs(in: Snowflake(channel.sourceId), includeDeleted: false).sorted()
            let bound = ids[ids.count / 2].rawValue
            let plan = try await planner.plan(sourceGuild: guild, target: key, only: [channel.sourceId], after: bound)
            let expected = ids.filter { $0.rawValue >= bound }.count
            #expect(plan.channels.first { $0.sourceId == channel.sourceId }?.pendingMessages == expected)
            let result = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(plan)
            #expect(result.messages >= expected && result.messages < ids.count)
        }
    }

    /// Fluxer's string error codes (fluxer-api.md §4) survive into the error.
    @Test func fluxerErrorCodesAreKept() async throws {
        try await Self.withMirror { _, _, _, target in
            do {
                _ = try await target.createWebhook(channel: 42, name: "x")
                Issue.record("a webhook in an unknown channel was created")
            } catch let error as DiscordRESTError {
                #expect(error.errorCodeName == "UNKNOWN_CHANNEL")
                #expect(error.status == 404)
                #expect(error.description.contains("UNKNOWN_CHANNEL"))
            }
        }
    }

    @Test func longContentIsSplitWithinTheLimit() {
        let message = MirrorSourceMessage(
            id: 1, content: String(repeating: "word ", count: 900), authorName: "a", avatarURL: nil,
            timestamp: Date(timeIntervalSince1970: 1_700_000_000))
        let parts = MirrorMessageFormatter().parts(of: message)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.count <= 2000 })
        #expect(parts.last?.hasSuffix("-# 2023-11-14 22:13 UTC") == true)
    }
}
