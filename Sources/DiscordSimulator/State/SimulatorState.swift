import DiscordModels
import Foundation

/// The mutable part of the simulated Discord: message overlays, created channels, threads, roles, webhooks,
/// nonces and uploaded bytes. Everything else is the immutable `World`.
actor SimulatorState {
    let world: World
    private(set) var overlays: [UInt64: ChannelOverlay] = [:]
    private(set) var createdChannels: [UInt64: SimChannel] = [:]
    private var createdChannelOrder: [Int: [UInt64]] = [:]
    private var createdThreadOrder: [Int: [UInt64]] = [:]
    private var createdRoles: [Int: [Role]] = [:]
    private(set) var webhooks: [UInt64: SimWebhook] = [:]
    private var nonces: [String: UInt64] = [:]
    /// Uploaded bytes, on disk.
    let uploads = UploadSpool()
    private var lastIssuedId: UInt64 = 0

    init(world: World) { self.world = world }

    // MARK: Reading

    func channel(_ id: UInt64) -> SimChannel? { world.channels[id] ?? createdChannels[id] }

    /// A snapshot of a channel with its overlay (and its parent's for a thread).
    func view(_ id: UInt64) -> ChannelView? {
        guard let channel = channel(id) else { return nil }
        let parent = channel.isThread ? channel.parentId.flatMap { self.channel($0) } : nil
        return ChannelView(
            channel: channel, overlay: overlays[id] ?? .empty, parent: parent,
            parentOverlay: parent.map { overlays[$0.id] ?? .empty }, factory: MessageFactory(world: world))
    }

    /// Channels of a guild (no threads), with overlays.
    func guildChannels(_ guildIndex: Int) -> [(SimChannel, ChannelOverlay)] {
        let ids = world.guilds[guildIndex].channelIds + (createdChannelOrder[guildIndex] ?? [])
        return ids.compactMap { id in channel(id).map { ($0, overlays[id] ?? .empty) } }
    }

    /// Threads of a guild, with overlays.
    func guildThreads(_ guildIndex: Int) -> [(SimChannel, ChannelOverlay)] {
        let ids = world.guilds[guildIndex].threadIds + (createdThreadOrder[guildIndex] ?? [])
        return ids.compactMap { id in channel(id).map { ($0, overlays[id] ?? .empty) } }
    }

    func roles(_ guildIndex: Int) -> [Role] { world.guilds[guildIndex].roles + (createdRoles[guildIndex] ?? []) }

    func upload(_ attachmentId: UInt64) -> [UInt8]? { uploads.read(attachmentId) }

    /// Flips one byte (the middle one) of an uploaded attachment; false when the id is not an upload or empty.
    func corruptUpload(_ attachmentId: UInt64) -> Bool { uploads.corrupt(attachmentId) }

    func webhooks(in channelId: UInt64) -> [SimWebhook] {
        webhooks.values.filter { $0.channelId == channelId }.sorted { $0.id < $1.id }
    }

    func webhook(_ id: UInt64) -> SimWebhook? { webhooks[id] }

    // MARK: Ids

    /// A fresh id above `floor` and above every id issued so far, from the current time.
    func newId(above floor: UInt64 = 0) -> UInt64 {
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        var id = World.makeId(nowMs, salt: 0)
        id = max(id, floor + (1 << Snowflake<AnyTag>.timestampShift), lastIssuedId + 1)
        lastIssuedId = id
        return id
    }

    // MARK: Messages

    /// Appends a message built by `make` with a fresh id; honours `nonce` idempotency when `enforceNonce`.
    /// `id` forces the message id (a forum post's first message shares the thread's id).
    func appendMessage(
        channelId: UInt64, nonce: String?, enforceNonce: Bool, authorId: UInt64,
        make: @Sendable (UInt64) -> SimMessage, uploads newUploads: [Int: [UInt8]] = [:], id forcedId: UInt64? = nil
    ) -> (SimMessage, created: Bool)? {
        guard let view = view(channelId) else { return nil }
        if enforceNonce, let nonce, let existing = nonces["\(channelId)|\(authorId)|\(nonce)"],
            let message = view.message(id: existing)
        {
            return (message, false)
        }
        let floor = view.lastMessageId ?? view.channel.timeline.endId
        let id = forcedId.flatMap { $0 > (view.lastMessageId ?? 0) ? $0 : nil } ?? newId(above: floor)
        var message = make(id)
        message.id = id
        message.channelId = channelId
        message.timestampMilliseconds = Snowflake<AnyTag>(id).unixMilliseconds
        // Attachment ids derive from the message id so they stay unique.
        for index in message.attachments.indices {
            let attachmentId = id + UInt64(index + 1)
            if let bytes = newUploads[index] { uploads.store(bytes, id: attachmentId) }
            message.attachments[index].id = attachmentId
        }
        lastIssuedId = max(lastIssuedId, id + UInt64(message.attachments.count) + 1)
        overlays[channelId, default: ChannelOverlay()].appended.append(message)
        if enforceNonce, let nonce { nonces["\(channelId)|\(authorId)|\(nonce)"] = id }
        return (message, true)
    }

    /// Edits a live message; nil when unknown or deleted.
    func editMessage(channelId: UInt64, messageId: UInt64, content: String) -> SimMessage? {
        guard let view = view(channelId), view.message(id: messageId) != nil else { return nil }
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        let messageMs = Snowflake<AnyTag>(messageId).unixMilliseconds
        overlays[channelId, default: ChannelOverlay()].edits[messageId] = .init(
            content: content, editedMilliseconds: max(nowMs, messageMs + 1))
        return self.view(channelId)?.message(id: messageId)
    }

    /// Deletes a live message; false when unknown or already deleted.
    func deleteMessage(channelId: UInt64, messageId: UInt64) -> Bool {
        guard let view = view(channelId), view.message(id: messageId) != nil else { return false }
        overlays[channelId, default: ChannelOverlay()].deleted.insert(messageId)
        return true
    }

    // MARK: Structure

    func addChannel(_ channel: SimChannel) {
        createdChannels[channel.id] = channel
        if channel.isThread {
            createdThreadOrder[channel.guildIndex, default: []].append(channel.id)
            if let parentId = channel.parentId {
                let last = overlays[parentId]?.lastThreadId ?? 0
                overlays[parentId, default: ChannelOverlay()].lastThreadId = max(last, channel.id)
            }
        } else {
            createdChannelOrder[channel.guildIndex, default: []].append(channel.id)
        }
    }

    func addRole(_ role: Role, guildIndex: Int) { createdRoles[guildIndex, default: []].append(role) }

    func setOverwrite(channelId: UInt64, overwrite: PermissionOverwrite) {
        guard let channel = channel(channelId) else { return }
        var list = overlays[channelId]?.overwrites ?? channel.overwrites
        list.removeAll { $0.id == overwrite.id }
        list.append(overwrite)
        overlays[channelId, default: ChannelOverlay()].overwrites = list
    }

    func addWebhook(_ webhook: SimWebhook) { webhooks[webhook.id] = webhook }
}
