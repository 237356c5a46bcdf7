import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// Serialises guild-structure writes between workers (they are small and rare; two workers discovering one
    /// guild at once would otherwise race to insert the same rows).
    static let structureLockKey: Int64 = 0x736B_616C_645F_7374

    /// See ``StructureStore/storeGuild(_:)``.
    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            return try await PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
                .execute(snapshot.writeSteps)
        }
    }

    /// See ``StructureStore/storeChannels(_:)``.
    public func storeChannels(_ channels: [Decoded<DiscordModels.Channel>]) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store \(channels.count) channels") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            return try await PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
                .execute(ObjectWriteStep.channelWrites(channels))
        }
    }

    /// See ``StructureStore/storeMembers(_:guild:observedAt:)``.
    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        let nowText = ColumnDate.text(observedAt)
        var guildIds: [Int64] = []
        var userIds: [Int64] = []
        var nicks: [String?] = []
        var joined: [String?] = []
        var jsons: [String] = []
        var users: [PostgresUserWriter.Row] = []
        let seenAt = PostgresUserWriter.seenAt(observedAt)
        for member in members {
            guard let user = member.value.user else { continue }
            guildIds.append(guild.columnID)
            userIds.append(user.id.columnID)
            nicks.append(member.value.nick.map(pgText))
            joined.append(member.value.joinedAt?.rawValue)
            jsons.append(try jsonText(member.json, what: "member \(user.id) of guild \(guild)"))
            // The member's `user` object, byte for byte.
            let userJSON = JSONScanner.member("user", in: member.json)
            users.append(
                .init(
                    user: user, json: try jsonText(userJSON ?? Data((try JSONEncoder().encode(user))), what: "user"),
                    seenAt: seenAt))
        }
        // Of a member listed twice, the last listing wins (as sequential upserts end).
        var lastIndex: [Int64: Int] = [:]
        for (index, id) in userIds.enumerated() { lastIndex[id] = index }
        let keep = lastIndex.values.sorted { userIds[$0] < userIds[$1] }
        try await write("store members of guild \(guild)") { connection in
            guard !keep.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO member AS m (guild_id, user_id, nick, joined_at, json, first_seen_at, updated_at)
                SELECT guild_id, user_id, nick, joined_at, json::json, \(nowText), \(nowText)
                FROM unnest(\(keep.map { guildIds[$0] })::bigint[], \(keep.map { userIds[$0] })::bigint[],
                    \(NullableArray(keep.map { nicks[$0] }))::text[], \(NullableArray(keep.map { joined[$0] }))::text[],
                    \(keep.map { jsons[$0] })::text[]) AS t(guild_id, user_id, nick, joined_at, json)
                ON CONFLICT (guild_id, user_id) DO UPDATE SET nick = excluded.nick, joined_at = excluded.joined_at,
                    json = excluded.json, updated_at = excluded.updated_at
                WHERE m.json::text IS DISTINCT FROM excluded.json::text
                """, logger: self.logger)
            try await PostgresUserWriter(connection: connection, logger: self.logger).upsert(users, nowText: nowText)
        }
    }

    /// See ``StructureStore/storeUsers(_:observedAt:)``.
    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        guard !users.isEmpty else { return }
        try await write("store \(users.count) users") { connection in
            try await PostgresUserWriter(connection: connection, logger: self.logger).upsert(users, at: observedAt)
        }
    }
}
