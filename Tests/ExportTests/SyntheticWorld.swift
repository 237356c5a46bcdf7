import ArchiveStore
import DiscordModels
import Foundation
import SQLiteStore

/// The Discord data behind `synthetic-2.47.json`, as the archive engine would have stored it from the REST API:
/// guild, category, channel, roles, members, users, messages and reaction users.
enum SyntheticWorld {
    static let guildId: UInt64 = 555_691_592_908_800_000
    static let channelId: UInt64 = 555_691_597_103_104_002

    static let alice = """
        {"id":"319807291392000005","username":"alice","discriminator":"0","global_name":"Alice",\
        "avatar":"6f3d2a1b0c9e8d7f6a5b4c3d2e1f0a9b","public_flags":0}
        """
    static let bob = """
        {"id":"1477001084928000003","username":"bob_the_builder","discriminator":"0","global_name":"Bob",\
        "avatar":null,"public_flags":0}
        """
    static let carol = """
        {"id":"143633940480000007","username":"carol","discriminator":"0042","global_name":null,"avatar":null}
        """

    static func decoded<T: Decodable>(_ text: String, as: T.Type = T.self) throws -> Decoded<T> {
        try Decoded<T>(decoding: Data(text.utf8))
    }

    static func message(
        id: String, type: Int = 0, content: String, author: String, timestamp: String, edited: String? = nil,
        extra: String = ""
    ) -> String {
        """
        {"id":"\(id)","type":\(type),"channel_id":"\(channelId)","content":\(quoted(content)),"author":\(author),\
        "timestamp":"\(timestamp)","edited_timestamp":\(edited.map { "\"\($0)\"" } ?? "null"),"tts":false,\
        "mention_everyone":false,"mention_roles":[],"pinned":false,"flags":0\(extra.isEmpty ? "" : ",")\(extra)\
        \(extra.contains("\"mentions\"") ? "" : ",\"mentions\":[]")\(extra.contains("\"attachments\"") ? "" : ",\"attachments\":[]")\
        \(extra.contains("\"embeds\"") ? "" : ",\"embeds\":[]")}
        """
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    /// Fills `store` with the world.
    static func populate(_ store: any ArchiveStore) async throws {
        let guild = try decoded(
            """
            {"id":"\(guildId)","name":"Example Server","icon":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","owner_id":"319807291392000005",\
            "roles":[],"emojis":[],"features":[]}
            """, as: Guild.self)
        let category = try decoded(
            """
            {"id":"555691597103104001","type":4,"guild_id":"\(guildId)","name":"Text Channels","position":0}
            """, as: Channel.self)
        let channel = try decoded(
            """
            {"id":"\(channelId)","type":0,"guild_id":"\(guildId)","name":"general","position":1,\
            "parent_id":"555691597103104001","topic":"General chat & links <3 — be nice"}
            """, as: Channel.self)
        let roles = try [
            """
            {"id":"\(guildId)","name":"@everyone","color":0,"position":0,"permissions":"1024","hoist":false,\
            "managed":false,"mentionable":false}
            """,
            """
            {"id":"555692851200000000","name":"Moderator","color":3447003,"position":5,"permissions":"0",\
            "hoist":true,"managed":false,"mentionable":true}
            """,
            """
            {"id":"555693102858240000","name":"Member","color":0,"position":1,"permissions":"0","hoist":false,\
            "managed":false,"mentionable":false}
            """,
        ].map { try decoded($0, as: Role.self) }
        try await store.storeGuild(GuildSnapshot(guild: guild, channels: [category, channel], roles: roles))
        let members = try [
            """
            {"user":\(alice),"nick":"Ally","roles":["555693102858240000","555692851200000000"],\
            "joined_at":"2019-03-12T10:00:00.000000+00:00","deaf":false,"mute":false}
            """,
            """
            {"user":\(bob),"nick":null,"roles":[],"joined_at":"2026-02-27T18:00:05.123000+00:00","deaf":false,\
            "mute":false}
            """,
        ].map { try decoded($0, as: GuildMember.self) }
        let observed = Date(timeIntervalSince1970: 1_772_300_000)
        try await store.storeMembers(members, guild: Snowflake(guildId), observedAt: observed)
        let attachmentURL =
            "https://cdn.discordapp.com/attachments/555691597103104002/1477002637869056013/photo.png?ex=69a2c0f0&is=69a16f70&hm=3f1d9c0a7b5e2d4c6a8f0e1b3d5c7a9e2f4b6d8c0a1e3f5b7d9c1e3a5b7d9f0c&"
        let messages = try [
            message(
                id: "1477002364706619403", type: 7, content: "", author: bob,
                timestamp: "2026-02-27T18:00:05.123000+00:00"),
            message(
                id: "1477002637869056012",
                content: "Welcome <@1477001084928000003>! Here is the photo 😀 <:kekw:781247840256000000>",
                author: alice, timestamp: "2026-02-27T18:01:10.250000+00:00",
                edited: "2026-02-27T18:02:00.450000+00:00",
                extra: """
                    "mentions":[\(bob)],"attachments":[{"id":"1477002637869056013","filename":"photo.png",\
                    "size":48213,"url":"\(attachmentURL)","proxy_url":"https://media.discordapp.net/attachments/x/photo.png",\
                    "content_type":"image/png","width":640,"height":480}],\
                    "reactions":[{"emoji":{"id":null,"name":"👍"},"count":2,"count_details":{"burst":0,"normal":2},\
                    "burst_colors":[],"me":false,"me_burst":false,"burst_count":0}]
                    """),
            message(
                id: "1477003236635312142", content: "https://example.com/article", author: carol,
                timestamp: "2026-02-27T18:03:33.007000+00:00",
                extra: """
                    "embeds":[{"type":"article","url":"https://example.com/article","title":"Example Article",\
                    "description":"An example article, used for illustration.","thumbnail":{"url":\
                    "https://example.com/thumb.png","proxy_url":\
                    "https://images-ext-1.discordapp.net/external/q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM/https/example.com/thumb.png",\
                    "width":400,"height":300}}]
                    """),
            message(
                id: "1477003416541593615", type: 19, content: "<@319807291392000005> thanks ❤️", author: bob,
                timestamp: "2026-02-27T18:04:15.900000+00:00",
                extra: """
                    "mentions":[\(alice)],"message_reference":{"type":0,"message_id":"1477002637869056012",\
                    "channel_id":"\(channelId)","guild_id":"\(guildId)"}
                    """),
            message(
                id: "1477003601510400016", content: "", author: alice, timestamp: "2026-02-27T18:05:00.000000+00:00",
                extra: """
                    "sticker_items":[{"id":"971638644408320000","name":"Wave","format_type":1}]
                    """),
        ].map { try decoded($0, as: Message.self) }
        try await store.storeMessagePage(
            MessagePage(channelId: Snowflake(channelId), guildId: Snowflake(guildId), messages: messages))
        try await store.storeReactionUsers(
            [try decoded(alice, as: User.self), try decoded(bob, as: User.self)],
            message: Snowflake(1_477_002_637_869_056_012), in: Snowflake(channelId), emojiKey: "👍", burst: false,
            observedAt: observed)
    }
}
