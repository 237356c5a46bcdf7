/// One file an export wrote: where, for which channel, and its ``ExportedFileFacts`` (read through this value:
/// `file.messageCount`, `file.sha256`, …).
@dynamicMemberLookup
public struct ExportedFile: Sendable, Hashable, Codable {
    /// The path written.
    public var path: String
    /// The channel exported.
    public var channelId: String
    /// What the file holds and hashes to.
    public var facts: ExportedFileFacts

    /// Makes a record.
    public init(path: String, channelId: String, facts: ExportedFileFacts) {
        self.path = path
        self.channelId = channelId
        self.facts = facts
    }

    /// A fact of the file (`file.messageCount`).
    public subscript<Value>(dynamicMember fact: KeyPath<ExportedFileFacts, Value>) -> Value {
        facts[keyPath: fact]
    }
}
