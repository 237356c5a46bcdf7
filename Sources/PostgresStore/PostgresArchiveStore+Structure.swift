import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// Serialises guild-structure writes between workers (they are small and rare; two workers discovering one
    /// guild at once would otherwise race to insert the same rows).
    static let structureLockKey: Int64 = 0x736B_616C_645F_7374

    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = PGDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            let writer = PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
            let guild = snapshot.guild.value.id
            var changes = try await writer.guild(snapshot.guild)
            if let channels = snapshot.channels {
                for channel in channels { changes = changes + (try await writer.channel(channel, guild: guild)) }
                changes =
                    changes
                    + (try await writer.tombstoneMissing(
                        .channel, guild: guild, keeping: channels.map(\.value.id.pgID), onlyNonThreads: true))
            }
            if let roles = snapshot.roles {
                for role in roles { changes = changes + (try await writer.role(role, guild: guild)) }
                changes =
                    changes
                    + (try await writer.tombstoneMissing(.role, guild: guild, keeping: roles.map(\.value.id.pgID)))
            }
            if let emojis = snapshot.emojis {
                for emoji in emojis { changes = changes + (try await writer.emoji(emoji, guild: guild)) }
                changes =
                    changes
                    + (try await writer.tombstoneMissing(
                        .emoji, guild: guild, keeping: emojis.compactMap(\.value.id?.pgID)))
            }
            if let stickers = snapshot.stickers {
                for sticker in stickers { changes = changes + (try await writer.sticker(sticker, guild: guild)) }
                changes =
                    changes
                    + (try await writer.tombstoneMissing(.sticker, guild: guild, keeping: stickers.map(\.value.id.pgID)))
            }
            if let events = snapshot.scheduledEvents {
                for event in events { changes = changes + (try await writer.scheduledEvent(event, guild: guild)) }
                changes =
                    changes
                    + (try await writer.tombstoneMissing(
                        .scheduledEvent, guild: guild, keeping: events.map(\.value.id.pgID)))
            }
            return changes
        }
    }

    public func storeChannels(_ channels: [Decoded<DiscordModels.Channel>]) async throws -> ObjectChanges {
        let nowText = PGDate.text(now())
        return try await write("store \(channels.count) channels") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
            let writer = PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
            var changes = ObjectChanges()
            for channel in channels { changes = changes + (try await writer.channel(channel, guild: nil)) }
            return changes
        }
    }

    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        let nowText = PGDate.text(observedAt)
        var guildIds: [Int64] = []
        var userIds: [Int64] = []
        var nicks: [String?] = []
        var joined: [String?] = []
        var jsons: [String] = []
        var users: [PostgresUserWriter.Row] = []
        let seenAt = PostgresUserWriter.seenAt(observedAt)
        for member in members {
            guard let user = member.value.user else { continue }
            guildIds.append(guild.pgID)
            userIds.append(user.id.pgID)
            nicks.append(member.value.nick.map(pgText))
            joined.append(member.value.joinedAt?.rawValue)
            jsons.append(try jsonText(member.json, what: "member \(user.id) of guild \(guild)"))
            // The member's `user` object, byte for byte.
            let userJSON = JSONObjectMembers.value(forKey: "user", in: member.json)
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

    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        guard !users.isEmpty else { return }
        try await write("store \(users.count) users") { connection in
            try await PostgresUserWriter(connection: connection, logger: self.logger).upsert(users, at: observedAt)
        }
    }
}
