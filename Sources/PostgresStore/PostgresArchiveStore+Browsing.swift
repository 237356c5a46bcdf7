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
            try await IDRangeRead(ids, order: older ? .descending : .ascending, limit: limit).asyncRows {
                range, wanted in
                var builder = SQLBuilder()
                builder.append("SELECT \(PostgresRecordRows.messageColumns) FROM message WHERE channel_id = ")
                builder.bind(channel.columnID)
                builder.append(" AND ")
                builder.between("id", range)
                if !includeDeleted { builder.append(" AND deleted_at IS NULL") }
                builder.append(older ? " ORDER BY id DESC LIMIT " : " ORDER BY id LIMIT ")
                builder.bind(Int64(wanted))
                return try await connection.query(builder.query, logger: self.logger).collect()
                    .map(PostgresRecordRows.message)
            }
        }
    }

    /// See ``MessageBrowsing/search(_:before:limit:)``.
    public func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]
    {
        try await read("search messages") { connection in
            try await self.newestMatches(
                of: search, before: before, limit: limit, row: .archived, columns: PostgresRecordRows.messageColumns,
                connection: connection
            ).map(PostgresRecordRows.message)
        }
    }

    /// See ``ImportStore/searchImported(_:before:limit:)``.
    public func searchImported(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]
    {
        try await read("search imported messages") { connection in
            try await self.newestMatches(
                of: search, before: before, limit: limit, row: .imported, columns: Self.importedColumns,
                connection: connection
            ).map(Self.importedMessageRecord)
        }
    }

    /// The rows of `row`'s table matching `search` below `before`, newest first in Discord's order (the ids at or
    /// above 2^63, negative columns, first; each range by id), up to `limit`.
    // swift-format-ignore: FunctionParameterCount
    func newestMatches(
        of search: MessageSearch, before: Snowflake<Message>?, limit: Int, row: PostgresSearchRow, columns: String,
        connection: PostgresConnection
    ) async throws -> [PostgresRow] {
        try await IDRangeRead(search.ids(before: before), order: .descending, limit: limit).asyncRows { range, wanted in
            if !search.words.isEmpty || !search.phrases.isEmpty {
                // A common text: its newest matches lie among the newest rows (see `walkedRows`).
                var walk = SQLBuilder()
                walk.append("SELECT \(columns) FROM (SELECT * FROM \(row.table) WHERE true")
                Self.appendFilters(search, before: before, within: range, text: false, row: row, to: &walk)
                walk.append(" ORDER BY id DESC, channel_id LIMIT ")
                walk.bind(Int64(Self.walkedRows))
                walk.append(") \(row.table) WHERE true")
                Self.appendText(search, indexed: false, row: row, to: &walk)
                walk.append(" ORDER BY id DESC, channel_id LIMIT ")
                walk.bind(Int64(wanted))
                let found = try await connection.query(walk.query, logger: self.logger).collect()
                if found.count == wanted { return found }
            }
            var builder = SQLBuilder()
            builder.append("SELECT \(columns) FROM \(row.table) WHERE true")
            Self.appendFilters(search, before: before, within: range, row: row, to: &builder)
            builder.append(" ORDER BY id DESC, channel_id LIMIT ")
            builder.bind(Int64(wanted))
            return try await connection.query(builder.query, logger: self.logger).collect()
        }
    }

    /// See ``MessageBrowsing/search(_:rankedFrom:limit:)``: `ts_rank` over the text, newest first among equals.
    public func search(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws
        -> [Ranked<StoredMessage>]
    {
        try await ranked(
            search, from: offset, limit: limit, row: .archived, columns: PostgresRecordRows.messageColumns,
            record: PostgresRecordRows.message)
    }

    /// See ``ImportStore/searchImported(_:rankedFrom:limit:)``: `ts_rank` over the imported text, which has no
    /// statistics of its table, so the scores of both searches compare exactly.
    public func searchImported(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws
        -> [Ranked<ImportedMessage>]
    {
        try await ranked(
            search, from: offset, limit: limit, row: .imported, columns: Self.importedColumns,
            record: Self.importedMessageRecord)
    }

    /// ``rankedMatches(of:from:limit:row:columns:connection:)`` read as records with their scores.
    // swift-format-ignore: FunctionParameterCount
    private func ranked<Record: Sendable>(
        _ search: MessageSearch, from offset: Int, limit: Int, row: PostgresSearchRow, columns: String,
        record: @escaping @Sendable (PostgresRow) throws -> Record
    ) async throws -> [Ranked<Record>] {
        try await read("search messages by relevance") { connection in
            try await self.rankedMatches(
                of: search, from: offset, limit: limit, row: row, columns: columns, connection: connection
            ).map { found in
                Ranked(try record(found), score: try found.makeRandomAccess()["score"].decode(Double.self))
            }
        }
    }

    /// The rows of `row`'s table matching `search`, most relevant first (`ts_rank` as the column `score`), newest
    /// first among equals and without words (score 0), from `offset`.
    // swift-format-ignore: FunctionParameterCount
    func rankedMatches(
        of search: MessageSearch, from offset: Int, limit: Int, row: PostgresSearchRow, columns: String,
        connection: PostgresConnection
    ) async throws -> [PostgresRow] {
        let rankWords = (search.words + search.phrases.flatMap { $0 }).joined(separator: " ")
        var builder = SQLBuilder()
        if rankWords.isEmpty {
            builder.append("SELECT \(columns), 0::float8 AS score FROM \(row.table) WHERE true")
        } else {
            builder.append(
                "SELECT \(columns), ts_rank(\(row.searchVector), plainto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(rankWords))
            builder.append("))::float8 AS score FROM \(row.table) WHERE true")
        }
        Self.appendFilters(search, before: nil, row: row, to: &builder)
        builder.append(rankWords.isEmpty ? " ORDER BY" : " ORDER BY score DESC,")
        builder.append(" id < 0 DESC, id DESC, channel_id LIMIT ")
        builder.bind(Int64(limit))
        builder.append(" OFFSET ")
        builder.bind(Int64(offset))
        return try await connection.query(builder.query, logger: self.logger).collect()
    }

    /// The text search vector of a message row, as the `message_search` GIN index holds it (the `simple`
    /// configuration: lower-cased words, no stemming, no stop words, like SQLite's unicode61 tokenizer). A query
    /// must spell it exactly so for the index to answer it.
    static let searchVector = "to_tsvector('simple'::regconfig, content)"

    /// The text search vector of an imported message row (its DCE `content`), as the `imported_message_search`
    /// GIN index holds it: the archived messages' configuration, so the same words match.
    static let importedSearchVector = "to_tsvector('simple'::regconfig, json->>'content')"

    /// Rows a newest-first search walks before it asks the GIN index instead. A page of a common text (one in a
    /// few hundred messages and more) lies among the newest rows that pass the other filters: walking them and
    /// testing each finds it at once, where the index would collect and sort every match (a third of a
    /// million-message archive for the commonest words: seconds), and the planner cannot tell which way is faster
    /// before the table is analyzed. A rarer text costs this walk, then the index finds its few matches.
    static let walkedRows = 2_000

    /// Appends the words and phrases of a search (after a `WHERE`): `indexed`, as `@@` (which the GIN index
    /// answers), else as `ts_match_vq` (the same test, on each row of the walk).
    static func appendText(
        _ search: MessageSearch, indexed: Bool, row: PostgresSearchRow = .archived, to builder: inout SQLBuilder
    ) {
        // plainto_tsquery / phraseto_tsquery take the words literally (no operators in user text).
        let vector = row.searchVector
        let (open, close) =
            indexed
            ? (" AND \(vector) @@ ", "") : (" AND ts_match_vq(\(vector), ", ")")
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
    // swift-format-ignore: FunctionParameterCount
    static func appendFilters(
        _ search: MessageSearch, before: Snowflake<Message>?, within range: ClosedRange<Int64>? = nil,
        text: Bool = true, row: PostgresSearchRow = .archived, to builder: inout SQLBuilder
    ) {
        if text { appendText(search, indexed: true, row: row, to: &builder) }
        let vector = row.searchVector
        for group in search.alternatives where !group.isEmpty {
            builder.append(" AND \(vector) @@ (")
            for (index, word) in group.enumerated() {
                if index > 0 { builder.append(" || ") }
                builder.append("plainto_tsquery('simple'::regconfig, ")
                builder.bind(pgText(word))
                builder.append(")")
            }
            builder.append(")")
        }
        for word in search.excludedWords {
            builder.append(" AND NOT \(vector) @@ plainto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(word))
            builder.append(")")
        }
        if !search.authors.isEmpty {
            if row == .archived {
                builder.append(" AND author_id = ANY(")
                builder.bind(search.authors.map(\.columnID), cast: "::bigint[]")
            } else {
                builder.append(" AND json->'author'->>'id' = ANY(")
                builder.bind(search.authors.map(\.description), cast: "::text[]")
            }
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
            builder.append(" AND \(row.pinned) = ")
            builder.bind(pinned)
        }
        if let edited = search.edited {
            builder.append(edited ? " AND \(row.edited) IS NOT NULL" : " AND \(row.edited) IS NULL")
        }
        if let deleted = search.deleted {
            builder.append(deleted ? " AND \(row.deleted) IS NOT NULL" : " AND \(row.deleted) IS NULL")
        }
        for content in search.has { builder.append(" AND " + row.condition(content)) }
        if !search.mentions.isEmpty {
            builder.append(
                " AND EXISTS (SELECT 1 FROM json_array_elements(\(Self.array("mentions"))) e WHERE e->>'id' = ANY(")
            builder.bind(search.mentions.map(\.description), cast: "::text[]")
            builder.append("))")
        }
        if !search.authorTypes.isEmpty {
            builder.append(" AND (" + search.authorTypes.map(row.condition).joined(separator: " OR ") + ")")
        }
        // A condition on a member the JSON lacks is NULL, not false: `coalesce` makes its negation hold.
        for content in search.lacks { builder.append(" AND NOT coalesce((\(row.condition(content))), false)") }
        for type in search.excludedAuthorTypes {
            builder.append(" AND NOT coalesce((\(row.condition(type))), false)")
        }
    }

    /// A JSON array member of the message, or an empty array when it is missing or not an array.
    static func array(_ key: String) -> String {
        "CASE WHEN json_typeof(json::json->'\(key)') = 'array' THEN json::json->'\(key)' ELSE '[]'::json END"
    }
}
