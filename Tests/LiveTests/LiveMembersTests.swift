import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import Live
import SQLiteStore
import TestSupport
import Testing

/// Guild members over the gateway: the simulator sends GUILD_MEMBER_ADD/UPDATE/REMOVE as its members change, and
/// live capture keeps the archive's members (the list `archive --members` fills and `serve` pages) in step. Before,
/// the simulator sent none of them and `watch` ignored them: the archive's members stayed as the last
/// `archive --members` saw them.
extension LiveCaptureTests {
    /// The user ids of the guild's members the archive lists (the served `GET /guilds/{g}/members`).
    static func storedMemberIDs(_ store: any ArchiveStore, guild: Snowflake<Guild>) async throws -> [Snowflake<User>] {
        try await store.members(in: guild, after: nil, limit: 1000).compactMap { json in
            let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
            return ((object?["user"] as? [String: Any])?["id"] as? String).flatMap { Snowflake<User>($0) }
        }
    }

    /// The stored member JSON of `user`, as text ("" when none is listed).
    static func storedMember(_ store: any ArchiveStore, _ user: Snowflake<User>, guild: Snowflake<Guild>) async throws
        -> String
    {
        try await store.member(user, in: guild).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func mutateMember(_ sim: SimulatorServer, _ body: [String: Any]) async throws -> Snowflake<User> {
        let answer = try await H.post(sim, "/__sim/mutate", body)
        return try #require((answer["id"] as? String).flatMap { Snowflake<User>($0) }, "\(answer)")
    }

    /// A member joins, one changes nick and roles, one leaves, while watching (the first watch archives members,
    /// `watch --members`); then, while stopped, the one who left comes back and another leaves: the second watch
    /// (without `--members`: the archive holds members) resumes and replays them. The archive's member list equals
    /// the simulator's at each step, and a member who left keeps its row (its profile for history).
    static func membersChangeWhileWatching(_ sim: SimulatorServer, store: any ArchiveStore & LiveCaptureStore)
        async throws
    {
        let signal = CommitSignal()
        let guild = sim.guildIDs[0]
        var configuration = H.liveConfiguration(sim)
        configuration.archive.members = true
        let existing = await sim.truthMemberIDs(guild: guild)
        let people = existing.filter { !sim.botUserIDs.contains($0) }
        let humans = try #require(people.count > 3 ? people : nil)
        let (renamed, leaver, later) = (humans[1], humans[2], humans[3])
        func inStep() async throws -> Bool {
            try await storedMemberIDs(store, guild: guild) == (await sim.truthMemberIDs(guild: guild))
        }

        let live = LiveCapture(configuration: configuration, store: store, observer: signal, logger: H.logger)
        let run = Task { try await live.run() }
        do {
            try await signal.waitUntil { try await inStep() }
            let newcomer = try await mutateMember(
                sim, ["op": "addMember", "guildId": "\(guild)", "username": "skald_newcomer"])
            _ = try await mutateMember(
                sim,
                [
                    "op": "updateMember", "guildId": "\(guild)", "userId": "\(renamed)", "nick": "Renamed Rower",
                    "roles": [String](),
                ])
            _ = try await mutateMember(sim, ["op": "removeMember", "guildId": "\(guild)", "userId": "\(leaver)"])
            try await signal.waitUntil {
                guard try await storedMember(store, renamed, guild: guild).contains("Renamed Rower") else {
                    return false
                }
                return try await inStep()
            }
            #expect(try await storedMember(store, newcomer, guild: guild).contains("skald_newcomer"))
            #expect(try await storedMember(store, leaver, guild: guild) == "")
            // The row stays: a message of the member who left still finds the profile.
            #expect(try await store.members([leaver], in: guild)[leaver] != nil)
        } catch {
            _ = try? await H.stop(live, run)
            throw error
        }
        _ = try await H.stop(live, run)

        // While stopped: the member who left comes back, another leaves. The session resumes and replays both.
        _ = try await mutateMember(sim, ["op": "addMember", "guildId": "\(guild)", "userId": "\(leaver)"])
        _ = try await mutateMember(sim, ["op": "removeMember", "guildId": "\(guild)", "userId": "\(later)"])
        let second = try await watching(sim, store: store, signal: signal) {
            try await signal.waitUntil { try await inStep() }
        }
        #expect(second.resumes == 1)
        #expect(try await storedMember(store, leaver, guild: guild).contains("\(leaver)"))
        #expect(try await storedMember(store, later, guild: guild) == "")
    }

    @Test func membersJoiningChangingAndLeavingReachTheArchivesMemberListLive() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                try await Self.membersChangeWhileWatching(
                    sim, store: try SQLiteArchiveStore(path: dir + "/archive.sqlite"))
            }
        }
    }

    /// An archive made without `--members` holds no member list, and the gateway's member events do not start one:
    /// a few members seen joining would pass for the guild's whole list.
    @Test func anArchiveWithoutMembersKeepsNoneFromTheGateway() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let signal = CommitSignal()
                let guild = sim.guildIDs[0]
                let channel = sim.messageChannelIDs(guild: guild)[0]
                _ = try await Self.watching(sim, store: store, signal: signal) {
                    try await signal.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                    _ = try await Self.mutateMember(
                        sim, ["op": "addMember", "guildId": "\(guild)", "username": "skald_newcomer"])
                    // A message after the event: once it is stored, the event before it was handled.
                    let marker = try await H.create(sim, channel: channel, content: "after the join")
                    try await signal.waitUntil { try await store.message(marker, in: channel) != nil }
                }
                #expect(try await Self.storedMemberIDs(store, guild: guild).isEmpty)
            }
        }
    }
}
