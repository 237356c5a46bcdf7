import DiscordModels
import Foundation

/// Instants as every backend stores them: sortable text in Discord's format, byte for byte the same in SQLite and
/// PostgreSQL.
public enum ColumnDate {
    /// The column text of an instant.
    public static func text(_ date: Date) -> String { DiscordTimestamp.format(date) }

    /// The column text of an optional instant.
    public static func text(_ date: Date?) -> String? { date.map(DiscordTimestamp.format) }

    /// The instant of an optional column text (`nil` when NULL or unreadable).
    public static func date(_ text: String?) -> Date? { text.flatMap(DiscordTimestamp.parse) }

    /// The instant of a column text (the epoch when unreadable).
    public static func date(_ text: String) -> Date { DiscordTimestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }
}
