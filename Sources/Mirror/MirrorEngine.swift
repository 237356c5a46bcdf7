import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Runs a ``MirrorPlan`` against a Fluxer community or a Discord guild (``MirrorTarget``): roles (created, then
/// hoist/mentionable where creation ignores them, then one reorder), channels in plan order with their role
/// overwrites (on Discord threads too, under their parents; a forum post is started by its first message), one
/// webhook per channel (a thread uses its parent's), then each channel's messages oldest first through its webhook
/// (channels in parallel).
///
/// Crash safety, write by write:
/// - A role, channel or webhook create is preceded by an `intent:<kind>` row and followed by its mapping. A rerun
///   that finds an intent without a mapping looks the object up on the target (by name, type and parent) before
///   creating it, so a kill between the create and its record makes no duplicate.
/// - A message part's mapping is its "sent" mark. A rerun first reads the target channel's latest messages: one
///   posted by the channel's webhook after the last recorded one, with the text of the first unsent part, is
///   that part (the baseline flavour has no nonce de-duplication); the newer flavour's webhook `nonce` also
///   answers a resend with the first copy.
/// - The first write of a bucket waits until the killed run's recent writes (their record times in the archive)
///   leave room (``MirrorWarmStart``): a fresh limiter would otherwise take a spent bucket for a full one.
public struct MirrorEngine: Sendable {
    let store: any MessageStore & MirrorStore
    let target: MirrorTarget
    let logger: Logger
    /// How many channels send at once.
    public var parallelChannels = 8
    /// The current instant (compared with the archive's record times).
    public var now: @Sendable () -> Date = { Date() }
    /// Sleeps for a duration (tests inject a clock).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await ContinuousClock().sleep(for: $0) }
    /// The source's CDN, e.g. `https://cdn.discordapp.com` (emoji and sticker images are fetched from it); nil:
    /// emojis and stickers are not mirrored.
    public var sourceCDN: String?
    /// Where attachments come from and the target's caps on them (nil: attachments are only named in the text).
    public var attachments: MirrorAttachments?
    /// Called after each target write, before it is recorded (tests stop the run there to open a crash window).
    public var afterWrite: (@Sendable (Step) async throws -> Void)?

    /// A write to the target, as ``afterWrite`` sees it.
    public enum Step: Sendable, Hashable {
        /// A role was created for the source role.
        case role(UInt64)
        /// A channel was created for the source channel.
        case channel(UInt64)
        /// A webhook was created for the source channel.
        case webhook(UInt64)
        /// A custom emoji was uploaded for the source emoji.
        case emoji(UInt64)
        /// A sticker was uploaded for the source sticker.
        case sticker(UInt64)
        /// A message part was posted: source channel, source message, part.
        case message(channel: UInt64, id: UInt64, part: Int)
    }

    /// An engine writing to `target` and recording in `store`.
    public init(store: any MessageStore & MirrorStore, target: MirrorTarget, logger: Logger) {
        self.store = store
        self.target = target
        self.logger = logger
    }

    /// Counts of what a run did.
    public struct Result: Sendable, Hashable {
        /// Roles created.
        public var roles = 0
        /// Channels created.
        public var channels = 0
        /// Custom emojis and stickers uploaded.
        public var expressions = 0
        /// Message parts sent.
        public var messages = 0
        /// Objects and message parts found on the target, made by an earlier run that was killed before
        /// recording them.
        public var recovered = 0
    }

    /// Executes `plan`; `progress` receives one line per step.
    public func run(_ plan: MirrorPlan, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> Result
    {
        // Fetches of attachments, emojis and stickers from the source's CDN.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { attachments?.removeTemporaryDirectoryIfEmpty() }
        do {
            let result = try await run(plan, http: http, progress: progress)
            try? await http.shutdown()
            return result
        } catch let error as DiscordRESTError {
            try? await http.shutdown()
            throw Self.stopped(by: error, on: target)
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func run(_ plan: MirrorPlan, http: HTTPClient, progress: @escaping @Sendable (String) -> Void)
        async throws -> Result
    {
        var result = Result()
        // Roles, channels, webhooks, emojis and intents: few. Message parts and pins are read per batch.
        let mappings = try await store.mirrorObjectMappings(target: plan.target)
        // An intent's time: only objects the target made after it (less a margin for clock skew) can be the create
        // it announced, never an older object of the same name (a new community's "general").
        var intents: [String: Date] = [:]
        for mapping in mappings where mapping.kind.hasPrefix("intent:") {
            intents["\(mapping.kind)/\(mapping.sourceId)"] = mapping.createdAt ?? .distantPast
        }
        func intentDates(_ kind: String) -> [Date] {
            mappings.filter { $0.kind == "intent:\(kind)" }.compactMap(\.createdAt)
        }

        // What roles and overwrites may grant on the target (Discord refuses bits the bot lacks).
        let grantable = try await target.grantablePermissions() & target.permissionMask
        if grantable != target.permissionMask {
            progress("permissions the bot lacks on the target are left out of roles and overwrites")
        }

        // Roles.
        var roleIds: [UInt64: UInt64] = [plan.sourceGuild: target.guild]
        var takenRoles = Set(mappings.filter { $0.kind == "role" }.map(\.targetId))
        for role in plan.roles { if let made = role.targetId { roleIds[role.sourceId] = made } }
        var targetRoles: [MirrorTarget.Object]?
        var createdRole = false
        var pacedRoles = false
        // Highest first: each new role lands at position 1, beneath the ones made before (see RoleOrder).
        for role in plan.roles.reversed() where role.targetId == nil {
            try Task.checkCancellation()
            if let since = intents["intent:role/\(role.sourceId)"] {
                if targetRoles == nil { targetRoles = try await target.roles() }
                if let found = Self.newest(
                    in: targetRoles!, taken: takenRoles, since: since, where: { $0.name == role.name })
                {
                    try await record("role", role.sourceId, found.id, plan)
                    if !target.rolesTakeFlagsAtCreation {
                        try await target.updateRole(found.id, hoist: role.hoist, mentionable: role.mentionable)
                    }
                    roleIds[role.sourceId] = found.id
                    takenRoles.insert(found.id)
                    result.recovered += 1
                    createdRole = true
                    progress("role \"\(role.name)\" found on the target (made by an interrupted run)")
                    continue
                }
            }
            if !pacedRoles {
                pacedRoles = true
                try await warmUp(
                    target.service == .discord ? .discordRoleCreate : .roleCreate, recorded: intentDates("role"),
                    unrecorded: 0, what: "role creation",
                    progress: progress)
            }
            try await record("intent:role", role.sourceId, 0, plan)
            let id = try await target.createRole(
                name: role.name, color: role.color, permissions: role.permissions & grantable, hoist: role.hoist,
                mentionable: role.mentionable)
            try await afterWrite?(.role(role.sourceId))
            try await record("role", role.sourceId, id, plan)
            if !target.rolesTakeFlagsAtCreation && (role.hoist || role.mentionable) {
                try await target.updateRole(id, hoist: role.hoist, mentionable: role.mentionable)
            }
            roleIds[role.sourceId] = id
            takenRoles.insert(id)
            result.roles += 1
            createdRole = true
            progress("role \"\(role.name)\" created")
        }
        if createdRole {
            let positions = Dictionary(
                try await target.roles().map { ($0.id, $0.position) }, uniquingKeysWith: { first, _ in first })
            try await target.reorderRoles(
                RoleOrder.moves(wantedLowestFirst: plan.roles.compactMap { roleIds[$0.sourceId] }, positions: positions)
            )
        }

        // Custom emojis and stickers.
        let expressions = try await mirrorExpressions(plan, mappings: mappings, http: http, progress: progress)
        result.expressions = expressions.made
        result.recovered += expressions.recovered

        // Channels.
        var channelIds: [UInt64: UInt64] = [:]
        var takenChannels = Set(mappings.filter { $0.kind == "channel" }.map(\.targetId))
        /// Makes a channel or thread (`what`) through `make`, its intent recorded first (a run that stops between
        /// the two finds it again by name), and notes its id.
        func create(_ channel: MirrorPlan.ChannelItem, _ what: String, _ make: () async throws -> UInt64) async throws {
            try await record("intent:channel", channel.sourceId, 0, plan)
            let id = try await make()
            try await afterWrite?(.channel(channel.sourceId))
            try await record("channel", channel.sourceId, id, plan)
            channelIds[channel.sourceId] = id
            takenChannels.insert(id)
            result.channels += 1
            progress("\(what) \"\(channel.name)\" created")
        }
        for channel in plan.channels { if let made = channel.targetId { channelIds[channel.sourceId] = made } }
        var targetChannels: [MirrorTarget.Object]?
        var targetThreads: [MirrorTarget.Object]?
        var pacedChannels = false
        var botAccess: UInt64?
        // Fluxer [N] has announcement channels (fluxer-api.md §3.2: "[N] adds 5"): "try 5, on 400 use 0" (§6).
        var fluxerAnnouncements =
            target.service == .fluxer && plan.channels.contains { $0.sourceType == 5 && $0.targetId == nil }
            ? try await target.runsNewerFluxer() : false
        let types = Dictionary(plan.channels.map { ($0.sourceId, $0.type) }, uniquingKeysWith: { first, _ in first })
        for channel in plan.channels where channel.targetId == nil {
            try Task.checkCancellation()
            let parent = channel.parentSourceId.flatMap { channelIds[$0] }
            let isThread = target.keepsChannelTypes && Self.threadTypes.contains(channel.type)
            // An announcement channel planned as text is tried as one where Fluxer [N] may have the type (§6).
            let announcement = channel.sourceType == 5 && channel.type == 0 && fluxerAnnouncements
            if let since = intents["intent:channel/\(channel.sourceId)"] {
                let listed: [MirrorTarget.Object]
                if isThread {
                    if targetThreads == nil { targetThreads = try await target.activeThreads() }
                    listed = targetThreads!
                } else {
                    if targetChannels == nil { targetChannels = try await target.channels() }
                    listed = targetChannels!
                }
                let name = channel.name
                let type = channel.type
                if let found = Self.newest(
                    in: listed, taken: takenChannels, since: since,
                    where: {
                        Self.sameName($0.name, name, type: type)
                            && (isThread || $0.type == type || (announcement && $0.type == 5))
                            && $0.parentId == parent
                    })
                {
                    try await record("channel", channel.sourceId, found.id, plan)
                    channelIds[channel.sourceId] = found.id
                    takenChannels.insert(found.id)
                    result.recovered += 1
                    progress("channel \"\(channel.name)\" found on the target (made by an interrupted run)")
                    continue
                }
            }
            if isThread {
                // A forum post is started by its first message (a webhook post with `thread_name`).
                if channel.parentSourceId.flatMap({ types[$0] }).map(Self.forumTypes.contains) == true { continue }
                guard let parent else {
                    progress("thread \"\(channel.name)\" skipped: its channel is not mirrored")
                    continue
                }
                try await create(channel, "thread") {
                    try await target.createThread(
                        parent: parent, name: channel.name, type: channel.type, slowmode: channel.slowmode)
                }
                continue
            }
            if !pacedChannels {
                pacedChannels = true
                try await warmUp(
                    target.service == .discord ? .discordChannelCreate : .channelCreate,
                    recorded: intentDates("channel"), unrecorded: 0, what: "channel creation",
                    progress: progress)
            }
            var overwrites: [[String: Any]] = channel.roleOverwrites.compactMap { overwrite in
                guard let role = roleIds[overwrite.roleId] else { return nil }
                return [
                    "id": String(role), "type": 0, "allow": String(overwrite.allow & grantable),
                    "deny": String(overwrite.deny & grantable),
                ]
            }
            // A bot without ADMINISTRATOR would lock itself out of a private copy: it keeps its own access.
            if !overwrites.isEmpty && grantable != .max {
                if botAccess == nil { botAccess = try await target.botUserId() }
                overwrites.append([
                    "id": String(botAccess!), "type": 1, "allow": String(Self.botAccessBits & grantable), "deny": "0",
                ])
            }
            try await create(channel, "channel") {
                if announcement {
                    do {
                        return try await target.createChannel(
                            name: channel.name, type: 5, topic: channel.topic, parent: parent, overwrites: overwrites)
                    } catch let error as DiscordRESTError where error.code == .badRequest {
                        // This instance has no announcement type (400 INVALID_FORM_BODY): a text channel (§6).
                        fluxerAnnouncements = false
                    }
                }
                // On Discord the NSFW flag and slowmode come with the channel (the planner sets them only there).
                return try await target.createChannel(
                    name: channel.name, type: channel.type, topic: channel.topic, parent: parent,
                    overwrites: overwrites, nsfw: target.service == .discord && channel.nsfw,
                    slowmode: target.service == .discord ? channel.slowmode : 0)
            }
        }

        // Webhooks: one per channel holding messages (a thread posts through its parent's), made one at a time.
        let formatter = MirrorMessageFormatter(channels: channelIds, roles: roleIds, emojis: expressions.emojis)
        let nativeReplies = try await target.keepsReplies()
        let work = plan.channels.filter {
            ($0.pendingMessages > 0 || $0.pendingPins > 0) && Self.takesMessages($0.type, on: target)
        }
        let webhooks = try await ensureWebhooks(
            for: work, channels: channelIds, mappings: mappings, plan: plan, progress: progress)
        result.recovered += webhooks.recovered

        // Messages.
        var media = attachments
        // Fluxer [B] webhooks take JSON only (fluxer-api.md §3.5): its files are linked.
        if target.service == .fluxer && !nativeReplies { media?.uploadsAllowed = false }
        let uploads = media.map { (attachments: $0, http: http) }
        // Stickers ride as `sticker_ids` where the target's webhooks take them (Fluxer [N], §3.5), else named:
        // Discord's webhooks take none (the OpenAPI spec's `IncomingWebhookRequestPartial`; Discord ignores the field
        // and refuses a message of stickers alone as empty), so on Discord the re-uploaded copies are named.
        let stickers = nativeReplies && target.service == .fluxer ? expressions.stickers : [:]
        let counts = try await sendAll(
            work, channels: channelIds, webhooks: webhooks.made, forumPosts: forumPostIDs(plan), formatter: formatter,
            nativeReplies: nativeReplies, stickers: stickers, uploads: uploads, plan: plan, progress: progress)
        result.messages = counts.sent
        result.recovered += counts.recovered

        // NSFW and slowmode last, once every message and pin is in: Fluxer takes neither at creation, and once a
        // text channel is NSFW it refuses the bot every call there (reads, webhooks, pins; fluxer-api.md §3.2). A
        // channel that had work this run gets them again (its owner may have lifted NSFW so the run could finish).
        let worked = Set(work.map(\.sourceId))
        for channel in plan.channels where target.service == .fluxer && (channel.nsfw || channel.slowmode > 0) {
            guard channel.needsSettings || worked.contains(channel.sourceId),
                let id = channelIds[channel.sourceId]
            else { continue }
            try Task.checkCancellation()
            try await target.updateChannelSettings(id, nsfw: channel.nsfw, slowmode: channel.slowmode)
            try await record(Self.settingsKind, channel.sourceId, id, plan)
            progress(
                "channel \"\(channel.name)\": "
                    + [channel.nsfw ? "NSFW" : nil, channel.slowmode > 0 ? "slowmode \(channel.slowmode) s" : nil]
                    .compactMap { $0 }.joined(separator: ", ") + " set")
        }
        return result
    }

    /// The mapping kind recording that a channel's NSFW flag and slowmode were set on the target.
    static let settingsKind = "settings"

    /// What the bot keeps in a channel it copies with overwrites (VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS,
    /// ATTACH_FILES, READ_MESSAGE_HISTORY, CONNECT, MANAGE_WEBHOOKS, CREATE_PUBLIC_THREADS,
    /// CREATE_PRIVATE_THREADS, SEND_MESSAGES_IN_THREADS, PIN_MESSAGES), masked with what it may grant.
    static let botAccessBits: UInt64 =
        1 << 10 | 1 << 11 | 1 << 14 | 1 << 15 | 1 << 16 | 1 << 20 | 1 << 29 | 1 << 35 | 1 << 36 | 1 << 38 | 1 << 51

    /// Thread types (10 announcement, 11 public, 12 private).
    static let threadTypes: Set<Int> = [10, 11, 12]
    /// Forum and media channels (their threads are posts).
    static let forumTypes: Set<Int> = [15, 16]

    /// Whether a planned channel of `type` receives messages on `target`: text only on Fluxer (the planner made
    /// every message channel text, §6); on Discord every type that holds messages (text, voice chat,
    /// announcement, stage chat, threads and forum posts).
    public static func takesMessages(_ type: Int, on target: MirrorTarget) -> Bool {
        target.keepsChannelTypes ? [0, 2, 5, 10, 11, 12, 13].contains(type) : type == 0
    }

    /// The source channel whose webhook posts `channel`'s messages: a thread's parent on a target that keeps
    /// threads, else the channel itself.
    public static func webhookHost(of channel: MirrorPlan.ChannelItem, on target: MirrorTarget) -> UInt64 {
        guard target.keepsChannelTypes, threadTypes.contains(channel.type), let parent = channel.parentSourceId
        else { return channel.sourceId }
        return parent
    }

    /// Whether two channel names are the same channel's: equal, or for text and announcement channels equal once
    /// normalised as Fluxer and Discord do (lowercased, spaces to dashes, §3.2).
    static func sameName(_ found: String, _ planned: String, type: Int) -> Bool {
        found == planned
            || ([0, 5].contains(type)
                && MirrorTarget.normalisedTextName(found) == MirrorTarget.normalisedTextName(planned))
    }

    /// The source threads of `plan` that are forum posts on a target that keeps threads (started by their first
    /// message).
    public func forumPostIDs(_ plan: MirrorPlan) -> Set<UInt64> {
        guard target.keepsChannelTypes else { return [] }
        let types = Dictionary(plan.channels.map { ($0.sourceId, $0.type) }, uniquingKeysWith: { first, _ in first })
        return Set(
            plan.channels.filter {
                Self.threadTypes.contains($0.type)
                    && $0.parentSourceId.flatMap { types[$0] }.map(Self.forumTypes.contains) == true
            }.map(\.sourceId))
    }

    /// Finds or makes the webhook of each channel of `work` that posts messages (a thread's is its parent's): a
    /// recorded one; one an interrupted run made after its `intent:webhook` (found by name); else a new one, the
    /// intent recorded before the create and the webhook after.
    private func ensureWebhooks(
        for work: [MirrorPlan.ChannelItem], channels channelIds: [UInt64: UInt64], mappings: [MirrorMapping],
        plan: MirrorPlan, progress: @Sendable (String) -> Void
    ) async throws -> (made: [UInt64: Webhook], recovered: Int) {
        var made: [UInt64: Webhook] = [:]
        var intents: [UInt64: Date] = [:]
        for mapping in mappings {
            if mapping.kind == "webhook", let token = mapping.extra {
                made[mapping.sourceId] = Webhook(id: mapping.targetId, token: token)
            } else if mapping.kind == "intent:webhook" {
                intents[mapping.sourceId] = mapping.createdAt ?? .distantPast
            }
        }
        var recovered = 0
        for channel in work {
            try Task.checkCancellation()
            let host = Self.webhookHost(of: channel, on: target)
            guard made[host] == nil, let targetChannel = channelIds[host] else { continue }
            if let since = intents[host] {
                let listed = try await target.webhooks(channel: targetChannel)
                if let found = Self.newest(in: listed, taken: [], since: since, where: { $0.name == Self.webhookName }),
                    let token = found.token
                {
                    try await store.recordMirrorMapping(
                        MirrorMapping(
                            target: plan.target, kind: "webhook", sourceId: host, targetId: found.id, extra: token))
                    made[host] = Webhook(id: found.id, token: token)
                    recovered += 1
                    progress("channel \"\(channel.name)\": webhook found on the target (made by an interrupted run)")
                    continue
                }
            }
            try await store.recordMirrorMapping(
                MirrorMapping(target: plan.target, kind: "intent:webhook", sourceId: host, targetId: 0))
            let hook = try await target.createWebhook(channel: targetChannel, name: Self.webhookName)
            try await afterWrite?(.webhook(host))
            try await store.recordMirrorMapping(
                MirrorMapping(
                    target: plan.target, kind: "webhook", sourceId: host, targetId: hook.id, extra: hook.token))
            made[host] = Webhook(id: hook.id, token: hook.token)
        }
        return (made, recovered)
    }

    /// The mapping kind of a webhook deleted on the target (source id: the webhook's id, target id: the channel
    /// hosting it): its copies remain the channel's for the resume read and `mirror verify`.
    static let retiredWebhookKind = "webhook:retired"

    /// Whether `error` is the target's answer to a webhook that no longer exists (Fluxer `UNKNOWN_WEBHOOK`,
    /// fluxer-api.md §4; Discord 10015).
    static func isUnknownWebhook(_ error: DiscordRESTError) -> Bool {
        error.code == .notFound && (error.errorCodeName == "UNKNOWN_WEBHOOK" || error.discordCode == 10015)
    }

    /// Records `webhook` as deleted: its mapping loses its token (``ensureWebhooks`` then makes a new one) and a
    /// ``retiredWebhookKind`` row keeps it as one of `host`'s webhooks.
    private func retireWebhook(_ webhook: UInt64, host: UInt64, plan: MirrorPlan) async throws {
        try await store.recordMirrorMapping(
            MirrorMapping(target: plan.target, kind: Self.retiredWebhookKind, sourceId: webhook, targetId: host))
        try await store.recordMirrorMapping(
            MirrorMapping(target: plan.target, kind: "webhook", sourceId: host, targetId: webhook, extra: nil))
    }

    /// A webhook of the target.
    struct Webhook: Sendable, Hashable {
        var id: UInt64
        var token: String
    }

    /// Sends the messages of `work`'s channels, `parallelChannels` at a time.
    private func sendAll(
        _ work: [MirrorPlan.ChannelItem], channels channelMap: [UInt64: UInt64], webhooks: [UInt64: Webhook],
        forumPosts: Set<UInt64>, formatter: MirrorMessageFormatter, nativeReplies: Bool, stickers: [UInt64: UInt64],
        uploads: (attachments: MirrorAttachments, http: HTTPClient)?, plan: MirrorPlan,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> (sent: Int, recovered: Int) {
        // When each webhook's recent writes were recorded (a thread writes through its parent's webhook, so they
        // share one bucket): what a rerun's first write on it waits for.
        // Every channel on a webhook counts, those with nothing left to send too (a thread the earlier run
        // finished just before it was killed spent the bucket its parent now writes on).
        var hostSends: [UInt64: [Date]] = [:]
        var hostChannels: [UInt64: Int] = [:]
        for channel in work { hostChannels[Self.webhookHost(of: channel, on: target), default: 0] += 1 }
        for channel in plan.channels where hostChannels[Self.webhookHost(of: channel, on: target)] != nil {
            let kind = Self.messageKind(channel: channel.sourceId)
            hostSends[Self.webhookHost(of: channel, on: target), default: []] +=
                try await store.latestMirrorMappings(target: plan.target, kind: kind, limit: 120).compactMap(
                    \.createdAt)
        }
        let recentSends = hostSends
        // An earlier run had up to one write in flight per channel it was sending on a webhook.
        let inFlight = hostChannels.mapValues { min($0, max(1, parallelChannels)) }
        let gate = MirrorFirstWriteGate()
        return try await withThrowingTaskGroup(of: (sent: Int, recovered: Int).self) { group in
            var next = 0
            var total = (sent: 0, recovered: 0)
            func add() {
                while next < work.count {
                    let channel = work[next]
                    next += 1
                    guard let webhook = webhooks[Self.webhookHost(of: channel, on: target)] else {
                        progress("channel \"\(channel.name)\" skipped: its channel on the target is not mirrored")
                        continue
                    }
                    group.addTask {
                        try await sendMessages(
                            of: channel, into: channelMap[channel.sourceId], webhook: webhook,
                            forumPost: forumPosts.contains(channel.sourceId), formatter: formatter,
                            nativeReplies: nativeReplies, stickers: stickers,
                            recentSends: recentSends[Self.webhookHost(of: channel, on: target)] ?? [],
                            unrecordedSends: inFlight[Self.webhookHost(of: channel, on: target)] ?? 1, gate: gate,
                            uploads: uploads, plan: plan, progress: progress)
                    }
                    return
                }
            }
            for _ in 0..<parallelChannels { add() }
            while let count = try await group.next() {
                total.sent += count.sent
                total.recovered += count.recovered
                add()
            }
            return total
        }
    }

    /// One part of one message (messages are identified by channel and id: a thread's starter message has
    /// the id of the parent channel's message).
    struct MessagePart: Hashable {
        var channel: UInt64
        var id: UInt64
        var part: Int
    }

    /// One message of one source channel.
    struct MessageKey: Hashable {
        var channel: UInt64
        var id: UInt64
    }

    /// What earlier runs left for one source channel.
    struct ChannelState: Sendable {
        var sent: Set<MessagePart> = []
        /// The highest target message id recorded.
        var lastTargetId: UInt64 = 0
        /// Source message id → target id of its first part.
        var targets: [UInt64: UInt64] = [:]
        /// Source messages whose copy was pinned.
        var pinned: Set<UInt64> = []
    }

    /// The mapping kind of a message of `channel`: `message:<source channel id>`.
    static func messageKind(channel: UInt64) -> String { "message:\(channel)" }

    /// The source channel of a message mapping's kind, or nil for other kinds.
    static func messageChannel(of kind: String) -> UInt64? {
        guard kind.hasPrefix("message:") else { return nil }
        return UInt64(kind.dropFirst("message:".count))
    }

    private func sendMessages(
        of channel: MirrorPlan.ChannelItem, into mappedChannel: UInt64?, webhook: Webhook, forumPost: Bool,
        formatter: MirrorMessageFormatter, nativeReplies: Bool, stickers stickerCopies: [UInt64: UInt64],
        recentSends: [Date], unrecordedSends: Int, gate: MirrorFirstWriteGate,
        uploads: (attachments: MirrorAttachments, http: HTTPClient)?, plan: MirrorPlan,
        progress: @Sendable (String) -> Void
    ) async throws -> (sent: Int, recovered: Int) {
        var state = ChannelState()
        var recovered = 0
        let kind = Self.messageKind(channel: channel.sourceId)
        // The last records of this channel: the highest copy recorded.
        for mapping in try await store.latestMirrorMappings(target: plan.target, kind: kind, limit: 120) {
            state.lastTargetId = max(state.lastTargetId, mapping.targetId)
        }
        // A forum post not started yet has no channel: its first message makes it.
        var targetChannel = mappedChannel
        guard targetChannel != nil || forumPost else { return (0, 0) }
        // A thread's messages go through its parent's webhook (`?thread_id=`, Discord).
        let inThread = target.keepsChannelTypes && Self.threadTypes.contains(channel.type)
        let webhookId = webhook.id
        let token = webhook.token
        // Messages our webhook posted after the last recorded one: sent by a killed run, never recorded.
        var unrecorded: [MirrorTarget.SentMessage] = []
        if let targetChannel {
            unrecorded = try await target.latestMessages(channel: targetChannel).filter {
                $0.webhookId == webhookId && $0.id > state.lastTargetId
            }
        }
        var count = 0
        var paced = false
        var after = plan.messageCursor
        while true {
            try Task.checkCancellation()
            let batch = try await store.messages(in: Snowflake(channel.sourceId), after: after, limit: 200)
            guard let first = batch.first, let last = batch.last else { break }
            after = last.id
            // What earlier runs recorded for this batch (the map is read per batch, never whole).
            let range = first.id.rawValue...last.id.rawValue
            state.sent = []
            state.targets = [:]
            for mapping in try await store.mirrorMappings(target: plan.target, kind: kind, sourceIds: range) {
                state.sent.insert(MessagePart(channel: channel.sourceId, id: mapping.sourceId, part: mapping.part))
                if mapping.part == 0 { state.targets[mapping.sourceId] = mapping.targetId }
            }
            state.pinned = Set(
                try await store.mirrorMappings(
                    target: plan.target, kind: "pin:\(channel.sourceId)", sourceIds: range
                ).map(\.sourceId))
            for stored in batch where stored.deletedAt == nil {
                var message = MirrorSourceMessage(
                    id: stored.id.rawValue, timestamp: stored.timestamp.date ?? Date(timeIntervalSince1970: 0),
                    content: stored.content, json: stored.json)
                // Files ride with the message's last part; those that cannot are linked in its text.
                var choice = MirrorAttachments.Choice()
                if let uploads, !message.attachmentNames.isEmpty {
                    choice = uploads.attachments.choose(
                        try await store.attachments(of: stored.id, in: Snowflake(channel.sourceId)))
                    message.attachmentNames = choice.linked
                    message.uploadCount = choice.uploads.count
                }
                let stickers = message.sendStickers(copies: stickerCopies)
                var replyTarget: UInt64?
                if nativeReplies, let reply = message.replyToId {
                    if let known = state.targets[reply] {
                        replyTarget = known
                    } else if reply < first.id.rawValue {
                        // A reply to a message of an earlier batch: its copy looked up alone.
                        replyTarget = try await store.mirrorMappings(
                            target: plan.target, kind: kind, sourceIds: reply...reply
                        ).first { $0.part == 0 }?.targetId
                    }
                }
                let parts = formatter.parts(of: message, nativeReply: replyTarget != nil)
                for (index, formatted) in parts.enumerated()
                where !state.sent.contains(MessagePart(channel: channel.sourceId, id: message.id, part: index)) {
                    var text = formatted
                    if let first = unrecorded.first {
                        unrecorded.removeFirst()
                        if first.content == text {
                            try await store.recordMirrorMapping(
                                MirrorMapping(
                                    target: plan.target, kind: kind, sourceId: message.id, part: index,
                                    targetId: first.id))
                            if index == 0 { state.targets[message.id] = first.id }
                            recovered += 1
                            continue
                        }
                        unrecorded = []
                    }
                    var fetched: [MirrorAttachments.Fetched] = []
                    if let uploads, index == parts.count - 1, !choice.uploads.isEmpty {
                        let result = await uploads.attachments.fetch(choice.uploads, http: uploads.http)
                        fetched = result.files
                        for line in result.failed where text.count + line.count + 4 <= formatter.limit {
                            text += "\n📎 \(line)"
                        }
                    }
                    let files = fetched
                    defer { uploads?.attachments.discard(files) }
                    // The first write of the run on this webhook goes alone, after the warm start's wait; the
                    // others on the webhook follow once its answer told the limiter what is left of the bucket.
                    var holdsGate = false
                    if !paced {
                        paced = true
                        holdsGate = await gate.enter(webhookId)
                    }
                    let id: UInt64
                    do {
                        if holdsGate {
                            try await warmUp(
                                target.service == .discord ? .discordWebhookExecute : .webhookExecute,
                                recorded: recentSends, unrecorded: unrecordedSends,
                                what: "channel \"\(channel.name)\"'s webhook", progress: progress)
                        }
                        try Task.checkCancellation()
                        if let channelId = targetChannel {
                            id = try await target.execute(
                                webhook: webhookId, token: token, content: text, username: message.authorName,
                                avatarURL: message.avatarURL, nonce: "\(message.id)-\(index)",
                                replyTo: index == 0 ? replyTarget : nil, files: fetched.map(\.file),
                                thread: inThread ? channelId : nil,
                                stickers: index == parts.count - 1 ? stickers : [])
                            try await afterWrite?(.message(channel: channel.sourceId, id: message.id, part: index))
                        } else {
                            // The forum post starts with this part: its thread is a channel made by this write.
                            try await store.recordMirrorMapping(
                                MirrorMapping(
                                    target: plan.target, kind: "intent:channel", sourceId: channel.sourceId,
                                    targetId: 0))
                            let post = try await target.startForumPost(
                                webhook: webhookId, token: token, title: channel.name, content: text,
                                username: message.authorName, avatarURL: message.avatarURL,
                                files: fetched.map(\.file))
                            try await afterWrite?(.message(channel: channel.sourceId, id: message.id, part: index))
                            try await store.recordMirrorMapping(
                                MirrorMapping(
                                    target: plan.target, kind: "channel", sourceId: channel.sourceId,
                                    targetId: post.thread))
                            targetChannel = post.thread
                            id = post.message
                            progress("forum post \"\(channel.name)\" created")
                        }
                    } catch let error as DiscordRESTError where Self.isUnknownWebhook(error) {
                        if holdsGate { await gate.leave(webhookId) }
                        // Deleted on the target (by a moderator, or with its channel's webhooks): nothing was posted.
                        // Retire it (its copies stay the channel's) so the next plan makes a new one, then go on.
                        try await retireWebhook(webhookId, host: Self.webhookHost(of: channel, on: target), plan: plan)
                        progress(
                            "channel \"\(channel.name)\": its webhook was deleted on the target; a new one is made")
                        throw error
                    } catch {
                        if holdsGate { await gate.leave(webhookId) }
                        throw error
                    }
                    if holdsGate { await gate.leave(webhookId) }
                    try await store.recordMirrorMapping(
                        MirrorMapping(target: plan.target, kind: kind, sourceId: message.id, part: index, targetId: id))
                    if index == 0 { state.targets[message.id] = id }
                    count += 1
                }
                // Pins: idempotent on the target, recorded after; a rerun pins again what was not recorded.
                if message.pinned, !state.pinned.contains(message.id), let copy = state.targets[message.id],
                    let targetChannel
                {
                    try await target.pin(channel: targetChannel, message: copy)
                    try await store.recordMirrorMapping(
                        MirrorMapping(
                            target: plan.target, kind: "pin:\(channel.sourceId)", sourceId: message.id, targetId: copy))
                    state.pinned.insert(message.id)
                }
            }
        }
        progress("channel \"\(channel.name)\": \(count) messages sent")
        return (count, recovered)
    }

    /// How far the target's clock may be behind ours when its snowflakes are compared with our intents.
    static let clockSkew: TimeInterval = 10

    /// The newest object of `objects` that matches and is not mapped to another source object yet.
    static func newest(
        in objects: [MirrorTarget.Object], taken: Set<UInt64>, since: Date,
        where matches: (MirrorTarget.Object) -> Bool
    ) -> MirrorTarget.Object? {
        var best: MirrorTarget.Object?
        let earliest = since.addingTimeInterval(-clockSkew)
        for object in objects where !taken.contains(object.id) && matches(object) {
            guard MirrorTarget.creationDate(of: object.id) >= earliest else { continue }
            if object.id > best?.id ?? 0 { best = object }
        }
        return best
    }

    /// The name of the mirror's webhooks (how a rerun recognises its own).
    public static let webhookName = "Skald mirror"

    /// Waits before the first write of a run on a bucket an earlier run may have spent.
    private func warmUp(
        _ limit: MirrorWarmStart.Limit, recorded: [Date], unrecorded: Int, what: String,
        progress: @Sendable (String) -> Void
    ) async throws {
        let start = now()
        let earliest = MirrorWarmStart(limit: limit, unrecorded: unrecorded).earliestSend(
            recorded: recorded, now: start)
        let wait = earliest.timeIntervalSince(start)
        guard wait > 0 else { return }
        logger.info(
            "waiting for a rate limit spent by an earlier run",
            metadata: ["bucket": "\(what)", "seconds": "\(Int(wait.rounded(.up)))"])
        progress("wait \(Int(wait.rounded(.up))) s: \(what) (rate limit spent by an earlier run)")
        try await sleep(.milliseconds(Int64((wait * 1000).rounded(.up))))
    }

    private func record(_ kind: String, _ source: UInt64, _ targetId: UInt64, _ plan: MirrorPlan) async throws {
        try await store.recordMirrorMapping(
            MirrorMapping(target: plan.target, kind: kind, sourceId: source, targetId: targetId))
    }
}
