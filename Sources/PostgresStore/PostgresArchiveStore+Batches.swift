import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

/// Look-ups of several rows at once, for a page of messages rendered together.
extension PostgresArchiveStore {
    /// See ``StructureStore/members(_:in:)``.
    public func members(_ users: [Snowflake<User>], in guild: Snowflake<Guild>) async throws
        -> [Snowflake<User>: Data]
    {
        guard let ids = users.distinctColumnIDs() else { return [:] }
        return try await read("read members of guild \(guild)") { connection in
            var builder = SQLBuilder()
            builder.append("SELECT user_id, json::text FROM member WHERE guild_id = ")
            builder.bind(guild.columnID)
            builder.append(" AND user_id = ANY(")
            builder.bind(ids, cast: "::bigint[]")
            builder.append(")")
            var found: [Snowflake<User>: Data] = [:]
            for row in try await connection.query(builder.query, logger: self.logger).collect() {
                let (user, json) = try row.decode((Int64, String).self)
                found[Snowflake(columnID: user)] = Data(json.utf8)
            }
            return found
        }
    }

    /// See ``StructureStore/members(in:after:limit:)``.
    public func members(in guild: Snowflake<Guild>, after: Snowflake<User>?, limit: Int) async throws -> [Data] {
        try await read("read members of guild \(guild)") { connection in
            try await IDRangeRead(Snowflake.ids(after: after), limit: limit).asyncRows { range, wanted in
                try await connection.query(
                    """
                    SELECT json::text FROM member WHERE guild_id = \(guild.columnID)
                    AND user_id BETWEEN \(range.lowerBound) AND \(range.upperBound) AND left_at IS NULL
                    ORDER BY user_id LIMIT \(Int64(wanted))
                    """, logger: self.logger
                ).collect().map { Data(try $0.decode(String.self).utf8) }
            }
        }
    }

    /// See ``StructureStore/objects(_:ids:)``.
    public func objects(_ kind: ObjectKind, ids: [AnySnowflake]) async throws -> [AnySnowflake: StoredObject] {
        guard let columnIDs = ids.distinctColumnIDs() else { return [:] }
        return try await read("read \(kind.rawValue) objects") { connection in
            var builder = SQLBuilder()
            builder.append(
                "SELECT \(PostgresRecordRows.objectColumns(kind)) FROM \(kind.table) WHERE id = ANY(")
            builder.bind(columnIDs, cast: "::bigint[]")
            builder.append(")")
            var found: [AnySnowflake: StoredObject] = [:]
            for row in try await connection.query(builder.query, logger: self.logger).collect() {
                let object = try PostgresRecordRows.object(kind, row)
                found[object.id] = object
            }
            return found
        }
    }

    /// See ``MessageStore/reactionUserIDs(of:in:burst:)``.
    public func reactionUserIDs(
        of messages: [Snowflake<Message>], in channel: Snowflake<DiscordModels.Channel>, burst: Bool
    ) async throws -> [Snowflake<Message>: [String: [Snowflake<User>]]] {
        guard let ids = messages.distinctColumnIDs() else { return [:] }
        return try await read("read reaction users of channel \(channel)") { connection in
            var builder = SQLBuilder()
            builder.append("SELECT message_id, emoji_key, user_id FROM reaction_user WHERE channel_id = ")
            builder.bind(channel.columnID)
            builder.append(" AND message_id = ANY(")
            builder.bind(ids, cast: "::bigint[]")
            builder.append(") AND burst = ")
            builder.bind(burst)
            builder.append(" ORDER BY message_id, user_id < 0, user_id")  // user ids in Discord's (unsigned) order
            var found: [Snowflake<Message>: [String: [Snowflake<User>]]] = [:]
            for row in try await connection.query(builder.query, logger: self.logger).collect() {
                let (message, key, user) = try row.decode((Int64, String, Int64).self)
                found[Snowflake(columnID: message), default: [:]][key, default: []].append(Snowflake(columnID: user))
            }
            return found
        }
    }
}
