/// A poll attached to a message.
public struct Poll: Sendable, Hashable, Codable {
    public var question: Media
    public var answers: [Answer]
    public var expiry: DiscordTimestamp?
    public var allowMultiselect: Bool?
    public var layoutType: Int?
    /// Absent means the counts are unknown.
    public var results: Results?

    /// Text and an optional emoji.
    public struct Media: Sendable, Hashable, Codable {
        public var text: String?
        public var emoji: Emoji?
        public init(text: String?, emoji: Emoji? = nil) {
            self.text = text
            self.emoji = emoji
        }
    }

    /// One answer.
    public struct Answer: Sendable, Hashable, Codable {
        public var answerId: Int
        public var pollMedia: Media
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
        public var isFinalized: Bool
        public var answerCounts: [AnswerCount]
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
        public var id: Int
        public var count: Int
        public var meVoted: Bool
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
