/// The query of Discord's Search Guild Messages (`GET /guilds/{guild.id}/messages/search`), read and checked as
/// discord-api-docs (developers/resources/message.mdx, "Search Guild Messages", documented 2026-03-19) states it.
/// Both servers that answer the route read it here: the simulator and `skald serve`. Arrays repeat their key
/// (`?has=image&has=-link`) and booleans are `true`/`True`/`1` or `false`/`False`/`0` (developers/reference.mdx).
///
/// ```swift
/// let search = try GuildSearchParameters { name in request.uri.queryParameters.getAll(name) }
/// if search.contentMatches(message.content) { ... }
/// ```
public struct GuildSearchParameters: Sendable, Hashable {
    /// How results are sorted (`sort_by`; the docs' "Search Sort Modes").
    public enum SortMode: String, Sendable, Hashable {
        /// By creation time, the default.
        case timestamp
        /// By relevance to `content`; the docs: "Sort order is not respected when sorting by relevance".
        case relevance
    }

    /// `sort_order`: `desc` (the default) or `asc`.
    public enum SortOrder: String, Sendable, Hashable {
        /// Oldest first.
        case asc
        /// Newest first, the default.
        case desc
    }

    /// Who sent a message (`author_type`, the docs' "Author Types").
    public enum AuthorType: String, Sendable, Hashable, CaseIterable {
        /// A user account.
        case user
        /// A bot account.
        case bot
        /// A webhook.
        case webhook
    }

    /// What a message has (`has`, the docs' "Search Has Types").
    public enum Content: String, Sendable, Hashable, CaseIterable {
        /// A link in its text.
        case link
        /// An embed.
        case embed
        /// An attachment.
        case file
        /// An image.
        case image
        /// A video.
        case video
        /// A sound attachment.
        case sound
        /// A sticker.
        case sticker
        /// A poll.
        case poll
        /// A forwarded message.
        case snapshot
    }

    /// An embed's kind as search groups them (`embed_type`, the docs' "Search Embed Types"; not Discord's embed
    /// types one to one).
    public enum EmbedType: String, Sendable, Hashable, CaseIterable {
        /// An image embed.
        case image
        /// A video embed.
        case video
        /// A gifv embed.
        case gif
        /// A sound embed.
        case sound
        /// An article embed.
        case article
    }

    /// Results per page, 1–25 (default 25).
    public var limit = 25
    /// Results skipped, 0–9975.
    public var offset = 0
    /// Only messages after this id (`min_id`).
    public var minimumId: Snowflake<Message>?
    /// Only messages before this id (`max_id`).
    public var maximumId: Snowflake<Message>?
    /// Words the content may skip between two words of `content`, 0–100 (default 2).
    public var slop = 2
    /// The text searched for, at most 1024 characters.
    public var content: String?
    /// Only these channels (at most 500); empty for every channel.
    public var channels: [Snowflake<Channel>] = []
    /// Only these authors (at most 100).
    public var authors: [Snowflake<User>] = []
    /// Only messages by these kinds of author (any of them).
    public var authorTypes: [AuthorType] = []
    /// No messages by these kinds of author (`-user`, `-bot`, `-webhook`).
    public var excludedAuthorTypes: [AuthorType] = []
    /// Only messages mentioning one of these users.
    public var mentions: [Snowflake<User>] = []
    /// Only messages mentioning one of these roles.
    public var mentionedRoles: [Snowflake<Role>] = []
    /// Only messages that do (or do not) mention @everyone.
    public var mentionEveryone: Bool?
    /// Only replies to one of these users.
    public var repliedToUsers: [Snowflake<User>] = []
    /// Only replies to one of these messages.
    public var repliedToMessages: [Snowflake<Message>] = []
    /// Only pinned (or unpinned) messages.
    public var pinned: Bool?
    /// What the messages must all have.
    public var has: [Content] = []
    /// What the messages must not have (`-link`, ...).
    public var lacks: [Content] = []
    /// Only messages with an embed of one of these kinds.
    public var embedTypes: [EmbedType] = []
    /// Only messages with an embed from one of these providers (case-sensitive, e.g. `Tenor`).
    public var embedProviders: [String] = []
    /// Only messages linking to one of these hosts (e.g. `discordapp.com`).
    public var linkHostnames: [String] = []
    /// Only messages with an attachment of one of these file names.
    public var attachmentFilenames: [String] = []
    /// Only messages with an attachment of one of these extensions (e.g. `txt`).
    public var attachmentExtensions: [String] = []
    /// The sort.
    public var sortBy = SortMode.timestamp
    /// The direction (ignored by ``SortMode/relevance``).
    public var sortOrder = SortOrder.desc
    /// Whether age-restricted channels are searched (default false).
    public var includeNSFW = false

    /// The defaults: everything, newest first, 25 a page.
    public init() {}

    /// Reads a query, `values(name)` giving every value of `name` in order; throws the first refusal Discord would
    /// answer (the limits of the docs and of the spec's `guild_search` operation).
    public init(values: (String) -> [String]) throws(DiscordFieldError) {
        func last(_ name: String) -> String? { values(name).last }
        limit = try Self.integer(last("limit"), field: "limit", range: 1...25) ?? 25
        offset = try Self.integer(last("offset"), field: "offset", range: 0...9975) ?? 0
        slop = try Self.integer(last("slop"), field: "slop", range: 0...100) ?? 2
        minimumId = try Self.snowflake(last("min_id"), field: "min_id")
        maximumId = try Self.snowflake(last("max_id"), field: "max_id")
        if let text = last("content") {
            try Self.checkLength(text, field: "content", maximum: 1024)
            content = text
        }
        channels = try Self.snowflakes(values("channel_id"), field: "channel_id", maximum: 500)
        authors = try Self.snowflakes(values("author_id"), field: "author_id", maximum: 100)
        mentions = try Self.snowflakes(values("mentions"), field: "mentions", maximum: 100)
        mentionedRoles = try Self.snowflakes(values("mentions_role_id"), field: "mentions_role_id", maximum: 100)
        repliedToUsers = try Self.snowflakes(values("replied_to_user_id"), field: "replied_to_user_id", maximum: 100)
        repliedToMessages = try Self.snowflakes(
            values("replied_to_message_id"), field: "replied_to_message_id", maximum: 100)
        (authorTypes, excludedAuthorTypes) = try Self.negatable(
            values("author_type"), field: "author_type", maximum: 6, as: AuthorType.self)
        (has, lacks) = try Self.negatable(values("has"), field: "has", maximum: 18, as: Content.self)
        embedTypes = try Self.enumerated(values("embed_type"), field: "embed_type", maximum: 5, as: EmbedType.self)
        embedProviders = try Self.strings(values("embed_provider"), field: "embed_provider", length: 256)
        linkHostnames = try Self.strings(values("link_hostname"), field: "link_hostname", length: 256)
        attachmentFilenames = try Self.strings(
            values("attachment_filename"), field: "attachment_filename", length: 1024)
        attachmentExtensions = try Self.strings(
            values("attachment_extension"), field: "attachment_extension", length: 256)
        mentionEveryone = try Self.boolean(last("mention_everyone"), field: "mention_everyone")
        pinned = try Self.boolean(last("pinned"), field: "pinned")
        includeNSFW = try Self.boolean(last("include_nsfw"), field: "include_nsfw") ?? false
        if let text = last("sort_by") { sortBy = try Self.enumerated([text], field: "sort_by", as: SortMode.self)[0] }
        if let text = last("sort_order") {
            sortOrder = try Self.enumerated([text], field: "sort_order", as: SortOrder.self)[0]
        }
    }

    // MARK: Content

    /// The words of `content` as search splits text: runs of letters and digits.
    public var contentWords: [String] { Self.words(of: content ?? "") }

    /// Whether `text` holds the words of `content` in order, each at most ``slop`` words after the one before
    /// (the docs: "Max number of words to skip between matching tokens"), case-insensitively; true without
    /// `content`.
    public func contentMatches(_ text: String) -> Bool {
        let wanted = contentWords.map { $0.lowercased() }
        guard let first = wanted.first else { return true }
        let words = Self.words(of: text).map { $0.lowercased() }
        // The positions where the phrase so far can end; each next word must follow one within the slop.
        var ends = words.indices.filter { words[$0] == first }
        for word in wanted.dropFirst() where !ends.isEmpty {
            let reachable = Set(ends.flatMap { ($0 + 1)...($0 + 1 + slop) })
            ends = words.indices.filter { words[$0] == word && reachable.contains($0) }
        }
        return !ends.isEmpty
    }

    /// The words of a text: runs of letters and digits, as the full-text indexes split them.
    public static func words(of text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// The hosts (lower-cased) of the `http://` and `https://` links in a text: what `link_hostname` and `has=link`
    /// look for.
    public static func linkHosts(in text: String) -> Set<String> {
        var hosts: Set<String> = []
        for scheme in ["http://", "https://"] {
            var rest = Substring(text)
            while let found = rest.range(of: scheme) {
                let after = rest[found.upperBound...]
                let host = after.prefix { !"/:?#> \n\t".contains($0) }
                if !host.isEmpty { hosts.insert(host.lowercased()) }
                rest = after
            }
        }
        return hosts
    }

    /// Whether a message with an attachment named `filename` matches `attachment_filename` and
    /// `attachment_extension` (each case-insensitively; an extension with or without its dot).
    public func matchesAttachment(named filenames: [String]) -> Bool {
        let names = Set(filenames.map { $0.lowercased() })
        if !attachmentFilenames.isEmpty, !attachmentFilenames.contains(where: { names.contains($0.lowercased()) }) {
            return false
        }
        guard !attachmentExtensions.isEmpty else { return true }
        let extensions = Set(
            names.compactMap { $0.contains(".") ? $0.split(separator: ".").last.map(String.init) : nil })
        return attachmentExtensions.contains { wanted in
            extensions.contains((wanted.hasPrefix(".") ? String(wanted.dropFirst()) : wanted).lowercased())
        }
    }

    /// Whether a message with embeds of these Discord types (`rich`, `image`, `gifv`, ...) and providers matches
    /// `embed_type` (a `gifv` embed is a `gif`) and `embed_provider` (case-sensitive).
    public func matchesEmbeds(types: [String], providers: [String]) -> Bool {
        if !embedTypes.isEmpty {
            let kinds = Set(types.compactMap { $0 == "gifv" ? EmbedType.gif : EmbedType(rawValue: $0) })
            guard embedTypes.contains(where: kinds.contains) else { return false }
        }
        return embedProviders.isEmpty || embedProviders.contains(where: providers.contains)
    }

    /// Whether a text matches `link_hostname` (a link to one of the hosts, case-insensitively).
    public func matchesLinks(in text: String) -> Bool {
        guard !linkHostnames.isEmpty else { return true }
        let hosts = Self.linkHosts(in: text)
        return linkHostnames.contains { hosts.contains($0.lowercased()) }
    }

    // MARK: Reading values

    static func integer(_ text: String?, field: String, range: ClosedRange<Int>) throws(DiscordFieldError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else {
            throw DiscordFieldError(field: field, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not int.")
        }
        guard value >= range.lowerBound else {
            throw DiscordFieldError(
                field: field, code: "NUMBER_TYPE_MIN",
                message: "int value should be greater than or equal to \(range.lowerBound).")
        }
        guard value <= range.upperBound else {
            throw DiscordFieldError(
                field: field, code: "NUMBER_TYPE_MAX",
                message: "int value should be less than or equal to \(range.upperBound).")
        }
        return value
    }

    static func snowflake<Tag>(_ text: String?, field: String) throws(DiscordFieldError) -> Snowflake<Tag>? {
        guard let text else { return nil }
        guard let value = UInt64(text) else {
            throw DiscordFieldError(
                field: field, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
        }
        return Snowflake(value)
    }

    static func snowflakes<Tag>(_ texts: [String], field: String, maximum: Int) throws(DiscordFieldError) -> [Snowflake<
        Tag
    >] {
        try checkCount(texts, field: field, maximum: maximum)
        var result: [Snowflake<Tag>] = []
        for (index, text) in texts.enumerated() {
            if let id: Snowflake<Tag> = try snowflake(text, field: "\(field).\(index)"), !result.contains(id) {
                result.append(id)
            }
        }
        return result
    }

    static func strings(_ texts: [String], field: String, length: Int) throws(DiscordFieldError) -> [String] {
        try checkCount(texts, field: field, maximum: 100)
        for (index, text) in texts.enumerated() { try checkLength(text, field: "\(field).\(index)", maximum: length) }
        return texts.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    static func enumerated<Value: RawRepresentable>(
        _ texts: [String], field: String, maximum: Int = 1, as _: Value.Type
    ) throws(DiscordFieldError) -> [Value] where Value.RawValue == String, Value: Equatable {
        try checkCount(texts, field: field, maximum: maximum)
        var result: [Value] = []
        for (index, text) in texts.enumerated() {
            guard let value = Value(rawValue: text) else {
                throw DiscordFieldError(
                    field: maximum == 1 ? field : "\(field).\(index)", code: "ENUM_TYPE_COERCE",
                    message: "Value \"\(text)\" is not a valid enum value.")
            }
            if !result.contains(value) { result.append(value) }
        }
        return result
    }

    /// Values that may be negated with a leading `-`: the wanted ones and the excluded ones.
    static func negatable<Value: RawRepresentable>(
        _ texts: [String], field: String, maximum: Int, as type: Value.Type
    ) throws(DiscordFieldError) -> ([Value], [Value]) where Value.RawValue == String, Value: Equatable {
        try checkCount(texts, field: field, maximum: maximum)
        var wanted: [Value] = []
        var excluded: [Value] = []
        for (index, text) in texts.enumerated() {
            let negated = text.hasPrefix("-")
            guard let value = Value(rawValue: negated ? String(text.dropFirst()) : text) else {
                throw DiscordFieldError(
                    field: "\(field).\(index)", code: "ENUM_TYPE_COERCE",
                    message: "Value \"\(text)\" is not a valid enum value.")
            }
            if negated { excluded.append(value) } else { wanted.append(value) }
        }
        return (wanted, excluded)
    }

    /// A boolean as the simulator's other routes refuse a bad one (`BOOLEAN_TYPE_CONVERT`).
    static func boolean(_ text: String?, field: String) throws(DiscordFieldError) -> Bool? {
        guard let text else { return nil }
        guard let value = Bool(discordQuery: text) else {
            throw DiscordFieldError(
                field: field, code: "BOOLEAN_TYPE_CONVERT", message: "Value \"\(text)\" is not a boolean.")
        }
        return value
    }

    static func checkCount(_ texts: [String], field: String, maximum: Int) throws(DiscordFieldError) {
        guard texts.count <= maximum else {
            throw DiscordFieldError(
                field: field, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(maximum) or fewer in length.")
        }
    }

    static func checkLength(_ text: String, field: String, maximum: Int) throws(DiscordFieldError) {
        guard text.count <= maximum else {
            throw DiscordFieldError(
                field: field, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(maximum) or fewer in length.")
        }
    }
}
