import ArchiveStore
import DiscordModels
import Foundation

/// Turns archived Discord JSON into DCE 2.47 JSON objects for one channel export: guild and channel headers and
/// messages (§3–§12 of the format). Member data is looked up once per channel, as DCE does; create one renderer
/// per channel file set.
final class DCERenderer {
    struct RoleInfo: Hashable {
        var id: UInt64
        var name: String
        var color: Int
        var position: Int
    }

    struct MemberInfo: Hashable {
        var nick: String?
        var avatar: String?
        var roles: [RoleInfo]
    }

    let store: any ArchiveStore
    let options: DCEExportOptions
    let guildId: UInt64?
    private(set) var roles: [UInt64: RoleInfo] = [:]
    /// Member data by user id, as looked up in DCE's order (`nil` inside: the user is no member).
    private var members: [UInt64: MemberInfo?] = [:]
    /// Member data read ahead for a page (see ``prefetch(_:channelId:)``): what ``lookUpMember(_:)`` would find.
    /// Kept apart from `members`, which also says who was looked up so far (see ``cachedMember(_:)``).
    var prefetchedMembers: [UInt64: MemberInfo?] = [:]
    /// Users by id, looked up once (`nil` inside: no such user stored).
    var users: [UInt64: JSONValue?] = [:]
    /// Reaction users (not burst) by channel id, message id and emoji key, for the messages given to
    /// ``prefetch(_:channelId:)``.
    var reactionUsers: [UInt64: [UInt64: [String: [Snowflake<User>]]]] = [:]
    private var channelNodes: [UInt64: JSONValue?] = [:]
    /// Whether a channel has reaction users at all, by channel id (see ``hasReactionUsers(_:)``).
    private var channelsWithReactionUsers: [UInt64: Bool] = [:]
    /// (message id, channel id, attachment id) → media path relative to the output folder (with `--media`).
    var mediaPath: ((UInt64, UInt64, UInt64) async -> String?)?
    /// Links for the local assets of imported `--media` exports, from the file being written.
    var importedAssets: ImportedAssetLinks?
    /// `--media`'s downloads of the other assets (avatars, emoji, stickers, embed media, …), or nil.
    var assets: ExportAssets?

    init(store: any ArchiveStore, options: DCEExportOptions, guildId: UInt64?) async throws {
        self.store = store
        self.options = options
        self.guildId = guildId
        if let guildId {
            for object in try await store.objects(.role, in: Snowflake(guildId)) where object.deletedAt == nil {
                guard let node = try? JSONValue.parse(object.json), let id = node["id"]?.uint64 else { continue }
                roles[id] = RoleInfo(
                    id: id, name: node["name"]?.string ?? "", color: node["color"]?.int ?? 0,
                    position: node["position"]?.int ?? 0)
            }
        }
    }

    var timeZone: DCETimeZone { options.timeZone }

    // MARK: Lookups

    /// Member data of a user, looked up (and remembered) for this channel export.
    func lookUpMember(_ userId: UInt64) async -> MemberInfo? {
        if let cached = members[userId] { return cached }
        var info: MemberInfo?
        if let prefetched = prefetchedMembers[userId] {
            info = prefetched
        } else if let guildId, let data = try? await store.member(Snowflake(userId), in: Snowflake(guildId)) {
            info = memberInfo(data)
        }
        members[userId] = .some(info)
        return info
    }

    /// Whether the archive holds reaction users for a channel (looked up once per channel).
    func hasReactionUsers(_ channelId: UInt64) async -> Bool {
        if let known = channelsWithReactionUsers[channelId] { return known }
        let found = (try? await store.hasReactionUsers(in: Snowflake(channelId))) ?? true
        channelsWithReactionUsers[channelId] = found
        return found
    }

    /// Member data from a stored member's JSON, its roles highest first.
    func memberInfo(_ data: Data) -> MemberInfo? {
        guard let node = try? JSONValue.parse(data) else { return nil }
        let memberRoles = node["roles"]?.elements.compactMap { $0.uint64 }.compactMap { roles[$0] } ?? []
        let sorted = memberRoles.enumerated().sorted {
            $0.element.position != $1.element.position
                ? $0.element.position > $1.element.position : $0.offset < $1.offset
        }.map(\.element)
        return MemberInfo(nick: node["nick"]?.nonBlankString, avatar: node["avatar"]?.nonBlankString, roles: sorted)
    }

    /// Whether a user's member data was looked up already in this export (reaction users rely on it).
    func cachedMember(_ userId: UInt64) -> MemberInfo? { members[userId] ?? nil }

    func user(_ userId: UInt64) async -> JSONValue? {
        if let cached = users[userId] { return cached }
        let node = (try? await store.object(.user, id: AnySnowflake(userId))).flatMap { try? JSONValue.parse($0.json) }
        users[userId] = .some(node)
        return node
    }

    func channel(_ channelId: UInt64) async -> JSONValue? {
        if let cached = channelNodes[channelId] { return cached }
        let node = (try? await store.object(.channel, id: AnySnowflake(channelId)))
            .flatMap { try? JSONValue.parse($0.json) }
        channelNodes[channelId] = .some(node)
        return node
    }

    // MARK: Users

    /// The DCE user object of §6 for a Discord user object.
    func userNode(_ user: JSONValue, member: MemberInfo?, withRoles: Bool) -> JSONValue {
        var builder = JSONValueBuilder()
        writeUser(user, member: member, withRoles: withRoles, to: &builder)
        return builder.result
    }

    /// Writes the DCE user object of §6 for a Discord user object to `w`.
    func writeUser<J: JSONLookup, W: DCEValueWriter>(_ user: J, member: MemberInfo?, withRoles: Bool, to w: inout W) {
        // An author's object is the same in each of their messages: written once per user JSON and member.
        guard let slice = user as? JSONSlice else {
            writeUserObject(user, member: member, withRoles: withRoles, to: &w)
            return
        }
        let key = UserMemoKey(json: slice.storage[slice.range], member: member, withRoles: withRoles)
        w.memoized(key) { writeUserObject(user, member: member, withRoles: withRoles, to: &$0) }
    }

    private func writeUserObject<J: JSONLookup, W: DCEValueWriter>(
        _ user: J, member: MemberInfo?, withRoles: Bool, to w: inout W
    ) {
        let id = user["id"]?.uint64 ?? 0
        let username = user["username"]?.string ?? ""
        let discriminatorText = user["discriminator"]?.string ?? "0"
        let discriminator = Int(discriminatorText) ?? 0
        let nickname = member?.nick ?? user["global_name"]?.nonBlankString ?? username
        let color = member?.roles.first { $0.color != 0 }.map { DCENames.color($0.color) }
        w.beginObject()
        w.member("id", String(id))
        w.member("name", username)
        w.member("discriminator", discriminator == 0 ? "0000" : pad4(discriminator))
        w.member("nickname", nickname)
        w.member("color", color)
        w.member("isBot", user["bot"]?.bool ?? false)
        if withRoles {
            w.key("roles")
            w.beginArray()
            for role in member?.roles ?? [] {
                w.beginObject()
                w.member("id", String(role.id))
                w.member("name", role.name)
                w.member("color", role.color == 0 ? nil : DCENames.color(role.color))
                w.member("position", int: role.position)
                w.endObject()
            }
            w.endArray()
        }
        let avatarURL: String
        if let guildId, let avatar = member?.avatar {
            avatarURL =
                "https://cdn.discordapp.com/guilds/\(guildId)/users/\(id)/avatars/\(avatar).\(ext(avatar))?size=512"
        } else if let avatar = user["avatar"]?.nonBlankString {
            avatarURL = "https://cdn.discordapp.com/avatars/\(id)/\(avatar).\(ext(avatar))?size=512"
        } else {
            let index = discriminator == 0 ? Int((id >> Snowflake<AnyTag>.timestampShift) % 6) : discriminator % 5
            avatarURL = "https://cdn.discordapp.com/embed/avatars/\(index).png"
        }
        w.member("avatarUrl", avatarURL)
        w.endObject()
    }

    /// A user object for an author, mention or interaction user: member data looked up.
    func fullUser(_ user: JSONValue) async -> JSONValue {
        let member = await lookUpMember(user["id"]?.uint64 ?? 0)
        return userNode(user, member: member, withRoles: true)
    }

    private func pad4(_ value: Int) -> String {
        let text = String(value)
        return text.count >= 4 ? text : String(repeating: "0", count: 4 - text.count) + text
    }

    private func ext(_ hash: String) -> String { hash.hasPrefix("a_") ? "gif" : "png" }

    /// A display name for texts: `global_name`, else `username`.
    func displayName<J: JSONLookup>(_ user: J) -> String {
        user["global_name"]?.nonBlankString ?? user["username"]?.string ?? ""
    }

    // MARK: Headers

    /// The `guild` object of §3 (`nil` guild JSON: direct messages).
    static func guildNode(_ guild: JSONValue?) -> JSONValue {
        guard let guild, let id = guild["id"]?.string else {
            return .object([
                .init("id", .string("0")), .init("name", .string("Direct Messages")),
                .init("iconUrl", .string("https://cdn.discordapp.com/embed/avatars/0.png")),
            ])
        }
        let icon = guild["icon"]?.nonBlankString.map {
            "https://cdn.discordapp.com/icons/\(id)/\($0).\($0.hasPrefix("a_") ? "gif" : "png")?size=512"
        }
        return .object([
            .init("id", .string(id)), .init("name", .string(guild["name"]?.string ?? "")),
            .init("iconUrl", .string(icon ?? "https://cdn.discordapp.com/embed/avatars/0.png")),
        ])
    }

    /// The `channel` object of §4.
    func channelNode(_ channel: JSONValue) async -> JSONValue {
        let id = channel["id"]?.string ?? ""
        let parent: JSONValue? =
            if let parentId = channel["parent_id"]?.uint64 { await self.channel(parentId) } else { nil }
        var name = channel["name"]?.nonBlankString
        if name == nil {
            let recipients = channel["recipients"]?.elements ?? []
            let names = recipients.sorted { ($0["id"]?.uint64 ?? 0) < ($1["id"]?.uint64 ?? 0) }.map(displayName)
            if !names.isEmpty { name = names.joined(separator: ", ") }
        }
        var members: [JSONValue.Member] = [
            .init("id", .string(id)), .init("type", .string(DCENames.channelType(channel["type"]?.int ?? 0))),
            .init("categoryId", parent == nil ? .null : .string(channel["parent_id"]?.string)),
            .init("category", parent == nil ? .null : .string(parent?["name"]?.string ?? "")),
            .init("name", .string(name ?? id)),
            .init("topic", .string(channel["topic"]?.string)),
        ]
        if let icon = channel["icon"]?.nonBlankString {
            members.append(
                .init(
                    "iconUrl",
                    .string(
                        "https://cdn.discordapp.com/channel-icons/\(id)/\(icon).\(ext(icon))?size=512")))
        }
        return .object(members)
    }
}
