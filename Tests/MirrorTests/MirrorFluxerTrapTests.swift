import FluxerSimulator
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import DiscordREST
@testable import Mirror

/// What a fake Fluxer written from fluxer-api.md alone found: answers lost after the write, NSFW and slowmode that
/// Fluxer takes only by PATCH (and NSFW last), and refusals whose advice must follow Fluxer's rules.
@Suite("Mirror Fluxer traps")
struct MirrorFluxerTrapTests {
    /// Runs `plan` again from the archive after each 5xx, as ``MirrorResumption`` does (without its waits).
    static func runResuming(planner: MirrorPlanner, engine: MirrorEngine, guild: UInt64, key: String)
        async throws -> Int
    {
        var failures = 0
        while true {
            let plan = try await planner.plan(sourceGuild: guild, target: key)
            do {
                _ = try await engine.run(plan)
                return failures
            } catch let error as MirrorError where MirrorResumption.isTransient(error) && failures < 200 {
                failures += 1
            }
        }
    }

    @Test func answersLostAfterTheWriteDuplicateNothing() async throws {
        // [B] webhooks ignore `nonce` (fluxer-api.md §3.5): a blind resend of an execute whose answer was lost posts
        // the message twice. The engine's next attempt finds the copy by reading the channel instead.
        try await MirrorTests.withMirror(
            flavour: .baseline, configure: { $0.lostAnswerRate = 0.2 },
            { store, guild, fluxer, target in
                var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
                engine.sleep = { _ in }
                let failures = try await Self.runResuming(
                    planner: MirrorPlanner(store: store), engine: engine, guild: guild, key: target.key)
                #expect(failures > 0, "the fake lost some answers")
                let contents = await fluxer.messageContents()
                let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
                #expect(all.count == Set(all).count, "duplicates after lost answers")
                #expect(all.count == (try await MirrorTests.liveCounts(store, guild: guild)))
            })
    }

    @Test func aWebhookDeletedMidRunIsReplacedAndNothingIsLostOrDuplicated() async throws {
        try await MirrorTests.withMirror(flavour: .baseline) { store, guild, fluxer, target in
            var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
            engine.parallelChannels = 1
            let sent = Mutex(0)
            let deleted = Mutex(0)
            engine.afterWrite = { step in
                guard case .message = step else { return }
                let count = sent.withLock { value in
                    value += 1
                    return value
                }
                if count == 10 {
                    let hooks = await fluxer.webhookCounts().values.reduce(0, +)
                    deleted.withLock { $0 = hooks }
                    await fluxer.deleteWebhooks()
                }
            }
            let planner = MirrorPlanner(store: store)
            let failures = try await Self.runResuming(planner: planner, engine: engine, guild: guild, key: target.key)
            #expect(failures == deleted.withLock { $0 }, "one stop per deleted webhook, then a new one")
            let contents = await fluxer.messageContents()
            let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
            #expect(all.count == Set(all).count, "duplicates after the webhook was replaced")
            #expect(all.count == (try await MirrorTests.liveCounts(store, guild: guild)))
            // The copies of the deleted webhook are still the mirror's.
            let plan = try await planner.plan(sourceGuild: guild, target: target.key)
            let reports = try await MirrorVerifier(store: store, target: target).verify(plan)
            #expect(reports.filter { !$0.isComplete }.isEmpty, "\(reports.map(\.line))")
        }
    }

    @Test(arguments: [FluxerSimulatorConfiguration.Flavour.newer, .baseline])
    func announcementChannelsKeepTheirTypeWhereFluxerHasIt(flavour: FluxerSimulatorConfiguration.Flavour)
        async throws
    {
        // fluxer-api.md §3.2: [N] adds type 5; §6: "Try 5, on 400 use 0". [B] is not asked (it has no type 5).
        try await MirrorTests.withMirror(flavour: flavour) { store, guild, fluxer, target in
            var plan = try await MirrorPlanner(store: store).plan(sourceGuild: guild, target: target.key)
            // A text channel with messages stands for an announcement channel (planned as text: type 0).
            let index = try #require(plan.channels.firstIndex { $0.type == 0 && $0.pendingMessages > 0 })
            plan.channels[index].sourceType = 5
            let announcement = plan.channels[index]
            _ = try await MirrorEngine(store: store, target: target, logger: MirrorTests.logger).run(plan)
            let made = await fluxer.channels().filter { $0.name == announcement.name }.map(\.type)
            // (The community's own "general" may share the name.)
            #expect(made.contains(5) == (flavour == .newer), "\(made)")
            let contents = await fluxer.messageContents()
            #expect(contents[announcement.name]?.count ?? 0 == announcement.pendingMessages)
        }
    }

    @Test func nsfwAndSlowmodeAreSetAfterTheChannelsMessagesAndPins() async throws {
        try await MirrorTests.withMirror(flavour: .baseline) { store, guild, fluxer, target in
            let planner = MirrorPlanner(store: store)
            var plan = try await planner.plan(sourceGuild: guild, target: target.key)
            // The channel with pins: were NSFW set before them, Fluxer would refuse the bot its pins (§3.2).
            let index = try #require(plan.channels.firstIndex { $0.pendingPins > 0 && $0.type == 0 })
            plan.channels[index].nsfw = true
            plan.channels[index].slowmode = 30
            let name = plan.channels[index].name
            let collected = LineCollector()
            _ = try await MirrorEngine(store: store, target: target, logger: MirrorTests.logger).run(plan) {
                collected.add($0)
            }
            let lines = collected.lines
            let settings = try #require(await fluxer.channelSettings()[name])
            #expect(settings.nsfw && settings.slowmode == 30)
            #expect(await fluxer.pinsAndReplies().pinned >= plan.channels[index].pendingPins)
            #expect(lines.last == "channel \"\(name)\": NSFW, slowmode 30 s set", "\(lines)")
            let mappings = try await store.mirrorObjectMappings(target: target.key)
            #expect(
                mappings.contains {
                    $0.kind == MirrorEngine.settingsKind && $0.sourceId == plan.channels[index].sourceId
                })
            // Fluxer refuses the bot its reads of the NSFW copy: verify says so and checks the archive's side.
            let reports = try await MirrorVerifier(store: store, target: target).verify(plan)
            let report = try #require(reports.first { $0.name == name })
            #expect(report.ageRestricted && report.isComplete, "\(report.line)")
            // A later plan knows the settings were applied.
            let again = try await planner.plan(sourceGuild: guild, target: target.key)
            #expect(again.channels.first { $0.sourceId == plan.channels[index].sourceId }?.settingsApplied == true)
        }
    }

    @Test func refusalsAdviseWhatFluxerNeeds() async throws {
        let service = MirrorTarget.Service.fluxer
        try await MirrorBadInputTests.targetClients("http://127.0.0.1:9/v1", service).withClient(token: "t-123456") {
            client in
            let target = MirrorTarget(client: client, guild: 7, service: service)
            let hierarchy = DiscordRESTError.forbidden(
                route: "PATCH /guilds/{guild_id}/roles/{role_id}", object: "role 1",
                discordMessage: "Missing permissions"
            ).withCodeName("MISSING_PERMISSIONS").from(service.restService)
            let text = MirrorEngine.stopped(by: hierarchy, on: target).message
            // ADMINISTRATOR does not bypass Fluxer's role hierarchy (fluxer-api.md §3.3): the owner raises the role.
            #expect(text.contains("move the bot's role to the top"), "\(text)")
            #expect(!text.contains("(or ADMINISTRATOR)"), "\(text)")
            let nsfw = DiscordRESTError.forbidden(
                route: "GET /channels/{channel_id}/messages", object: "channel 1", discordMessage: "Age restricted"
            ).withCodeName("NSFW_CONTENT_AGE_RESTRICTED").from(service.restService)
            let nsfwText = MirrorEngine.stopped(by: nsfw, on: target).message
            #expect(nsfwText.contains("turn NSFW off"), "\(nsfwText)")
        }
    }
}

/// Lines a run prints, collected across tasks.
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
