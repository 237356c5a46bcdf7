import DiscordModels

/// The body of `POST /channels/{channel_id}/messages` (files are passed separately).
///
/// Set ``nonce`` and ``enforceNonce`` to make the request safe to retry: Discord returns the existing message
/// for a repeated nonce, so the client then retries it after 5xx and network errors.
public struct MessageCreate: Sendable, Hashable, Encodable {
    /// Text, ≤ 2000 characters.
    public var content: String?
    /// A unique value (≤ 25 characters) identifying this send.
    public var nonce: String?
    /// With `nonce`: a repeated nonce returns the existing message instead of a duplicate.
    public var enforceNonce: Bool?
    /// Text to speech.
    public var tts: Bool?
    /// Rich embeds (≤ 10, ≤ 6000 characters in total).
    public var embeds: [Embed]?
    /// Who gets notified.
    public var allowedMentions: AllowedMentions?
    /// A reply or forward.
    public var messageReference: MessageReference?
    /// Stickers (≤ 3).
    public var stickerIds: [Snowflake<Sticker>]?
    /// Message components, as JSON.
    public var components: [JSONValue]?
    /// SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2 only.
    public var flags: Int?
    /// A poll, as JSON.
    public var poll: JSONValue?
    var attachments: [AttachmentReference]?

    /// Creates a message body.
    public init(content: String? = nil, nonce: String? = nil, enforceNonce: Bool? = nil, embeds: [Embed]? = nil) {
        self.content = content
        self.nonce = nonce
        self.enforceNonce = enforceNonce
        self.embeds = embeds
    }

    /// Whether a retry cannot create a duplicate.
    var isIdempotent: Bool { nonce != nil && enforceNonce == true }

    enum CodingKeys: String, CodingKey {
        case content, nonce, tts, embeds, components, flags, poll, attachments
        case enforceNonce = "enforce_nonce"
        case allowedMentions = "allowed_mentions"
        case messageReference = "message_reference"
        case stickerIds = "sticker_ids"
    }
}
