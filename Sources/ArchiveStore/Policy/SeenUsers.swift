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
        /// Where in its message the user's object is.
        enum Place: Sendable, Hashable {
            /// The author object, at this byte range of the message's JSON when the page's scan found it.
            case author(Range<Int>?)
            /// This element of `mentions`.
            case mention(Int)
        }

        /// The user's id.
        public var id: UInt64
        /// The id of the message it appeared in.
        public var seenAt: UInt64
        /// The JSON of the message holding it (a slice of its page's bytes: no copy).
        var messageJSON: Data
        /// Where the user's object is in ``messageJSON``.
        var place: Place

        /// The user's JSON object (see ``Sighting/json``).
        var json: Data? {
            switch place {
            case .mention(let position): return SeenUsers.mentionJSON(in: messageJSON, at: position)
            case .author(let range?):
                // The page's scan already found the author object: no second scan of the message.
                let start = messageJSON.startIndex
                return messageJSON[start + range.lowerBound..<start + range.upperBound]
            case .author(nil): return JSONScanner.member("author", in: messageJSON)
            }
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
        candidates(in: messages, at: messages.indices)
    }

    /// ``candidates(in:)`` of the messages at `positions` of `messages` (no copy of the messages).
    public static func candidates<Positions: Sequence<Int>>(
        in messages: [IndexedMessage], at positions: Positions
    ) -> [Candidate] {
        // user id → its candidate so far (the one in the message with the largest id; of equals, the first seen)
        var newest: [UInt64: Candidate] = [:]
        newest.reserveCapacity(positions.underestimatedCount)
        for position in positions {
            // The message's fields read in place: a copy of it retains and releases a dozen references.
            let seenAt = messages[position].id.rawValue
            func note(_ user: UInt64, _ place: Candidate.Place) {
                if let current = newest[user], current.seenAt >= seenAt { return }
                newest[user] = Candidate(
                    id: user, seenAt: seenAt, messageJSON: messages[position].json, place: place)
            }
            if let author = messages[position].authorId, !messages[position].isWebhook {
                note(author.rawValue, .author(messages[position].authorRange))
            }
            for (index, mentioned) in messages[position].mentionIds.enumerated() {
                note(mentioned.rawValue, .mention(index))
            }
        }
        return newest.values.sorted { $0.id < $1.id }
    }

    /// The candidates of several batches (the pages of one transaction) as one list of decoded sightings: per user
    /// the candidate with the largest `seenAt`, the later list's of equals, ascending by user id; a candidate that
    /// does not decode as a user gives way to the next one. Upserting it leaves the users as upserting every
    /// batch's sightings in turn would, with one write (and one decoding) per user. Users are read with
    /// ``JSONScanner`` (``User/init(scanning:)``), not `JSONDecoder`.
    public static func merging(_ lists: [[Candidate]]) -> [Sighting] {
        // Every candidate with its list, best first per user: ascending id, then descending `seenAt`, then the
        // later list first. One sort of them all.
        var all: [(candidate: Candidate, list: Int)] = []
        all.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for (list, candidates) in lists.enumerated() {
            for candidate in candidates { all.append((candidate, list)) }
        }
        all.sort { a, b in
            if a.candidate.id != b.candidate.id { return a.candidate.id < b.candidate.id }
            if a.candidate.seenAt != b.candidate.seenAt { return a.candidate.seenAt > b.candidate.seenAt }
            return a.list > b.list
        }
        var sightings: [Sighting] = []
        var done: UInt64?
        for (candidate, _) in all where candidate.id != done {
            guard let json = candidate.json, let user = try? User(scanning: json) else { continue }
            sightings.append(Sighting(user: user, json: json, seenAt: candidate.seenAt))
            done = candidate.id
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
