/// One event the world emits (MESSAGE_CREATE, CHANNEL_DELETE, ...), rendered per viewer by `render`.
///
/// `render(botIndex, messageContent)` returns the `d` payload as that bot sees it with or without the
/// MESSAGE_CONTENT intent, or nil when that bot cannot see the event (no VIEW_CHANNEL, not in the guild).
struct GatewayDispatch: Sendable {
    /// The event name (`t`).
    let name: String
    /// The guild the event belongs to (shard routing); nil for DMs and user events (shard 0).
    let guildId: UInt64?
    /// Intent bits of which the session needs one; 0 for events every session receives.
    let intents: Int
    let render: @Sendable (_ botIndex: Int, _ messageContent: Bool) -> [UInt8]?
}
