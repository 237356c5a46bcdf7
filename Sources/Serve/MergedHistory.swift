import ArchiveStore
import DiscordModels
import Export
import Foundation

/// The archive as `skald serve` reads it: archived and imported history as one. Guilds and channels known only
/// from imported DCE files are listed beside the archived ones, and each channel has one history, its archived and
/// imported messages merged by id with the rule `export` uses (``ImportedMessageMerge/showsImported(archivedEdited:imported:)``:
/// the later state wins), an imported message given back as Discord's object (``ImportedDiscordForm``). A message
/// the archive found deleted stays deleted whichever copy is shown.
///
/// ```swift
/// let history = MergedHistory(store: store)
/// let page = try await history.messages(in: channel, before: nil, limit: 50, includeDeleted: false)
/// ```
struct MergedHistory {
    let store: any ArchiveStore

    // MARK: Structure

    /// The guilds that are not tombstoned, archived ones first by id, then those known only from imports.
    func guilds() async throws -> [StoredObject] {
        let archived = try await store.objects(.guild, in: nil).filter { $0.deletedAt == nil }
        let ids = Set(archived.map(\.id.rawValue))
        let imported = ImportedDiscordForm.guilds(try await store.importedChannels())
        return archived + imported.filter { !ids.contains($0.id.rawValue) }
    }

    /// The guild `id` (not tombstoned), archived or known from imports.
    func guild(_ id: Snowflake<Guild>) async throws -> StoredObject? {
        if let guild = try await store.object(.guild, id: id.cast()) { return guild.deletedAt == nil ? guild : nil }
        let headers = try await store.importedChannels().filter { $0.belongs(to: id) }
        return ImportedDiscordForm.guilds(headers).first
    }

    /// The channels and threads of `guild` (all guilds when `nil`; `0` is direct messages), ascending by id: the
    /// archived ones, and those known only from imports (with the categories their headers name).
    func channels(in guild: Snowflake<Guild>?) async throws -> [StoredChannel] {
        let archived = try await store.channels(in: guild)
        let headers = try await store.importedChannels().filter { header in guild.map(header.belongs) ?? true }
        guard !headers.isEmpty else { return archived }
        let ids = Set(archived.map(\.id))
        let imported = ImportedDiscordForm.channels(headers).filter { !ids.contains($0.id) }
        return (archived + imported).sorted { $0.id < $1.id }
    }

    /// The channel `id`, archived or known from imports.
    func channel(_ id: Snowflake<Channel>) async throws -> StoredChannel? {
        if let object = try await store.object(.channel, id: id.cast()) {
            return try await store.channels(in: object.guildId).first { $0.id == id }
        }
        return ImportedDiscordForm.channels(try await store.importedChannels()).first { $0.id == id }
    }

    // MARK: Messages

    /// Up to `limit` messages of `channel` below `before` (from the newest when `nil`), newest first.
    func messages(in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int, includeDeleted: Bool)
        async throws -> [StoredMessage]
    {
        try await merged(
            limit: limit, includeDeleted: includeDeleted, newestFirst: true, from: before,
            archived: { cursor, count in
                try await store.messages(in: channel, before: cursor, limit: count, includeDeleted: true)
            },
            imported: { cursor, count in try await store.importedMessages(in: channel, before: cursor, limit: count) })
    }

    /// Up to `limit` messages of `channel` above `after` (from the oldest when `nil`), oldest first.
    func messages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int, includeDeleted: Bool)
        async throws -> [StoredMessage]
    {
        try await merged(
            limit: limit, includeDeleted: includeDeleted, newestFirst: false, from: after,
            archived: { cursor, count in
                try await store.messages(in: channel, after: cursor, limit: count, includeDeleted: true)
            },
            imported: { cursor, count in try await store.importedMessages(in: channel, after: cursor, limit: count) })
    }

    /// The message `id` of `channel` as the channel shows it (tombstoned ones too), or `nil`.
    func message(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> StoredMessage? {
        let archived = try await store.message(id, in: channel)
        let imported = try await store.importedMessage(id, in: channel)
        return Self.shown(archived: archived, imported: imported)
    }

    /// Up to `limit` messages matching `search`, newest first (by id, then channel), below `before`: archived and
    /// imported matches merged, each message once, and only as the copy its channel shows (a match in a copy the
    /// other one supersedes is not one).
    func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws -> [StoredMessage] {
        var results: [StoredMessage] = []
        var cursor = before
        var archivedDone = false
        var importedDone = false
        // Each round reads a page of each side from the cursor; what both pages cover is final.
        while results.count < limit, !(archivedDone && importedDone) {
            let archived = archivedDone ? [] : try await store.search(search, before: cursor, limit: limit + 1)
            let imported = importedDone ? [] : try await store.searchImported(search, before: cursor, limit: limit + 1)
            archivedDone = archivedDone || archived.count <= limit
            importedDone = importedDone || imported.count <= limit
            // The lowest id both pages reach: below it, one side has not been read yet.
            let floor = [
                archivedDone ? nil : archived.last?.id, importedDone ? nil : imported.last?.id,
            ].compactMap { $0 }.max()
            var round: [StoredMessage] = []
            // A match counts in the copy its channel shows: the other copy matched or not on its own.
            for message in archived where floor.map({ message.id >= $0 }) ?? true {
                if let copy = try await store.importedMessage(message.id, in: message.channelId),
                    !Self.archivedWins(message, over: copy)
                {
                    continue
                }
                round.append(message)
            }
            for message in imported where floor.map({ message.id >= $0 }) ?? true {
                let copy = try await store.message(message.id, in: message.channelId)
                if let copy, Self.archivedWins(copy, over: message) { continue }
                guard let shown = Self.shown(archived: copy, imported: message) else { continue }
                // The archive's tombstone holds for the copy shown.
                if let deleted = search.deleted, deleted != (shown.deletedAt != nil) { continue }
                round.append(shown)
            }
            round.sort { ($0.id, $1.channelId) > ($1.id, $0.channelId) }
            results += round
            guard let floor else { break }
            cursor = floor
        }
        return Array(results.prefix(limit))
    }

    // MARK: The merge

    /// The copy of a message its channel shows, given what the archive and the imports hold of it.
    static func shown(archived: StoredMessage?, imported: ImportedMessage?) -> StoredMessage? {
        guard let imported else { return archived }
        guard let archived else { return ImportedDiscordForm.message(imported) }
        if archivedWins(archived, over: imported) { return archived }
        var shown = ImportedDiscordForm.message(imported)
        // The tombstone and the archive's earlier versions belong to the message, whichever copy is shown.
        shown.deletedAt = archived.deletedAt
        shown.revisionCount = archived.revisionCount
        return shown
    }

    /// Whether the archived copy is the one shown (``ImportedMessageMerge/showsImported(archivedEdited:imported:)``).
    static func archivedWins(_ archived: StoredMessage, over imported: ImportedMessage) -> Bool {
        !ImportedMessageMerge.showsImported(archivedEdited: archived.editedTimestamp?.rawValue, imported: imported.json)
    }

    /// Up to `limit` messages of one channel from a cursor, in one direction, both sides read a page at a time and
    /// merged by id (one message per id: ``shown(archived:imported:)``), tombstoned ones left out unless
    /// `includeDeleted`.
    // swift-format-ignore: FunctionParameterCount
    private func merged(
        limit: Int, includeDeleted: Bool, newestFirst: Bool, from start: Snowflake<Message>?,
        archived readArchived: (Snowflake<Message>?, Int) async throws -> [StoredMessage],
        imported readImported: (Snowflake<Message>?, Int) async throws -> [ImportedMessage]
    ) async throws -> [StoredMessage] {
        let batch = max(limit, 1)
        var archived = PagedSide<StoredMessage>(cursor: start)
        var imported = PagedSide<ImportedMessage>(cursor: start)
        var result: [StoredMessage] = []
        func comesFirst(_ a: Snowflake<Message>, _ b: Snowflake<Message>) -> Bool { newestFirst ? a > b : a < b }
        while result.count < limit {
            try await archived.fill(batch: batch, id: \.id, read: readArchived)
            try await imported.fill(batch: batch, id: \.id, read: readImported)
            let a = archived.first
            let i = imported.first
            let shown: StoredMessage?
            switch (a, i) {
            case (nil, nil):
                return result
            case (let a?, let i?) where a.id == i.id:
                archived.advance()
                imported.advance()
                shown = Self.shown(archived: a, imported: i)
            case (let a?, let i?) where comesFirst(a.id, i.id):
                archived.advance()
                shown = a
            case (let a?, nil):
                archived.advance()
                shown = a
            case (_, let i?):
                imported.advance()
                shown = ImportedDiscordForm.message(i)
            }
            if let shown, includeDeleted || shown.deletedAt == nil { result.append(shown) }
        }
        return result
    }
}

/// One side of a merged read: a page of elements in order, the next page read from the last id when it is used up.
private struct PagedSide<Element> {
    var cursor: Snowflake<Message>?
    private var buffer: [Element] = []
    private var index = 0
    private var done = false

    init(cursor: Snowflake<Message>?) { self.cursor = cursor }

    /// The current element, if any is left.
    var first: Element? { index < buffer.count ? buffer[index] : nil }

    /// Moves past the current element.
    mutating func advance() { index += 1 }

    /// Reads the next page when this one is used up.
    mutating func fill(
        batch: Int, id: KeyPath<Element, Snowflake<Message>>,
        read: (Snowflake<Message>?, Int) async throws -> [Element]
    ) async throws {
        guard index >= buffer.count, !done else { return }
        buffer = try await read(cursor, batch)
        index = 0
        done = buffer.count < batch
        if let last = buffer.last { cursor = last[keyPath: id] }
    }
}
