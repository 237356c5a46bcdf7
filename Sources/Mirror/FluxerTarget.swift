import DiscordREST
import Foundation

/// Fluxer's REST API as the mirror writes to it (fluxer-api.md §3), through ``DiscordClient``'s limiter,
/// retries and error mapping (Fluxer authenticates bots with `Bot <token>` and sends Discord-style rate-limit
/// headers). Bodies and answers are Fluxer's own JSON shapes.
public struct FluxerTarget: Sendable {
    /// `ALL_PERMISSIONS` of Fluxer [B] (fluxer-api.md §3.3): Discord bits without meaning there are masked.
    public static let allPermissions: UInt64 = 15_772_633_886_359_551

    let client: DiscordClient
    /// The target community.
    public let guild: UInt64

    /// A target over `client` (its `apiBase` is the Fluxer API base, e.g. `https://api.fluxer.app/v1`).
    public init(client: DiscordClient, guild: UInt64) {
        self.client = client
        self.guild = guild
    }

    /// `GET /guilds/{g}`: checks the token and the community (one request; a bad token stops here).
    public func checkGuild() async throws -> String {
        let data = try await client.sendJSON(
            Route(
                .get, "/guilds/\(guild)", template: "/guilds/{guild_id}", major: .guild(guild), object: "guild \(guild)"
            ))
        return (Self.object(data)["name"] as? String) ?? String(guild)
    }

    /// `POST /guilds/{g}/roles`: the new role's id.
    public func createRole(name: String, color: Int, permissions: UInt64) async throws -> UInt64 {
        let data = try await client.sendJSON(
            Route(
                .post, "/guilds/\(guild)/roles", template: "/guilds/{guild_id}/roles", major: .guild(guild),
                object: "role \"\(name)\""),
            json: Self.encode([
                "name": name, "color": color, "permissions": String(permissions & Self.allPermissions),
            ]))
        return try Self.id(data)
    }

    /// `PATCH /guilds/{g}/roles/{r}`: hoist and mentionable (ignored at creation).
    public func updateRole(_ id: UInt64, hoist: Bool, mentionable: Bool) async throws {
        _ = try await client.sendJSON(
            Route(
                .patch, "/guilds/\(guild)/roles/\(id)", template: "/guilds/{guild_id}/roles/{role_id}",
                major: .guild(guild), object: "role \(id)"),
            json: Self.encode(["hoist": hoist, "mentionable": mentionable]), retryable: true)
    }

    /// `PATCH /guilds/{g}/roles`: one reorder, lowest first from position 1 (never @everyone).
    public func reorderRoles(_ idsLowestFirst: [UInt64]) async throws {
        guard !idsLowestFirst.isEmpty else { return }
        let items = idsLowestFirst.enumerated().map { ["id": String($1), "position": $0 + 1] as [String: Any] }
        _ = try await client.sendJSON(
            Route(
                .patch, "/guilds/\(guild)/roles", template: "/guilds/{guild_id}/roles", major: .guild(guild),
                object: "role positions"),
            json: Self.encode(items), retryable: true)
    }

    /// `POST /guilds/{g}/channels` with its overwrites: the new channel's id.
    public func createChannel(name: String, type: Int, topic: String?, parent: UInt64?, overwrites: [[String: Any]])
        async throws -> UInt64
    {
        var body: [String: Any] = ["name": name, "type": type, "permission_overwrites": overwrites]
        if let topic, !topic.isEmpty { body["topic"] = String(topic.prefix(1024)) }
        if let parent { body["parent_id"] = String(parent) }
        let data = try await client.sendJSON(
            Route(
                .post, "/guilds/\(guild)/channels", template: "/guilds/{guild_id}/channels", major: .guild(guild),
                object: "channel \"\(name)\""),
            json: Self.encode(body))
        return try Self.id(data)
    }

    /// `POST /guilds/{g}/emojis` (fluxer-api.md §3.4): the new emoji's id.
    public func createEmoji(name: String, image: Data, contentType: String) async throws -> UInt64 {
        let data = try await client.sendJSON(
            Route(
                .post, "/guilds/\(guild)/emojis", template: "/guilds/{guild_id}/emojis", major: .guild(guild),
                object: "emoji \"\(name)\""),
            json: Self.encode([
                "name": name, "image": "data:\(contentType);base64,\(image.base64EncodedString())",
            ]))
        return try Self.id(data)
    }

    /// `POST /guilds/{g}/stickers` (fluxer-api.md §3.4): the new sticker's id.
    public func createSticker(name: String, description: String?, tags: [String], image: Data, contentType: String)
        async throws -> UInt64
    {
        var body: [String: Any] = [
            "name": name, "tags": tags, "image": "data:\(contentType);base64,\(image.base64EncodedString())",
        ]
        if let description, !description.isEmpty { body["description"] = String(description.prefix(100)) }
        let data = try await client.sendJSON(
            Route(
                .post, "/guilds/\(guild)/stickers", template: "/guilds/{guild_id}/stickers", major: .guild(guild),
                object: "sticker \"\(name)\""),
            json: Self.encode(body))
        return try Self.id(data)
    }

    /// `POST /channels/{c}/webhooks`: the webhook's id and token.
    public func createWebhook(channel: UInt64, name: String) async throws -> (id: UInt64, token: String) {
        let data = try await client.sendJSON(
            Route(
                .post, "/channels/\(channel)/webhooks", template: "/channels/{channel_id}/webhooks",
                major: .channel(channel), object: "webhook in channel \(channel)"),
            json: Self.encode(["name": name]))
        guard let token = Self.object(data)["token"] as? String else {
            throw MirrorError(message: "the target answered a webhook without a token")
        }
        return (try Self.id(data), token)
    }

    /// `POST /webhooks/{id}/{token}?wait=true`: the new message's id. With a `nonce` a server that de-duplicates
    /// by nonce (Fluxer [N]) returns the first message again, so the request may be retried.
    public func execute(
        webhook: UInt64, token: String, content: String, username: String, avatarURL: String?, nonce: String?,
        replyTo: UInt64? = nil, files: [FileUpload] = []
    ) async throws -> UInt64 {
        var body: [String: Any] = [
            "content": content, "username": username, "allowed_mentions": ["parse": [String]()],
        ]
        if let replyTo { body["message_reference"] = ["message_id": String(replyTo)] }
        if let avatarURL { body["avatar_url"] = avatarURL }
        if let nonce { body["nonce"] = nonce }
        let route = DiscordClient.webhookExecuteRoute(id: webhook, token: token)
        guard !files.isEmpty else {
            return try Self.id(await client.sendJSON(route, json: Self.encode(body), retryable: nonce != nil))
        }
        // Multipart (fluxer-api.md §3.5 [N], §3.6): `payload_json` names each `files[N]` in `attachments`; the
        // files are read from disk on every attempt (streamed when the body is large).
        body["attachments"] = files.enumerated().map { ["id": $0.offset, "filename": $0.element.filename] }
        let data = try await client.sendMultipart(
            route, payload: Self.encode(body), files: files, retryable: nonce != nil)
        return try Self.id(data)
    }

    /// `PUT /channels/{c}/pins/{m}` (idempotent).
    public func pin(channel: UInt64, message: UInt64) async throws {
        _ = try await client.sendJSON(
            Route(
                .put, "/channels/\(channel)/pins/\(message)", template: "/channels/{channel_id}/pins/{message_id}",
                major: .channel(channel), object: "pin of message \(message)"),
            retryable: true)
    }

    /// Whether the target runs the newer Fluxer code (fluxer-api.md §1: `/.well-known/fluxer` answers; [B] has
    /// only `/v1/instance`), whose webhooks keep replies (§3.5).
    public func runsNewerFluxer() async throws -> Bool {
        do {
            _ = try await client.sendJSON(
                Route(.get, "/.well-known/fluxer", template: "/.well-known/fluxer", major: nil, object: "discovery"))
            return true
        } catch let error as DiscordRESTError where error.status == 404 {
            return false
        }
    }

    static func encode(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    static func object(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func id(_ data: Data) throws -> UInt64 {
        guard let text = object(data)["id"] as? String, let id = UInt64(text) else {
            throw MirrorError(message: "the target answered without an id")
        }
        return id
    }
}
