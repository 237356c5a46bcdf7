/// A message (`MessageResponse`), including the gateway extras (`guild_id`, `member`).
///
/// Decoding is tolerant: every field Discord may omit is optional, unknown enum values survive, and parts
/// Skald does not interpret (components, interaction metadata, activity, application) are kept as JSON.
public struct Message: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Message>
    /// Discord's `channel_id` field.
    public var channelId: Snowflake<Channel>
    /// Discord's `author` field.
    public var author: User?
    /// `""` when the token lacks the MESSAGE_CONTENT intent.
    public var content: String
    /// Discord's `timestamp` field.
    public var timestamp: DiscordTimestamp
    /// Discord's `edited_timestamp` field.
    public var editedTimestamp: DiscordTimestamp?
    /// Discord's `tts` field.
    public var tts: Bool?
    /// Discord's `mention_everyone` field.
    public var mentionEveryone: Bool?
    /// Discord's `mentions` field.
    public var mentions: [User]
    /// Discord's `mention_roles` field.
    public var mentionRoles: [Snowflake<Role>]
    /// Discord's `mention_channels` field.
    public var mentionChannels: [JSONValue]?
    /// Discord's `attachments` field.
    public var attachments: [Attachment]
    /// Discord's `embeds` field.
    public var embeds: [Embed]
    /// Discord's `reactions` field.
    public var reactions: [Reaction]?
    /// Discord's `nonce` field.
    public var nonce: JSONValue?
    /// Discord's `pinned` field.
    public var pinned: Bool?
    /// Discord's `webhook_id` field.
    public var webhookId: AnySnowflake?
    /// Discord's `type` field.
    public var type: MessageType
    /// Discord's `activity` field.
    public var activity: JSONValue?
    /// Discord's `application` field.
    public var application: JSONValue?
    /// Discord's `application_id` field.
    public var applicationId: AnySnowflake?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Discord's `message_reference` field.
    public var messageReference: MessageReference?
    /// Discord's `message_snapshots` field.
    public var messageSnapshots: [MessageSnapshot]?
    /// `.deleted` when Discord sent `null` (the referenced message is gone); `nil` when it was not sent.
    public var referencedMessage: ReferencedMessage?
    /// Discord's `interaction_metadata` field.
    public var interactionMetadata: JSONValue?
    /// Discord's `interaction` field.
    public var interaction: JSONValue?
    /// The thread started from this message (it has the message's id).
    public var thread: Channel?
    /// Discord's `components` field.
    public var components: [JSONValue]?
    /// Discord's `sticker_items` field.
    public var stickerItems: [StickerItem]?
    /// Discord's `position` field.
    public var position: Int?
    /// Discord's `poll` field.
    public var poll: Poll?
    /// Discord's `call` field.
    public var call: JSONValue?
    /// Gateway only.
    public var guildId: Snowflake<Guild>?
    /// Gateway only, without `user`.
    public var member: GuildMember?

    /// Message flag bits.
    public static let flagHasThread = 1 << 5
    /// Discord's `flag_has_snapshot` field.
    public static let flagHasSnapshot = 1 << 14

    /// Makes a `Message`.
    public init(
        id: Snowflake<Message>, channelId: Snowflake<Channel>, author: User?, content: String,
        timestamp: DiscordTimestamp, type: MessageType = .default
    ) {
        self.id = id
        self.channelId = channelId
        self.author = author
        self.content = content
        self.timestamp = timestamp
        self.type = type
        self.mentions = []
        self.mentionRoles = []
        self.attachments = []
        self.embeds = []
        self.tts = false
        self.mentionEveryone = false
        self.pinned = false
        self.flags = 0
        self.components = []
    }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Snowflake<Message>.self, forKey: .id)
        channelId = try c.decode(Snowflake<Channel>.self, forKey: .channelId)
        author = try c.decodeIfPresent(User.self, forKey: .author)
        content = try c.decodeIfPresent(String.self, forKey: .content) ?? ""
        timestamp = try c.decode(DiscordTimestamp.self, forKey: .timestamp)
        editedTimestamp = try c.decodeIfPresent(DiscordTimestamp.self, forKey: .editedTimestamp)
        tts = try c.decodeIfPresent(Bool.self, forKey: .tts)
        mentionEveryone = try c.decodeIfPresent(Bool.self, forKey: .mentionEveryone)
        mentions = try c.decodeIfPresent([User].self, forKey: .mentions) ?? []
        mentionRoles = try c.decodeIfPresent([Snowflake<Role>].self, forKey: .mentionRoles) ?? []
        mentionChannels = try c.decodeIfPresent([JSONValue].self, forKey: .mentionChannels)
        attachments = try c.decodeIfPresent([Attachment].self, forKey: .attachments) ?? []
        embeds = try c.decodeIfPresent([Embed].self, forKey: .embeds) ?? []
        reactions = try c.decodeIfPresent([Reaction].self, forKey: .reactions)
        nonce = try c.decodeIfPresent(JSONValue.self, forKey: .nonce)
        pinned = try c.decodeIfPresent(Bool.self, forKey: .pinned)
        webhookId = try c.decodeIfPresent(AnySnowflake.self, forKey: .webhookId)
        type = try c.decodeIfPresent(MessageType.self, forKey: .type) ?? .default
        activity = try c.decodeIfPresent(JSONValue.self, forKey: .activity)
        application = try c.decodeIfPresent(JSONValue.self, forKey: .application)
        applicationId = try c.decodeIfPresent(AnySnowflake.self, forKey: .applicationId)
        flags = try c.decodeIfPresent(Int.self, forKey: .flags)
        messageReference = try c.decodeIfPresent(MessageReference.self, forKey: .messageReference)
        messageSnapshots = try c.decodeIfPresent([MessageSnapshot].self, forKey: .messageSnapshots)
        if c.contains(.referencedMessage) {
            if try c.decodeNil(forKey: .referencedMessage) {
                referencedMessage = .deleted
            } else {
                referencedMessage = .message(try c.decode(Message.self, forKey: .referencedMessage))
            }
        }
        interactionMetadata = try c.decodeIfPresent(JSONValue.self, forKey: .interactionMetadata)
        interaction = try c.decodeIfPresent(JSONValue.self, forKey: .interaction)
        thread = try c.decodeIfPresent(Channel.self, forKey: .thread)
        components = try c.decodeIfPresent([JSONValue].self, forKey: .components)
        stickerItems = try c.decodeIfPresent([StickerItem].self, forKey: .stickerItems)
        position = try c.decodeIfPresent(Int.self, forKey: .position)
        poll = try c.decodeIfPresent(Poll.self, forKey: .poll)
        call = try c.decodeIfPresent(JSONValue.self, forKey: .call)
        guildId = try c.decodeIfPresent(Snowflake<Guild>.self, forKey: .guildId)
        member = try c.decodeIfPresent(GuildMember.self, forKey: .member)
    }

    /// Encodes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(channelId, forKey: .channelId)
        try c.encodeIfPresent(author, forKey: .author)
        try c.encode(content, forKey: .content)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(editedTimestamp, forKey: .editedTimestamp)
        try c.encodeIfPresent(tts, forKey: .tts)
        try c.encodeIfPresent(mentionEveryone, forKey: .mentionEveryone)
        try c.encode(mentions, forKey: .mentions)
        try c.encode(mentionRoles, forKey: .mentionRoles)
        try c.encodeIfPresent(mentionChannels, forKey: .mentionChannels)
        try c.encode(attachments, forKey: .attachments)
        try c.encode(embeds, forKey: .embeds)
        try c.encodeIfPresent(reactions, forKey: .reactions)
        try c.encodeIfPresent(nonce, forKey: .nonce)
        try c.encodeIfPresent(pinned, forKey: .pinned)
        try c.encodeIfPresent(webhookId, forKey: .webhookId)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(activity, forKey: .activity)
        try c.encodeIfPresent(application, forKey: .application)
        try c.encodeIfPresent(applicationId, forKey: .applicationId)
        try c.encodeIfPresent(flags, forKey: .flags)
        try c.encodeIfPresent(messageReference, forKey: .messageReference)
        try c.encodeIfPresent(messageSnapshots, forKey: .messageSnapshots)
        switch referencedMessage {
        case .none: break
        case .deleted: try c.encodeNil(forKey: .referencedMessage)
        case .message(let message): try c.encode(message, forKey: .referencedMessage)
        }
        try c.encodeIfPresent(interactionMetadata, forKey: .interactionMetadata)
        try c.encodeIfPresent(interaction, forKey: .interaction)
        try c.encodeIfPresent(thread, forKey: .thread)
        try c.encodeIfPresent(components, forKey: .components)
        try c.encodeIfPresent(stickerItems, forKey: .stickerItems)
        try c.encodeIfPresent(position, forKey: .position)
        try c.encodeIfPresent(poll, forKey: .poll)
        try c.encodeIfPresent(call, forKey: .call)
        try c.encodeIfPresent(guildId, forKey: .guildId)
        try c.encodeIfPresent(member, forKey: .member)
    }

    enum CodingKeys: String, CodingKey {
        case id, author, content, timestamp, tts, mentions, attachments, embeds, reactions, nonce, pinned, type
        case activity, application, flags, interaction, thread, components, position, poll, call, member
        case channelId = "channel_id"
        case editedTimestamp = "edited_timestamp"
        case mentionEveryone = "mention_everyone"
        case mentionRoles = "mention_roles"
        case mentionChannels = "mention_channels"
        case webhookId = "webhook_id"
        case applicationId = "application_id"
        case messageReference = "message_reference"
        case messageSnapshots = "message_snapshots"
        case referencedMessage = "referenced_message"
        case interactionMetadata = "interaction_metadata"
        case stickerItems = "sticker_items"
        case guildId = "guild_id"
    }
}

/// The message a reply points at, as Discord sent it.
public indirect enum ReferencedMessage: Sendable, Hashable {
    /// Discord sent `null`: the message was deleted.
    case deleted
    /// The referenced message.
    case message(Message)
}
