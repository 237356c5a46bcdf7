import ArchiveStore
import DiscordModels
import Foundation

/// A channel's messages in ascending id order within exclusive bounds, read in batches: archived Discord
/// messages rendered to DCE objects, merged with imported DCE messages (the archive's own copy wins when both
/// have an id). Memory stays at two batches.
struct ChannelMessageStream {
    let store: any ArchiveStore
    let channel: Snowflake<Channel>
    let after: UInt64?
    let before: UInt64?
    let includeDeleted: Bool
    var batchSize = 500

    private var archived: [StoredMessage] = []
    private var archivedIndex = 0
    private var archivedCursor: UInt64?
    private var archivedDone = false
    private var imported: [ImportedMessage] = []
    private var importedIndex = 0
    private var importedCursor: UInt64?
    private var importedDone = false

    init(store: any ArchiveStore, channel: Snowflake<Channel>, after: UInt64?, before: UInt64?, includeDeleted: Bool) {
        self.store = store
        self.channel = channel
        self.after = after
        self.before = before
        self.includeDeleted = includeDeleted
        self.archivedCursor = after
        self.importedCursor = after
        // The stores keep ids as signed 64-bit integers: no id lies after a bound past Int64.max (a date after
        // 2084-09-06), and such a cursor must not reach them (its bit pattern is negative: "after everything").
        if let after, after > UInt64(Int64.max) {
            archivedDone = true
            importedDone = true
        }
    }

    private mutating func peekArchived() async throws -> StoredMessage? {
        while archivedIndex >= archived.count {
            if archivedDone { return nil }
            archived = try await store.messages(
                in: channel, after: archivedCursor.map { Snowflake($0) }, limit: batchSize)
            archivedIndex = 0
            if archived.count < batchSize { archivedDone = true }
            if let last = archived.last { archivedCursor = last.id.rawValue }
            if !includeDeleted { archived = archived.filter { $0.deletedAt == nil } }
            if archived.isEmpty && archivedDone { return nil }
        }
        let message = archived[archivedIndex]
        if let before, message.id.rawValue >= before {
            archivedDone = true
            archived = []
            return nil
        }
        return message
    }

    private mutating func peekImported() async throws -> ImportedMessage? {
        while importedIndex >= imported.count {
            if importedDone { return nil }
            imported = try await store.importedMessages(
                in: channel, after: importedCursor.map { Snowflake($0) }, limit: batchSize)
            importedIndex = 0
            if imported.count < batchSize { importedDone = true }
            if let last = imported.last { importedCursor = last.id.rawValue }
            if imported.isEmpty { return nil }
        }
        let message = imported[importedIndex]
        if let before, message.id.rawValue >= before {
            importedDone = true
            imported = []
            return nil
        }
        return message
    }

    /// The next message's id and DCE object, or `nil` at the end.
    mutating func next(_ renderer: DCERenderer) async throws -> (id: UInt64, node: JSONNode)? {
        let a = try await peekArchived()
        let i = try await peekImported()
        switch (a, i) {
        case (nil, nil):
            return nil
        case (let a?, let i?) where a.id.rawValue == i.id.rawValue:
            archivedIndex += 1
            importedIndex += 1
            return (a.id.rawValue, try await render(a, renderer))
        case (let a?, let i?) where a.id.rawValue < i.id.rawValue:
            archivedIndex += 1
            return (a.id.rawValue, try await render(a, renderer))
        case (let a?, nil):
            archivedIndex += 1
            return (a.id.rawValue, try await render(a, renderer))
        case (_, let i?):
            importedIndex += 1
            return (i.id.rawValue, try JSONNode.parse(i.json))
        }
    }

    private func render(_ message: StoredMessage, _ renderer: DCERenderer) async throws -> JSONNode {
        await renderer.messageNode(try JSONNode.parse(message.json))
    }
}
