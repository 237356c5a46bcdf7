import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Writes guild members inside a transaction: the listing of `archive --members` and live capture's
/// GUILD_MEMBER_ADD/UPDATE/REMOVE go through the same statements (the rules of the SQLite backend's `MemberWriter`).
struct PostgresMemberWriter {
    let connection: PostgresConnection
    let logger: Logger

    /// Upserts `members` of `guild` in one statement, and their users; a member stored as left is a member again.
    func upsert(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date) async throws {
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
        guard !keep.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO member AS m (guild_id, user_id, nick, joined_at, json, first_seen_at, updated_at)
            SELECT guild_id, user_id, nick, joined_at, json::json, \(nowText), \(nowText)
            FROM unnest(\(keep.map { guildIds[$0] })::bigint[], \(keep.map { userIds[$0] })::bigint[],
                \(NullableArray(keep.map { nicks[$0] }))::text[], \(NullableArray(keep.map { joined[$0] }))::text[],
                \(keep.map { jsons[$0] })::text[]) AS t(guild_id, user_id, nick, joined_at, json)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET nick = excluded.nick, joined_at = excluded.joined_at,
                json = excluded.json, updated_at = excluded.updated_at, left_at = NULL
            WHERE m.json::text IS DISTINCT FROM excluded.json::text OR m.left_at IS NOT NULL
            """, logger: logger)
        try await PostgresUserWriter(connection: connection, logger: logger).upsert(users, nowText: nowText)
    }

    /// Marks the memberships of `users` in `guild` left at `at` (the rows and their JSON stay); returns how many
    /// were members until then.
    @discardableResult
    func markLeft(_ users: [Snowflake<User>], guild: Snowflake<Guild>, at: Date) async throws -> Int {
        guard !users.isEmpty else { return 0 }
        let atText = ColumnDate.text(at)
        return try await connection.query(
            """
            UPDATE member SET left_at = \(atText), updated_at = \(atText)
            WHERE guild_id = \(guild.columnID) AND user_id = ANY(\(users.map(\.columnID))::bigint[]) AND left_at IS NULL
            RETURNING user_id
            """, logger: logger
        ).collect().count
    }

    /// The users of `guild`'s stored members not marked left.
    func currentMembers(of guild: Snowflake<Guild>) async throws -> [Snowflake<User>] {
        try await connection.query(
            "SELECT user_id FROM member WHERE guild_id = \(guild.columnID) AND left_at IS NULL", logger: logger
        ).collect().map { Snowflake(columnID: try $0.decode(Int64.self)) }
    }

    /// Applies live member changes in order.
    func apply(_ changes: [LiveMemberChange], at: Date) async throws {
        for change in changes {
            switch change {
            case .upsert(let member, let guild): try await upsert([member], guild: guild, observedAt: at)
            case .left(let user, let guild):
                try await markLeft([user.value.id], guild: guild, at: at)
                try await PostgresUserWriter(connection: connection, logger: logger).upsert([user], at: at)
            }
        }
    }
}
