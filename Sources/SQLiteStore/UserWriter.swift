import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Upserts users: the profile of the latest sighting (by `seen_at`, a snowflake compared unsigned: its bit pattern is
/// negative from 2^63 on) wins; an identical profile writes nothing.
enum UserWriter {
    static func upsert(_ sightings: [SeenUsers.Sighting], db: Database, nowText: String) throws {
        for sighting in sightings {
            try upsert(
                sighting.user, json: try jsonText(sighting.json, what: "user \(sighting.user.id)"),
                seenAt: Int64(bitPattern: sighting.seenAt), db: db, nowText: nowText)
        }
    }

    static func upsert(_ users: [Decoded<User>], db: Database, at date: Date) throws {
        let nowText = ColumnDate.text(date)
        for user in users {
            try upsert(
                user.value, json: try jsonText(user.json, what: "user \(user.value.id)"),
                seenAt: seenAt(date), db: db, nowText: nowText)
        }
    }

    /// The `seen_at` of a sighting outside messages: the smallest snowflake of that instant.
    static func seenAt(_ date: Date) -> Int64 { Snowflake<Message>(date: date).columnID }

    static func upsert(_ user: User, json: String, seenAt: Int64, db: Database, nowText: String) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO discord_user (id, username, global_name, discriminator, avatar, bot, json, seen_at,
                    first_seen_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET username = excluded.username, global_name = excluded.global_name,
                    discriminator = excluded.discriminator, avatar = excluded.avatar, bot = excluded.bot,
                    json = excluded.json, seen_at = excluded.seen_at, updated_at = excluded.updated_at
                WHERE (excluded.seen_at < 0, excluded.seen_at) > (seen_at < 0, seen_at)
                    OR (excluded.seen_at = seen_at AND json IS NOT excluded.json)
                """)
        try statement.execute(arguments: [
            user.id.columnID, user.username, user.globalName, user.discriminator, user.avatar, user.bot, json, seenAt,
            nowText, nowText,
        ])
    }
}
