import DiscordModels

/// The body of `POST /webhooks/{webhook_id}/{webhook_token}` (files are passed separately).
public struct WebhookMessage: Sendable, Hashable, Encodable {
    /// Text, ≤ 2000 characters.
    public var content: String?
    /// Overrides the webhook's name for this message (1–80 characters).
    public var username: String?
    /// Overrides the webhook's avatar for this message.
    public var avatarURL: String?
    /// Text to speech.
    public var tts: Bool?
    /// Rich embeds.
    public var embeds: [Embed]?
    /// Who gets notified; the default parses `users`, so pass `.none` when replaying.
    public var allowedMentions: AllowedMentions?
    /// Message components, as JSON.
    public var components: [JSONValue]?
    /// Message flags.
    public var flags: Int?
    /// Creates a forum or media post with this name.
    public var threadName: String?
    /// Forum tags for a new post.
    public var appliedTags: [AnySnowflake]?
    /// A poll, as JSON.
    public var poll: JSONValue?
    var attachments: [AttachmentReference]?

    /// Creates a webhook message body.
    public init(content: String? = nil, username: String? = nil, avatarURL: String? = nil, embeds: [Embed]? = nil) {
        self.content = content
        self.username = username
        self.avatarURL = avatarURL
        self.embeds = embeds
    }

    enum CodingKeys: String, CodingKey {
        case content, username, tts, embeds, components, flags, poll, attachments
        case avatarURL = "avatar_url"
        case allowedMentions = "allowed_mentions"
        case threadName = "thread_name"
        case appliedTags = "applied_tags"
    }
}
