/// The reactions of one emoji on a message.
public struct Reaction: Sendable, Hashable, Codable {
    public var count: Int
    public var countDetails: CountDetails?
    public var me: Bool?
    public var meBurst: Bool?
    public var emoji: Emoji
    public var burstColors: [String]?

    /// Normal and super-reaction counts; each kind has its own user list (`type=0` / `type=1`).
    public struct CountDetails: Sendable, Hashable, Codable {
        public var burst: Int
        public var normal: Int
        public init(burst: Int, normal: Int) {
            self.burst = burst
            self.normal = normal
        }
    }

    public init(count: Int, countDetails: CountDetails?, emoji: Emoji) {
        self.count = count
        self.countDetails = countDetails
        self.emoji = emoji
        self.me = false
        self.meBurst = false
        self.burstColors = []
    }

    enum CodingKeys: String, CodingKey {
        case count, me, emoji
        case countDetails = "count_details"
        case meBurst = "me_burst"
        case burstColors = "burst_colors"
    }
}
