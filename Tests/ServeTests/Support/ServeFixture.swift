import ArchiveStore
import DiscordModels
import Foundation
import SQLiteStore

/// A small archive in a real SQLite file: one guild, a text channel with `count` messages by three authors, a
/// thread, an edited, a deleted, a pinned and a hostile message.
enum ServeFixture {
    static let guild: Snowflake<Guild> = "900000000000000001"
    static let channel: Snowflake<Channel> = "900000000000000100"
    static let thread: Snowflake<Channel> = "900000000000000300"
    static let scheduledEvent: Snowflake<ScheduledEvent> = "900000000000000900"
    static let archivedThread: Snowflake<Channel> = "900000000000000400"
    static let privateThread: Snowflake<Channel> = "900000000000000500"

    /// The id of the `index`th message (ascending with `index`), one per minute.
    static func messageID(_ index: Int) -> Snowflake<Message> {
        Snowflake(unixMilliseconds: 1_700_000_000_000 + UInt64(index) * 60_000, worker: 1)
    }

    static func userJSON(_ id: UInt64, name: String) -> String {
        """
        {"id":"\(id)","username":"\(name)","discriminator":"0","global_name":"\(name.capitalized)",\
        "avatar":null,"public_flags":0,"flags":0}
        """
    }

    static func messageJSON(
        _ index: Int, channel: Snowflake<Channel> = ServeFixture.channel, content: String, author: UInt64,
        edited: Bool = false, pinned: Bool = false, extra: String = "", bot: Bool = false
    ) -> String {
        let id = messageID(index)
        let timestamp = DiscordTimestamp(date: id.date).rawValue
        let editedValue = edited ? "\"\(DiscordTimestamp(date: id.date.addingTimeInterval(30)).rawValue)\"" : "null"
        let escaped = content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let json = """
            {"type":0,"content":"\(escaped)","mentions":[],"mention_roles":[],"attachments":[],"embeds":[],\
            "timestamp":"\(timestamp)","edited_timestamp":\(editedValue),"flags":0,"components":[],"id":"\(id)",\
            "channel_id":"\(channel)","author":\(Self.author(userJSON(author, name: "user\(author)"), bot: bot)),\
            "pinned":\(pinned),"mention_everyone":false,"tts":false\(extra)}
            """
        // A member given in `extra` replaces the empty default (no duplicate keys).
        return ["mentions", "attachments", "embeds"].reduce(json) { json, key in
            extra.contains("\"\(key)\":") ? json.replacingOccurrences(of: "\"\(key)\":[],", with: "") : json
        }
    }

    /// A user object with `"bot":true` added for a bot.
    static func author(_ json: String, bot: Bool) -> String {
        bot ? String(json.dropLast()) + ",\"bot\":true}" : json
    }

    /// Extra members of the messages that carry media, embeds, polls, stickers, mentions, or a webhook author.
    static func extra(_ index: Int) -> String {
        switch index {
        case 20:
            return """
                ,"attachments":[{"id":"77","filename":"cat.png","size":10,"url":"https://cdn.example/cat.png",\
                "proxy_url":"https://media.example/cat.png","content_type":"image/png"}],\
                "mentions":[\(userJSON(5003, name: "user5003"))]
                """
        case 21: return #","embeds":[{"type":"rich","title":"an embed"}]"#
        case 22: return #","webhook_id":"8000""#
        case 24: return #","poll":{"question":{"text":"which?"},"answers":[],"allow_multiselect":false}"#
        case 25: return #","sticker_items":[{"id":"66","name":"wave","format_type":1}]"#
        case 30: return #","message_reference":{"type":0,"message_id":"\#(messageID(10))","channel_id":"\#(channel)"}"#
        default: return ""
        }
    }

    static func decode<T: Decodable & Sendable>(_ json: String) throws -> Decoded<T> {
        try Decoded<T>(decoding: Data(json.utf8))
    }

    /// The content of message `index` of the main channel.
    static func content(_ index: Int) -> String {
        switch index {
        case 10: "the zebrafinch42 sings at dawn"
        case 11: "a zebrafinch42 is quiet at night"
        case 12: "<script>alert(\"quokka77\")</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"
        case 13: "pinned notice about the meeting"
        case 14: "this one will be deleted: ghostword"
        case 20: "a picture of the mediacat"
        case 21: "mediacat link https://example.com/cat"
        case 22: "mediacat from a webhook"
        case 23: "mediacat from a bot"
        case 24: "mediacat poll"
        case 25: "mediacat sticker"
        default: "message number \(index) of the hall"
        }
    }

    static let deletedIndex = 14

    /// Makes the archive at `path` and returns it.
    static func makeArchive(at path: String, count: Int = 250) async throws -> SQLiteArchiveStore {
        let store = try SQLiteArchiveStore(path: path)
        try await fill(store, count: count)
        return store
    }

    /// Stores the fixture's guild, channels and messages in `store` (SQLite or PostgreSQL).
    static func fill(_ store: any ArchiveStore, count: Int = 250) async throws {
        let guildJSON = """
            {"id":"\(guild)","name":"The Hall","icon":null,"owner_id":"5001","roles":[],"emojis":[],"features":[],\
            "verification_level":0,"mfa_level":0,"premium_tier":0,"preferred_locale":"en-US","nsfw_level":0,\
            "system_channel_flags":0}
            """
        let channelJSON = """
            {"id":"\(channel)","type":0,"guild_id":"\(guild)","name":"general","position":1,\
            "permission_overwrites":[],"nsfw":false}
            """
        let threadJSON = """
            {"id":"\(thread)","type":11,"guild_id":"\(guild)","name":"a thread","parent_id":"\(channel)",\
            "thread_metadata":{"archived":false,"auto_archive_duration":1440,\
            "archive_timestamp":"2026-11-01T00:00:00.000000+00:00","locked":false}}
            """
        let roleJSON = """
            {"id":"\(guild)","name":"@everyone","color":0,"hoist":false,"position":0,"permissions":"68672",\
            "managed":false,"mentionable":false,"flags":0}
            """
        let eventJSON = """
            {"id":"\(scheduledEvent)","guild_id":"\(guild)","channel_id":null,"creator_id":"5001","name":"Moot",\
            "description":null,"scheduled_start_time":"2026-12-01T18:00:00.000000+00:00",\
            "scheduled_end_time":"2026-12-01T20:00:00.000000+00:00","privacy_level":2,"status":1,"entity_type":3,\
            "entity_id":null,"entity_metadata":{"location":"the hall"}}
            """
        try await store.storeGuild(
            GuildSnapshot(
                guild: try decode(guildJSON), channels: [try decode(channelJSON)], roles: [try decode(roleJSON)],
                emojis: [], scheduledEvents: [try decode(eventJSON)]))
        let memberJSON = """
            {"user":\(userJSON(5003, name: "user5003")),"nick":null,"roles":[],\
            "joined_at":"2024-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}
            """
        try await store.storeMembers([try decode(memberJSON)], guild: guild, observedAt: Date())
        let archivedJSON = """
            {"id":"\(archivedThread)","type":11,"guild_id":"\(guild)","name":"old thread","parent_id":"\(channel)",\
            "thread_metadata":{"archived":true,"auto_archive_duration":1440,\
            "archive_timestamp":"2026-10-01T00:00:00.000000+00:00","locked":false}}
            """
        let privateJSON = """
            {"id":"\(privateThread)","type":12,"guild_id":"\(guild)","name":"quiet thread","parent_id":"\(channel)",\
            "thread_metadata":{"archived":true,"auto_archive_duration":1440,\
            "archive_timestamp":"2026-09-01T00:00:00.000000+00:00","locked":false,"invitable":false}}
            """
        try await store.storeChannels([try decode(threadJSON), try decode(archivedJSON), try decode(privateJSON)])
        var messages: [Decoded<Message>] = []
        for index in 0..<count {
            let json = messageJSON(
                index, content: index == 11 ? "a zebrafinch42 first draft" : content(index),
                author: 5001 + UInt64(index % 3),
                pinned: index == 13, extra: extra(index), bot: index == 23)
            // Message 30 replies to message 10.
            messages.append(
                try decode(index == 30 ? json.replacingOccurrences(of: #"{"type":0,"#, with: #"{"type":19,"#) : json))
        }
        for start in stride(from: 0, to: messages.count, by: 100) {
            try await store.storeMessagePage(
                MessagePage(
                    channelId: channel, guildId: guild, messages: Array(messages[start..<min(start + 100, count)])))
        }
        try await store.storeMessagePage(
            MessagePage(
                channelId: thread, guildId: guild,
                messages: [
                    try decode(
                        messageJSON(
                            count + 1, channel: thread, content: "inside the thread zebrafinch42", author: 5002))
                ]))
        // Message 11 is then edited: its first draft becomes a revision.
        try await store.storeMessagePage(
            MessagePage(
                channelId: channel, guildId: guild,
                messages: [try decode(messageJSON(11, content: content(11), author: 5003, edited: true))]))
        try await store.storeReactionUsers(
            [try decode(userJSON(5003, name: "user5003")), try decode(userJSON(5002, name: "user5002"))],
            message: messageID(20), in: channel, emojiKey: "👍", burst: false, observedAt: Date())
        try await store.markMessagesDeleted([messageID(deletedIndex)], in: channel, at: Date(), checkpoint: nil)
    }
}
