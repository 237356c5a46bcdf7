import DiscordREST
import Foundation

/// Reads of the target that let a rerun find what a killed run made but never recorded (a create whose answer
/// was lost between the target's write and the archive's record).
extension MirrorTarget {
    /// A role, channel or webhook of the target as the lookups need it.
    public struct Object: Sendable, Hashable {
        /// Its id.
        public var id: UInt64
        /// Its name.
        public var name: String
        /// A channel's type (0 for roles and webhooks).
        public var type: Int
        /// A channel's category, or a webhook's channel.
        public var parentId: UInt64?
        /// A webhook's token.
        public var token: String?
        /// A role's position (0 for other objects).
        public var position: Int = 0
    }

    /// A message of the target as the resend check needs it.
    public struct SentMessage: Sendable, Hashable {
        /// Its id.
        public var id: UInt64
        /// The webhook that posted it.
        public var webhookId: UInt64?
        /// Its text.
        public var content: String
    }

    /// `GET /guilds/{g}/roles` (needs MANAGE_ROLES, fluxer-api.md §3.3).
    public func roles() async throws -> [Object] { try await guildObjects("roles") }

    /// `GET /guilds/{g}/emojis` or `GET /guilds/{g}/stickers` (`kind`: `emoji` or `sticker`).
    public func expressions(_ kind: String) async throws -> [Object] { try await guildObjects("\(kind)s") }

    /// `GET /guilds/{g}/{collection}`: each item's id, name and position.
    private func guildObjects(_ collection: String) async throws -> [Object] {
        let data = try await client.sendJSON(
            guildRoute(.get, collection, object: "\(collection) of guild \(guild)"))
        return Self.array(data).compactMap { item in
            guard let id = Self.uint(item["id"]) else { return nil }
            return Object(
                id: id, name: item["name"] as? String ?? "", type: 0, position: (item["position"] as? Int) ?? 0)
        }
    }

    /// `GET /guilds/{g}/channels`.
    public func channels() async throws -> [Object] {
        let data = try await client.sendJSON(
            guildRoute(.get, "channels", object: "channels of guild \(guild)"))
        return Self.array(data).compactMap { item in
            guard let id = Self.uint(item["id"]) else { return nil }
            return Object(
                id: id, name: item["name"] as? String ?? "", type: (item["type"] as? Int) ?? 0,
                parentId: Self.uint(item["parent_id"]))
        }
    }

    /// `GET /guilds/{g}/threads/active`: the guild's active threads (`parentId`: the thread's channel).
    public func activeThreads() async throws -> [Object] {
        let data = try await client.sendJSON(
            guildRoute(.get, "threads/active", object: "active threads of guild \(guild)"))
        let threads = Self.object(data)["threads"] as? [[String: Any]] ?? []
        return threads.compactMap { item in
            guard let id = Self.uint(item["id"]) else { return nil }
            return Object(
                id: id, name: item["name"] as? String ?? "", type: (item["type"] as? Int) ?? 11,
                parentId: Self.uint(item["parent_id"]))
        }
    }

    /// `GET /channels/{c}/webhooks` (MANAGE_WEBHOOKS), with their tokens.
    public func webhooks(channel: UInt64) async throws -> [Object] {
        let data = try await client.sendJSON(
            Route(
                .get, "/channels/\(channel)/webhooks", template: "/channels/{channel_id}/webhooks",
                major: .channel(channel), object: "webhooks of channel \(channel)"))
        return Self.array(data).compactMap { item in
            guard let id = Self.uint(item["id"]) else { return nil }
            return Object(
                id: id, name: item["name"] as? String ?? "", type: 0, parentId: Self.uint(item["channel_id"]),
                token: item["token"] as? String)
        }
    }

    /// `GET /channels/{c}/messages?limit=N[&before=M]`: the newest messages (before `before`), oldest first.
    public func latestMessages(channel: UInt64, limit: Int = 50, before: UInt64? = nil) async throws -> [SentMessage] {
        var query = [("limit", String(min(100, max(1, limit))))]
        if let before { query.append(("before", String(before))) }
        let route = Route(
            .get, "/channels/\(channel)/messages", template: "/channels/{channel_id}/messages",
            major: .channel(channel), query: query, object: "messages of channel \(channel)")
        let data = try await client.sendJSON(route)
        return Self.array(data).compactMap { item -> SentMessage? in
            guard let id = Self.uint(item["id"]) else { return nil }
            return SentMessage(
                id: id, webhookId: Self.uint(item["webhook_id"]), content: item["content"] as? String ?? "")
        }.sorted { $0.id < $1.id }
    }

    /// Every message of a channel, oldest first (pages of 100, newest first on the wire).
    public func allMessages(channel: UInt64) async throws -> [SentMessage] {
        var pages: [[SentMessage]] = []
        var before: UInt64?
        while true {
            let page = try await latestMessages(channel: channel, limit: 100, before: before)
            guard let oldest = page.first else { break }
            pages.append(page)
            if page.count < 100 { break }
            before = oldest.id
        }
        return pages.reversed().flatMap { $0 }
    }

    /// The name a text channel gets on Fluxer without `TEXT_CHANNEL_FLEXIBLE_NAMES` (fluxer-api.md §3.2):
    /// lowercased, whitespace → `-`, punctuation removed.
    public static func normalisedTextName(_ name: String) -> String {
        let removed = Set("!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~")
        var out = ""
        for character in name.lowercased() {
            if character.isWhitespace {
                out.append("-")
            } else if !removed.contains(character) {
                out.append(character)
            }
        }
        return out
    }

    /// When the target made an object: its snowflake's time (epoch 1420070400000 ms, fluxer-api.md §1).
    public static func creationDate(of id: UInt64) -> Date {
        Date(timeIntervalSince1970: (Double(id >> 22) + 1_420_070_400_000) / 1000)
    }

    static func array(_ data: Data) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
    }

    static func uint(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }
}
