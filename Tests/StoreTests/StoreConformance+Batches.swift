import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Batched look-ups (a page of messages rendered at once)

    /// Members, users and reaction users of several ids in one look-up equal the one-at-a-time look-ups, and
    /// ids with nothing stored are absent.
    static func batchLookups(_ store: any ArchiveStore) async throws {
        let messages = [
            try Fixture.message(1, reactions: 2), try Fixture.message(2), try Fixture.message(3, reactions: 1),
        ]
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: Fixture.guild, messages: messages))
        let users = [try Fixture.user(9002, name: "zed"), try Fixture.user(9001, name: "yan")]
        try await store.storeReactionUsers(
            users, message: messages[0].value.id, emojiKey: "👍", burst: false, observedAt: at)
        try await store.storeReactionUsers(
            [users[0]], message: messages[2].value.id, emojiKey: "👍", burst: true, observedAt: at)
        let member: Decoded<GuildMember> = try Fixture.decode(
            #"{"user":\#(Fixture.userJSON(8001, name: "bob")),"nick":"Bobby","roles":[],"joined_at":"2025-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}"#
        )
        try await store.storeMembers([member], guild: Fixture.guild, observedAt: at)

        let ids = messages.map(\.value.id) + [Fixture.messageID(99)]
        let normal = try await store.reactionUserIDs(of: ids, in: channel, burst: false)
        #expect(normal == [messages[0].value.id: ["👍": ["9001", "9002"]]])
        let burst = try await store.reactionUserIDs(of: ids, in: channel, burst: true)
        #expect(burst == [messages[2].value.id: ["👍": ["9002"]]])
        #expect(try await store.reactionUserIDs(of: [], in: channel, burst: false).isEmpty)

        let members = try await store.members(["8001", "9001", "8001"], in: Fixture.guild)
        #expect(Array(members.keys) == ["8001"])
        let bob = try #require(try await store.member("8001", in: Fixture.guild))
        #expect(members["8001"] == bob)
        #expect(try await store.members([], in: Fixture.guild).isEmpty)

        // The member list pages in Discord's unsigned order of user ids: one above 2^63 comes last.
        let high = "18446744073709551000"
        let another: Decoded<GuildMember> = try Fixture.decode(
            #"{"user":\#(Fixture.userJSON(UInt64(high)!, name: "hal")),"roles":[],"joined_at":"2025-01-02T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}"#
        )
        try await store.storeMembers([another], guild: Fixture.guild, observedAt: at)
        let everyone = try await store.members(in: Fixture.guild, after: nil, limit: 10)
        #expect(everyone.count == 2 && everyone.first == bob)
        #expect(try await store.members(in: Fixture.guild, after: nil, limit: 1) == [bob])
        #expect(try await store.members(in: Fixture.guild, after: "8001", limit: 10) == [everyone[1]])
        #expect(try await store.members(in: Fixture.guild, after: Snowflake(high), limit: 10).isEmpty)
        #expect(try await store.members(in: "1", after: nil, limit: 10).isEmpty)

        // A member a complete listing lacks is marked left: no longer listed nor served alone, its row kept for
        // history (the batched look-up); listed again, a member again.
        #expect(try await store.markMembersLeft(in: Fixture.guild, notListed: ["8001"], at: at) == 1)
        #expect(try await store.markMembersLeft(in: Fixture.guild, notListed: ["8001"], at: at) == 0)
        #expect(try await store.members(in: Fixture.guild, after: nil, limit: 10) == [bob])
        let hal = try #require(Snowflake<User>(high))
        #expect(try await store.member(hal, in: Fixture.guild) == nil)
        #expect(try await store.members([hal], in: Fixture.guild).count == 1)
        try await store.storeMembers([another], guild: Fixture.guild, observedAt: at)
        #expect(try await store.members(in: Fixture.guild, after: nil, limit: 10) == everyone)

        let found = try await store.objects(.user, ids: ["9001", "9002", "8001", "12345"])
        #expect(Set(found.keys) == ["9001", "9002", "8001"])
        for (id, object) in found { #expect(object == (try await store.object(.user, id: id))) }
    }
}
