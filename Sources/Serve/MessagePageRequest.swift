import DiscordModels
import Hummingbird

/// `GET /channels/{id}/messages` parameters as Discord reads them: `limit` 1–100 (default 50) and one cursor,
/// `around`, then `after`, then `before` when several are given (Discord honours one).
struct MessagePageRequest: Equatable {
    enum Cursor: Equatable {
        case latest
        case before(Snowflake<Message>)
        case after(Snowflake<Message>)
        case around(Snowflake<Message>)
    }

    var cursor: Cursor
    var limit: Int

    init(cursor: Cursor, limit: Int) {
        self.cursor = cursor
        self.limit = limit
    }

    /// Reads the query; throws ``DiscordFieldError`` on a limit out of range or a cursor that is not a snowflake.
    init(query: [String: String]) throws(DiscordFieldError) {
        limit = try Self.limit(query["limit"], default: 50, maximum: 100)
        var ids: [String: Snowflake<Message>] = [:]
        for name in ["around", "after", "before"] {
            guard let text = query[name] else { continue }
            guard let id = Snowflake<Message>(text) else {
                throw DiscordFieldError(
                    field: name, code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
            }
            ids[name] = id
        }
        if let id = ids["around"] {
            cursor = .around(id)
        } else if let id = ids["after"] {
            cursor = .after(id)
        } else if let id = ids["before"] {
            cursor = .before(id)
        } else {
            cursor = .latest
        }
    }

    /// A route's `limit` (`text`, absent for `default`) as Discord reads it: a whole number from 1 to `maximum`, else
    /// its field error (NUMBER_TYPE_COERCE, _MIN or _MAX).
    static func limit(_ text: String?, default: Int, maximum: Int) throws(DiscordFieldError) -> Int {
        guard let text else { return `default` }
        guard let value = Int(text) else {
            throw DiscordFieldError(
                field: "limit", code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not int.")
        }
        guard value >= 1 else {
            throw DiscordFieldError(
                field: "limit", code: "NUMBER_TYPE_MIN", message: "int value should be greater than or equal to 1.")
        }
        guard value <= maximum else {
            throw DiscordFieldError(
                field: "limit", code: "NUMBER_TYPE_MAX",
                message: "int value should be less than or equal to \(maximum).")
        }
        return value
    }
}
