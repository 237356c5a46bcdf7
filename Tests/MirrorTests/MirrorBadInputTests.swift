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

/// Bad inputs of a mirror fail with one message naming the service (the target's Fluxer or Discord, not always
/// "Discord"), the option to change (`--guild`, `--target-token`, `--target-guild`, `--target-api`, `--channel`)
/// and what to do, instead of planning nothing and reporting success.
@Suite("Mirror's bad inputs")
struct MirrorBadInputTests {
    static let logger = Logger(label: "skald.mirror-bad-input-tests")

    /// A client of `apiBase` whose errors speak as the mirror's `service` target does in the CLI.
    static func targetClients(_ apiBase: String, _ service: MirrorTarget.Service) -> DiscordClientFactory {
        DiscordClientFactory.forTests(apiBase: apiBase, logger: logger) { configuration in
            configuration.service = service.restService
            configuration.retry.maxRetries = 0
        }
    }

    @Test func anUnknownSourceGuildIsRefusedLikeExportRefusesIt() async throws {
        try await MirrorTests.withMirror { store, _, fluxer, _ in
            let error = await #expect(throws: MirrorError.self) {
                _ = try await MirrorPlanner(store: store).plan(sourceGuild: 1, target: "fluxer:\(fluxer.guildID)")
            }
            #expect(error?.message == ArchivedGuild.absenceMessage(Snowflake(1), option: "--guild"))
            #expect(error?.message.contains("skald archive --guild 1") == true)
        }
    }

    @Test func aGuildKnownOnlyFromImportsIsRefusedWithWhatToDo() async throws {
        try await MirrorTests.withMirror { store, _, fluxer, _ in
            let imported = Snowflake<Guild>(77)
            try await store.commitImport(
                stage: UUID(),
                channel: ImportedChannel(
                    channelId: Snowflake(78), guildId: imported, guildJSON: Data(#"{"id":"77"}"#.utf8),
                    channelJSON: Data(#"{"id":"78"}"#.utf8), source: "export.json", importedAt: Date()))
            let error = await #expect(throws: MirrorError.self) {
                _ = try await MirrorPlanner(store: store).plan(sourceGuild: 77, target: "fluxer:\(fluxer.guildID)")
            }
            #expect(error?.message.contains("only through imported files") == true, "\(String(describing: error))")
            #expect(error?.message.contains("skald archive --guild 77") == true)
        }
    }

    @Test func unknownChannelSelectionsAreRefused() async throws {
        try await MirrorTests.withMirror { store, guild, fluxer, _ in
            let planner = MirrorPlanner(store: store)
            let only = await #expect(throws: MirrorError.self) {
                _ = try await planner.plan(sourceGuild: guild, target: "fluxer:\(fluxer.guildID)", only: [5])
            }
            #expect(only?.message.hasPrefix("--channel 5 is not a channel of guild \(guild)") == true)
            let excluded = await #expect(throws: MirrorError.self) {
                _ = try await planner.plan(sourceGuild: guild, target: "fluxer:\(fluxer.guildID)", excluding: [5, 6])
            }
            #expect(excluded?.message.hasPrefix("--exclude-channel 5, 6 are not channels") == true)
        }
    }

    @Test func aWrongFluxerTokenNamesFluxerAndTheTargetToken() async throws {
        try await MirrorTests.withMirror { _, _, fluxer, _ in
            try await Self.targetClients(fluxer.baseURL + "/v1", .fluxer).withClient(token: "not-the-token-123") {
                client in
                let target = MirrorTarget(client: client, guild: fluxer.guildID, service: .fluxer)
                let error = await #expect(throws: DiscordRESTError.self) { _ = try await target.checkGuild() }
                let text = error.map(String.init(describing:)) ?? ""
                #expect(error?.code == .unauthorized)
                #expect(text.hasPrefix("target Fluxer REST unauthorized"), "\(text)")
                #expect(text.contains("--target-token") && !text.contains("DISCORD_TOKEN"), "\(text)")
            }
        }
    }

    @Test func anUnknownFluxerCommunityNamesTheTargetGuildOption() async throws {
        try await MirrorTests.withMirror { _, _, fluxer, _ in
            try await Self.targetClients(fluxer.baseURL + "/v1", .fluxer).withClient(token: fluxer.token) { client in
                let target = MirrorTarget(client: client, guild: 1, service: .fluxer)
                let error = await #expect(throws: MirrorError.self) { _ = try await target.checkGuild() }
                let text = error?.message ?? ""
                #expect(text.hasPrefix("the target Fluxer community 1 is unknown"), "\(text)")
                #expect(text.contains("UNKNOWN_GUILD") && text.contains("check --target-guild"), "\(text)")
                #expect(!text.contains("Discord"), "\(text)")
            }
        }
    }

    @Test func aDiscordGuildTheBotLeftNamesTheTargetGuildOption() async throws {
        try await MirrorDiscordTests.withDiscordMirror { _, _, sim, _ in
            let guild = sim.guildIDs[1].rawValue
            _ = try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate", ["op": "leaveGuild", "guildId": "\(guild)"])
            try await Self.targetClients(sim.apiBase, .discord).withClient(token: sim.tokens[0]) { client in
                let target = MirrorTarget(client: client, guild: guild, service: .discord)
                let error = await #expect(throws: MirrorError.self) { _ = try await target.checkGuild() }
                let text = error?.message ?? ""
                #expect(text.hasPrefix("the target Discord guild \(guild) is unknown"), "\(text)")
                #expect(text.contains("HTTP 403") && text.contains("invite the bot"), "\(text)")
            }
        }
    }

    @Test func aTargetAPIWithoutTheVersionPathNamesTheTargetAPIOption() async throws {
        try await MirrorDiscordTests.withDiscordMirror { _, _, sim, _ in
            let root = sim.apiBase.replacingOccurrences(of: "/api/v10", with: "")
            try await Self.targetClients(root, .discord).withClient(token: sim.tokens[0]) { client in
                let target = MirrorTarget(client: client, guild: sim.guildIDs[1].rawValue, service: .discord)
                let error = await #expect(throws: MirrorError.self) { _ = try await target.checkGuild() }
                let text = error?.message ?? ""
                #expect(text.hasPrefix("the target API at \(root) has no route GET /guilds/{guild_id}"), "\(text)")
                #expect(text.contains("check --target-api") && !text.contains("--target-guild"), "\(text)")
            }
        }
    }

    @Test func aWrongServiceIsRefusedBothWays() async throws {
        try await MirrorTests.withMirror { _, _, fluxer, _ in
            try await Self.targetClients(fluxer.baseURL + "/v1", .discord).withClient(token: fluxer.token) { client in
                let asDiscord = MirrorTarget(client: client, guild: fluxer.guildID, service: .discord)
                let error = await #expect(throws: MirrorError.self) { try await asDiscord.checkService() }
                #expect(error?.message.contains("is Fluxer") == true && error?.message.contains("--to fluxer") == true)
                try await MirrorTarget(client: client, guild: fluxer.guildID, service: .fluxer).checkService()
            }
        }
        try await MirrorDiscordTests.withDiscordMirror { _, _, sim, _ in
            try await Self.targetClients(sim.apiBase, .fluxer).withClient(token: sim.tokens[0]) { client in
                let asFluxer = MirrorTarget(client: client, guild: sim.guildIDs[1].rawValue, service: .fluxer)
                let error = await #expect(throws: MirrorError.self) { try await asFluxer.checkService() }
                #expect(error?.message.contains("pass --to discord") == true, "\(String(describing: error))")
                try await MirrorTarget(client: client, guild: sim.guildIDs[1].rawValue, service: .discord)
                    .checkService()
            }
        }
    }

    @Test func aDiscordTargetThatIsTheSourceGuildIsRefused() async throws {
        try await MirrorDiscordTests.withDiscordMirror { store, guild, _, _ in
            let error = await #expect(throws: MirrorError.self) {
                _ = try await MirrorPlanner(store: store).plan(sourceGuild: guild, target: "discord:\(guild)")
            }
            #expect(error?.message.contains("is the source guild itself") == true)
        }
    }

    @Test func anUnreachableTargetNamesTheTargetAPIOption() async throws {
        // Port 9 (discard) of the loopback: nothing listens there, the connection is refused at once.
        try await Self.targetClients("http://127.0.0.1:9/v1", .fluxer).withClient(token: "token-123456") { client in
            let target = MirrorTarget(client: client, guild: 1, service: .fluxer)
            let error = await #expect(throws: DiscordRESTError.self) { _ = try await target.checkGuild() }
            let text = error.map(String.init(describing:)) ?? ""
            #expect(text.hasPrefix("target Fluxer REST transport"), "\(text)")
            #expect(text.contains("Check --target-api"), "\(text)")
        }
    }

    @Test func aTargetFailingMidRunSaysARerunContinues() async throws {
        try await MirrorTests.withMirror(
            configure: { $0.faultRate = 1 },
            { store, guild, fluxer, _ in
                try await Self.targetClients(fluxer.baseURL + "/v1", .fluxer).withClient(token: fluxer.token) {
                    client in
                    let target = MirrorTarget(client: client, guild: fluxer.guildID, service: .fluxer)
                    let plan = try await MirrorPlanner(store: store).plan(sourceGuild: guild, target: target.key)
                    let error = await #expect(throws: MirrorError.self) {
                        _ = try await MirrorEngine(store: store, target: target, logger: Self.logger).run(plan)
                    }
                    let text = error?.message ?? ""
                    #expect(text.hasPrefix("target Fluxer REST server"), "\(text)")
                    #expect(text.contains("run the same command again to continue"), "\(text)")
                    #expect((error?.underlying as? DiscordRESTError)?.status == 500)
                }
            })
    }

    @Test func aRefusedWriteNamesThePermission() {
        #expect(
            MirrorEngine.neededPermission(route: "POST /guilds/{guild_id}/roles", service: .fluxer) == "MANAGE_ROLES")
        #expect(
            MirrorEngine.neededPermission(route: "POST /channels/{channel_id}/webhooks", service: .discord)
                == "MANAGE_WEBHOOKS")
        #expect(
            MirrorEngine.neededPermission(route: "POST /guilds/{guild_id}/emojis", service: .discord)
                == "CREATE_GUILD_EXPRESSIONS")
        #expect(
            MirrorEngine.neededPermission(route: "POST /guilds/{guild_id}/stickers", service: .fluxer)
                == "CREATE_EXPRESSIONS")
        #expect(MirrorEngine.neededPermission(route: "GET /users/@me", service: .fluxer) == nil)
    }
}
