import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``StructureStore/storeGuild(_:)``.
    public func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store guild \(snapshot.guild.value.id)") { db in
            try ObjectWriter(db: db, nowText: nowText).execute(snapshot.writeSteps)
        }
    }

    /// See ``StructureStore/storeChannels(_:)``.
    public func storeChannels(_ channels: [Decoded<Channel>]) async throws -> ObjectChanges {
        let nowText = ColumnDate.text(now())
        return try await write("store \(channels.count) channels") { db in
            try ObjectWriter(db: db, nowText: nowText).execute(ObjectWriteStep.channelWrites(channels))
        }
    }

    /// See ``StructureStore/storeMembers(_:guild:observedAt:)``.
    public func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date)
        async throws
    {
        let nowText = ColumnDate.text(observedAt)
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
                    guild.columnID, user.id.columnID, member.value.nick, member.value.joinedAt?.rawValue, json, nowText,
                    nowText,
                ])
                // The member's `user` object, byte for byte.
                let userJSON = JSONScanner.member("user", in: member.json)
                try UserWriter.upsert(
                    user, json: try jsonText(userJSON ?? Data((try JSONEncoder().encode(user))), what: "user"),
                    seenAt: UserWriter.seenAt(observedAt), db: db, nowText: nowText)
            }
        }
    }

    /// See ``StructureStore/storeUsers(_:observedAt:)``.
    public func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws {
        try await write("store \(users.count) users") { db in
            try UserWriter.upsert(users, db: db, at: observedAt)
        }
    }
}
