import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Writes guild members inside a transaction: the listing of `archive --members` and live capture's
/// GUILD_MEMBER_ADD/UPDATE/REMOVE go through the same statements.
enum MemberWriter {
    /// Upserts `members` of `guild` and their users; a member stored as left is a member again.
    static func upsert(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date, db: Database)
        throws
    {
        let nowText = ColumnDate.text(observedAt)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO member (guild_id, user_id, nick, joined_at, json, first_seen_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) DO UPDATE SET nick = excluded.nick,
                    joined_at = excluded.joined_at, json = excluded.json, updated_at = excluded.updated_at,
                    left_at = NULL
                WHERE json IS NOT excluded.json OR left_at IS NOT NULL
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

    /// Marks the memberships of `users` in `guild` left at `at` (the rows and their JSON stay); returns how many
    /// were members until then.
    @discardableResult
    static func markLeft(_ users: [Snowflake<User>], guild: Snowflake<Guild>, at: Date, db: Database) throws -> Int {
        let atText = ColumnDate.text(at)
        let statement = try db.cachedStatement(
            sql: "UPDATE member SET left_at = ?, updated_at = ? WHERE guild_id = ? AND user_id = ? AND left_at IS NULL")
        var marked = 0
        for user in users {
            try statement.execute(arguments: [atText, atText, guild.columnID, user.columnID])
            marked += db.changesCount
        }
        return marked
    }

    /// The users of `guild`'s stored members not marked left.
    static func currentMembers(of guild: Snowflake<Guild>, db: Database) throws -> [Snowflake<User>] {
        try Int64.fetchAll(
            db, sql: "SELECT user_id FROM member WHERE guild_id = ? AND left_at IS NULL", arguments: [guild.columnID]
        ).map { Snowflake(columnID: $0) }
    }

    /// Applies live member changes in order.
    static func apply(_ changes: [LiveMemberChange], at: Date, db: Database) throws {
        for change in changes {
            switch change {
            case .upsert(let member, let guild): try upsert([member], guild: guild, observedAt: at, db: db)
            case .left(let user, let guild):
                try markLeft([user.value.id], guild: guild, at: at, db: db)
                try UserWriter.upsert([user], db: db, at: at)
            }
        }
    }
}
