import DiscordGateway
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// GUILD_MEMBER_ADD, GUILD_MEMBER_UPDATE and GUILD_MEMBER_REMOVE from the simulator as Discord sends them
/// (discord-api-docs, gateway-events.mdx): when its members change through `/__sim/mutate`, and only to sessions
/// with the GUILD_MEMBERS intent. Before, the simulator sent none of them.
@Suite("Guild member events from the simulator", .serialized, .timeLimit(.minutes(5)))
struct MemberEventTests {
    typealias H = GatewayTestHarness

    /// The `d` object of the first dispatch named `name`.
    static func payload(_ dispatches: [GatewayDispatch], _ name: String) throws -> [String: Any] {
        let dispatch = try #require(dispatches.first { $0.name == name }, "no \(name)")
        let frame = try #require(try JSONSerialization.jsonObject(with: dispatch.frame) as? [String: Any])
        return try #require(frame["d"] as? [String: Any])
    }

    @Test func memberEventsCarryDiscordsPayloadsOnlyToSessionsWithTheGuildMembersIntent() async throws {
        try await H.withSimulator { sim in
            let guild = "\(sim.guildIDs[0])"
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let members = GatewayEventLog()
            let withMembers = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            var lacking = H.configuration(sim)
            lacking.intents = GatewayIntents.archiver.subtracting(.guildMembers)
            let others = GatewayEventLog()
            let withoutMembers = GatewayClient(configuration: lacking, logger: H.logger)
            let first = H.start(withMembers, log: members)
            let second = H.start(withoutMembers, log: others)
            try await members.waitUntil { H.readyCount($0, resumed: false) == 1 }
            try await others.waitUntil { H.readyCount($0, resumed: false) == 1 }

            let user = await sim.truthMemberIDs(guild: sim.guildIDs[0]).first { !sim.botUserIDs.contains($0) }
            let existing = try #require(user).description
            let added = try await H.post(
                sim, "/__sim/mutate", ["op": "addMember", "guildId": guild, "username": "skald_newcomer"])
            let newcomer = try #require(
                (try JSONSerialization.jsonObject(with: added) as? [String: Any])?["id"] as? String)
            try await H.post(
                sim, "/__sim/mutate",
                ["op": "updateMember", "guildId": guild, "userId": existing, "nick": "Renamed Rower"])
            try await H.post(sim, "/__sim/mutate", ["op": "removeMember", "guildId": guild, "userId": newcomer])
            // A message after the member events: each session receives its events in order.
            let marker = try await H.create(sim, channel: channel, content: "after the member events")
            try await members.waitUntil { H.hasDispatch($0, "MESSAGE_CREATE", containing: marker) }
            try await others.waitUntil { H.hasDispatch($0, "MESSAGE_CREATE", containing: marker) }

            let events = await members.dispatches
            let add = try Self.payload(events, "GUILD_MEMBER_ADD")
            #expect(add["guild_id"] as? String == guild)
            #expect((add["user"] as? [String: Any])?["username"] as? String == "skald_newcomer")
            #expect(add["roles"] is [Any] && add["joined_at"] is String && add["deaf"] is Bool)
            let update = try Self.payload(events, "GUILD_MEMBER_UPDATE")
            #expect(update["guild_id"] as? String == guild && update["nick"] as? String == "Renamed Rower")
            #expect((update["user"] as? [String: Any])?["id"] as? String == existing)
            let remove = try Self.payload(events, "GUILD_MEMBER_REMOVE")
            #expect(Set(remove.keys) == ["guild_id", "user"])
            #expect((remove["user"] as? [String: Any])?["id"] as? String == newcomer)
            #expect(!(await others.dispatches).contains { $0.name.hasPrefix("GUILD_MEMBER_") })

            try await H.stop(withMembers, first)
            try await H.stop(withoutMembers, second)
        }
    }
}
