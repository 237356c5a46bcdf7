import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``MessageBrowsing/messages(in:before:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<DiscordModels.Channel>, before: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await messages(
            in: channel, ids: Snowflake.ids(before: before), older: true, limit: limit, includeDeleted: includeDeleted)
    }

    /// See ``MessageBrowsing/messages(in:after:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<DiscordModels.Channel>, after: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await messages(
            in: channel, ids: Snowflake.ids(after: after), older: false, limit: limit, includeDeleted: includeDeleted)
    }

    /// Up to `limit` of `channel`'s messages with ids in `ids`, from its end nearest the cursor: older ones newest
    /// first, or newer ones oldest first (in Discord's unsigned order: see ``Swift/ClosedRange/columnIDRanges()``).
    private func messages(
        in channel: Snowflake<DiscordModels.Channel>, ids: ClosedRange<Snowflake<Message>>?, older: Bool, limit: Int,
        includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await read("read messages of channel \(channel)") { connection in
            let ranges = ids.columnIDRanges()
            var messages: [StoredMessage] = []
            for range in older ? ranges.reversed() : ranges where messages.count < limit {
                var builder = SQLBuilder()
                builder.append("SELECT \(PostgresRecordRows.messageColumns) FROM message WHERE channel_id = ")
                builder.bind(channel.columnID)
                builder.append(" AND ")
                builder.between("id", range)
                if !includeDeleted { builder.append(" AND deleted_at IS NULL") }
                builder.append(older ? " ORDER BY id DESC LIMIT " : " ORDER BY id LIMIT ")
                builder.bind(Int64(limit - messages.count))
                messages += try await connection.query(builder.query, logger: self.logger).collect()
                    .map(PostgresRecordRows.message)
            }
            return messages
        }
    }

    /// See ``MessageBrowsing/search(_:before:limit:)``.
    public func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]
    {
        try await read("search messages") { connection in
            var messages: [StoredMessage] = []
            // Newest first in Discord's order: the ids at or above 2^63 (negative columns) first, each range by id.
            for range in search.ids(before: before).columnIDRanges().reversed() where messages.count < limit {
                let wanted = limit - messages.count
                if !search.words.isEmpty || !search.phrases.isEmpty {
                    // A common text: its newest matches lie among the newest rows (see `walkedRows`).
                    var walk = SQLBuilder()
                    walk.append("SELECT \(PostgresRecordRows.messageColumns) FROM (SELECT * FROM message WHERE true")
                    Self.appendFilters(search, before: before, within: range, text: false, to: &walk)
                    walk.append(" ORDER BY id DESC, channel_id LIMIT ")
                    walk.bind(Int64(Self.walkedRows))
                    walk.append(") message WHERE true")
                    Self.appendText(search, indexed: false, to: &walk)
                    walk.append(" ORDER BY id DESC, channel_id LIMIT ")
                    walk.bind(Int64(wanted))
                    let found = try await connection.query(walk.query, logger: self.logger).collect()
                    if found.count == wanted {
                        messages += try found.map(PostgresRecordRows.message)
                        continue
                    }
                }
                var builder = SQLBuilder()
                builder.append("SELECT \(PostgresRecordRows.messageColumns) FROM message WHERE true")
                Self.appendFilters(search, before: before, within: range, to: &builder)
                builder.append(" ORDER BY id DESC, channel_id LIMIT ")
                builder.bind(Int64(wanted))
                messages += try await connection.query(builder.query, logger: self.logger).collect()
                    .map(PostgresRecordRows.message)
            }
            return messages
        }
    }

    /// See ``MessageBrowsing/search(_:rankedFrom:limit:)``: `ts_rank` over the text, newest first among equals.
    public func search(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws -> [StoredMessage] {
        let rankWords = (search.words + search.phrases.flatMap { $0 }).joined(separator: " ")
        return try await read("search messages by relevance") { connection in
            var builder = SQLBuilder()
            builder.append("SELECT \(PostgresRecordRows.messageColumns) FROM message WHERE true")
            Self.appendFilters(search, before: nil, to: &builder)
            if rankWords.isEmpty {
                builder.append(" ORDER BY id < 0 DESC, id DESC, channel_id")
            } else {
                builder.append(" ORDER BY ts_rank(\(Self.searchVector), plainto_tsquery('simple'::regconfig, ")
                builder.bind(pgText(rankWords))
                builder.append(")) DESC, id < 0 DESC, id DESC, channel_id")
            }
            builder.append(" LIMIT ")
            builder.bind(Int64(limit))
            builder.append(" OFFSET ")
            builder.bind(Int64(offset))
            return try await connection.query(builder.query, logger: self.logger).collect()
                .map(PostgresRecordRows.message)
        }
    }

    /// The text search vector of a message row, as the `message_search` GIN index holds it (the `simple`
    /// configuration: lower-cased words, no stemming, no stop words, like SQLite's unicode61 tokenizer). A query
    /// must spell it exactly so for the index to answer it.
    static let searchVector = "to_tsvector('simple'::regconfig, content)"

    /// Rows a newest-first search walks before it asks the GIN index instead. A page of a common text (one in a
    /// few hundred messages and more) lies among the newest rows that pass the other filters: walking them and
    /// testing each finds it at once, where the index would collect and sort every match (a third of a
    /// million-message archive for the commonest words: seconds), and the planner cannot tell which way is faster
    /// before the table is analyzed. A rarer text costs this walk, then the index finds its few matches.
    static let walkedRows = 2_000

    /// Appends the words and phrases of a search (after a `WHERE`): `indexed`, as `@@` (which the GIN index
    /// answers), else as `ts_match_vq` (the same test, on each row of the walk).
    static func appendText(_ search: MessageSearch, indexed: Bool, to builder: inout SQLBuilder) {
        // plainto_tsquery / phraseto_tsquery take the words literally (no operators in user text).
        let (open, close) =
            indexed
            ? (" AND \(searchVector) @@ ", "") : (" AND ts_match_vq(\(searchVector), ", ")")
        if !search.words.isEmpty {
            builder.append(open + "plainto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(search.words.joined(separator: " ")))
            builder.append(")" + close)
        }
        for phrase in search.phrases {
            builder.append(open + "phraseto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(phrase.joined(separator: " ")))
            builder.append(")" + close)
        }
    }

    /// Appends the conditions of a search (after a `WHERE`), below `before` when given; `text`: with its words
    /// and phrases (else the other conditions only).
    static func appendFilters(
        _ search: MessageSearch, before: Snowflake<Message>?, within range: ClosedRange<Int64>? = nil,
        text: Bool = true, to builder: inout SQLBuilder
    ) {
        if text { appendText(search, indexed: true, to: &builder) }
        for group in search.alternatives where !group.isEmpty {
            builder.append(" AND \(Self.searchVector) @@ (")
            for (index, word) in group.enumerated() {
                if index > 0 { builder.append(" || ") }
                builder.append("plainto_tsquery('simple'::regconfig, ")
                builder.bind(pgText(word))
                builder.append(")")
            }
            builder.append(")")
        }
        for word in search.excludedWords {
            builder.append(" AND NOT \(Self.searchVector) @@ plainto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(word))
            builder.append(")")
        }
        if !search.authors.isEmpty {
            builder.append(" AND author_id = ANY(")
            builder.bind(search.authors.map(\.columnID), cast: "::bigint[]")
            builder.append(")")
        }
        if !search.channels.isEmpty {
            builder.append(" AND channel_id = ANY(")
            builder.bind(search.channels.map(\.columnID), cast: "::bigint[]")
            builder.append(")")
        }
        if let guild = search.guild {
            builder.append(" AND guild_id = ")
            builder.bind(guild.columnID)
        }
        // The ids as column ranges (two when they run across 2^63), or the one range a newest-first walk reads.
        let ranges =
            range.map { [$0] } ?? (search.limitsIDs(before: before) ? search.ids(before: before).columnIDRanges() : nil)
        if let ranges {
            builder.append(ranges.isEmpty ? " AND false" : " AND (")
            for (index, range) in ranges.enumerated() {
                if index > 0 { builder.append(" OR ") }
                builder.between("id", range)
            }
            if !ranges.isEmpty { builder.append(")") }
        }
        if let pinned = search.pinned {
            builder.append(" AND pinned = ")
            builder.bind(pinned)
        }
        if let edited = search.edited {
            builder.append(edited ? " AND edited_timestamp IS NOT NULL" : " AND edited_timestamp IS NULL")
        }
        if let deleted = search.deleted {
            builder.append(deleted ? " AND deleted_at IS NOT NULL" : " AND deleted_at IS NULL")
        }
        for content in search.has { builder.append(" AND " + Self.condition(content)) }
        if !search.mentions.isEmpty {
            builder.append(
                " AND EXISTS (SELECT 1 FROM json_array_elements(\(Self.array("mentions"))) e WHERE e->>'id' = ANY(")
            builder.bind(search.mentions.map(\.description), cast: "::text[]")
            builder.append("))")
        }
        if !search.authorTypes.isEmpty {
            builder.append(" AND (" + search.authorTypes.map(Self.condition).joined(separator: " OR ") + ")")
        }
    }

    /// A JSON array member of the message, or an empty array when it is missing or not an array.
    static func array(_ key: String) -> String {
        "CASE WHEN json_typeof(json::json->'\(key)') = 'array' THEN json::json->'\(key)' ELSE '[]'::json END"
    }

    /// The SQL condition of a `has:` filter.
    static func condition(_ content: MessageSearch.Content) -> String {
        func attachment(_ prefix: String) -> String {
            "EXISTS (SELECT 1 FROM json_array_elements(\(array("attachments"))) a "
                + "WHERE a->>'content_type' LIKE '\(prefix)/%')"
        }
        switch content {
        case .link: return "(content LIKE '%http://%' OR content LIKE '%https://%')"
        case .embed: return "json_array_length(\(array("embeds"))) > 0"
        case .file: return "json_array_length(\(array("attachments"))) > 0"
        case .image: return attachment("image")
        case .video: return attachment("video")
        case .sound: return attachment("audio")
        case .sticker: return "json_array_length(\(array("sticker_items"))) > 0"
        case .poll: return "json_typeof(json::json->'poll') = 'object'"
        }
    }

    /// The author's `bot` of the message row (its author object may be kept apart: see ``PostgresMessageAuthors``).
    private static let botAuthor = PostgresMessageAuthors.authorMember("bot", of: "message")

    /// The SQL condition of an `author_type:` filter.
    static func condition(_ type: MessageSearch.AuthorType) -> String {
        switch type {
        case .webhook: "json::json->>'webhook_id' IS NOT NULL"
        case .bot: "(\(botAuthor) = 'true' AND json::json->>'webhook_id' IS NULL)"
        case .user: "(coalesce(\(botAuthor), 'false') <> 'true' AND json::json->>'webhook_id' IS NULL)"
        }
    }
}
