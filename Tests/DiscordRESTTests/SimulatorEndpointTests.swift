import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// Every read endpoint against the simulator: decoding, ordering and paging.
@Suite(.serialized) struct SimulatorEndpointTests {
    static var config: SimulatorConfiguration {
        var config = SimulatorConfiguration.testWorld(
            seed: 21, channels: 6, messages: 120, threads: 30, rateLimits: .discord)
        config.users = 40
        return config
    }

    @Test func identityAndGuildStructure() async throws {
        try await withSimulator(Self.config) { sim, client, _ in
            let me = try await client.currentUser()
            #expect(me.value.bot == true)
            let gateway = try await client.gatewayBot().value
            #expect(gateway.shards >= 1)
            // No path, as Discord's `wss://gateway.discord.gg`: a client must connect at `/`.
            #expect(gateway.url == "ws://127.0.0.1:\(sim.port)")
            let guilds = try await collect(client.guilds(pageSize: 1)).flatMap { $0 }
            #expect(guilds.map(\.value.id) == sim.guildIDs.sorted())
            let guildID = try #require(guilds.first?.value.id)
            let guild = try await client.guild(guildID)
            #expect(guild.value.approximateMemberCount != nil)
            let channels = try await client.guildChannels(guildID)
            #expect(!channels.isEmpty)
            #expect(
                channels.allSatisfy {
                    ![ChannelType.publicThread, .privateThread, .announcementThread].contains($0.value.type)
                })
            let roles = try await client.roles(guildID)
            #expect(roles.contains { $0.value.id.rawValue == guildID.rawValue })  // @everyone
            _ = try await client.emojis(guildID)
            _ = try await client.stickers(guildID)
            _ = try await client.scheduledEvents(guildID)
            let channel = try await client.channel(channels[0].value.id)
            #expect(channel.value.id == channels[0].value.id)
            #expect(try Decoded<Channel>(decoding: channel.json).value == channel.value)
        }
    }

    @Test func membersPageAscendingAndMissingIntentIsTyped() async throws {
        try await withSimulator(Self.config) { sim, client, _ in
            let guildID = sim.guildIDs[0]
            let pages = try await collect(client.members(guildID, pageSize: 7))
            let ids = pages.flatMap { $0 }.compactMap { $0.value.user?.id }
            #expect(ids.count > 7)
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == ids.count)
            #expect(pages.dropLast().allSatisfy { $0.count == 7 })
        }
        var config = Self.config
        config.guildMembersIntent = false
        try await withSimulator(config) { sim, client, _ in
            let error = await #expect(throws: DiscordRESTError.self) {
                _ = try await collect(client.members(sim.guildIDs[0]))
            }
            #expect(error?.code == .missingIntent)
            #expect(String(describing: error).contains("GUILD_MEMBERS"))
        }
    }

    @Test func messagesBothDirectionsAndSingleMessage() async throws {
        try await withSimulator(Self.config) { sim, client, admin in
            let channel = try #require(try await admin.readableTextChannels(in: sim.guildIDs[0]).first)
            let truth = try await admin.messages(in: channel).map(\.id)
            let ascending = try await collect(client.messages(in: channel, after: Snowflake(0), pageSize: 25))
            #expect(ascending.flatMap { $0 }.map(\.value.id.rawValue) == truth)
            let descending = try await collect(client.messages(in: channel, before: nil, pageSize: 25))
            #expect(descending.flatMap { $0 }.map(\.value.id.rawValue) == truth.reversed())
            #expect(descending.allSatisfy { page in page.map(\.value.id) == page.map(\.value.id).sorted(by: >) })
            let middle = try await client.messages(in: channel, after: Snowflake(truth[truth.count / 2]), pageSize: 100)
                .reduce(into: [UInt64]()) { $0 += $1.map(\.value.id.rawValue) }
            #expect(middle == Array(truth[(truth.count / 2 + 1)...]))
            let one = try await client.message(Snowflake(truth[0]), in: channel)
            #expect(one.value.id.rawValue == truth[0])
            let missing = await #expect(throws: DiscordRESTError.self) {
                _ = try await client.message(Snowflake(1), in: channel)
            }
            #expect(missing?.code == .notFound)
            #expect(missing?.discordCode == 10008)
            #expect(String(describing: missing).contains("channel \(channel)"))
        }
    }

    @Test func threadsPinsAndReactions() async throws {
        try await withSimulator(Self.config) { sim, client, admin in
            let guildID = sim.guildIDs[0]
            let active = try await client.activeThreads(guildID)
            #expect(active.threads.allSatisfy { $0.value.threadMetadata?.archived != true })
            var archivedSeen = 0
            let viewable = Set(try await admin.channels(in: guildID, flag: "readable"))
            for channel in try await client.guildChannels(guildID)
            where viewable.contains(channel.value.id)
                && [ChannelType.guildText, .guildAnnouncement, .guildForum].contains(channel.value.type)
            {
                let pages = try await collect(client.publicArchivedThreads(in: channel.value.id, pageSize: 2))
                let threads = pages.flatMap(\.threads)
                archivedSeen += threads.count
                let stamps = threads.compactMap { $0.value.threadMetadata?.archiveTimestamp?.date }
                #expect(stamps == stamps.sorted(by: >))
                #expect(Set(threads.map(\.value.id)).count == threads.count)
                #expect(pages.dropLast().allSatisfy { $0.hasMore == true })
                _ = try await collect(client.joinedPrivateArchivedThreads(in: channel.value.id))
            }
            #expect(archivedSeen > 0)

            // Pins and reactions in the readable text channels.
            var reactionsChecked = 0
            for channel in try await admin.readableTextChannels(in: guildID) {
                let pins = try await collect(client.pins(in: channel, pageSize: 2)).flatMap(\.items)
                let pinnedAt = pins.compactMap { $0.value.pinnedAt.date }
                #expect(pinnedAt == pinnedAt.sorted(by: >))
                for try await page in client.messages(in: channel, after: Snowflake(0)) {
                    for message in page {
                        for reaction in message.value.reactions ?? [] where reactionsChecked < 5 {
                            let emoji =
                                reaction.emoji.id.map { "\(reaction.emoji.name ?? "_"):\($0)" }
                                ?? reaction.emoji.name ?? ""
                            let users = try await collect(
                                client.reactionUsers(emoji, on: message.value.id, in: channel, pageSize: 3)
                            ).flatMap { $0 }
                            let ids = users.map(\.value.id)
                            #expect(ids == ids.sorted())
                            #expect(ids.count == reaction.countDetails?.normal ?? reaction.count)
                            reactionsChecked += 1
                        }
                    }
                }
            }
            #expect(reactionsChecked > 0)
        }
    }
}
