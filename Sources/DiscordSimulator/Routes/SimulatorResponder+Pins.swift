import DiscordModels
import Hummingbird

/// Pinning and unpinning (discord-api.md §3.3, the spec's `create_pin`/`delete_pin` and their deprecated
/// `/pins/{m}` twins), by the REST routes and by `/__sim/mutate` (`pin`/`unpin`, a moderator's action).
extension SimulatorResponder {
    /// `PUT`/`DELETE /channels/{c}/messages/pins/{m}` (and the deprecated `/channels/{c}/pins/{m}`) → 204. Needs
    /// PIN_MESSAGES or MANAGE_MESSAGES; pinning a pinned message (or unpinning one that is not) changes nothing;
    /// at 250 pins 30003.
    func changePin(_ api: APIRequest, pinned: Bool) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        guard !permissions(of: api.botId, in: view).isDisjoint(with: [.pinMessages, .manageMessages]) else {
            throw DiscordAPIError.missingPermissions()
        }
        guard api.ids.count > 1 else { throw DiscordAPIError.unknownMessage() }
        try await setPinned(pinned, message: api.ids[1], in: view, by: api.botId, baseURL: api.baseURL)
        return APIResponse.noContent()
    }

    /// Pins or unpins `messageId` as `actorId`, and tells the gateway: CHANNEL_PINS_UPDATE `{guild_id, channel_id,
    /// last_pin_timestamp}` (the channel's newest pin time after the change, null when none) for every change, and for a pin the
    /// system message of type 6 (CHANNEL_PINNED_MESSAGE, its `message_reference` naming the pinned message: §4's
    /// "pins (6) carry all three" ids) with its MESSAGE_CREATE.
    ///
    /// The docs are silent on a MESSAGE_UPDATE for the message's `pinned` flag (discord.py says Discord sends one):
    /// the simulator sends none, so a client must not depend on it; `/__sim/gateway/dispatch` can inject one.
    func setPinned(_ pinned: Bool, message messageId: UInt64, in view: ChannelView, by actorId: UInt64, baseURL: String)
        async throws
    {
        guard let message = view.message(id: messageId) else { throw DiscordAPIError.unknownMessage() }
        if pinned && !message.pinned && pinnedMessages(view).count >= 250 {
            throw DiscordAPIError(.badRequest, code: 30003, message: "Maximum number of pins reached (250)")
        }
        let channelId = view.channel.id
        let milliseconds = UInt64(now() * 1000)
        guard
            let changed = await state.setPinned(
                pinned, channelId: channelId, messageId: messageId, milliseconds: milliseconds)
        else { throw DiscordAPIError.unknownMessage() }
        guard changed else { return }
        if pinned {
            let guildId = view.channel.guildId
            let notice = try await state.appendMessage(
                channelId: channelId, nonce: nil, enforceNonce: false, authorId: actorId,
                make: { id in
                    var notice = SimMessage(
                        id: id, channelId: channelId, guildId: guildId, authorId: actorId, content: "",
                        timestampMilliseconds: 0)
                    notice.type = 6
                    notice.reference = SimReference(messageId: messageId, channelId: channelId, guildId: guildId)
                    return notice
                })
            if let notice {
                await emitMessage("MESSAGE_CREATE", messageId: notice.0.id, channelId: channelId, baseURL: baseURL)
            }
        }
        await emitPinsUpdate(channelId: channelId, baseURL: baseURL)
    }

    /// CHANNEL_PINS_UPDATE `{guild_id, channel_id, last_pin_timestamp}` to the bots that can view the channel
    /// (GUILDS intent), the time being the channel's `last_pin_timestamp`.
    func emitPinsUpdate(channelId: UInt64, baseURL: String) async {
        guard let view = await state.view(channelId) else { return }
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.key("guild_id")
        w.id(view.channel.guildId)
        w.key("channel_id")
        w.id(channelId)
        w.key("last_pin_timestamp")
        w.timestamp(view.lastPinMilliseconds)
        w.endObject()
        let payload = w.bytes
        await dispatchToViewers("CHANNEL_PINS_UPDATE", of: view, intents: GatewayIntent.guilds, baseURL: baseURL) { _ in
            payload
        }
    }
}
