import Foundation
import Hummingbird

extension FluxerResponder {
    /// Runs one admitted request.
    func handle(
        method: String, template: String, ids: [UInt64], segments: [String], request: Request, json: Any,
        upload: FluxerMultipart? = nil, asOwner: Bool = false
    ) async throws -> Response {
        let body = json as? [String: Any] ?? [:]
        let guildId = community.guildId
        func requireGuild() throws(FluxerError) {
            guard ids.first == guildId else { throw FluxerError(404, "UNKNOWN_GUILD", "Unknown guild") }
        }
        // NSFW trap [B] (§3.2, §7 item 16): a bot has no birth date, so every bot call on an NSFW text channel is
        // refused; webhook execution is not checked.
        if template.hasPrefix("channels/{id}"), let channel = await community.channel(ids[0]), channel.nsfw {
            throw FluxerError(403, "NSFW_CONTENT_AGE_RESTRICTED", "This channel is age restricted")
        }
        switch (method, template) {
        case ("GET", "instance"):
            return Self.json([
                "api_code_version": 1, "endpoints": ["api": Self.apiBase(of: request), "cdn": "", "media": ""],
                "features": [:],
            ])
        case ("GET", ".well-known/fluxer"):
            guard configuration.flavour == .newer else { return Self.error(Self.notFound) }
            return Self.json([
                "api_code_version": 1, "endpoints": ["api": Self.apiBase(of: request), "static_cdn": ""],
                "features": [:],
            ])
        case ("GET", "users/@me"):
            return Self.json([
                "id": String(community.botUserId), "username": "Skald", "discriminator": "0000", "bot": true,
                "avatar": NSNull(),
            ])
        case ("GET", "users/@me/guilds"):
            return Self.json([["id": String(guildId), "name": community.guildName, "owner": false]])
        case ("GET", "guilds/{id}"):
            try requireGuild()
            return Self.json(await guildJSON())
        case ("GET", "guilds/{id}/roles"):
            try requireGuild()
            return Self.json(await community.rolesDescending().map(Self.render))
        case ("POST", "guilds/{id}/roles"):
            try requireGuild()
            guard let name = Self.string(body["name"]), (1...100).contains(name.count) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "name is required", path: "name")
            }
            let permissions = Self.uint(body["permissions"]) ?? 1_115_712
            let role = try await community.createRole(
                name: name, color: Int(Self.uint(body["color"]) ?? 0) & 0xFF_FFFF, permissions: permissions)
            return Self.json(Self.render(role))
        case ("PATCH", "guilds/{id}/roles/{id}"):
            try requireGuild()
            let role = try await community.updateRole(
                ids[1], name: Self.string(body["name"]), color: Self.uint(body["color"]).map { Int($0) },
                permissions: Self.uint(body["permissions"]), hoist: body["hoist"] as? Bool,
                mentionable: body["mentionable"] as? Bool, asOwner: asOwner)
            return Self.json(Self.render(role))
        case ("PATCH", "guilds/{id}/roles"):
            try requireGuild()
            let items = (json as? [[String: Any]] ?? []).compactMap { item -> (UInt64, Int)? in
                guard let id = Self.uint(item["id"]) else { return nil }
                return (id, Int(Self.uint(item["position"]) ?? 1))
            }
            guard await community.lockPositions("role-positions") else { return Self.locked() }
            do {
                if configuration.reorderHold > .zero { try await Task.sleep(for: configuration.reorderHold) }
                try await community.reorderRoles(items, asOwner: asOwner)
            } catch {
                await community.unlockPositions("role-positions")
                throw error
            }
            await community.unlockPositions("role-positions")
            return Self.noContent()
        case ("PATCH", "guilds/{id}/channels"):
            try requireGuild()
            guard let list = json as? [[String: Any]] else {
                throw FluxerError(400, "INVALID_FORM_BODY", "Expected an array", path: "root")
            }
            let moves = try list.map { item throws(FluxerError) -> FluxerCommunity.ChannelMove in
                guard let id = Self.uint(item["id"]) else {
                    throw FluxerError(400, "INVALID_FORM_BODY", "id is required", path: "id")
                }
                var move = FluxerCommunity.ChannelMove(id: id, position: Self.uint(item["position"]).map { Int($0) })
                if item.keys.contains("parent_id") {
                    move.setsParent = true
                    move.parentId = Self.uint(item["parent_id"])
                }
                if item.keys.contains("preceding_sibling_id") {
                    move.setsPrecedingSibling = true
                    move.precedingSiblingId = Self.uint(item["preceding_sibling_id"])
                }
                return move
            }
            guard await community.lockPositions("channel-positions") else { return Self.locked() }
            do {
                if configuration.reorderHold > .zero { try await Task.sleep(for: configuration.reorderHold) }
                try await community.reorderChannels(moves, newer: configuration.flavour == .newer)
            } catch {
                await community.unlockPositions("channel-positions")
                throw error
            }
            await community.unlockPositions("channel-positions")
            return Self.noContent()
        case ("GET", "guilds/{id}/channels"):
            try requireGuild()
            return Self.json(await community.channelsByPosition().map { Self.render($0, guildId: guildId) })
        case ("POST", "guilds/{id}/channels"):
            try requireGuild()
            guard let type = Self.uint(body["type"]) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "type is required", path: "type")
            }
            let overwrites = (body["permission_overwrites"] as? [[String: Any]])?.compactMap(Self.overwrite)
            let channel = try await community.createChannel(
                type: Int(type), name: Self.string(body["name"]) ?? "", topic: Self.string(body["topic"]),
                parentId: Self.uint(body["parent_id"]), overwrites: overwrites,
                newer: configuration.flavour == .newer)
            return Self.json(Self.render(channel, guildId: guildId), status: 201)
        case ("GET", "channels/{id}"):
            guard let channel = await community.channel(ids[0]) else { throw Self.unknownChannel }
            return Self.json(Self.render(channel, guildId: guildId))
        case ("PATCH", "channels/{id}"):
            let channel = try await community.updateChannel(
                ids[0], name: Self.string(body["name"]), topic: Self.string(body["topic"]), nsfw: body["nsfw"] as? Bool,
                slowmode: (body["rate_limit_per_user"] as? NSNumber)?.intValue)
            return Self.json(Self.render(channel, guildId: guildId))
        case ("PUT", "channels/{id}/permissions/{id}"):
            guard let type = body["type"] as? Int, type == 0 || type == 1 else {
                throw FluxerError(400, "INVALID_FORM_BODY", "type must be 0 or 1", path: "type")
            }
            try await community.putOverwrite(
                channel: ids[0],
                .init(
                    id: ids[1], type: type, allow: Self.uint(body["allow"]) ?? 0, deny: Self.uint(body["deny"]) ?? 0))
            return Self.noContent()
        case ("POST", "channels/{id}/webhooks"):
            let webhook = try await community.createWebhook(channel: ids[0], name: Self.string(body["name"]) ?? "")
            return Self.json(Self.render(webhook, guildId: guildId))
        case ("PUT", "channels/{id}/pins/{id}"):
            try await community.pin(channel: ids[0], message: ids[1])
            return Self.noContent()
        case ("GET", "channels/{id}/messages/pins"):
            guard await community.channel(ids[0]) != nil else { throw Self.unknownChannel }
            let webhooks = await community.webhooksById()
            return Self.json(
                await community.messages(in: ids[0]).filter(\.pinned).reversed().map {
                    Self.render($0, webhook: $0.webhookId.flatMap { webhooks[$0] })
                })
        case ("GET", "channels/{id}/webhooks"):
            // Discord's route, kept by Fluxer's WebhookController (not in fluxer-api.md's tables [?]): the
            // channel's webhooks with their tokens, for a caller with MANAGE_WEBHOOKS.
            guard await community.channel(ids[0]) != nil else { throw Self.unknownChannel }
            let list = await community.webhooksById().values.filter { $0.channelId == ids[0] }.sorted { $0.id < $1.id }
            return Self.json(list.map { Self.render($0, guildId: guildId) })
        case ("POST", "webhooks/{id}/{token}"):
            guard let webhook = await community.webhook(ids[0]), webhook.token == segments[2] else {
                throw FluxerError(404, "UNKNOWN_WEBHOOK", "Unknown webhook")
            }
            if upload != nil, configuration.flavour == .baseline {
                throw FluxerError(400, "CANNOT_SEND_EMPTY_MESSAGE", "Cannot send an empty message")
            }
            let newer = configuration.flavour == .newer
            let files = try attachments(upload, payload: body, maxBytes: configuration.maxFileBytes)
            let username = Self.string(body["username"]).map { String($0.prefix(80)) } ?? webhook.name
            let reference = body["message_reference"] as? [String: Any]
            let message = try await community.post(
                channel: webhook.channelId, content: Self.string(body["content"]) ?? "", username: username,
                avatarURL: Self.string(body["avatar_url"]), webhookId: webhook.id,
                nonce: newer ? Self.nonce(body["nonce"]) : nil,
                replyTo: newer ? Self.uint(reference?["message_id"]) : nil, dedupeNonce: newer, attachments: files,
                stickerIds: newer ? Self.stickerIds(body["sticker_ids"]) : [])
            let wait = request.uri.queryParameters.get("wait") == "true"
            return wait ? Self.json(Self.render(message, webhook: webhook)) : Self.noContent()
        case ("POST", "channels/{id}/messages"):
            let reference = body["message_reference"] as? [String: Any]
            if configuration.flavour == .baseline, configuration.requireSession, await !community.sessionStarted {
                // The code of this refusal is not in fluxer-api.md; the message is [B]'s.
                throw FluxerError(400, "GENERAL_ERROR", "You must start a session before sending messages")
            }
            if configuration.flavour == .baseline {
                try await community.checkBaselineNonce(Self.nonce(body["nonce"]), channel: ids[0], now: Date())
            }
            // [N] lets bots upload 50 MiB (§3.6).
            let files = try attachments(
                upload, payload: body,
                maxBytes: configuration.flavour == .newer
                    ? max(configuration.maxFileBytes, configuration.newerBotMaxFileBytes) : configuration.maxFileBytes)
            let message = try await community.post(
                channel: ids[0], content: Self.string(body["content"]) ?? "", username: "Skald", avatarURL: nil,
                webhookId: nil, nonce: Self.nonce(body["nonce"]), replyTo: Self.uint(reference?["message_id"]),
                dedupeNonce: false, attachments: files, stickerIds: Self.stickerIds(body["sticker_ids"]))
            return Self.json(Self.render(message, webhook: nil))
        case ("GET", "channels/{id}/messages"):
            guard await community.channel(ids[0]) != nil else { throw Self.unknownChannel }
            let query = request.uri.queryParameters
            let limit = Int(query.get("limit") ?? "50") ?? 50
            guard (1...100).contains(limit) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "limit must be 1-100", path: "limit")
            }
            var list = await community.messages(in: ids[0])
            if let before = query.get("before").flatMap(UInt64.init) { list = list.filter { $0.id < before } }
            if let after = query.get("after").flatMap(UInt64.init) {
                list = Array(list.filter { $0.id > after }.prefix(limit))
            }
            let webhooks = await community.webhooksById()
            return Self.json(
                list.suffix(limit).reversed().map { Self.render($0, webhook: $0.webhookId.flatMap { webhooks[$0] }) })
        default:
            if template.hasPrefix("guilds/{id}/") { try requireGuild() }
            if let answered = try await handleExpressions(method: method, template: template, json: json) {
                return answered
            }
            throw Self.notFound
        }
    }

    /// The uploads of a multipart message (§3.6, §7 item 23): `files[N]` with N 0–9, each with an `attachments`
    /// entry of id N in `payload_json`; a file over `maxBytes` → 400 `FILE_SIZE_TOO_LARGE`; names normalised
    /// (spaces → `_`).
    func attachments(_ upload: FluxerMultipart?, payload: [String: Any], maxBytes: Int) throws(FluxerError)
        -> [FluxerCommunity.Attachment]
    {
        guard let upload else { return [] }
        guard upload.strayParts.isEmpty else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Unexpected form part", path: "files")
        }
        let entries = payload["attachments"] as? [[String: Any]] ?? []
        guard upload.files.count <= 10, entries.count <= 10 else {
            throw FluxerError(400, "INVALID_FORM_BODY", "At most 10 attachments", path: "attachments")
        }
        var result: [FluxerCommunity.Attachment] = []
        for file in upload.files {
            guard (0..<10).contains(file.index) else {
                throw FluxerError(400, "INVALID_FORM_BODY", "File index out of range", path: "files")
            }
            guard let entry = entries.first(where: { Self.uint($0["id"]) == UInt64(file.index) }) else {
                throw FluxerError(
                    400, "INVALID_FORM_BODY", "files[\(file.index)] has no attachments entry",
                    path: "attachments")
            }
            guard file.size <= maxBytes else {
                throw FluxerError(400, "FILE_SIZE_TOO_LARGE", "File size is too large")
            }
            let name = Self.string(entry["filename"]) ?? file.filename
            result.append(
                .init(
                    filename: name.replacingOccurrences(of: " ", with: "_"), size: file.size, sha256: file.sha256,
                    contentType: file.contentType, description: Self.string(entry["description"])))
        }
        return result
    }

    /// 423 of a held positions lock (§3.2, §7 item 10): `Retry-After: 2`.
    static func locked() -> Response {
        var response = error(
            FluxerError(423, "GENERAL_ERROR", "The resource is currently locked. Please try again."))
        response.headers[.retryAfter] = "2"
        return response
    }

    static let notFound = FluxerError(404, "GENERAL_ERROR", "Not found")
    static let unknownChannel = FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel")

    /// A string field (`""` → nil, §1 body normalisation).
    static func string(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }

    /// An id or bit set given as a string or an integer.
    static func uint(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        if let number = value as? NSNumber, !isBoolean(number) { return number.uint64Value }
        return nil
    }

    /// `sticker_ids`: ids as strings or integers ([B] webhooks ignore the field, §3.5; bots and [N] webhooks
    /// send guild stickers with it).
    static func stickerIds(_ value: Any?) -> [UInt64] {
        (value as? [Any] ?? []).compactMap { uint($0) }
    }

    /// The API base a discovery document advertises (`endpoints.api`, fluxer-api.md §1): this server's `/v1`, as
    /// addressed by the request.
    static func apiBase(of request: Request) -> String {
        request.head.authority.map { "http://\($0)/v1" } ?? ""
    }

    /// A nonce, string 1–32 or integer.
    static func nonce(_ value: Any?) -> String? {
        if let text = value as? String, (1...32).contains(text.count) { return text }
        if let number = value as? NSNumber, !isBoolean(number) { return number.stringValue }
        return nil
    }

    /// Whether a decoded JSON number was `true`/`false` (an NSNumber 0 or 1 also casts to Bool).
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    static func overwrite(_ item: [String: Any]) -> FluxerCommunity.Overwrite? {
        guard let id = uint(item["id"]), let type = item["type"] as? Int else { return nil }
        return .init(id: id, type: type, allow: uint(item["allow"]) ?? 0, deny: uint(item["deny"]) ?? 0)
    }
}
