import DiscordModels
import Foundation

/// The users a batch of messages shows (authors and mentions), each with the JSON of its most recent sighting,
/// so every backend upserts the same users the same way.
public struct SeenUsers: Sendable {
    /// A user as shown by one message.
    public struct Sighting: Sendable, Hashable {
        /// The user as decoded.
        public var user: User
        /// The user's JSON object as it appeared in the message: the exact bytes for an author; for a mention,
        /// the object without its guild-specific `member` member.
        public var json: Data
        /// The id of the message it appeared in: a later sighting's profile replaces an earlier one's.
        public var seenAt: UInt64
    }

    /// One sighting per user (the one in the newest message), ascending by user id.
    public private(set) var sightings: [Sighting] = []

    /// Collects the authors (webhook authors excepted) and mentioned users of `messages`.
    public init(messages: [Decoded<Message>]) {
        // user id → (message index, mention index or nil for the author)
        var newest: [UInt64: (message: Int, mention: Int?)] = [:]
        for (index, message) in messages.enumerated() {
            let value = message.value
            func note(_ user: User, mention: Int?) {
                if let current = newest[user.id.rawValue],
                    messages[current.message].value.id.rawValue >= value.id.rawValue
                {
                    return
                }
                newest[user.id.rawValue] = (index, mention)
            }
            if let author = value.author, value.webhookId == nil { note(author, mention: nil) }
            for (position, mentioned) in value.mentions.enumerated() { note(mentioned, mention: position) }
        }
        for (_, entry) in newest.sorted(by: { $0.key < $1.key }) {
            let message = messages[entry.message]
            let user: User
            let json: Data?
            if let position = entry.mention {
                user = message.value.mentions[position]
                json = Self.mentionJSON(in: message.json, at: position)
            } else if let author = message.value.author {
                user = author
                json = JSONScanner.member("author", in: message.json)
            } else {
                continue
            }
            sightings.append(Sighting(user: user, json: json ?? Self.encode(user), seenAt: message.value.id.rawValue))
        }
    }

    /// The `position`th element of `mentions`, without `member` (present in guild messages).
    static func mentionJSON(in messageJSON: Data, at position: Int) -> Data? {
        guard let list = JSONScanner.member("mentions", in: messageJSON),
            let elements = try? JSONScanner.elements(of: list), position < elements.count
        else { return nil }
        let element = elements[position]
        guard JSONScanner.member("member", in: element) != nil else { return element }
        guard var object = (try? JSONSerialization.jsonObject(with: element)) as? [String: Any] else { return element }
        object.removeValue(forKey: "member")
        return try? JSONSerialization.data(withJSONObject: object)
    }

    static func encode(_ user: User) -> Data {
        (try? JSONEncoder().encode(user)) ?? Data("{}".utf8)
    }
}
