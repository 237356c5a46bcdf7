import DiscordModels
import Hummingbird

extension SimulatorResponder {
    func botBasePermissions(_ api: APIRequest, guildIndex: Int) -> Permissions {
        basePermissions(of: api.botId, guildIndex: guildIndex)
    }

    static func permissionValue(_ value: Any?) -> Permissions? {
        if let text = value as? String { return UInt64(text).map(Permissions.init(rawValue:)) }
        if let number = value as? Int { return Permissions(rawValue: UInt64(number)) }
        return value == nil ? [] : nil
    }

    func createGuildChannel(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let base = botBasePermissions(api, guildIndex: index)
        guard base.contains(.manageChannels) else { throw DiscordAPIError.missingPermissions() }
        let payload: [String: Any] = try await readPayload(api).0
        guard let name = payload["name"] as? String, (1...100).contains(name.count) else {
            throw DiscordAPIError.invalidForm(
                field: "name", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        let type = ChannelType(rawValue: payload["type"] as? Int ?? 0)
        guard
            [.guildText, .guildVoice, .guildCategory, .guildAnnouncement, .guildForum, .guildStageVoice, .guildMedia]
                .contains(type)
        else {
            throw DiscordAPIError.invalidForm(
                field: "type", code: "BASE_TYPE_CHOICES", message: "Value must be one of (0, 2, 4, 5, 13, 15, 16).")
        }
        var overwrites: [PermissionOverwrite] = []
        for raw in payload["permission_overwrites"] as? [[String: Any]] ?? [] {
            guard let idText = (raw["id"] as? String) ?? (raw["id"] as? Int).map(String.init), let id = UInt64(idText),
                let allow = Self.permissionValue(raw["allow"]), let deny = Self.permissionValue(raw["deny"])
            else {
                throw DiscordAPIError.invalidForm(
                    field: "permission_overwrites", code: "BASE_TYPE_INVALID", message: "Invalid overwrite")
            }
            if !base.contains(allow) || !base.contains(deny) { throw DiscordAPIError.missingPermissions() }
            overwrites.append(
                PermissionOverwrite(id: AnySnowflake(id), type: raw["type"] as? Int ?? 0, allow: allow, deny: deny))
        }
        let parentId = (payload["parent_id"] as? String).flatMap { UInt64($0) }
        let id = await state.newId()
        let ms = Snowflake<AnyTag>(id).unixMilliseconds
        let channel = SimChannel(
            id: id, guildId: world.guilds[index].id, guildIndex: index, type: type, name: name,
            position: payload["position"] as? Int ?? 0, parentId: parentId, topic: payload["topic"] as? String,
            overwrites: overwrites, nsfw: payload["nsfw"] as? Bool ?? false,
            timeline: MessageTimeline(count: 0, startMilliseconds: ms, endMilliseconds: ms, salt: 0), thread: nil,
            pinCount: 0, rateLimitPerUser: payload["rate_limit_per_user"] as? Int ?? 0,
            bitrate: type.isVoice ? (payload["bitrate"] as? Int ?? 64000) : nil,
            userLimit: type.isVoice ? (payload["user_limit"] as? Int ?? 0) : nil)
        await state.addChannel(channel)
        await emitChannel("CHANNEL_CREATE", channelId: channel.id, baseURL: api.baseURL)
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeChannel(channel, overlay: .empty, into: &w)
        return APIResponse.json(w, status: .created)
    }

    func createGuildRole(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let base = botBasePermissions(api, guildIndex: index)
        guard base.contains(.manageRoles) else { throw DiscordAPIError.missingPermissions() }
        let payload: [String: Any] = try await readPayload(api).0
        guard let permissions = Self.permissionValue(payload["permissions"]) else {
            throw DiscordAPIError.invalidForm(
                field: "permissions", code: "NUMBER_TYPE_COERCE", message: "Invalid permissions")
        }
        if payload["permissions"] != nil && !base.contains(permissions) { throw DiscordAPIError.missingPermissions() }
        let existing = await state.roles(index)
        let id = await state.newId()
        let color = (payload["color"] as? Int) ?? ((payload["colors"] as? [String: Any])?["primary_color"] as? Int) ?? 0
        var role = Role(
            id: Snowflake(id), name: payload["name"] as? String ?? "new role", color: color, position: 1,
            permissions: payload["permissions"] == nil ? world.guilds[index].roles[0].permissions : permissions)
        role.colors = .init(primaryColor: color)
        role.hoist = payload["hoist"] as? Bool ?? false
        role.mentionable = payload["mentionable"] as? Bool ?? false
        role.managed = false
        role.flags = 0
        _ = existing
        await state.addRole(role, guildIndex: index)
        await emitRole("GUILD_ROLE_CREATE", role, guildIndex: index, baseURL: api.baseURL)
        var w = JSONWriter(capacity: 512)
        renderContext(api).writeRole(role, guild: world.guilds[index], into: &w)
        return APIResponse.json(w)
    }

    func editPermissions(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        let permissions = permissions(of: api.botId, in: view)
        let index = view.channel.guildIndex
        guard botBasePermissions(api, guildIndex: index).contains(.manageRoles) || permissions.contains(.manageRoles)
        else { throw DiscordAPIError.missingPermissions() }
        let payload: [String: Any] = try await readPayload(api).0
        guard let type = payload["type"] as? Int ?? (payload["type"] as? String).flatMap({ Int($0) }),
            type == 0 || type == 1,
            let allow = Self.permissionValue(payload["allow"]), let deny = Self.permissionValue(payload["deny"])
        else {
            throw DiscordAPIError.invalidForm(
                field: "type", code: "BASE_TYPE_REQUIRED", message: "This field is required")
        }
        let base = botBasePermissions(api, guildIndex: index)
        if !base.contains(allow) || !base.contains(deny) { throw DiscordAPIError.missingPermissions() }
        await state.setOverwrite(
            channelId: view.channel.id,
            overwrite: PermissionOverwrite(id: AnySnowflake(api.ids[1]), type: type, allow: allow, deny: deny))
        // The docs: editing a channel's overwrites fires CHANNEL_UPDATE (it fired nothing).
        await emitChannel("CHANNEL_UPDATE", channelId: view.channel.id, baseURL: api.baseURL)
        return APIResponse.noContent()
    }
}
