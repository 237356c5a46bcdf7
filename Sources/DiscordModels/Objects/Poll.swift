/// A poll attached to a message.
public struct Poll: Sendable, Hashable, Codable {
    /// Discord's `question` field.
    public var question: Media
    /// Discord's `answers` field.
    public var answers: [Answer]
    /// Discord's `expiry` field.
    public var expiry: DiscordTimestamp?
    /// Discord's `allow_multiselect` field.
    public var allowMultiselect: Bool?
    /// Discord's `layout_type` field.
    public var layoutType: Int?
    /// Absent means the counts are unknown.
    public var results: Results?

    /// Text and an optional emoji.
    public struct Media: Sendable, Hashable, Codable {
        /// Discord's `text` field.
        public var text: String?
        /// Discord's `emoji` field.
        public var emoji: Emoji?
        /// Makes a `Media`.
        public init(text: String?, emoji: Emoji? = nil) {
            self.text = text
            self.emoji = emoji
        }
    }

    /// One answer.
    public struct Answer: Sendable, Hashable, Codable {
        /// Discord's `answer_id` field.
        public var answerId: Int
        /// Discord's `poll_media` field.
        public var pollMedia: Media
        /// Makes an `Answer`.
        public init(answerId: Int, pollMedia: Media) {
            self.answerId = answerId
            self.pollMedia = pollMedia
        }
        enum CodingKeys: String, CodingKey {
            case answerId = "answer_id"
            case pollMedia = "poll_media"
        }
    }

    /// Vote counts.
    public struct Results: Sendable, Hashable, Codable {
        /// Discord's `is_finalized` field.
        public var isFinalized: Bool
        /// Discord's `answer_counts` field.
        public var answerCounts: [AnswerCount]
        /// Makes a `Results`.
        public init(isFinalized: Bool, answerCounts: [AnswerCount]) {
            self.isFinalized = isFinalized
            self.answerCounts = answerCounts
        }
        enum CodingKeys: String, CodingKey {
            case isFinalized = "is_finalized"
            case answerCounts = "answer_counts"
        }
    }

    /// The votes for one answer.
    public struct AnswerCount: Sendable, Hashable, Codable {
        /// Discord's `id` field.
        public var id: Int
        /// Discord's `count` field.
        public var count: Int
        /// Discord's `me_voted` field.
        public var meVoted: Bool
        /// Makes an `AnswerCount`.
        public init(id: Int, count: Int, meVoted: Bool = false) {
            self.id = id
            self.count = count
            self.meVoted = meVoted
        }
        enum CodingKeys: String, CodingKey {
            case id, count
            case meVoted = "me_voted"
        }
    }

    /// Makes a `Poll`.
    public init(question: Media, answers: [Answer], expiry: DiscordTimestamp?, allowMultiselect: Bool = false) {
        self.question = question
        self.answers = answers
        self.expiry = expiry
        self.allowMultiselect = allowMultiselect
        self.layoutType = 1
    }

    enum CodingKeys: String, CodingKey {
        case question, answers, expiry, results
        case allowMultiselect = "allow_multiselect"
        case layoutType = "layout_type"
    }
}
