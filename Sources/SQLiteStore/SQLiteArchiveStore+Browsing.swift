import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageBrowsing/messages(in:before:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await messages(
            in: channel, ids: Snowflake.ids(before: before), older: true, limit: limit, includeDeleted: includeDeleted)
    }

    /// See ``MessageBrowsing/messages(in:after:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await messages(
            in: channel, ids: Snowflake.ids(after: after), older: false, limit: limit, includeDeleted: includeDeleted)
    }

    /// Up to `limit` of `channel`'s messages with ids in `ids`, from its end nearest the cursor: older ones newest
    /// first, or newer ones oldest first (in Discord's unsigned order: see ``Swift/ClosedRange/columnIDRanges()``).
    private func messages(
        in channel: Snowflake<Channel>, ids: ClosedRange<Snowflake<Message>>?, older: Bool, limit: Int,
        includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await read("read messages of channel \(channel)") { db in
            let filter = includeDeleted ? "" : " AND deleted_at IS NULL"
            return try IDRangeRead(ids, order: older ? .descending : .ascending, limit: limit).rows { range, wanted in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(RecordRows.messageColumns) FROM message
                        WHERE channel_id = ? AND id BETWEEN ? AND ?\(filter) ORDER BY id\(older ? " DESC" : "") LIMIT ?
                        """,
                    arguments: [channel.columnID, range.lowerBound, range.upperBound, wanted]
                ).map(RecordRows.message)
            }
        }
    }

    /// See ``MessageBrowsing/search(_:before:limit:)``.
    public func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]
    {
        try await read("search messages") { db in
            try Self.newestMatches(
                of: search, before: before, limit: limit, row: .archived, columns: Self.qualifiedMessageColumns, db: db
            ).map(RecordRows.message)
        }
    }

    /// See ``ImportStore/searchImported(_:before:limit:)``.
    public func searchImported(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]
    {
        try await read("search imported messages") { db in
            try Self.newestMatches(
                of: search, before: before, limit: limit, row: .imported,
                columns: "m.id, m.channel_id, m.guild_id, m.timestamp, m.json", db: db
            ).map(Self.importedMessageRecord)
        }
    }

    /// The rows of `row`'s table matching `search` below `before`, newest first in Discord's order (the ids at or
    /// above 2^63, negative columns, first; each range by id), up to `limit`.
    // swift-format-ignore: FunctionParameterCount
    static func newestMatches(
        of search: MessageSearch, before: Snowflake<Message>?, limit: Int, row: SearchRow, columns: String,
        db: Database
    ) throws -> [Row] {
        // A walk that asks for a page as large as a common text's matches collects them at once instead.
        let commonText = try limit < Self.commonMatches && Self.isCommon(search, db: db, row: row)
        return try IDRangeRead(search.ids(before: before), order: .descending, limit: limit).rows { range, wanted in
            let (conditions, filterArguments) = Self.filters(
                search, before: before, within: range, commonText: commonText, row: row)
            var arguments = filterArguments
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [wanted]
            return try Row.fetchAll(
                db,
                sql: "SELECT \(columns) FROM \(row.table) \(whereClause) ORDER BY m.id DESC, m.channel_id LIMIT ?",
                arguments: arguments)
        }
    }

    /// See ``MessageBrowsing/search(_:rankedFrom:limit:)``: bm25 over the text, newest first among equals.
    public func search(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws
        -> [Ranked<StoredMessage>]
    {
        try await read("search messages by relevance") { db in
            try Self.rankedMatches(
                of: search, from: offset, limit: limit, row: .archived, columns: Self.qualifiedMessageColumns, db: db
            ).map { Ranked(RecordRows.message($0), score: $0["score"]) }
        }
    }

    /// See ``ImportStore/searchImported(_:rankedFrom:limit:)``: bm25 over the imported text's own index.
    public func searchImported(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws
        -> [Ranked<ImportedMessage>]
    {
        try await read("search imported messages by relevance") { db in
            try Self.rankedMatches(
                of: search, from: offset, limit: limit, row: .imported,
                columns: "m.id, m.channel_id, m.guild_id, m.timestamp, m.json", db: db
            ).map { Ranked(Self.importedMessageRecord($0), score: $0["score"]) }
        }
    }

    /// The rows of `row`'s table matching `search`, most relevant first (the bm25 of its full-text index, negated,
    /// as the column `score`), newest first among equals and without words (score 0), from `offset`.
    // swift-format-ignore: FunctionParameterCount
    static func rankedMatches(
        of search: MessageSearch, from offset: Int, limit: Int, row: SearchRow, columns: String, db: Database
    ) throws -> [Row] {
        let positive = Self.ftsTerms(search.words) + search.phrases.map { Self.ftsTerm($0.joined(separator: " ")) }
        let (conditions, filterArguments) = Self.filters(search, before: nil, row: row)
        let newest = "m.id < 0 DESC, m.id DESC, m.channel_id"
        var arguments: StatementArguments = []
        let sql: String
        if positive.isEmpty {
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            sql = "SELECT \(columns), 0.0 AS score FROM \(row.table) \(whereClause) ORDER BY \(newest) LIMIT ? OFFSET ?"
        } else {
            let index = row.index
            let filter = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
            sql = """
                SELECT \(columns), -bm25(\(index)) AS score FROM \(index) JOIN \(row.table) ON \(row.key) = \(index).rowid
                WHERE \(index) MATCH ?\(filter) ORDER BY bm25(\(index)), \(newest) LIMIT ? OFFSET ?
                """
            arguments += [positive.joined(separator: " ")]
        }
        arguments += filterArguments
        arguments += [limit, offset]
        return try Row.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// The message columns qualified with the alias `m`.
    static let qualifiedMessageColumns = RecordRows.messageColumns(of: "m")

    /// Matches beyond which a search's text counts as common (see ``isCommon(_:db:)``).
    static let commonMatches = 5_000

    /// Whether the words and phrases of a search match at least ``commonMatches`` messages (counted up to there
    /// only). Newest first, a rare text is best found through its matches (few, then sorted by id), a common one
    /// by walking messages newest first and probing the index for each (a page is found after a few rows, where
    /// collecting every match of a word in a third of a million-message archive takes seconds).
    static func isCommon(_ search: MessageSearch, db: Database, row: SearchRow = .archived) throws -> Bool {
        let positive = Self.ftsTerms(search.words) + search.phrases.map { Self.ftsTerm($0.joined(separator: " ")) }
        guard !positive.isEmpty else { return false }
        let index = row.index
        let count = try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM (SELECT rowid FROM \(index) WHERE \(index) MATCH ? LIMIT ?)",
            arguments: [positive.joined(separator: " "), commonMatches])
        return (count ?? 0) >= commonMatches
    }

    /// The conditions (on the message row `m`) and their arguments of a search, below `before` when given;
    /// `commonText`: the text is probed per message rather than collected (see ``isCommon(_:db:)``).
    static func filters(
        _ search: MessageSearch, before: Snowflake<Message>?, within range: ClosedRange<Int64>? = nil,
        commonText: Bool = false, row: SearchRow = .archived
    ) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        let (index, key) = (row.index, row.key)
        let positive = Self.ftsTerms(search.words) + search.phrases.map { Self.ftsTerm($0.joined(separator: " ")) }
        if !positive.isEmpty {
            conditions.append(
                commonText
                    ? "EXISTS (SELECT 1 FROM \(index) WHERE \(index) MATCH ? AND rowid = \(key))"
                    : "\(key) IN (SELECT rowid FROM \(index) WHERE \(index) MATCH ?)")
            arguments += [positive.joined(separator: " ")]
        }
        for group in search.alternatives where !group.isEmpty {
            conditions.append("\(key) IN (SELECT rowid FROM \(index) WHERE \(index) MATCH ?)")
            arguments += [ftsTerms(group).joined(separator: " OR ")]
        }
        if !search.excludedWords.isEmpty {
            conditions.append("\(key) NOT IN (SELECT rowid FROM \(index) WHERE \(index) MATCH ?)")
            arguments += [Self.ftsTerms(search.excludedWords).joined(separator: " OR ")]
        }
        if !search.authors.isEmpty {
            conditions.append("\(row.author) IN (\(search.authors.map { _ in "?" }.joined(separator: ",")))")
            for author in search.authors { arguments += [row.authorArgument(author)] }
        }
        if !search.channels.isEmpty {
            conditions.append("m.channel_id IN (\(search.channels.map { _ in "?" }.joined(separator: ",")))")
            for channel in search.channels { arguments += [channel.columnID] }
        }
        if let guild = search.guild {
            conditions.append("m.guild_id = ?")
            arguments += [guild.columnID]
        }
        // The ids as column ranges (two when they run across 2^63), or the one range a newest-first walk reads.
        if let range {
            conditions.append("m.id BETWEEN ? AND ?")
            arguments += [range.lowerBound, range.upperBound]
        } else if search.limitsIDs(before: before) {
            let ranges = search.ids(before: before).columnIDRanges()
            conditions.append(
                ranges.isEmpty ? "0" : "(" + ranges.map { _ in "m.id BETWEEN ? AND ?" }.joined(separator: " OR ") + ")")
            for range in ranges { arguments += [range.lowerBound, range.upperBound] }
        }
        if let pinned = search.pinned {
            conditions.append("\(row.pinned) = ?")
            arguments += [pinned]
        }
        if let edited = search.edited {
            conditions.append(edited ? "\(row.edited) IS NOT NULL" : "\(row.edited) IS NULL")
        }
        if let deleted = search.deleted {
            conditions.append(deleted ? "\(row.deleted) IS NOT NULL" : "\(row.deleted) IS NULL")
        }
        conditions += search.has.map(row.condition)
        if !search.mentions.isEmpty {
            let marks = search.mentions.map { _ in "?" }.joined(separator: ",")
            conditions.append(
                "EXISTS (SELECT 1 FROM json_each(m.json, '$.mentions') WHERE json_extract(value, '$.id') IN (\(marks)))"
            )
            for user in search.mentions { arguments += [user.description] }
        }
        if !search.authorTypes.isEmpty {
            conditions.append("(" + search.authorTypes.map(row.condition).joined(separator: " OR ") + ")")
        }
        // A condition on a member the JSON lacks is NULL, not false: `coalesce` makes its negation hold.
        conditions += search.lacks.map { "NOT coalesce((\(row.condition($0))), 0)" }
        conditions += search.excludedAuthorTypes.map { "NOT coalesce((\(row.condition($0))), 0)" }
        return (conditions, arguments)
    }

    /// Each word quoted, so FTS5 operators in user text are taken literally.
    static func ftsTerms(_ words: [String]) -> [String] { words.map(ftsTerm) }

    /// One quoted FTS5 string (a phrase when it holds several words).
    static func ftsTerm(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
