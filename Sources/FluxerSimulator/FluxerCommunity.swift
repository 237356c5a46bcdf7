import Foundation

/// The state of a fake Fluxer: one community (the test token's guild, owner installed the bot with
/// ADMINISTRATOR), its roles, channels, overwrites, webhooks and messages, plus request statistics.
actor FluxerCommunity {
    /// A role (fluxer-api.md §3.3).
    struct Role: Sendable {
        var id: UInt64
        var name: String
        var color: Int
        var position: Int
        var permissions: UInt64
        var hoist = false
        var mentionable = false
    }

    /// A permission overwrite.
    struct Overwrite: Sendable {
        var id: UInt64
        var type: Int
        var allow: UInt64
        var deny: UInt64
    }

    /// A channel (fluxer-api.md §3.2).
    struct Channel: Sendable {
        var id: UInt64
        var type: Int
        var name: String
        var topic: String?
        var parentId: UInt64?
        var position: Int
        var nsfw = false
        /// Slowmode in seconds (`rate_limit_per_user`; text only, set by PATCH, §3.2).
        var slowmode = 0
        var overwrites: [Overwrite] = []
    }

    /// A webhook (fluxer-api.md §3.5).
    struct Webhook: Sendable {
        var id: UInt64
        var channelId: UInt64
        var name: String
        var token: String
    }

    /// An uploaded file of a message (its bytes are not kept).
    struct Attachment: Sendable {
        var id: UInt64 = 0
        var filename: String
        var size: Int
        var sha256: String
        var contentType: String?
        var description: String?
    }

    /// A message (fluxer-api.md §3.6).
    struct Message: Sendable {
        var id: UInt64
        var channelId: UInt64
        var content: String
        var username: String
        var avatarURL: String?
        var webhookId: UInt64?
        var nonce: String?
        var replyTo: UInt64?
        var type: Int
        var timestamp: Date
        var pinned = false
        var attachments: [Attachment] = []
        /// Guild stickers sent with it (`sticker_ids`, §3.6).
        var stickerIds: [UInt64] = []
    }

    /// `ALL_PERMISSIONS` of [B] (fluxer-api.md §3.3).
    static let allPermissions: UInt64 = 15_772_633_886_359_551
    /// ADMINISTRATOR.
    static let administrator: UInt64 = 1 << 3

    let guildId: UInt64
    let guildName: String
    let botUserId: UInt64
    let ownerId: UInt64
    private(set) var roles: [Role] = []
    var channels: [Channel] = []
    private(set) var webhooks: [UInt64: Webhook] = [:]
    private(set) var messages: [UInt64: [Message]] = [:]
    /// Custom emojis (fluxer-api.md §3.4), oldest first.
    var emojis: [Emoji] = []
    /// Guild stickers (§3.4), oldest first.
    var stickers: [Sticker] = []
    /// The configuration (caps of the expression rules).
    let configuration: FluxerSimulatorConfiguration
    /// The bot's role (made at install, §1).
    let botRoleId: UInt64
    /// Positions locks held by reorders in progress.
    var heldLocks: Set<String> = []
    /// Forced answers still to give (§7 item 5).
    var forcedBucket = 0
    var forcedGlobal = 0
    var forcedLocks = 0
    private var sequence: UInt64 = 0
    private var requests = 0
    private var byRoute: [String: Int] = [:]
    private var rateLimitedUser = 0
    private var rateLimitedGlobal = 0
    private var invalidRequests = 0
    private var limits: FluxerRateLimits
    private var requestLog: [[String: Any]] = []
    private var nonces: [String: (channel: UInt64, at: Date)] = [:]

    init(configuration: FluxerSimulatorConfiguration) {
        limits = FluxerRateLimits(globalPerSecond: configuration.globalPerSecond)
        self.configuration = configuration
        guildName = configuration.guildName
        // The community existed before the bot was installed: its snowflakes (and its default channels') date from a
        // day before the simulator started.
        let created = Date().addingTimeInterval(-86_400)
        let base = UInt64(created.timeIntervalSince1970 * 1000 - 1_420_070_400_000) << 22
        guildId = base | 1
        ownerId = base | 2
        botUserId = base | 3
        botRoleId = base | 4
        // A new community (§3.1): @everyone, the bot's role at position 1 with ADMINISTRATOR (§1, bot install).
        roles = [
            Role(id: guildId, name: "@everyone", color: 0, position: 0, permissions: 0x6_0000_0000 | 1_115_712),
            Role(id: base | 4, name: "Skald", color: 0, position: 1, permissions: Self.administrator),
        ]
        channels = [
            Channel(id: base | 5, type: 4, name: "Text Channels", parentId: nil, position: 1),
            Channel(id: base | 6, type: 0, name: "general", parentId: base | 5, position: 2),
            Channel(id: base | 7, type: 4, name: "Voice Channels", parentId: nil, position: 3),
            Channel(id: base | 8, type: 2, name: "General", parentId: base | 7, position: 4),
        ]
        sequence = 16
    }

    /// A server-made snowflake (epoch 1420070400000, sequence in the low bits).
    func nextId() -> UInt64 {
        sequence = (sequence + 1) & 0xFFF
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000 - 1_420_070_400_000))
        return (millis << 22) | (1 << 12) | sequence
    }

    // MARK: Statistics and limits

    /// Counts a request on `route` (a template such as `POST /channels/{id}/messages`).
    func count(route: String) {
        requests += 1
        byRoute[route, default: 0] += 1
    }

    /// Logs an answered request (§7 item 29: order, bodies' sizes and retries can be asserted).
    /// The path's ids, never a webhook token.
    func log(route: String, ids: [String], status: Int, bodyBytes: Int) {
        if requestLog.count >= 100_000 { requestLog.removeFirst(50_000) }
        requestLog.append(["route": route, "ids": ids, "status": status, "bodyBytes": bodyBytes])
    }

    /// The request log as JSON (`GET /__fluxer/requests`), oldest first.
    func requestLogData() -> Data {
        (try? JSONSerialization.data(withJSONObject: requestLog, options: [.sortedKeys])) ?? Data("[]".utf8)
    }

    /// [B] nonces (§3.6): remembered 5 minutes per account; reused in another channel → 404 `UNKNOWN_MESSAGE`, in
    /// the same channel a duplicate (the lookup never returns the old message).
    func checkBaselineNonce(_ nonce: String?, channel: UInt64, now: Date) throws(FluxerError) {
        guard let nonce else { return }
        nonces = nonces.filter { now.timeIntervalSince($0.value.at) < 300 }
        if let seen = nonces[nonce], seen.channel != channel {
            throw FluxerError(404, "UNKNOWN_MESSAGE", "Unknown message")
        }
        nonces[nonce] = (channel, now)
    }

    /// Counts a forced 429 in the statistics of its scope.
    func countForced(global: Bool) {
        if global { rateLimitedGlobal += 1 } else { rateLimitedUser += 1 }
    }

    /// Counts an invalid (401/403/429) answer.
    func countInvalid() { invalidRequests += 1 }

    /// Applies the rate limits.
    func admit(token: String, key: String, limit: FluxerRateLimits.Limit, now: Double) -> FluxerRateLimits.Verdict {
        let verdict = limits.admit(token: token, key: key, limit: limit, now: now)
        switch verdict {
        case .bucketLimited: rateLimitedUser += 1
        case .globalLimited: rateLimitedGlobal += 1
        case .allowed: break
        }
        return verdict
    }

    /// `/__fluxer/stats` as JSON.
    func statsData() -> Data {
        let stats: [String: Any] = [
            "requests": requests, "byRoute": byRoute,
            "rateLimited": ["user": rateLimitedUser, "global": rateLimitedGlobal],
            "invalidRequests": invalidRequests,
        ]
        return (try? JSONSerialization.data(withJSONObject: stats, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// Requests per route template.
    func requestsByRoute() -> [String: Int] { byRoute }

    /// 429s answered: (bucket, global).
    func rateLimitedCounts() -> (user: Int, global: Int) { (rateLimitedUser, rateLimitedGlobal) }

    // MARK: Reads

    /// The channel with `id`.
    func channel(_ id: UInt64) -> Channel? { channels.first { $0.id == id } }

    /// Webhooks by id.
    func webhooksById() -> [UInt64: Webhook] { webhooks }

    /// The webhook with `id`.
    func webhook(_ id: UInt64) -> Webhook? { webhooks[id] }

    /// Deletes every webhook (as a moderator may, mid-mirror): executes on them answer 404 `UNKNOWN_WEBHOOK` (§4).
    func deleteWebhooks() { webhooks = [:] }

    /// Messages of a channel, oldest first.
    func messages(in channel: UInt64) -> [Message] { messages[channel] ?? [] }

    /// Roles sorted by position descending.
    func rolesDescending() -> [Role] { roles.sorted { ($0.position, $0.id) > ($1.position, $1.id) } }

    /// All channels by position.
    func channelsByPosition() -> [Channel] { channels.sorted { $0.position < $1.position } }

    // MARK: Writes

    /// Creates a role at position 1, the others above moving up (§3.3).
    func createRole(name: String, color: Int, permissions: UInt64) throws(FluxerError) -> Role {
        guard roles.count < 250 else { throw FluxerError(400, "MAX_GUILD_ROLES", "Maximum number of roles reached") }
        for index in roles.indices where roles[index].position >= 1 { roles[index].position += 1 }
        let role = Role(
            id: nextId(), name: name, color: color, position: 1, permissions: permissions & Self.allPermissions)
        roles.append(role)
        return role
    }

    /// Updates a role's fields (nil: unchanged); permissions are masked.
    func updateRole(
        _ id: UInt64, name: String?, color: Int?, permissions: UInt64?, hoist: Bool?, mentionable: Bool?,
        asOwner: Bool = true
    ) throws(FluxerError) -> Role {
        try checkHierarchy(role: id, asOwner: asOwner)
        guard let index = roles.firstIndex(where: { $0.id == id }) else {
            throw FluxerError(404, "UNKNOWN_ROLE", "Unknown role")
        }
        if let name { roles[index].name = name }
        if let color { roles[index].color = color & 0xFF_FFFF }
        if let permissions { roles[index].permissions = permissions & Self.allPermissions }
        if let hoist { roles[index].hoist = hoist }
        if let mentionable { roles[index].mentionable = mentionable }
        return roles[index]
    }

    /// Reorders roles: `[(id, position)]`, @everyone refused (§3.3). How Fluxer renumbers afterwards is not known
    /// (§3.3 "exact renumbering [?]"): this sets the given positions, then numbers every role but @everyone 1…N by
    /// (position, id), as Discord does. The mirror does not depend on it: it sends only positions its roles hold.
    func reorderRoles(_ items: [(UInt64, Int)], asOwner: Bool = true) throws(FluxerError) {
        for (id, position) in items {
            if id == guildId { throw FluxerError(400, "INVALID_FORM_BODY", "Cannot reorder @everyone") }
            try checkHierarchy(role: id, to: position, asOwner: asOwner)
        }
        for (id, position) in items {
            guard let index = roles.firstIndex(where: { $0.id == id }) else {
                throw FluxerError(404, "UNKNOWN_ROLE", "Unknown role")
            }
            roles[index].position = position
        }
        let others = roles.indices.filter { roles[$0].id != guildId }.sorted {
            (roles[$0].position, roles[$0].id) < (roles[$1].position, roles[$1].id)
        }
        for (rank, index) in others.enumerated() { roles[index].position = rank + 1 }
    }

    /// Creates a channel, ignoring `position` and appending as §3.2 says; names normalised for text. Types: [B] 0,
    /// 2, 4, 998; `newer` adds 5, announcement (§3.2 "[N] adds 5"; 15/16 only in the thread experiment, off here).
    func createChannel(
        type: Int, name: String, topic: String?, parentId: UInt64?, overwrites: [Overwrite]?, newer: Bool = false
    ) throws(FluxerError) -> Channel {
        guard [0, 2, 4, 998].contains(type) || (newer && type == 5) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Invalid channel type", path: "type")
        }
        guard (1...100).contains(name.count) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Name must be 1-100 characters", path: "name")
        }
        guard channels.count < 500 else {
            throw FluxerError(400, "MAX_GUILD_CHANNELS", "Maximum number of channels reached")
        }
        var parentOverwrites: [Overwrite] = []
        if let parentId {
            guard let parent = channel(parentId), parent.type == 4, type != 4 else {
                throw FluxerError(400, "INVALID_FORM_BODY", "Invalid parent", path: "parent_id")
            }
            guard channels.filter({ $0.parentId == parentId }).count < 50 else {
                throw FluxerError(400, "MAX_CATEGORY_CHANNELS", "Maximum number of channels in category reached")
            }
            parentOverwrites = parent.overwrites
        }
        let finalName = type == 0 || type == 5 ? Self.normalisedTextName(name) : name
        // Position: categories and parentless channels at the end; in a category, text after the last text
        // child, voice after the last voice child; then the guild is renumbered 1..N.
        let sorted = channelsByPosition()
        var insertAfter: Int
        if let parentId {
            let children = sorted.filter { $0.parentId == parentId }
            let sameKind = children.filter { (type == 2) == ($0.type == 2) }
            if let last = sameKind.last {
                insertAfter = last.position
            } else if type != 2, let firstVoice = children.first(where: { $0.type == 2 }) {
                insertAfter = firstVoice.position - 1
            } else {
                insertAfter = children.last?.position ?? channel(parentId)?.position ?? 0
            }
        } else {
            insertAfter = sorted.last?.position ?? 0
        }
        let created = Channel(
            id: nextId(), type: type, name: finalName, topic: topic, parentId: parentId, position: insertAfter + 1,
            overwrites: overwrites ?? parentOverwrites)
        for index in channels.indices where channels[index].position > insertAfter { channels[index].position += 1 }
        channels.append(created)
        return created
    }

    /// Sets one overwrite (PUT /channels/{c}/permissions/{id}).
    func putOverwrite(channel id: UInt64, _ overwrite: Overwrite) throws(FluxerError) {
        guard let index = channels.firstIndex(where: { $0.id == id }) else {
            throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel")
        }
        channels[index].overwrites.removeAll { $0.id == overwrite.id }
        channels[index].overwrites.append(overwrite)
    }

    /// Creates a webhook (caps 15 per channel, 1000 per guild), 64-character token.
    func createWebhook(channel id: UInt64, name: String) throws(FluxerError) -> Webhook {
        guard channel(id) != nil else { throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel") }
        guard (1...80).contains(name.count) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Name must be 1-80 characters", path: "name")
        }
        guard webhooks.values.filter({ $0.channelId == id }).count < 15 else {
            throw FluxerError(400, "MAX_WEBHOOKS", "Maximum number of webhooks reached")
        }
        guard webhooks.count < 1000 else {
            throw FluxerError(400, "MAX_WEBHOOKS_PER_GUILD", "Maximum number of webhooks per guild reached")
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let token = String((0..<64).map { _ in alphabet.randomElement()! })
        let webhook = Webhook(id: nextId(), channelId: id, name: name, token: token)
        webhooks[webhook.id] = webhook
        return webhook
    }

    /// Posts a message; with `dedupeNonce` an earlier message of the same channel and nonce is returned instead.
    /// `stickerIds`: at most 3 of the guild's stickers (§3.6; 400 `INVALID_FORM_BODY` past 3, 404
    /// `UNKNOWN_STICKER` for another).
    func post(
        channel id: UInt64, content: String, username: String, avatarURL: String?, webhookId: UInt64?,
        nonce: String?, replyTo: UInt64?, dedupeNonce: Bool, attachments: [Attachment] = [], stickerIds: [UInt64] = []
    ) throws(FluxerError) -> Message {
        guard let channel = channel(id) else { throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel") }
        guard channel.type == 0 || channel.type == 5 else {
            throw FluxerError(
                400, "CANNOT_SEND_MESSAGES_IN_NON_TEXT_CHANNEL", "Cannot send messages in a non-text channel")
        }
        if stickerIds.count > 3 {
            throw FluxerError(400, "INVALID_FORM_BODY", "At most 3 stickers", path: "sticker_ids")
        }
        for sticker in stickerIds where !stickers.contains(where: { $0.id == sticker }) {
            throw FluxerError(404, "UNKNOWN_STICKER", "Unknown sticker")
        }
        if content.isEmpty && attachments.isEmpty && stickerIds.isEmpty {
            throw FluxerError(400, "CANNOT_SEND_EMPTY_MESSAGE", "Cannot send an empty message")
        }
        if content.count > 2000 {
            throw FluxerError(
                400, "INVALID_FORM_BODY", "Content must be at most 2000 characters", path: "message_data")
        }
        if dedupeNonce, let nonce, let existing = messages[id]?.last(where: { $0.nonce == nonce }) {
            return existing
        }
        if let replyTo {
            guard let target = messages[id]?.first(where: { $0.id == replyTo }), [0, 19].contains(target.type) else {
                throw FluxerError(404, "UNKNOWN_MESSAGE", "Unknown message")
            }
        }
        let message = Message(
            id: nextId(), channelId: id, content: content, username: username, avatarURL: avatarURL,
            webhookId: webhookId, nonce: nonce, replyTo: replyTo, type: replyTo == nil ? 0 : 19, timestamp: Date(),
            attachments: attachments.map { file in
                var file = file
                file.id = nextId()
                return file
            }, stickerIds: stickerIds)
        messages[id, default: []].append(message)
        return message
    }

    /// `PATCH /channels/{c}`: name, topic and (text only) nsfw and `rate_limit_per_user` 0–21600; `position` is
    /// ignored (§3.2).
    func updateChannel(_ id: UInt64, name: String?, topic: String?, nsfw: Bool?, slowmode: Int? = nil)
        throws(FluxerError) -> Channel
    {
        guard let index = channels.firstIndex(where: { $0.id == id }) else {
            throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel")
        }
        if let name {
            guard (1...100).contains(name.count) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "Name must be 1-100 characters", path: "name")
            }
            channels[index].name = channels[index].type == 0 ? Self.normalisedTextName(name) : name
        }
        if let topic { channels[index].topic = topic }
        if let nsfw, channels[index].type == 0 { channels[index].nsfw = nsfw }
        if let slowmode, channels[index].type == 0 {
            guard (0...21600).contains(slowmode) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "Must be 0-21600", path: "rate_limit_per_user")
            }
            channels[index].slowmode = slowmode
        }
        return channels[index]
    }

    /// Whether the bot started a gateway session ([B] gate on bot sends, §3.6; set by `POST /__fluxer/session`).
    private(set) var sessionStarted = false

    /// Marks the bot's gateway session as started (the test hook of §7 item 27).
    func startSession() { sessionStarted = true }

    /// Pins a message (`PUT /channels/{c}/pins/{m}`, idempotent; fluxer-api.md §3.6).
    func pin(channel id: UInt64, message: UInt64) throws(FluxerError) {
        guard channel(id) != nil else { throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel") }
        guard let index = messages[id]?.firstIndex(where: { $0.id == message }) else {
            throw FluxerError(404, "UNKNOWN_MESSAGE", "Unknown message")
        }
        messages[id]![index].pinned = true
    }

    /// Text channel names: lowercased, whitespace → `-`, punctuation removed (§3.2).
    static func normalisedTextName(_ name: String) -> String {
        let removed = Set("!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~")
        var out = ""
        for character in name.lowercased() {
            if character.isWhitespace {
                out.append("-")
            } else if !removed.contains(character) {
                out.append(character)
            }
        }
        return out.isEmpty ? "channel" : out
    }
}
