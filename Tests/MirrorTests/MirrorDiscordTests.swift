import Archive
import ArchiveStore
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Logging
import Mirror
import SQLiteStore
import Synchronization
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--to discord`: the same engine mirrors an archived guild into another guild of the Discord simulator, with
/// Discord's channel types, real threads and forum posts, emojis, pins and uploads.
@Suite("Mirror into a Discord guild")
struct MirrorDiscordTests {
    static let logger = Logger(label: "skald.mirror-discord-tests")

    /// An archive of guild 0 of a generated world (announcement channel, forum, threads, replies, pins,
    /// attachments, emojis) and a Discord target for guild 1 of the same simulator.
    static func withDiscordMirror(
        configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: (SQLiteArchiveStore, UInt64, SimulatorServer, MirrorTarget) async throws -> Void
    ) async throws {
        var config = SimulatorConfiguration.testWorld(seed: 31, guilds: 2, channels: 8, messages: 50, threads: 8)
        configure(&config)
        try await SimulatorServer.withClient(config, logger: logger) { sim, client in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skald-mirror-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
            var archive = ArchiveConfiguration(
                accounts: [.init(name: "test", token: sim.tokens[0], guilds: [sim.guildIDs[0]])])
            archive.apiBase = sim.apiBase
            _ = try await ArchiveEngine(
                configuration: archive, store: store, observer: SilentArchiveObserver(), logger: logger
            ).run()
            let target = MirrorTarget(client: client, guild: sim.guildIDs[1].rawValue, service: .discord)
            try await body(store, sim.guildIDs[0].rawValue, sim, target)
        }
    }

    /// An engine with the simulator's CDN as the source of emojis and files, Discord's upload caps.
    static func engine(_ store: SQLiteArchiveStore, _ sim: SimulatorServer, _ target: MirrorTarget) -> MirrorEngine {
        var engine = MirrorEngine(store: store, target: target, logger: logger)
        engine.sourceCDN = sim.cdnBase
        engine.attachments = MirrorAttachments(
            mediaRoot: nil,
            caps: .init(perFile: target.defaultFileLimit, perMessage: target.defaultMessageLimit),
            temporaryDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("skald-mirror-\(UUID())"))
        return engine
    }

    static func writes(_ sim: SimulatorServer) async -> Int {
        await sim.stats().byRoute.filter { !$0.key.hasPrefix("GET") }.values.reduce(0, +)
    }

    static func plan(_ store: SQLiteArchiveStore, _ guild: UInt64, _ target: MirrorTarget) async throws -> MirrorPlan {
        try await MirrorPlanner(store: store).plan(sourceGuild: guild, target: target.key, keepingChannelTypes: true)
    }

    /// The mirror's copies on the target, by source channel (messages of the channel's webhook, oldest first).
    static func copies(
        _ store: SQLiteArchiveStore, _ sim: SimulatorServer, _ plan: MirrorPlan, _ target: MirrorTarget
    ) async throws -> [UInt64: [TruthMessage]] {
        let mappings = try await store.mirrorObjectMappings(target: plan.target)
        let channels = Dictionary(
            mappings.filter { $0.kind == "channel" }.map { ($0.sourceId, $0.targetId) }, uniquingKeysWith: { a, _ in a }
        )
        let webhooks = Dictionary(
            mappings.filter { $0.kind == "webhook" }.map { ($0.sourceId, $0.targetId) }, uniquingKeysWith: { a, _ in a }
        )
        var copies: [UInt64: [TruthMessage]] = [:]
        for item in plan.channels {
            guard let channel = channels[item.sourceId] else { continue }
            let webhook = webhooks[MirrorEngine.webhookHost(of: item, on: target)]
            copies[item.sourceId] = await sim.truthMessages(channel: Snowflake(channel)).filter {
                webhook != nil && $0.webhookId == webhook
            }
        }
        return copies
    }

    /// The target's truth equals the archive: every channel with its type and parent (threads under their parent
    /// channel, forum posts in their forum), one copy per message part in order with its author's name, pins
    /// pinned, files uploaded with their names and sizes, emojis re-uploaded; a rerun sends nothing and
    /// `mirror verify` finds every channel complete. Planning sends no write.
    @Test func targetTruthEqualsTheArchive() async throws {
        try await Self.withDiscordMirror { store, guild, sim, target in
            let plan = try await Self.plan(store, guild, target)
            #expect(await Self.writes(sim) == 0, "planning sent a write")
            let types = Set(plan.channels.map(\.type))
            #expect(types.isSuperset(of: [4, 0, 5, 15, 11]), "the generated guild has \(types)")
            let result = try await Self.engine(store, sim, target).run(plan)
            #expect(result.messages > 0 && result.roles == plan.roles.count)

            // Structure.
            let mappings = try await store.mirrorObjectMappings(target: plan.target)
            let made = Dictionary(
                mappings.filter { $0.kind == "channel" }.map { ($0.sourceId, $0.targetId) },
                uniquingKeysWith: { a, _ in a })
            let truth = Dictionary(
                await sim.truthGuildChannels(Snowflake(target.guild)).map { ($0.id.rawValue, $0) },
                uniquingKeysWith: { a, _ in a })
            for item in plan.channels where item.pendingMessages > 0 || ![10, 11, 12].contains(item.type) {
                let copy = try #require(made[item.sourceId].flatMap { truth[$0] }, "\(item.name) was not made")
                #expect(copy.type.rawValue == item.type, "\(item.name)")
                #expect(copy.parentId?.rawValue == item.parentSourceId.flatMap { made[$0] }, "\(item.name)")
                #expect(copy.name == item.name)
            }
            let roles = try await target.roles()
            for role in plan.roles {
                let copy = mappings.first { $0.kind == "role" && $0.sourceId == role.sourceId }
                #expect(roles.contains { $0.id == copy?.targetId && $0.name == role.name }, "role \(role.name)")
            }
            let emojis = try await target.expressions("emoji")
            #expect(
                plan.expressions.filter { $0.kind == "emoji" }.allSatisfy { emoji in
                    mappings.contains {
                        $0.kind == "emoji" && $0.sourceId == emoji.sourceId && emojis.map(\.id).contains($0.targetId)
                    }
                })

            // Stickers re-uploaded as multipart forms (PNG, APNG and GIF; the generated guild has no Lottie one).
            let stickers = try await target.expressions("sticker")
            let plannedStickers = plan.expressions.filter { $0.kind == "sticker" && $0.imagePath != nil }
            #expect(plannedStickers.count == 3)
            for sticker in plannedStickers {
                let copy = mappings.first { $0.kind == "sticker" && $0.sourceId == sticker.sourceId }
                #expect(stickers.contains { $0.id == copy?.targetId && $0.name == sticker.name }, "\(sticker.name)")
            }

            // Messages: authors, pins, files, in order.
            let copies = try await Self.copies(store, sim, plan, target)
            var sourcePins = 0
            var sourceFiles: [String] = []
            var threadCopies = 0
            for item in plan.channels where MirrorEngine.takesMessages(item.type, on: target) {
                let stored = try await store.messages(in: Snowflake(item.sourceId), after: nil, limit: 10_000)
                    .filter { $0.deletedAt == nil }
                let targetCopies = copies[item.sourceId] ?? []
                #expect(targetCopies.count >= stored.count, "\(item.name): \(targetCopies.count) of \(stored.count)")
                #expect(targetCopies.map(\.id) == targetCopies.map(\.id).sorted())
                let names = Set(targetCopies.compactMap(\.username))
                for message in stored {
                    let source = MirrorSourceMessage(
                        id: message.id.rawValue, timestamp: Date(), content: message.content, json: message.json)
                    #expect(names.contains(String(source.authorName.prefix(80))) || source.authorName.isEmpty)
                    if source.pinned { sourcePins += 1 }
                    for attachment in try await store.attachments(of: message.id, in: Snowflake(item.sourceId))
                    where attachment.size <= Int(target.defaultFileLimit) {
                        sourceFiles.append("\(attachment.filename)|\(attachment.size)")
                    }
                }
                #expect(targetCopies.filter { $0.content.count > 2000 || !$0.content.contains("-# ") }.isEmpty)
                if [10, 11, 12].contains(item.type) { threadCopies += targetCopies.count }
            }
            #expect(threadCopies > 0, "threads and forum posts were filled")
            let all = copies.values.flatMap { $0 }
            #expect(all.filter(\.pinned).count == sourcePins)
            #expect(sourcePins > 0)
            let uploaded = all.flatMap(\.files)
            #expect(uploaded.filter { $0.sha256 == nil }.isEmpty)
            #expect(uploaded.map { "\($0.filename)|\($0.size)" }.sorted() == sourceFiles.sorted())

            // A rerun sends nothing; verify agrees.
            let writes = await Self.writes(sim)
            let again = try await Self.plan(store, guild, target)
            #expect(again.pendingMessages == 0)
            let second = try await Self.engine(store, sim, target).run(again)
            #expect(second.roles == 0 && second.channels == 0 && second.messages == 0)
            #expect(await Self.writes(sim) == writes)
            var verifier = MirrorVerifier(store: store, target: target)
            verifier.attachments = Self.engine(store, sim, target).attachments
            verifier.samplePerChannel = 1000
            let reports = try await verifier.verify(again)
            let differing = reports.filter { !$0.isComplete }.map(\.line)
            #expect(!reports.isEmpty && differing.isEmpty, "\(differing)")
            #expect(await sim.stats().rateLimited.user == 0)
        }
    }

    /// A kill between a target write and its record, at each kind of write (a thread's create and a forum post's
    /// first message too): the rerun finds what the killed run made, nothing is duplicated or missing.
    @Test(arguments: ["role", "channel", "thread", "sticker", "webhook", "message", "forumPost", "laterMessage"])
    func killBetweenWriteAndRecordDuplicatesNothing(point: String) async throws {
        try await Self.withDiscordMirror { store, guild, sim, target in
            let plan = try await Self.plan(store, guild, target)
            let threads = Set(plan.channels.filter { [10, 11, 12].contains($0.type) }.map(\.sourceId))
            let forumPosts = MirrorEngine(store: store, target: target, logger: Self.logger).forumPostIDs(plan)
            let channelsBefore = await sim.truthGuildChannels(Snowflake(target.guild)).count
            let rolesBefore = try await target.roles().count
            let stickersBefore = try await target.expressions("sticker").count
            let fired = Mutex(false)
            var engine = Self.engine(store, sim, target)
            engine.parallelChannels = 1
            engine.afterWrite = { step in
                let matches: Bool
                switch step {
                case .role: matches = point == "role"
                case .sticker: matches = point == "sticker"
                case .channel(let id): matches = point == (threads.contains(id) ? "thread" : "channel")
                case .webhook: matches = point == "webhook"
                case .message(let channel, let id, let part):
                    matches =
                        (point == "message" && part == 0 && !forumPosts.contains(channel))
                        || (point == "forumPost" && forumPosts.contains(channel))
                        || (point == "laterMessage" && id % 3 == 0)
                default: matches = false
                }
                guard matches else { return }
                let first = fired.withLock { fired in
                    defer { fired = true }
                    return !fired
                }
                guard first else { return }
                throw CancellationError()
            }
            await #expect(throws: CancellationError.self) { _ = try await engine.run(plan) }
            #expect(fired.withLock { $0 })
            engine.afterWrite = nil
            let result = try await engine.run(try await Self.plan(store, guild, target))
            #expect(result.recovered >= 1, "the write of the killed run was found on the target")
            #expect(try await Self.plan(store, guild, target).pendingMessages == 0)
            var verifier = MirrorVerifier(store: store, target: target)
            verifier.attachments = Self.engine(store, sim, target).attachments
            verifier.samplePerChannel = 1000
            let reports = try await verifier.verify(plan)
            let differing = reports.filter { !$0.isComplete }.map(\.line)
            #expect(!reports.isEmpty && differing.isEmpty, "\(differing)")
            // No object made twice: one target channel per planned one, one webhook per channel.
            let mappings = try await store.mirrorObjectMappings(target: plan.target)
            let made = Set(mappings.filter { $0.kind == "channel" }.map(\.targetId))
            #expect(await sim.truthGuildChannels(Snowflake(target.guild)).count == channelsBefore + made.count)
            #expect(try await target.roles().count == rolesBefore + plan.roles.count, "roles made twice")
            let stickers = mappings.filter { $0.kind == "sticker" }.map(\.targetId)
            #expect(try await target.expressions("sticker").count == stickersBefore + stickers.count)
            #expect(stickers.count == plan.expressions.filter { $0.kind == "sticker" && $0.imagePath != nil }.count)
        }
    }

    /// Files not in the media folder whose stored URLs expired (the simulator's virtual clock moved past their
    /// `ex`): the CDN refuses them, the mirror renews them through the source's `POST /attachments/refresh-urls`
    /// (one call per message) and uploads them; without a source client they are linked instead.
    @Test(arguments: [true, false])
    func expiredAttachmentURLsAreRefreshed(refresh: Bool) async throws {
        let time = VirtualTime()
        let configure: (inout SimulatorConfiguration) -> Void = {
            $0.clock = time.clock
            $0.attachmentURLLifetime = .seconds(600)
            $0.channelsPerGuild = 3
            $0.threadsPerGuild = 1
        }
        try await Self.withDiscordMirror(configure: configure) { store, guild, sim, target in
            time.advance(by: .seconds(3600))
            let source = DiscordClient(
                configuration: .init(token: sim.tokens[0], apiBase: sim.apiBase), logger: Self.logger)
            var engine = Self.engine(store, sim, target)
            if refresh { engine.attachments?.refreshURLs = { try await source.refreshAttachmentURLs($0) } }
            let plan = try await Self.plan(store, guild, target)
            _ = try await engine.run(plan)
            try await source.shutdown()
            let copies = try await Self.copies(store, sim, plan, target).values.flatMap { $0 }
            let uploaded = copies.flatMap(\.files).count
            let linked = copies.map { $0.content.components(separatedBy: "could not be fetched").count - 1 }
                .reduce(0, +)
            let refreshes = await sim.stats().byRoute["POST /attachments/refresh-urls"] ?? 0
            if refresh {
                #expect(uploaded > 0 && linked == 0)
                #expect(refreshes > 0 && refreshes <= copies.filter { !$0.files.isEmpty }.count)
            } else {
                #expect(uploaded == 0 && linked > 0)
                #expect(refreshes == 0)
            }
        }
    }

    /// A bad token stops after one request (401), before any write.
    @Test func badTokenStopsAfterOneRequest() async throws {
        try await Self.withDiscordMirror { _, _, sim, _ in
            let before = await sim.stats().requests
            let clients = DiscordClientFactory.forTests(apiBase: sim.apiBase, logger: Self.logger)
            try await clients.withClient(token: "not-the-token-123") { client in
                let target = MirrorTarget(client: client, guild: sim.guildIDs[1].rawValue, service: .discord)
                await #expect(throws: DiscordRESTError.self) { _ = try await target.checkGuild() }
            }
            #expect(await sim.stats().requests == before + 1)
        }
    }

    /// NSFW flags and slowmode reach a Discord target with the channels (Discord takes both at creation). Before,
    /// only Fluxer targets got them (patched at the end): a Discord copy of an age-restricted channel was open to all.
    @Test func nsfwAndSlowmodeComeWithTheChannels() async throws {
        let fifteenChannels: (inout SimulatorConfiguration) -> Void = { $0.channelsPerGuild = 15 }
        try await Self.withDiscordMirror(configure: fifteenChannels) { store, guild, sim, target in
            let plan = try await Self.plan(store, guild, target)
            #expect(
                plan.channels.contains { $0.nsfw } && plan.channels.contains { $0.slowmode > 0 }, "\(plan.channels)")
            _ = try await Self.engine(store, sim, target).run(plan)
            var request = URLRequest(url: try #require(URL(string: "\(sim.apiBase)/guilds/\(target.guild)/channels")))
            request.setValue("Bot \(sim.tokens[0])", forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            let made = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            let byId = Dictionary(
                made.compactMap { row in (row["id"] as? String).flatMap(UInt64.init).map { ($0, row) } },
                uniquingKeysWith: { a, _ in a })
            let mappings = try await store.mirrorObjectMappings(target: plan.target)
            for item in plan.channels where item.type != 4 && ![10, 11, 12].contains(item.type) {
                guard let id = mappings.first(where: { $0.kind == "channel" && $0.sourceId == item.sourceId })?.targetId
                else { continue }
                let copy = try #require(byId[id], "\(item.name)")
                #expect((copy["nsfw"] as? Bool ?? false) == item.nsfw, "\(item.name)")
                #expect((copy["rate_limit_per_user"] as? Int ?? 0) == item.slowmode, "\(item.name)")
            }
        }
    }
}
