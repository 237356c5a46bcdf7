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

    /// Collects the authors (webhook authors excepted) and mentioned users of `messages`; only the newest
    /// sighting of each user is decoded.
    public init(messages: [IndexedMessage]) {
        // user id → (message index, mention index or nil for the author)
        var newest: [UInt64: (message: Int, mention: Int?)] = [:]
        for (index, message) in messages.enumerated() {
            func note(_ user: UInt64, mention: Int?) {
                if let current = newest[user], messages[current.message].id.rawValue >= message.id.rawValue {
                    return
                }
                newest[user] = (index, mention)
            }
            if let author = message.authorId, !message.isWebhook { note(author.rawValue, mention: nil) }
            for (position, mentioned) in message.mentionIds.enumerated() { note(mentioned.rawValue, mention: position) }
        }
        let decoder = JSONDecoder()
        for (_, entry) in newest.sorted(by: { $0.key < $1.key }) {
            let message = messages[entry.message]
            let json: Data?
            if let position = entry.mention {
                json = Self.mentionJSON(in: message.json, at: position)
            } else {
                json = JSONScanner.member("author", in: message.json)
            }
            guard let json, let user = try? decoder.decode(User.self, from: json) else { continue }
            sightings.append(Sighting(user: user, json: json, seenAt: message.id.rawValue))
        }
    }

    /// The sightings of several batches (the pages of one transaction) as one list: per user the sighting with the
    /// largest `seenAt`, the later one of equals, ascending by user id. Upserting it leaves the users as upserting
    /// every list in turn would, with one write per user.
    public static func merging(_ lists: [[Sighting]]) -> [Sighting] {
        if lists.count == 1 { return lists[0] }
        var newest: [UInt64: Sighting] = [:]
        for list in lists {
            for sighting in list {
                let id = sighting.user.id.rawValue
                if let current = newest[id], current.seenAt > sighting.seenAt { continue }
                newest[id] = sighting
            }
        }
        return newest.values.sorted { $0.user.id.rawValue < $1.user.id.rawValue }
    }

    /// Collects the authors (webhook authors excepted) and mentioned users of decoded `messages`.
    public init(messages: [Decoded<Message>]) {
        self.init(messages: messages.map(IndexedMessage.init))
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
}
