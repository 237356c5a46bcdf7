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
    /// Role positions set by `PATCH /guilds/{g}/roles`, by role id.
    private var rolePositions: [UInt64: Int] = [:]
    /// Custom emojis created at runtime (`POST /guilds/{g}/emojis`), by guild index.
    private(set) var createdEmojis: [Int: [SimEmoji]] = [:]
    /// Guild stickers created at runtime (`POST /guilds/{g}/stickers`), by guild index.
    private(set) var createdStickers: [Int: [SimSticker]] = [:]
    private(set) var webhooks: [UInt64: SimWebhook] = [:]
    private var nonces: [String: UInt64] = [:]
    /// Uploaded bytes, on disk.
    let uploads = UploadSpool()
    /// The test-only pause of uploads (`/__sim/uploads/hold`).
    let uploadHold = RequestHold()
    /// The test-only pause of message history pages that continue a channel (a cursor given).
    let pageHold = RequestHold()
    /// The test-only pause of attachment downloads, halfway through their bodies.
    let downloadHold = RequestHold()
    private var lastIssuedId: UInt64 = 0
    /// Guilds a bot left (`/__sim/mutate` `leaveGuild`); every bot starts in every guild.
    private(set) var departures: Set<GuildDeparture> = []
    /// Scheduled events deleted at runtime (`/__sim/mutate` `deleteEvent`).
    private(set) var deletedEvents: Set<UInt64> = []
    /// Channels and threads deleted (`/__sim/mutate` `deleteChannel`): gone from every listing and route.
    private(set) var deletedChannels: Set<UInt64> = []
    /// Membership changed at runtime, by guild index (`/__sim/mutate` `addMember`, `updateMember`, `removeMember`).
    private var rosters: [Int: MemberRoster] = [:]

    /// Searches each guild still answers 202 "Index not yet available" before its index is built, by guild index;
    /// a guild not listed starts with the configured warm-up (``SimulatorConfiguration/searchIndexWarmup``).
    private var searchesBeforeIndexed: [Int: Int] = [:]

    init(world: World) { self.world = world }

    /// Counts one search of a guild: whether its index is built (`false`: answer 202 and count down).
    func searchIndexIsReady(guildIndex: Int, warmup: Int) -> Bool {
        let pending = searchesBeforeIndexed[guildIndex] ?? warmup
        searchesBeforeIndexed[guildIndex] = max(0, pending - 1)
        return pending <= 0
    }

    /// Makes the next `searches` searches of a guild find its index not built yet (`/__sim/mutate` `searchIndex`).
    func setSearchesBeforeIndexed(_ searches: Int, guildIndex: Int) { searchesBeforeIndexed[guildIndex] = searches }

    // MARK: Reading

    func channel(_ id: UInt64) -> SimChannel? {
        guard !deletedChannels.contains(id) else { return nil }
        return world.channels[id] ?? createdChannels[id]
    }

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

    func roles(_ guildIndex: Int) -> [Role] {
        (world.guilds[guildIndex].roles + (createdRoles[guildIndex] ?? [])).map { role in
            var role = role
            if let position = rolePositions[role.id.rawValue] { role.position = position }
            return role
        }
    }

    /// A guild's custom emojis: generated, then created.
    func emojis(_ guildIndex: Int) -> [SimEmoji] { world.guilds[guildIndex].emojis + (createdEmojis[guildIndex] ?? []) }

    /// A guild's stickers: generated, then created (none outside a guild).
    func stickers(_ guildIndex: Int) -> [SimSticker] {
        guard world.guilds.indices.contains(guildIndex) else { return [] }
        return world.guilds[guildIndex].stickers + (createdStickers[guildIndex] ?? [])
    }

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
    /// - Throws: a 500 when an upload cannot be kept (the spool's disk is full): nothing of the message is stored, as
    ///   Discord never acknowledges a file it did not keep.
    func appendMessage(
        channelId: UInt64, nonce: String?, enforceNonce: Bool, authorId: UInt64,
        make: @Sendable (UInt64) -> SimMessage, uploads newUploads: [Int: [UInt8]] = [:], id forcedId: UInt64? = nil
    ) throws -> (SimMessage, created: Bool)? {
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
        var stored: [UInt64] = []
        for index in message.attachments.indices {
            let attachmentId = id + UInt64(index + 1)
            if let bytes = newUploads[index] {
                guard uploads.store(bytes, id: attachmentId) else {
                    for earlier in stored { uploads.remove(earlier) }
                    throw DiscordAPIError(.internalServerError, code: 0, message: "500: Internal Server Error")
                }
                stored.append(attachmentId)
            }
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

    /// Sets role positions (the caller has checked and renumbered them).
    func setRolePositions(_ positions: [UInt64: Int]) { rolePositions.merge(positions) { $1 } }

    func addEmoji(_ emoji: SimEmoji, guildIndex: Int) { createdEmojis[guildIndex, default: []].append(emoji) }

    func addSticker(_ sticker: SimSticker, guildIndex: Int) { createdStickers[guildIndex, default: []].append(sticker) }

    /// Pins (at `milliseconds`) or unpins a live message; nil when it is unknown or deleted, else whether anything
    /// changed (pinning a pinned message, or unpinning one that is not, changes nothing).
    func setPinned(_ pinned: Bool, channelId: UInt64, messageId: UInt64, milliseconds: UInt64) -> Bool? {
        guard let view = view(channelId), let message = view.message(id: messageId) else { return nil }
        guard message.pinned != pinned else { return false }
        var overlay = overlays[channelId] ?? ChannelOverlay()
        if pinned {
            overlay.unpinned.remove(messageId)
            overlay.pins[messageId] = milliseconds
        } else if overlay.pins.removeValue(forKey: messageId) == nil {
            // A generated pin.
            overlay.unpinned.insert(messageId)
        }
        overlays[channelId] = overlay
        return true
    }

    func setOverwrite(channelId: UInt64, overwrite: PermissionOverwrite) {
        guard let channel = channel(channelId) else { return }
        var list = overlays[channelId]?.overwrites ?? channel.overwrites
        list.removeAll { $0.id == overwrite.id }
        list.append(overwrite)
        overlays[channelId, default: ChannelOverlay()].overwrites = list
    }

    func addWebhook(_ webhook: SimWebhook) { webhooks[webhook.id] = webhook }

    /// Adds a normal reaction with a Unicode emoji to a live message; returns the reaction and the user who reacted
    /// (the next user of the reaction's generated order), or nil when the message is unknown or nobody is left.
    func react(channelId: UInt64, messageId: UInt64, emoji: String) -> (SimReaction, reactor: SimUser)? {
        guard let view = view(channelId), let message = view.message(id: messageId) else { return nil }
        var reactions = message.reactions
        let index =
            reactions.firstIndex { $0.emojiId == nil && $0.emojiName == emoji }
            ?? {
                reactions.append(
                    SimReaction(
                        emojiName: emoji, emojiId: nil, animated: false, normal: 0, burst: 0,
                        salt: Mix.hash(messageId, UInt64(truncatingIfNeeded: emoji.unicodeScalars.first?.value ?? 0))))
                return reactions.count - 1
            }()
        // Super-reactors follow the normal ones in the generated order: only a reaction without them can grow.
        guard reactions[index].burst == 0 else { return nil }
        let before = MessageFactory(world: world).reactionUsers(reactions[index], burst: false)
        reactions[index].normal += 1
        let after = MessageFactory(world: world).reactionUsers(reactions[index], burst: false)
        guard let reactor = after.first(where: { user in !before.contains { $0.id == user.id } }) else { return nil }
        overlays[channelId, default: ChannelOverlay()].reactions[messageId] = reactions
        return (reactions[index], reactor)
    }

    /// Adds `botId`'s reaction (Create Reaction) to a live message: true when added, false when the bot had reacted
    /// with that emoji already (Discord's PUT is idempotent: nothing changes, no event), nil for an unknown message.
    func addBotReaction(
        channelId: UInt64, messageId: UInt64, emojiName: String, emojiId: UInt64?, animated: Bool, botId: UInt64
    ) -> Bool? {
        guard let view = view(channelId), let message = view.message(id: messageId) else { return nil }
        var reactions = message.reactions
        let same: (SimReaction) -> Bool = { reaction in
            emojiId.map { reaction.emojiId == $0 } ?? (reaction.emojiId == nil && reaction.emojiName == emojiName)
        }
        let index =
            reactions.firstIndex(where: same)
            ?? {
                reactions.append(
                    SimReaction(
                        emojiName: emojiName, emojiId: emojiId, animated: animated, normal: 0, burst: 0,
                        salt: Mix.hash(messageId, emojiId ?? UInt64(emojiName.unicodeScalars.first?.value ?? 0))))
                return reactions.count - 1
            }()
        guard !reactions[index].botReactors.contains(botId) else { return false }
        reactions[index].botReactors.append(botId)
        overlays[channelId, default: ChannelOverlay()].reactions[messageId] = reactions
        return true
    }

    /// Deletes a channel or thread (and, for a channel, its threads); false when unknown.
    func deleteChannel(_ id: UInt64) -> Bool {
        guard let deleted = channel(id) else { return false }
        deletedChannels.insert(id)
        if !deleted.isThread {
            for thread in createdChannels.values where thread.parentId == id { deletedChannels.insert(thread.id) }
            for (threadId, thread) in world.channels where thread.parentId == id && thread.isThread {
                deletedChannels.insert(threadId)
            }
        }
        return true
    }

    /// Deletes a scheduled event; false when it was deleted already.
    func deleteEvent(_ id: UInt64) -> Bool { deletedEvents.insert(id).inserted }

    /// Records a bot leaving (`member` false) or joining a guild; false when nothing changed.
    func setMembership(botId: UInt64, guildIndex: Int, member: Bool) -> Bool {
        let key = GuildDeparture(botId: botId, guildIndex: guildIndex)
        return member ? departures.remove(key) != nil : departures.insert(key).inserted
    }

    // MARK: Members

    /// A guild's members, ascending by user id, each with its runtime profile if it has one.
    func members(_ guildIndex: Int) -> [(user: SimUser, profile: MemberProfile?)] {
        let roster = rosters[guildIndex] ?? MemberRoster()
        return (world.humans + world.bots + roster.newcomers.values)
            .filter { !roster.departed.contains($0.id) }
            .sorted { $0.id < $1.id }
            .map { ($0, roster.profiles[$0.id]) }
    }

    /// One member of a guild, or nil when the user is not (or no longer) a member.
    func member(_ userId: UInt64, guildIndex: Int) -> (user: SimUser, profile: MemberProfile?)? {
        let roster = rosters[guildIndex] ?? MemberRoster()
        guard !roster.departed.contains(userId),
            let user = world.usersById[userId] ?? roster.newcomers[userId]
        else { return nil }
        return (user, roster.profiles[userId])
    }

    /// A user joins a guild: a member who left comes back (`userId`), or a new user named `username` is made.
    /// Returns the member, or nil when `userId` names nobody or someone who is a member already.
    func addMember(userId: UInt64?, username: String, guildIndex: Int, milliseconds: UInt64)
        -> (user: SimUser, profile: MemberProfile)?
    {
        var roster = rosters[guildIndex] ?? MemberRoster()
        let user: SimUser
        if let userId {
            guard roster.departed.contains(userId), let known = world.usersById[userId] ?? roster.newcomers[userId]
            else { return nil }
            user = known
        } else {
            user = SimUser(
                id: newId(), username: username, globalName: nil, avatarHash: nil, isBot: false,
                joinedMilliseconds: milliseconds, roleIndices: [])
            roster.newcomers[user.id] = user
        }
        roster.departed.remove(user.id)
        let profile = MemberProfile(nick: nil, roleIds: [], joinedMilliseconds: milliseconds)
        roster.profiles[user.id] = profile
        rosters[guildIndex] = roster
        return (user, profile)
    }

    /// Sets a member's profile; nil when the user is not a member.
    func updateMember(_ userId: UInt64, guildIndex: Int, profile: MemberProfile) -> SimUser? {
        guard let member = member(userId, guildIndex: guildIndex) else { return nil }
        rosters[guildIndex, default: MemberRoster()].profiles[userId] = profile
        return member.user
    }

    /// A member leaves (or is kicked); returns the user, or nil when the user was not a member.
    func removeMember(_ userId: UInt64, guildIndex: Int) -> SimUser? {
        guard let member = member(userId, guildIndex: guildIndex) else { return nil }
        rosters[guildIndex, default: MemberRoster()].departed.insert(userId)
        rosters[guildIndex]?.profiles[userId] = nil
        return member.user
    }
}
