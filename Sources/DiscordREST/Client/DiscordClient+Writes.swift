import DiscordModels
import Foundation

extension DiscordClient {
    /// `POST /channels/{channel_id}/messages`, as JSON or (with files) multipart with `payload_json`,
    /// `files[n]` and `attachments[{id: n, filename}]`.
    ///
    /// Retried after 5xx and network errors only when the message has `nonce` and `enforceNonce`.
    public func createMessage(in channel: Snowflake<Channel>, _ message: MessageCreate, files: [FileUpload] = [])
        async throws -> Decoded<Message>
    {
        var payload = message
        let body = try Self.messageBody(&payload, attachments: \.attachments, files: files)
        return try await object(.channel(channel, .post, "/messages"), body: body, retryable: payload.isIdempotent)
    }

    /// `DELETE /channels/{channel_id}/messages/{message_id}`.
    public func deleteMessage(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws {
        try await send(
            .channel(
                channel, .delete, "/messages/\(id)", template: "/messages/{message_id}",
                object: "message \(id) in channel \(channel)")
        ) { _ in () }
    }

    /// `PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me` (204): reacts to a message as this
    /// token's user. Idempotent (a second identical reaction changes nothing), so it is retried like any PUT.
    ///
    /// ```swift
    /// try await client.addReaction("🎬", to: message.id, in: message.channelId)
    /// ```
    /// - Parameter emoji: a Unicode emoji (`🎬`, percent-encoded here) or a custom emoji as `name:id`.
    public func addReaction(_ emoji: String, to message: Snowflake<Message>, in channel: Snowflake<Channel>)
        async throws
    {
        try await send(
            .channel(
                channel, .put, "/messages/\(message)/reactions/\(Route.encodeSegment(emoji))/@me",
                template: "/messages/{message_id}/reactions/{emoji}/@me",
                object: "reaction \(emoji) on message \(message) in channel \(channel)")
        ) { _ in () }
    }

    /// `POST /channels/{channel_id}/webhooks`: the new webhook, including its token.
    public func createWebhook(in channel: Snowflake<Channel>, name: String, avatar: String? = nil) async throws
        -> Decoded<Webhook>
    {
        struct Body: Encodable {
            let name: String
            let avatar: String?
        }
        return try await object(.channel(channel, .post, "/webhooks"), body: .json(Body(name: name, avatar: avatar)))
    }

    /// `POST /webhooks/{webhook_id}/{webhook_token}`.
    ///
    /// With `wait` (the default here) Discord answers 200 with the message; without it, 204 and `nil`.
    /// `threadID` posts into a thread (unarchiving it); `message.threadName` creates a forum post.
    public func executeWebhook(
        _ id: Snowflake<Webhook>, token: String, _ message: WebhookMessage, files: [FileUpload] = [],
        wait: Bool = true, threadID: Snowflake<Channel>? = nil
    ) async throws -> Decoded<Message>? {
        var payload = message
        let body = try Self.messageBody(&payload, attachments: \.attachments, files: files)
        var route = Route(
            .post, "/webhooks/\(id)/\(Route.encodeSegment(token))", template: "/webhooks/{webhook_id}/{webhook_token}",
            major: .webhook(id.rawValue, tokenHash: Route.digest(token)), object: "webhook \(id)")
        route.authenticated = false
        route.add("wait", wait ? "true" : "false")
        route.add("thread_id", threadID)
        return try await send(route, body: body, retryable: false) { response in
            response.status == 204 || response.body.isEmpty
                ? nil : try Decoded<Message>(decoding: response.body, using: decoder)
        }
    }

    /// `POST /guilds/{guild_id}/channels` (201).
    public func createChannel(in guild: Snowflake<Guild>, _ channel: ChannelCreate) async throws -> Decoded<Channel> {
        try await object(.guild(guild, .post, "/channels"), body: .json(channel))
    }

    /// `POST /guilds/{guild_id}/roles`.
    public func createRole(in guild: Snowflake<Guild>, _ role: RoleCreate) async throws -> Decoded<Role> {
        try await object(.guild(guild, .post, "/roles"), body: .json(role))
    }

    /// `PUT /channels/{channel_id}/permissions/{overwrite_id}` (204): sets one role (type 0) or member (type 1)
    /// overwrite.
    public func editChannelPermissions(in channel: Snowflake<Channel>, _ overwrite: PermissionOverwrite) async throws {
        struct Body: Encodable {
            let type: Int
            let allow: Permissions
            let deny: Permissions
        }
        let route = Route.channel(
            channel, .put, "/permissions/\(overwrite.id)", template: "/permissions/{overwrite_id}",
            object: "overwrite \(overwrite.id) in channel \(channel)")
        try await send(route, body: .json(Body(type: overwrite.type, allow: overwrite.allow, deny: overwrite.deny))) {
            _ in
            ()
        }
    }

    /// A message's request body: JSON without files; with files, multipart with `payload_json` (its `attachments`
    /// naming each file by index, filename and description) and `files[n]`.
    private static func messageBody<Payload: Encodable>(
        _ payload: inout Payload, attachments: WritableKeyPath<Payload, [AttachmentReference]?>, files: [FileUpload]
    ) throws -> RequestBody {
        guard !files.isEmpty else { return try RequestBody.json(payload) }
        payload[keyPath: attachments] = files.enumerated().map {
            AttachmentReference(id: $0.offset, filename: $0.element.filename, description: $0.element.description)
        }
        return try Multipart.body(payload: RequestBody.jsonData(payload), files: files)
    }
}
