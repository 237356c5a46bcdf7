import DiscordModels
import Foundation

/// Imported DiscordChatExporter files: messages staged per file and merged in one transaction, the channel
/// headers, and the files each message came from. Imported messages live beside the archived ones, never mixed.
///
/// ```swift
/// try await store.stageImportedMessages(batch, stage: stage)
/// let result = try await store.commitImport(stage: stage, channel: header)
/// ```
public protocol ImportStore: Sendable {
    /// Stages messages of one file being imported under `stage`; nothing is visible until
    /// ``commitImport(stage:channel:)``. A message staged twice in a stage keeps the later version.
    func stageImportedMessages(_ messages: [ImportedMessage], stage: UUID) async throws

    /// Merges a stage into the imported messages in one transaction, then drops the stage: a new (channel, id) is
    /// inserted, identical JSON changes nothing, and for different JSON the later state wins and the other version
    /// is kept as a revision (``ImportedMessageMerge``, `channel.exportedAt` deciding ties). Each message records
    /// `channel.source` as a file it came from; the channel header is replaced by `channel`.
    @discardableResult
    func commitImport(stage: UUID, channel: ImportedChannel) async throws -> ImportResult

    /// Drops a stage without importing anything of it (the file was malformed or the import was cancelled).
    func discardImport(stage: UUID) async throws

    /// Imports a file in one transaction straight into the imported messages, reading its batches inside the
    /// transaction: the same merge and result as staging every batch and ``commitImport(stage:channel:)``, with
    /// each message written once. `nil` when the store has no such path (the caller stages instead); an error
    /// from `source` rolls the file back.
    func importDirectly(_ source: some ImportMessageSource) async throws -> ImportResult?

    /// The headers of every imported channel, ascending by channel id.
    func importedChannels() async throws -> [ImportedChannel]

    /// Up to `limit` imported messages of a channel with ids greater than `after`, ascending.
    func importedMessages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]

    /// Up to `limit` imported messages of a channel with ids below `before` (from the newest when `nil`), newest
    /// first: the viewer reads a channel's imported history backwards as it reads the archived one.
    func importedMessages(in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]

    /// The imported message `id` of `channel`, or `nil`.
    func importedMessage(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> ImportedMessage?

    /// Up to `limit` imported messages matching `search`, newest first, below the cursor `before` when given: the
    /// same words, phrases and filters as ``MessageBrowsing/search(_:before:limit:)`` over archived messages, read
    /// from the imported DCE objects (their `content`, `author`, `isPinned`, `timestampEdited`, `attachments`,
    /// `embeds`, `stickers`, `mentions`). What DCE does not keep cannot match: no imported message is deleted,
    /// none is a webhook's (`author_type:webhook`), none has a poll, and `has:image|video|sound` go by the
    /// attachment's file name.
    func searchImported(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]

    /// Up to `limit` imported messages matching `search` (as ``searchImported(_:before:limit:)`` matches them), most
    /// relevant first, scored as ``MessageBrowsing/search(_:rankedFrom:limit:)`` scores archived ones, skipping the
    /// first `offset`.
    func searchImported(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws
        -> [Ranked<ImportedMessage>]

    /// The ids of the authors of imported messages whose DCE `name` or `nickname` is `name` (lower case), ascending:
    /// what `from:NAME` finds when no archived user has the name (indexed on both backends).
    func importedAuthors(named name: String) async throws -> [Snowflake<User>]

    /// The other imported versions of the message `message` of `channel` (compact DCE JSON), in the order they
    /// were kept; empty when every import agreed.
    func importedRevisions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> [Data]

    /// The files a message id was imported from in any channel, in import order, each once (empty for messages
    /// never imported).
    func messageSources(of message: Snowflake<Message>) async throws -> [String]

    /// The files the message `message` of `channel` was imported from, in import order.
    func messageSources(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> [String]
}

extension ImportStore {
    /// No direct path: the caller stages and commits.
    public func importDirectly(_ source: some ImportMessageSource) async throws -> ImportResult? { nil }
}
