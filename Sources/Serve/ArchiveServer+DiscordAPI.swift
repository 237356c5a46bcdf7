import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird

extension ArchiveServer {
    /// Discord's read routes under `/api/v10`, answered from the exact JSON the archive stored. Deleted messages
    /// are left out, as Discord would.
    func addDiscordRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("users/@me") { _, _ in ServeResponses.json(Array(Self.archiveUserJSON.utf8)) }
        api.get("oauth2/applications/@me") { _, _ in ServeResponses.json(Array(Self.archiveApplicationJSON.utf8)) }
        api.get("users/@me/guilds") { _, _ in ServeResponses.jsonArray(try await guilds().map(\.json)) }
        api.get("guilds/:guild") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild"), let guild = try await history.guild(id) else {
                return Self.unknownGuild
            }
            return ServeResponses.json(guild.json)
        }
        api.get("guilds/:guild/channels") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(id) else {
                return Self.unknownGuild
            }
            let channels = try await history.channels(in: id).filter { !$0.isThread && $0.deletedAt == nil }
            return ServeResponses.jsonArray(channels.map(\.json))
        }
        for (path, kind) in [
            ("roles", ObjectKind.role), ("emojis", .emoji), ("stickers", .sticker),
            ("scheduled-events", .scheduledEvent),
        ] {
            api.get("guilds/:guild/\(path)") { _, context in
                guard let id: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(id) else {
                    return Self.unknownGuild
                }
                let objects = try await store.objects(kind, in: id).filter { $0.deletedAt == nil }
                return ServeResponses.jsonArray(objects.map(\.json))
            }
        }
        api.get("guilds/:guild/scheduled-events/:event") { _, context in
            guard let guild: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(guild) else {
                return Self.unknownGuild
            }
            guard let id: Snowflake<ScheduledEvent> = Self.id(context, "event"),
                let event = try await store.object(.scheduledEvent, id: id.cast()),
                event.guildId == guild, event.deletedAt == nil
            else {
                return ServeResponses.discordError(.notFound, code: 10070, message: "Unknown Guild Scheduled Event")
            }
            return ServeResponses.json(event.json)
        }
        // A member the archive holds (`skald archive --members`); the list is `addMemberListRoute`.
        api.get("guilds/:guild/members/:user") { _, context in
            guard let guild: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(guild) else {
                return Self.unknownGuild
            }
            guard let user: Snowflake<User> = Self.id(context, "user"),
                let member = try await store.member(user, in: guild)
            else { return ServeResponses.discordError(.notFound, code: 10007, message: "Unknown Member") }
            return ServeResponses.json(member)
        }
        // A user the archive holds; the archive's own user (`users/@me`) by its id too, as Discord answers a bot.
        api.get("users/:user") { _, context in
            guard let id: Snowflake<User> = Self.id(context, "user") else {
                return ServeResponses.discordError(.notFound, code: 10013, message: "Unknown User")
            }
            if let user = try await store.object(.user, id: id.cast()) { return ServeResponses.json(user.json) }
            if id.rawValue == 1 { return ServeResponses.json(Array(Self.archiveUserJSON.utf8)) }
            return ServeResponses.discordError(.notFound, code: 10013, message: "Unknown User")
        }
        api.get("guilds/:guild/threads/active") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(id) else {
                return Self.unknownGuild
            }
            let threads = try await history.channels(in: id).filter { $0.isThread && $0.threadArchived != true }
            return ServeResponses.json(
                JSONAssembly.object([
                    ("threads", JSONAssembly.array(threads.map(\.json))), ("members", Array("[]".utf8)),
                ]))
        }
        api.get("channels/:channel") { _, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            return ServeResponses.json(channel.json)
        }
        api.get("channels/:channel/messages") { request, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            let page = try Self.messagePage(of: request)
            let messages = try await messagePage(page, in: channel.id.cast(), includeDeleted: false)
            return ServeResponses.jsonArray(messages.map(\.json))
        }
        api.get("channels/:channel/messages/:message") { _, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            guard let id: Snowflake<Message> = Self.id(context, "message"),
                let message = try await history.message(id, in: channel.id.cast()), message.deletedAt == nil
            else { return Self.unknownMessage }
            return ServeResponses.json(message.json)
        }
        for (path, types) in [("public", [10, 11]), ("private", [12])] {
            api.get("channels/:channel/threads/archived/\(path)") { request, context in
                guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
                let query = Self.query(request)
                let limit = min(max(Int(query["limit"] ?? "") ?? 50, 2), 100)
                let before = query["before"].flatMap(Self.archiveDate)
                let parent: Snowflake<Channel> = channel.id.cast()
                let threads = try await archivedThreads(
                    of: parent, guild: channel.guildId, types: types, before: before)
                let page = threads.prefix(limit).map(\.json)
                return ServeResponses.json(
                    JSONAssembly.object([
                        ("threads", JSONAssembly.array(Array(page))), ("members", Array("[]".utf8)),
                        ("has_more", Array((threads.count > limit ? "true" : "false").utf8)),
                    ]))
            }
        }
        // Private archived threads the current user joined, newest id first, `before` a thread id (Discord's
        // order for this route). The archive's user is the reader of everything archived, so it has "joined"
        // every private thread the archive holds.
        api.get("channels/:channel/users/@me/threads/archived/private") { request, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            let query = Self.query(request)
            let limit = min(max(Int(query["limit"] ?? "") ?? 50, 2), 100)
            let before = query["before"].flatMap { UInt64($0) } ?? UInt64.max
            let threads = try await archivedThreads(
                of: channel.id.cast(), guild: channel.guildId, types: [12], before: nil
            ).filter { $0.id.rawValue < before }.sorted { $0.id > $1.id }
            return ServeResponses.json(
                JSONAssembly.object([
                    ("threads", JSONAssembly.array(threads.prefix(limit).map(\.json))), ("members", Array("[]".utf8)),
                    ("has_more", Array((threads.count > limit ? "true" : "false").utf8)),
                ]))
        }
        api.get("channels/:channel/messages/:message/reactions/:emoji") { request, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            guard let id: Snowflake<Message> = Self.id(context, "message"),
                let message = try await store.message(id, in: channel.id.cast()), message.deletedAt == nil
            else { return Self.unknownMessage }
            let emoji = context.parameters.get("emoji")?.removingPercentEncoding ?? ""
            let query = Self.query(request)
            let limit = min(max(Int(query["limit"] ?? "") ?? 25, 1), 100)
            let after = query["after"].flatMap { Snowflake<User>($0) }
            let userIDs = try await store.reactionUserIDs(
                of: message.id, in: message.channelId, emojiKey: emoji, burst: query["type"] == "1")
            var users: [Data] = []
            for userID in userIDs where after.map({ userID > $0 }) ?? true {
                guard users.count < limit else { break }
                if let user = try await store.object(.user, id: userID.cast()) { users.append(user.json) }
            }
            return ServeResponses.jsonArray(users)
        }
        // Discord's older route: the first 50 pins, most recently pinned first, as the newer one orders them.
        api.get("channels/:channel/pins") { _, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            let pins = try await history.pins(in: channel.id.cast()).page(before: nil, limit: 50)
            return ServeResponses.jsonArray(pins.items.map(\.message.json))
        }
        // Discord's pins route since 2025-06 (the one discord.py 2.6+ reads): `pinned_at` as live capture stored it,
        // else the message's own timestamp (see ``ChannelPinList``); most recently pinned first, `before` on it.
        api.get("channels/:channel/messages/pins") { request, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            let page: PinPageRequest
            do {
                page = try PinPageRequest(query: Self.query(request))
            } catch let error as DiscordFieldError {
                return Self.invalidForm(error)
            }
            let pins = try await history.pins(in: channel.id.cast()).page(before: page.before, limit: page.limit)
            let items = pins.items.map { pin in
                Data(
                    JSONAssembly.object([
                        ("pinned_at", JSONAssembly.string(pin.pinnedAt.rawValue)),
                        ("message", Array(pin.message.json)),
                    ]))
            }
            return ServeResponses.json(
                JSONAssembly.object([
                    ("items", JSONAssembly.array(Array(items))),
                    ("has_more", Array((pins.hasMore ? "true" : "false").utf8)),
                ]))
        }
    }

    // MARK: Lookups

    /// Whether the archive holds the guild (not tombstoned), archived or known from imports.
    func hasGuild(_ id: Snowflake<Guild>) async throws -> Bool { try await history.guild(id) != nil }

    /// The stored channel or thread a `:channel` parameter names (tombstoned ones too: the archive keeps them),
    /// or one known only from imports (its object made from the import's header: ``ImportedDiscordForm``).
    func storedChannel(_ context: BasicRequestContext) async throws -> StoredObject? {
        guard let id: Snowflake<Channel> = Self.id(context, "channel") else { return nil }
        if let object = try await store.object(.channel, id: id.cast()) { return object }
        return try await history.channel(id).map { channel in
            StoredObject(
                kind: .channel, id: channel.id.cast(), guildId: channel.guildId, json: channel.json,
                firstSeenAt: channel.firstSeenAt, updatedAt: channel.updatedAt, deletedAt: nil)
        }
    }

    /// The query string as a dictionary (the last value of a repeated name wins).
    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    /// The archived threads of `parent` of the given types, archived before `before`, most recently archived first.
    func archivedThreads(of parent: Snowflake<Channel>, guild: Snowflake<Guild>?, types: [Int], before: Date?)
        async throws -> [StoredChannel]
    {
        let all = try await history.channels(in: guild)
        var threads: [(thread: StoredChannel, archived: Date)] = []
        for thread in all where thread.isThread && thread.parentId == parent && thread.threadArchived == true {
            guard types.contains(thread.type.rawValue) else { continue }
            let archived = thread.threadArchiveTimestamp?.date ?? .distantPast
            if let before, archived >= before { continue }
            threads.append((thread, archived))
        }
        threads.sort { $0.archived != $1.archived ? $0.archived > $1.archived : $0.thread.id > $1.thread.id }
        return threads.map(\.thread)
    }

    /// A date as Discord's routes take it (ISO 8601, with or without fractional seconds).
    static func archiveDate(_ text: String) -> Date? { DiscordTimestamp.parse(text) }

    // MARK: Discord's answers

    static var unknownGuild: Response { ServeResponses.discordError(.notFound, code: 10004, message: "Unknown Guild") }
    static var unknownChannel: Response {
        ServeResponses.discordError(.notFound, code: 10003, message: "Unknown Channel")
    }
    static var unknownMessage: Response {
        ServeResponses.discordError(.notFound, code: 10008, message: "Unknown Message")
    }

    /// The window of messages `request` asks for (`limit`, `before`/`after`/`around`); throws the refusal
    /// `refusal` makes of what is wrong (Discord's `400 50035` by default).
    static func messagePage(
        of request: Request, refusal: (DiscordFieldError) -> Response = invalidForm
    ) throws -> MessagePageRequest {
        do {
            return try MessagePageRequest(query: query(request))
        } catch {
            throw ServeRefusal(response: refusal(error))
        }
    }

    /// `400 50035 Invalid Form Body` with one field error, as Discord words it.
    static func invalidForm(_ error: DiscordFieldError) -> Response {
        let fieldError = JSONAssembly.object([
            (
                "_errors",
                JSONAssembly.array([
                    Data(
                        JSONAssembly.object([
                            ("code", JSONAssembly.string(error.code)), ("message", JSONAssembly.string(error.message)),
                        ]))
                ])
            )
        ])
        let body = JSONAssembly.object([
            ("message", JSONAssembly.string("Invalid Form Body")), ("code", Array("50035".utf8)),
            ("errors", JSONAssembly.object([(error.field, fieldError)])),
        ])
        return ServeResponses.json(body, status: .badRequest)
    }

    /// The user a client logged in to `skald serve` is: the archive itself (a bot user, so clients behave as bots).
    static let archiveUserJSON = """
        {"id":"1","username":"skald-archive","discriminator":"0","global_name":"Skald archive","avatar":null,\
        "bot":true,"system":false,"mfa_enabled":false,"banner":null,"accent_color":null,"locale":"en-US",\
        "verified":true,"email":null,"flags":0,"premium_type":0,"public_flags":0}
        """

    /// The application of ``archiveUserJSON`` (`GET /oauth2/applications/@me`, which discord.py asks at login).
    static let archiveApplicationJSON = """
        {"id":"1","name":"skald-archive","icon":null,"description":"A read-only Skald archive.","summary":"",\
        "type":null,"bot":\(archiveUserJSON),"bot_public":false,"bot_require_code_grant":false,\
        "verify_key":"0000000000000000000000000000000000000000000000000000000000000000","flags":0,\
        "redirect_uris":[],"interactions_endpoint_url":null,"owner":\(archiveUserJSON),"team":null,\
        "tags":[],"approximate_guild_count":0}
        """
}
