import DiscordModels

extension MessageStore {
    /// See ``MessageStore/messageJSON(in:after:limit:)``: the whole rows, trimmed (a backend with a narrower read
    /// overrides it).
    public func messageJSON(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [MessageJSONRow]
    {
        try await messages(in: channel, after: after, limit: limit).map(MessageJSONRow.init)
    }
}
