/// A page of threads: `GET /guilds/{g}/threads/active` (no `has_more`) and the three archived-thread routes.
public struct ThreadList: Sendable, Hashable, Codable {
    /// Discord's `threads` field.
    public var threads: [Channel]
    /// Memberships of the bot, for joined threads only.
    public var members: [ThreadMember]
    /// Discord's `has_more` field.
    public var hasMore: Bool?

    /// Makes a `ThreadList`.
    public init(threads: [Channel], members: [ThreadMember], hasMore: Bool?) {
        self.threads = threads
        self.members = members
        self.hasMore = hasMore
    }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        threads = try c.decodeIfPresent([Channel].self, forKey: .threads) ?? []
        members = try c.decodeIfPresent([ThreadMember].self, forKey: .members) ?? []
        hasMore = try c.decodeIfPresent(Bool.self, forKey: .hasMore)
    }

    enum CodingKeys: String, CodingKey {
        case threads, members
        case hasMore = "has_more"
    }
}
