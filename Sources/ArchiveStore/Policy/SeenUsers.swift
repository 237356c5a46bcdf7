import DiscordModels
import Foundation

/// The users a batch of messages shows (authors and mentions), each with the JSON of its most recent sighting,
/// so every backend upserts the same users the same way.
public struct SeenUsers: Sendable {
    /// A user as shown by one message.
    public struct Sighting: Sendable, Hashable {
        public var user: User
        /// The user's JSON object as it appeared in the message (`member` removed from mentions).
        public var json: Data
        /// The id of the message it appeared in: a later sighting's profile replaces an earlier one's.
        public var seenAt: UInt64
    }

    /// One sighting per user: the one in the newest message.
    public private(set) var sightings: [Sighting] = []

    /// Collects the authors (webhook authors excepted) and mentioned users of `messages`.
    public init(messages: [Decoded<Message>]) {
        var newest: [UInt64: (user: User, message: Int, mention: Bool)] = [:]
        for (index, message) in messages.enumerated() {
            let value = message.value
            let seenAt = value.id.rawValue
            func note(_ user: User, mention: Bool) {
                if let current = newest[user.id.rawValue],
                    messages[current.message].value.id.rawValue >= seenAt
                {
                    return
                }
                newest[user.id.rawValue] = (user, index, mention)
            }
            if let author = value.author, value.webhookId == nil { note(author, mention: false) }
            for mentioned in value.mentions { note(mentioned, mention: true) }
        }
        var parsed: [Int: [String: Any]] = [:]
        for (id, entry) in newest.sorted(by: { $0.key < $1.key }) {
            let message = messages[entry.message]
            if parsed[entry.message] == nil {
                parsed[entry.message] =
                    (try? JSONSerialization.jsonObject(with: message.json)) as? [String: Any] ?? [:]
            }
            let object = parsed[entry.message] ?? [:]
            var userObject: [String: Any]?
            if entry.mention {
                userObject = (object["mentions"] as? [[String: Any]])?.first { ($0["id"] as? String) == String(id) }
                userObject?.removeValue(forKey: "member")
            } else {
                userObject = object["author"] as? [String: Any]
            }
            let json = userObject.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            sightings.append(
                Sighting(user: entry.user, json: json ?? Self.encode(entry.user), seenAt: message.value.id.rawValue))
        }
    }

    static func encode(_ user: User) -> Data {
        (try? JSONEncoder().encode(user)) ?? Data("{}".utf8)
    }
}
