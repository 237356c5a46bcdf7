/// Messages a live batch committed whose clips are not recorded yet (``LiveBatch/marksClips``): what the bot's clip
/// saver reads, records, and consumes in one transaction (``ClipStore/recordClips(_:consumingMarks:)``).
public struct ClipBacklog: Sendable, Hashable {
    /// The marks read, oldest first (their ids: several may name one message).
    public var marks: [Int64]
    /// The archived messages they name, each once, as they stand now.
    public var messages: [StoredMessage]

    /// Makes a backlog.
    public init(marks: [Int64], messages: [StoredMessage]) {
        self.marks = marks
        self.messages = messages
    }
}
