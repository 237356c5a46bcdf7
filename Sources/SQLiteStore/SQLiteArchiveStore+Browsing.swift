import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageBrowsing/messages(in:before:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await read("read messages of channel \(channel)") { db in
            let filter = includeDeleted ? "" : " AND deleted_at IS NULL"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(RecordRows.messageColumns) FROM message
                    WHERE channel_id = ? AND id < ?\(filter) ORDER BY id DESC LIMIT ?
                    """,
                arguments: [channel.columnID, before?.columnID ?? Int64.max, limit]
            ).map(RecordRows.message)
        }
    }

    /// See ``MessageBrowsing/messages(in:after:limit:includeDeleted:)``.
    public func messages(
        in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int, includeDeleted: Bool
    ) async throws -> [StoredMessage] {
        try await read("read messages of channel \(channel)") { db in
            let filter = includeDeleted ? "" : " AND deleted_at IS NULL"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(RecordRows.messageColumns) FROM message
                    WHERE channel_id = ? AND id > ?\(filter) ORDER BY id LIMIT ?
                    """,
                arguments: [channel.columnID, after?.columnID ?? -1, limit]
            ).map(RecordRows.message)
        }
    }

    /// See ``MessageBrowsing/search(_:before:limit:)``.
    public func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]
    {
        try await read("search messages") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            let positive = Self.ftsTerms(search.words) + search.phrases.map { Self.ftsTerm($0.joined(separator: " ")) }
            if !positive.isEmpty {
                conditions.append("m.row_id IN (SELECT rowid FROM message_search WHERE message_search MATCH ?)")
                arguments += [positive.joined(separator: " ")]
            }
            if !search.excludedWords.isEmpty {
                conditions.append("m.row_id NOT IN (SELECT rowid FROM message_search WHERE message_search MATCH ?)")
                arguments += [Self.ftsTerms(search.excludedWords).joined(separator: " OR ")]
            }
            if !search.authors.isEmpty {
                conditions.append("m.author_id IN (\(search.authors.map { _ in "?" }.joined(separator: ",")))")
                for author in search.authors { arguments += [author.columnID] }
            }
            if !search.channels.isEmpty {
                conditions.append("m.channel_id IN (\(search.channels.map { _ in "?" }.joined(separator: ",")))")
                for channel in search.channels { arguments += [channel.columnID] }
            }
            if let guild = search.guild {
                conditions.append("m.guild_id = ?")
                arguments += [guild.columnID]
            }
            if let minimum = search.minimumId {
                conditions.append("m.id >= ?")
                arguments += [minimum.columnID]
            }
            if let upper = [search.maximumId, before].compactMap({ $0 }).min() {
                conditions.append("m.id < ?")
                arguments += [upper.columnID]
            }
            if let pinned = search.pinned {
                conditions.append("m.pinned = ?")
                arguments += [pinned]
            }
            if let edited = search.edited {
                conditions.append(edited ? "m.edited_timestamp IS NOT NULL" : "m.edited_timestamp IS NULL")
            }
            if let deleted = search.deleted {
                conditions.append(deleted ? "m.deleted_at IS NOT NULL" : "m.deleted_at IS NULL")
            }
            let columns = RecordRows.messageColumns.split(separator: ",")
                .map { "m." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: "SELECT \(columns) FROM message m \(whereClause) ORDER BY m.id DESC, m.channel_id LIMIT ?",
                arguments: arguments
            ).map(RecordRows.message)
        }
    }

    /// Each word quoted, so FTS5 operators in user text are taken literally.
    static func ftsTerms(_ words: [String]) -> [String] { words.map(ftsTerm) }

    /// One quoted FTS5 string (a phrase when it holds several words).
    static func ftsTerm(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
