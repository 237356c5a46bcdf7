import DiscordREST
import Foundation

/// The target community a mirror writes to, through ``DiscordClient``'s limiter, retries and error mapping: a
/// Fluxer community (fluxer-api.md §3: Fluxer authenticates bots with `Bot <token>` and sends Discord-style
/// rate-limit headers; bodies and answers are its own JSON shapes) or a Discord guild (discord-api.md §3.5). The
/// routes are the same; ``service`` decides where they differ (permission mask, role flags, pins, threads,
/// replies, nonces, stickers).
public struct MirrorTarget: Sendable {
    /// `ALL_PERMISSIONS` of Fluxer [B] (fluxer-api.md §3.3): Discord bits without meaning there are masked.
    public static let allPermissions: UInt64 = 15_772_633_886_359_551

    /// The service a target runs.
    public enum Service: String, Sendable, Hashable, CaseIterable {
        /// Fluxer (fluxer-api.md).
        case fluxer
        /// Discord, or the Discord simulator (discord-api.md).
        case discord

        /// The target's client as its errors name it: the service, `--target-token`, `--target-api` (set it as the
        /// client's ``DiscordClientConfiguration/service``).
        public var restService: RESTService {
            RESTService(
                name: "target \(self == .fluxer ? "Fluxer" : "Discord")", tokenOption: "--target-token",
                apiOption: "--target-api")
        }

        /// What the service calls a guild: `Fluxer community`, `Discord guild`.
        public var communityNoun: String { self == .fluxer ? "Fluxer community" : "Discord guild" }
    }

    let client: DiscordClient
    /// Whether the target runs the newer Fluxer code, when a discovery document read before said so (the API base
    /// it advertised may not serve the document again); nil: asked of the API base (``runsNewerFluxer()``).
    public var discoveredNewer: Bool?
    /// The target community.
    public let guild: UInt64
    /// The service it runs.
    public let service: Service

    /// A target over `client` (its `apiBase` is the service's API base, e.g. `https://api.fluxer.app/v1` or
    /// `https://discord.com/api/v10`).
    public init(client: DiscordClient, guild: UInt64, service: Service = .fluxer) {
        self.client = client
        self.guild = guild
        self.service = service
    }

    /// The mapping key of this target in the archive (`fluxer:<guild>`, `discord:<guild>`).
    public var key: String { "\(service.rawValue):\(guild)" }

    /// The permission bits the target understands (Fluxer's `ALL_PERMISSIONS`; every bit on Discord).
    public var permissionMask: UInt64 { service == .fluxer ? Self.allPermissions : .max }

    /// Whether role creation takes `hoist` and `mentionable` (Discord); Fluxer ignores them there (§3.3).
    public var rolesTakeFlagsAtCreation: Bool { service == .discord }

    /// Whether the target keeps source channel types Fluxer lacks (announcement, stage, forum, media) and real
    /// threads and forum posts (Discord); Fluxer [B] gets text channels for them (fluxer-api.md §6).
    public var keepsChannelTypes: Bool { service == .discord }

    /// The largest file a bot or webhook may upload (Discord: 10 MiB since 2025-01-16, discord-api.md §3.5;
    /// Fluxer: 25 MiB, fluxer-api.md §3.6).
    public var defaultFileLimit: Int64 { service == .discord ? 10 << 20 : 25 << 20 }

    /// The most bytes of files one message may carry (Discord: 25 MiB per request; Fluxer names no such cap).
    public var defaultMessageLimit: Int64? { service == .discord ? 25 << 20 : nil }

    /// `GET /guilds/{g}`: checks the token and the community (one request; a bad token stops here with the client's
    /// 401). A community the bot cannot reach (404 unknown, or 403: not a member) is ``MirrorError``, naming
    /// `--target-guild`.
    public func checkGuild() async throws -> String {
        let data: Data
        do {
            data = try await client.sendJSON(
                Route(
                    .get, "/guilds/\(guild)", template: "/guilds/{guild_id}", major: .guild(guild),
                    object: "guild \(guild)"))
        } catch let error as DiscordRESTError where error.code == .notFound || error.code == .forbidden {
            throw MirrorError(message: unreachableGuildMessage(error))
        }
        return (Self.object(data)["name"] as? String) ?? String(guild)
    }

    /// The words for a target community the bot cannot reach: which, the service's answer, what to check.
    private func unreachableGuildMessage(_ error: DiscordRESTError) -> String {
        var answer = error.status.map { "HTTP \($0)" } ?? "refused"
        if let code = error.errorCodeName ?? error.discordCode.map(String.init) { answer += ", code \(code)" }
        if let message = error.discordMessage { answer += " \"\(message)\"" }
        // A 404 without the unknown-guild code is the API's answer to a route it does not have: the address is wrong.
        if error.code == .notFound && error.discordCode != 10004 && error.errorCodeName != "UNKNOWN_GUILD" {
            let example = service == .discord ? "https://discord.com/api/v10" : "https://api.fluxer.app/v1"
            return
                "the target API at \(client.configuration.apiBase) has no route \(error.route ?? "GET /guilds/{guild_id}") "
                + "(\(answer)): check --target-api (the \(service == .discord ? "Discord" : "Fluxer") API base, e.g. "
                + "\(example))"
        }
        let invite =
            service == .discord
            ? "invite the bot to it (ideally with ADMINISTRATOR)" : "add the bot to it (with ADMINISTRATOR)"
        return
            "the target \(service.communityNoun) \(guild) is unknown to the bot of --target-token (\(answer)): check "
            + "--target-guild (the id of the \(service.communityNoun) to mirror into), or \(invite)"
    }

    /// The permission bits the bot may grant in roles and overwrites on the target: on Fluxer every bit it
    /// understands (the bot is asked to hold ADMINISTRATOR, §1); on Discord the bot's own guild permissions (the
    /// owner or ADMINISTRATOR: every bit; else @everyone's and its roles' bits, from `GET /guilds/{g}`,
    /// `GET /users/@me` and `GET /guilds/{g}/members/{bot}`), since a role or overwrite granting a bit the bot lacks
    /// is refused with 403 (discord-api.md §3.5).
    public func grantablePermissions() async throws -> UInt64 {
        guard service == .discord else { return permissionMask }
        let guildObject = Self.object(
            try await client.sendJSON(
                Route(
                    .get, "/guilds/\(guild)", template: "/guilds/{guild_id}", major: .guild(guild),
                    object: "guild \(guild)")))
        let bot = try await botUserId()
        if Self.uint(guildObject["owner_id"]) == bot { return .max }
        let member = Self.object(
            try await client.sendJSON(
                Route(
                    .get, "/guilds/\(guild)/members/\(bot)", template: "/guilds/{guild_id}/members/{user_id}",
                    major: .guild(guild), object: "the bot's membership of guild \(guild)")))
        let held = Set(((member["roles"] as? [Any]) ?? []).compactMap { Self.uint($0) }).union([guild])
        var bits: UInt64 = 0
        for role in guildObject["roles"] as? [[String: Any]] ?? [] {
            if let id = Self.uint(role["id"]), held.contains(id) { bits |= Self.uint(role["permissions"]) ?? 0 }
        }
        return bits & (1 << 3) != 0 ? .max : bits
    }

    /// `GET /users/@me`: the bot's own user id.
    public func botUserId() async throws -> UInt64 {
        let data = try await client.sendJSON(
            Route(.get, "/users/@me", template: "/users/@me", major: nil, object: "the bot's user"))
        return try Self.id(data)
    }

    /// `POST /guilds/{g}/roles`: the new role's id. `hoist` and `mentionable` are sent where creation takes them
    /// (``rolesTakeFlagsAtCreation``); elsewhere ``updateRole(_:hoist:mentionable:)`` sets them after.
    /// - Parameter permissions: masked with ``permissionMask`` (the caller masks with what the bot may grant).
    public func createRole(
        name: String, color: Int, permissions: UInt64, hoist: Bool = false, mentionable: Bool = false
    ) async throws -> UInt64 {
        var body: [String: Any] = [
            "name": name, "color": color, "permissions": String(permissions & permissionMask),
        ]
        if rolesTakeFlagsAtCreation {
            body["hoist"] = hoist
            body["mentionable"] = mentionable
        }
        return try await create(in: "roles", "role \"\(name)\"", body: body)
    }

    /// `PATCH /guilds/{g}/roles/{r}`: hoist and mentionable (ignored at creation).
    public func updateRole(_ id: UInt64, hoist: Bool, mentionable: Bool) async throws {
        _ = try await client.sendJSON(
            Route(
                .patch, "/guilds/\(guild)/roles/\(id)", template: "/guilds/{guild_id}/roles/{role_id}",
                major: .guild(guild), object: "role \(id)"),
            json: Self.encode(["hoist": hoist, "mentionable": mentionable]), retryable: true)
    }

    /// `PATCH /guilds/{g}/roles`: one reorder of the given roles to the given positions (never @everyone; see
    /// ``RoleOrder`` for the positions); nothing is sent for no moves.
    public func reorderRoles(_ moves: [(id: UInt64, position: Int)]) async throws {
        guard !moves.isEmpty else { return }
        let items = moves.map { ["id": String($0.id), "position": $0.position] as [String: Any] }
        _ = try await client.sendJSON(
            guildRoute(.patch, "roles", object: "role positions"), json: Self.encode(items), retryable: true)
    }

    /// `POST /channels/{c}/threads` `{name, type, auto_archive_duration}` (discord-api.md §3.5; Discord only): a
    /// thread without a starter message in a text or announcement channel. The new thread's id.
    /// `slowmode` (seconds, `rate_limit_per_user`) is sent when above 0.
    public func createThread(parent: UInt64, name: String, type: Int, slowmode: Int = 0) async throws -> UInt64 {
        var body: [String: Any] = ["name": String(name.prefix(100)), "type": type, "auto_archive_duration": 10080]
        if slowmode > 0 { body["rate_limit_per_user"] = slowmode }
        let data = try await client.sendJSON(
            Route(
                .post, "/channels/\(parent)/threads", template: "/channels/{channel_id}/threads",
                major: .channel(parent), object: "thread \"\(name)\""),
            json: Self.encode(body))
        return try Self.id(data)
    }

    /// `POST /guilds/{g}/channels` with its overwrites: the new channel's id. `nsfw` and `slowmode` (seconds,
    /// `rate_limit_per_user`) are sent when set: Discord takes them here, Fluxer only later
    /// (``updateChannelSettings(_:nsfw:slowmode:)``).
    public func createChannel(
        name: String, type: Int, topic: String?, parent: UInt64?, overwrites: [[String: Any]], nsfw: Bool = false,
        slowmode: Int = 0
    ) async throws -> UInt64 {
        var body: [String: Any] = ["name": name, "type": type, "permission_overwrites": overwrites]
        if let topic, !topic.isEmpty { body["topic"] = String(topic.prefix(1024)) }
        if let parent { body["parent_id"] = String(parent) }
        if nsfw { body["nsfw"] = true }
        if slowmode > 0 { body["rate_limit_per_user"] = slowmode }
        return try await create(in: "channels", "channel \"\(name)\"", body: body)
    }

    /// `PATCH /channels/{c}` `{nsfw, rate_limit_per_user}`: the text-only fields Fluxer does not take at creation
    /// ([B] forces `nsfw` false and drops `rate_limit_per_user`, fluxer-api.md §3.2).
    public func updateChannelSettings(_ id: UInt64, nsfw: Bool, slowmode: Int) async throws {
        _ = try await client.sendJSON(
            Route(
                .patch, "/channels/\(id)", template: "/channels/{channel_id}", major: .channel(id),
                object: "channel \(id)"),
            json: Self.encode(["nsfw": nsfw, "rate_limit_per_user": slowmode]), retryable: true)
    }

    /// `POST /guilds/{g}/emojis` (fluxer-api.md §3.4): the new emoji's id.
    public func createEmoji(name: String, image: Data, contentType: String) async throws -> UInt64 {
        try await create(
            in: "emojis", "emoji \"\(name)\"",
            body: ["name": name, "image": "data:\(contentType);base64,\(image.base64EncodedString())"])
    }

    /// `POST /guilds/{g}/stickers`: the new sticker's id. Fluxer takes JSON with a data URI and a tag array
    /// (fluxer-api.md §3.4); Discord a `multipart/form-data` body of `name`, `tags` (one comma-separated string of
    /// at most 200 characters), `description` and `file` (the OpenAPI spec's `create_guild_sticker`).
    public func createSticker(name: String, description: String?, tags: [String], image: Data, contentType: String)
        async throws -> UInt64
    {
        let route = guildRoute(.post, "stickers", object: "sticker \"\(name)\"")
        if service == .discord {
            var fields: [(name: String, value: String)] = [
                ("name", name), ("tags", String(tags.joined(separator: ",").prefix(200))),
            ]
            // The docs: empty or 2–100 characters.
            if let description, description.count >= 2 {
                fields.append(("description", String(description.prefix(100))))
            }
            let file = FileUpload(
                filename: contentType == "image/gif" ? "sticker.gif" : "sticker.png", contentType: contentType,
                data: image)
            return try Self.id(await client.sendForm(route, fields: fields, files: [("file", file)]))
        }
        var body: [String: Any] = [
            "name": name, "tags": tags, "image": "data:\(contentType);base64,\(image.base64EncodedString())",
        ]
        if let description, !description.isEmpty { body["description"] = String(description.prefix(100)) }
        return try Self.id(await client.sendJSON(route, json: Self.encode(body)))
    }

    /// `POST /guilds/{g}/{collection}` with a JSON body: the new object's id.
    private func create(in collection: String, _ object: String, body: Any) async throws -> UInt64 {
        try Self.id(await client.sendJSON(guildRoute(.post, collection, object: object), json: Self.encode(body)))
    }

    /// A request to `/guilds/{g}/{collection}` of the target guild, limited in the guild's bucket.
    func guildRoute(_ method: Route.Method, _ collection: String, object: String) -> Route {
        Route(
            method, "/guilds/\(guild)/\(collection)", template: "/guilds/{guild_id}/\(collection)",
            major: .guild(guild), object: object)
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

    /// `POST /webhooks/{id}/{token}?wait=true`: the new message's id. Never retried blindly after a 5xx or a lost
    /// answer: the message may have been posted (Fluxer [B] webhooks ignore `nonce`, and [N]'s de-duplication by
    /// nonce is unconfirmed, fluxer-api.md §3.5), so the failure goes to ``MirrorEngine``, whose next attempt reads
    /// the channel for the copy first. The `nonce` is still sent to Fluxer (a server that de-duplicates answers a
    /// resend with the first copy); Discord's webhooks take none (the OpenAPI spec's
    /// `IncomingWebhookRequestPartial`), so none is sent there. `thread` posts
    /// into a thread of the webhook's channel (`?thread_id=`, Discord).
    /// `stickers`: target sticker ids (`sticker_ids`, Fluxer [N] webhooks, §3.5; Discord's webhooks take none).
    public func execute(
        webhook: UInt64, token: String, content: String, username: String, avatarURL: String?, nonce: String?,
        replyTo: UInt64? = nil, files: [FileUpload] = [], thread: UInt64? = nil, stickers: [UInt64] = []
    ) async throws -> UInt64 {
        try Self.id(
            await executeRaw(
                webhook: webhook, token: token, content: content, username: username, avatarURL: avatarURL,
                nonce: nonce, replyTo: replyTo, files: files, thread: thread, threadName: nil, stickers: stickers))
    }

    /// `POST /webhooks/{id}/{token}?wait=true` with `thread_name` into a forum or media channel (Discord): starts a
    /// post with this first message. The message's id and the new post's (thread's) id.
    public func startForumPost(
        webhook: UInt64, token: String, title: String, content: String, username: String, avatarURL: String?,
        files: [FileUpload] = []
    ) async throws -> (message: UInt64, thread: UInt64) {
        let data = try await executeRaw(
            webhook: webhook, token: token, content: content, username: username, avatarURL: avatarURL, nonce: nil,
            replyTo: nil, files: files, thread: nil, threadName: String(title.prefix(100)), stickers: [])
        guard let thread = Self.uint(Self.object(data)["channel_id"]) else {
            throw MirrorError(message: "the target answered a forum post without its channel")
        }
        return (try Self.id(data), thread)
    }

    private func executeRaw(
        webhook: UInt64, token: String, content: String, username: String, avatarURL: String?, nonce: String?,
        replyTo: UInt64?, files: [FileUpload], thread: UInt64?, threadName: String?, stickers: [UInt64]
    ) async throws -> Data {
        var body: [String: Any] = [
            "content": content, "username": webhookUsername(username), "allowed_mentions": ["parse": [String]()],
        ]
        if let replyTo { body["message_reference"] = ["message_id": String(replyTo)] }
        if let avatarURL { body["avatar_url"] = avatarURL }
        let nonce = service == .fluxer ? nonce : nil
        if let nonce { body["nonce"] = nonce }
        if let threadName { body["thread_name"] = threadName }
        if !stickers.isEmpty && service == .fluxer { body["sticker_ids"] = stickers.map { String($0) } }
        var route = DiscordClient.webhookExecuteRoute(id: webhook, token: token)
        if let thread { route.query.append((name: "thread_id", value: String(thread))) }
        guard !files.isEmpty else {
            return try await client.sendJSON(route, json: Self.encode(body), retryable: false)
        }
        // Multipart (fluxer-api.md §3.5 [N], §3.6; discord-api.md §3.5): `payload_json` names each `files[N]` in
        // `attachments`; the files are read from disk on every attempt (streamed when the body is large).
        body["attachments"] = files.enumerated().map { ["id": $0.offset, "filename": $0.element.filename] }
        return try await client.sendMultipart(route, payload: Self.encode(body), files: files, retryable: false)
    }

    /// A webhook `username` the target takes: 1–80 characters; on Discord without "discord" or "clyde" (any case),
    /// which it refuses (discord-api.md §3.5).
    func webhookUsername(_ name: String) -> String {
        var out = name
        if service == .discord {
            for word in ["discord", "clyde"] {
                while let range = out.range(of: word, options: .caseInsensitive) {
                    out.replaceSubrange(
                        range, with: String(out[range].prefix(1)) + "*" + String(out[range].dropFirst(2)))
                }
            }
        }
        out = String(out.prefix(80))
        return out.isEmpty ? "?" : out
    }

    /// Pins a message (idempotent): `PUT /channels/{c}/messages/pins/{m}` on Discord (the route since
    /// 2025-06-25), `PUT /channels/{c}/pins/{m}` on Fluxer (§3.6).
    public func pin(channel: UInt64, message: UInt64) async throws {
        let route =
            service == .discord
            ? Route(
                .put, "/channels/\(channel)/messages/pins/\(message)",
                template: "/channels/{channel_id}/messages/pins/{message_id}", major: .channel(channel),
                object: "pin of message \(message)")
            : Route(
                .put, "/channels/\(channel)/pins/\(message)", template: "/channels/{channel_id}/pins/{message_id}",
                major: .channel(channel), object: "pin of message \(message)")
        _ = try await client.sendJSON(route, retryable: true)
    }

    /// Whether the target's webhooks keep a reply's `message_reference`: the newer Fluxer code (fluxer-api.md §1:
    /// `/.well-known/fluxer` answers; [B] has only `/v1/instance`; §3.5). Discord's webhooks take none (the OpenAPI
    /// spec's `IncomingWebhookRequestPartial`): replies are quoted there.
    public func keepsReplies() async throws -> Bool {
        guard service == .fluxer else { return false }
        return try await runsNewerFluxer()
    }

    /// Refuses a target whose API is not the `--to` service's, so a wrong `--to` does not mirror with the other
    /// service's rules: Fluxer answers `/.well-known/fluxer` ([N]) or `/instance` ([B]) under its API base
    /// (fluxer-api.md §1), Discord neither.
    public func checkService() async throws {
        var isFluxer = try await runsNewerFluxer()
        if !isFluxer { isFluxer = try await answers("/instance") }
        guard isFluxer != (service == .fluxer) else { return }
        let base = client.configuration.apiBase
        if isFluxer {
            throw MirrorError(
                message: "the target API at \(base) is Fluxer (it answers /.well-known/fluxer or /instance), not "
                    + "Discord: pass --to fluxer, or check --target-api (a Discord API base, e.g. "
                    + "https://discord.com/api/v10)")
        }
        throw MirrorError(
            message: "the target API at \(base) answers neither /.well-known/fluxer nor /instance, as Fluxer does: "
                + "for a Discord guild pass --to discord; for Fluxer check --target-api (e.g. https://api.fluxer.app/v1)"
        )
    }

    /// Whether `GET path` answers (false on 404).
    private func answers(_ path: String) async throws -> Bool {
        try await document(path) != nil
    }

    /// The body of `GET path`, or nil on 404.
    private func document(_ path: String) async throws -> Data? {
        do {
            return try await client.sendJSON(Route(.get, path, template: path, major: nil, object: "discovery"))
        } catch let error as DiscordRESTError where error.status == 404 {
            return nil
        }
    }

    /// Whether the target runs the newer Fluxer code (fluxer-api.md §1: `/.well-known/fluxer` answers; [B] has
    /// only `/v1/instance`), whose webhooks keep replies (§3.5).
    public func runsNewerFluxer() async throws -> Bool {
        if let discoveredNewer { return discoveredNewer }
        return try await answers("/.well-known/fluxer")
    }

    /// The instance's discovery document (fluxer-api.md §1: `/.well-known/fluxer`, on 404 `/instance`): whether it
    /// is the newer code, and the API base it advertises (`endpoints.api`; a self-hosted instance's API may live
    /// on another path than the address given). Nil when neither answers.
    public func discover() async throws -> (newer: Bool, api: String?)? {
        for (path, newer) in [("/.well-known/fluxer", true), ("/instance", false)] {
            guard let data = try await document(path) else { continue }
            let api = (Self.object(data)["endpoints"] as? [String: Any])?["api"] as? String
            return (newer, api.flatMap { $0.isEmpty ? nil : $0 })
        }
        return nil
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

/// The target of a mirror into Fluxer (the name ``MirrorTarget`` had before it took Discord targets too).
public typealias FluxerTarget = MirrorTarget
