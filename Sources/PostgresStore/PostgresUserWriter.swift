import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Upserts users in one statement: the profile of the latest sighting (by `seen_at`) wins; an identical profile
/// writes nothing (the rules of the SQLite backend's `UserWriter`).
struct PostgresUserWriter {
    let connection: PostgresConnection
    let logger: Logger

    /// One user to upsert.
    struct Row {
        var user: User
        var json: String
        var seenAt: Int64
    }

    func upsert(_ sightings: [SeenUsers.Sighting], nowText: String) async throws {
        try await upsert(
            try sightings.map {
                Row(
                    user: $0.user, json: try jsonText($0.json, what: "user \($0.user.id)"),
                    seenAt: Int64(bitPattern: $0.seenAt))
            }, nowText: nowText)
    }

    func upsert(_ users: [Decoded<User>], at date: Date) async throws {
        let seenAt = Self.seenAt(date)
        try await upsert(
            try users.map {
                Row(user: $0.value, json: try jsonText($0.json, what: "user \($0.value.id)"), seenAt: seenAt)
            }, nowText: ColumnDate.text(date))
    }

    /// Upserts rows; of several rows for one user the last one is applied (as sequential upserts would end).
    func upsert(_ rows: [Row], nowText: String) async throws {
        guard !rows.isEmpty else { return }
        var last: [Int64: Row] = [:]
        for row in rows { last[row.user.id.columnID] = row }
        var statement = UpsertUsers(nowText: nowText)
        // Ascending ids: concurrent writers lock rows in the same order and cannot deadlock.
        for (id, row) in last.sorted(by: { $0.key < $1.key }) {
            statement.id.append(id)
            statement.username.append(pgText(row.user.username))
            statement.globalName.append(row.user.globalName.map(pgText))
            statement.discriminator.append(row.user.discriminator.map(pgText))
            statement.avatar.append(row.user.avatar.map(pgText))
            statement.bot.append(row.user.bot)
            statement.json.append(row.json)
            statement.seenAt.append(row.seenAt)
        }
        _ = try await connection.execute(statement, logger: logger)
    }

    /// The `seen_at` of a sighting outside messages: the smallest snowflake of that instant.
    static func seenAt(_ date: Date) -> Int64 { Snowflake<Message>(date: date).columnID }
}
