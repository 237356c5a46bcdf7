import Crypto
import DiscordModels
import Foundation
import Hummingbird

extension SimulatorResponder {
    /// The test-only admin surface under `/__sim/`, one router route per action; any other path or method under
    /// `/__sim/` answers Discord's JSON 404.
    func addAdminRoutes(to router: Router<BasicRequestContext>) {
        typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response
        let routes: [(method: HTTPRequest.Method, path: String, handler: Handler)] = [
            (.get, "/__sim/stats", { _, _ in await stats() }),
            (
                .post, "/__sim/stats/reset",
                { _, _ in
                    await gate.resetStats()
                    return APIResponse.noContent()
                }
            ),
            (.post, "/__sim/gateway/disconnect", { request, _ in try await gatewayDisconnect(request) }),
            (.post, "/__sim/gateway/invalidate", { _, _ in await gatewayInvalidate() }),
            (.post, "/__sim/gateway/emit", { request, _ in try await gatewayEmit(request) }),
            (.post, "/__sim/gateway/reconnect", { _, _ in await gatewayBroadcast(op: 7) }),
            (.post, "/__sim/gateway/heartbeat", { _, _ in await gatewayBroadcast(op: 1) }),
            (.post, "/__sim/gateway/dispatch", { request, _ in try await gatewayInjectDispatch(request) }),
            (.get, "/__sim/truth/guilds", { _, _ in truthGuilds() }),
            (.get, "/__sim/truth/clips", { request, _ in APIResponse.json(await truthClips(botId: botId(request))) }),
            (
                .get, "/__sim/truth/guilds/{guild}/channels",
                { request, context in
                    guard let id = context.parameters.get("guild", as: UInt64.self),
                        let index = world.guildIndexById[id]
                    else { throw DiscordAPIError.unknownGuild() }
                    return APIResponse.json(await truthChannels(guildIndex: index, botId: botId(request)))
                }
            ),
            (
                .get, "/__sim/truth/channels/{channel}/messages",
                { request, context in try await truthMessages(request, channel: context.parameters.get("channel")) }
            ),
            (.post, "/__sim/mutate", { request, _ in try await mutate(request) }),
            (.post, "/__sim/uploads/hold", { request, _ in try await holdUploads(request) }),
            (.post, "/__sim/uploads/release", { request, _ in try await releaseUploads(request) }),
            (.get, "/__sim/uploads/held", { request, _ in await heldUploads(request) }),
        ]
        for route in routes { router.on(RouterPath(route.path), method: route.method, use: route.handler) }
        // The other methods of these paths, and every other path under /__sim/, are not routes.
        var served: [String: [HTTPRequest.Method]] = [:]
        for route in routes { served[route.path, default: []].append(route.method) }
        for (path, methods) in served {
            for method in Self.methods where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in throw DiscordAPIError.notFoundRoute()
                }
            }
        }
        for method in Self.methods {
            router.on("/__sim/**", method: method) { _, _ -> Response in throw DiscordAPIError.notFoundRoute() }
        }
    }

    /// `?bot=N`: the id of the bot a truth query is for (the first bot by default).
    private func botId(_ request: Request) -> UInt64 {
        let botIndex = Int(request.uri.queryParameters.get("bot") ?? "0") ?? 0
        return world.bots.indices.contains(botIndex) ? world.bots[botIndex].id : 0
    }

    /// `GET /__sim/stats`: the gatekeeper's counters, the uploads and the gateway's.
    private func stats() async -> Response {
        var stats = Self.renderStats(await gate.snapshot(now: now()), uploads: state.uploads.counts)
        var gatewayStats = JSONWriter(capacity: 128)
        gatewayStats.beginObject()
        gatewayStats.key("gateway")
        Self.renderGatewayStats(await gatewayHub.stats(), into: &gatewayStats)
        gatewayStats.endObject()
        stats = JSONWriter(bytes: Self.splice(stats.bytes, gatewayStats.bytes))
        return APIResponse.json(stats)
    }

    /// `GET /__sim/truth/guilds`: every guild's id and name.
    private func truthGuilds() -> Response {
        var w = JSONWriter()
        w.beginArray()
        for guild in world.guilds {
            w.beginObject()
            w.key("id")
            w.id(guild.id)
            w.key("name")
            w.string(guild.name)
            w.endObject()
        }
        w.endArray()
        return APIResponse.json(w)
    }

    /// `GET /__sim/truth/channels/{channel}/messages?after=&limit=`: every message of the channel, deleted ones
    /// marked, oldest first, with its author (`authorId`, `webhookId`, `username`), `pinned`, `replyTo` and its
    /// `files` (`filename`, `size`, `sha256` of uploaded bytes, null for generated ones).
    private func truthMessages(_ request: Request, channel: String?) async throws -> Response {
        guard let id = channel.flatMap({ UInt64($0) }), let view = await state.view(id) else {
            throw DiscordAPIError.unknownChannel()
        }
        let query = request.uri.queryParameters
        let after = query.get("after").flatMap { UInt64($0) } ?? 0
        let limit = query.get("limit").flatMap { Int($0) } ?? Int.max
        var w = JSONWriter(capacity: 64 * min(view.totalCount, 100_000))
        w.beginArray()
        var position = after == 0 ? 0 : view.lowerBound(after + 1)
        var written = 0
        while position < view.totalCount && written < limit {
            let message = view.message(at: position)
            w.beginObject()
            w.key("id")
            w.id(message.id)
            w.key("deleted")
            w.bool(view.overlay.deleted.contains(message.id))
            w.key("edited")
            w.bool(message.editedMilliseconds != nil)
            w.key("editedTimestamp")
            w.timestamp(message.editedMilliseconds)
            w.key("type")
            w.int(message.type)
            w.key("content")
            w.string(message.content)
            w.key("attachments")
            w.int(message.attachments.count)
            // What a clone check compares (a mirror's webhook copies): author, pin, reply and uploaded files.
            w.key("authorId")
            w.id(message.authorId)
            w.key("webhookId")
            w.id(message.webhookId)
            w.key("username")
            if let name = message.authorName { w.string(name) } else { w.null() }
            w.key("pinned")
            w.bool(message.pinned)
            w.key("replyTo")
            w.id(message.type == 19 ? message.reference?.messageId : nil)
            w.key("files")
            w.beginArray()
            for attachment in message.attachments {
                w.beginObject()
                w.key("filename")
                w.string(attachment.filename)
                w.key("size")
                w.int(attachment.size)
                w.key("sha256")
                if let bytes = await state.upload(attachment.id) {
                    w.string(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
                } else {
                    w.null()
                }
                w.endObject()
            }
            w.endArray()
            w.endObject()
            position += 1
            written += 1
        }
        w.endArray()
        return APIResponse.json(w)
    }

    /// `POST /__sim/mutate`: a JSON object naming the change (`op`); see ``mutate(_:baseURL:)``.
    private func mutate(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4 * 1024 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else {
            throw DiscordAPIError(.badRequest, code: 50109, message: "The request body contains invalid JSON.")
        }
        return try await mutate(object, baseURL: "http://\(request.head.authority ?? "127.0.0.1")")
    }

    func truthChannels(guildIndex: Int, botId: UInt64) async -> JSONWriter {
        let channels = await state.guildChannels(guildIndex) + state.guildThreads(guildIndex)
        var w = JSONWriter(capacity: 256 * channels.count + 2)
        w.beginArray()
        for (channel, _) in channels {
            guard let view = await state.view(channel.id) else { continue }
            let permissions = permissions(of: botId, in: view)
            w.beginObject()
            w.key("id")
            w.id(channel.id)
            w.key("type")
            w.int(channel.type.rawValue)
            w.key("parentId")
            w.id(channel.parentId)
            w.key("name")
            w.string(channel.name)
            w.key("viewable")
            w.bool(permissions.contains(.viewChannel))
            w.key("readable")
            w.bool(permissions.isSuperset(of: [.viewChannel, .readMessageHistory]))
            w.key("messageCount")
            w.int(view.liveCount)
            if let thread = channel.thread {
                w.key("archived")
                w.bool(thread.archived)
                w.key("joined")
                w.bool(thread.joinedBots.contains(botId))
            }
            w.endObject()
        }
        w.endArray()
        return w
    }

    func mutate(_ object: [String: Any], baseURL: String) async throws -> Response {
        func id(_ key: String) -> UInt64? {
            (object[key] as? String).flatMap { UInt64($0) } ?? (object[key] as? Int).map { UInt64($0) }
        }
        let op = object["op"] as? String ?? ""
        if op == "joinGuild" || op == "leaveGuild" {
            return try await mutateMembership(object, join: op == "joinGuild", baseURL: baseURL)
        }
        if op == "addMember" || op == "updateMember" || op == "removeMember" {
            return try await mutateMember(object, op: op, baseURL: baseURL)
        }
        if op == "createChannel" { return try await createChannelByMutation(object, baseURL: baseURL) }
        if op == "deleteEvent" { return try await deleteEventByMutation(object, baseURL: baseURL) }
        if op == "searchIndex" {
            // `{"op": "searchIndex", "guildId": G, "pending": N}`: the guild's next N searches answer 202.
            guard let guild = id("guildId"), let guildIndex = world.guildIndexById[guild] else {
                throw DiscordAPIError.unknownGuild()
            }
            await state.setSearchesBeforeIndexed(object["pending"] as? Int ?? 1, guildIndex: guildIndex)
            return Self.idAnswer(guild)
        }
        guard let channelId = id("channelId") ?? id("channel_id"), let view = await state.view(channelId) else {
            throw DiscordAPIError.unknownChannel()
        }
        let content = object["content"] as? String ?? ""
        var resultId: UInt64?
        var resultIds: [UInt64]?
        switch op {
        case "create":
            let authorId = id("authorId") ?? world.humans[0].id
            let guildId = view.channel.guildId
            // `attachments: [{"filename", "contentType"?, "base64"}]`: a user's message carrying files, stored like
            // uploads and served from the CDN's signed URLs.
            var attachments: [SimAttachment] = []
            var uploads: [Int: [UInt8]] = [:]
            for (slot, file) in (object["attachments"] as? [[String: Any]] ?? []).enumerated() {
                guard let filename = file["filename"] as? String,
                    let bytes = (file["base64"] as? String).flatMap({ Data(base64Encoded: $0) })
                else {
                    throw DiscordAPIError(
                        .badRequest, code: 0, message: "attachment \(slot) needs a filename and base64 bytes")
                }
                attachments.append(
                    SimAttachment(
                        id: 0, filename: filename, size: bytes.count, contentType: file["contentType"] as? String))
                uploads[slot] = [UInt8](bytes)
            }
            let carried = attachments
            resultId = try await state.appendMessage(
                channelId: channelId, nonce: nil, enforceNonce: false, authorId: authorId,
                make: { newId in
                    var message = SimMessage(
                        id: newId, channelId: channelId, guildId: guildId, authorId: authorId, content: content,
                        timestampMilliseconds: 0)
                    message.attachments = carried
                    return message
                }, uploads: uploads)?.0.id
            if let resultId {
                await emitMessage("MESSAGE_CREATE", messageId: resultId, channelId: channelId, baseURL: baseURL)
            }
        case "edit":
            guard let messageId = id("messageId") else { throw DiscordAPIError.unknownMessage() }
            resultId = await state.editMessage(channelId: channelId, messageId: messageId, content: content)?.id
            if let resultId {
                await emitMessage("MESSAGE_UPDATE", messageId: resultId, channelId: channelId, baseURL: baseURL)
            }
        case "delete":
            guard let messageId = id("messageId") else { throw DiscordAPIError.unknownMessage() }
            resultId = await state.deleteMessage(channelId: channelId, messageId: messageId) ? messageId : nil
            if let resultId { await emitMessageDelete(ids: [resultId], channelId: channelId) }
        case "bulkDelete":
            let ids = (object["messageIds"] as? [Any] ?? []).compactMap {
                ($0 as? String).flatMap { UInt64($0) } ?? ($0 as? Int).map { UInt64($0) }
            }
            var deleted: [UInt64] = []
            for messageId in ids {
                if await state.deleteMessage(channelId: channelId, messageId: messageId) { deleted.append(messageId) }
            }
            await emitMessageDelete(ids: deleted, channelId: channelId)
            resultIds = deleted
        case "react":
            guard let messageId = id("messageId") else { throw DiscordAPIError.unknownMessage() }
            let emoji = object["emoji"] as? String ?? "🔥"
            guard let (_, reactor) = await state.react(channelId: channelId, messageId: messageId, emoji: emoji) else {
                throw DiscordAPIError.unknownMessage()
            }
            await emitReactionAdd(
                channel: view, messageId: messageId, emoji: emoji, userId: reactor.id, baseURL: baseURL)
            resultId = messageId
        case "pin", "unpin":
            // A moderator (the first human, or `authorId`) pins or unpins: the same change and events as the REST
            // routes.
            guard let messageId = id("messageId") else { throw DiscordAPIError.unknownMessage() }
            try await setPinned(
                op == "pin", message: messageId, in: view, by: id("authorId") ?? world.humans[0].id, baseURL: baseURL)
            resultId = messageId
        case "deleteChannel":
            // Rendered before it goes: CHANNEL_DELETE carries the channel, THREAD_DELETE `{id, guild_id, parent_id,
            // type}`.
            await emitChannelDelete(view)
            resultId = await state.deleteChannel(channelId) ? channelId : nil
        case "createThread":
            let type = ChannelType(rawValue: object["type"] as? Int ?? 11)
            resultId = await createThread(
                parentId: channelId, name: object["name"] as? String ?? "new thread", type: type,
                ownerId: world.humans[0].id)
            if let resultId, resultId != 0 { await emitChannel("THREAD_CREATE", channelId: resultId, baseURL: baseURL) }
        case "corruptAttachment":
            guard let messageId = id("messageId"), let message = view.message(id: messageId) else {
                throw DiscordAPIError.unknownMessage()
            }
            let index = object["index"] as? Int ?? 0
            guard message.attachments.indices.contains(index),
                await state.corruptUpload(message.attachments[index].id)
            else {
                throw DiscordAPIError(
                    .badRequest, code: 0, message: "no uploaded attachment \(index) on \(messageId)")
            }
            resultId = messageId
        default:
            throw DiscordAPIError(.badRequest, code: 0, message: "unknown op \(op)")
        }
        if let resultIds {
            var w = JSONWriter()
            w.beginObject()
            w.key("ids")
            w.beginArray()
            for id in resultIds { w.id(id) }
            w.endArray()
            w.endObject()
            return APIResponse.json(w)
        }
        guard let resultId else { throw DiscordAPIError.unknownMessage() }
        return Self.idAnswer(resultId)
    }

    /// A mutation's answer: `{"id": "…"}`, the object it made or changed.
    static func idAnswer(_ id: UInt64) -> Response {
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.id(id)
        w.endObject()
        return APIResponse.json(w)
    }

    static func renderStats(_ stats: SimulatorStats, uploads: (bytes: Int, attachments: Int) = (0, 0)) -> JSONWriter {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.key("requests")
        w.int(stats.requests)
        w.key("byRoute")
        w.beginObject()
        for (route, count) in stats.byRoute.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(route)
            w.int(count)
        }
        w.endObject()
        w.key("byToken")
        w.beginObject()
        for (token, routes) in stats.byToken.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(String(token))
            w.beginObject()
            for (route, count) in routes.sorted(by: { $0.key < $1.key }) {
                w.dynamicKey(route)
                w.int(count)
            }
            w.endObject()
        }
        w.endObject()
        w.key("rateLimited")
        w.beginObject()
        w.key("user")
        w.int(stats.rateLimited.user)
        w.key("global")
        w.int(stats.rateLimited.global)
        w.key("shared")
        w.int(stats.rateLimited.shared)
        w.key("hidden")
        w.int(stats.rateLimited.hidden)
        w.key("despiteRemaining")
        w.int(stats.rateLimited.despiteRemaining)
        w.key("userByRoute")
        w.beginObject()
        for (route, count) in stats.rateLimited.userByRoute.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(route)
            w.int(count)
        }
        w.endObject()
        w.endObject()
        w.key("invalidRequests")
        w.int(stats.invalidRequests)
        w.key("invalidRequestsInWindow")
        w.int(stats.invalidRequestsInWindow)
        w.key("bans")
        w.int(stats.bans)
        w.key("banned")
        w.bool(stats.banned)
        w.key("bannedResponses")
        w.int(stats.bannedResponses)
        w.key("compressedAnswers")
        w.int(stats.compressedAnswers)
        w.key("compressedBytesIn")
        w.int(stats.compressedBytesIn)
        w.key("compressedBytesOut")
        w.int(stats.compressedBytesOut)
        w.key("faults")
        w.beginObject()
        w.key("total")
        w.int(stats.faultsTotal)
        for (kind, count) in stats.faults.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(kind)
            w.int(count)
        }
        w.endObject()
        w.key("duplicatePages")
        w.int(stats.duplicatePages)
        w.key("pages")
        w.beginObject()
        for (key, count) in stats.pages.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(key)
            w.int(count)
        }
        w.endObject()
        w.key("firstRoundTrip")
        w.beginObject()
        for (route, roundTrip) in stats.firstRoundTrip.sorted(by: { $0.key < $1.key }) {
            w.dynamicKey(route)
            w.int(roundTrip)
        }
        w.endObject()
        w.key("uploadedBytes")
        w.int(uploads.bytes)
        w.key("uploadedAttachments")
        w.int(uploads.attachments)
        w.endObject()
        return w
    }
}
