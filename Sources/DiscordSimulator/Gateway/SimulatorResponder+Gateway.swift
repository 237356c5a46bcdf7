import DiscordModels
import Foundation
import Hummingbird

extension SimulatorResponder {
    /// A render context for a gateway viewer (a bot, with or without MESSAGE_CONTENT).
    func gatewayRenderContext(botIndex: Int, messageContent: Bool, baseURL: String) -> RenderContext {
        RenderContext(
            world: world, baseURL: baseURL, signer: signer, nowSeconds: UInt64(now()),
            viewerId: world.bots.indices.contains(botIndex) ? world.bots[botIndex].id : 0,
            messageContent: messageContent && configuration.messageContentIntent)
    }

    /// Appends members of `extra` to a rendered JSON object (`{...}` + `{"a":1}` → `{...,"a":1}`).
    static func splice(_ object: [UInt8], _ extra: [UInt8]) -> [UInt8] {
        guard extra.count > 2, object.count >= 2 else { return object }
        var result = Array(object.dropLast())
        if result.count > 1 { result.append(UInt8(ascii: ",")) }
        result.append(contentsOf: extra.dropFirst())
        return result
    }

    /// GUILD_CREATE for a guild: the guild plus `joined_at`, `large`, `member_count`, `members` (the bot only, as
    /// without GUILD_PRESENCES), `channels`, the visible active `threads`, `presences` and scheduled events.
    func renderGuildCreate(_ guild: SimGuild, context: RenderContext) async -> [UInt8] {
        var base = JSONWriter(capacity: 16 * 1024)
        context.writeGuild(
            guild, roles: await state.roles(guild.index), emojis: await state.emojis(guild.index),
            stickers: await state.stickers(guild.index), withCounts: false, into: &base)
        var w = JSONWriter(capacity: 16 * 1024)
        w.beginObject()
        w.key("joined_at")
        w.timestamp(guild.createdMilliseconds + 3_600_000)
        w.key("large")
        w.bool(false)
        w.key("unavailable")
        w.bool(false)
        w.key("member_count")
        w.int(world.humans.count + world.bots.count)
        w.key("members")
        w.beginArray()
        if let bot = world.usersById[context.viewerId] { context.writeMember(bot, guild: guild, into: &w) }
        w.endArray()
        w.key("channels")
        w.beginArray()
        for (channel, overlay) in await state.guildChannels(guild.index) {
            context.writeChannel(channel, overlay: overlay, into: &w)
        }
        w.endArray()
        w.key("threads")
        w.beginArray()
        for (thread, overlay) in await state.guildThreads(guild.index) where thread.thread?.archived == false {
            guard let view = await state.view(thread.id), canView(context.viewerId, view) else { continue }
            context.writeChannel(thread, overlay: overlay, into: &w)
        }
        w.endArray()
        w.key("presences")
        w.beginArray()
        w.endArray()
        w.key("voice_states")
        w.beginArray()
        w.endArray()
        w.key("stage_instances")
        w.beginArray()
        w.endArray()
        w.key("guild_scheduled_events")
        w.beginArray()
        for event in await events(of: guild) { context.writeEvent(event, guild: guild, withUserCount: false, into: &w) }
        w.endArray()
        w.key("soundboard_sounds")
        w.beginArray()
        w.endArray()
        w.endObject()
        return Self.splice(base.bytes, w.bytes)
    }

    // MARK: Emitting events

    /// MESSAGE_CREATE or MESSAGE_UPDATE: the message plus `guild_id`, `member` (no `user`) and `channel_type`,
    /// to every bot that can view the channel.
    func emitMessage(_ name: String, messageId: UInt64, channelId: UInt64, baseURL: String) async {
        guard let view = await state.view(channelId), let message = view.message(id: messageId) else { return }
        let responder = self
        let guild = world.guilds.indices.contains(view.channel.guildIndex) ? world.guilds[view.channel.guildIndex] : nil
        await dispatchToViewers(name, of: view, intents: GatewayIntent.guildMessages, baseURL: baseURL) { context in
            var body = JSONWriter(capacity: 2048)
            context.writeMessage(message, view: view, into: &body)
            var extra = JSONWriter(capacity: 512)
            extra.beginObject()
            extra.key("guild_id")
            extra.id(view.channel.guildId)
            if let guild, message.webhookId == nil, let author = responder.world.usersById[message.authorId] {
                extra.key("member")
                var member = JSONWriter(capacity: 512)
                context.writeMember(author, guild: guild, into: &member)
                extra.raw(Self.removingUser(member.bytes))
            }
            extra.key("channel_type")
            extra.int(view.channel.type.rawValue)
            extra.endObject()
            return Self.splice(body.bytes, extra.bytes)
        }
    }

    /// A member object without its `user` (the shape MESSAGE_CREATE carries).
    static func removingUser(_ member: [UInt8]) -> [UInt8] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(member)) as? [String: Any] else {
            return member
        }
        var copy = object
        copy["user"] = nil
        return (try? JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys])).map { Array($0) } ?? member
    }

    /// MESSAGE_DELETE `{id, channel_id, guild_id}` or MESSAGE_DELETE_BULK `{ids, channel_id, guild_id}`.
    func emitMessageDelete(ids: [UInt64], channelId: UInt64) async {
        guard let view = await state.view(channelId), !ids.isEmpty else { return }
        let responder = self
        let departures = await state.departures
        let bulk = ids.count > 1
        var w = JSONWriter(capacity: 128 + 24 * ids.count)
        w.beginObject()
        if bulk {
            w.key("ids")
            w.beginArray()
            for id in ids { w.id(id) }
            w.endArray()
        } else {
            w.key("id")
            w.id(ids[0])
        }
        w.key("channel_id")
        w.id(channelId)
        w.key("guild_id")
        w.id(view.channel.guildId)
        w.endObject()
        let payload = w.bytes
        await gatewayHub.dispatch(
            GatewayDispatch(
                name: bulk ? "MESSAGE_DELETE_BULK" : "MESSAGE_DELETE", guildId: view.channel.guildId,
                intents: GatewayIntent.guildMessages
            ) { botIndex, _ in
                let botId = responder.world.bots.indices.contains(botIndex) ? responder.world.bots[botIndex].id : 0
                let member = responder.isMember(departures, botId: botId, guildIndex: view.channel.guildIndex)
                return member && responder.canView(botId, view) ? payload : nil
            })
    }

    /// CHANNEL_CREATE/UPDATE/DELETE or THREAD_CREATE/UPDATE: the channel as the bot sees it.
    func emitChannel(_ name: String, channelId: UInt64, baseURL: String) async {
        guard let view = await state.view(channelId) else { return }
        await dispatchToViewers(name, of: view, intents: GatewayIntent.guilds, baseURL: baseURL) { context in
            var w = JSONWriter(capacity: 1024)
            context.writeChannel(view.channel, overlay: view.overlay, into: &w)
            guard name == "THREAD_CREATE" else { return w.bytes }
            return Self.splice(w.bytes, Array("{\"newly_created\":true}".utf8))
        }
    }

    /// Dispatches `name` (for sessions with one of `intents`) to every bot that is in the guild of `view`'s channel
    /// and can view the channel, as `render` writes it for that bot (`nil`: nothing for it).
    func dispatchToViewers(
        _ name: String, of view: ChannelView, intents: Int, baseURL: String,
        render: @escaping @Sendable (RenderContext) -> [UInt8]?
    ) async {
        let responder = self
        let departures = await state.departures
        await gatewayHub.dispatch(
            GatewayDispatch(name: name, guildId: view.channel.guildId, intents: intents) { botIndex, messageContent in
                let context = responder.gatewayRenderContext(
                    botIndex: botIndex, messageContent: messageContent, baseURL: baseURL)
                guard responder.isMember(departures, botId: context.viewerId, guildIndex: view.channel.guildIndex),
                    responder.canView(context.viewerId, view)
                else { return nil }
                return render(context)
            })
    }

    /// GUILD_ROLE_CREATE or GUILD_ROLE_UPDATE `{guild_id, role}`.
    func emitRole(_ name: String, _ role: Role, guildIndex: Int, baseURL: String) async {
        let guild = world.guilds[guildIndex]
        await dispatchToGuild(name, guildIndex: guildIndex, intents: GatewayIntent.guilds, baseURL: baseURL) {
            context in
            Self.guildPayload(guild.id, "role") { context.writeRole(role, guild: guild, into: &$0) }
        }
    }

    /// `{"guild_id": …, "<member>": …}`, the member's value written by `value` (GUILD_ROLE_*, GUILD_EMOJIS_UPDATE…).
    static func guildPayload(_ guildId: UInt64, _ member: StaticString, _ value: (inout JSONWriter) -> Void)
        -> [UInt8]
    {
        var w = JSONWriter(capacity: 1024)
        w.beginObject()
        w.key("guild_id")
        w.id(guildId)
        w.key(member)
        value(&w)
        w.endObject()
        return w.bytes
    }

    /// Dispatches `name` (for sessions with one of `intents`) to every bot in the guild, as `render` writes it for
    /// that bot.
    func dispatchToGuild(
        _ name: String, guildIndex: Int, intents: Int, baseURL: String,
        render: @escaping @Sendable (RenderContext) -> [UInt8]
    ) async {
        let guild = world.guilds[guildIndex]
        let responder = self
        let departures = await state.departures
        await gatewayHub.dispatch(
            GatewayDispatch(name: name, guildId: guild.id, intents: intents) { botIndex, messageContent in
                let context = responder.gatewayRenderContext(
                    botIndex: botIndex, messageContent: messageContent, baseURL: baseURL)
                guard responder.isMember(departures, botId: context.viewerId, guildIndex: guildIndex) else {
                    return nil
                }
                return render(context)
            })
    }

    // MARK: Admin

    /// `POST /__sim/gateway/disconnect` (optional `{"code": N}`, default 4000): closes every gateway connection.
    func gatewayDisconnect(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        let code = (object?["code"] as? Int).flatMap { UInt16(exactly: $0) } ?? GatewayCloseCode.unknownError
        await gatewayHub.disconnectAll(code: code)
        return APIResponse.noContent()
    }

    /// `POST /__sim/gateway/invalidate`: invalidates every session (op 9).
    func gatewayInvalidate() async -> Response {
        await gatewayHub.invalidateAll()
        return APIResponse.noContent()
    }

    /// `POST /__sim/gateway/reconnect` (op 7) and `POST /__sim/gateway/heartbeat` (op 1 from the server).
    func gatewayBroadcast(op: Int) async -> Response {
        await gatewayHub.broadcast(op: op)
        return APIResponse.noContent()
    }

    /// `POST /__sim/gateway/dispatch` (`{"t": NAME, "d": {...}}`): sends one dispatch, its `d` as given, to every
    /// session (routed to shards by `d.guild_id`). For what Discord documents and the simulator does not produce on
    /// its own, injectable as op 1 and op 7 are: a partial MESSAGE_UPDATE (gateway-events.mdx, "Message Update":
    /// fields may be missing), the reaction removals, THREAD_LIST_SYNC, GUILD_ROLE_DELETE, names a client never heard
    /// of. Nothing in the world changes: the event says only what the test makes it say.
    func gatewayInjectDispatch(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let name = object["t"] as? String, let data = object["d"],
            let payload = try? JSONSerialization.data(withJSONObject: data, options: [.fragmentsAllowed])
        else { throw DiscordAPIError.invalidFormBody() }
        let guildId = ((data as? [String: Any])?["guild_id"] as? String).flatMap { UInt64($0) }
        let bytes = [UInt8](payload)
        await gatewayHub.dispatch(GatewayDispatch(name: name, guildId: guildId, intents: 0) { _, _ in bytes })
        return APIResponse.noContent()
    }

    /// `POST /__sim/gateway/emit` (`{"channelId", "rate", "seconds", "clips"?}`): starts
    /// ``emitMessages(channelId:guildId:rate:seconds:clips:baseURL:)`` and answers at once.
    func gatewayEmit(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        let channelId = (object?["channelId"] as? String).flatMap { UInt64($0) }
        guard let channelId, let view = await state.view(channelId) else { throw DiscordAPIError.unknownChannel() }
        let guildId = view.channel.guildId
        let rate = max(1, object?["rate"] as? Int ?? 1000)
        let seconds = max(0.001, (object?["seconds"] as? Double) ?? Double(object?["seconds"] as? Int ?? 60))
        let clips = object?["clips"] as? Bool ?? false
        let baseURL = "http://\(request.head.authority ?? "127.0.0.1")"
        let responder = self
        Task {
            await responder.emitMessages(
                channelId: channelId, guildId: guildId, rate: rate, seconds: seconds, clips: clips, baseURL: baseURL)
        }
        return APIResponse.noContent()
    }

    /// The emit-rate knob behind `POST /__sim/gateway/emit`: creates `rate` messages per second for `seconds`
    /// in a channel, each with its MESSAGE_CREATE, paced on the clock (a benchmark load). With `clips`, each message
    /// carries one clip, a Streamable link and a video attachment (`load-N.mp4`, `video/mp4`, 1 MB, whose bytes the
    /// CDN does not hold) in turn: the load of `skald bot`'s clip saver.
    func emitMessages(
        channelId: UInt64, guildId: UInt64, rate: Int, seconds: Double, clips: Bool = false, baseURL: String
    ) async {
        let total = Int((Double(rate) * seconds).rounded())
        let clock = ContinuousClock()
        let start = clock.now
        let authorId = world.humans[0].id
        var sent = 0
        while sent < total {
            let elapsed = clock.now - start
            let due = min(
                total,
                Int(
                    Double(rate)
                        * (Double(elapsed.components.seconds)
                            + Double(elapsed.components.attoseconds) / 1e18)) + 1)
            while sent < due {
                let index = sent
                let link = clips && index % 2 == 0
                let content = link ? "load \(index) https://streamable.com/load\(index)" : "load \(index)"
                // No uploads here, so nothing can fail to be kept.
                guard
                    let (message, _) = try? await state.appendMessage(
                        channelId: channelId, nonce: nil, enforceNonce: false, authorId: authorId,
                        make: { id in
                            var message = SimMessage(
                                id: id, channelId: channelId, guildId: guildId, authorId: authorId, content: content,
                                timestampMilliseconds: 0)
                            if clips && !link {
                                message.attachments = [
                                    SimAttachment(
                                        id: 0, filename: "load-\(index).mp4", size: 1_000_000, contentType: "video/mp4")
                                ]
                            }
                            return message
                        })
                else { return }
                await emitMessage("MESSAGE_CREATE", messageId: message.id, channelId: channelId, baseURL: baseURL)
                sent += 1
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    static func renderGatewayStats(_ stats: GatewayStats, into w: inout JSONWriter) {
        w.beginObject()
        w.key("sessions")
        w.int(stats.sessions)
        w.key("identifies")
        w.int(stats.identifies)
        w.key("resumes")
        w.int(stats.resumes)
        w.key("eventsSent")
        w.int(stats.eventsSent)
        w.endObject()
    }
}
