import ArchiveStore
import DiscordModels
import Foundation

/// A channel's messages in ascending id order within exclusive bounds, read in batches: archived Discord
/// messages rendered to DCE objects, merged with imported DCE messages (when both have an id, the archive's own
/// copy wins unless the imported one was edited later). Memory stays at a few batches per side (see ``BatchCursor``).
struct ChannelMessageStream {
    let store: any ArchiveStore
    let channel: Snowflake<Channel>
    let after: UInt64?
    let before: UInt64?
    let includeDeleted: Bool
    /// Messages per store read (each side): fewer, larger reads cost less per message.
    static let batchSize = 2_000

    private var archived: BatchCursor<MessageJSONRow>
    private var imported: BatchCursor<ImportedMessage>

    init(store: any ArchiveStore, channel: Snowflake<Channel>, after: UInt64?, before: UInt64?, includeDeleted: Bool) {
        self.store = store
        self.channel = channel
        self.after = after
        self.before = before
        self.includeDeleted = includeDeleted
        self.archived = BatchCursor(
            after: after, before: before, limit: Self.batchSize, id: { $0.id.rawValue },
            keep: { includeDeleted || !$0.isDeleted },
            read: { after, limit in
                try await store.messageJSON(in: channel, after: after.map { Snowflake($0) }, limit: limit)
            })
        self.imported = BatchCursor(
            after: after, before: before, limit: Self.batchSize, id: { $0.id.rawValue },
            read: { after, limit in
                try await store.importedMessages(in: channel, after: after.map { Snowflake($0) }, limit: limit)
            })
    }

    private mutating func peekArchived() async throws -> MessageJSONRow? { try await archived.peek() }

    private mutating func peekImported() async throws -> ImportedMessage? { try await imported.peek() }

    /// The next message's id and stored JSON, or `nil` at the end.
    mutating func next() async throws -> (id: UInt64, message: StreamedMessage)? {
        let a = try await peekArchived()
        let i = try await peekImported()
        switch (a, i) {
        case (nil, nil):
            return nil
        case (let a?, let i?) where a.id.rawValue == i.id.rawValue:
            archived.advance()
            imported.advance()
            // The later state wins: an imported copy edited after the archived one is what the channel shows.
            if ImportedMessageMerge.showsImported(archivedEdited: a.editedTimestamp?.rawValue, imported: i.json) {
                return (i.id.rawValue, .imported(i.json))
            }
            return (a.id.rawValue, .archived(a.json))
        case (let a?, let i?) where a.id.rawValue < i.id.rawValue:
            archived.advance()
            return (a.id.rawValue, .archived(a.json))
        case (let a?, nil):
            archived.advance()
            return (a.id.rawValue, .archived(a.json))
        case (_, let i?):
            imported.advance()
            return (i.id.rawValue, .imported(i.json))
        }
    }
}
