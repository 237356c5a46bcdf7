/// A page of threads: `GET /guilds/{g}/threads/active` (no `has_more`) and the three archived-thread routes.
public struct ThreadList: Sendable, Hashable, Codable {
    public var threads: [Channel]
    /// Memberships of the bot, for joined threads only.
    public var members: [ThreadMember]
    public var hasMore: Bool?

    public init(threads: [Channel], members: [ThreadMember], hasMore: Bool?) {
        self.threads = threads
        self.members = members
        self.hasMore = hasMore
    }

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
