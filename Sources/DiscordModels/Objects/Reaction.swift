/// The reactions of one emoji on a message.
public struct Reaction: Sendable, Hashable, Codable {
    /// Discord's `count` field.
    public var count: Int
    /// Discord's `count_details` field.
    public var countDetails: CountDetails?
    /// Discord's `me` field.
    public var me: Bool?
    /// Discord's `me_burst` field.
    public var meBurst: Bool?
    /// Discord's `emoji` field.
    public var emoji: Emoji
    /// Discord's `burst_colors` field.
    public var burstColors: [String]?

    /// Normal and super-reaction counts; each kind has its own user list (`type=0` / `type=1`).
    public struct CountDetails: Sendable, Hashable, Codable {
        /// Discord's `burst` field.
        public var burst: Int
        /// Discord's `normal` field.
        public var normal: Int
        /// Makes a `CountDetails`.
        public init(burst: Int, normal: Int) {
            self.burst = burst
            self.normal = normal
        }
    }

    /// Makes a `Reaction`.
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
