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

    /// A user as shown by one message, not decoded yet: a page's candidates are decoded once per transaction, by
    /// ``merging(_:)``, for the sighting that wins.
    public struct Candidate: Sendable, Hashable {
        /// The user's id.
        public var id: UInt64
        /// The id of the message it appeared in.
        public var seenAt: UInt64
        /// The message holding it.
        var message: IndexedMessage
        /// Its position in the message's `mentions`, or `nil` for the author.
        var mention: Int?

        /// The user's JSON object (see ``Sighting/json``).
        var json: Data? {
            if let mention { return SeenUsers.mentionJSON(in: message.json, at: mention) }
            // The page's scan already found the author object: no second scan of the message.
            if let range = message.authorRange {
                let start = message.json.startIndex
                return Data(message.json[start + range.lowerBound..<start + range.upperBound])
            }
            return JSONScanner.member("author", in: message.json)
        }
    }

    /// One sighting per user (the one in the newest message), ascending by user id.
    public private(set) var sightings: [Sighting] = []

    /// Collects the authors (webhook authors excepted) and mentioned users of `messages`; only the newest
    /// sighting of each user is decoded.
    public init(messages: [IndexedMessage]) {
        sightings = Self.merging([Self.candidates(in: messages)])
    }

    /// The newest sighting of each author (webhook authors excepted) and mentioned user of `messages`, ascending
    /// by user id, undecoded: of one message, the author before its mentions.
    public static func candidates(in messages: [IndexedMessage]) -> [Candidate] {
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
        return newest.sorted(by: { $0.key < $1.key }).map { id, entry in
            let message = messages[entry.message]
            return Candidate(id: id, seenAt: message.id.rawValue, message: message, mention: entry.mention)
        }
    }

    /// The candidates of several batches (the pages of one transaction) as one list of decoded sightings: per user
    /// the candidate with the largest `seenAt`, the later list's of equals, ascending by user id; a candidate that
    /// does not decode as a user gives way to the next one. Upserting it leaves the users as upserting every
    /// batch's sightings in turn would, with one write (and one decoding) per user.
    public static func merging(_ lists: [[Candidate]]) -> [Sighting] {
        // user id → candidates, best first
        var byUser: [UInt64: [Candidate]] = [:]
        for list in lists.reversed() {
            for candidate in list { byUser[candidate.id, default: []].append(candidate) }
        }
        let decoder = JSONDecoder()
        var sightings: [Sighting] = []
        sightings.reserveCapacity(byUser.count)
        for (_, candidates) in byUser.sorted(by: { $0.key < $1.key }) {
            // A stable sort keeps the later list first among equal `seenAt`.
            let ordered = candidates.enumerated().sorted {
                $0.element.seenAt != $1.element.seenAt ? $0.element.seenAt > $1.element.seenAt : $0.offset < $1.offset
            }
            for (_, candidate) in ordered {
                guard let json = candidate.json, let user = try? decoder.decode(User.self, from: json) else {
                    continue
                }
                sightings.append(Sighting(user: user, json: json, seenAt: candidate.seenAt))
                break
            }
        }
        return sightings
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
