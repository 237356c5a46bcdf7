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
    /// Where the archive's media folder is served (`/media/`), for the assets `skald import --media` copied there
    /// (``ImportedDiscordForm/message(_:mediaURLPrefix:)``); `nil` without one.
    var mediaURLPrefix: String? = nil

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
        return shown(archived: archived, imported: imported)
    }

    /// Up to `limit` messages matching `search`, newest first (by id, then channel), below `before`: archived and
    /// imported matches merged, each message once, and only as the copy its channel shows (a match in a copy the
    /// other one supersedes is not one).
    func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws -> [StoredMessage] {
        try await matches(search, before: before, limit: limit).map(\.shown)
    }

    /// A match of a search, as its channel shows it.
    struct Match {
        /// The message as Discord's object (an imported one given back by ``ImportedDiscordForm``).
        var shown: StoredMessage
        /// The imported DCE copy when it is the one shown, else `nil` (the archived copy is).
        var imported: ImportedMessage?

        /// The message as an export writes it: the imported copy's own DCE bytes, or the archived JSON.
        var exported: StreamedMessage { imported.map { .imported($0.json) } ?? .archived(shown.json) }
    }

    /// The matches ``search(_:before:limit:)`` answers, each with the imported copy it shows, if any: what an export
    /// of the matches writes (an imported message as its own DCE bytes).
    func matches(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws -> [Match] {
        var results: [Match] = []
        var cursor = before
        let importedChannels = try await importedChannelIDs()
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
            var round: [Match] = []
            // A match counts in the copy its channel shows: the other copy matched or not on its own.
            for message in archived where floor.map({ message.id >= $0 }) ?? true {
                if let shown = try await archivedShown(message, importedChannels: importedChannels) {
                    round.append(Match(shown: shown))
                }
            }
            for message in imported where floor.map({ message.id >= $0 }) ?? true {
                // The archive's tombstone holds for the copy shown.
                if let shown = try await importedShown(message, deleted: search.deleted) {
                    round.append(Match(shown: shown, imported: message))
                }
            }
            round.sort { ($0.shown.id, $1.shown.channelId) > ($1.shown.id, $0.shown.channelId) }
            results += round
            guard let floor else { break }
            cursor = floor
        }
        return Array(results.prefix(limit))
    }

    /// Up to `limit` messages matching `search`, most relevant first, skipping the first `offset`: the archived and
    /// the imported matches merged by score (``Ranked``: newest first among equals), each message once and only as
    /// the copy its channel shows, as ``search(_:before:limit:)`` counts them. Both sides are read from their start
    /// each time (an offset cursor: a page further on reads more).
    func ranked(_ search: MessageSearch, from offset: Int, limit: Int) async throws -> [StoredMessage] {
        let wanted = offset + limit
        var archived = RankedSide<StoredMessage>()
        var imported = RankedSide<ImportedMessage>()
        var results: [StoredMessage] = []
        let importedChannels = try await importedChannelIDs()
        while results.count < wanted {
            try await archived.fill(batch: wanted + 1) { from, count in
                try await store.search(search, rankedFrom: from, limit: count)
            }
            try await imported.fill(batch: wanted + 1) { from, count in
                try await store.searchImported(search, rankedFrom: from, limit: count)
            }
            switch (archived.first, imported.first) {
            case (nil, nil):
                return Array(results.dropFirst(offset))
            case (let a?, let i?) where (a.score, a.element.id) > (i.score, i.element.id):
                archived.advance()
                if let message = try await archivedShown(a.element, importedChannels: importedChannels) {
                    results.append(message)
                }
            case (let a?, nil):
                archived.advance()
                if let message = try await archivedShown(a.element, importedChannels: importedChannels) {
                    results.append(message)
                }
            case (_, let i?):
                imported.advance()
                if let message = try await importedShown(i.element, deleted: search.deleted) {
                    results.append(message)
                }
            }
        }
        return Array(results.dropFirst(offset))
    }

    /// An archived match as its channel shows it: `nil` when the imported copy is shown instead (that copy matches
    /// or not on its own).
    private func archivedShown(_ message: StoredMessage, importedChannels: Set<Snowflake<Channel>>) async throws
        -> StoredMessage?
    {
        // Most channels have no imported history: no copy to look up (a query per match, else).
        guard importedChannels.contains(message.channelId) else { return message }
        guard let copy = try await store.importedMessage(message.id, in: message.channelId) else { return message }
        return Self.archivedWins(message, over: copy) ? message : nil
    }

    /// The channels that hold imported messages.
    private func importedChannelIDs() async throws -> Set<Snowflake<Channel>> {
        Set(try await store.importedChannels().map(\.channelId))
    }

    /// An imported match as its channel shows it (with the archive's tombstone and revisions): `nil` when the
    /// archived copy is shown instead, or when the tombstone fails the search's `deleted:`.
    private func importedShown(_ message: ImportedMessage, deleted: Bool?) async throws -> StoredMessage? {
        let copy = try await store.message(message.id, in: message.channelId)
        if let copy, Self.archivedWins(copy, over: message) { return nil }
        guard let shown = shown(archived: copy, imported: message) else { return nil }
        if let deleted, deleted != (shown.deletedAt != nil) { return nil }
        return shown
    }

    /// The earlier versions of `message` (as its channel shows it), oldest first: the archive's revisions, the
    /// versions later imports replaced (`imported_revision`), and the other copy's own when the two differ (an
    /// imported original of an archived edit, or the reverse). An imported version with the text and edit time of
    /// one already there (an export that differed only in reactions, say) is not repeated, nor is the shown one.
    func revisions(of message: StoredMessage) async throws -> [MessageRevision] {
        let kept = message.revisionCount > 0 ? try await store.revisions(of: message.id, in: message.channelId) : []
        // Only an edited message has earlier texts: an unedited one is not looked up on the imported side.
        guard message.editedTimestamp != nil,
            let imported = try await store.importedMessage(message.id, in: message.channelId)
        else { return kept }
        func version(_ copy: StoredMessage) -> MessageRevision {
            MessageRevision(
                messageId: copy.id, editedTimestamp: copy.editedTimestamp, content: copy.content, json: copy.json,
                recordedAt: copy.archivedAt)
        }
        var others: [MessageRevision] = []
        for json in try await store.importedRevisions(of: message.id, in: message.channelId) {
            others.append(
                version(
                    discordForm(
                        ImportedMessage(
                            id: imported.id, channelId: imported.channelId, guildId: imported.guildId,
                            timestamp: nil, json: json))))
        }
        // The copy not shown is a version too.
        if let archived = try await store.message(message.id, in: message.channelId) {
            others.append(version(Self.archivedWins(archived, over: imported) ? discordForm(imported) : archived))
        }
        // The imported side's versions that say what a version already shown says (the same text, edited at the
        // same time) are not repeated; the archive's own are kept as they are.
        func text(_ edited: DiscordTimestamp?, _ content: String) -> String {
            "\(edited?.rawValue ?? "")\u{0}\(content)"
        }
        var seen = Set(
            [text(message.editedTimestamp, message.content)] + kept.map { text($0.editedTimestamp, $0.content) })
        let added = others.filter { seen.insert(text($0.editedTimestamp, $0.content)).inserted }
        guard !added.isEmpty else { return kept }
        // Oldest first: the original (never edited), then by edit time.
        return (kept + added).enumerated().sorted { a, b in
            let (x, y) = (
                a.element.editedTimestamp?.date ?? .distantPast, b.element.editedTimestamp?.date ?? .distantPast
            )
            return (x, a.offset) < (y, b.offset)
        }.map(\.element)
    }

    /// Every pinned message of `channel` that is not deleted, archived or imported, as the channel shows it, with
    /// the pin times the archive knows: Discord's pins in the order its route lists them (``ChannelPinList``).
    func pins(in channel: Snowflake<Channel>) async throws -> ChannelPinList {
        let pinned = MessageSearch(channels: [channel], pinned: true, deleted: false)
        var messages: [StoredMessage] = []
        var cursor: Snowflake<Message>?
        // A page at a time: Discord keeps 250 pins a channel, an archive may hold more (pins it never saw undone).
        while true {
            let page = try await search(pinned, before: cursor, limit: 250)
            messages += page
            guard page.count == 250, let last = page.last else { break }
            cursor = last.id
        }
        return ChannelPinList(pinned: messages, pinTimes: try await store.pinTimes(in: channel))
    }

    // MARK: The merge

    /// The copy of a message its channel shows, given what the archive and the imports hold of it.
    func shown(archived: StoredMessage?, imported: ImportedMessage?) -> StoredMessage? {
        guard let imported else { return archived }
        guard let archived else { return discordForm(imported) }
        if Self.archivedWins(archived, over: imported) { return archived }
        var shown = discordForm(imported)
        // The tombstone and the archive's earlier versions belong to the message, whichever copy is shown.
        shown.deletedAt = archived.deletedAt
        shown.revisionCount = archived.revisionCount
        return shown
    }

    /// An imported message as Discord's object, its copied assets linked where they are served.
    func discordForm(_ imported: ImportedMessage) -> StoredMessage {
        ImportedDiscordForm.message(imported, mediaURLPrefix: mediaURLPrefix)
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
                shown = self.shown(archived: a, imported: i)
            case (let a?, let i?) where comesFirst(a.id, i.id):
                archived.advance()
                shown = a
            case (let a?, nil):
                archived.advance()
                shown = a
            case (_, let i?):
                imported.advance()
                shown = discordForm(i)
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

/// One side of a merged ranked search: a page of results most relevant first, the next page read from the offset
/// reached when it is used up.
private struct RankedSide<Element: Sendable> {
    private var offset = 0
    private var buffer: [Ranked<Element>] = []
    private var index = 0
    private var done = false

    /// The current result, if any is left.
    var first: Ranked<Element>? { index < buffer.count ? buffer[index] : nil }

    /// Moves past the current result.
    mutating func advance() { index += 1 }

    /// Reads the next page when this one is used up.
    mutating func fill(batch: Int, read: (Int, Int) async throws -> [Ranked<Element>]) async throws {
        guard index >= buffer.count, !done else { return }
        buffer = try await read(offset, batch)
        index = 0
        offset += buffer.count
        done = buffer.count < batch
    }
}
