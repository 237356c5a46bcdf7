import DiscordModels
import DiscordSimulator
import Foundation
import NIOHTTP1
import TestSupport
import Testing

/// The list routes' query parameters against the docs and the OpenAPI spec: `limit` ranges, snowflake cursors,
/// booleans (discord-api-docs, reference.md, "Boolean Query Strings") and a reaction's `type` (0 or 1). Before,
/// `with_counts=yes` (or any value that is not a boolean) was read as false and answered 200, and a reaction `type`
/// other than 1 listed the normal reactions.
@Suite("Simulator query parameters") struct QueryParameterTests {
    /// The first `_errors` code of a 400 50035 on `field`.
    static func formError(_ reply: SimHTTP.Reply, _ field: String) -> String? {
        guard reply.status == 400, reply.object["code"] as? Int == 50035 else { return nil }
        let errors = (reply.object["errors"] as? [String: Any])?[field] as? [String: Any]
        return ((errors?["_errors"] as? [[String: Any]])?.first)?["code"] as? String
    }

    @Test func limitsOutsideTheirRangesAndBadBooleansAreRefused() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            // GET /users/@me/guilds: limit 1–200 (spec), with_counts a boolean.
            #expect(Self.formError(try await http.get("/users/@me/guilds?limit=0"), "limit") == "NUMBER_TYPE_MIN")
            #expect(Self.formError(try await http.get("/users/@me/guilds?limit=201"), "limit") == "NUMBER_TYPE_MAX")
            #expect(Self.formError(try await http.get("/users/@me/guilds?before=x"), "before") == "NUMBER_TYPE_COERCE")
            #expect(
                Self.formError(try await http.get("/users/@me/guilds?with_counts=yes"), "with_counts")
                    == "BOOLEAN_TYPE_CONVERT")
            let counted = try await http.get("/users/@me/guilds?with_counts=True")
            #expect(counted.status == 200 && counted.array.first?["approximate_member_count"] != nil)
            let uncounted = try await http.get("/users/@me/guilds?with_counts=0")
            #expect(uncounted.status == 200 && uncounted.array.first?["approximate_member_count"] == nil)
            #expect(
                Self.formError(try await http.get("/guilds/\(guild)?with_counts=maybe"), "with_counts")
                    == "BOOLEAN_TYPE_CONVERT")
            #expect(
                Self.formError(
                    try await http.get("/guilds/\(guild)/scheduled-events?with_user_count=2"), "with_user_count")
                    == "BOOLEAN_TYPE_CONVERT")
            #expect(
                Self.formError(try await http.get("/guilds/\(guild)/members?limit=1001"), "limit") == "NUMBER_TYPE_MAX")
        }
    }

    @Test func aReactionTypeOtherThanZeroOrOneIsRefused() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let page = try await http.get("/channels/\(channel)/messages?limit=100")
            let reacted = try #require(page.array.first { ($0["reactions"] as? [[String: Any]])?.isEmpty == false })
            let id = try #require(reacted["id"] as? String)
            let emoji = try #require(
                ((reacted["reactions"] as? [[String: Any]])?.first?["emoji"] as? [String: Any])?["name"] as? String)
            let path =
                "/channels/\(channel)/messages/\(id)/reactions/"
                + (emoji.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? emoji)
            #expect(try await http.get(path + "?type=0").status == 200)
            #expect(try await http.get(path + "?type=1").status == 200)
            #expect(Self.formError(try await http.get(path + "?type=2"), "type") == "ENUM_TYPE_COERCE")
            #expect(Self.formError(try await http.get(path + "?type=burst"), "type") == "NUMBER_TYPE_COERCE")
        }
    }

    /// `addMember`, `updateMember` and `removeMember` change what the member routes answer.
    @Test func membersChangedThroughTheAdminSurfaceAreServed() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            func listed() async throws -> [String] {
                try await http.get("/guilds/\(guild)/members?limit=1000").array.compactMap {
                    ($0["user"] as? [String: Any])?["id"] as? String
                }
            }
            let before = try await listed()
            #expect(before == (await sim.truthMemberIDs(guild: guild)).map(\.description))
            let added = try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate", ["op": "addMember", "guildId": "\(guild)", "username": "skald_newcomer"])
            let newcomer = try #require(added["id"] as? String)
            #expect(try await listed() == (before + [newcomer]).sorted { UInt64($0)! < UInt64($1)! })
            try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate",
                ["op": "updateMember", "guildId": "\(guild)", "userId": newcomer, "nick": "Rower", "roles": [String]()])
            #expect(try await http.get("/guilds/\(guild)/members/\(newcomer)").object["nick"] as? String == "Rower")
            try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate", ["op": "removeMember", "guildId": "\(guild)", "userId": newcomer])
            #expect(try await listed() == before)
            let gone = try await http.get("/guilds/\(guild)/members/\(newcomer)")
            #expect(gone.status == 404 && gone.object["code"] as? Int == 10007)
        }
    }
}
