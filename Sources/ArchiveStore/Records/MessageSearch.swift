import DiscordModels
import Foundation

/// A parsed message search, backend-neutral: every word and phrase must occur, no excluded word may, and every
/// filter must hold. Each backend translates it to its full-text engine (FTS5, tsvector), taking text literally.
public struct MessageSearch: Sendable, Hashable {
    /// Words that must all occur.
    public var words: [String]
    /// Phrases (words in this order) that must all occur.
    public var phrases: [[String]]
    /// Words none of which may occur.
    public var excludedWords: [String]
    /// Authors (any of them); empty for any author.
    public var authors: [Snowflake<User>]
    /// Channels (any of them); empty for any channel.
    public var channels: [Snowflake<Channel>]
    /// Guild, when the search is limited to one.
    public var guild: Snowflake<Guild>?
    /// Only message ids at or above this (a date turned into a snowflake).
    public var minimumId: Snowflake<Message>?
    /// Only message ids below this.
    public var maximumId: Snowflake<Message>?
    /// Only pinned (true) or unpinned (false) messages.
    public var pinned: Bool?
    /// Only edited (true) or never edited (false) messages.
    public var edited: Bool?
    /// Only deleted (true) or not deleted (false) messages; `nil` for both.
    public var deleted: Bool?
    /// Groups of alternatives (`cat OR dog`): each group needs at least one of its words.
    public var alternatives: [[String]] = []
    /// What the messages must all have (`has:`).
    public var has: [Content] = []
    /// Users the messages mention (any of them); empty for any.
    public var mentions: [Snowflake<User>] = []
    /// Kinds of author (any of them); empty for any.
    public var authorTypes: [AuthorType] = []
    /// What the messages must not have (Discord search's `has=-link`).
    public var lacks: [Content] = []
    /// Kinds of author the messages must not be by (Discord search's `author_type=-bot`).
    public var excludedAuthorTypes: [AuthorType] = []

    /// Something a message has (`has:`): a link in its text, an embed, an attachment (any, or by media type), a
    /// sticker or a poll.
    public enum Content: String, Sendable, Hashable, CaseIterable {
        case link, embed, file, image, video, sound, sticker, poll
    }

    /// Who wrote a message (`author_type:`): a user, a bot, or a webhook.
    public enum AuthorType: String, Sendable, Hashable, CaseIterable {
        case user, bot, webhook
    }

    /// Makes a search; every part defaults to "any".
    public init(
        words: [String] = [], phrases: [[String]] = [], excludedWords: [String] = [], authors: [Snowflake<User>] = [],
        channels: [Snowflake<Channel>] = [], guild: Snowflake<Guild>? = nil, minimumId: Snowflake<Message>? = nil,
        maximumId: Snowflake<Message>? = nil, pinned: Bool? = nil, edited: Bool? = nil, deleted: Bool? = nil
    ) {
        self.words = words
        self.phrases = phrases
        self.excludedWords = excludedWords
        self.authors = authors
        self.channels = channels
        self.guild = guild
        self.minimumId = minimumId
        self.maximumId = maximumId
        self.pinned = pinned
        self.edited = edited
        self.deleted = deleted
    }
}
