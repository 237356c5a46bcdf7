import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Look-ups of several rows at once, for a page of messages rendered together.
extension SQLiteArchiveStore {
    /// See ``StructureStore/members(_:in:)``.
    public func members(_ users: [Snowflake<User>], in guild: Snowflake<Guild>) async throws
        -> [Snowflake<User>: Data]
    {
        guard let ids = users.distinctColumnIDs() else { return [:] }
        return try await read("read members of guild \(guild)") { db in
            var found: [Snowflake<User>: Data] = [:]
            for chunk in Self.chunks(ids) {
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT user_id, json FROM member WHERE guild_id = ? AND user_id IN (\(Self.marks(chunk)))",
                    arguments: StatementArguments([guild.columnID] + chunk))
                for row in rows {
                    let json: String = row["json"]
                    found[Snowflake(columnID: row["user_id"])] = Data(json.utf8)
                }
            }
            return found
        }
    }

    /// See ``StructureStore/members(in:after:limit:)``.
    public func members(in guild: Snowflake<Guild>, after: Snowflake<User>?, limit: Int) async throws -> [Data] {
        try await read("read members of guild \(guild)") { db in
            try IDRangeRead(Snowflake.ids(after: after), limit: limit).rows { range, wanted in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json FROM member WHERE guild_id = ? AND user_id BETWEEN ? AND ? AND left_at IS NULL
                        ORDER BY user_id LIMIT ?
                        """,
                    arguments: [guild.columnID, range.lowerBound, range.upperBound, wanted]
                ).map { Data($0.utf8) }
            }
        }
    }

    /// See ``StructureStore/objects(_:ids:)``.
    public func objects(_ kind: ObjectKind, ids: [AnySnowflake]) async throws -> [AnySnowflake: StoredObject] {
        guard let columnIDs = ids.distinctColumnIDs() else { return [:] }
        return try await read("read \(kind.rawValue) objects") { db in
            var found: [AnySnowflake: StoredObject] = [:]
            for chunk in Self.chunks(columnIDs) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(RecordRows.objectColumns(kind)) FROM \(kind.table) WHERE id IN (\(Self.marks(chunk)))
                        """,
                    arguments: StatementArguments(chunk))
                for row in rows {
                    let object = RecordRows.object(kind, row)
                    found[object.id] = object
                }
            }
            return found
        }
    }

    /// See ``MessageStore/reactionUserIDs(of:in:burst:)``.
    public func reactionUserIDs(of messages: [Snowflake<Message>], in channel: Snowflake<Channel>, burst: Bool)
        async throws -> [Snowflake<Message>: [String: [Snowflake<User>]]]
    {
        guard let ids = messages.distinctColumnIDs() else { return [:] }
        return try await read("read reaction users of channel \(channel)") { db in
            var found: [Snowflake<Message>: [String: [Snowflake<User>]]] = [:]
            for chunk in Self.chunks(ids) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT message_id, emoji_key, user_id FROM reaction_user
                        WHERE channel_id = ? AND message_id IN (\(Self.marks(chunk))) AND burst = ?
                        ORDER BY message_id, emoji_key, user_id < 0, user_id
                        """,
                    arguments: StatementArguments([channel.columnID] + chunk) + [burst])
                for row in rows {
                    let message: Snowflake<Message> = Snowflake(columnID: row["message_id"])
                    found[message, default: [:]][row["emoji_key"], default: []].append(
                        Snowflake(columnID: row["user_id"]))
                }
            }
            return found
        }
    }

    /// `?, ?, …`, one per value.
    private static func marks(_ values: [Int64]) -> String { values.map { _ in "?" }.joined(separator: ", ") }

    /// Values in chunks that stay under SQLite's limit of bound parameters.
    private static func chunks(_ values: [Int64]) -> [[Int64]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min($0 + 500, values.count)]) }
    }
}
