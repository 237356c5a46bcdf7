import DiscordGateway
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// The simulator's Create Reaction (`PUT /channels/{c}/messages/{m}/reactions/{emoji}/@me`) against discord-api.md
/// §3.3 and the spec's `add_my_message_reaction`: 204, the reaction in the message (`me: true`, counted), in its
/// users, and MESSAGE_REACTION_ADD with the bot as `user_id`; idempotent; Discord's refusals. Before, the route was
/// not there at all (404), so nothing the bot did with reactions could be tested.
@Suite("Create Reaction on the simulator", .serialized, .timeLimit(.minutes(5)))
struct CreateReactionTests {
    typealias H = GatewayTestHarness

    /// One API request as the bot: status and JSON body.
    static func send(_ sim: SimulatorServer, _ method: String, _ path: String, json: String? = nil) async throws
        -> (status: UInt, body: Any?)
    {
        let reply = try await SimulatorAdmin.asBot(sim, method, path, json: json)
        return (reply.status, reply.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: reply.body))
    }

    static func code(_ reply: (status: UInt, body: Any?)) -> Int? { (reply.body as? [String: Any])?["code"] as? Int }

    @Test func createReactionAnswers204ShowsTheReactionAndTellsTheGateway() async throws {
        try await H.withSimulator { sim in
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let bot = sim.botUserIDs[0].description
            let log = GatewayEventLog()
            let client = GatewayClient(configuration: H.configuration(sim), logger: H.logger)
            let run = H.start(client, log: log)
            try await log.waitUntil { H.readyCount($0, resumed: false) == 1 }
            let message = try await H.create(sim, channel: channel, content: "a clip https://streamable.com/abc")
            let path = "/channels/\(channel)/messages/\(message)/reactions/%F0%9F%8E%AC/@me"

            let added = try await Self.send(sim, "PUT", path)
            #expect(added.status == 204 && added.body == nil)
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_REACTION_ADD", containing: message) }
            let event = try #require(await log.dispatches.first { $0.name == "MESSAGE_REACTION_ADD" })
            let payload = try #require(try JSONSerialization.jsonObject(with: event.frame) as? [String: Any])
            let data = try #require(payload["d"] as? [String: Any])
            #expect(data["user_id"] as? String == bot)
            #expect((data["emoji"] as? [String: Any])?["name"] as? String == "🎬")

            let read = try await Self.send(sim, "GET", "/channels/\(channel)/messages/\(message)")
            let reactions = (read.body as? [String: Any])?["reactions"] as? [[String: Any]] ?? []
            let mine = try #require(reactions.first { ($0["emoji"] as? [String: Any])?["name"] as? String == "🎬" })
            #expect(mine["me"] as? Bool == true)
            #expect(mine["count"] as? Int == 1)
            #expect((mine["count_details"] as? [String: Any])?["normal"] as? Int == 1)
            let users = try await Self.send(
                sim, "GET", "/channels/\(channel)/messages/\(message)/reactions/%F0%9F%8E%AC")
            #expect((users.body as? [[String: Any]])?.map { $0["id"] as? String } == [bot])

            // PUT is idempotent: 204 again, the count unchanged, no second event.
            #expect(try await Self.send(sim, "PUT", path).status == 204)
            let again = try await Self.send(sim, "GET", "/channels/\(channel)/messages/\(message)")
            let counted = ((again.body as? [String: Any])?["reactions"] as? [[String: Any]])?.first?["count"] as? Int
            #expect(counted == 1)
            let marker = try await H.create(sim, channel: channel, content: "after the second reaction")
            try await log.waitUntil { H.hasDispatch($0, "MESSAGE_CREATE", containing: marker) }
            #expect(await log.dispatches.filter { $0.name == "MESSAGE_REACTION_ADD" }.count == 1)
            try await H.stop(client, run)
        }
    }

    @Test func createReactionRefusesAsDiscordDoes() async throws {
        try await H.withSimulator { sim in
            let guild = sim.guildIDs[0].description
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0].description
            let message = try await H.create(sim, channel: channel, content: "no reactions yet")
            let base = "/channels/\(channel)/messages/\(message)/reactions"
            // Unknown message 10008, an unencoded or made-up emoji 10014, an unknown custom emoji 10014.
            let unknown = try await Self.send(sim, "PUT", "/channels/\(channel)/messages/1/reactions/%F0%9F%8E%AC/@me")
            #expect(unknown.status == 404 && Self.code(unknown) == 10008)
            #expect(Self.code(try await Self.send(sim, "PUT", "\(base)/pin/@me")) == 10014)
            #expect(Self.code(try await Self.send(sim, "PUT", "\(base)/clip:123/@me")) == 10014)
            // ADD_REACTIONS denied to @everyone in the channel (the bot's own role does not grant it): a first
            // reaction with an emoji is 403 50013, joining one someone already added is allowed.
            let denied = try await Self.send(
                sim, "PUT", "/channels/\(channel)/permissions/\(guild)", json: #"{"type":0,"allow":"0","deny":"64"}"#)
            #expect(denied.status == 204)
            let first = try await Self.send(sim, "PUT", "\(base)/%F0%9F%8E%AC/@me")
            #expect(first.status == 403 && Self.code(first) == 50013)
            try await H.post(
                sim, "/__sim/mutate", ["op": "react", "channelId": channel, "messageId": message, "emoji": "🎬"])
            #expect(try await Self.send(sim, "PUT", "\(base)/%F0%9F%8E%AC/@me").status == 204)
        }
    }
}
