import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Reads a guild's structure (guild, channels, roles, emojis, stickers, events, threads, optionally members),
/// stores it, and decides which channels and threads the bot can read.
struct GuildDiscovery: Sendable {
    let context: ArchiveContext
    let botUser: Snowflake<User>
    let archiveMembers: Bool
    /// How many parents' archived threads are listed at once (each parent is its own rate-limit bucket).
    var threadListingWidth = 8

    /// A guild's plan: what to fetch and what was skipped.
    struct Result: Sendable {
        var name: String
        var readable: [ChannelPlan] = []
        var skipped: [ArchiveSummary.ChannelNote] = []
        /// Where each skipped channel or thread sits (its parent channel, its category), for `--channel` and
        /// `--exclude-channel`.
        var skippedPlaces: [Snowflake<Channel>: (parent: Snowflake<Channel>?, category: Snowflake<Channel>?)] = [:]
        var notes: [String] = []
        var channelCount = 0
        var threadCount = 0
    }

    /// What finding a guild's archived threads needs from the first phase of its discovery: the guild's channels,
    /// the bot's permissions, the parents to list and the threads already planned.
    struct ThreadSearch: Sendable {
        var guildId: Snowflake<Guild>
        var calculator: PermissionCalculator
        var me: PermissionCalculator.MemberIdentity
        var byId: [Snowflake<Channel>: Channel]
        /// Channels that may hold threads and that the bot can see.
        var parents: [Channel]
        /// Threads planned or skipped already (the guild's active threads).
        var known: Set<Snowflake<Channel>>

        /// The category `channel` sits in (a thread: its parent channel's), if any.
        func category(of channel: Channel) -> Snowflake<Channel>? {
            let holder = channel.type.isThread ? channel.parentId.flatMap { byId[$0] } : channel
            guard let parent = holder?.parentId, byId[parent]?.type == .guildCategory else { return nil }
            return parent
        }

        /// `#channel`, or `#parent › thread` for a thread.
        func label(_ channel: Channel) -> String {
            let name = "#\(channel.name ?? String(describing: channel.id))"
            if let parent = channel.parentId.flatMap({ byId[$0] }), channel.type.isThread {
                return "#\(parent.name ?? String(describing: parent.id)) › \(channel.name ?? "thread")"
            }
            return name
        }
    }

    /// Discovers the whole guild: ``discoverChannels(_:)`` then ``discoverThreads(_:into:)``.
    func discover(_ guildId: Snowflake<Guild>) async throws -> Result {
        var (result, search) = try await discoverChannels(guildId)
        try await discoverThreads(search, into: &result)
        return result
    }

    /// The first phase of a guild's discovery (one round trip): the plans of its channels and active threads, its
    /// structure being written meanwhile (``StructureWrites``; ``discoverThreads(_:into:)`` waits for it). The
    /// engine starts fetching them while ``discoverThreads(_:into:)`` lists the archived threads (a round trip or
    /// more per parent channel).
    func discoverChannels(_ guildId: Snowflake<Guild>) async throws -> (Result, ThreadSearch) {
        // Independent look-ups run at once: each route has its own bucket, so this costs one round trip, not eight.
        async let guildRequest = context.client.guild(guildId, withCounts: true)
        async let channelsRequest = context.client.guildChannels(guildId)
        async let rolesRequest = context.client.roles(guildId)
        async let emojisRequest = context.client.emojis(guildId)
        async let stickersRequest = context.client.stickers(guildId)
        async let eventsRequest = context.client.scheduledEvents(guildId, withUserCount: true)
        async let memberRequest = context.client.guildMember(guildId, user: botUser)
        async let activeRequest = context.client.activeThreads(guildId)
        let (guild, channels, roles, emojis, stickers, events) = try await (
            guildRequest, channelsRequest, rolesRequest, emojisRequest, stickersRequest, eventsRequest
        )
        let member = try await memberRequest
        let active = try await activeRequest
        // The structure is written while the channels' first pages are requested: nothing here needs the stored
        // rows, and a channel's pages and segments commit only once they are in (``StructureWrites``).
        let store = context.store
        let snapshot = GuildSnapshot(
            guild: guild, channels: channels, roles: roles, emojis: emojis, stickers: stickers, scheduledEvents: events)
        let activeThreads = active.threads.sorted { $0.value.id < $1.value.id }
        context.structure.start(guildId) {
            try await store.storeGuild(snapshot)
            if !activeThreads.isEmpty { try await store.storeChannels(activeThreads) }
        }
        var result = Result(name: guild.value.name ?? "guild \(guildId)")

        let calculator = PermissionCalculator(
            guildId: guildId, ownerId: guild.value.ownerId, roles: roles.map(\.value))
        let me = calculator.member(
            botUser, roles: member.value.roles,
            isTimedOut: member.value.communicationDisabledUntil?.date.map { $0 > context.now() } ?? false)
        var search = ThreadSearch(
            guildId: guildId, calculator: calculator, me: me,
            byId: Dictionary(channels.map { ($0.value.id, $0.value) }, uniquingKeysWith: { first, _ in first }),
            parents: [], known: [])

        // Channels that hold messages directly.
        for channel in channels.map(\.value).sorted(by: { ($0.position ?? 0, $0.id) < ($1.position ?? 0, $1.id) }) {
            let permissions = calculator.permissions(of: me, in: channel)
            let readable = permissions.isSuperset(of: [.viewChannel, .readMessageHistory])
            if channel.type.hasThreads, permissions.contains(.viewChannel) { search.parents.append(channel) }
            guard Self.readsMessages(of: channel) else {
                if case .unknown(let type) = channel.type, permissions.contains(.viewChannel) {
                    result.notes.append(
                        "\(search.label(channel)) not read: its channel type \(type) is new to Skald and it names no "
                            + "last message")
                }
                continue
            }
            result.channelCount += 1
            if readable {
                result.readable.append(
                    ChannelPlan(
                        channel: channel, guildId: guildId, label: search.label(channel),
                        category: search.category(of: channel)))
            } else {
                result.skippedPlaces[channel.id] = (nil, search.category(of: channel))
                result.skipped.append(
                    .init(
                        channelId: channel.id, label: search.label(channel),
                        reason: Self.skipReason(permissions, channel)))
            }
        }

        // The guild's active threads (the bot's membership comes with them).
        let joined = Set(active.members.compactMap(\.value.id))
        plan(threads: active.threads.map(\.value), joined: joined, search: &search, into: &result)
        return (result, search)
    }

    /// The second phase of a guild's discovery: its archived threads, listed per parent channel (several parents at
    /// once: each is its own rate-limit bucket), stored and planned into `result`; then its members when asked for.
    func discoverThreads(_ search: ThreadSearch, into result: inout Result) async throws {
        var search = search
        var threads: [Snowflake<Channel>: Decoded<Channel>] = [:]
        var joined: Set<Snowflake<Channel>> = []
        let listable = search.parents.filter {
            search.calculator.permissions(of: search.me, in: $0).contains(.readMessageHistory)
        }
        let archivedListing = listable.map {
            (parent: $0, canManage: search.calculator.permissions(of: search.me, in: $0).contains(.manageThreads))
        }
        try await BoundedConcurrency.forEach(archivedListing, width: threadListingWidth) { entry in
            try await archivedThreads(of: entry.parent, canManageThreads: entry.canManage)
        } collect: { _, found in
            for thread in found.threads where !search.known.contains(thread.value.id) {
                threads[thread.value.id] = thread
            }
            joined.formUnion(found.joined)
            for note in found.notes {
                result.notes.append(note.replacingOccurrences(of: "{label}", with: search.label(found.parent)))
            }
        }
        // The guild's structure, written since the first phase, is in before the discovery ends (and its failure
        // is the discovery's).
        try await context.structure.stored(search.guildId)
        if !threads.isEmpty {
            try await context.store.storeChannels(threads.values.sorted { $0.value.id < $1.value.id })
        }
        plan(threads: threads.values.map(\.value), joined: joined, search: &search, into: &result)

        if archiveMembers {
            do {
                var listed: Set<Snowflake<User>> = []
                for try await page in context.client.members(search.guildId) {
                    try await context.store.storeMembers(page, guild: search.guildId, observedAt: context.now())
                    listed.formUnion(page.compactMap { $0.value.user?.id })
                }
                // The listing is complete: who it lacks left (before, they stayed listed for ever).
                try await context.store.markMembersLeft(in: search.guildId, notListed: listed, at: context.now())
            } catch let error as DiscordRESTError where error.code == .missingIntent || error.code == .forbidden {
                result.notes.append("members not archived: enable the GUILD_MEMBERS intent for the bot's application")
            }
        }
    }

    /// Plans the readable ones of `threads` into `result` and records the others as skipped.
    private func plan(
        threads: [Channel], joined: Set<Snowflake<Channel>>, search: inout ThreadSearch, into result: inout Result
    ) {
        for thread in threads.sorted(by: { $0.id < $1.id }) where !search.known.contains(thread.id) {
            search.known.insert(thread.id)
            result.threadCount += 1
            let parent = thread.parentId.flatMap { search.byId[$0] }
            let isMember = joined.contains(thread.id) || thread.member != nil
            let permissions = search.calculator.permissions(
                of: search.me, in: thread, parent: parent, isThreadMember: isMember)
            var plan = ChannelPlan(
                channel: thread, guildId: search.guildId, label: search.label(thread),
                category: search.category(of: thread))
            plan.channel.guildId = plan.channel.guildId ?? search.guildId
            if permissions.isSuperset(of: [.viewChannel, .readMessageHistory]) {
                result.readable.append(plan)
            } else {
                let reason =
                    thread.type == .privateThread && permissions.isEmpty
                    ? "private thread the bot has not joined (needs MANAGE_THREADS)"
                    : Self.skipReason(permissions, thread)
                result.skippedPlaces[thread.id] = (thread.parentId, plan.category)
                result.skipped.append(.init(channelId: thread.id, label: plan.label, reason: reason))
            }
        }
    }

    /// Whether the archiver reads `channel`'s messages: every type known to hold them, and a type Skald does not
    /// know yet (Discord adds types; the reference says to tolerate them) when the channel names a last message, the
    /// mark of a channel that has some. A type that turns out not to answer message requests is skipped
    /// (``ArchiveEngine/reportingFailures(of:_:)``), not failed.
    static func readsMessages(of channel: Channel) -> Bool {
        if case .unknown = channel.type { return channel.lastMessageId != nil }
        return channel.type.holdsMessages
    }

    private static func skipReason(_ permissions: Permissions, _ channel: Channel) -> String {
        if !permissions.contains(.viewChannel) {
            return channel.type.isVoice ? "missing VIEW_CHANNEL or CONNECT" : "missing VIEW_CHANNEL"
        }
        return "missing READ_MESSAGE_HISTORY"
    }

    /// The archived threads of one parent channel, and which of them the bot joined.
    struct ArchivedThreads: Sendable {
        var parent: Channel
        var threads: [Decoded<Channel>] = []
        var joined: Set<Snowflake<Channel>> = []
        /// Why the list is incomplete (`{label}` stands for the parent's label).
        var notes: [String] = []
    }

    private func archivedThreads(of parent: Channel, canManageThreads: Bool) async throws -> ArchivedThreads {
        var found = ArchivedThreads(parent: parent)
        do {
            for try await page in context.client.publicArchivedThreads(in: parent.id) {
                found.threads.append(contentsOf: page.threads)
                if let overflow = page.sameInstantOverflow { found.notes.append(Self.overflowNote(overflow)) }
            }
            let client = context.client
            let privateThreads =
                canManageThreads
                ? client.privateArchivedThreads(in: parent.id) : client.joinedPrivateArchivedThreads(in: parent.id)
            for try await page in privateThreads {
                found.threads.append(contentsOf: page.threads)
                if let overflow = page.sameInstantOverflow { found.notes.append(Self.overflowNote(overflow)) }
                for member in page.members { if let id = member.value.id { found.joined.insert(id) } }
                if !canManageThreads { found.joined.formUnion(page.threads.map(\.value.id)) }
            }
        } catch let error as DiscordRESTError where error.code == .forbidden {
            found.notes.append("archived threads of {label} not listed: \(error.discordMessage ?? "403")")
        }
        return found
    }

    /// The words for archived threads of one instant that no page can reach.
    static func overflowNote(_ overflow: ArchivedThreadCursor.SameInstantOverflow) -> String {
        "archived threads of {label} may be missing: Discord listed \(overflow.listed) threads all archived at "
            + "\(overflow.instant) and said more follow, but it pages archived threads by time only, so threads "
            + "archived in that same instant beyond these \(overflow.listed) cannot be listed (how many, Discord does "
            + "not say)"
    }
}
