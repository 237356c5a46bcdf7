import DiscordModels
import Foundation

/// Discord-shaped JSON for store tests, built as text so the exact bytes are known.
enum Fixture {
    static let guild: Snowflake<Guild> = "900000000000000001"
    static let channel: Snowflake<Channel> = "900000000000000100"
    static let otherChannel: Snowflake<Channel> = "900000000000000200"
    static let thread: Snowflake<Channel> = "900000000000000300"

    /// The id of the `index`th message (ascending with `index`).
    static func messageID(_ index: Int) -> Snowflake<Message> {
        Snowflake(
            unixMilliseconds: 1_700_000_000_000 + UInt64(index) * 1000, worker: 1, increment: UInt64(index % 4096))
    }

    static func timestamp(_ id: Snowflake<Message>) -> String { DiscordTimestamp(date: id.date).rawValue }

    /// A user object as Discord writes it.
    static func userJSON(_ id: UInt64, name: String) -> String {
        """
        {"id":"\(id)","username":"\(name)","discriminator":"0","global_name":"\(name.capitalized)",\
        "avatar":null,"public_flags":0,"flags":0,"primary_guild":null}
        """
    }

    /// A message as Discord writes it. `signature` stands for the `hm` of re-signed attachment URLs.
    static func messageJSON(
        _ index: Int, channel: Snowflake<Channel> = Fixture.channel, content: String? = nil, edited: String? = nil,
        author: UInt64 = 5001, authorName: String = "alice", mentions: [UInt64] = [], attachments: Int = 0,
        signature: String = "aa11", reactions: Int? = nil, webhook: Bool = false
    ) -> String {
        let id = messageID(index)
        let content = content ?? "message number \(index) ünïcödé 🦊"
        let attachmentList = (0..<attachments).map { n in
            let attachmentID = id.rawValue + UInt64(n) + 1
            let query = "ex=6743b2a0&is=67426120&hm=\(signature)\(n)&"
            return """
                {"id":"\(attachmentID)","filename":"file\(n).png","size":\(1000 + n),\
                "url":"https://cdn.discordapp.com/attachments/\(channel)/\(attachmentID)/file\(n).png?\(query)",\
                "proxy_url":"https://media.discordapp.net/attachments/\(channel)/\(attachmentID)/file\(n).png?\(query)",\
                "width":64,"height":64,"content_type":"image/png"}
                """
        }
        let reactionList =
            reactions.map {
                """
                ,"reactions":[{"emoji":{"id":null,"name":"👍"},"count":\($0),"count_details":{"burst":0,"normal":\($0)},\
                "burst_colors":[],"me_burst":false,"burst_me":false,"me":false,"burst_count":0}]
                """
            } ?? ""
        let mentionList = mentions.map { userJSON($0, name: "user\($0)") }
        let webhookField = webhook ? ",\"webhook_id\":\"\(author)\"" : ""
        let escaped = content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"type":0,"content":"\(escaped)","mentions":[\(mentionList.joined(separator: ","))],"mention_roles":[],\
            "attachments":[\(attachmentList.joined(separator: ","))],"embeds":[],"timestamp":"\(timestamp(id))",\
            "edited_timestamp":\(edited.map { "\"\($0)\"" } ?? "null"),"flags":0,"components":[],"id":"\(id)",\
            "channel_id":"\(channel)","author":\(userJSON(author, name: authorName)),"pinned":false,\
            "mention_everyone":false,"tts":false\(webhookField)\(reactionList)}
            """
    }

    static func message(
        _ index: Int, channel: Snowflake<Channel> = Fixture.channel, content: String? = nil, edited: String? = nil,
        author: UInt64 = 5001, authorName: String = "alice", mentions: [UInt64] = [], attachments: Int = 0,
        signature: String = "aa11", reactions: Int? = nil, webhook: Bool = false
    ) throws -> Decoded<Message> {
        try Decoded<Message>(
            decoding: Data(
                messageJSON(
                    index, channel: channel, content: content, edited: edited, author: author,
                    authorName: authorName, mentions: mentions, attachments: attachments, signature: signature,
                    reactions: reactions, webhook: webhook
                ).utf8))
    }

    /// The first message of the thread started from `parent` (whose JSON is `parentJSON`), as Discord writes it:
    /// type 21 (thread starter), the parent's id, in the thread whose id is also the parent's id, pointing at the
    /// parent through `message_reference` and carrying it as `referenced_message`.
    static func threadStarter(parent: Snowflake<Message>, in channel: Snowflake<Channel>, parentJSON: String) throws
        -> Decoded<Message>
    {
        let thread: Snowflake<Channel> = parent.cast()
        return try decode(
            """
            {"type":21,"content":"","mentions":[],"mention_roles":[],"attachments":[],"embeds":[],\
            "timestamp":"\(timestamp(parent))","edited_timestamp":null,"flags":0,"components":[],"id":"\(parent)",\
            "channel_id":"\(thread)","author":\(userJSON(5001, name: "alice")),"pinned":false,\
            "mention_everyone":false,"tts":false,"message_reference":{"type":0,"channel_id":"\(channel)",\
            "message_id":"\(parent)","guild_id":"\(guild)"},"position":0,"referenced_message":\(parentJSON)}
            """)
    }

    static func messages(_ range: Range<Int>, channel: Snowflake<Channel> = Fixture.channel) throws
        -> [Decoded<Message>]
    {
        try range.map { try message($0, channel: channel, author: 5001 + UInt64($0 % 7), authorName: "user\($0 % 7)") }
    }

    static func guild(name: String = "Skald Test", memberCount: Int = 10) throws -> Decoded<Guild> {
        try decode(
            """
            {"id":"\(guild)","name":"\(name)","icon":null,"owner_id":"5001","roles":[],"emojis":[],\
            "features":[],"verification_level":0,"mfa_level":0,"premium_tier":0,"preferred_locale":"en-US",\
            "nsfw_level":0,"system_channel_flags":0,"approximate_member_count":\(memberCount)}
            """)
    }

    static func channel(
        _ id: Snowflake<Channel>, name: String, type: Int = 0, parent: Snowflake<Channel>? = nil,
        lastMessage: Snowflake<Message>? = nil, archived: Bool? = nil
    ) throws -> Decoded<Channel> {
        let parentField = parent.map { ",\"parent_id\":\"\($0)\"" } ?? ""
        let lastField = lastMessage.map { ",\"last_message_id\":\"\($0)\"" } ?? ""
        let metadata =
            archived.map {
                ",\"thread_metadata\":{\"archived\":\($0),\"auto_archive_duration\":1440,"
                    + "\"archive_timestamp\":\"2026-11-01T00:00:00.000000+00:00\",\"locked\":false}"
            } ?? ""
        return try decode(
            """
            {"id":"\(id)","type":\(type),"guild_id":"\(guild)","name":"\(name)","position":1,\
            "permission_overwrites":[],"nsfw":false\(parentField)\(lastField)\(metadata)}
            """)
    }

    static func role(_ id: UInt64, name: String) throws -> Decoded<Role> {
        try decode(
            """
            {"id":"\(id)","name":"\(name)","color":0,"hoist":false,"position":1,"permissions":"68672",\
            "managed":false,"mentionable":false,"flags":0}
            """)
    }

    static func emoji(_ id: UInt64, name: String) throws -> Decoded<Emoji> {
        try decode(#"{"id":"\#(id)","name":"\#(name)","roles":[],"require_colons":true,"animated":false}"#)
    }

    static func user(_ id: UInt64, name: String) throws -> Decoded<User> { try decode(userJSON(id, name: name)) }

    static func decode<T: Decodable & Sendable>(_ json: String) throws -> Decoded<T> {
        try Decoded<T>(decoding: Data(json.utf8))
    }
}
