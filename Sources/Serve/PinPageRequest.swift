import DiscordModels
import Foundation

/// `GET /channels/{id}/messages/pins` parameters as Discord reads them: `limit` 1–50 (default 50) and `before`, an
/// ISO 8601 moment (exclusive) on the pins' `pinned_at`.
struct PinPageRequest: Equatable {
    var limit: Int
    /// Only pins made before this moment; `nil` for the most recent.
    var before: Date?

    /// Reads the query; throws a field error as Discord words it on a limit out of range or a `before` that is not
    /// a date.
    init(query: [String: String]) throws(DiscordFieldError) {
        limit = try MessagePageRequest.limit(query["limit"], default: 50, maximum: 50)
        if let text = query["before"] {
            guard let date = DiscordTimestamp.parse(text) else {
                throw .init(
                    field: "before", code: "DATE_TYPE_PARSE", message: "Could not parse \(text). Should be ISO8601.")
            }
            before = date
        }
    }
}
