import DiscordModels
import Foundation
import Hummingbird

/// The writes a guild cloner needs beyond channels, roles, overwrites, webhooks and messages (discord-api.md §3.5,
/// the OpenAPI spec's `bulk_update_guild_roles`, `create_guild_emoji`, `pin_message`, `create_thread`): role
/// positions, custom emojis and threads (pins: SimulatorResponder+Pins.swift).
extension SimulatorResponder {
    /// `PATCH /guilds/{g}/roles` `[{id, position}]` → 200 with every role. Needs MANAGE_ROLES; @everyone cannot
    /// move (400); the listed roles take their positions and the others keep their order around them, renumbered
    /// 1…N above @everyone.
    func modifyRolePositions(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        guard botBasePermissions(api, guildIndex: index).contains(.manageRoles) else {
            throw DiscordAPIError.missingPermissions()
        }
        var request = api.request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let items = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [[String: Any]]
        else {
            throw DiscordAPIError.invalidForm(
                field: "_root", code: "BASE_TYPE_ARRAY_TYPE", message: "Must be an array.")
        }
        let guildId = world.guilds[index].id
        let roles = await state.roles(index)
        var wanted: [UInt64: Int] = [:]
        for item in items {
            guard let text = (item["id"] as? String) ?? (item["id"] as? Int).map(String.init), let id = UInt64(text),
                roles.contains(where: { $0.id.rawValue == id })
            else {
                throw DiscordAPIError.invalidForm(field: "id", code: "UNKNOWN_ROLE", message: "Unknown role")
            }
            guard id != guildId else {
                throw DiscordAPIError.invalidForm(
                    field: "id", code: "BASE_TYPE_BAD", message: "The @everyone role cannot be moved.")
            }
            if let position = item["position"] as? Int { wanted[id] = max(1, position) }
        }
        // Listed roles first at their positions, the others in their current order filling the gaps.
        let others = roles.filter { $0.id.rawValue != guildId && wanted[$0.id.rawValue] == nil }
            .sorted { ($0.position, $0.id.rawValue) < ($1.position, $1.id.rawValue) }
        let total = roles.count - 1
        var slots: [UInt64?] = Array(repeating: nil, count: total)
        for (id, position) in wanted.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            var slot = min(position, total) - 1
            while slot < total && slots[slot] != nil { slot += 1 }
            if slot == total { slot = slots.lastIndex(where: { $0 == nil }) ?? 0 }
            slots[slot] = id
        }
        var rest = others.makeIterator()
        var positions: [UInt64: Int] = [:]
        for slot in slots.indices {
            if slots[slot] == nil { slots[slot] = rest.next()?.id.rawValue }
            if let id = slots[slot] { positions[id] = slot + 1 }
        }
        await state.setRolePositions(positions)
        let updated = await state.roles(index).sorted { ($0.position, $0.id.rawValue) < ($1.position, $1.id.rawValue) }
        // The docs: one GUILD_ROLE_UPDATE per role moved (it fired nothing).
        let before = Dictionary(roles.map { ($0.id, $0.position) }, uniquingKeysWith: { first, _ in first })
        for role in updated where before[role.id] != role.position {
            await emitRole("GUILD_ROLE_UPDATE", role, guildIndex: index, baseURL: api.baseURL)
        }
        let context = renderContext(api)
        var w = JSONWriter(capacity: 300 * updated.count + 2)
        w.beginArray()
        for role in updated { context.writeRole(role, guild: world.guilds[index], into: &w) }
        w.endArray()
        return APIResponse.json(w)
    }

    /// `POST /guilds/{g}/emojis {name, image, roles?}` → 201 with the emoji. Needs CREATE_ or
    /// MANAGE_GUILD_EXPRESSIONS; `name` 2–32 of `[A-Za-z0-9_]`; `image` a data URI of PNG, JPEG, GIF or WebP of at
    /// most 256 KiB (error 50045 above that, 50035 for a bad field).
    func createGuildEmoji(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let base = botBasePermissions(api, guildIndex: index)
        guard !base.isDisjoint(with: [.createGuildExpressions, .manageGuildExpressions]) else {
            throw DiscordAPIError.missingPermissions()
        }
        let payload: [String: Any] = try await readPayload(api).0
        let name = payload["name"] as? String ?? ""
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        guard (2...32).contains(name.count), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw DiscordAPIError.invalidForm(
                field: "name", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 2 and 32 in length.")
        }
        let image = payload["image"] as? String ?? ""
        let types = ["image/png", "image/jpeg", "image/gif", "image/webp"]
        guard let comma = image.firstIndex(of: ","), image.hasPrefix("data:"),
            let type = types.first(where: { image.hasPrefix("data:\($0);base64") }),
            let bytes = Data(base64Encoded: String(image[image.index(after: comma)...]))
        else {
            throw DiscordAPIError.invalidForm(
                field: "image", code: "IMAGE_INVALID", message: "Invalid image data")
        }
        guard bytes.count <= 256 << 10 else {
            throw DiscordAPIError(
                .badRequest, code: 50045, message: "File cannot be larger than 256.0 kb.")
        }
        let emoji = SimEmoji(
            id: await state.newId(), name: name, animated: type == "image/gif",
            creatorIndex: world.guilds[index].ownerIndex)
        await state.addEmoji(emoji, guildIndex: index)
        // The docs: GUILD_EMOJIS_UPDATE with the full list (it fired nothing).
        await emitEmojisUpdate(guildIndex: index, baseURL: api.baseURL)
        var w = JSONWriter(capacity: 512)
        renderContext(api).writeEmoji(
            emoji, includeUser: canSeeExpressionCreators(api, guildIndex: index), into: &w)
        return APIResponse.json(w, status: .created)
    }

    /// `POST /channels/{c}/threads` → 201 with the thread. In a text or announcement channel `{name, type?,
    /// auto_archive_duration?}` starts a thread without a message (type 11 or 12, 10 in an announcement channel;
    /// the docs' default is 12); in a forum or media channel `{name, message:{…}}` starts a post whose first
    /// message, by the bot, shares the thread's id.
    func startThread(_ api: APIRequest) async throws -> Response {
        let parent: ChannelView = try await viewableChannel(api)
        let permissions = permissions(of: api.botId, in: parent)
        let payload: [String: Any] = try await readPayload(api).0
        guard let name = payload["name"] as? String, (1...100).contains(name.count) else {
            throw DiscordAPIError.invalidForm(
                field: "name", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        let isForum = parent.channel.type == .guildForum || parent.channel.type == .guildMedia
        guard isForum || parent.channel.type == .guildText || parent.channel.type == .guildAnnouncement else {
            throw DiscordAPIError(.badRequest, code: 50024, message: "Cannot execute action on this channel type")
        }
        let type: ChannelType
        if isForum {
            type = .publicThread
        } else if parent.channel.type == .guildAnnouncement {
            type = .announcementThread
        } else {
            type = ChannelType(rawValue: payload["type"] as? Int ?? 12)
            guard type == .publicThread || type == .privateThread else {
                throw DiscordAPIError.invalidForm(
                    field: "type", code: "BASE_TYPE_CHOICES", message: "Value must be one of (10, 11, 12).")
            }
        }
        // The docs' `rate_limit_per_user` of a new thread: 0–21600 seconds.
        let slowmode = payload["rate_limit_per_user"] as? Int ?? 0
        guard (0...21600).contains(slowmode) else {
            throw DiscordAPIError.invalidForm(
                field: "rate_limit_per_user", code: "NUMBER_TYPE_MAX",
                message: "int value should be less than or equal to 21600.")
        }
        let needed: Permissions =
            isForum ? .sendMessages : type == .privateThread ? .createPrivateThreads : .createPublicThreads
        guard permissions.contains(needed) else { throw DiscordAPIError.missingPermissions() }
        var first: (SimMessage, [Int: [UInt8]])?
        if isForum {
            guard let message = payload["message"] as? [String: Any] else {
                throw DiscordAPIError.invalidForm(
                    field: "message", code: "BASE_TYPE_REQUIRED", message: "This field is required")
            }
            first = try buildMessage(
                message, files: [:], view: parent, authorId: api.botId,
                stickers: await state.stickers(parent.channel.guildIndex))
        }
        let id = await createThread(
            parentId: parent.channel.id, name: name, type: type, ownerId: api.botId, members: [api.botId],
            rateLimitPerUser: slowmode)
        if let first {
            let template = first.0
            _ = try await state.appendMessage(
                channelId: id, nonce: nil, enforceNonce: false, authorId: api.botId, make: { _ in template }, id: id)
        }
        await emitChannel("THREAD_CREATE", channelId: id, baseURL: api.baseURL)
        guard let thread = await state.channel(id) else { throw DiscordAPIError.unknownChannel() }
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeChannel(thread, overlay: .empty, into: &w)
        return APIResponse.json(w, status: .created)
    }
}
