import DiscordModels

extension DiscordClient {
    /// The largest `limit` the messages route accepts.
    public static let messagePageLimit = 100

    /// `limit` within what the messages route accepts (1…100): a caller's 0 or 500 was sent as is, and refused.
    static func pageLimit(_ limit: Int) -> Int { min(max(limit, 1), messagePageLimit) }

    /// `GET /channels/{channel_id}/messages` with explicit cursors: one raw page, newest → oldest as Discord
    /// returns it. `limit` is kept within 1…100 (Discord answers 400 50035 outside it).
    public func messagePage(
        in channel: Snowflake<Channel>, before: Snowflake<Message>? = nil, after: Snowflake<Message>? = nil,
        around: Snowflake<Message>? = nil, limit: Int = messagePageLimit
    ) async throws -> [Decoded<Message>] {
        var route = Route.channel(channel, .get, "/messages")
        route.add("before", before)
        route.add("after", after)
        route.add("around", around)
        route.add("limit", Self.pageLimit(limit))
        return try await array(route)
    }

    /// `GET /channels/{channel_id}/messages?after=…`: one page indexed straight from its bytes with
    /// ``JSONScanner`` (no ``Message`` is decoded: the archive's hot path), newest → oldest as Discord returns it.
    /// `limit` is kept within 1…100.
    public func indexedMessagePage(
        in channel: Snowflake<Channel>, after: Snowflake<Message>, limit: Int = messagePageLimit
    ) async throws -> [IndexedMessage] {
        var route = Route.channel(channel, .get, "/messages")
        route.add("after", after)
        route.add("limit", Self.pageLimit(limit))
        return try await send(route) { response in
            // Every message's JSON a slice of the collected body itself: the page is not copied.
            try IndexedMessage.page(response.bodyInPlace)
        }
    }

    /// The ceiling and window length of `channel`'s message-history bucket as the limiter knows them, and the
    /// last page's round trip (from its send, the limiter's waits excluded), once a page of that channel was
    /// answered; `nil` before, or when the route has no per-channel limit.
    public func messageBucket(
        in channel: Snowflake<Channel>
    ) async -> (ceiling: Int, window: Duration, roundTrip: Duration?)? {
        let route = Route.channel(channel, .get, "/messages").key
        guard let bucket = await limiter.bucketWindow(for: route) else { return nil }
        return (bucket.ceiling, bucket.window, await limiter.roundTrip(of: route))
    }

    /// Every message after `cursor` (exclusive), in pages ordered oldest → newest.
    ///
    /// Discord answers `after=X` with the `limit` messages right after X, newest first; each page is sorted
    /// ascending here, the next cursor is the page's largest id, and a short page ends the sequence.
    /// Pass `Snowflake(0)` to start at the channel's first message.
    public func messages(
        in channel: Snowflake<Channel>, after cursor: Snowflake<Message>, pageSize: Int = messagePageLimit
    ) -> PageSequence<[Decoded<Message>]> {
        let limit = Self.pageLimit(pageSize)
        return .cursor(start: cursor) { cursor in
            let page = try await self.messagePage(in: channel, after: cursor, limit: limit)
                .sorted { $0.value.id < $1.value.id }
            let next = page.count < limit ? nil : page.last?.value.id
            return (page, page.isEmpty, next)
        }
    }

    /// Every message before `cursor` (exclusive; `nil` = from the newest), in pages ordered newest → oldest.
    public func messages(
        in channel: Snowflake<Channel>, before cursor: Snowflake<Message>?, pageSize: Int = messagePageLimit
    ) -> PageSequence<[Decoded<Message>]> {
        let limit = Self.pageLimit(pageSize)
        return .cursor(start: cursor) { cursor in
            let page = try await self.messagePage(in: channel, before: cursor, limit: limit)
                .sorted { $0.value.id > $1.value.id }
            let next: Snowflake<Message>?? = page.count < limit ? nil : page.last.map { .some($0.value.id) }
            return (page, page.isEmpty, next)
        }
    }

    /// `GET /channels/{channel_id}/messages/{message_id}`.
    public func message(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> Decoded<Message> {
        try await object(
            Route.channel(
                channel, .get, "/messages/\(id)", template: "/messages/{message_id}",
                object: "message \(id) in channel \(channel)"))
    }
}
