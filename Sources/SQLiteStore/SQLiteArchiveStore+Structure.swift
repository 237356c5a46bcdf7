import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = SQLDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { db in
            let writer = ObjectWriter(db: db, nowText: nowText)
            let guild = snapshot.guild.value.id
            var changes = try writer.guild(snapshot.guild)
            if let channels = snapshot.channels {
                for channel in channels { changes = changes + (try writer.channel(channel, guild: guild)) }
                changes =
                    changes
                    + (try writer.tombstoneMissing(
                        .channel, guild: guild, keeping: channels.map(\.value.id.sqlID), onlyNonThreads: true))
            }
            if let roles = snapshot.roles {
                for role in roles { changes = changes + (try writer.role(role, guild: guild)) }
                changes =
                    changes + (try writer.tombstoneMissing(.role, guild: guild, keeping: roles.map(\.value.id.sqlID)))
            }
            if let emojis = snapshot.emojis {
                for emoji in emojis { changes = changes + (try writer.emoji(emoji, guild: guild)) }
                changes =
                    changes
                    + (try writer.tombstoneMissing(.emoji, guild: guild, keeping: emojis.compactMap(\.value.id?.sqlID)))
            }
            if let stickers = snapshot.stickers {
                for sticker in stickers { changes = changes + (try writer.sticker(sticker, guild: guild)) }
                changes =
                    changes
                    + (try writer.tombstoneMissing(.sticker, guild: guild, keeping: stickers.map(\.value.id.sqlID)))
            }
            if let events = snapshot.scheduledEvents {
                for event in events { changes = changes + (try writer.scheduledEvent(event, guild: guild)) }
                changes =
                    changes
                    + (try writer.tombstoneMissing(
                        .scheduledEvent, guild: guild, keeping: events.map(\.value.id.sqlID)))
            }
            return changes
        }
    }

    public func storeChannels(_ channels: [Decoded<Channel>]) async throws -> ObjectChanges {
        let nowText = SQLDate.text(now())
        return try await write("store \(channels.count) channels") { db in
            let writer = ObjectWriter(db: db, nowText: nowText)
            var changes = ObjectChanges()
            for channel in channels { changes = changes + (try writer.channel(channel, guild: nil)) }
            return changes
        }
    }

    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        let nowText = SQLDate.text(observedAt)
        try await write("store members of guild \(guild)") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO member (guild_id, user_id, nick, joined_at, json, first_seen_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (guild_id, user_id) DO UPDATE SET nick = excluded.nick,
                        joined_at = excluded.joined_at, json = excluded.json, updated_at = excluded.updated_at
                    WHERE json IS NOT excluded.json
                    """)
            for member in members {
                guard let user = member.value.user else { continue }
                let json = try jsonText(member.json, what: "member \(user.id) of guild \(guild)")
                try statement.execute(arguments: [
                    guild.sqlID, user.id.sqlID, member.value.nick, member.value.joinedAt?.rawValue, json, nowText,
                    nowText,
                ])
                // The member's `user` object, byte for byte.
                let userJSON = JSONObjectMembers.value(forKey: "user", in: member.json)
                try UserWriter.upsert(
                    user, json: try jsonText(userJSON ?? Data((try JSONEncoder().encode(user))), what: "user"),
                    seenAt: UserWriter.seenAt(observedAt), db: db, nowText: nowText)
            }
        }
    }

    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        try await write("store \(users.count) users") { db in
            try UserWriter.upsert(users, db: db, at: observedAt)
        }
    }
}
