import DiscordModels
import Foundation
import Hummingbird

extension SimulatorResponder {
    func writeWebhook(_ webhook: SimWebhook, api: APIRequest, into w: inout JSONWriter) {
        w.beginObject()
        w.key("application_id")
        w.null()
        w.key("avatar")
        w.null()
        w.key("channel_id")
        w.id(webhook.channelId)
        w.key("guild_id")
        w.id(webhook.guildId)
        w.key("id")
        w.id(webhook.id)
        w.key("name")
        w.string(webhook.name)
        w.key("type")
        w.int(1)
        w.key("user")
        renderContext(api).writeUser(id: webhook.creatorId, into: &w)
        w.key("token")
        w.string(webhook.token)
        w.key("url")
        w.string("\(api.baseURL)/api/webhooks/\(webhook.id)/\(webhook.token)")
        w.endObject()
    }

    func channelWebhooks(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard permissions(of: api.botId, in: view).contains(.manageWebhooks) else {
            throw DiscordAPIError.missingPermissions()
        }
        let hooks = await state.webhooks(in: view.channel.id)
        var w = JSONWriter(capacity: 512 * hooks.count + 2)
        w.beginArray()
        for hook in hooks { writeWebhook(hook, api: api, into: &w) }
        w.endArray()
        return APIResponse.json(w)
    }

    func createWebhook(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard permissions(of: api.botId, in: view).contains(.manageWebhooks) else {
            throw DiscordAPIError.missingPermissions()
        }
        let payload: [String: Any] = try await readPayload(api).0
        let name = payload["name"] as? String ?? ""
        let lower = name.lowercased()
        if name.isEmpty || name.count > 80 || lower.contains("discord") || lower.contains("clyde") {
            throw DiscordAPIError.invalidForm(
                field: "name", code: "BASE_TYPE_BAD_LENGTH", message: "Invalid webhook name.")
        }
        if await state.webhooks(in: view.channel.id).count >= 15 {
            throw DiscordAPIError(.badRequest, code: 30007, message: "Maximum number of webhooks reached (15)")
        }
        let id = await state.newId()
        let token = WorldGenerator.hexHash(world.seed, 0x7E, id, animated: false) + "-sim"
        let webhook = SimWebhook(
            id: id, token: token, channelId: view.channel.id, guildId: view.channel.guildId, name: name,
            creatorId: api.botId)
        await state.addWebhook(webhook)
        var w = JSONWriter(capacity: 512)
        writeWebhook(webhook, api: api, into: &w)
        return APIResponse.json(w)
    }

    func executeWebhook(_ api: APIRequest) async throws -> Response {
        // Read before anything is posted: a bad `wait` is a 400 with nothing created.
        let wait = try api.query.discordFlag("wait")
        guard let id = api.ids.first, let webhook = await state.webhook(id) else {
            throw DiscordAPIError.unknownWebhook()
        }
        guard String(api.free.first ?? "") == webhook.token else {
            throw DiscordAPIError(.unauthorized, code: 50027, message: "Invalid Webhook Token")
        }
        let (body, files): ([String: Any], [Int: MultipartForm.Part]) = try await readPayload(api)
        var payload = body
        // The execute body (the OpenAPI spec's `IncomingWebhookRequestPartial`, the docs' "Execute Webhook" fields)
        // has no `message_reference`, `sticker_ids`, `nonce` or `enforce_nonce`: Discord ignores them, as it does
        // unknown fields (a webhook message of stickers alone is refused as empty, 50006).
        for key in ["message_reference", "sticker_ids", "nonce", "enforce_nonce"] { payload[key] = nil }
        var targetId = webhook.channelId
        var forcedId: UInt64?
        guard let parent = await state.view(webhook.channelId) else { throw DiscordAPIError.unknownChannel() }
        if let threadText = api.query.get("thread_id") {
            guard let threadId = UInt64(threadText), let thread = await state.channel(threadId),
                thread.parentId == webhook.channelId
            else { throw DiscordAPIError.unknownChannel() }
            targetId = threadId
        } else if parent.channel.type == .guildForum || parent.channel.type == .guildMedia {
            guard let threadName = payload["thread_name"] as? String, !threadName.isEmpty else {
                throw DiscordAPIError(
                    .badRequest, code: 220001,
                    message: "Webhooks posted to forum channels must have a thread_name or thread_id")
            }
            targetId = await createThread(
                parentId: parent.channel.id, name: threadName, type: .publicThread, ownerId: webhook.id)
            await emitChannel("THREAD_CREATE", channelId: targetId, baseURL: api.baseURL)
            // A forum post's first message shares the thread's id.
            forcedId = targetId
        }
        guard let view = await state.view(targetId) else { throw DiscordAPIError.unknownChannel() }
        let built: (SimMessage, [Int: [UInt8]]) = try buildMessage(
            payload, files: files, view: view, authorId: webhook.id)
        var template = built.0
        template.webhookId = webhook.id
        template.authorName = (payload["username"] as? String) ?? webhook.name
        let finalTemplate = template
        guard
            let (message, _) = try await state.appendMessage(
                channelId: targetId, nonce: nil, enforceNonce: false, authorId: webhook.id,
                make: { _ in finalTemplate }, uploads: built.1, id: forcedId)
        else { throw DiscordAPIError.unknownChannel() }
        await emitMessage("MESSAGE_CREATE", messageId: message.id, channelId: targetId, baseURL: api.baseURL)
        guard wait else { return APIResponse.noContent() }
        guard let fresh = await state.view(targetId) else { throw DiscordAPIError.unknownChannel() }
        var w = JSONWriter(capacity: 2048)
        renderContext(api).writeMessage(message, view: fresh, into: &w)
        return APIResponse.json(w)
    }

    /// Creates a thread (forum post or standalone) and returns its id; `members` are the bots that join it (the bot
    /// that starts a thread is its first member).
    func createThread(
        parentId: UInt64, name: String, type: ChannelType, ownerId: UInt64, members: Set<UInt64> = [],
        rateLimitPerUser: Int = 0
    ) async -> UInt64 {
        guard let parent = await state.channel(parentId) else { return 0 }
        let id = await state.newId(above: (await state.view(parentId))?.lastMessageId ?? 0)
        let ms = Snowflake<AnyTag>(id).unixMilliseconds
        let info = SimThreadInfo(
            archived: false, archiveMilliseconds: ms, autoArchiveDuration: 4320, locked: false, createMilliseconds: ms,
            starterIndex: nil, joinedBots: members, ownerId: ownerId, invitable: type == .privateThread)
        let thread = SimChannel(
            id: id, guildId: parent.guildId, guildIndex: parent.guildIndex, type: type, name: name, position: 0,
            parentId: parentId, topic: nil, overwrites: [], nsfw: false,
            timeline: MessageTimeline(count: 0, startMilliseconds: ms, endMilliseconds: ms, salt: 0), thread: info,
            pinCount: 0, rateLimitPerUser: rateLimitPerUser, bitrate: nil, userLimit: nil)
        await state.addChannel(thread)
        return id
    }
}
