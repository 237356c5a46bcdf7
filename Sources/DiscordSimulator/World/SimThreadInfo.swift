/// Thread-only facts.
struct SimThreadInfo: Sendable, Hashable {
    var archived: Bool
    var archiveMilliseconds: UInt64
    var autoArchiveDuration: Int
    var locked: Bool
    var createMilliseconds: UInt64
    /// Index of the starter message in the parent (threads started from a message).
    var starterIndex: Int?
    /// Bot user ids that joined the thread.
    var joinedBots: Set<UInt64>
    var ownerId: UInt64
    var invitable: Bool
}
